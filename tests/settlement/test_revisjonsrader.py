"""The audit recomputes only the vedtak whose inputs changed (issue 9), both stores.

Each answer must still be exactly what a service with nothing kept computes for the same
instant: after a new report, after an endret, at another threshold, and as known before
the change once the later answer has been computed.
"""

from __future__ import annotations

import time
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from services.settlement.application.revisjon import Revisjonstjeneste
from services.settlement.application.revisjonsrader import KjentRad, Revisjonsrader
from services.settlement.domain.revisjon import revisjonsrad
from services.system.bootstrap import Tjenester
from shared.lagring.logg import naa
from tests.hendelser import endret, fattet, rapport

KNR = "0138"


def _send(t: Tjenester, *hendelser: dict[str, Any]) -> datetime:
    t.mottak.motta(list(hendelser), None)
    t.projektor.ta_igjen()
    time.sleep(0.002)  # the next batch is recorded at a later instant
    return naa()


def _revisjon(tjeneste: Revisjonstjeneste, per: datetime, terskel: str = "0.90") -> Any:
    return tjeneste.vedtatt_utfort(KNR, 2017, 1, per, Decimal(terskel))


def _fersk(t: Tjenester, per: datetime, terskel: str = "0.90") -> Any:
    return _revisjon(Revisjonstjeneste(t.oppgjor, t.lesemodell), per, terskel)


def test_bare_endrede_vedtak_regnes_paa_nytt_og_svaret_er_det_samme(
    tjenester: Tjenester,
) -> None:
    t = tjenester
    for_ = _send(
        t,
        fattet("V1"),
        fattet("V2"),
        fattet("V3"),
        rapport("V1", "2017-01-01", "2017-01-31", 30),
        rapport("V3", "2017-01-01", "2017-01-31", 20),
    )
    svar_for = _revisjon(t.revisjon, for_)
    assert svar_for == _fersk(t, for_)
    etter = _send(
        t,
        rapport("V2", "2017-02-01", "2017-02-28", 31),
        endret("V3", "2017-03-01", timer_per_uke="9.5"),
    )
    svar_etter = _revisjon(t.revisjon, etter)
    assert svar_etter == _fersk(t, etter)

    rader_for = {r["vedtak_id"]: r for r in svar_for["vedtak"]}
    rader_etter = {r["vedtak_id"]: r for r in svar_etter["vedtak"]}
    assert rader_etter["V1"] is rader_for["V1"]  # unchanged: the kept row, not recomputed
    for endret_vedtak in ("V2", "V3"):
        assert rader_etter[endret_vedtak] != rader_for[endret_vedtak]
    assert len(rader_etter["V2"]["rapporter"]) == 1
    assert svar_etter["tjenester"] != svar_for["tjenester"]

    # As known before the change, asked of a service whose kept rows are the later ones.
    annen = Revisjonstjeneste(t.oppgjor, t.lesemodell)
    assert _revisjon(annen, etter) == svar_etter
    assert _revisjon(annen, for_) == svar_for
    # Another threshold is another set of rows: the flags follow it.
    lav = _revisjon(t.revisjon, etter, "0.10")
    assert lav == _fersk(t, etter, "0.10")
    assert [r["flagg"] for r in lav["vedtak"]] != [r["flagg"] for r in svar_etter["vedtak"]]


def test_de_minst_brukte_revisjonene_viker_naar_radene_passerer_grensen() -> None:
    def rader(*vedtak: str) -> dict[str, KjentRad[dict[str, str]]]:
        ut: dict[str, KjentRad[dict[str, str]]] = {}
        for v in vedtak:
            rad = revisjonsrad(v, "HTAMDK", Fraction(1), None, "[]", Fraction(9, 10))
            ut[v] = (("HTAMDK", Fraction(1), None), rad, {"vedtak_id": v})
        return ut

    lager: Revisjonsrader[dict[str, str]] = Revisjonsrader(maks_rader=3)
    lager.legg("a", rader("V1", "V2"))
    lager.legg("b", rader("V3"))
    assert set(lager.hent("a")) == {"V1", "V2"}  # now the most recently used
    lager.legg("c", rader("V4", "V5"))  # 5 rows: "b" goes first, then "a"
    assert lager.hent("b") == {}
    assert lager.hent("a") == {}
    assert set(lager.hent("c")) == {"V4", "V5"}
    lager.legg("d", rader("V6", "V7", "V8", "V9"))  # alone above the bound: kept alone
    assert lager.hent("c") == {}
    assert set(lager.hent("d")) == {"V6", "V7", "V8", "V9"}
