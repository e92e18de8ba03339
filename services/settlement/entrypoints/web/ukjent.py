"""Any other path under /ui: a Norwegian page saying it does not exist, not the API's JSON.

Included after every other page router (services/system/app.py): a route here matches
every path, so anything mounted later under /ui would never be reached.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from services.settlement.entrypoints.web.rute import feilside

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/{sti:path}")
def ukjent_side(request: Request, sti: str) -> Response:
    # The path is not echoed: it is free text, and could carry an identity.
    return feilside(request, 404, "Siden finnes ikke. Sjekk adressen, eller gå til oversikten.")
