"""A municipality-quarter's settlement as known at T (regelverk 4.3a, 4.4, 4.5).

`beregn_kvartal` is a pure function: the facts known at T in, the settlement with every
line (and the events behind it) out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from itertools import chain, repeat

from services.settlement.domain.avrunding import NULL_KRONER, round_half_up, sum_belop
from services.settlement.domain.fakta import (
    Finansieringsgrunnlag,
    Kilde,
    Satstabell,
    VedtakHendelse,
)
from services.settlement.domain.kvartal import kvartalsperiode
from services.settlement.domain.rundsum import kvartalsandel
from services.settlement.domain.vedtakstilstand import (
    Vedtakstilstand,
    folde_vedtak,
    grupper_per_vedtak,
)
from services.settlement.domain.volum import Segment, segmenter, sum_volum, tjenestekode
from shared.events.katalog import Enhet

MANGLER_SATS = "mangler_sats"
MANGLER_GRUNNLAG = "mangler_grunnlag"


@dataclass(frozen=True, slots=True)
class Advarsel:
    """Something that makes the settlement not issuable yet (regelverk 4.4, 4.6)."""

    kode: str  # MANGLER_SATS or MANGLER_GRUNNLAG
    detail: str
    tjenestekode: str | None = None


@dataclass(frozen=True, slots=True)
class VedtakLinje:
    """One (vedtak, tjenestekode) with volume in the quarter (regelverk 4.4)."""

    vedtak_id: str
    tjenestekode: str
    tjenestegruppe: str
    enhet: Enhet
    volum: Fraction  # exact hours or days
    sats: Decimal | None
    belop: Decimal  # exact amount rounded once to øre; 0.00 when mangler_sats
    mangler_sats: bool
    segmenter: tuple[Segment, ...]
    kilder: tuple[Kilde, ...]  # every event of the vedtak that was applied


@dataclass(frozen=True, slots=True)
class Linje:
    """All vedtak lines of one tjenestekode (regelverk 4.4)."""

    tjenestekode: str
    tjenestegruppe: str
    enhet: Enhet
    volum: Fraction  # exact sum of the vedtak lines' volumes
    sats: Decimal | None
    belop: Decimal  # sum of the rounded vedtak lines
    antall_vedtak: int
    mangler_sats: bool
    vedtak: tuple[VedtakLinje, ...]  # sorted by vedtak_id


@dataclass(frozen=True, slots=True)
class Kvartalsberegning:
    """The settlement of one municipality-quarter (regelverk 4; api.md "Settlements")."""

    kommunenummer: str
    aar: int
    kvartal: int
    vedtakstilskudd: Decimal
    rundsumtilskudd: Decimal
    inntektspaslag: Decimal
    sum: Decimal  # vedtakstilskudd + rundsumtilskudd + inntektspaslag
    uttrekk: Decimal  # shown for comparison only, not paid
    differanse: Decimal  # vedtakstilskudd + rundsumtilskudd - uttrekk
    linjer: tuple[Linje, ...]  # sorted by tjenestekode
    advarsler: tuple[Advarsel, ...]
    satstabell: Satstabell | None  # the inputs used, for traceability
    grunnlag: Finansieringsgrunnlag | None

    @property
    def vedtakslinjer(self) -> tuple[VedtakLinje, ...]:
        return tuple(v for linje in self.linjer for v in linje.vedtak)

    @property
    def mangler_sats(self) -> bool:
        return any(linje.mangler_sats for linje in self.linjer)


def oppgjorsvindu(
    aar: int, kvartal: int, grunnlag: Finansieringsgrunnlag | None
) -> tuple[date, date]:
    """The days of the quarter that are settled: regelverk 4.3a cuts days before the
    scheme's startdato. Empty (fra > til) when the quarter lies wholly before it."""
    q_fra, q_til = kvartalsperiode(aar, kvartal)
    startdato = grunnlag.startdato if grunnlag is not None else None
    return (max(q_fra, startdato) if startdato is not None else q_fra), q_til


def beregn_kvartal(
    kommunenummer: str,
    aar: int,
    kvartal: int,
    hendelser: Iterable[VedtakHendelse],
    satstabell: Satstabell | None,
    grunnlag: Finansieringsgrunnlag | None,
) -> Kvartalsberegning:
    """Compute the quarter from the facts known at T (regelverk 4.1-4.5).

    `hendelser`: the municipality's vedtak events recorded at or before T, in log order;
    reports and vedtak outside the quarter may be among them. `satstabell` is the
    version of the quarter's year in force at T (None if none), `grunnlag` the year's
    finansieringsgrunnlag (None if none).
    """
    _sjekk_inndata(kommunenummer, aar, satstabell, grunnlag)
    fra, q_til = oppgjorsvindu(aar, kvartal, grunnlag)
    satser: Mapping[str, Decimal] = satstabell.satser if satstabell is not None else {}

    vedtakslinjer: list[VedtakLinje] = []
    if fra <= q_til:
        for hendelser_for_vedtak in grupper_per_vedtak(hendelser).values():
            tilstand = folde_vedtak(hendelser_for_vedtak)
            if tilstand is None:
                continue
            for kode, volum, segs in linjevolumer(tilstand, fra, q_til):
                vedtakslinjer.append(
                    vedtakslinje(tilstand.vedtak_id, kode, volum, satser, segs, tilstand.kilder)
                )
    return sammenstill_kvartal(kommunenummer, aar, kvartal, vedtakslinjer, satstabell, grunnlag)


