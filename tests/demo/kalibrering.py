"""Calibration checks: the demo's settled figures against the report's tables 3.2 and 4.3.

The figures come from the product's own regelverk (`beregn_kvartal`, through
demo.beregning); only the comparison with the report lives here, in the tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from demo import Datasett, Forventet2017, beregning
from demo.kalender import KORREKSJON, PERIODER, Kvartal
from services.settlement.domain.beregning import Kvartalsberegning, tjenestegruppe_sum


@dataclass(frozen=True)
class Resultat:
    """Every (kommunenummer, quarter) of the demo as the service settles it."""

    kvartaler: dict[tuple[str, Kvartal], Kvartalsberegning]

    def per_kvartal(self) -> dict[tuple[str, Kvartal], Decimal]:
        return {k: b.vedtakstilskudd for k, b in self.kvartaler.items()}

    def per_aar(self) -> dict[tuple[str, int], Decimal]:
        ut: dict[tuple[str, int], Decimal] = {}
        for (knr, kv), b in self.kvartaler.items():
            ut[(knr, kv.aar)] = ut.get((knr, kv.aar), Decimal(0)) + b.vedtakstilskudd
        return ut

    def per_gruppe(self) -> dict[tuple[str, Kvartal, str], Decimal]:
        return {
            (knr, kv, gruppe): belop
            for (knr, kv), b in self.kvartaler.items()
            for gruppe, belop in tjenestegruppe_sum(b).items()
        }


def beregn_hendelser(hendelser: Iterable[Mapping[str, Any]]) -> Resultat:
    per_kommune: dict[str, list[Mapping[str, Any]]] = {}
    for h in hendelser:
        per_kommune.setdefault(str(h["kommunenummer"]), []).append(h)
    kvartaler = {}
    for knr, hs in per_kommune.items():
        fakta = beregning.som_fakta(hs)
        for kv in PERIODER:
            kvartaler[(knr, kv)] = beregning.kvartal(knr, kv, fakta)
    return Resultat(kvartaler)


def beregn(datasett: Datasett, *, til_og_med_slot: int = KORREKSJON) -> Resultat:
    """The quarters from the data set's events sent up to a slot (default: all)."""
    return beregn_hendelser(datasett.hendelser(til_og_med_slot=til_og_med_slot))


@dataclass(frozen=True)
class Avvik:
    kommunenummer: str
    hva: str  # "aar" or "<gruppe> K<n>"
    forventet: Decimal
    beregnet: Decimal

    @property
    def relativt(self) -> Fraction:
        return Fraction(self.beregnet - self.forventet) / Fraction(self.forventet)


def avvik_2017(resultat: Resultat, forventet: Forventet2017) -> list[Avvik]:
    """Every 2017 target of tables 3.2 and 4.3 against `resultat`."""
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
