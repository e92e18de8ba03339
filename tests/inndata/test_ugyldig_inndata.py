"""Issue 7, finding 4: bad input is a 4xx problem, never a 500 (both stores).

Deeply nested JSON once raised RecursionError, instants at the edge of the calendar
OverflowError, and a log position beyond 64 bits an integer overflow in the database.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import HOBOL, Token
from tests.settlement.scenario import Aktorer

SKRIV = "sio:vedtak.write"
KANTER = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1969-12-31T23:59:59Z"]
PER_RUTER = [
    "/v1/kommuner/0138/oppgjor/2017/1",
    "/v1/kommuner/0138/oppgjor/2017/1/versjoner",
    "/v1/kommuner/0138/oppgjor/2017/1/vedtak/V1",
    "/v1/oppgjor/2017/1",
    "/v1/kommuner/0138/saldo",
    "/v1/kommuner/0138/grunnlag/2017",
    "/v1/satser/2017",
    "/v1/revisjon/kommuner/0138/2017/1/vedtatt-utfort",
    "/v1/revisjon/kommuner/0138/hendelser",
]


@pytest.fixture
def a(klient: TestClient, auth: Token) -> Aktorer:
    aktorer = Aktorer(klient, auth)
    aktorer.satser(2017)
    aktorer.grunnlag()
    return aktorer


def _dyp(n: int) -> str:
    return "[" * n + "]" * n


@pytest.mark.parametrize("dybde", [33, 1000, 100_000])
def test_dypt_nestet_json_avvises_paa_alle_kroppsruter(
    a: Aktorer, klient: TestClient, auth: Token, dybde: int
) -> None:
    ruter: list[tuple[str, str, dict[str, str], str]] = [
        ("POST", "/v1/hendelser", auth(HOBOL, SKRIV), '{"hendelser": [%s]}'),
        ("PUT", "/v1/satser/2018", a.hdir, '{"satser": %s}'),
        ("PUT", "/v1/kommuner/0138/grunnlag/2018", a.hdir, '{"uttrekk": %s}'),
        ("POST", "/v1/kommuner/0138/utbetalinger", a.hdir, '{"belop": %s}'),
        ("POST", "/v1/kommuner/0138/aar/2016/las", a.hdir, '{"begrunnelse": %s}'),
        ("POST", "/v1/kommuner/0138/aar/2016/gjenapne", a.hdir, '{"begrunnelse": %s}'),
    ]
    for metode, sti, hode, mal in ruter:
        kropp = (mal % _dyp(dybde)).encode()
        svar = klient.request(
            metode, sti, content=kropp, headers=hode | {"Content-Type": "application/json"}
        )
        assert svar.status_code == 400, (sti, svar.text)
        assert "dybde" in svar.json()["detail"], sti


def test_dybde_innenfor_grensen_er_vanlig_valideringsfeil(a: Aktorer, klient: TestClient) -> None:
    svar = klient.put(
        "/v1/kommuner/0138/grunnlag/2018",
        content=b'{"uttrekk": ' + _dyp(30).encode() + b"}",
        headers=a.hdir | {"Content-Type": "application/json"},
    )
    assert svar.status_code == 422, svar.text


@pytest.mark.parametrize("per", KANTER)
def test_per_utenfor_kalenderen_gir_422(a: Aktorer, klient: TestClient, per: str) -> None:
    for sti in PER_RUTER:
        svar = klient.get(sti, params={"per": per}, headers=a.hdir)
        assert svar.status_code == 422, (sti, svar.text)
        assert "per" in svar.json()["detail"], sti


@pytest.mark.parametrize("kant", KANTER)
def test_fra_og_til_utenfor_kalenderen_gir_422(a: Aktorer, klient: TestClient, kant: str) -> None:
    for sti, navn in [
        ("/v1/kommuner/0138/oppgjor/2017/1/endring", "fra"),
        ("/v1/kommuner/0138/oppgjor/2017/1/endring", "til"),
        ("/v1/revisjon/innsyn", "fra"),
        ("/v1/revisjon/innsyn", "til"),
    ]:
        params: dict[str, Any] = {"fra": "2017-01-01T00:00:00Z", navn: kant}
        svar = klient.get(sti, params=params, headers=a.hdir)
        assert svar.status_code == 422, (sti, navn, svar.text)
        assert navn in svar.json()["detail"], (sti, navn)


def test_per_innenfor_grensene_virker(a: Aktorer) -> None:
    assert a.oppgjor(per="1970-01-01T00:00:00Z")["vedtakstilskudd"] == "0.00"
    assert a.oppgjor(per="9998-12-31T23:59:59+14:00")["uttrekk"] == "25450000.00"


@pytest.mark.parametrize("etter", ["9223372036854775808", "99999999999999999999999"])
def test_etter_over_64_bit_gir_422(a: Aktorer, klient: TestClient, etter: str) -> None:
    svar = klient.get(
        "/v1/revisjon/kommuner/0138/hendelser", params={"etter": etter}, headers=a.hdir
    )
    assert svar.status_code == 422, svar.text
    assert [f["felt"] for f in svar.json()["errors"]] == ["query.etter"]


def test_etter_paa_grensen_gir_tom_side(a: Aktorer, klient: TestClient) -> None:
    svar = klient.get(
        "/v1/revisjon/kommuner/0138/hendelser",
        params={"etter": "9223372036854775807"},
        headers=a.hdir,
    )
    assert svar.status_code == 200, svar.text
    assert svar.json()["hendelser"] == []


@pytest.mark.parametrize("q", ["NaN", "sNaN", "1e-999999999", "2"])
def test_ugyldig_q_verdi_i_accept_er_ikke_akseptabel(
    a: Aktorer, klient: TestClient, q: str
) -> None:
    """RFC 9110 12.4.2: a qvalue is 0..1 with three decimals; NaN once raised (a 500)."""
    svar = klient.get("/v1/oppgjor/2017/1", headers=a.hdir | {"Accept": f"text/csv;q={q}"})
    assert svar.status_code == 406, svar.text