def sammenstill_kvartal(
    kommunenummer: str,
    aar: int,
    kvartal: int,
    vedtakslinjer: Iterable[VedtakLinje],
    satstabell: Satstabell | None,
    grunnlag: Finansieringsgrunnlag | None,
) -> Kvartalsberegning:
    """The quarter from its priced vedtak lines and the funding basis (regelverk 4.4, 4.5).

    Shared by the full replay above and by the settlement projection, which keeps each
    vedtak line's exact volume and prices it here with the table in force at T.
    """
    per_kode: dict[str, list[VedtakLinje]] = {}
    for v in vedtakslinjer:
        per_kode.setdefault(v.tjenestekode, []).append(v)
    linjer = tuple(_kodelinje(kode, per_kode[kode]) for kode in sorted(per_kode))
    return kvartal_av_kodelinjer(kommunenummer, aar, kvartal, linjer, satstabell, grunnlag)


def kodelinje_av_grupper(
    kode: str, grupper: Iterable[tuple[Fraction, int]], satser: Mapping[str, Decimal]
) -> Linje:
    """A tjenestekode line from its vedtak lines' volumes, given as (volume, how many vedtak
    lines have it): the same exact sums of lines rounded once each as `_kodelinje`
    (regelverk 4.4), without a line per vedtak (the national view needs none)."""
    sats = satser.get(kode)
    katalog = tjenestekode(kode)
    liste = list(grupper)
    return Linje(
        tjenestekode=kode,
        tjenestegruppe=katalog.tjenestegruppe,
        enhet=katalog.enhet,
        volum=sum_volum(chain.from_iterable(repeat(v, n) for v, n in liste)),
        sats=sats,
        belop=sum_belop(chain.from_iterable(repeat(linjebelop(v, sats), n) for v, n in liste)),
        antall_vedtak=sum(n for _, n in liste),
        mangler_sats=sats is None,
        vedtak=(),
    )


def kvartal_av_kodelinjer(
    kommunenummer: str,
    aar: int,
    kvartal: int,
    linjer: tuple[Linje, ...],
    satstabell: Satstabell | None,
    grunnlag: Finansieringsgrunnlag | None,
) -> Kvartalsberegning:
    """The quarter from its tjenestekode lines (sorted by code) and the funding basis."""
    _sjekk_inndata(kommunenummer, aar, satstabell, grunnlag)
    startdato = grunnlag.startdato if grunnlag is not None else None
    advarsler: list[Advarsel] = []
    if grunnlag is None:
        advarsler.append(
            Advarsel(
                MANGLER_GRUNNLAG,
                f"Finansieringsgrunnlag for {kommunenummer} i {aar} er ikke publisert; "
                "rundsum, inntektspåslag og uttrekk er satt til 0.00.",
            )
        )
        rundsum = inntektspaslag = uttrekk = NULL_KRONER
    else:
        # regelverk 4.5
        rundsum = kvartalsandel(grunnlag.rundsum, aar, kvartal, startdato)
        inntektspaslag = kvartalsandel(grunnlag.inntektspaslag, aar, kvartal, startdato)
        uttrekk = kvartalsandel(grunnlag.uttrekk, aar, kvartal, startdato)
    for linje in linjer:
        if linje.mangler_sats:
            hvorfor = (
                f"ingen satstabell for {aar} er publisert"
                if satstabell is None
                else f"koden mangler i satstabellen for {aar} (versjon {satstabell.versjon})"
            )
            advarsler.append(
                Advarsel(
                    MANGLER_SATS,
                    f"Ingen sats for {linje.tjenestekode}: {hvorfor}.",
                    linje.tjenestekode,
                )
            )

    vedtakstilskudd = sum_belop(linje.belop for linje in linjer)
    return Kvartalsberegning(
        kommunenummer=kommunenummer,
        aar=aar,
        kvartal=kvartal,
        vedtakstilskudd=vedtakstilskudd,
        rundsumtilskudd=rundsum,
        inntektspaslag=inntektspaslag,
        sum=sum_belop((vedtakstilskudd, rundsum, inntektspaslag)),
        uttrekk=uttrekk,
        differanse=sum_belop((vedtakstilskudd, rundsum, -uttrekk)),
        linjer=linjer,
        advarsler=tuple(advarsler),
        satstabell=satstabell,
        grunnlag=grunnlag,
    )


