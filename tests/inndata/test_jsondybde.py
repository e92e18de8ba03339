"""The depth scan of raw JSON bytes (shared/jsonkropp.py): exact at the limit, blind to
brackets inside strings, and never fooled by escaped quotes."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from shared.jsonkropp import MAKS_DYBDE, for_dyp
from tests.conftest import HOBOL, Token


def _nest(n: int) -> bytes:
    # Arrays and objects alternating, as a case system might wrap them.
    ut = "1"
    for i in range(n):
        ut = f"[{ut}]" if i % 2 else f'{{"a": {ut}}}'
    return ut.encode()


@pytest.mark.parametrize("n", [1, MAKS_DYBDE - 1, MAKS_DYBDE])
def test_innenfor_grensen(n: int) -> None:
    assert json.loads(_nest(n))  # the fixture is real JSON
    assert for_dyp(_nest(n)) is False


@pytest.mark.parametrize("n", [MAKS_DYBDE + 1, 1000, 100_000])
def test_over_grensen(n: int) -> None:
    assert for_dyp(_nest(n)) is True


def test_klammer_i_strenger_teller_ikke() -> None:
    streng = json.dumps("[" * 100 + '\\"{' * 50 + "\\")
    assert for_dyp(("[" + streng + ", " + streng + "]").encode()) is False


def test_escapet_anforselstegn_avslutter_ikke_strengen() -> None:
    # The string holds  \"[[[...  : its quote is escaped, so the brackets stay inside it.
    inne = json.dumps('\\"' + "[" * 40)
    assert for_dyp(f"[{inne}]".encode()) is False
    # Outside a string the same brackets count.
    assert for_dyp(b'["\\\\"' + b"," + b"[" * 40 + b"]" * 41) is True


def test_mange_grunne_lister_er_ikke_dype() -> None:
    batch = json.dumps({"hendelser": [{"a": [[1]], "b": "{["} for _ in range(1000)]})
    assert for_dyp(batch.encode()) is False


def test_samme_navn_to_ganger_avvises(klient: TestClient, auth: Token) -> None:
    """I-JSON: `{"timer_per_uke": 5, "timer_per_uke": 500}` is refused, not read as 500."""
    kropp = (
        '{"hendelser": [{"hendelse_id": "7d0b4f8e-3f6f-4d4e-9a3c-333333333333", '
        '"type": "VedtakOpphort", "kommunenummer": "0138", "vedtak_id": "V1", '
        '"siste_dag": "2017-01-01", "siste_dag": "2017-02-01"}]}'
    )
    svar = klient.post(
        "/v1/hendelser",
        content=kropp.encode(),
        headers=auth(HOBOL, "sio:vedtak.write") | {"Content-Type": "application/json"},
    )
    assert svar.status_code == 400, svar.text
    assert svar.json()["detail"] == (
        "Kroppen er ikke gyldig JSON: et objekt har samme navn to ganger"
    )
