"""Reads of the settlement projection as known at `per` (regelverk 3; issue 9).

A row version is in force at `per` when it was recorded at or before `per` and not yet
superseded then. The current versions (til_registrert = EVIG) and those superseded after
`per` are two separate index ranges, so neither read walks older history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from sqlalchemy import CompoundSelect, DateTime, Select, Table, func, select, type_coerce, union_all

from services.settlement.domain.fakta import Kilde
from services.settlement.domain.projeksjon import dager, kvartalsindeks
from services.settlement.domain.utfort_tid import Rapport
from shared.lagring.database import Lager
from shared.lagring.radlesing import tupler
from shared.lagring.tabeller import (
    EVIG,
    hendelse,
    kommune,
    oppgjorslinje,
    revisjonslinje,
    som_utc,
    utfort_tid,
)


@lru_cache(maxsize=4096)
def _dato(tekst: str) -> date:
    return date.fromisoformat(tekst)


@lru_cache(maxsize=4096)
def _desimal(tekst: str) -> Decimal:
    return Decimal(tekst)


# As UTCTid gives it, once per distinct instant: a batch's reports share one.
_utc = lru_cache(maxsize=4096)(som_utc)


_MAKS_RAPPORTER = 250_000


def _ny_rapport(r: Sequence[Any]) -> Rapport:
    """(vedtak_id, periode_fra, periode_til, utforte_timer, fra_posisjon, fra_registrert,
    hendelse_id) as a Rapport."""
    return Rapport(
        vedtak_id=r[0],
        periode_fra=_dato(r[1]),
        periode_til=_dato(r[2]),
        utforte_timer=_desimal(r[3]),
        kilde=Kilde(r[4], _utc(r[5]), r[6], "UtfortTidRapportert"),
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
        # This store's report versions by log position: a position names one event for
        # ever, so its report is the same in every read and every quarter it overlaps.
        # After a change, an audit of a large municipality then builds only the reports
        # it has not seen (issue 9).
        self._rapporter: dict[int, Rapport] = {}

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
        self, kommunenummer: str, aar: int, kvartal: int, per: datetime
    ) -> dict[str, list[Rapport]]:
        """Per vedtak, the reports in force at `per` whose period overlaps the quarter."""
        u = utfort_tid
        q = kvartalsindeks(aar, kvartal)
        felles = [
            u.c.kommunenummer == kommunenummer,
            u.c.kidx == q,
            u.c.fra_registrert <= per,
            u.c.til_registrert > per,
        ]
        sporring = select(
            u.c.vedtak_id,
            u.c.periode_fra,
            u.c.periode_til,
            u.c.utforte_timer,
            u.c.fra_posisjon,
            type_coerce(u.c.fra_registrert, DateTime(timezone=True)),
            u.c.hendelse_id,
        ).where(*felles)
        ut: dict[str, list[Rapport]] = {}
        with self.lager.les() as s:
            rader = tupler(s, sporring)
        kjente = self._rapporter
        if len(kjente) + len(rader) > _MAKS_RAPPORTER:
            kjente.clear()
        for r in rader:
            if (rapport := kjente.get(r[4])) is None:
                rapport = kjente[r[4]] = _ny_rapport(r)
            ut.setdefault(r[0], []).append(rapport)
        return ut

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