def linjevolumer(
    tilstand: Vedtakstilstand, fra: date, til: date
) -> list[tuple[str, Fraction, tuple[Segment, ...]]]:
    """(tjenestekode, exact volume, segments) of a vedtak within fra..til, one per code it
    had there (it may be recoded); codes without volume give no line (regelverk 4.4)."""
    return linjevolumer_av(segmenter(tilstand, fra, til))


def linjevolumer_av(
    segmenter: Iterable[Segment],
) -> list[tuple[str, Fraction, tuple[Segment, ...]]]:
    """`linjevolumer` from a window's segments (the projection asks for them once)."""
    per_kode: dict[str, list[Segment]] = {}
    for s in segmenter:
        per_kode.setdefault(s.tjenestekode, []).append(s)
    ut = []
    for kode, segs in per_kode.items():
        volum = segs[0].volum if len(segs) == 1 else sum_volum(s.volum for s in segs)
        if volum <= 0:
            continue  # no line without volume (e.g. absent the whole quarter)
        ut.append((kode, volum, tuple(segs)))
    return ut


def vedtakslinje(
    vedtak_id: str,
    kode: str,
    volum: Fraction,
    satser: Mapping[str, Decimal],
    segmenter: tuple[Segment, ...] = (),
    kilder: tuple[Kilde, ...] = (),
) -> VedtakLinje:
    """One priced vedtak line (regelverk 4.4)."""
    katalog = tjenestekode(kode)
    sats = satser.get(kode)
    return VedtakLinje(
        vedtak_id=vedtak_id,
        tjenestekode=kode,
        tjenestegruppe=katalog.tjenestegruppe,
        enhet=katalog.enhet,
        volum=volum,
        sats=sats,
        belop=linjebelop(volum, sats),
        mangler_sats=sats is None,
        segmenter=segmenter,
        kilder=kilder,
    )


@lru_cache(maxsize=65536)
def linjebelop(volum: Fraction, sats: Decimal | None) -> Decimal:
    """regelverk 4.4: the exact amount over all days, rounded once to øre; 0.00 without a
    sats. Many lines share a volume, so the projection's reads hit the cache."""
    return NULL_KRONER if sats is None else round_half_up(volum * _brok(sats), 2)


@lru_cache(maxsize=1024)
def _brok(sats: Decimal) -> Fraction:
    # A price table has a few dozen rates; converting each once saves time per vedtak.
    return Fraction(sats)


def _kodelinje(kode: str, vedtakslinjer: list[VedtakLinje]) -> Linje:
    vedtak = tuple(sorted(vedtakslinjer, key=lambda v: v.vedtak_id))
    katalog = tjenestekode(kode)
    return Linje(
        tjenestekode=kode,
        tjenestegruppe=katalog.tjenestegruppe,
        enhet=katalog.enhet,
        volum=sum_volum(v.volum for v in vedtak),
        sats=vedtak[0].sats,
        # regelverk 4.4: exact sum of the rounded vedtak lines.
        belop=sum_belop(v.belop for v in vedtak),
        antall_vedtak=len(vedtak),
        mangler_sats=any(v.mangler_sats for v in vedtak),
        vedtak=vedtak,
    )


def _sjekk_inndata(
    kommunenummer: str,
    aar: int,
    satstabell: Satstabell | None,
    grunnlag: Finansieringsgrunnlag | None,
) -> None:
    # Wrong-year inputs are a caller's bug; silently pricing with them would not be.
    if satstabell is not None and satstabell.aar != aar:
        raise ValueError(f"satstabellen gjelder {satstabell.aar}, ikke {aar}")
    if grunnlag is not None and (grunnlag.aar != aar or grunnlag.kommunenummer != kommunenummer):
        raise ValueError(
            f"grunnlaget gjelder {grunnlag.kommunenummer} {grunnlag.aar}, "
            f"ikke {kommunenummer} {aar}"
        )


def tjenestegruppe_sum(beregning: Kvartalsberegning) -> dict[str, Decimal]:
    """Amount per reporting group (regelverk 2, 4.4: exact sums of rounded lines)."""
    grupper: dict[str, list[Decimal]] = {}
    for linje in beregning.linjer:
        grupper.setdefault(linje.tjenestegruppe, []).append(linje.belop)
    return {gruppe: sum_belop(grupper[gruppe]) for gruppe in sorted(grupper)}


def hovedgruppe_sum(beregning: Kvartalsberegning) -> dict[str, Decimal]:
    """Amount per main group (institusjon, helsetjenester_og_praktisk_bistand, andre_tjenester;
    regelverk 2)."""
    grupper: dict[str, list[Decimal]] = {}
    for linje in beregning.linjer:
        hovedgruppe = tjenestekode(linje.tjenestekode).hovedgruppe
        grupper.setdefault(hovedgruppe, []).append(linje.belop)
    return {gruppe: sum_belop(grupper[gruppe]) for gruppe in sorted(grupper)}
