"""The demo's results: the year table, and the three files in demo-output/."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2

from demo.kilder import KOMMUNER, publiserte_aar
from services.settlement.application.dokument import KOMPONENTER
from services.settlement.entrypoints.api.eksport import (
    BELOP,
    HELTALL,
    VOLUM,
    Ark,
    Kolonne,
    skriv_arbeidsbok,
)

MNOK = Decimal(1_000_000)

_maler = jinja2.Environment(
    loader=jinja2.PackageLoader("demo", "maler"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Aarsrad:
    kommunenummer: str
    kommune: str
    belop: dict[str, Decimal]  # per component, NOK, the latest issued version of each quarter
    publisert_vedtakstilskudd: Decimal
    korreksjoner: int


def siste_versjoner(dokumenter: list[dict[str, Any]]) -> dict[tuple[str, int, int], dict[str, Any]]:
    siste: dict[tuple[str, int, int], dict[str, Any]] = {}
    for d in dokumenter:
        nokkel = (d["kommunenummer"], d["aar"], d["kvartal"])
        if nokkel not in siste or d["versjon"] > siste[nokkel]["versjon"]:
            siste[nokkel] = d
    return siste


def aarstabell(dokumenter: list[dict[str, Any]], aar: int) -> list[Aarsrad]:
    siste = siste_versjoner(dokumenter)
    rader = []
    for knr, navn in KOMMUNER.items():
        kvartaler = [siste[(knr, aar, k)] for k in range(1, 5) if (knr, aar, k) in siste]
        rader.append(
            Aarsrad(
                kommunenummer=knr,
                kommune=navn,
                belop={k: sum((Decimal(d[k]) for d in kvartaler), Decimal(0)) for k in KOMPONENTER},
                publisert_vedtakstilskudd=publiserte_aar()[(knr, aar)].vedtakstilskudd,
                korreksjoner=sum(
                    1
                    for d in dokumenter
                    if d["kommunenummer"] == knr and d["aar"] == aar and d["versjon"] > 1
                ),
            )
        )
    return rader


def mnok(belop: Decimal) -> str:
    return f"{(belop / MNOK).quantize(Decimal('0.1'))}"


_maler.filters["mnok"] = mnok


def skriv_json(katalog: Path, dokumenter: list[dict[str, Any]]) -> Path:
    """Every issued document, exactly as `POST …/utsted` answered it, in issue order."""
    sti = katalog / "oppgjor.json"
    sti.write_text(json.dumps(dokumenter, ensure_ascii=False, indent=1), encoding="utf-8")
    return sti


def _nokkel(d: Mapping[str, Any]) -> tuple[str, int, int, int]:
    return (d["kommunenummer"], d["aar"], d["kvartal"], d["versjon"])


def _kommuneark(dokumenter: list[dict[str, Any]], aar: int) -> Ark:
    return Ark(
        f"Kommuner {aar}",
        [
            "kommunenummer",
            "kommune",
            *(Kolonne(k, BELOP) for k in KOMPONENTER),
            Kolonne("korreksjoner", HELTALL),
        ],
        [
            [r.kommunenummer, r.kommune, *[r.belop[k] for k in KOMPONENTER], r.korreksjoner]
            for r in aarstabell(dokumenter, aar)
        ],
    )


def _kvartalsark(siste: Mapping[tuple[str, int, int], dict[str, Any]], aar: int) -> Ark:
    return Ark(
        "Kvartaler",
        [
            "kommunenummer",
            "aar",
            "kvartal",
            "versjon",
            "type",
            *(Kolonne(k, BELOP) for k in KOMPONENTER),
            "hash",
        ],
        [
            [knr, a, k, d["versjon"], d["type"], *[d[x] for x in KOMPONENTER], d["hash"]]
            for (knr, a, k), d in sorted(siste.items())
            if a == aar
        ],
    )


def _linjeark(siste: Mapping[tuple[str, int, int], dict[str, Any]], aar: int) -> Ark:
    return Ark(
        "Linjer",
        [
            "kommunenummer",
            "aar",
            "kvartal",
            "tjenestekode",
            "tjenestegruppe",
            "enhet",
            Kolonne("volum", VOLUM),
            Kolonne("sats", BELOP),
            Kolonne("belop", BELOP),
            Kolonne("antall_vedtak", HELTALL),
        ],
        [
            [
                knr,
                a,
                k,
                lj["tjenestekode"],
                lj["tjenestegruppe"],
                lj["enhet"],
                lj["volum"],
                lj["sats"] or None,
                lj["belop"],
                lj["antall_vedtak"],
            ]
            for (knr, a, k), d in sorted(siste.items())
            if a == aar
            for lj in d["linjer"]
        ],
    )


def _korreksjonsark(dokumenter: list[dict[str, Any]]) -> Ark:
    return Ark(
        "Korreksjoner",
        [
            "kommunenummer",
            "aar",
            "kvartal",
            "versjon",
            "fra_versjon",
            *(Kolonne(k, BELOP) for k in KOMPONENTER),
            "utstedt",
        ],
        [
            [
                d["kommunenummer"],
                d["aar"],
                d["kvartal"],
                d["versjon"],
                d["korreksjon"]["fra_versjon"],
                *[d["korreksjon"][x] for x in KOMPONENTER],
                d["utstedt"],
            ]
            for d in sorted(dokumenter, key=_nokkel)
            if d["versjon"] > 1
        ],
    )


def skriv_xlsx(katalog: Path, dokumenter: list[dict[str, Any]], aar: int) -> Path:
    """One sheet per view, written by the product's own export writer (numbers as numbers)."""
    siste = siste_versjoner(dokumenter)
    sti = katalog / f"oppgjor_{aar}.xlsx"
    sti.write_bytes(
        skriv_arbeidsbok(
            [
                _kommuneark(dokumenter, aar),
                _kvartalsark(siste, aar),
                _linjeark(siste, aar),
                _korreksjonsark(dokumenter),
            ]
        )
    )
    return sti


def skriv_html(katalog: Path, dokumenter: list[dict[str, Any]], aar: int) -> Path:
    """A self-contained page (no scripts, no external files) with the year's results."""
    side = _maler.get_template("index.html").render(
        aar=aar,
        rader=aarstabell(dokumenter, aar),
        komponenter=KOMPONENTER,
        korreksjoner=[d for d in sorted(dokumenter, key=_nokkel) if d["versjon"] > 1],
    )
    sti = katalog / "index.html"
    sti.write_text(side, encoding="utf-8")
    return sti
