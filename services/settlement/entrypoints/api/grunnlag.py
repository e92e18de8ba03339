"""Hdir's funding basis per municipality and year, and the year lock (regelverk 3, 4.7)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict

from services.settlement.domain.fakta import kilde_json
from services.settlement.entrypoints.api.felles import (
    KROPP_SVAR,
    PROBLEM_SVAR,
    Aar,
    Knr,
    Per,
    RaaJson,
    Tj,
    modell,
)
from shared import svarmodeller
from shared.events.hdir import Begrunnelse as Begrunnelsestekst
from shared.events.typer import Dato, Desimal
from shared.openapi import kropp_dok
from shared.tilgang.avhengigheter import Tilgang, krev_scope
from shared.tilgang.scopes import OPPGJOR_READ, OPPGJOR_WRITE, REVISJON_READ

router = APIRouter(tags=["grunnlag"])


class GrunnlagInn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "uttrekk": "101800000.00",
                    "rundsum": "3600000.00",
                    "inntektspaslag": "3600000.00",
                    "startdato": None,
                }
            ]
        },
    )
    uttrekk: Desimal
    rundsum: Desimal
    inntektspaslag: Desimal
    startdato: Dato | None = None


class Begrunnelse(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"begrunnelse": "Årsregnskapet 2016 er attestert"}]},
    )
    begrunnelse: Begrunnelsestekst | None = None


@router.put(
    "/v1/kommuner/{kommunenummer}/grunnlag/{aar}",
    summary="Publiser kommunens finansieringsgrunnlag for året",
    openapi_extra=kropp_dok(GrunnlagInn),
    responses={
        **KROPP_SVAR,
        **svarmodeller.dok(svarmodeller.Grunnlag, "Det publiserte grunnlaget"),
    },
    description=(
        "Publiserer kommunens finansieringsgrunnlag for året som en ny versjon: uttrekk, "
        "rundsum og inntektspåslag for hele året (kroner, hele øre) og eventuelt startdato. "
        "Kvartalene regnes ut fra dette (regelverk 4.5)."
    ),
    response_model=None,
)
def publiser_grunnlag(
    kommunenummer: Knr,
    aar: Aar,
    kropp: RaaJson,
    t: Tj,
    tilgang: Annotated[Tilgang, Depends(krev_scope(OPPGJOR_WRITE))],
) -> dict[str, Any]:
    tilgang.krev_kommune(kommunenummer)
    inn = modell(GrunnlagInn, kropp)
    versjon = t.publisering.publiser_grunnlag(
        kommunenummer, aar, inn.uttrekk, inn.rundsum, inn.inntektspaslag, inn.startdato
    )
    return {
        "kommunenummer": kommunenummer,
        "aar": aar,
        "versjon": versjon,
        **_penger(inn.uttrekk, inn.rundsum, inn.inntektspaslag),
        "startdato": inn.startdato.isoformat() if inn.startdato else None,
    }


@router.get(
    "/v1/kommuner/{kommunenummer}/grunnlag/{aar}",
    summary="Finansieringsgrunnlaget som gjaldt per tidspunktet",
    responses={**PROBLEM_SVAR, **svarmodeller.dok(svarmodeller.Grunnlag, "Grunnlaget som gjaldt")},
    description=(
        "Finansieringsgrunnlaget som gjaldt per `per`, med versjon og hvor det ble publisert "
        "i loggen. 404 når kommunen ikke har noe grunnlag for året."
    ),
    response_model=None,
)
def hent_grunnlag(
    kommunenummer: Knr,
    aar: Aar,
    per: Per,
    t: Tj,
    tilgang: Annotated[Tilgang, Depends(krev_scope(OPPGJOR_READ, REVISJON_READ))],
) -> dict[str, Any]:
    tilgang.krev_kommune(kommunenummer)
    g = t.lesing.grunnlag(kommunenummer, aar, per)
    return {
        "kommunenummer": kommunenummer,
        "aar": aar,
        "versjon": g.versjon,
        **_penger(g.uttrekk, g.rundsum, g.inntektspaslag),
        "startdato": g.startdato.isoformat() if g.startdato else None,
        "publisert": kilde_json(g.kilde),
    }


def _penger(uttrekk: Decimal, rundsum: Decimal, inntektspaslag: Decimal) -> dict[str, str]:
    return {
        "uttrekk": format(uttrekk.quantize(Decimal("0.01")), "f"),
        "rundsum": format(rundsum.quantize(Decimal("0.01")), "f"),
        "inntektspaslag": format(inntektspaslag.quantize(Decimal("0.01")), "f"),
    }


@router.post(
    "/v1/kommuner/{kommunenummer}/aar/{aar}/las",
    summary="Lås året etter attestert årsregnskap (regelverk 4.7)",
    openapi_extra=kropp_dok(Begrunnelse),
    responses={**KROPP_SVAR, **svarmodeller.dok(svarmodeller.Aarslas, "Året er låst")},
    description=(
        "Låser kommunens år etter attestert årsregnskap (regelverk 4.7): hendelser med datoer"
        " i året avvises deretter med 409. Valgfri `begrunnelse`."
    ),
    response_model=None,
)
def las_aar(
    kommunenummer: Knr,
    aar: Aar,
    kropp: RaaJson,
    t: Tj,
    tilgang: Annotated[Tilgang, Depends(krev_scope(OPPGJOR_WRITE))],
) -> dict[str, Any]:
    tilgang.krev_kommune(kommunenummer)
    inn = modell(Begrunnelse, kropp or {})
    t.publisering.las_aar(kommunenummer, aar, inn.begrunnelse)
    return {"kommunenummer": kommunenummer, "aar": aar, "last": True}


@router.post(
    "/v1/kommuner/{kommunenummer}/aar/{aar}/gjenapne",
    summary="Gjenåpne et låst år",
    openapi_extra=kropp_dok(Begrunnelse),
    responses={**KROPP_SVAR, **svarmodeller.dok(svarmodeller.Aarslas, "Året er gjenåpnet")},
    description=(
        "Gjenåpner et låst år, med valgfri `begrunnelse`; hendelser for året tas imot igjen."
    ),
    response_model=None,
)
def gjenapne_aar(
    kommunenummer: Knr,
    aar: Aar,
    kropp: RaaJson,
    t: Tj,
    tilgang: Annotated[Tilgang, Depends(krev_scope(OPPGJOR_WRITE))],
) -> dict[str, Any]:
    tilgang.krev_kommune(kommunenummer)
    inn = modell(Begrunnelse, kropp or {})
    t.publisering.gjenapne_aar(kommunenummer, aar, inn.begrunnelse)
    return {"kommunenummer": kommunenummer, "aar": aar, "last": False}
