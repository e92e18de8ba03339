"""Issue a quarter (Hdir): a preview of the document that would be issued and, for a
korreksjon, its difference to the last version; then a confirmed POST that calls the
same service as `POST …/utsted`. Its refusals (409) are shown on the preview page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from services.settlement.application.dokument import KOMPONENTER
from services.settlement.application.korreksjon import differanse
from services.settlement.entrypoints.api.felles import Aar, Knr, Kvartal, Tj
from services.settlement.entrypoints.web.csrf import Skjema
from services.settlement.entrypoints.web.handlinger.felles import Skriver, avvisning, side, tekst
from services.settlement.entrypoints.web.rute import SideRute
from services.settlement.entrypoints.web.visning import url
from shared.lagring.logg import naa
from shared.tilgang.avhengigheter import Tilgang

router = APIRouter(route_class=SideRute)
STI = "/kommuner/{kommunenummer}/oppgjor/{aar}/{kvartal}/utsted"


def _forhandsvisning(
    request: Request,
    t: Tj,
    tilgang: Tilgang,
    knr: str,
    aar: int,
    kvartal: int,
    status: int = 200,
    feil: str | None = None,
) -> Response:
    # Computed now with its vedtak lines, as the issue will be: a person-level read, logged.
    dokument = t.lesing.dokument(tilgang, knr, aar, kvartal, naa(), detaljer=True)
    utstedte = t.lesing.versjoner(tilgang, knr, aar, kvartal, naa())
    siste = utstedte[-1] if utstedte else None
    diff = differanse(dokument, siste) if siste is not None else None
    return side(
        request,
        "utsted.html",
        status=status,
        tilgang=tilgang,
        knr=knr,
        aar=aar,
        kvartal=kvartal,
        dok=dokument,
        siste=siste,
        diff=diff,
        uendret=diff is not None and _uendret(diff),
        mangler=sorted(
            {str(linje["tjenestekode"]) for linje in dokument["linjer"] if linje["mangler_sats"]}
        ),
        feil=feil,
    )


def _uendret(diff: dict[str, Any]) -> bool:
    return (
        all(Decimal(diff[k]) == 0 for k in KOMPONENTER)
        and not diff["linjer"]
        and not diff["vedtak"]
    )


@router.get(STI)
def forhandsvis(
    request: Request, kommunenummer: Knr, aar: Aar, kvartal: Kvartal, t: Tj, tilgang: Skriver
) -> Response:
    tilgang.krev_kommune(kommunenummer)
    return _forhandsvisning(request, t, tilgang, kommunenummer, aar, kvartal)


@router.post(STI)
def utsted(
    request: Request,
    kommunenummer: Knr,
    aar: Aar,
    kvartal: Kvartal,
    t: Tj,
    tilgang: Skriver,
    skjema: Skjema,
) -> Response:
    tilgang.krev_kommune(kommunenummer)
    try:
        dokument = t.lesing.utsted(tilgang, kommunenummer, aar, kvartal)
    except Exception as e:
        status, melding = avvisning(e)
        return _forhandsvisning(
            request, t, tilgang, kommunenummer, aar, kvartal, status=status, feil=melding
        )
    # The preview and the issue are two instants: say so if a batch came in between.
    avvik = tekst(skjema, "forventet_sum") != dokument["sum"]
    sti = f"/ui/kommuner/{kommunenummer}/oppgjor/{aar}/{kvartal}/dokument/{dokument['versjon']}"
    return RedirectResponse(url(sti, utstedt="1", avvik="1" if avvik else None), status_code=303)
