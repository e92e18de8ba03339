"""What the pages need beyond the API documents: Norwegian names, navigation, roll-ups.

Roll-ups add the documents' own decimal strings exactly; they never recompute a figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

from shared.events.katalog import HOVEDGRUPPER
from shared.navn import ENHETER, FLAGG, GRUPPER, KOMMUNER, KOMPONENTER, gruppenavn

__all__ = ["ENHETER", "FLAGG", "GRUPPER", "KOMMUNER", "KOMPONENTER", "gruppenavn"]

GRUPPEREKKEFOLGE = [g for grupper in HOVEDGRUPPER.values() for g in grupper]

TYPER = {"kvartalsoppgjor": "Kvartalsoppgjør", "korreksjonsoppgjor": "Korreksjonsoppgjør"}


def kommunenavn(knr: str) -> str:
    navn = KOMMUNER.get(knr)
    return f"{knr} {navn}" if navn else knr


def url(sti: str, *deler: Mapping[str, Any], **parametre: Any) -> str:
    """A link with its query; None values are left out (e.g. no `per` -> "now").

    `deler` are query dicts merged first (a table's filters, say); keywords win."""
    alle: dict[str, Any] = {}
    for del_ in deler:
        alle.update(del_)
    alle.update(parametre)
    query = urlencode({k: v for k, v in alle.items() if v is not None and v != ""})
    return f"{sti}?{query}" if query else sti


def vedtak_url(knr: str, aar: int, kvartal: int, vedtak_id: str) -> str:
    """The explanation page of a vedtak's lines in a quarter (its id quoted as a path part)."""
    return f"/ui/kommuner/{knr}/oppgjor/{aar}/{kvartal}/vedtak/{quote(vedtak_id, safe='')}"


def hendelser_url(knr: str, vedtak_id: str) -> str:
    return f"/ui/kommuner/{knr}/vedtak/{quote(vedtak_id, safe='')}/hendelser"


def forrige_kvartal(aar: int, kvartal: int) -> tuple[int, int]:
    return (aar, kvartal - 1) if kvartal > 1 else (aar - 1, 4)


def neste_kvartal(aar: int, kvartal: int) -> tuple[int, int]:
    return (aar, kvartal + 1) if kvartal < 4 else (aar + 1, 1)


def _belop(d: Decimal) -> str:
    return format(d.quantize(Decimal("0.01")), "f")


def _volum(d: Decimal) -> str:
    return format(d.quantize(Decimal("0.0001")), "f")


@dataclass(frozen=True)
class Rad:
    """A row of per-quarter figures (API-style strings) and their sum over the year."""

    nokkel: str
    navn: str
    verdier: tuple[str, ...]
    totalt: str


def belop_per_gruppe(dokumenter: Sequence[Mapping[str, Any]]) -> list[Rad]:
    """Vedtakstilskudd per tjenestegruppe and quarter: exact sums of the lines' `belop`."""
    summer: dict[str, list[Decimal]] = {}
    for i, dokument in enumerate(dokumenter):
        for linje in dokument["linjer"]:
            rad = summer.setdefault(linje["tjenestegruppe"], [Decimal(0)] * len(dokumenter))
            rad[i] += Decimal(linje["belop"])
    rekkefolge = {g: i for i, g in enumerate(GRUPPEREKKEFOLGE)}
    return [
        Rad(g, gruppenavn(g), tuple(_belop(v) for v in verdier), _belop(sum(verdier, Decimal(0))))
        for g, verdier in sorted(summer.items(), key=lambda kv: rekkefolge.get(kv[0], 99))
    ]


def komponenter_per_kvartal(dokumenter: Sequence[Mapping[str, Any]]) -> list[Rad]:
    """Each component per quarter as the API gives it, and the year's exact sum."""
    return [
        Rad(
            k,
            navn,
            tuple(d[k] for d in dokumenter),
            _belop(sum((Decimal(d[k]) for d in dokumenter), Decimal(0))),
        )
        for k, navn in KOMPONENTER
    ]


def timer_totalt(tjenester: Iterable[Mapping[str, Any]]) -> tuple[str, str]:
    """Decided and delivered hours of a quarter: the sum of the audit view's `tjenester` rows."""
    rader = list(tjenester)
    vedtatt = sum((Decimal(r["vedtatte_timer"]) for r in rader), Decimal(0))
    utfort = sum((Decimal(r["utforte_timer"]) for r in rader), Decimal(0))
    return _volum(vedtatt), _volum(utfort)
