"""Is this a municipality of the scheme? A page of zeros for a mistyped number misleads."""

from __future__ import annotations

from fastapi import Request

from services.settlement.entrypoints.api.felles import Oppgjorstjenester
from shared.lagring.logg import naa
from shared.problem import Problem
from shared.tilgang.avhengigheter import Tilgang


def krev_kjent_kommune(
    request: Request, t: Oppgjorstjenester, tilgang: Tilgang, kommunenummer: str
) -> None:
    """403 as the API for another's municipality; then 404 unless the municipality is in the
    organisation register or has any fact recorded (now: a page about the past may
    legitimately be empty)."""
    tilgang.krev_kommune(kommunenummer)
    if kommunenummer in request.app.state.tilgang.register.kommuner:
        return
    if kommunenummer in t.lesing.synlige_kommuner(tilgang, naa()):
        return
    raise Problem(
        404,
        f"Kommune {kommunenummer} er ikke med i ordningen: den står ikke i "
        "organisasjonsregisteret og har ingen data. Sjekk kommunenummeret.",
    )
