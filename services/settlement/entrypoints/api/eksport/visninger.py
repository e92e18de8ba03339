"""The three read views as sheets: a municipality's quarter, the national quarter, audit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.settlement.application.dokument import KOMPONENTER
from services.settlement.entrypoints.api.eksport.typer import (
    ANDEL,
    BELOP,
    HELTALL,
    VOLUM,
    Ark,
    Kolonne,
)


def _om(felt: Mapping[str, Any]) -> Ark:
    return Ark(
        "Om",
        ["felt", "verdi"],
        [(k, v if isinstance(v, int | str) or v is None else str(v)) for k, v in felt.items()],
    )


def oppgjor_ark(dokument: Mapping[str, Any]) -> list[Ark]:
    """A municipality's quarter: components, lines, and vedtak lines when present."""
    endring = dokument.get("endring_siden_utstedt") or {}
    ark = [
        Ark(
            "Oppgjør",
            ["komponent", Kolonne("belop", BELOP), Kolonne("endring_siden_utstedt", BELOP)],
            [(k, dokument[k], endring.get(k)) for k in KOMPONENTER],
            nokkel="oppgjor",
        ),
        Ark(
            "Linjer",
            [
                "tjenestekode",
                "tjenestegruppe",
                "enhet",
                Kolonne("volum", VOLUM),
                Kolonne("sats", BELOP),
                Kolonne("belop", BELOP),
                Kolonne("antall_vedtak", HELTALL),
                "mangler_sats",
            ],
            [
                (
                    linje["tjenestekode"],
                    linje["tjenestegruppe"],
                    linje["enhet"],
                    linje["volum"],
                    linje["sats"],
                    linje["belop"],
                    linje["antall_vedtak"],
                    linje["mangler_sats"],
                )
                for linje in dokument["linjer"]
            ],
        ),
    ]
    if any("vedtak" in linje for linje in dokument["linjer"]):
        ark.append(
            Ark(
                "Vedtak",
                [
                    "tjenestekode",
                    "vedtak_id",
                    Kolonne("volum", VOLUM),
                    Kolonne("belop", BELOP),
                    "mangler_sats",
                ],
                [
                    (
                        linje["tjenestekode"],
                        v["vedtak_id"],
                        v["volum"],
                        v["belop"],
                        v["mangler_sats"],
                    )
                    for linje in dokument["linjer"]
                    for v in linje.get("vedtak", [])
                ],
            )
        )
    ark.append(
        _om(
            {
                "visning": "kvartalsoppgjor",
                **{k: dokument[k] for k in ("kommunenummer", "aar", "kvartal", "per")},
                "utstedt_versjon": dokument.get("utstedt_versjon"),
                "advarsler": "; ".join(a["detail"] for a in dokument.get("advarsler", [])),
            }
        )
    )
    return ark


def nasjonalt_ark(dokument: Mapping[str, Any]) -> list[Ark]:
    """The national quarter: one row per municipality, and the totals."""
    penger = [Kolonne(k, BELOP) for k in KOMPONENTER]
    return [
        Ark(
            "Kommuner",
            [
                "kommunenummer",
                *penger,
                Kolonne("utstedt_versjon", HELTALL),
                Kolonne("utstedt_sum", BELOP),
                "korreksjon_ventende",
                Kolonne("ventende_belop", BELOP),
                "advarsler",
            ],
            [
                (
                    rad["kommunenummer"],
                    *(rad[k] for k in KOMPONENTER),
                    rad["utstedt_versjon"],
                    rad["utstedt_sum"],
                    rad["korreksjon_ventende"],
                    rad["ventende_belop"],
                    [a["kode"] for a in rad["advarsler"]],
                )
                for rad in dokument["kommuner"]
            ],
        ),
        Ark("Totalt", penger, [tuple(dokument["totalt"][k] for k in KOMPONENTER)]),
        _om({"visning": "nasjonalt", **{k: dokument[k] for k in ("aar", "kvartal", "per")}}),
    ]


def revisjon_ark(dokument: Mapping[str, Any]) -> list[Ark]:
    """Decided vs delivered time: per tjenestekode, then per vedtak with flags."""
    timer = [Kolonne("vedtatte_timer", VOLUM), Kolonne("utforte_timer", VOLUM)]
    return [
        Ark(
            "Tjenester",
            ["tjenestekode", *timer, Kolonne("andel", ANDEL)],
            [
                (r["tjenestekode"], r["vedtatte_timer"], r["utforte_timer"], r["andel"])
                for r in dokument["tjenester"]
            ],
        ),
        Ark(
            "Vedtak",
            [
                "vedtak_id",
                "tjenestekode",
                *timer,
                Kolonne("andel", ANDEL),
                "flagg",
                Kolonne("antall_rapporter", HELTALL),
            ],
            [
                (
                    r["vedtak_id"],
                    r["tjenestekode"],
                    r["vedtatte_timer"],
                    r["utforte_timer"],
                    r["andel"],
                    list(r["flagg"]),
                    len(r.get("rapporter", [])),
                )
                for r in dokument["vedtak"]
            ],
        ),
        _om(
            {
                "visning": "vedtatt_utfort",
                **{k: dokument[k] for k in ("kommunenummer", "aar", "kvartal", "per", "terskel")},
            }
        ),
    ]
