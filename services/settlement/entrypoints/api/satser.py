"""Hdir's price tables: PUT/GET /v1/satser/{aar} (api.md "Hdir: prices and funding basis")."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from services.settlement.application.dokument import kilde_json
from services.settlement.entrypoints.api.felles import (
    KROPP_SVAR,
    PROBLEM_SVAR,
    Aar,
    Per,
    RaaJson,
    Tj,
    modell,
)
from shared.events import SatsLinje
from shared.events.tekst import Tekst
from shared.openapi import kropp_dok
from shared.problem import Problem
from shared.tilgang.avhengigheter import Tilgang, krev_scope
from shared.tilgang.scopes import OPPGJOR_READ, OPPGJOR_WRITE, REVISJON_READ, VEDTAK_WRITE

router = APIRouter(tags=["satser"])


class SatstabellInn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    satser: list[SatsLinje]
    kilde: Annotated[Tekst, Field(max_length=1000)] | None = None


class SatsVersjon(BaseModel):
    aar: int
    versjon: int


@router.put(
    "/v1/satser/{aar}",
    response_model=SatsVersjon,
    summary="Publiser en ny versjon av årets satstabell",
    openapi_extra=kropp_dok(SatstabellInn),
    responses=KROPP_SVAR,
)
def publiser_satser(
    aar: Aar,
    kropp: RaaJson,
    t: Tj,
    _: Annotated[Tilgang, Depends(krev_scope(OPPGJOR_WRITE))],
) -> SatsVersjon:
    inn = modell(SatstabellInn, kropp)
    versjon = t.publisering.publiser_satser(aar, inn.satser, inn.kilde)
    return SatsVersjon(aar=aar, versjon=versjon)


@router.get(
    "/v1/satser/{aar}",
    summary="Satstabellen som gjaldt per tidspunktet",
    responses=PROBLEM_SVAR,
)
def hent_satser(
    aar: Aar,
    per: Per,
    t: Tj,
    _: Annotated[
        Tilgang, Depends(krev_scope(OPPGJOR_READ, REVISJON_READ, OPPGJOR_WRITE, VEDTAK_WRITE))
    ],
) -> dict[str, Any]:
    t.oppgjor.oppdater()
    tabell = t.lesemodell.satstabell(aar, per)
    if tabell is None:
        raise Problem(404, f"Ingen satstabell for {aar} er publisert per {per.isoformat()}")
    return {
        "aar": aar,
        "versjon": tabell.versjon,
        "publisert": kilde_json(tabell.kilde),
        "satser": [
            {"tjenestekode": kode, "sats": format(sats.quantize(Decimal("0.01")), "f")}
            for kode, sats in sorted(tabell.satser.items())
        ],
    }
