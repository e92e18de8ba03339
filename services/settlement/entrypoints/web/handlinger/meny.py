"""The actions page: what this person's role may do, each behind a small chooser."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from services.settlement.entrypoints.api.felles import Tj
from services.settlement.entrypoints.web.handlinger.felles import Leser, side
from services.settlement.entrypoints.web.rute import SideRute
from services.settlement.entrypoints.web.visning import KOMMUNER
from shared.lagring.logg import naa

router = APIRouter(route_class=SideRute)

MAL = {
    "utsted": "/ui/kommuner/{knr}/oppgjor/{aar}/{kvartal}/utsted",
    "grunnlag": "/ui/kommuner/{knr}/grunnlag/{aar}",
    "las": "/ui/kommuner/{knr}/aar/{aar}/las",
    "saldo": "/ui/kommuner/{knr}/saldo",
}


@router.get("/handlinger")
def handlinger(request: Request, t: Tj, tilgang: Leser) -> Response:
    kjente = set(t.lesing.synlige_kommuner(tilgang, naa()))
    if tilgang.rolle == "hdir":
        kjente |= set(KOMMUNER)
    kommuner = tilgang.synlige(kjente | set(tilgang.kommuner))
    return side(request, "handlinger.html", tilgang=tilgang, kommuner=kommuner, aar=naa().year)


@router.get("/handlinger/ga")
def ga(
    tilgang: Leser,
    handling: Literal["utsted", "grunnlag", "las", "saldo"],
    kommunenummer: Annotated[str, Query(pattern=r"^[0-9]{4}$")],
    aar: Annotated[int, Query(ge=2000, le=2100)] = 2000,
    kvartal: Annotated[int, Query(ge=1, le=4)] = 1,
) -> Response:
    """The choosers' GET forms: on to the chosen action's page (which checks access)."""
    sti = MAL[handling].format(knr=kommunenummer, aar=aar, kvartal=kvartal)
    return RedirectResponse(sti, status_code=303)
