"""The three read views as sheets: a municipality's quarter, the national quarter, audit.

Each column has its JSON field name (the machine CSV's header, unchanged) and the Norwegian
words finance staff read (XLSX, excel-csv). Columns only people need, a municipality's
name or a component's Norwegian name, are marked `menneske` and never reach the machine
CSV; the codes they explain stay beside them.
"""

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
from shared.navn import ENHETER, FLAGG, gruppenavn, kommunens_navn
from shared.navn import KOMPONENTER as KOMPONENTNAVN

_KOMPONENTNAVN = dict(KOMPONENTNAVN)

# The "Om" sheet's fields in Norwegian words.
_OM_FELT = {
    "visning": "Visning",
    "kommunenummer": "Kommunenummer",
    "kommune": "Kommune",
    "aar": "År",
    "kvartal": "Kvartal",
    "per": "Som kjent per",
    "utstedt_versjon": "Utstedt versjon",
    "advarsler": "Advarsler",
    "terskel": "Terskel for utført andel",
}


def _kommunenummer() -> list[Kolonne]:
    return [
        Kolonne("kommunenummer", overskrift="Kommunenummer"),
        Kolonne("kommune", overskrift="Kommune", synlig="menneske"),
    ]


def _tjenestekode() -> Kolonne:
    return Kolonne("tjenestekode", overskrift="Tjenestekode")


def _om_verdi(verdi: Any) -> Any:
    return verdi if isinstance(verdi, int | str) or verdi is None else str(verdi)


def _om(felt: Mapping[str, Any]) -> Ark:
    """What was exported. People read the field in words and the municipality by name too."""
    return Ark(
        "Om",
        [
            Kolonne("felt", synlig="maskin"),
            Kolonne("felt_navn", overskrift="Felt", synlig="menneske"),
            Kolonne("verdi", synlig="maskin"),
            Kolonne("verdi_vist", overskrift="Verdi", synlig="menneske"),
        ],
        [
            (
                k,
                _OM_FELT.get(k, k),
                _om_verdi(v),
                f"{v} {kommunens_navn(v)}".strip() if k == "kommunenummer" else _om_verdi(v),
            )
            for k, v in felt.items()
        ],
    )


def oppgjor_ark(dokument: Mapping[str, Any]) -> list[Ark]:
    """A municipality's quarter: components, lines, and vedtak lines when present."""
    endring = dokument.get("endring_siden_utstedt") or {}
    ark = [
        Ark(
            "Oppgjør",
            [
                Kolonne("komponent", synlig="maskin"),
                Kolonne("komponent_navn", overskrift="Komponent", synlig="menneske"),
                Kolonne("belop", BELOP, "Beløp (kr)"),
                Kolonne("endring_siden_utstedt", BELOP, "Endring siden utstedt (kr)"),
            ],
            [(k, _KOMPONENTNAVN.get(k, k), dokument[k], endring.get(k)) for k in KOMPONENTER],
            nokkel="oppgjor",
        ),
        Ark(
            "Linjer",
            [
                _tjenestekode(),
                Kolonne("tjenestegruppe", synlig="maskin"),
                Kolonne("tjenestegruppe_navn", overskrift="Tjenestegruppe", synlig="menneske"),
                Kolonne("enhet", synlig="maskin"),
                Kolonne("enhet_navn", overskrift="Enhet", synlig="menneske"),
                Kolonne("volum", VOLUM, "Volum"),
                Kolonne("sats", BELOP, "Sats (kr)"),
                Kolonne("belop", BELOP, "Vedtakstilskudd (kr)"),
                Kolonne("antall_vedtak", HELTALL, "Antall vedtak"),
                Kolonne("mangler_sats", overskrift="Mangler sats"),
            ],
            [
                (
                    linje["tjenestekode"],
                    linje["tjenestegruppe"],
                    gruppenavn(linje["tjenestegruppe"]),
                    linje["enhet"],
                    ENHETER.get(linje["enhet"], linje["enhet"]),
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
                    _tjenestekode(),
                    Kolonne("vedtak_id", overskrift="Vedtak-ID"),
                    Kolonne("volum", VOLUM, "Volum"),
                    Kolonne("belop", BELOP, "Vedtakstilskudd (kr)"),
                    Kolonne("mangler_sats", overskrift="Mangler sats"),
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


def _penger() -> list[Kolonne]:
    return [Kolonne(k, BELOP, f"{_KOMPONENTNAVN.get(k, k)} (kr)") for k in KOMPONENTER]


def nasjonalt_ark(dokument: Mapping[str, Any]) -> list[Ark]:
    """The national quarter: one row per municipality, and the totals."""
    return [
        Ark(
            "Kommuner",
            [
                *_kommunenummer(),
                *_penger(),
                Kolonne("utstedt_versjon", HELTALL, "Utstedt versjon"),
                Kolonne("utstedt_sum", BELOP, "Utstedt sum (kr)"),
                Kolonne("korreksjon_ventende", overskrift="Korreksjon venter"),
                Kolonne("ventende_belop", BELOP, "Ventende beløp (kr)"),
                Kolonne("advarsler", overskrift="Advarsler"),
            ],
            [
                (
                    rad["kommunenummer"],
                    kommunens_navn(rad["kommunenummer"]),
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
        Ark("Totalt", _penger(), [tuple(dokument["totalt"][k] for k in KOMPONENTER)]),
        _om({"visning": "nasjonalt", **{k: dokument[k] for k in ("aar", "kvartal", "per")}}),
    ]


def _timer() -> list[Kolonne]:
    return [
        Kolonne("vedtatte_timer", VOLUM, "Vedtatte timer"),
        Kolonne("utforte_timer", VOLUM, "Utførte timer"),
        Kolonne("andel", ANDEL, "Utført andel (%)"),
    ]


def revisjon_ark(dokument: Mapping[str, Any]) -> list[Ark]:
    """Decided vs delivered time: per tjenestekode, then per vedtak with flags."""
    return [
        Ark(
            "Tjenester",
            [_tjenestekode(), *_timer()],
            [
                (r["tjenestekode"], r["vedtatte_timer"], r["utforte_timer"], r["andel"])
                for r in dokument["tjenester"]
            ],
        ),
        Ark(
            "Vedtak",
            [
                Kolonne("vedtak_id", overskrift="Vedtak-ID"),
                _tjenestekode(),
                *_timer(),
                Kolonne("flagg", synlig="maskin"),
                Kolonne("flagg_navn", overskrift="Flagg", synlig="menneske"),
                Kolonne("antall_rapporter", HELTALL, "Antall rapporter"),
            ],
            [
                (
                    r["vedtak_id"],
                    r["tjenestekode"],
                    r["vedtatte_timer"],
                    r["utforte_timer"],
                    r["andel"],
                    list(r["flagg"]),
                    ", ".join(FLAGG.get(f, f) for f in r["flagg"]),
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
