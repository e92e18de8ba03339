"""Audit: decided vs delivered time per vedtak and tjenestekode (regelverk 5).

Unlike the settlement this view ignores the scheme's startdato (regelverk 4.3a) and
looks at `time` codes only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from operator import itemgetter
from typing import Any, Generic, NamedTuple, TypeVar

from services.settlement.domain.fakta import Kilde, VedtakHendelse
from services.settlement.domain.kvartal import kvartalsperiode
from services.settlement.domain.utfort_tid import Rapport, gjeldende_rapporter
from services.settlement.domain.vedtakstilstand import (
    Vedtakstilstand,
    folde_vedtak,
    grupper_per_vedtak,
)
from services.settlement.domain.volum import Segment, segmenter, sum_volum

INGEN_RAPPORT = "ingen_rapport"
UNDER_TERSKEL = "under_terskel"
OVER_VEDTAK = "over_vedtak"

OVER_VEDTAK_GRENSE = Fraction(11, 10)  # regelverk 5: andel above 1.10

# Where the reports came from, in whichever form the caller keeps it: the full replay names
# them as Kilde objects, the settlement projection as the API's JSON, kept as projected.
K = TypeVar("K")


# Utfort and Revisjonsrad are named tuples, immutable like the frozen dataclasses
# around them: an Oslo-sized audit makes 25,000 of each, and a frozen dataclass's
# constructor took five times as long.
class Utfort(NamedTuple, Generic[K]):
    """A vedtak's reports in force whose period overlaps the quarter (regelverk 5)."""

    andeler: Sequence[Fraction]  # each report's hours inside the quarter, split by days
    kilder: K  # the same reports' sources, in log order


class Revisjonsrad(NamedTuple, Generic[K]):
    """One vedtak in force with a `time` code on at least one day of the quarter."""

    vedtak_id: str
    tjenestekode: str  # its code on its last day in force in the quarter
    vedtatte_timer: Fraction  # regelverk 4.3 volume, fravær excluded, startdato ignored
    utforte_timer: Fraction  # latest reports, split by days at the quarter boundary
    andel: Fraction | None  # None when vedtatte_timer is 0
    flagg: tuple[str, ...]  # in the order ingen_rapport, under_terskel, over_vedtak
    rapporter: K  # the reports that contributed, in log order


@dataclass(frozen=True, slots=True)
class Revisjonstjeneste:
    """Rows grouped by their tjenestekode."""

    tjenestekode: str
    vedtatte_timer: Fraction
    utforte_timer: Fraction
    andel: Fraction | None


@dataclass(frozen=True, slots=True)
class Revisjonsrapport(Generic[K]):
    kommunenummer: str
    aar: int
    kvartal: int
    terskel: Decimal
    tjenester: tuple[Revisjonstjeneste, ...]  # sorted by tjenestekode
    vedtak: tuple[Revisjonsrad[K], ...]  # sorted by vedtak_id


def _andel(utforte: Fraction, vedtatte: Fraction) -> Fraction | None:
    if vedtatte.numerator == 0:
        return None
    # utforte / vedtatte, built from the integers (the constructor reduces and moves any
    # sign up): Fraction's division goes through its operator fallbacks first.
    return Fraction(
        utforte.numerator * vedtatte.denominator, utforte.denominator * vedtatte.numerator
    )


def _flagg(
    vedtatte: Fraction,
    utforte: Fraction,
    andel: Fraction | None,
    har_rapport: bool,
    terskel: Fraction,
) -> tuple[str, ...]:
    # regelverk 5; a row without any report has andel 0, so it also gets under_terskel.
    # Signs are read from the numerators: Fraction's comparison with an int goes through
    # its generic path, and this runs for every vedtak of an audit.
    ingen = vedtatte.numerator > 0 and not har_rapport
    under = andel is not None and _under(andel, terskel)
    over = (andel is not None and _under(OVER_VEDTAK_GRENSE, andel)) or (
        vedtatte.numerator == 0 and utforte.numerator > 0
    )
    return _FLAGGSETT[ingen << 2 | under << 1 | over]


# Every combination of the three flags, in their order, built once: an audit's 25,000
# rows then share eight tuples instead of each building a list and a tuple.
_FLAGGSETT: tuple[tuple[str, ...], ...] = tuple(
    tuple(f for bit, f in ((4, INGEN_RAPPORT), (2, UNDER_TERSKEL), (1, OVER_VEDTAK)) if i & bit)
    for i in range(8)
)


def _under(a: Fraction, b: Fraction) -> bool:
    """a < b, exactly, by cross-multiplying (denominators are positive): the same answer
    as Fraction's comparison at a fraction of its cost, asked twice per vedtak."""
    return a.numerator * b.denominator < b.numerator * a.denominator


def revisjonsvolum(
    tilstand: Vedtakstilstand, q_fra: date, q_til: date
) -> tuple[str, Fraction] | None:
    """(its code on its last day in force in the window, decided `time` hours) for a vedtak
    in force with a `time` code on at least one day of q_fra..q_til; None otherwise."""
    return revisjonsvolum_av(segmenter(tilstand, q_fra, q_til))


def revisjonsvolum_av(segs: Sequence[Segment]) -> tuple[str, Fraction] | None:
    """`revisjonsvolum` from a window's segments (the projection asks for them once)."""
    timesegmenter = [s for s in segs if s.enhet == "time"]
    if not timesegmenter:
        return None  # not in force with a `time` code in the quarter
    # Its code on its last day in force in the quarter, as regelverk 5 words it
    # (after a recoding from `time` to `dogn` that is the `dogn` code).
    return segs[-1].tjenestekode, sum_volum(s.volum for s in timesegmenter)


