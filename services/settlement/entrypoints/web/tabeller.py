"""The pages' big tables: their columns, their rows, and the filtered documents to export.

The rows are the API's own dicts (flattened where the API nests them); tabell.py does the
filtering, sorting and paging the same way for every one of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from services.settlement.application.dokument import KOMPONENTER
from services.settlement.entrypoints.web import tabell, visning
from services.settlement.entrypoints.web.tabell import Kolonne, Valg

KOMMUNER = (
    Kolonne("kommune", "Kommune"),
    *(Kolonne(k, navn, tall=True) for k, navn in visning.KOMPONENTER),
    Kolonne("utstedt_versjon", "Sist utstedt", tall=True),
    Kolonne("ventende_belop", "Ventende korreksjon", tall=True),
)
VEDTAKSLINJER = (
    Kolonne("vedtak_id", "Vedtak"),
    Kolonne("tjenestekode", "Tjenestekode"),
    Kolonne("tjenestegruppe", "Tjenestegruppe"),
    Kolonne("volum", "Volum", tall=True),
    Kolonne("belop", "Beløp", tall=True),
)
REVISJON = (
    Kolonne("vedtak_id", "Vedtak"),
    Kolonne("tjenestekode", "Tjenestekode"),
    Kolonne("vedtatte_timer", "Vedtatte timer", tall=True),
    Kolonne("utforte_timer", "Utførte timer", tall=True),
    Kolonne("andel", "Andel utført", tall=True),
    Kolonne("flagg", "Flagg"),
)
assert {k for k, _ in visning.KOMPONENTER} == set(KOMPONENTER)


def kommunerader(oversikt: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The national rows, with the name a person searches for beside the number."""
    return [{**r, "kommune": visning.kommunenavn(r["kommunenummer"])} for r in oversikt["kommuner"]]


def vedtaksrader(dokument: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per vedtak line (only with `?detaljer=vedtak`), in the document's order."""
    return [
        {
            **v,
            "tjenestekode": linje["tjenestekode"],
            "tjenestegruppe": linje["tjenestegruppe"],
            "enhet": linje["enhet"],
        }
        for linje in dokument["linjer"]
        for v in linje.get("vedtak", [])
    ]


_FRA_LINJEN = ("tjenestekode", "tjenestegruppe", "enhet")  # added by vedtaksrader


def koder(rader: Iterable[Mapping[str, Any]]) -> list[str]:
    return sorted({str(r["tjenestekode"]) for r in rader})


def grupper(rader: Iterable[Mapping[str, Any]]) -> list[str]:
    rekkefolge = {g: i for i, g in enumerate(visning.GRUPPEREKKEFOLGE)}
    return sorted({tabell.tjenestegruppe(r) for r in rader}, key=lambda g: rekkefolge.get(g, 99))


def _kodefilter(valg: Valg) -> Valg:
    """Only the code and group filters: they apply to per-code rows too."""
    return replace(valg, sok="", flagg="", sorter=None)


def filtrert_dokument(dokument: Mapping[str, Any], valg: Valg) -> dict[str, Any]:
    """The quarter as the page shows it, for the export: lines of the chosen codes, and
    their vedtak lines searched and sorted (the sort holds within each code's lines, as
    the export lists vedtak lines under their code)."""
    linjer = tabell.utvalg(dokument["linjer"], _kodefilter(valg), ())
    if not any("vedtak" in linje for linje in linjer):
        return {**dokument, "linjer": linjer}
    utvalgte = tabell.utvalg(vedtaksrader(dokument), valg, VEDTAKSLINJER)
    per_kode: dict[str, list[Mapping[str, Any]]] = {}
    for rad in utvalgte:
        vedtak = {k: v for k, v in rad.items() if k not in _FRA_LINJEN}
        per_kode.setdefault(rad["tjenestekode"], []).append(vedtak)
    return {
        **dokument,
        "linjer": [
            {**linje, "vedtak": per_kode.get(linje["tjenestekode"], [])} for linje in linjer
        ],
    }


def filtrert_rapport(rapport: Mapping[str, Any], valg: Valg) -> dict[str, Any]:
    """The audit view as the page shows it: vedtak rows filtered and sorted, code rows
    of the chosen codes."""
    return {
        **rapport,
        "tjenester": tabell.utvalg(rapport["tjenester"], _kodefilter(valg), ()),
        "vedtak": tabell.utvalg(rapport["vedtak"], valg, REVISJON),
    }
