"""Published figures the demo is built from: national rates and the evaluation report.

The rates come from the contract's own copy of the rate table
(shared/events/tjenestekoder.csv); the municipality figures from the report's tables
3.2 and 4.3, copied into ./data so that the product never reads outside the repo.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from shared.events import katalog

DATA = Path(__file__).with_name("data")
MILLION = Decimal(1_000_000)

KOMMUNER: dict[str, str] = {
    "0138": "Hobøl",
    "0926": "Lillesand",
    "1243": "Os",
    "1714": "Stjørdal",
}

# Reporting groups in the order of report table 4.3.
GRUPPER: tuple[str, ...] = (
    "langtidsopphold",
    "korttidsopphold",
    "avlastning_utenfor_institusjon",
    "dagsenter",
    "bpa",
    "helsetjenester_i_hjemmet",
    "praktisk_bistand",
    "praktisk_bistand_opplaering",
    "omsorgslonn",
    "stottekontakt",
)


@dataclass(frozen=True)
class PublisertAar:
    """One row of report table 3.2 (2016: May-December only), amounts in NOK."""

    kommunenummer: str
    aar: int
    samlet: Decimal
    vedtakstilskudd: Decimal
    rundsum: Decimal
    inntektspaslag: Decimal
    uttrekk: Decimal


@dataclass(frozen=True)
class Forventet2017:
    """The 2017 targets: yearly vedtakstilskudd (3.2) and quarter x group (4.3), NOK."""

    vedtakstilskudd: dict[str, Decimal]
    kvartal: dict[tuple[str, str, int], Decimal]  # (kommunenummer, gruppe, kvartal)


@cache
def satser() -> dict[int, dict[str, Decimal]]:
    """National rates per year and code; a blank cell means the code has no rate."""
    sti = Path(katalog.__file__).with_name("tjenestekoder.csv")
    ut: dict[int, dict[str, Decimal]] = {2014: {}, 2016: {}, 2017: {}}
    with sti.open(encoding="utf-8") as f:
        for rad in csv.DictReader(f):
            for aar, tabell in ut.items():
                verdi = rad[f"sats_{aar}"].strip()
                if verdi:
                    tabell[rad["tjenestekode"]] = Decimal(verdi)
    return ut


@cache
def publiserte_aar() -> dict[tuple[str, int], PublisertAar]:
    with (DATA / "a_kommuner_grunnlag.csv").open(encoding="utf-8") as f:
        return {
            (rad["kommunenummer"], int(rad["aar"])): PublisertAar(
                kommunenummer=rad["kommunenummer"],
                aar=int(rad["aar"]),
                samlet=Decimal(rad["samlet_mnok"]) * MILLION,
                vedtakstilskudd=Decimal(rad["vedtakstilskudd_mnok"]) * MILLION,
                rundsum=Decimal(rad["rundsum_mnok"]) * MILLION,
                inntektspaslag=Decimal(rad["inntektspaslag_mnok"]) * MILLION,
                uttrekk=Decimal(rad["uttrekk_mnok"]) * MILLION,
            )
            for rad in csv.DictReader(f)
        }


@cache
def kvartalstall_2017() -> dict[tuple[str, str, int], Decimal]:
    """Report table 4.3: vedtakstilskudd per (kommunenummer, gruppe, kvartal), NOK."""
    ut: dict[tuple[str, str, int], Decimal] = {}
    with (DATA / "a_kommuner_2017_kvartal.csv").open(encoding="utf-8") as f:
        for rad in csv.DictReader(f):
            for nr in range(1, 5):
                ut[(rad["kommunenummer"], rad["tjenestegruppe"], nr)] = (
                    Decimal(rad[f"q{nr}_mnok"]) * MILLION
                )
    return ut


def forventet_2017() -> Forventet2017:
    """The published 2017 magnitudes the demo data set is calibrated against."""
    return Forventet2017(
        vedtakstilskudd={knr: publiserte_aar()[(knr, 2017)].vedtakstilskudd for knr in KOMMUNER},
        kvartal=dict(kvartalstall_2017()),
    )
