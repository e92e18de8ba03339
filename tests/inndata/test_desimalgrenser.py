"""Issue 7, finding 2: a decimal's digits and exponent are bounded before any arithmetic.

`terskel=1e-20000000` once held the process for 17 s, `timer_per_uke="1e-999000"` grew the
store by megabytes, and `"1e-5000000"` passed "> 0" and was stored as "0". Every decimal
is now refused with 422 beyond its documented bounds, on both stores. No timings here: a
regression would make these tests hang, not fail a threshold.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.system.cli import les_satsfil
from services.system.feilgrense import Brukerfeil
from tests.conftest import HOBOL, Token
from tests.hendelser import fattet, rapport
from tests.settlement.scenario import Aktorer

SKRIV = "sio:vedtak.write"
REVISJON = "/v1/revisjon/kommuner/0138/2017/1/vedtatt-utfort"


@pytest.fixture
def a(klient: TestClient, auth: Token) -> Aktorer:
    aktorer = Aktorer(klient, auth)
    aktorer.satser(2017)
    aktorer.grunnlag()
    return aktorer


def _send_raa(klient: TestClient, auth: Token, tekst: str) -> Any:
    return klient.post(
        "/v1/hendelser",
        content=tekst.encode(),
        headers=auth(HOBOL, SKRIV) | {"Content-Type": "application/json"},
    )


@pytest.mark.parametrize("terskel", ["1e-20000000", "1e-999999999", "1e999999999", "0.123456"])
def test_terskel_med_stor_eksponent_eller_mange_desimaler_avvises(
    a: Aktorer, klient: TestClient, terskel: str
) -> None:
    svar = klient.get(REVISJON, params={"terskel": terskel}, headers=a.hdir)
    assert svar.status_code == 422, svar.text
    assert "terskel" in svar.json()["detail"]


def test_terskel_innenfor_grensene_virker(a: Aktorer, klient: TestClient) -> None:
    svar = klient.get(REVISJON, params={"terskel": "0.8500"}, headers=a.hdir)
    assert svar.status_code == 200, svar.text
    assert svar.json()["terskel"] == "0.85"


@pytest.mark.parametrize("timer", ["1e-999000", "1e-5000000", "1E-30", "7.5000000000000000001"])
def test_timer_med_liten_eksponent_avvises_som_streng(
    a: Aktorer, klient: TestClient, auth: Token, timer: str
) -> None:
    svar = klient.post(
        "/v1/hendelser",
        json={"hendelser": [fattet("V1", timer_per_uke=timer)]},
        headers=auth(HOBOL, SKRIV),
    )
    assert svar.status_code == 422, svar.text
    assert [f["felt"] for f in svar.json()["errors"]] == ["timer_per_uke"]
    assert a.oppgjor()["vedtakstilskudd"] == "0.00"


@pytest.mark.parametrize("tall", ["1e-999999999", "1e999999999", "1E-5000000"])
def test_json_tall_med_enorm_eksponent_fryser_ikke_tolkningen(
    a: Aktorer, klient: TestClient, auth: Token, tall: str
) -> None:
    for felt in ("timer_per_uke", "bemanningsfaktor"):
        h = json.dumps(fattet("V1")).replace('"vedtaksdato"', f'"{felt}": {tall}, "vedtaksdato"')
        h = h.replace(f'"timer_per_uke": "7.5", "{felt}"', f'"{felt}"')
        svar = _send_raa(klient, auth, '{"hendelser": [' + h + "]}")
        assert svar.status_code == 422, svar.text
        assert [f["felt"] for f in svar.json()["errors"]] == [felt]
    svar = klient.put(
        "/v1/kommuner/0138/grunnlag/2017",
        content=f'{{"uttrekk": {tall}, "rundsum": "1", "inntektspaslag": "1"}}'.encode(),
        headers=a.hdir | {"Content-Type": "application/json"},
    )
    assert svar.status_code == 422, svar.text
    assert [f["felt"] for f in svar.json()["errors"]] == ["uttrekk"]


def test_timer_innenfor_grensene_lagres_eksakt(a: Aktorer) -> None:
    a.send(
        fattet("V1", timer_per_uke="7.500000"), rapport("V1", "2017-01-01", "2017-01-31", 12.125)
    )
    rader = a.k.get(
        "/v1/revisjon/kommuner/0138/hendelser", params={"vedtak_id": "V1"}, headers=a.hdir
    ).json()["hendelser"]
    assert [r["data"].get("timer_per_uke") for r in rader] == ["7.5", None]
    assert [r["data"].get("utforte_timer") for r in rader] == [None, "12.125"]


@pytest.mark.parametrize("belop", ["1e-999999", "10.001", "1E+20"])
def test_belop_utenfor_grensene_avvises(a: Aktorer, klient: TestClient, belop: str) -> None:
    svar = klient.post(
        "/v1/kommuner/0138/utbetalinger",
        json={"aar": 2017, "kvartal": 1, "belop": belop, "betalt_dato": "2017-04-01"},
        headers=a.hdir,
    )
    assert svar.status_code == 422, svar.text
    kropp = svar.json()
    felter = [f["felt"] for f in kropp.get("errors") or []]
    assert felter == ["belop"] or (felter == [] and kropp["detail"].startswith("belop")), kropp


def test_satsfil_med_enorm_eksponent_avvises_i_importen(tmp_path: Any) -> None:
    fil = tmp_path / "satser.csv"
    fil.write_text("tjenestekode;sats\nHTAMDK;1e-999999999\n", encoding="utf-8")
    with pytest.raises(Brukerfeil, match="rad 2"):
        les_satsfil(fil, 2017)


@pytest.mark.parametrize("tekst", ["١٢", "１２", "1_000", "NaN", "-Infinity", "0x10"])
def test_desimaler_skrives_med_ascii_sifre(
    a: Aktorer, klient: TestClient, auth: Token, tekst: str
) -> None:
    """Python's Decimal reads Arabic-Indic and full-width digits and underscores; the
    contract does not (the same rule as for kommunenummer, issue 7 finding 10)."""
    svar = klient.post(
        "/v1/hendelser",
        json={"hendelser": [fattet("VA", timer_per_uke=tekst)]},
        headers=auth(HOBOL, SKRIV),
    )
    assert svar.status_code == 422, svar.text
    assert [e["felt"] for e in svar.json()["errors"]] == ["timer_per_uke"]
    terskel = klient.get(REVISJON, params={"terskel": tekst}, headers=a.hdir)
    assert terskel.status_code == 422, terskel.text
    assert a.k.get(REVISJON, headers=a.hdir).json()["vedtak"] == []  # nothing was stored
