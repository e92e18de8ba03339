from __future__ import annotations

import json
from pathlib import Path

import pytest
from stdnum.no import orgnr

from shared.tilgang.register import (
    DEMO_ORGANISASJONER,
    Organisasjon,
    Organisasjonsregister,
    RegisterFeil,
    last_register,
    normaliser_orgnr,
)

from .conftest import HDIR, HOBOL, REVISJON, UKJENT_GYLDIG

FORSOKSKOMMUNER = {"0138", "0926", "1243", "1714"}


def test_demo_numrene_er_gyldige_mod11() -> None:
    for org in DEMO_ORGANISASJONER:
        assert orgnr.is_valid(org.organisasjonsnummer), org
    assert orgnr.is_valid(UKJENT_GYLDIG)


def test_demo_dekker_forsokskommunene() -> None:
    register = Organisasjonsregister.demo()

    hdir = register.finn(HDIR)
    assert hdir is not None and hdir.rolle == "hdir" and hdir.kommuner == FORSOKSKOMMUNER
    revisjon = register.finn(REVISJON)
    assert revisjon is not None and revisjon.rolle == "revisjon"
    assert revisjon.kommuner == FORSOKSKOMMUNER
    kommuner = [o for o in register if o.rolle == "kommune"]
    assert sorted(next(iter(o.kommuner)) for o in kommuner) == sorted(FORSOKSKOMMUNER)
    assert all(len(o.kommuner) == 1 and o.navn for o in kommuner)
    assert register.kommuner == FORSOKSKOMMUNER


def test_finn_normaliserer_og_tåler_søppel() -> None:
    register = Organisasjonsregister.demo()

    assert register.finn("983 544 622") == register.finn(f"0192:{HDIR}") == register.finn(HDIR)
    assert register.finn(UKJENT_GYLDIG) is None
    assert register.finn("ikke et nummer") is None


def test_kommune_kan_bare_handle_for_seg_selv() -> None:
    hobol = Organisasjonsregister.demo().finn(HOBOL)

    assert hobol is not None
    assert hobol.kan_handle_for("0138") and not hobol.kan_handle_for("0926")


def test_normaliser_orgnr_avviser_feil_kontrollsiffer() -> None:
    with pytest.raises(RegisterFeil, match="mod-11"):
        normaliser_orgnr("983544623")


def test_register_fra_fil_via_miljo(tmp_path: Path) -> None:
    sti = tmp_path / "orgs.json"
    sti.write_text(
        json.dumps([{"organisasjonsnummer": HOBOL, "rolle": "kommune", "kommuner": ["0138"]}])
    )

    register = last_register(tmp_path / "data", {"OPPGJOR_ORG_REGISTER": str(sti)})

    assert [o.organisasjonsnummer for o in register] == [HOBOL]


def test_register_fra_data_dir(tmp_path: Path) -> None:
    dokument = {
        "organisasjoner": [
            {"organisasjonsnummer": HDIR, "navn": "Hdir", "rolle": "hdir", "kommuner": []}
        ]
    }
    (tmp_path / "organisasjoner.json").write_text(json.dumps(dokument))

    register = last_register(tmp_path, {})

    assert register.finn(HDIR) == Organisasjon(HDIR, "Hdir", "hdir", frozenset())
    assert len(register) == 1


def test_uten_fil_brukes_demo(tmp_path: Path) -> None:
    assert len(last_register(tmp_path, {})) == len(DEMO_ORGANISASJONER)


def test_konfigurert_register_som_mangler_er_feil(tmp_path: Path) -> None:
    with pytest.raises(RegisterFeil, match="kan ikke lese"):
        last_register(tmp_path, {"OPPGJOR_ORG_REGISTER": str(tmp_path / "mangler.json")})


def test_orgs_json_rundtur() -> None:
    demo = Organisasjonsregister.demo()

    assert list(Organisasjonsregister.fra_json(demo.som_json())) == list(demo)


@pytest.mark.parametrize(
    ("oppforing", "melding"),
    [
        ({"organisasjonsnummer": "983544623", "rolle": "hdir"}, "mod-11"),
        ({"organisasjonsnummer": 983544622, "rolle": "hdir"}, "streng"),
        ({"organisasjonsnummer": HDIR, "rolle": "konge"}, "rolle"),
        ({"organisasjonsnummer": HOBOL, "rolle": "kommune", "kommuner": [138]}, "4 siffer"),
        ({"organisasjonsnummer": HOBOL, "rolle": "kommune", "kommuner": ["138"]}, "4 siffer"),
        ({"organisasjonsnummer": HOBOL, "rolle": "kommune", "kommuner": "0138"}, "liste"),
        ({"organisasjonsnummer": HOBOL, "rolle": "kommune"}, "krever kommuner"),
        ({"organisasjonsnummer": HDIR, "rolle": "hdir", "scopes": []}, "ukjente felt"),
    ],
)
def test_ugyldige_oppforinger(oppforing: dict[str, object], melding: str) -> None:
    with pytest.raises(RegisterFeil, match=f"oppføring 0: .*{melding}"):
        Organisasjonsregister.fra_json([oppforing])


def test_duplikat_avvises() -> None:
    oppforing = {"organisasjonsnummer": HDIR, "rolle": "hdir", "kommuner": []}

    with pytest.raises(RegisterFeil, match="to ganger"):
        Organisasjonsregister.fra_json([oppforing, oppforing])
