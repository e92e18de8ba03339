"""Kept audit answers never outlive what they were computed from (issue 9), both stores.

The audit of a quarter is kept under the instant its municipality last changed. A later
event must show at once in a read as known now, and must not show in a read as known at an
instant before it, whichever of the two was asked first.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.settlement.application.resultatlager import Resultatlager
from tests.hendelser import endret, fattet, rapport
from tests.settlement.scenario import Aktorer

STI = "/v1/revisjon/kommuner/0138/2017/1/vedtatt-utfort"


@pytest.fixture
def a(klient: TestClient, auth: Any) -> Aktorer:
    aktorer = Aktorer(klient, auth)
    aktorer.satser(2017)
    aktorer.grunnlag()
    return aktorer


def _revisjon(a: Aktorer, **params: str) -> dict[str, Any]:
    svar = a.k.get(STI, params=params, headers=a.hdir)
    assert svar.status_code == 200, svar.text
    return dict(svar.json())


def _uten_per(svar: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in svar.items() if k != "per"}


def test_ny_hendelse_vises_naa_men_ikke_for_den(a: Aktorer) -> None:
    a.send(fattet("V1"), rapport("V1", "2017-01-01", "2017-01-31", 30))
    for_ = _revisjon(a)
    per_for = datetime.now(UTC).isoformat()
    assert _uten_per(_revisjon(a)) == _uten_per(for_)  # a kept answer, same figures

    a.send(
        rapport("V1", "2017-02-01", "2017-02-28", 31),
        endret("V1", "2017-03-01", timer_per_uke="9.5"),
    )
    etter = _revisjon(a)
    assert etter["vedtak"] != for_["vedtak"]
    assert len(etter["vedtak"][0]["rapporter"]) == 2
    assert etter["vedtak"][0]["vedtatte_timer"] != for_["vedtak"][0]["vedtatte_timer"]
    # As known before the second batch: the first answer, figure for figure.
    da = _revisjon(a, per=per_for)
    assert _uten_per(da) == _uten_per(for_)
    assert da["per"] != for_["per"]  # each answer names the instant it was asked for


def test_fortid_spurt_forst_gir_ikke_naatid_senere(a: Aktorer) -> None:
    a.send(fattet("V1"), rapport("V1", "2017-01-01", "2017-01-31", 30))
    per_for = datetime.now(UTC).isoformat()
    da = _revisjon(a, per=per_for)  # kept under the first batch's instant
    a.send(rapport("V1", "2017-01-01", "2017-01-31", 12))  # supersedes the report
    naa = _revisjon(a)
    assert naa["vedtak"][0]["utforte_timer"] == "12.0000"
    assert _revisjon(a, per=per_for)["vedtak"] == da["vedtak"]
    assert da["vedtak"][0]["utforte_timer"] == "30.0000"


def test_lageret_gir_plass_etter_vekt() -> None:
    lager: Resultatlager[list[int]] = Resultatlager(maks_vekt=10)
    beregnet: list[str] = []

    def svar(nokkel: str, n: int) -> list[int]:
        def beregn() -> list[int]:
            beregnet.append(nokkel)
            return [0] * n

        return lager.hent_eller_beregn(nokkel, beregn, len)

    svar("a", 6)
    svar("a", 6)
    assert beregnet == ["a"]
    svar("b", 6)  # 12 > 10: the least recently used answer goes
    svar("a", 6)
    assert beregnet == ["a", "b", "a"]
    svar("stor", 11)  # heavier than the bound: answered, never kept
    svar("stor", 11)
    assert beregnet == ["a", "b", "a", "stor", "stor"]


def _oppgjor(a: Aktorer, sti: str, **params: str) -> dict[str, Any]:
    svar = a.k.get(sti, params=params, headers=a.hdir)
    assert svar.status_code == 200, svar.text
    return dict(svar.json())


@pytest.mark.parametrize(
    "sti",
    ["/v1/kommuner/0138/oppgjor/2017/1", "/v1/oppgjor/2017/1"],
    ids=["kvartal", "nasjonalt"],
)
def test_kvartal_og_nasjonalt_folger_nye_satser_og_vedtak(a: Aktorer, sti: str) -> None:
    a.send(fattet("V1"))
    for_ = _oppgjor(a, sti)
    assert _uten_per(_oppgjor(a, sti)) == _uten_per(for_)
    per_for = datetime.now(UTC).isoformat()
    # A national fact (a re-published rate) changes the municipality's amounts.
    a.satser(2017, endringer={"HTAMDK": "800.00"})
    med_ny_sats = _oppgjor(a, sti)
    assert _uten_per(med_ny_sats) != _uten_per(for_)
    per_sats = datetime.now(UTC).isoformat()
    a.send(fattet("V2"))
    med_v2 = _oppgjor(a, sti)
    assert _uten_per(med_v2) != _uten_per(med_ny_sats)
    # As known before each change: exactly what was answered then.
    assert _uten_per(_oppgjor(a, sti, per=per_for)) == _uten_per(for_)
    assert _uten_per(_oppgjor(a, sti, per=per_sats)) == _uten_per(med_ny_sats)
