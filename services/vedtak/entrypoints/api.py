"""POST /v1/hendelser: case systems push vedtak events (api.md "Case systems: events in")."""

from __future__ import annotations

import json
from dataclasses import asdict
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from services.vedtak.application.batch import MAKS_HENDELSER, Avvist
from services.vedtak.application.mottak import Mottak
from shared.events import Hendelse
from shared.openapi import kropp_dok
from shared.problem import Problem, problemsvar
from shared.tilgang.avhengigheter import Tilgang, krev_scope
from shared.tilgang.scopes import VEDTAK_WRITE

router = APIRouter(tags=["hendelser"])


class Hendelsesbatch(BaseModel):
    hendelser: list[Hendelse] = Field(max_length=MAKS_HENDELSER)


class Mottakskvittering(BaseModel):
    mottatt: int
    nye: int
    duplikater: int
    posisjon: int = Field(description="Loggposisjonen etter batchen")


def _mottak(request: Request) -> Mottak:
    mottak: Mottak = request.app.state.mottak
    return mottak


@router.post(
    "/v1/hendelser",
    response_model=Mottakskvittering,
    summary="Motta en batch hendelser fra et fagsystem (alt eller ingenting)",
    openapi_extra=kropp_dok(Hendelsesbatch),
    responses=problemsvar(
        (400, "Kroppen er ikke gyldig JSON"),
        (401, "Mangler eller ugyldig token"),
        (403, "Feil scope, eller en hendelse for en kommune avsenderen ikke har"),
        (409, "hendelse_id gjenbrukt med annet innhold, eller en dato i et låst år"),
        (422, "Ugyldige hendelser; ingenting er lagret"),
        (503, "Databasen er midlertidig utilgjengelig; ingenting ble lagret. Send på nytt."),
    ),
)
async def motta_hendelser(
    request: Request,
    tilgang: Annotated[Tilgang, Depends(krev_scope(VEDTAK_WRITE))],
    mottak: Annotated[Mottak, Depends(_mottak)],
) -> Mottakskvittering:
    try:
        # Exact decimals: "timer_per_uke": 7.5 must never pass through a binary float.
        kropp: Any = json.loads(await request.body(), parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as e:
        raise Problem(400, f"Kroppen er ikke gyldig JSON: {e}") from None
    if not isinstance(kropp, dict) or not isinstance(kropp.get("hendelser"), list):
        raise Problem(422, 'Kroppen må være {"hendelser": [...]}')
    request.state.antall_hendelser = len(kropp["hendelser"])  # for the metrics (drift)
    try:
        kvittering = await run_in_threadpool(mottak.motta, kropp["hendelser"], tilgang.kommuner)
    except Avvist as e:
        raise Problem(e.status, e.tittel, errors=[asdict(f) for f in e.feil]) from None
    return Mottakskvittering(**asdict(kvittering))
