"""POST /v1/hendelser: case systems push vedtak events (api.md "Case systems: events in")."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from services.vedtak.application.batch import MAKS_HENDELSER
from services.vedtak.application.mottak import Mottak
from shared.events import Hendelse
from shared.events.tall import MAKS_DESIMALER, MAKS_SIFFER
from shared.events.vedtak import UtfortTidRapportert, VedtakFattet
from shared.jsonkropp import MAKS_DYBDE, les_json
from shared.kroppsgrense import HENDELSER_GRENSE
from shared.openapi import kropp_dok
from shared.problem import Problem, problemsvar
from shared.tilgang.avhengigheter import Tilgang, krev_scope
from shared.tilgang.scopes import VEDTAK_WRITE

router = APIRouter(tags=["hendelser"])
GRENSER_TEKST = (
    f"Høyst {MAKS_HENDELSER} hendelser og {HENDELSER_GRENSE} byte (større kropper avvises "
    f"med 413 før de er lest), JSON nestet høyst {MAKS_DYBDE} nivåer. Tekstfelter har ingen "
    f"kontrolltegn; desimaler har høyst {MAKS_SIFFER} siffer og {MAKS_DESIMALER} desimaler; "
    "se feltbeskrivelsene."
)


class Hendelsesbatch(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "hendelser": [
                        VedtakFattet.model_json_schema()["examples"][0],
                        {
                            **UtfortTidRapportert.model_json_schema()["examples"][0],
                            "hendelse_id": "9d2b7c1e-0a4f-4b3e-8c6d-5e1f2a3b4c5d",
                        },
                    ]
                }
            ]
        }
    )
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
    description=GRENSER_TEKST,
    openapi_extra=kropp_dok(Hendelsesbatch),
    responses=problemsvar(
        (401, "Mangler eller ugyldig token"),
        (403, "Feil scope, eller en hendelse for en kommune avsenderen ikke har"),
        (400, f"Kroppen er ikke gyldig JSON, eller nestet dypere enn {MAKS_DYBDE} nivåer"),
        (409, "hendelse_id gjenbrukt med annet innhold, eller en dato i et låst år"),
        (413, f"Kroppen er større enn {HENDELSER_GRENSE} byte; avvist før den er lest"),
        (422, "Ugyldige hendelser; ingenting er lagret"),
        (503, "Databasen er midlertidig utilgjengelig; ingenting ble lagret. Send på nytt."),
    ),
)
async def motta_hendelser(
    request: Request,
    tilgang: Annotated[Tilgang, Depends(krev_scope(VEDTAK_WRITE))],
    mottak: Annotated[Mottak, Depends(_mottak)],
) -> Mottakskvittering:
    # Exact decimals: "timer_per_uke": 7.5 must never pass through a binary float.
    kropp: Any = await run_in_threadpool(les_json, await request.body())
    if not isinstance(kropp, dict) or not isinstance(kropp.get("hendelser"), list):
        raise Problem(422, 'Kroppen må være {"hendelser": [...]}')
    request.state.antall_hendelser = len(kropp["hendelser"])  # for the metrics (drift)
    # A refused batch raises the use case's own error; shared/problem.py answers it.
    kvittering = await run_in_threadpool(mottak.motta, kropp["hendelser"], tilgang.kommuner)
    return Mottakskvittering(**asdict(kvittering))
