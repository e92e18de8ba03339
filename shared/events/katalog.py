"""Service codes (tjenestekoder), their unit and reporting group (regelverk section 2).

The catalogue ships with the contract because validation (regelverk 3: unknown codes
and fields of the other unit are refused) needs it on the write side.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

Enhet = Literal["time", "dogn"]

# Reporting groups roll up as in report table 4.2 (regelverk 2).
HOVEDGRUPPER: dict[str, tuple[str, ...]] = {
    "institusjon": ("langtidsopphold", "korttidsopphold", "utskrivningsklare"),
    "helsetjenester_og_praktisk_bistand": (
        "helsetjenester_i_hjemmet",
        "praktisk_bistand",
        "praktisk_bistand_opplaering",
    ),
    "andre_tjenester": (
        "avlastning_utenfor_institusjon",
        "dagsenter",
        "bpa",
        "omsorgslonn",
        "stottekontakt",
    ),
}


@dataclass(frozen=True)
class Tjenestekode:
    kode: str
    enhet: Enhet
    tjenestegruppe: str
    beskrivelse: str

    @property
    def hovedgruppe(self) -> str:
        return next(h for h, grupper in HOVEDGRUPPER.items() if self.tjenestegruppe in grupper)


@cache
def tjenestekoder() -> dict[str, Tjenestekode]:
    sti = Path(__file__).with_name("tjenestekoder.csv")
    with sti.open(encoding="utf-8") as f:
        return {
            rad["tjenestekode"]: Tjenestekode(
                kode=rad["tjenestekode"],
                enhet=rad["enhet"],  # type: ignore[arg-type]
                tjenestegruppe=rad["tjenestegruppe"],
                beskrivelse=rad["beskrivelse"],
            )
            for rad in csv.DictReader(f)
        }


def finn_tjenestekode(kode: str) -> Tjenestekode | None:
    return tjenestekoder().get(kode)
