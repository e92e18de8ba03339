"""A new server warms itself before it says it is ready (issue 9).

A server's first request used to pay for what runs once per process: FastAPI builds a
router's routes at their first match, anyio loads its thread pool, the store's pool opens
its first connection and SQLAlchemy compiles each statement. On the history benchmark's
store, a new server's first quarter read took 27-30 ms against 17-20 ms for the next one:
as much more as ten years of history would cost if the projection did not hold them
apart, and paid by whichever client came first.

So before the lifespan yields, the server reads one quarter and its audit in-process for
a municipality number no municipality has, and sends one request without a token to each
of those routes through its own ASGI stack. Those requests are answered 401 and are
neither counted in the metrics nor written to the access log: they are not a client's.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from decimal import Decimal

from starlette.types import ASGIApp, Message

from services.system.bootstrap import Tjenester
from services.system.drift.mellomvare import OPPVARMING

logger = logging.getLogger("oppgjor.oppvarming")

# The municipality numbers run 0101-5636: this one has no events, so the warm-up's reads
# find nothing, and keep only the empty answer any reader of this number would get.
KOMMUNE = "0000"


def varm_tjenestene(t: Tjenester) -> None:
    """One quarter and its audit, read as the API reads them but without the catch-up a
    reader's request starts (a store behind its log must not hold the server's start)."""
    naa = datetime.now(UTC)
    t.oppgjor.dokument(KOMMUNE, naa.year, 1, naa)
    t.revisjon.vedtatt_utfort(KOMMUNE, naa.year, 1, naa, Decimal("0.90"))


async def varm_rutene(app: ASGIApp) -> list[int]:
    """One request without a token to the quarter's route and the audit's; returns the
    statuses they got (401: each reached its route's access check)."""
    aar = datetime.now(UTC).year
    return [
        await _hent(app, f"/v1/kommuner/{KOMMUNE}/oppgjor/{aar}/1"),
        await _hent(app, f"/v1/revisjon/kommuner/{KOMMUNE}/{aar}/1/vedtatt-utfort"),
    ]


async def _hent(app: ASGIApp, sti: str) -> int:
    """A GET of `sti` through the app's whole stack, marked as the warm-up's; its status."""
    status = 0

    async def motta() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(melding: Message) -> None:
        nonlocal status
        if melding["type"] == "http.response.start":
            status = melding["status"]

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": sti,
        "raw_path": sti.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"oppvarming")],
        "client": None,
        "server": None,
        OPPVARMING: True,
    }
    await app(scope, motta, send)
    return status


async def varm_opp(app: ASGIApp, t: Tjenester) -> None:
    """Both warm-ups; a failure costs the first reader the time, never the start."""
    try:
        await asyncio.to_thread(varm_tjenestene, t)
        statuser = await varm_rutene(app)
    except Exception:
        logger.warning("oppvarmingen feilet; den første leseren betaler den", exc_info=True)
        return
    if statuser != [401, 401]:
        logger.warning("oppvarmingen fikk uventede svar: %s", statuser)
