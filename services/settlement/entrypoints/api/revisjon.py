"""The auditor's API: decided vs delivered time, and the log replayed as known at T."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from services.settlement.entrypoints.api import eksport
from services.settlement.entrypoints.api.felles import (
    PROBLEM_SVAR,
    Aar,
    Knr,
    Kvartal,
    Per,
    Tj,
    logg_innsyn,
)
from shared.problem import Problem
from shared.tilgang.avhengigheter import Tilgang, krev_scope
from shared.tilgang.scopes import OPPGJOR_READ, REVISJON_READ

router = APIRouter(tags=["revisjon"])
Revisor = Annotated[Tilgang, Depends(krev_scope(REVISJON_READ, OPPGJOR_READ))]


@router.get(
    "/v1/revisjon/kommuner/{kommunenummer}/{aar}/{kvartal}/vedtatt-utfort",
    summary="Vedtatt mot utført tid per vedtak og tjenestekode (regelverk 5)",
    response_model=dict[str, Any],
    responses={**PROBLEM_SVAR, **eksport.openapi_svar("`vedtak`, `tjenester`, `om`")},
)
def vedtatt_utfort(
    request: Request,
    kommunenummer: Knr,
    aar: Aar,
    kvartal: Kvartal,
    per: Per,
    t: Tj,
    tilgang: Revisor,
    terskel: Annotated[str, Query(description="Andel under dette flagges under_terskel")] = "0.90",
    format_: eksport.FormatParam = None,
    tabell: eksport.TabellParam = None,
) -> dict[str, Any] | Response:
    tilgang.krev_kommune(kommunenummer)
    valgt = eksport.velg_format(format_, request.headers.get("accept"))
    try:
        grense = Decimal(terskel)
    except InvalidOperation:
        raise Problem(422, f"terskel={terskel!r} er ikke et desimaltall") from None
    if not grense.is_finite():  # NaN would fail the range check with an exception
        raise Problem(422, f"terskel={terskel!r} er ikke et endelig desimaltall")
    t.oppgjor.oppdater()
    logg_innsyn(t, tilgang, kommunenummer, f"revisjon/{aar}/{kvartal}/vedtatt-utfort")
    rapport = t.revisjon.vedtatt_utfort(kommunenummer, aar, kvartal, per, grense)
    if valgt == "json":
        return rapport
    ark = eksport.revisjon_ark(rapport)
    # CSV defaults to the vedtak rows: the flags are what an auditor exports.
    return eksport.svar(
        ark, valgt, f"vedtatt_utfort_{kommunenummer}_{aar}_K{kvartal}", tabell or "vedtak"
    )


@router.get(
    "/v1/revisjon/kommuner/{kommunenummer}/hendelser",
    summary="Kommunens hendelser slik de var kjent per tidspunktet, side for side",
    responses=PROBLEM_SVAR,
)
def hendelser(
    kommunenummer: Knr,
    per: Per,
    t: Tj,
    tilgang: Revisor,
    etter: Annotated[int, Query(ge=0, description="Loggposisjonen siden begynner etter")] = 0,
    grense: Annotated[int, Query(ge=1, le=1000)] = 100,
    vedtak_id: str | None = None,
) -> dict[str, Any]:
    tilgang.krev_kommune(kommunenummer)
    t.oppgjor.oppdater()
    logg_innsyn(t, tilgang, kommunenummer, f"revisjon/hendelser?etter={etter}")
    return t.revisjon.hendelser(kommunenummer, per, etter, grense, vedtak_id)
