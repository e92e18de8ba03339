"""The instant a municipality last changed is one index probe, whatever else the store
holds (issue 9, ADR 14): every cached read starts with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from services.settlement.adapters.projeksjonslesing import siste_kjente_sporring
from services.settlement.adapters.projektor import KOLONNER
from services.system.bootstrap import Tjenester
from shared.lagring.masseinnsetting import sett_inn
from shared.lagring.tabeller import hendelse

START = datetime(2026, 1, 1, tzinfo=UTC)


def _journal(t: Tjenester, knr: str | None, fra: int, antall: int) -> None:
    rader = [
        (
            fra + i,
            START + timedelta(seconds=fra + i),
            "UtfortTidRapportert" if knr else "SatserPublisert",
            None,
            knr,
            f"V{i}" if knr else None,
            None,
            None,
            {"type": "x"},
        )
        for i in range(antall)
    ]
    with t.lager.transaksjon() as s:
        sett_inn(
            s,
            hendelse,
            KOLONNER,
            rader,
        )


def test_stor_kommune_foran_en_liten_leses_med_ett_indeksoppslag(tjenester: Tjenester) -> None:
    t = tjenester
    # A large municipality's ten years, then a small one's year after it, then a rate.
    _journal(t, "1101", 1, 20_000)
    _journal(t, "1102", 20_001, 3_000)
    _journal(t, None, 23_001, 1)
    per = START + timedelta(days=1)
    les = t.oppgjor.projeksjon
    assert les.siste_kjente("1101", per) == START + timedelta(seconds=20_000)
    assert les.siste_kjente("1101", per, nasjonale=True) == START + timedelta(seconds=23_001)
    assert les.siste_kjente("1102", START + timedelta(seconds=20_500)) == START + timedelta(
        seconds=20_500
    )
    assert les.siste_kjente(None, per) == START + timedelta(seconds=23_001)
    assert les.siste_kjente("1103", per) is None
    if t.lager.er_sqlite:
        return
    with t.lager.transaksjon() as s:
        s.execute(text("ANALYZE hendelse"))
    sporring = siste_kjente_sporring("1101", per, nasjonale=True)
    with t.lager.les() as s:
        kompilert = sporring.compile(dialect=s.get_bind().dialect)
        plan = "\n".join(
            r[0]
            for r in s.connection().exec_driver_sql(
                "EXPLAIN (ANALYZE, FORMAT TEXT) " + str(kompilert), kompilert.params
            )
        )
    # Walking ix_hendelse_registrert backwards would step over the small municipality's
    # 3,000 later events before it found the large one's latest.
    assert "ix_hendelse_registrert" not in plan, plan
    assert "Rows Removed by Filter" not in plan, plan
