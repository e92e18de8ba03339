"""A small exact calculator for calibrating the demo (regelverk 4.1-4.4, demo scope).

It reads the contract events (api.md dicts) in recorded order and prices every counted
day with Fraction arithmetic, rounding once per (vedtak, tjenestekode, quarter) line.
It is deliberately independent of services.settlement.domain so that the two can be
cross-checked; it knows only what the demo needs (no price versions, no year locks).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from services.settlement.demo import kalender, kilder
from services.settlement.demo.kalender import Kvartal, antall_dager
from shared.events import tjenestekoder

Intervall = tuple[date, date]
_FELT = ("tjenestekode", "timer_per_uke", "bemanningsfaktor")


def _dato(verdi: Any) -> date:
    return verdi if isinstance(verdi, date) else date.fromisoformat(str(verdi))


def avrund_ore(belop: Fraction) -> Decimal:
    """Round half up to øre (amounts here are never negative)."""
    ore = (belop * 100 + Fraction(1, 2)).__floor__()
    return Decimal(ore).scaleb(-2)


@dataclass(frozen=True)
class Segment:
    """Days fra..til with constant values; faktor is hours per day (time) or 1 (dogn)."""

    fra: date
    til: date
    tjenestekode: str
    faktor: Fraction
    per_time: bool


@dataclass(frozen=True)
class Tilstand:
    """A vedtak's resolved state after all its events (regelverk 4.1, 4.2)."""

    kommunenummer: str
    vedtak_id: str
    segmenter: tuple[Segment, ...]
    fravaer: tuple[Intervall, ...]  # merged, non-overlapping

    def telte_dager(self, seg: Segment, fra: date, til: date) -> int:
        a, b = max(seg.fra, fra), min(seg.til, til)
        n = antall_dager(a, b)
        if n and seg.per_time:  # fravær only reduces time codes (4.2)
            n -= sum(antall_dager(max(a, f), min(b, t)) for f, t in self.fravaer)
        return n

    def volum(self, fra: date, til: date) -> Fraction:
        """Decided volume in fra..til: hours incl. bemanningsfaktor, or days."""
        return sum((s.faktor * self.telte_dager(s, fra, til) for s in self.segmenter), Fraction(0))

    @property
    def siste_dag(self) -> date:
        return self.segmenter[-1].til


def _slaa_sammen(intervaller: Iterable[Intervall]) -> tuple[Intervall, ...]:
    ut: list[Intervall] = []
    for fra, til in sorted(intervaller):
        if ut and fra <= ut[-1][1] + timedelta(days=1):
            ut[-1] = (ut[-1][0], max(ut[-1][1], til))
        else:
            ut.append((fra, til))
    return tuple(ut)


def tilstand(hendelser: Sequence[Mapping[str, Any]], horisont: date) -> Tilstand | None:
    """Resolve one vedtak's events (in recorded order); None if annulled or never fattet.

    For each field the value on a day is the one from the latest-recorded event that
    names the field and takes effect on or before that day (4.1). An open end is cut
    at `horisont`.
    """
    fattet: Mapping[str, Any] | None = None
    kilder_: list[tuple[date, Mapping[str, Any]]] = []  # (effective, event) in order
    siste: date | None = None
    fravaer: dict[str, Intervall] = {}
    for h in hendelser:
        t = h["type"]
        if t == "VedtakFattet":
            fattet = h
            kilder_.append((_dato(h["gyldig_fra"]), h))
            siste = _dato(h["gyldig_til"]) if h.get("gyldig_til") else None
        elif t == "VedtakEndret":
            kilder_.append((_dato(h["gjelder_fra"]), h))
        elif t == "VedtakOpphort":
            siste = _dato(h["siste_dag"])
        elif t == "VedtakAnnullert":
            return None
        elif t == "FravaerRegistrert":
            fravaer[h["fravaer_id"]] = (_dato(h["fra"]), _dato(h["til"]))
        elif t == "FravaerAnnullert":
            fravaer.pop(h["fravaer_id"], None)
    if fattet is None:
        return None
    gyldig_fra = _dato(fattet["gyldig_fra"])
    slutt = min(siste, horisont) if siste else horisont
    if slutt < gyldig_fra:
        return None
    starter = sorted({eff for eff, _ in kilder_ if gyldig_fra <= eff <= slutt})
    segmenter: list[Segment] = []
    for i, start in enumerate(starter):
        til = starter[i + 1] - timedelta(days=1) if i + 1 < len(starter) else slutt
        verdier: dict[str, Any] = {}
        for eff, h in kilder_:  # recorded order: later overwrites earlier
            if eff <= start:
                for f in _FELT:
                    if h.get(f) is not None:
                        verdier[f] = h[f]
        kode = str(verdier["tjenestekode"])
        per_time = tjenestekoder()[kode].enhet == "time"
        faktor = (
            Fraction(str(verdier["timer_per_uke"])) * int(verdier.get("bemanningsfaktor") or 1) / 7
            if per_time
            else Fraction(1)
        )
        if segmenter and (segmenter[-1].tjenestekode, segmenter[-1].faktor) == (kode, faktor):
            segmenter[-1] = Segment(segmenter[-1].fra, til, kode, faktor, per_time)
        else:
            segmenter.append(Segment(start, til, kode, faktor, per_time))
    return Tilstand(
        kommunenummer=str(fattet["kommunenummer"]),
        vedtak_id=str(fattet["vedtak_id"]),
        segmenter=tuple(segmenter),
        fravaer=_slaa_sammen(fravaer.values()),
    )