def vedtatt_utfort(
    kommunenummer: str,
    aar: int,
    kvartal: int,
    hendelser: Iterable[VedtakHendelse],
    terskel: Decimal = Decimal("0.90"),
) -> Revisjonsrapport[tuple[Kilde, ...]]:
    """regelverk 5 for one municipality-quarter from the events known at T (log order)."""
    q_fra, q_til = kvartalsperiode(aar, kvartal)
    alle = list(hendelser)
    vedtatte: list[tuple[str, str, Fraction]] = []
    for vedtak_id, egne in grupper_per_vedtak(alle).items():
        tilstand = folde_vedtak(egne)
        if tilstand is None:
            continue  # annulled: as if it never existed
        if (funnet := revisjonsvolum(tilstand, q_fra, q_til)) is not None:
            vedtatte.append((vedtak_id, *funnet))
    utfort = {
        vedtak_id: utfort_i(rapporter, q_fra, q_til)
        for vedtak_id, rapporter in gjeldende_rapporter(alle).items()
    }
    return sammenstill_revisjon(kommunenummer, aar, kvartal, vedtatte, utfort, (), terskel)


def utfort_i(rapporter: Iterable[Rapport], q_fra: date, q_til: date) -> Utfort[tuple[Kilde, ...]]:
    """The reports whose period overlaps q_fra..q_til, and each one's hours inside it."""
    brukte = sorted(
        (r for r in rapporter if r.periode_fra <= q_til and r.periode_til >= q_fra),
        key=lambda r: r.kilde.posisjon,
    )
    return Utfort(tuple(r.timer_i(q_fra, q_til) for r in brukte), tuple(r.kilde for r in brukte))


def sammenstill_revisjon(
    kommunenummer: str,
    aar: int,
    kvartal: int,
    vedtatte: Iterable[tuple[str, str, Fraction]],
    utfort: Mapping[str, Utfort[K]],
    ingen: K,
    terskel: Decimal,
) -> Revisjonsrapport[K]:
    """regelverk 5 from each vedtak's (vedtak_id, tjenestekode, decided hours) and its
    reports overlapping the quarter (`ingen`: the sources of a vedtak with none); shared
    by the full replay and the settlement projection."""
    terskel_brok = Fraction(terskel)  # exact comparison, never float
    rader = [
        revisjonsrad(vedtak_id, kode, timer, utfort.get(vedtak_id), ingen, terskel_brok)
        for vedtak_id, kode, timer in vedtatte
    ]
    return revisjonsrapport(kommunenummer, aar, kvartal, terskel, rader)


def revisjonsrad(
    vedtak_id: str,
    kode: str,
    timer: Fraction,
    utfort: Utfort[K] | None,
    ingen: K,
    terskel: Fraction,
) -> Revisjonsrad[K]:
    """One vedtak's row: a function of its code, decided hours, reports and the threshold
    alone, so a row computed once stands while those stand."""
    andeler: Sequence[Fraction] = () if utfort is None else utfort.andeler
    utforte = sum_volum(andeler)
    andel = _andel(utforte, timer)
    return Revisjonsrad(
        vedtak_id=vedtak_id,
        tjenestekode=kode,
        vedtatte_timer=timer,
        utforte_timer=utforte,
        andel=andel,
        flagg=_flagg(timer, utforte, andel, bool(andeler), terskel),
        rapporter=ingen if utfort is None else utfort.kilder,
    )


def revisjonsrapport(
    kommunenummer: str,
    aar: int,
    kvartal: int,
    terskel: Decimal,
    rader: Iterable[Revisjonsrad[K]],
) -> Revisjonsrapport[K]:
    """The quarter's rows sorted by vedtak_id, and grouped by their tjenestekode."""
    sortert = sorted(rader, key=itemgetter(0))  # vedtak_id
    return Revisjonsrapport(
        kommunenummer=kommunenummer,
        aar=aar,
        kvartal=kvartal,
        terskel=terskel,
        tjenester=revisjonstjenester([tjenestesummer(sortert)]),
        vedtak=tuple(sortert),
    )


# Per tjenestekode: (decided hours, delivered hours) of some of a quarter's rows.
Tjenestesummer = dict[str, tuple[Fraction, Fraction]]


def tjenestesummer(rader: Iterable[Revisjonsrad[Any]]) -> Tjenestesummer:
    """The rows' decided and delivered hours summed per tjenestekode: a part of the
    quarter's rows gives a part of its sums (`revisjonstjenester` adds the parts)."""
    per_kode: dict[str, list[Revisjonsrad[Any]]] = {}
    for rad in rader:
        per_kode.setdefault(rad.tjenestekode, []).append(rad)
    return {
        kode: (
            sum_volum(r.vedtatte_timer for r in egne),
            sum_volum(r.utforte_timer for r in egne),
        )
        for kode, egne in per_kode.items()
    }


def revisjonstjenester(deler: Iterable[Tjenestesummer]) -> tuple[Revisjonstjeneste, ...]:
    """The quarter's rows per tjenestekode (regelverk 5), sorted by code, from the sums of
    its parts: exact, so the parts may be summed in any order."""
    alle: dict[str, tuple[list[Fraction], list[Fraction]]] = {}
    for summer in deler:
        for kode, (vedtatt, utfort) in summer.items():
            v, u = alle.setdefault(kode, ([], []))
            v.append(vedtatt)
            u.append(utfort)
    tjenester = []
    for kode in sorted(alle):
        kode_vedtatt = sum_volum(alle[kode][0])
        kode_utfort = sum_volum(alle[kode][1])
        tjenester.append(
            Revisjonstjeneste(kode, kode_vedtatt, kode_utfort, _andel(kode_utfort, kode_vedtatt))
        )
    return tuple(tjenester)
