"""Reads of the settlement projection as known at `per` (regelverk 3; issue 9).

A row version is in force at `per` when it was recorded at or before `per` and not yet
superseded then. The current versions (til_registrert = EVIG) and those superseded after
`per` are two separate index ranges, so neither read walks older history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from fractions import Fraction
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import ColumnElement, CompoundSelect, Select, Table, func, select, union_all

from services.settlement.domain.projeksjon import dager, kvartalsindeks
from services.settlement.domain.revisjon import Utfort
from shared.lagring.database import Lager
from shared.lagring.radlesing import tupler
from shared.lagring.tabeller import (
    EVIG,
    hendelse,
    kommune,
    oppgjorslinje,
    revisjonslinje,
    utfort_tid,
)


@lru_cache(maxsize=65536)
def brok(tekst: str) -> Fraction:
    """An exact volume as stored ("n/d"); many lines share one."""
    return Fraction(tekst)


def _i_kraft(tabell: Table, per: datetime, q: int, *kolonner: Any, **vilkar: Any) -> Select[Any]:
    """The row versions covering quarter `q` in force at `per`, as two index ranges."""
    t = tabell
    volum = t.c[f"volum_{dager(q)}"]
    felles = [t.c.fra_kidx <= q, t.c.til_kidx >= q, t.c.fra_registrert <= per]
    felles += [t.c[k] == v for k, v in vilkar.items()]
    gjeldende = select(*kolonner, volum.label("volum")).where(t.c.til_registrert == EVIG, *felles)
    erstattet = select(*kolonner, volum.label("volum")).where(
        t.c.til_registrert > per, t.c.til_registrert < EVIG, *felles
    )
    return union_all(gjeldende, erstattet)  # type: ignore[return-value]


def siste_kjente_sporring(
    kommunenummer: str | None, per: datetime, nasjonale: bool
) -> CompoundSelect[Any]:
    """The query behind `Projeksjonslesing.siste_kjente`."""
    h = hendelse
    sporringer: list[Select[Any]] = []
    if kommunenummer is None:
        sporringer.append(select(func.max(h.c.registrert).label("t")).where(h.c.registrert <= per))
    else:
        # One index range backwards from `per`, on (kommunenummer, registrert). The
        # municipality is bounded by a range, not by equality, and the order names
        # both columns: with equality the planner takes the municipality as fixed,
        # may walk ix_hendelse_registrert backwards instead, and then steps over every
        # other municipality's later events (9 ms for a large municipality loaded
        # before a small one, where the range reads one index entry).
        sporringer.append(
            select(h.c.registrert.label("t"))
            .where(
                h.c.kommunenummer >= kommunenummer,
                h.c.kommunenummer <= kommunenummer,
                h.c.registrert <= per,
            )
            .order_by(h.c.kommunenummer.desc(), h.c.registrert.desc())
            .limit(1)
        )
        if nasjonale:
            sporringer.append(
                select(func.max(h.c.registrert).label("t")).where(
                    h.c.kommunenummer.is_(None), h.c.registrert <= per
                )
            )
    return union_all(*(q.subquery().select() for q in sporringer))


class Projeksjonslesing:
    def __init__(self, lager: Lager) -> None:
        self.lager = lager

    def linjer(
        self, kommunenummer: str, aar: int, kvartal: int, per: datetime
    ) -> list[tuple[str, str, Fraction]]:
        """(vedtak_id, tjenestekode, exact volume) of every settlement line, startdato not
        applied (regelverk 4.3, 4.4)."""
        return self._rader(oppgjorslinje, kommunenummer, aar, kvartal, per)

    def vedtatte_timer(
        self, kommunenummer: str, aar: int, kvartal: int, per: datetime
    ) -> list[tuple[str, str, Fraction]]:
        """(vedtak_id, tjenestekode on its last day, decided `time` hours) (regelverk 5)."""
        return self._rader(revisjonslinje, kommunenummer, aar, kvartal, per)

    def _rader(
        self, tabell: Table, knr: str, aar: int, kvartal: int, per: datetime
    ) -> list[tuple[str, str, Fraction]]:
        t = tabell
        q = kvartalsindeks(aar, kvartal)
        sporring = _i_kraft(t, per, q, t.c.vedtak_id, t.c.tjenestekode, kommunenummer=knr)
        with self.lager.les() as s:
            rader = tupler(s, sporring)
        return [(r[0], r[1], brok(r[2])) for r in rader]

    def rapporter(
        self,
        kommunenummer: str,
        aar: int,
        kvartal: int,
        per: datetime,
        vedtak_fra: str | None = None,
        vedtak_til: str | None = None,
    ) -> dict[str, Utfort[str]]:
        """Per vedtak, the reports in force at `per` whose period overlaps the quarter:
        each one's hours inside it, as the projection split them, and their sources as a
        JSON array in log order (regelverk 5). With `vedtak_fra` / `vedtak_til`, only the
        vedtak_ids from the one (inclusive) up to the other (exclusive)."""
        u = utfort_tid
        # No ORDER BY: the index range returns the quarter's rows in the order they were
        # written, which is close to log order, and sorting 70,000 wide rows cost the
        # database more than the whole scan (it spilled to disk). Log order matters only
        # within one vedtak's few reports, and is restored there.
        sporring = select(u.c.vedtak_id, u.c.fra_posisjon, u.c.timer_i_kvartalet, u.c.kilde).where(
            u.c.kommunenummer == kommunenummer,
            u.c.kidx == kvartalsindeks(aar, kvartal),
            u.c.fra_registrert <= per,
            u.c.til_registrert > per,
        )
        with self.lager.les() as s:
            if vedtak_fra is not None or vedtak_til is not None:
                # The bounds are compared as Python compares strings, by code point: on
                # PostgreSQL that is the "C" collation, whatever the database's own is.
                vid: ColumnElement[Any] = u.c.vedtak_id
                if s.get_bind().dialect.name == "postgresql":
                    vid = vid.collate("C")
                if vedtak_fra is not None:
                    sporring = sporring.where(vid >= vedtak_fra)
                if vedtak_til is not None:
                    sporring = sporring.where(vid < vedtak_til)
            return utfort_per_vedtak(tupler(s, sporring))

    def siste_kjente(
        self, kommunenummer: str | None, per: datetime, *, nasjonale: bool = False
    ) -> datetime | None:
        """The latest instant at or before `per` at which one of the municipality's events
        was recorded (with `nasjonale`, Hdir's national facts too, such as rates; with no
        municipality, any event): what it held at `per` is what it held then."""
        sporring = siste_kjente_sporring(kommunenummer, per, nasjonale)
        with self.lager.les() as s:
            tider = [t for t in s.execute(sporring).scalars() if t is not None]
        return max(tider, default=None)  # UTCTid: aware UTC already

    def nasjonale_linjer(
        self, aar: int, kvartal: int, per: datetime, kommunenummer: str | None = None
    ) -> dict[str, list[tuple[str, Fraction, int]]]:
        """Per municipality: (tjenestekode, volume, how many vedtak lines have it), summed
        by the database; lines with the same volume cost the same (regelverk 4.4)."""
        t = oppgjorslinje
        q = kvartalsindeks(aar, kvartal)
        vilkar = {} if kommunenummer is None else {"kommunenummer": kommunenummer}
        rader = _i_kraft(t, per, q, t.c.kommunenummer, t.c.tjenestekode, **vilkar).subquery()
        sporring = select(
            rader.c.kommunenummer, rader.c.tjenestekode, rader.c.volum, func.count()
        ).group_by(rader.c.kommunenummer, rader.c.tjenestekode, rader.c.volum)
        ut: dict[str, list[tuple[str, Fraction, int]]] = {}
        with self.lager.les() as s:
            for r in s.execute(sporring):
                ut.setdefault(r[0], []).append((r[1], brok(r[2]), int(r[3])))
        return ut

    def kommuner(self, per: datetime) -> list[str]:
        """Municipalities with any fact known at `per`."""
        sporring = (
            select(kommune.c.kommunenummer)
            .where(kommune.c.registrert <= per)
            .order_by(kommune.c.kommunenummer)
        )
        with self.lager.les() as s:
            return [str(k) for k in s.execute(sporring).scalars()]


def vedtak_med(rader: Iterable[tuple[str, str, Fraction]]) -> list[str]:
    return sorted({r[0] for r in rader})


_posisjon = itemgetter(1)  # a report row's log position


def utfort_per_vedtak(rader: Iterable[Sequence[Any]]) -> dict[str, Utfort[str]]:
    """Report rows (vedtak_id, log position, hours in the quarter, source as JSON), in any
    order, as each vedtak's `Utfort`: its shares and its sources in log order."""
    per_vedtak: defaultdict[str, list[Sequence[Any]]] = defaultdict(list)
    for rad in rader:
        per_vedtak[rad[0]].append(rad)
    ut: dict[str, Utfort[str]] = {}
    for vedtak_id, egne in per_vedtak.items():
        if len(egne) > 1:
            # Nearly always in log order already, which the sort finds in one pass.
            egne.sort(key=_posisjon)
        ut[vedtak_id] = Utfort([brok(r[2]) for r in egne], f"[{','.join([r[3] for r in egne])}]")
    return ut
