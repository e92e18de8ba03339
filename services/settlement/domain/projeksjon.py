"""A vedtak's volume per quarter in the compact form the settlement projection keeps
(regelverk 4.1-4.4 and 5).

Every figure comes from the same functions the full replay uses (`linjevolumer_av`,
`revisjonsvolum_av`); this module only decides which quarters to ask them about.

A quarter is *regular* for a vedtak when the vedtak is in force every day of it with one
set of values and no fravær: its volume then depends only on the quarter's number of days
(90, 91 or 92). Consecutive regular quarters form one run row holding the volume for each
length that occurs in it; an open-ended vedtak ends in a run with no end. Every other
quarter (the first, the last, one with a change or a fravær) gets a row of its own. So a
vedtak costs a handful of rows however long it runs.

Volumes here ignore the scheme's startdato (regelverk 4.3a): the read applies it, and
falls back to the full replay for the one quarter it cuts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from services.settlement.domain.beregning import linjevolumer_av
from services.settlement.domain.kvartal import dager_i_kvartal, kvartal_for, kvartalsperiode
from services.settlement.domain.revisjon import revisjonsvolum_av
from services.settlement.domain.utfort_tid import timer_i
from services.settlement.domain.vedtakstilstand import Vedtakstilstand
from services.settlement.domain.volum import segmenter

APEN = 10**6  # til_kidx of a run without end (beyond every quarter the API accepts)


def kvartalsindeks(aar: int, kvartal: int) -> int:
    return aar * 4 + kvartal - 1


def kvartal_av(indeks: int) -> tuple[int, int]:
    return indeks // 4, indeks % 4 + 1


def _indeks(dag: date) -> int:
    return kvartalsindeks(*kvartal_for(dag))


# A projection asks these for the same few hundred quarters millions of times.
@lru_cache(maxsize=4096)
def _periode(indeks: int) -> tuple[date, date]:
    return kvartalsperiode(*kvartal_av(indeks))


@lru_cache(maxsize=4096)
def dager(indeks: int) -> int:
    return dager_i_kvartal(*kvartal_av(indeks))


def rapportandeler(
    periode_fra: date, periode_til: date, utforte_timer: Decimal
) -> list[tuple[int, Fraction]]:
    """Each quarter a report's period overlaps, with the report's hours inside it split by
    days (regelverk 5): what the audit of each of those quarters adds up."""
    return [
        (q, timer_i(utforte_timer, periode_fra, periode_til, *_periode(q)))
        for q in range(_indeks(periode_fra), _indeks(periode_til) + 1)
    ]


@dataclass(frozen=True, slots=True)
class Kvartalsrad:
    """The volume of one vedtak and code in quarters fra_kidx..til_kidx, by quarter length.

    `volum` maps a quarter's number of days to the exact volume of such a quarter; a
    single-quarter row has one entry.
    """

    tjenestekode: str
    fra_kidx: int
    til_kidx: int
    volum: Mapping[int, Fraction]

    def nokkel(self) -> tuple[str, int, int, tuple[tuple[int, Fraction], ...]]:
        return self.tjenestekode, self.fra_kidx, self.til_kidx, tuple(sorted(self.volum.items()))


@dataclass(frozen=True, slots=True)
class Projeksjon:
    oppgjor: tuple[Kvartalsrad, ...]  # settlement lines (regelverk 4.4), volume > 0
    revisjon: tuple[Kvartalsrad, ...]  # decided `time` hours (regelverk 5), may be 0


def _uregelmessige(tilstand: Vedtakstilstand, forste: int, siste: int | None) -> set[int]:
    """Quarters in which the vedtak starts, ends, changes values or has fravær."""
    punkter = {forste}
    if siste is not None:
        punkter.add(siste)
    punkter.update(_indeks(p.fra) for p in tilstand.perioder)
    for f in tilstand.fravaer:
        fra, til = _indeks(f.fra), _indeks(f.til)
        if siste is not None:
            til = min(til, siste)
        punkter.update(range(max(fra, forste), til + 1))
    return {p for p in punkter if p >= forste and (siste is None or p <= siste)}


_FORMER: dict[tuple[Any, ...], Projeksjon] = {}


def _form(tilstand: Vedtakstilstand) -> tuple[Any, ...]:
    """Everything `projiser` reads of a vedtak: many vedtak share one (same start, code
    and hours), and then their rows are equal too."""
    return (
        tilstand.gyldig_fra,
        tilstand.siste_dag,
        tuple(
            (p.fra, p.til, p.tjenestekode, p.timer_per_uke, p.bemanningsfaktor)
            for p in tilstand.perioder
        ),
        tuple((f.fra, f.til) for f in tilstand.fravaer),
    )


def projiser(tilstand: Vedtakstilstand) -> Projeksjon:
    """Rows for every quarter the vedtak is in force in, as it stands now."""
    form = _form(tilstand)
    if (kjent := _FORMER.get(form)) is not None:
        return kjent
    if len(_FORMER) > 100_000:
        _FORMER.clear()
    _FORMER[form] = projeksjon = _projiser(tilstand)
    return projeksjon


def _projiser(tilstand: Vedtakstilstand) -> Projeksjon:
    if tilstand.siste_dag is not None and tilstand.siste_dag < tilstand.gyldig_fra:
        return Projeksjon((), ())
    forste = _indeks(tilstand.gyldig_fra)
    siste = None if tilstand.siste_dag is None else _indeks(tilstand.siste_dag)
    oppgjor: list[Kvartalsrad] = []
    revisjon: list[Kvartalsrad] = []
    forrige = forste - 1
    for q in sorted(_uregelmessige(tilstand, forste, siste)):
        if q > forrige + 1:
            _lop(tilstand, forrige + 1, q - 1, oppgjor, revisjon)
        _lop(tilstand, q, q, oppgjor, revisjon)
        forrige = q
    if siste is None:
        _lop(tilstand, forrige + 1, APEN, oppgjor, revisjon)
    elif siste > forrige:
        _lop(tilstand, forrige + 1, siste, oppgjor, revisjon)
    return Projeksjon(tuple(oppgjor), tuple(revisjon))


_Volumer = tuple[tuple[tuple[str, Fraction], ...], tuple[str, Fraction] | None]
_KVARTALER: dict[tuple[Any, ...], _Volumer] = {}


def _kvartalsvolum(tilstand: Vedtakstilstand, q: int) -> _Volumer:
    """(lines, decided `time` hours) of the vedtak in quarter q, from the regelverk.

    The regelverk counts days and nothing else of the calendar (regelverk 4.1-4.3): the
    figures depend only on which days of the quarter each set of values and each fravær
    covers, counted from the quarter's first day. Thousands of vedtak share such a
    quarter (say HTAMDK at 7.5 hours every day), so the regelverk is asked once for each
    pattern and the answer reused; the pattern is the key.
    """
    fra, til = _periode(q)
    nullpunkt = fra.toordinal()
    start = max(nullpunkt, tilstand.gyldig_fra.toordinal())
    slutt = til.toordinal()
    if tilstand.siste_dag is not None:
        slutt = min(slutt, tilstand.siste_dag.toordinal())
    if start > slutt:
        return (), None
    perioder = []
    for p in tilstand.perioder:
        p_fra = max(start, p.fra.toordinal())
        p_til = slutt if p.til is None else min(slutt, p.til.toordinal())
        if p_fra <= p_til:
            perioder.append(
                (
                    p_fra - nullpunkt,
                    p_til - nullpunkt,
                    p.tjenestekode,
                    p.timer_per_uke,
                    p.bemanningsfaktor,
                )
            )
    borte = []
    for f in tilstand.fravaer:
        f_fra, f_til = max(start, f.fra.toordinal()), min(slutt, f.til.toordinal())
        if f_fra <= f_til:
            borte.append((f_fra - nullpunkt, f_til - nullpunkt))
    nokkel = (start - nullpunkt, slutt - nullpunkt, tuple(perioder), tuple(borte))
    if (kjent := _KVARTALER.get(nokkel)) is not None:
        return kjent
    segs = segmenter(tilstand, fra, til)
    svar = (
        tuple((kode, volum) for kode, volum, _ in linjevolumer_av(segs)),
        revisjonsvolum_av(segs),
    )
    if len(_KVARTALER) > 100_000:
        _KVARTALER.clear()
    _KVARTALER[nokkel] = svar
    return svar


def _lop(
    tilstand: Vedtakstilstand,
    fra_q: int,
    til_q: int,
    oppgjor: list[Kvartalsrad],
    revisjon: list[Kvartalsrad],
) -> None:
    """Rows for quarters fra_q..til_q: one quarter, or a run of regular ones whose volume
    is asked of the regelverk for the first quarter of each length in it (eight
    consecutive quarters hold all three)."""
    linjer: dict[str, dict[int, Fraction]] = {}
    rev: dict[str, dict[int, Fraction]] = {}
    sett: set[int] = set()
    for q in range(fra_q, min(til_q, fra_q + 7) + 1):
        lengde = dager(q)
        if lengde in sett:
            continue
        sett.add(lengde)
        kvartalslinjer, funnet = _kvartalsvolum(tilstand, q)
        for kode, volum in kvartalslinjer:
            linjer.setdefault(kode, {})[lengde] = volum
        if funnet is not None:
            rev.setdefault(funnet[0], {})[lengde] = funnet[1]
    oppgjor.extend(Kvartalsrad(k, fra_q, til_q, v) for k, v in linjer.items())
    revisjon.extend(Kvartalsrad(k, fra_q, til_q, v) for k, v in rev.items())
