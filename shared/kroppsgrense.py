"""A limit on request bodies, enforced as they stream in (issue 7, pure ASGI).

A 50 MB batch was once read whole and answered 200, and other routes answered 413 only
after reading everything. Here a declared `Content-Length` above the route's limit is
refused at once, before a byte of the body is read; a body of unknown length (chunked) is
counted as it arrives and refused the moment it passes the limit. Either way the answer is
an RFC 9457 problem with status 413, and the connection is closed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.problem import PROBLEM_JSON, Problem

KIB = 1024
MIB = 1024 * KIB
# A batch holds at most 1000 hendelser of ~1 KiB at their largest (a 1000-character
# begrunnelse): 4 MiB leaves room without inviting abuse.
HENDELSER_GRENSE = 4 * MIB
# Price tables, funding basis, payments, locks and the login form are far smaller.
STANDARD_GRENSE = 256 * KIB
GRENSER: Mapping[str, int] = {"/v1/hendelser": HENDELSER_GRENSE}


def grense_for(sti: str) -> int:
    return GRENSER.get(sti.rstrip("/") or "/", STANDARD_GRENSE)


def melding(grense: int) -> str:
    return f"Kroppen er større enn grensen på {grense} byte for denne ruten"


class ForStorKropp(Problem):
    """Raised from `receive` once a streamed body passes the limit; the app's problem
    handler answers it like any other problem."""

    def __init__(self, grense: int) -> None:
        super().__init__(413, melding(grense), headers={"Connection": "close"})


async def _avvis(send: Send, grense: int) -> None:
    kropp = json.dumps(ForStorKropp(grense).som_json(), ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(kropp)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": kropp})


def _deklarert_lengde(scope: Scope) -> int | None:
    for navn, verdi in scope.get("headers", ()):
        if navn == b"content-length":
            try:
                return int(verdi)
            except ValueError:
                return None  # the server refuses a malformed length itself
    return None


class Kroppsgrense:
    """ASGI middleware: the body limit per route (`GRENSER`, else `STANDARD_GRENSE`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        grense = grense_for(scope["path"])
        lengde = _deklarert_lengde(scope)
        if lengde is not None and lengde > grense:
            await _avvis(send, grense)  # without reading: the sender can stop at once
            return

        mottatt = 0
        startet = False

        async def tell(  # counts the body as it streams in
        ) -> Message:
            nonlocal mottatt
            m = await receive()
            if m["type"] == "http.request":
                mottatt += len(m.get("body", b""))
                if mottatt > grense:
                    raise ForStorKropp(grense)
            return m

        async def send_og_merk(m: Message) -> None:
            nonlocal startet
            startet = startet or m["type"] == "http.response.start"
            await send(m)

        try:
            await self.app(scope, tell, send_og_merk)
        except ForStorKropp:
            # Raised where no problem handler runs (e.g. in a middleware further in).
            if startet:
                raise
            await _avvis(send, grense)
