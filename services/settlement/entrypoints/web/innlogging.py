"""Who is looking: the API's bearer tokens, kept in an HttpOnly cookie for the pages.

A person pastes a token (from `oppgjor token` locally, or Maskinporten) once; every page
then verifies it exactly as the API does, with the same scopes and municipality checks.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from services.settlement.entrypoints.web import KAKE
from services.settlement.entrypoints.web.maler import vis
from services.settlement.entrypoints.web.rute import SideRute
from shared.tilgang.avhengigheter import Tilgang, TilgangsKontroll
from shared.tilgang.scopes import OPPGJOR_READ, REVISJON_READ

LESE = (OPPGJOR_READ, REVISJON_READ)
DEMO_KOMMANDO = (
    'oppgjor token --org 983544622 --scope "sio:oppgjor.read sio:oppgjor.write sio:revisjon.read"'
)
MAKS_SKJEMA = 16 * 1024


def _kontroll(request: Request) -> TilgangsKontroll:
    kontroll: TilgangsKontroll = request.app.state.tilgang
    return kontroll


def _token(request: Request) -> str | None:
    """The Authorization header wins (scripts), else the login cookie (browsers)."""
    hode = request.headers.get("Authorization")
    if hode:
        return hode
    kake = request.cookies.get(KAKE)
    return f"Bearer {kake}" if kake else None


def leser(request: Request) -> Tilgang:
    """The reader of a page: 401 (-> the login page) or 403 like the API's read endpoints."""
    tilgang = _kontroll(request).verifiser(_token(request))
    if not tilgang.har_scope(*LESE):
        raise HTTPException(
            403,
            f"{tilgang.navn or tilgang.organisasjonsnummer} har verken {' eller '.join(LESE)}",
        )
    return tilgang


Leser = Annotated[Tilgang, Depends(leser)]


def trygg_neste(neste: str | None) -> str:
    """Only ever send a person back into /ui on this host (no open redirect)."""
    if not neste:
        return "/ui"
    deler = urlsplit(neste)
    if deler.scheme or deler.netloc or not deler.path.startswith("/ui") or "\\" in neste:
        return "/ui"
    return neste


def samme_opphav(request: Request) -> bool:
    """A form post from another site is refused (the cookie is SameSite=Strict as well)."""
    opphav = request.headers.get("Origin")
    if opphav is None:  # not every client sends it; SameSite still protects the cookie
        return True
    return opphav != "null" and urlsplit(opphav).netloc == request.headers.get("Host", "")


router = APIRouter(route_class=SideRute)


@router.get("/logg-inn")
def innlogging(request: Request, neste: str | None = None, utlopt: bool = False) -> Response:
    return vis(
        request,
        "logg_inn.html",
        neste=trygg_neste(neste),
        utlopt=utlopt,
        feil=None,
        kommando=DEMO_KOMMANDO,
    )


@router.post("/logg-inn")
async def logg_inn(request: Request) -> Response:
    if not samme_opphav(request):
        raise HTTPException(403, "Skjemaet kom fra et annet nettsted")
    kropp = await request.body()
    if len(kropp) > MAKS_SKJEMA:
        raise HTTPException(413, "Skjemaet er for stort")
    felt = parse_qs(kropp.decode("utf-8", errors="replace"), max_num_fields=4)
    token = (felt.get("token") or [""])[0].strip()
    if token.lower().startswith("bearer "):  # pasted with its scheme: fine
        token = token[7:].strip()
    neste = trygg_neste(next(iter(felt.get("neste", [])), None))

    def avvis(status: int, melding: str) -> Response:
        return vis(
            request,
            "logg_inn.html",
            status=status,
            neste=neste,
            utlopt=False,
            feil=melding,
            kommando=DEMO_KOMMANDO,
        )

    if not token:
        return avvis(400, "Lim inn et token.")
    try:
        tilgang = await run_in_threadpool(_kontroll(request).verifiser, f"Bearer {token}")
    except HTTPException as e:
        return avvis(e.status_code, f"Tokenet ble ikke godtatt: {e.detail}")
    if not tilgang.har_scope(*LESE):
        return avvis(403, f"Tokenet mangler scope {' eller '.join(LESE)}.")
    svar = RedirectResponse(neste, status_code=303)
    svar.set_cookie(
        KAKE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/ui",
    )
    return svar


@router.post("/logg-ut")
def logg_ut(request: Request) -> Response:
    if not samme_opphav(request):
        raise HTTPException(403, "Skjemaet kom fra et annet nettsted")
    svar = RedirectResponse("/ui/logg-inn", status_code=303)
    svar.delete_cookie(KAKE, path="/ui", httponly=True, samesite="strict")
    return svar
