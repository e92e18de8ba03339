"""The actions of the web workplace: forms that issue, pay, publish, lock, and the pages
around them (preview, balance, access log, the printable document).

Every action checks exactly the API's scope and municipality, and calls the same
application service as its API endpoint; every form carries a CSRF token (web/csrf.py).
"""

from __future__ import annotations

from fastapi import APIRouter

from services.settlement.entrypoints.web.handlinger import (
    aarslas,
    betaling,
    dokument,
    grunnlag,
    innsyn,
    meny,
    satser,
    utstedelse,
)
from services.settlement.entrypoints.web.rute import SideRute

router = APIRouter(route_class=SideRute)
for _modul in (meny, utstedelse, betaling, satser, grunnlag, aarslas, innsyn, dokument):
    router.include_router(_modul.router)
