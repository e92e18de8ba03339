"""The auditor's API: decided vs delivered time, and the log replayed as known at T."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from services.settlement.domain.fakta import tid
from services.settlement.entrypoints.api import eksport
from services.settlement.entrypoints.api.felles import (
    PROBLEM_SVAR,
    Aar,
    Knr,
    Kvartal,
    Per,
    Tj,
    json_svar,
    tolk_per,
)
from services.settlement.entrypoints.api.grenser import (
    TIDSPUNKT_BESKRIVELSE,
    Etter,
    Terskel,
    VedtakIdSporring,
    tolk_terskel,
)
from shared import svarmodeller
from shared.tilgang.avhengigheter import Tilgang, krev_scope
from shared.tilgang.scopes import OPPGJOR_READ, REVISJON_READ

router = APIRouter(tags=["revisjon"])
Revisor = Annotated[Tilgang, Depends(krev_scope(REVISJON_READ, OPPGJOR_READ))]


@router.get(
    "/v1/revisjon/kommuner/{kommunenummer}/{aar}/{kvartal}/vedtatt-utfort",
    summary="Vedtatt mot utført tid per vedtak og tjenestekode (regelverk 5)",
    responses={
        **PROBLEM_SVAR,
        **eksport.openapi_svar(svarmodeller.VedtattUtfort, "`vedtak`, `tjenester`, `om`"),
    },
    description=(
        "Vedtatt mot utført tid (regelverk 5): per tjenestekode og per vedtak, med andel "
        "utført og flagg (`ingen_rapport`, `under_terskel` under `terskel`, `over_vedtak`). "
        "Personnær lesing: logges. Kan også lastes ned som regneark (`?format=`)."
    ),
    response_model=None,
)
def vedtatt_utfort(
    request: Request,
    kommunenummer: Knr,
    aar: Aar,
    kvartal: Kvartal,
    per: Per,
    t: Tj,
    tilgang: Revisor,
    terskel: Terskel = "0.90",
    format_: eksport.FormatParam = None,
    tabell: eksport.TabellParam = None,
) -> dict[str, Any] | Response:
    tilgang.krev_kommune(kommunenummer)
    valgt = eksport.velg_format(format_, request.headers.get("accept"))
    grense = tolk_terskel(terskel)
    rapport = t.lesing.vedtatt_utfort(tilgang, kommunenummer, aar, kvartal, per, grense)
    if valgt == "json":
        return json_svar(rapport)
    ark = eksport.revisjon_ark(rapport)
    # CSV defaults to the vedtak rows: the flags are what an auditor exports.
    return eksport.svar(
        ark, valgt, f"vedtatt_utfort_{kommunenummer}_{aar}_K{kvartal}", tabell or "vedtak"
    )


@router.get(
    "/v1/revisjon/kommuner/{kommunenummer}/hendelser",
    summary="Kommunens hendelser slik de var kjent per tidspunktet, side for side",
    responses={**PROBLEM_SVAR, **svarmodeller.dok(svarmodeller.Hendelsesside, "En side av loggen")},
    description=(
        "Kommunens hendelser slik de var kjent per `per`, i loggrekkefølge, én side om "
        "gangen: `neste_etter` gir neste side (`?etter=`), `vedtak_id` avgrenser til ett "
        "vedtak. Personnær lesing: logges."
    ),
    response_model=None,
)
def hendelser(
    kommunenummer: Knr,
    per: Per,
    t: Tj,
    tilgang: Revisor,
    etter: Etter = 0,
    grense: Annotated[int, Query(ge=1, le=1000)] = 100,
    vedtak_id: VedtakIdSporring = None,
) -> dict[str, Any]:
    tilgang.krev_kommune(kommunenummer)
    return t.lesing.hendelser(tilgang, kommunenummer, per, etter, grense, vedtak_id)


@router.get(
    "/v1/revisjon/innsyn",
    summary="Hvem har lest personnære data (vedtakslinjer, revisjonsrader, logg), og når",
    responses={**PROBLEM_SVAR, **svarmodeller.dok(svarmodeller.Innsyn, "Innsynsloggen")},
    description=(
        "Hvem som har lest personnære data (vedtakslinjer, revisjonsrader, logg) for "
        "revisorens kommuner, og når; filtrert på kommune og tidsrom."
    ),
    response_model=None,
)
def innsyn(
    t: Tj,
    tilgang: Annotated[Tilgang, Depends(krev_scope(REVISJON_READ))],
    kommunenummer: Annotated[str | None, Query(pattern=r"^[0-9]{4}$")] = None,
    fra: Annotated[str | None, Query(description="Fra og med: " + TIDSPUNKT_BESKRIVELSE)] = None,
    til: Annotated[
        str | None, Query(description="Til og med; standard nå. " + TIDSPUNKT_BESKRIVELSE)
    ] = None,
    grense: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> dict[str, Any]:
    if kommunenummer is not None:
        tilgang.krev_kommune(kommunenummer)
    kommuner = [kommunenummer] if kommunenummer else sorted(tilgang.kommuner)
    start = tolk_per(fra, "fra") if fra else datetime(2000, 1, 1, tzinfo=UTC)
    rader = t.lesing.innsyn(kommuner, start, tolk_per(til, "til"), grense)
    return {
        "kommuner": kommuner,
        "innsyn": [
            {
                "tidspunkt": tid(r.tidspunkt),
                "organisasjonsnummer": r.organisasjonsnummer,
                "rolle": r.rolle,
                "kommunenummer": r.kommunenummer,
                "ressurs": r.ressurs,
            }
            for r in rader
        ],
    }
