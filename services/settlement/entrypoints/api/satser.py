"""Hdir's price tables: PUT/GET /v1/satser/{aar} (api.md "Hdir: prices and funding basis")."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from services.settlement.domain.fakta import kilde_json
from services.settlement.domain.satsendring import Satsendring
from services.settlement.entrypoints.api.felles import (
    KROPP_SVAR,
    PROBLEM_SVAR,
    Aar,
    Per,
    RaaJson,
    Tj,
    modell,
)
from shared import svarmodeller
from shared.events import SatsLinje
from shared.events.hdir import Kildetekst
from shared.openapi import kropp_dok
from shared.problem import problemsvar
from shared.tilgang.avhengigheter import Tilgang, krev_scope
from shared.tilgang.scopes import OPPGJOR_READ, OPPGJOR_WRITE, REVISJON_READ, VEDTAK_WRITE

router = APIRouter(tags=["satser"])


class SatstabellInn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "satser": [
                        {"tjenestekode": "HTAMDK", "sats": "724.00"},
                        {"tjenestekode": "LOKO", "sats": "2480.00"},
                    ],
                    "kilde": "Satser 2017, rundskriv",
                }
            ]
        },
    )
    satser: list[SatsLinje]
    kilde: Kildetekst | None = None


class SatsVersjon(BaseModel):
    aar: int
    versjon: int = Field(description="Versjonen som gjelder etter kallet.")
    ny_versjon: bool = Field(
        description="Om kallet publiserte en ny versjon (false: tabellen var lik den som gjaldt)."
    )


class Satsforskjell(BaseModel):
    tjenestekode: str
    gjeldende: str | None
    ny: str | None


class Satsforhandsvisning(BaseModel):
    """What publishing the table would change against the version in force now."""

    aar: int
    gjeldende_versjon: int | None
    ingen_endring: bool
    lagt_til: list[Satsforskjell]
    fjernet: list[Satsforskjell]
    endret: list[Satsforskjell]
    uendret: int


def _kr(sats: Decimal | None) -> str | None:
    return None if sats is None else format(sats.quantize(Decimal("0.01")), "f")


def forhandsvisning(aar: int, e: Satsendring) -> Satsforhandsvisning:
    return Satsforhandsvisning(
        aar=aar,
        gjeldende_versjon=e.gjeldende_versjon,
        ingen_endring=e.ingen_endring,
        lagt_til=[
            Satsforskjell(tjenestekode=k, gjeldende=None, ny=_kr(s)) for k, s in e.lagt_til.items()
        ],
        fjernet=[
            Satsforskjell(tjenestekode=k, gjeldende=_kr(s), ny=None) for k, s in e.fjernet.items()
        ],
        endret=[
            Satsforskjell(tjenestekode=k, gjeldende=_kr(g), ny=_kr(n))
            for k, (g, n) in e.endret.items()
        ],
        uendret=e.uendret,
    )


@router.put(
    "/v1/satser/{aar}",
    response_model=SatsVersjon,
    summary="Publiser en ny versjon av årets satstabell",
    description=(
        "Publiserer tabellen som en ny versjon (api.md). Samme regler som i CLI-en og på "
        "sidene (docs/api-utvidelser.md): en tabell lik den som gjelder, gir ingen ny "
        "versjon (svaret har versjonen som gjelder og `ny_versjon: false`), og en tabell som "
        "fjerner koder som gjelder, avvises med 409 med mindre `tillat_fjerning=true` er "
        "satt; de kodene får da `mangler_sats` fra nå av (regelverk 4.4). Se forskjellen "
        "først med `POST …/forhandsvisning`."
    ),
    openapi_extra=kropp_dok(SatstabellInn),
    responses={
        **KROPP_SVAR,
        **problemsvar(
            (409, "Tabellen fjerner koder som gjelder, uten `tillat_fjerning=true`"),
        ),
    },
)
def publiser_satser(
    aar: Aar,
    kropp: RaaJson,
    t: Tj,
    _: Annotated[Tilgang, Depends(krev_scope(OPPGJOR_WRITE))],
    tillat_fjerning: Annotated[
        bool,
        Query(description="Bekreft at koder som gjelder, fjernes (de får `mangler_sats`)."),
    ] = False,
) -> SatsVersjon:
    inn = modell(SatstabellInn, kropp)
    # The same guards as the CLI and the pages (issue 10): an equal table makes no new
    # version, and dropping codes in force must be confirmed.
    utfall = t.publisering.publiser_satser(
        aar, inn.satser, inn.kilde, tillat_fjerning=tillat_fjerning, hopp_over_lik=True
    )
    return SatsVersjon(aar=aar, versjon=utfall.versjon, ny_versjon=utfall.ny_versjon)


@router.post(
    "/v1/satser/{aar}/forhandsvisning",
    response_model=Satsforhandsvisning,
    summary="Forhåndsvis hva en ny satstabell endrer",
    description=(
        "Sammenligner tabellen med versjonen som gjelder nå: koder lagt til, fjernet og "
        "endret. Ingenting publiseres."
    ),
    openapi_extra=kropp_dok(SatstabellInn),
    responses=KROPP_SVAR,
)
def forhandsvis_satser(
    aar: Aar,
    kropp: RaaJson,
    t: Tj,
    _: Annotated[Tilgang, Depends(krev_scope(OPPGJOR_WRITE))],
) -> Satsforhandsvisning:
    inn = modell(SatstabellInn, kropp)
    return forhandsvisning(aar, t.publisering.forhandsvis_satser(aar, inn.satser))


@router.get(
    "/v1/satser/{aar}",
    summary="Satstabellen som gjaldt per tidspunktet",
    responses={**PROBLEM_SVAR, **svarmodeller.dok(svarmodeller.Satstabell, "Satstabellen")},
    description=(
        "Satstabellen for året slik den gjaldt per `per`: versjon, hvor den ble publisert i "
        "loggen, og én sats (kroner per time eller døgn) per tjenestekode. 404 når året ikke "
        "har noen tabell ennå."
    ),
    response_model=None,
)
def hent_satser(
    aar: Aar,
    per: Per,
    t: Tj,
    _: Annotated[
        Tilgang, Depends(krev_scope(OPPGJOR_READ, REVISJON_READ, OPPGJOR_WRITE, VEDTAK_WRITE))
    ],
) -> dict[str, Any]:
    tabell = t.lesing.satstabell(aar, per)
    return {
        "aar": aar,
        "versjon": tabell.versjon,
        "publisert": kilde_json(tabell.kilde),
        "satser": [
            {"tjenestekode": kode, "sats": format(sats.quantize(Decimal("0.01")), "f")}
            for kode, sats in sorted(tabell.satser.items())
        ],
    }
