"""The bottom of the drill-down: one vedtak's lines explained, and its events as known.

quarter lines -> vedtak line -> its explanation (segments, fravær days, staffing, volume,
price-table version; the API's `GET .../vedtak/{vedtak_id}`) -> the vedtak's events as
known at `per` (the API's `GET /v1/revisjon/kommuner/{knr}/hendelser?vedtak_id=`). Both
are person-level reads and go through t.lesing, which logs them in the access log.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from services.settlement.application.revisjon import MAKS_SIDE
from services.settlement.entrypoints.api.felles import Aar, Knr, Kvartal, Tj
from services.settlement.entrypoints.api.grenser import VedtakIdSti
from services.settlement.entrypoints.web.innlogging import Leser
from services.settlement.entrypoints.web.kjent import krev_kjent_kommune
from services.settlement.entrypoints.web.maler import vis
from services.settlement.entrypoints.web.rute import SideRute
from services.settlement.entrypoints.web.tid import Per
from shared.problem import Problem

router = APIRouter(route_class=SideRute)
# These pages have no download; `?format=` is refused in words, not silently ignored.
Nedlasting = Annotated[str | None, Query(alias="format", max_length=10)]


def _ingen_nedlasting(format_: str | None, api_sti: str) -> None:
    if format_ is not None:
        raise Problem(
            406, f"Denne siden kan ikke lastes ned som {format_}; hent JSON fra API-et: {api_sti}"
        )


@router.get("/kommuner/{kommunenummer}/oppgjor/{aar}/{kvartal}/vedtak/{vedtak_id}")
def forklaring(
    request: Request,
    kommunenummer: Knr,
    aar: Aar,
    kvartal: Kvartal,
    vedtak_id: VedtakIdSti,
    per: Per,
    t: Tj,
    tilgang: Leser,
    format_: Nedlasting = None,
) -> Response:
    _ingen_nedlasting(format_, f"/v1/kommuner/{kommunenummer}/oppgjor/{aar}/{kvartal}/vedtak/…")
    krev_kjent_kommune(request, t, tilgang, kommunenummer)
    forklart = t.lesing.forklar(tilgang, kommunenummer, aar, kvartal, vedtak_id, per)
    return vis(
        request,
        "vedtak.html",
        tilgang=tilgang,
        knr=kommunenummer,
        aar=aar,
        kvartal=kvartal,
        f=forklart,
    )


@router.get("/kommuner/{kommunenummer}/vedtak/{vedtak_id}/hendelser")
def hendelser(
    request: Request,
    kommunenummer: Knr,
    vedtak_id: VedtakIdSti,
    per: Per,
    t: Tj,
    tilgang: Leser,
    etter: Annotated[int, Query(ge=0, le=2**62)] = 0,
    aar: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    kvartal: Annotated[int | None, Query(ge=1, le=4)] = None,
    format_: Nedlasting = None,
) -> Response:
    """`aar` and `kvartal` only say which quarter the person came from (the way back)."""
    _ingen_nedlasting(format_, f"/v1/revisjon/kommuner/{kommunenummer}/hendelser?vedtak_id=…")
    krev_kjent_kommune(request, t, tilgang, kommunenummer)
    logg = t.lesing.hendelser(tilgang, kommunenummer, per, etter, MAKS_SIDE, vedtak_id)
    return vis(
        request,
        "hendelser.html",
        tilgang=tilgang,
        knr=kommunenummer,
        vedtak_id=vedtak_id,
        logg=logg,
        aar=aar,
        kvartal=kvartal,
    )
