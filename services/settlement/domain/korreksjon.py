"""What changed between two settlements, on exact figures (regelverk 4.6).

A korreksjonsoppgjør records, per component, per tjenestekode line and per vedtak line, the
difference to the previous version; "nothing changed" compares the same figures. Both work
on `Kvartalstall`: the settlement's figures as exact Decimals, as the settlement states
them (amounts in øre, volumes to four decimals, api.md), never on rendered text.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from services.settlement.domain.avrunding import round_half_up
from services.settlement.domain.beregning import Kvartalsberegning

KOMPONENTER = (
    "vedtakstilskudd",
    "rundsumtilskudd",
    "inntektspaslag",
    "sum",
    "uttrekk",
    "differanse",
)
NULL = Decimal(0)


@dataclass(frozen=True, slots=True)
class Vedtakstall:
    """One (tjenestekode, vedtak) line's figures."""

    tjenestekode: str
    vedtak_id: str
    volum: Decimal  # to four decimals, as stated
    belop: Decimal
    mangler_sats: bool


@dataclass(frozen=True, slots=True)
class Linjetall:
    """One tjenestekode line's figures (antall_vedtak is a count, not a figure)."""

    tjenestekode: str
    tjenestegruppe: str
    enhet: str
    volum: Decimal
    sats: Decimal | None
    belop: Decimal
    mangler_sats: bool
    vedtak: tuple[Vedtakstall, ...]


@dataclass(frozen=True, slots=True)
class Kvartalstall:
    """The figures of a settlement that 4.6 compares and differences."""

    komponenter: tuple[tuple[str, Decimal], ...]  # in KOMPONENTER order
    linjer: tuple[Linjetall, ...]  # in the settlement's order

    def komponent(self, navn: str) -> Decimal:
        return dict(self.komponenter)[navn]


@dataclass(frozen=True, slots=True)
class Linjedifferanse:
    tjenestekode: str
    volum: Decimal
    belop: Decimal


@dataclass(frozen=True, slots=True)
class Vedtaksdifferanse:
    tjenestekode: str
    vedtak_id: str
    volum: Decimal
    belop: Decimal


@dataclass(frozen=True, slots=True)
class Korreksjon:
    """New minus old: per component, and per line and vedtak line that moved."""

    komponenter: tuple[tuple[str, Decimal], ...]
    linjer: tuple[Linjedifferanse, ...]  # sorted by tjenestekode
    vedtak: tuple[Vedtaksdifferanse, ...]  # sorted by (tjenestekode, vedtak_id)


def kvartalstall(b: Kvartalsberegning) -> Kvartalstall:
    """The figures of a computed settlement, rounded exactly as the settlement states them."""
    return Kvartalstall(
        komponenter=tuple((k, round_half_up(getattr(b, k), 2)) for k in KOMPONENTER),
        linjer=tuple(
            Linjetall(
                tjenestekode=linje.tjenestekode,
                tjenestegruppe=linje.tjenestegruppe,
                enhet=str(linje.enhet),
                volum=round_half_up(linje.volum, 4),
                sats=round_half_up(linje.sats, 2) if linje.sats is not None else None,
                belop=round_half_up(linje.belop, 2),
                mangler_sats=linje.mangler_sats,
                vedtak=tuple(
                    Vedtakstall(
                        tjenestekode=v.tjenestekode,
                        vedtak_id=v.vedtak_id,
                        volum=round_half_up(v.volum, 4),
                        belop=round_half_up(v.belop, 2),
                        mangler_sats=v.mangler_sats,
                    )
                    for v in linje.vedtak
                ),
            )
            for linje in b.linjer
        ),
    )


def uendret(ny: Kvartalstall, gammel: Kvartalstall) -> bool:
    """regelverk 4.6 "nothing changed": every figure equal, vedtak lines included."""
    return ny == gammel


def differanse(ny: Kvartalstall, gammel: Kvartalstall) -> Korreksjon:
    """regelverk 4.6: new minus old, exact; lines that did not move are left out."""
    komponenter = tuple((k, ny.komponent(k) - gammel.komponent(k)) for k in KOMPONENTER)
    nye = {linje.tjenestekode: linje for linje in ny.linjer}
    gamle = {linje.tjenestekode: linje for linje in gammel.linjer}
    linjer = []
    for kode in sorted(nye.keys() | gamle.keys()):
        n, g = nye.get(kode), gamle.get(kode)
        volum = (n.volum if n else NULL) - (g.volum if g else NULL)
        belop = (n.belop if n else NULL) - (g.belop if g else NULL)
        if volum or belop:
            linjer.append(Linjedifferanse(kode, volum, belop))
    nye_v, gamle_v = _vedtak(ny), _vedtak(gammel)
    vedtak = []
    for nokkel in sorted(nye_v.keys() | gamle_v.keys()):
        nv, gv = nye_v.get(nokkel), gamle_v.get(nokkel)
        volum = (nv.volum if nv else NULL) - (gv.volum if gv else NULL)
        belop = (nv.belop if nv else NULL) - (gv.belop if gv else NULL)
        if volum or belop:
            vedtak.append(Vedtaksdifferanse(nokkel[0], nokkel[1], volum, belop))
    return Korreksjon(komponenter, tuple(linjer), tuple(vedtak))


def _vedtak(tall: Kvartalstall) -> dict[tuple[str, str], Vedtakstall]:
    return {(v.tjenestekode, v.vedtak_id): v for linje in tall.linjer for v in linje.vedtak}
