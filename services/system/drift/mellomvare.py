"""The outermost middleware: a request id, one JSON access line, and the request metrics.

Pure ASGI rather than BaseHTTPMiddleware, so a streamed body and the request's context
variables pass through untouched. The access line names the route template
(`/v1/kommuner/{kommunenummer}/oppgjor/{aar}/{kvartal}/vedtak/{vedtak_id}`), never the raw
path or query string: those can hold vedtak ids.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.system.drift.jsonlogg import foresporsel_id, velg_foresporsel_id
from services.system.drift.metrikker import Metrikker

HODE = b"x-request-id"
UKJENT_RUTE = "(ukjent)"

# A scope key only the server's own warm-up sets (services/system/oppvarming.py): its
# requests are not a client's, so they are neither counted nor logged. A client cannot
# set it: it is not a header.
OPPVARMING = "oppgjor.oppvarming"

tilgangslogg = logging.getLogger("oppgjor.tilgang")


def rutemal(scope: Scope) -> str:
    """The template of the route that answered, or a fixed label when none matched."""
    rute: Any = scope.get("route")
    mal = getattr(rute, "path_format", None) or getattr(rute, "path", None)
    return str(mal) if mal else UKJENT_RUTE


class Driftsmellomvare:
    def __init__(self, app: ASGIApp, metrikker: Metrikker) -> None:
        self.app = app
        self.metrikker = metrikker

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get(OPPVARMING):
            await self.app(scope, receive, send)
            return
        innsendt = dict(scope["headers"]).get(HODE)
        fid = velg_foresporsel_id(innsendt.decode("latin-1") if innsendt else None)
        merke = foresporsel_id.set(fid)
        start = time.perf_counter()
        status = 500  # what the client gets if the app dies before it answers

        async def send_med_id(melding: Message) -> None:
            nonlocal status
            if melding["type"] == "http.response.start":
                status = melding["status"]
                hoder = [(k, v) for k, v in melding.get("headers", []) if k.lower() != HODE]
                melding = {**melding, "headers": [*hoder, (HODE, fid.encode("latin-1"))]}
            await send(melding)

        try:
            await self.app(scope, receive, send_med_id)
        except BaseException:
            # The id stays set: the error handler outside us logs this request's trace next.
            self._registrer(scope, status, start)
            raise
        self._registrer(scope, status, start)
        foresporsel_id.reset(merke)

    def _registrer(self, scope: Scope, status: int, start: float) -> None:
        sekunder = time.perf_counter() - start
        rute, metode = rutemal(scope), scope["method"]
        tilstand = scope.get("state") or {}
        self.metrikker.foresporsel(metode, rute, status, sekunder, tilstand.get("antall_hendelser"))
        tilgangslogg.info(
            "%s %s %s",
            metode,
            rute,
            status,
            extra={
                "metode": metode,
                "rute": rute,
                "status": status,
                "varighet_ms": round(sekunder * 1000, 1),
            },
        )
