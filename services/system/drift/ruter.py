"""GET /health, /health/ready, /health/live and /metrics.

`/health` is the report it always was (log head, projected position, lag) plus `status`
"feil" and the reasons when the projector is unhealthy; it answers 200 either way, as a
report. `/health/ready` is for a load balancer: 200 only when the database answers and the
projector is healthy, else a 503 problem. `/health/live` never touches the database: a
restarted database must not make an orchestrator kill every replica.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from services.system.bootstrap import Tjenester
from services.system.drift.metrikker import Metrikker
from shared import svarmodeller
from shared.problem import Problem, problemsvar

router = APIRouter(tags=["drift"])
PROMETHEUS_TEKST = "text/plain; version=0.0.4; charset=utf-8"


def _tjenester(request: Request) -> Tjenester:
    t: Tjenester = request.app.state.tjenester
    return t


def helsestatus(t: Tjenester) -> dict[str, Any]:
    """The health report (blocking: it asks the database)."""
    hode, posisjon = t.projektor.hode(), t.projektor.posisjon()
    grunner = t.helse.grunner(hode, posisjon, bakgrunn=t.projektor_i_gang)
    svar: dict[str, Any] = {
        "status": "feil" if grunner else "ok",
        "database": t.lager.skrivemotor.dialect.name,
        "logg_posisjon": hode,
        "projeksjon_posisjon": posisjon,
        "etterslep": hode - posisjon,
    }
    if grunner:
        svar["grunner"] = grunner
    return svar


@router.get(
    "/health",
    summary="Lever tjenesten, og hvor langt er projeksjonen?",
    description=(
        "Helserapporten: `status` (`ok`, eller `feil` med `grunner` når projektoren feiler "
        "eller står stille), database, loggens hode, projeksjonens posisjon og etterslep. "
        "Svarer alltid 200."
    ),
    response_model=None,
    responses=svarmodeller.dok(svarmodeller.Helse, "Helserapporten"),
)
async def helse(request: Request) -> dict[str, Any]:
    return await run_in_threadpool(helsestatus, _tjenester(request))


@router.get(
    "/health/ready",
    summary="Klar for trafikk: databasen svarer og projektoren er frisk",
    responses={
        **problemsvar((503, "Databasen svarer ikke, eller projektoren er syk")),
        **svarmodeller.dok(svarmodeller.Status, "Klar"),
    },
    description=(
        "Klar for trafikk: 200 når databasen svarer og projektoren er frisk, ellers et 503-problem."
    ),
    response_model=None,
)
async def klar(request: Request) -> dict[str, str]:
    status = await run_in_threadpool(helsestatus, _tjenester(request))
    if status["status"] != "ok":
        raise Problem(503, "Ikke klar: " + "; ".join(status["grunner"]))
    return {"status": "ok"}


@router.get(
    "/health/live",
    summary="Prosessen svarer (spør ikke databasen)",
    description="Prosessen svarer; spør aldri databasen.",
    response_model=None,
    responses=svarmodeller.dok(svarmodeller.Status, "Lever"),
)
async def lever() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/metrics",
    summary="Prometheus-metrikker for denne prosessen",
    response_class=Response,
    responses={200: {"content": {PROMETHEUS_TEKST: {}}, "description": "Prometheus-tekst"}},
    description="Prometheus-metrikker for denne prosessen (tekstformat). Avvises gjennom haproxy.",
)
async def metrikker(request: Request) -> Response:
    m: Metrikker = request.app.state.metrikker
    tekst = await run_in_threadpool(m.eksponer, _tjenester(request))
    return Response(tekst, media_type=PROMETHEUS_TEKST)
