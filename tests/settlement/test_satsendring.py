"""Publishing a price table shows what it changes first (regelverk 3 "Satser", 4.4).

Removing codes in force must be confirmed, and a table equal to the one in force makes no
new version: through `oppgjor satser import` and through the API, on both stores.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from services.settlement.domain.satsendring import sammenlign
from tests.conftest import HDIR, Token
from tests.system.test_cli_feil import kjor

HTAMDK_LOKO = b"tjenestekode;sats\nHTAMDK;724\nLOKO;2284\n"


def test_sammenligning_etter_verdi() -> None:
    e = sammenlign(
        {"HTAMDK": Decimal("724"), "LOKO": Decimal("2284"), "UK": Decimal("4622")},
        3,
        {"HTAMDK": Decimal("724.00"), "LOKO": Decimal("2300"), "AUI": Decimal("270")},
    )
    assert e.lagt_til == {"AUI": Decimal("270")}
    assert e.fjernet == {"UK": Decimal("4622")}
    assert e.endret == {"LOKO": (Decimal("2284"), Decimal("2300"))}
    assert (e.uendret, e.ingen_endring, e.gjeldende_versjon) == (1, False, 3)
    assert sammenlign({"A": Decimal(1)}, 1, {"A": Decimal("1.00")}).ingen_endring is True
    assert sammenlign(None, None, {}).ingen_endring is False  # nothing in force: publish


def _importer(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fil: Path, *valg: str
) -> tuple[int, str, str]:
    return kjor(capsys, monkeypatch, "satser", "import", str(fil), "--aar", "2017", *valg)


def test_import_viser_forskjellen_og_krever_bekreftet_fjerning(
    lager_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPPGJOR_DATABASE_URL", lager_url)
    to_koder, en_kode = tmp_path / "to.csv", tmp_path / "en.csv"
    to_koder.write_bytes(HTAMDK_LOKO)
    en_kode.write_bytes(b"tjenestekode;sats\nHTAMDK;730\n")

    assert _importer(capsys, monkeypatch, to_koder)[:2] == (
        0,
        "Publiserte satser 2017 versjon 1 (2 koder)\n",
    )
    # The same table again: no new version, and it says so.
    kode, ut, _ = _importer(capsys, monkeypatch, to_koder)
    assert (kode, ut) == (0, "Tabellen er lik versjon 1 som gjelder; ingen ny versjon publisert\n")

    # Dropping LOKO is refused without the flag; the difference is shown first.
    kode, ut, feil = _importer(capsys, monkeypatch, en_kode)
    assert (kode, ut) == (2, "")
    assert "fjernet │ LOKO" in feil and "2284.00" in feil and "endret  │ HTAMDK" in feil
    assert feil.rstrip().endswith(
        "feil: tabellen fjerner 1 koder som gjelder (LOKO); bekreft med --tillat-fjerning"
    )

    # --dry-run shows it and publishes nothing, even with the flag.
    kode, ut, _ = _importer(capsys, monkeypatch, en_kode, "--dry-run", "--tillat-fjerning")
    assert (kode, ut) == (0, "Ingenting publisert (--dry-run).\n")

    kode, ut, _ = _importer(capsys, monkeypatch, en_kode, "--tillat-fjerning")
    assert (kode, ut) == (0, "Publiserte satser 2017 versjon 2 (1 koder)\n")


def _satser(*par: tuple[str, str]) -> dict[str, object]:
    return {"satser": [{"tjenestekode": k, "sats": s} for k, s in par], "kilde": "test"}


def test_api_forhandsviser_og_publiserer_det_som_sendes(klient: TestClient, auth: Token) -> None:
    hdir = auth(HDIR, "sio:oppgjor.write sio:oppgjor.read")
    tabell = _satser(("HTAMDK", "724"), ("LOKO", "2284"))
    forste = klient.put("/v1/satser/2017", json=tabell, headers=hdir)
    assert (forste.status_code, forste.json()) == (
        200,
        {"aar": 2017, "versjon": 1, "ny_versjon": True},
    )

    lik = klient.post("/v1/satser/2017/forhandsvisning", json=tabell, headers=hdir)
    assert lik.json()["ingen_endring"] is True and lik.json()["uendret"] == 2
    # An equal table makes no new version (issue 10: the same rules as the CLI and pages).
    igjen = klient.put("/v1/satser/2017", json=tabell, headers=hdir)
    assert igjen.json() == {"aar": 2017, "versjon": 1, "ny_versjon": False}
    # Rates compare by value: 724 is 724.00.
    som_tekst = _satser(("HTAMDK", "724.00"), ("LOKO", "2284.0"))
    assert klient.put("/v1/satser/2017", json=som_tekst, headers=hdir).json()["versjon"] == 1
    endret = klient.put(
        "/v1/satser/2017", json=_satser(("HTAMDK", "725"), ("LOKO", "2284")), headers=hdir
    )
    assert endret.json() == {"aar": 2017, "versjon": 2, "ny_versjon": True}

    forslag = _satser(("HTAMDK", "731.5"), ("AUI", "270"))
    vis = klient.post("/v1/satser/2017/forhandsvisning", json=forslag, headers=hdir)
    assert (vis.status_code, vis.json()) == (
        200,
        {
            "aar": 2017,
            "gjeldende_versjon": 2,
            "ingen_endring": False,
            "lagt_til": [{"tjenestekode": "AUI", "gjeldende": None, "ny": "270.00"}],
            "fjernet": [{"tjenestekode": "LOKO", "gjeldende": "2284.00", "ny": None}],
            "endret": [{"tjenestekode": "HTAMDK", "gjeldende": "725.00", "ny": "731.50"}],
            "uendret": 0,
        },
    )
    # The preview published nothing. Dropping LOKO, which is in force, must be confirmed.
    assert klient.get("/v1/satser/2017", headers=hdir).json()["versjon"] == 2
    nektet = klient.put("/v1/satser/2017", json=forslag, headers=hdir)
    assert nektet.status_code == 409, nektet.text
    assert "LOKO" in nektet.json()["detail"]
    assert klient.get("/v1/satser/2017", headers=hdir).json()["versjon"] == 2
    ny = klient.put(
        "/v1/satser/2017", json=forslag, headers=hdir, params={"tillat_fjerning": "true"}
    )
    assert ny.json() == {"aar": 2017, "versjon": 3, "ny_versjon": True}

    ugyldig = klient.post(
        "/v1/satser/2017/forhandsvisning", json=_satser(("UKJENT", "1")), headers=hdir
    )
    assert ugyldig.status_code == 422
    les = auth(HDIR, "sio:oppgjor.read")
    assert (
        klient.post("/v1/satser/2017/forhandsvisning", json=forslag, headers=les).status_code == 403
    )


def test_token_fra_annen_datakatalog_gir_forklarende_401(
    klient: TestClient,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    annen = tmp_path / "annen"
    kode, token, _ = kjor(
        capsys,
        monkeypatch,
        "token",
        "--org",
        HDIR,
        "--scope",
        "sio:oppgjor.read",
        "--data-dir",
        str(annen),
    )
    assert kode == 0 and (annen / "signeringsnokkel.pem").exists()
    svar = klient.get("/v1/satser/2017", headers={"Authorization": f"Bearer {token.strip()}"})
    assert svar.status_code == 401
    assert "signert med nøkkelen til en annen datakatalog" in svar.json()["detail"]
