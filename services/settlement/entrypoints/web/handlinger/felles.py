"""What every action page needs: the person with the API's scope, form fields, and a
page that shows an application's refusal (409, 422) as a message beside the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from services.settlement.entrypoints.web import KAKE, csrf
from services.settlement.entrypoints.web.maler import vis
from shared.feil import Applikasjonsfeil
from shared.maskering import masker
from shared.problem import Problem, fra_applikasjonsfeil
from shared.tilgang.avhengigheter import Tilgang, TilgangsKontroll
from shared.tilgang.scopes import OPPGJOR_READ, OPPGJOR_WRITE, REVISJON_READ

MAKS_TEKST = 500


def _krev(*scopes: str) -> Callable[[Request], Tilgang]:
    def avhengighet(request: Request) -> Tilgang:
        kontroll: TilgangsKontroll = request.app.state.tilgang
        hode = request.headers.get("Authorization")
        kake = request.cookies.get(KAKE)
        tilgang = kontroll.verifiser(hode or (f"Bearer {kake}" if kake else None))
        if not tilgang.har_scope(*scopes):
            hvem = tilgang.navn or tilgang.organisasjonsnummer
            raise HTTPException(
                403, f"{hvem} har ikke tilgang til dette: det krever {' eller '.join(scopes)}."
            )
        return tilgang

    return avhengighet


# The API's scopes, action by action (entrypoints/api/*.py).
Skriver = Annotated[Tilgang, Depends(_krev(OPPGJOR_WRITE))]
Leser = Annotated[Tilgang, Depends(_krev(OPPGJOR_READ, REVISJON_READ))]
Revisor = Annotated[Tilgang, Depends(_krev(REVISJON_READ))]


def side(request: Request, mal: str, status: int = 200, **kontekst: Any) -> Response:
    """A page whose forms carry the CSRF token."""
    return vis(request, mal, status=status, csrf=csrf.skjult_felt(request), **kontekst)


def avvisning(feil: Exception) -> tuple[int, str]:
    """An application's refusal as (status, Norwegian message), as the API would answer it."""
    if isinstance(feil, Applikasjonsfeil):
        problem = fra_applikasjonsfeil(feil)
        return problem.status, masker(_med_detaljer(problem))
    if isinstance(feil, Problem):
        return feil.status, masker(_med_detaljer(feil))
    raise feil


def _med_detaljer(problem: Problem) -> str:
    detaljer = [
        f"{e.get('felt') or ''}: {e.get('detail')}".strip(": ")
        for e in (problem.errors or [])
        if isinstance(e, dict)
    ]
    return problem.detail + (f" ({'; '.join(detaljer)})" if detaljer else "")


def tekst(skjema: FormData, navn: str) -> str:
    verdi = skjema.get(navn)
    if not isinstance(verdi, str):
        return ""
    return verdi.strip()[:MAKS_TEKST]


def belop(verdi: str) -> str:
    """A sum as people type it ("1 234,50") in the API's form ("1234.50"); checked later."""
    return verdi.replace("\u00a0", "").replace(" ", "").replace(",", ".")
