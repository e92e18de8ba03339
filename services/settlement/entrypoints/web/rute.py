"""Errors on pages are pages: 401 goes to the login form, the rest get an accessible HTML page.

The API answers errors as problem+json; a person in a browser should get a page in
Norwegian with a way on. This route class does that for the /ui router only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.responses import Response

from services.settlement.entrypoints.web import KAKE
from services.settlement.entrypoints.web.maler import vis
from shared.events.feilmelding import feiltekst
from shared.feil import Applikasjonsfeil
from shared.maskering import masker
from shared.problem import Problem, fra_applikasjonsfeil

logger = logging.getLogger("oppgjor.web")

TITLER = {
    400: "Ugyldig forespørsel",
    403: "Ingen tilgang",
    404: "Finnes ikke",
    406: "Kan ikke levere formatet",
    409: "Konflikt",
    413: "For stor forespørsel",
    422: "Ugyldige verdier",
    500: "Noe gikk galt",
    503: "Tjenesten er utilgjengelig",
}


def _til_innlogging(request: Request) -> Response:
    her = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    utlopt = "&utlopt=1" if request.cookies.get(KAKE) else ""
    svar = RedirectResponse(f"/ui/logg-inn?neste={quote(her, safe='')}{utlopt}", status_code=303)
    if utlopt:  # an expired or foreign token: drop it so the form starts clean
        svar.delete_cookie(KAKE, path="/ui", httponly=True, samesite="strict")
    return svar


def feilside(request: Request, status: int, detalj: str) -> Response:
    return vis(
        request,
        "feil.html",
        status=status,
        kode=status,
        tittel=TITLER.get(status, "Feil"),
        detalj=masker(detalj),  # as in problem answers: no 11-digit number shown
    )


class SideRute(APIRoute):
    """An APIRoute whose errors render as pages instead of problem+json."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def med_feilsider(request: Request) -> Response:
            try:
                return await handler(request)
            except HTTPException as e:
                if e.status_code == 401:
                    return _til_innlogging(request)
                return feilside(request, e.status_code, str(e.detail))
            except Problem as p:
                return feilside(request, p.status, p.detail)
            except Applikasjonsfeil as f:
                problem = fra_applikasjonsfeil(f)
                return feilside(request, problem.status, problem.detail)
            except RequestValidationError as e:
                feil = "; ".join(
                    f"{'.'.join(str(d) for d in f.get('loc', ()))}: {feiltekst(f)}"
                    for f in e.errors()
                )
                return feilside(request, 422, feil)
            except Exception:
                # No path: it can name a vedtak. The request id ties this to the access line.
                logger.exception("uventet feil på en side")
                return feilside(request, 500, "En uventet feil oppstod; den er logget.")

        return med_feilsider
