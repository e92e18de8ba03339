"""Hdir's views across municipalities: the national quarter, payments and balances."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from services.settlement.entrypoints.api import eksport
from services.settlement.entrypoints.api.felles import (
    KROPP_SVAR,
    PROBLEM_SVAR,
    Aar,
    Knr,
    Kvartal,
    Per,
    RaaJson,
    Tj,
    json_svar,
    modell,
)
from shared import svarmodeller
from shared.events.hdir import Kildetekst
from shared.events.typer import Dato, Desimal
from shared.openapi import kropp_dok
from shared.tilgang.avhengigheter import Tilgang, krev_scope
from shared.tilgang.scopes import OPPGJOR_READ, OPPGJOR_WRITE, REVISJON_READ

router = APIRouter(tags=["nasjonalt"])


class UtbetalingInn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "aar": 2017,
                    "kvartal": 1,
                    "belop": "1234567.89",
                    "betalt_dato": "2017-05-15",
                    "referanse": "Bilag 2017-0415",
                }
            ]
        },
    )
    aar: int = Field(ge=2000, le=2100)
    kvartal: int = Field(ge=1, le=4)
    belop: Desimal
    betalt_dato: Dato
    referanse: Kildetekst | None = None
    utbetaling_id: UUID | None = Field(
        default=None, description="Avsenderens id; samme id to ganger gir 409"
    )


@router.get(
    "/v1/oppgjor/{aar}/{kvartal}",
    summary="Alle kommuners kvartal: beregnet, sist utstedt og ventende korreksjon",
    responses={
        **PROBLEM_SVAR,
        **eksport.openapi_svar(svarmodeller.Nasjonalt, "`kommuner`, `totalt`, `om`"),
    },
    description=(
        "Alle kommuner den innloggede kan se, for kvartalet per `per`: beregnede komponenter,"
        " siste utstedte versjon og sum, om en korreksjon venter og hvor stor den er, og "
        "totalen. Kan også lastes ned som regneark (`?format=`)."
    ),
    response_model=None,
)
def nasjonalt_kvartal(
    request: Request,
    aar: Aar,
    kvartal: Kvartal,
    per: Per,
    t: Tj,
    tilgang: Annotated[Tilgang, Depends(krev_scope(OPPGJOR_READ, REVISJON_READ))],
    format_: eksport.FormatParam = None,
    tabell: eksport.TabellParam = None,
) -> dict[str, Any] | Response:
    valgt = eksport.velg_format(format_, request.headers.get("accept"))
    oversikt = t.lesing.nasjonal(tilgang, aar, kvartal, per)
    if valgt == "json":
        return json_svar(oversikt)
    return eksport.svar(eksport.nasjonalt_ark(oversikt), valgt, f"oppgjor_{aar}_K{kvartal}", tabell)


@router.post(
    "/v1/kommuner/{kommunenummer}/utbetalinger",
    status_code=201,
    summary="Registrer en utbetaling til kommunen",
    openapi_extra=kropp_dok(UtbetalingInn),
    responses={
        **KROPP_SVAR,
        **svarmodeller.dok(svarmodeller.Utbetaling, "Utbetalingen slik den ble registrert", 201),
    },
    description=(
        "Registrerer en utbetaling til kommunen for et kvartal: `aar`, `kvartal`, `belop` "
        "(kroner, hele øre), `betalt_dato` og valgfri `referanse` og `utbetaling_id`. En "
        "gjentatt `utbetaling_id` gir 409."
    ),
    response_model=None,
)
def registrer_utbetaling(
    kommunenummer: Knr,
    kropp: RaaJson,
    t: Tj,
    tilgang: Annotated[Tilgang, Depends(krev_scope(OPPGJOR_WRITE))],
) -> dict[str, object]:
    tilgang.krev_kommune(kommunenummer)
    inn = modell(UtbetalingInn, kropp)
    return t.publisering.registrer_utbetaling(
        kommunenummer,
        inn.aar,
        inn.kvartal,
        inn.belop,
        inn.betalt_dato,
        inn.referanse,
        inn.utbetaling_id,
    )


@router.get(
    "/v1/kommuner/{kommunenummer}/saldo",
    summary="Utstedt minus utbetalt, per kvartal og totalt",
    responses={**PROBLEM_SVAR, **svarmodeller.dok(svarmodeller.Saldo, "Saldoen")},
    description=(
        "Utstedt (siste versjon per kvartal) minus utbetalt, per kvartal og totalt, slik det "
        "var kjent per `per`."
    ),
    response_model=None,
)
def saldo(
    kommunenummer: Knr,
    per: Per,
    t: Tj,
    tilgang: Annotated[Tilgang, Depends(krev_scope(OPPGJOR_READ, REVISJON_READ))],
) -> dict[str, Any]:
    tilgang.krev_kommune(kommunenummer)
    return t.lesing.saldo(kommunenummer, per)
