from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from stdnum.no import orgnr
from typer.testing import CliRunner

from shared.tilgang.cli import registrer
from shared.tilgang.token import verifiser_token

from .conftest import HDIR, HOBOL, UKJENT_GYLDIG


@pytest.fixture
def cli(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setenv("OPPGJOR_DATA_DIR", str(data_dir))
    app = typer.Typer()
    registrer(app)
    return app


def kjor(app: typer.Typer, *args: str) -> tuple[int, str, str]:
    resultat = CliRunner().invoke(app, list(args))
    return resultat.exit_code, resultat.stdout, resultat.stderr


def test_token_skriver_bare_tokenet(cli: typer.Typer, data_dir: Path) -> None:
    kode, ut, feil = kjor(
        cli, "token", "--org", HDIR, "--scope", "sio:oppgjor.read sio:oppgjor.write"
    )

    assert kode == 0, feil
    assert ut.endswith("\n") and ut.count("\n") == 1
    claims = verifiser_token(ut.strip(), data_dir=data_dir)
    assert claims.organisasjonsnummer == HDIR
    assert claims.scopes == {"sio:oppgjor.read", "sio:oppgjor.write"}
    assert (data_dir / "jwks.json").exists()


def test_token_levetid(cli: typer.Typer, data_dir: Path) -> None:
    kode, ut, _ = kjor(
        cli, "token", "--org", HOBOL, "--scope", "sio:vedtak.write", "--levetid", "60"
    )

    assert kode == 0
    claims = verifiser_token(ut.strip(), data_dir=data_dir)
    assert claims.exp - (claims.iat or 0) == 60


@pytest.mark.parametrize(
    ("args", "melding"),
    [
        (["--org", UKJENT_GYLDIG, "--scope", "sio:oppgjor.read"], "oppgjor orgs"),
        (["--org", "983544623", "--scope", "sio:oppgjor.read"], "mod-11"),
        (["--org", HDIR, "--scope", "sio:oppgjor.reed"], "ukjent scope"),
        (["--org", HDIR, "--scope", " "], "minst ett scope"),
    ],
)
def test_token_feil_gir_kode_2_og_melding_paa_stderr(
    cli: typer.Typer, args: list[str], melding: str
) -> None:
    kode, ut, feil = kjor(cli, "token", *args)

    assert kode == 2
    assert ut == ""
    assert melding in feil


def test_token_med_scope_rollen_ikke_har_advarer(cli: typer.Typer, data_dir: Path) -> None:
    kode, ut, feil = kjor(cli, "token", "--org", HOBOL, "--scope", "sio:oppgjor.write")

    assert kode == 0
    assert "Advarsel" in feil
    assert verifiser_token(ut.strip(), data_dir=data_dir).organisasjonsnummer == HOBOL


def test_orgs_json(cli: typer.Typer) -> None:
    kode, ut, _ = kjor(cli, "orgs", "--json")

    assert kode == 0
    orgs = json.loads(ut)
    assert {"organisasjonsnummer", "rolle", "kommuner"} <= set(orgs[0])
    assert all(orgnr.is_valid(o["organisasjonsnummer"]) for o in orgs)
    assert {o["rolle"] for o in orgs} == {"kommune", "revisjon", "hdir"}
    assert {"0138", "0926", "1243", "1714"} == {k for o in orgs for k in o["kommuner"]}


def test_orgs_tabell(cli: typer.Typer) -> None:
    kode, ut, _ = kjor(cli, "orgs")

    assert kode == 0
    assert HDIR in ut and "Stjørdal" in ut


def test_orgs_bruker_register_i_data_dir(cli: typer.Typer, data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "organisasjoner.json").write_text(
        json.dumps([{"organisasjonsnummer": HOBOL, "rolle": "kommune", "kommuner": ["0138"]}])
    )

    kode, ut, _ = kjor(cli, "orgs", "--json")

    assert kode == 0
    assert [o["organisasjonsnummer"] for o in json.loads(ut)] == [HOBOL]
    # ...and token follows the same registry.
    assert kjor(cli, "token", "--org", HDIR, "--scope", "sio:oppgjor.read")[0] == 2


def test_ugyldig_register_gir_kode_2(cli: typer.Typer, data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "organisasjoner.json").write_text("{ikke json")

    kode, _, feil = kjor(cli, "orgs")

    assert kode == 2
    assert "organisasjoner.json" in feil


def test_token_levetid_over_et_dogn_avvises(cli: typer.Typer, data_dir: Path) -> None:
    kode, ut, feil = kjor(
        cli, "token", "--org", HOBOL, "--scope", "sio:oppgjor.read", "--levetid", "86401"
    )
    assert (kode, ut) == (2, "")
    assert "86400" in feil
    kode, ut, _ = kjor(
        cli, "token", "--org", HOBOL, "--scope", "sio:oppgjor.read", "--levetid", "86400"
    )
    assert kode == 0
    claims = verifiser_token(ut.strip(), data_dir=data_dir)
    assert claims.exp - (claims.iat or 0) == 86400
    assert claims.claims["aud"] == "omsorgsoppgjor"
