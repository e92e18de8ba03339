"""The printable settlement document of each issued version, and the same as PDF."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from services.settlement.entrypoints.api.felles import Aar, Knr, Kvartal, Tj
from services.settlement.entrypoints.web.handlinger import pdf
from services.settlement.entrypoints.web.handlinger.felles import Leser, side
from services.settlement.entrypoints.web.rute import SideRute
from shared.lagring.logg import naa
from shared.problem import Problem
from shared.tilgang.avhengigheter import Tilgang

router = APIRouter(route_class=SideRute)
STI = "/kommuner/{kommunenummer}/oppgjor/{aar}/{kvartal}/dokument/{versjon}"
Versjon = Annotated[int, Path(ge=1, le=100_000)]


def utstedt_versjon(
    t: Tj, tilgang: Tilgang, knr: str, aar: int, kvartal: int, versjon: int
) -> dict[str, Any]:
    """The issued document (the API's `…/versjoner` entry); a person-level read, logged."""
    tilgang.krev_kommune(knr)
    for dokument in t.lesing.versjoner(tilgang, knr, aar, kvartal, naa()):
        if dokument["versjon"] == versjon:
            return dokument
    raise Problem(404, f"Versjon {versjon} er ikke utstedt for {kvartal}. kvartal {aar}.")


@router.get(STI)
def dokumentside(
    request: Request,
    kommunenummer: Knr,
    aar: Aar,
    kvartal: Kvartal,
    versjon: Versjon,
    t: Tj,
    tilgang: Leser,
    utstedt: bool = False,
    avvik: bool = False,
) -> Response:
    dokument = utstedt_versjon(t, tilgang, kommunenummer, aar, kvartal, versjon)
    return side(
        request,
        "dokument.html",
        tilgang=tilgang,
        knr=kommunenummer,
        aar=aar,
        kvartal=kvartal,
        dok=dokument,
        nettopp_utstedt=utstedt,
        avvik=avvik,
    )


@router.get(STI + "/pdf")
def dokument_pdf(
    kommunenummer: Knr,
    aar: Aar,
    kvartal: Kvartal,
    versjon: Versjon,
    t: Tj,
    tilgang: Leser,
) -> Response:
    dokument = utstedt_versjon(t, tilgang, kommunenummer, aar, kvartal, versjon)
    navn = f"oppgjor_{kommunenummer}_{aar}_K{kvartal}_v{versjon}.pdf"
    return Response(
        pdf.lag_pdf(dokument),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{navn}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
