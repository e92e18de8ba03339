"""The whole service as one FastAPI app: both services' APIs, health, and the web pages."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from services.settlement.entrypoints.api import (
    grunnlag,
    nasjonalt,
    oppgjor,
    revisjon,
    satser,
    verifisering,
)
from services.settlement.entrypoints.web import STATISK
from services.settlement.entrypoints.web import sider as web_sider
from services.settlement.entrypoints.web import ukjent as web_ukjent
from services.system.bootstrap import Tjenester, bygg
from services.system.drift import ruter as drift_ruter
from services.system.drift.mellomvare import Driftsmellomvare
from services.system.drift.metrikker import Metrikker
from services.system.formatvakt import avvis_ukjent_format
from services.system.lenker import legg_til_lenker
from services.system.oppvarming import varm_opp
from services.vedtak.entrypoints import api as vedtak_api
from shared import problem
from shared.kroppsgrense import Kroppsgrense
from shared.lagring.database import datakatalog
from shared.maskering import installer_loggmaskering
from shared.tilgang.avhengigheter import TilgangsKontroll

BESKRIVELSE = """
Oppgjørstjenesten for statlig finansiering av omsorgstjenester (regelverk v1).

Fagsystemer sender vedtak og utført tid som hendelser; Helsedirektoratet publiserer satser og
finansieringsgrunnlag, utsteder kvartalsoppgjør og korreksjonsoppgjør; revisorer spiller av
historikken slik den var kjent på et gitt tidspunkt (`per`).

Beløp er strenger med to desimaler, volumer strenger med fire. Feil er RFC 9457-problemer.
"""


# How long a starting server waits for the audit's helper process before it serves without.
HJELPER_VENTETID_S = 30.0


def lag_app(
    tjenester: Tjenester | None = None,
    *,
    data_dir: Path | None = None,
    bakgrunnsprojektor: bool = True,
    revisjonshjelper: bool = False,
) -> FastAPI:
    katalog = data_dir or datakatalog()
    installer_loggmaskering()  # no identity-shaped number in any log line, uvicorn's too
    t = tjenester or bygg()

    # OPPGJOR_PROJEKTOR_INTERVALL=0 leaves projection to the reads (benchmarks use it).
    intervall = float(os.environ.get("OPPGJOR_PROJEKTOR_INTERVALL", "0.5"))

    # OPPGJOR_REVISJONSHJELPER=0 keeps every audit in the server's own process.
    hjelper = revisjonshjelper and os.environ.get("OPPGJOR_REVISJONSHJELPER", "1") != "0"

    @asynccontextmanager
    async def levetid(denne: FastAPI) -> AsyncIterator[None]:
        if bakgrunnsprojektor and intervall > 0:
            t.start_projektor(intervall)
        if hjelper:
            # Ready when its helper is (about a second's imports), so the first audit
            # after a start is computed in halves too; without one it still serves.
            await asyncio.to_thread(t.start_revisjonshjelper, HJELPER_VENTETID_S)
        # The first reader must not pay for the process's first request (issue 9).
        await varm_opp(denne, t)
        yield
        t.stopp_projektor()  # its batch in progress commits before the store closes
        t.stopp_revisjonshjelper()
        if tjenester is None:  # we built it, we close it
            t.lukk()

    # /docs and /redoc from assets served by the service itself (the package fastapi-offline
    # ships them), so the documentation works without a network, as the pages do.
    app = FastAPIOffline(
        title="Omsorgsoppgjør",
        version="1.0.0",
        description=BESKRIVELSE,
        lifespan=levetid,
        # ?format= is answered or refused on every route, never silently ignored.
        dependencies=[Depends(avvis_ukjent_format)],
    )
    app.state.tjenester = t
    app.state.mottak = t.mottak
    app.state.tilgang = TilgangsKontroll.fra_miljo(katalog)
    app.state.metrikker = Metrikker()
    app.add_middleware(Driftsmellomvare, metrikker=app.state.metrikker)
    problem.installer(app)
    app.add_middleware(Kroppsgrense)  # body limits per route, refused as the body streams
    app.include_router(vedtak_api.router)
    for modul in (satser, grunnlag, oppgjor, nasjonalt, revisjon, verifisering):
        app.include_router(modul.router)
    # The stylesheet is mounted before the pages so /ui/static/* is never taken for a page.
    app.mount("/ui/static", StaticFiles(directory=STATISK), name="ui-statisk")
    app.include_router(web_sider.router)
    # Last of the pages: it answers every other path under /ui with a Norwegian 404 page.
    app.include_router(web_ukjent.router)

    app.include_router(drift_ruter.router)
    _med_lenker(app)
    return app


def _med_lenker(app: FastAPI) -> None:
    """The generated OpenAPI document, with the links between operations added once."""
    generer = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            legg_til_lenker(generer())
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]