@dataclass(frozen=True)
class Linje:
    """One settlement line: a (vedtak, tjenestekode) in a quarter (regelverk 4.4)."""

    kommunenummer: str
    vedtak_id: str
    kvartal: Kvartal
    tjenestekode: str
    volum: Fraction
    belop: Decimal

    @property
    def tjenestegruppe(self) -> str:
        return tjenestekoder()[self.tjenestekode].tjenestegruppe


@dataclass
class Kalkulator:
    satser: Mapping[int, Mapping[str, Decimal]] = field(default_factory=kilder.satser)
    perioder: Sequence[Kvartal] = kalender.PERIODER

    def linjer_for_vedtak(self, hendelser: Sequence[Mapping[str, Any]]) -> list[Linje]:
        t = tilstand(hendelser, self.perioder[-1].slutt)
        return [] if t is None else self.linjer(t)

    def linjer(self, t: Tilstand) -> list[Linje]:
        ut: list[Linje] = []
        for kv in self.perioder:
            fra, til = kalender.telte_dager(kv)
            volum: dict[str, Fraction] = {}
            for seg in t.segmenter:
                if seg.til < fra or seg.fra > til:
                    continue
                n = t.telte_dager(seg, fra, til)
                if n:
                    volum[seg.tjenestekode] = volum.get(seg.tjenestekode, Fraction(0)) + (
                        seg.faktor * n
                    )
            for kode, v in volum.items():
                # A missing sats raises: the demo must never produce mangler_sats.
                sats = Fraction(self.satser[kv.aar][kode])
                ut.append(Linje(t.kommunenummer, t.vedtak_id, kv, kode, v, avrund_ore(v * sats)))
        return ut

    def beregn(self, hendelser: Iterable[Mapping[str, Any]]) -> Resultat:
        """All events in recorded order (any mix of municipalities and vedtak)."""
        per_vedtak: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
        for h in hendelser:
            per_vedtak[(str(h["kommunenummer"]), str(h["vedtak_id"]))].append(h)
        linjer: list[Linje] = []
        for hs in per_vedtak.values():
            linjer.extend(self.linjer_for_vedtak(hs))
        return Resultat(linjer)


@dataclass(frozen=True)
class Resultat:
    linjer: list[Linje]

    def per_gruppe(self) -> dict[tuple[str, Kvartal, str], Decimal]:
        """(kommunenummer, kvartal, tjenestegruppe) -> vedtakstilskudd."""
        ut: dict[tuple[str, Kvartal, str], Decimal] = defaultdict(Decimal)
        for li in self.linjer:
            ut[(li.kommunenummer, li.kvartal, li.tjenestegruppe)] += li.belop
        return dict(ut)

    def per_kvartal(self) -> dict[tuple[str, Kvartal], Decimal]:
        ut: dict[tuple[str, Kvartal], Decimal] = defaultdict(Decimal)
        for li in self.linjer:
            ut[(li.kommunenummer, li.kvartal)] += li.belop
        return dict(ut)

    def per_aar(self) -> dict[tuple[str, int], Decimal]:
        ut: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
        for li in self.linjer:
            ut[(li.kommunenummer, li.kvartal.aar)] += li.belop
        return dict(ut)

    def fingeravtrykk(self) -> dict[tuple[str, Kvartal], frozenset[tuple[str, str, Fraction]]]:
        """Per municipality-quarter, its vedtak lines: what a re-issue would compare."""
        ut: dict[tuple[str, Kvartal], set[tuple[str, str, Fraction]]] = defaultdict(set)
        for li in self.linjer:
            ut[(li.kommunenummer, li.kvartal)].add((li.vedtak_id, li.tjenestekode, li.volum))
        return {k: frozenset(v) for k, v in ut.items()}


@dataclass(frozen=True)
class Avvik:
    kommunenummer: str
    hva: str  # "aar" or "<gruppe> K<n>"
    forventet: Decimal
    beregnet: Decimal

    @property
    def relativt(self) -> Fraction:
        return Fraction(self.beregnet - self.forventet) / Fraction(self.forventet)


def avvik_2017(resultat: Resultat, forventet: kilder.Forventet2017) -> list[Avvik]:
    """Calibration check: every 2017 target of tables 3.2 and 4.3 against `resultat`."""
    grupper = resultat.per_gruppe()
    aar = resultat.per_aar()
    ut = [
        Avvik(knr, "aar", maal, aar.get((knr, 2017), Decimal(0)))
        for knr, maal in forventet.vedtakstilskudd.items()
    ]
    for (knr, gruppe, nr), maal in forventet.kvartal.items():
        beregnet = grupper.get((knr, Kvartal(2017, nr), gruppe), Decimal(0))
        ut.append(Avvik(knr, f"{gruppe} K{nr}", maal, beregnet))
    return ut
