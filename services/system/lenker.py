"""OpenAPI links: which answer feeds which next request (OpenAPI 3.1 "links").

They tell a client, and schemathesis's stateful phase, how the operations chain: a
published price table can be read back, an issued quarter has versions, a balance and an
audit view, a payment shows in the balance, a locked year can be reopened. Links are added
to the generated document by method and path, so no route module needs to know of them.
"""

from __future__ import annotations

from typing import Any

KNR = "/v1/kommuner/{kommunenummer}"
KVARTAL = KNR + "/oppgjor/{aar}/{kvartal}"
FRA_SVAR = {
    "kommunenummer": "$response.body#/kommunenummer",
    "aar": "$response.body#/aar",
    "kvartal": "$response.body#/kvartal",
}
FRA_STI = {"kommunenummer": "$request.path.kommunenummer", "aar": "$request.path.aar"}

# (method, path, status) -> {link name: (method, path, parameters)}
LENKER: dict[tuple[str, str, str], dict[str, tuple[str, str, dict[str, str]]]] = {
    ("put", "/v1/satser/{aar}", "200"): {
        "HentSatser": ("get", "/v1/satser/{aar}", {"aar": "$response.body#/aar"}),
    },
    ("put", KNR + "/grunnlag/{aar}", "200"): {
        "HentGrunnlag": ("get", KNR + "/grunnlag/{aar}", FRA_STI),
        "LasAar": ("post", KNR + "/aar/{aar}/las", FRA_STI),
    },
    ("post", KNR + "/aar/{aar}/las", "200"): {
        "GjenapneAar": ("post", KNR + "/aar/{aar}/gjenapne", FRA_STI),
    },
    ("post", KNR + "/aar/{aar}/gjenapne", "200"): {
        "LasAar": ("post", KNR + "/aar/{aar}/las", FRA_STI),
    },
    ("get", KVARTAL, "200"): {
        "Utsted": ("post", KVARTAL + "/utsted", FRA_SVAR),
        "Versjoner": ("get", KVARTAL + "/versjoner", FRA_SVAR),
        "VedtattUtfort": (
            "get",
            "/v1/revisjon/kommuner/{kommunenummer}/{aar}/{kvartal}/vedtatt-utfort",
            FRA_SVAR,
        ),
    },
    ("post", KVARTAL + "/utsted", "201"): {
        "Versjoner": ("get", KVARTAL + "/versjoner", FRA_SVAR),
        "Oppgjor": ("get", KVARTAL, FRA_SVAR),
        "Endring": ("get", KVARTAL + "/endring", FRA_SVAR),
        "Saldo": ("get", KNR + "/saldo", {"kommunenummer": "$response.body#/kommunenummer"}),
        "Utbetal": (
            "post",
            KNR + "/utbetalinger",
            {"kommunenummer": "$response.body#/kommunenummer"},
        ),
    },
    ("post", KNR + "/utbetalinger", "201"): {
        "Saldo": ("get", KNR + "/saldo", {"kommunenummer": "$response.body#/kommunenummer"}),
    },
    ("post", "/v1/hendelser", "200"): {
        "Logg": (
            "get",
            "/v1/revisjon/kommuner/{kommunenummer}/hendelser",
            {"kommunenummer": "$request.body#/hendelser/0/kommunenummer"},
        ),
        "Vedtak": (
            "get",
            KVARTAL + "/vedtak/{vedtak_id}",
            {
                "kommunenummer": "$request.body#/hendelser/0/kommunenummer",
                "vedtak_id": "$request.body#/hendelser/0/vedtak_id",
            },
        ),
    },
}


def legg_til_lenker(dokument: dict[str, Any]) -> int:
    """Add the links to a generated OpenAPI document; returns how many were added."""
    stier = dokument.get("paths", {})
    antall = 0
    for (metode, sti, status), lenker in LENKER.items():
        svar = stier.get(sti, {}).get(metode, {}).get("responses", {}).get(status)
        if svar is None:
            continue  # the route is gone or renamed: its links go with it
        for navn, (til_metode, til_sti, parametre) in lenker.items():
            mal = stier.get(til_sti, {}).get(til_metode)
            if mal is None or "operationId" not in mal:
                continue
            svar.setdefault("links", {})[navn] = {
                "operationId": mal["operationId"],
                "parameters": parametre,
            }
            antall += 1
    return antall
