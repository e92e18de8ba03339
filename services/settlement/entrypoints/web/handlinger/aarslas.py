"""Lock a municipality's year after its attested accounts, or reopen it (Hdir, regelverk
4.7), with the reason: the same service and scope as `POST …/aar/{aar}/las|gjenapne`."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from starlette.responses import Response

from services.settlement.entrypoints.api.felles import Aar, Knr, Tj, modell
from services.settlement.entrypoints.api.grunnlag import Begrunnelse
from services.settlement.entrypoints.web.csrf import Skjema
from services.settlement.entrypoints.web.handlinger.felles import Skriver, avvisning, side, tekst
from services.settlement.entrypoints.web.rute import SideRute

router = APIRouter(route_class=SideRute)
STI = "/kommuner/{kommunenummer}/aar/{aar}/las"


@router.get(STI)
def lasside(request: Request, kommunenummer: Knr, aar: Aar, t: Tj, tilgang: Skriver) -> Response:
    tilgang.krev_kommune(kommunenummer)
    return side(
        request,
        "aarslas.html",
        tilgang=tilgang,
        knr=kommunenummer,
        aar=aar,
        feil=None,
        ok=None,
        status_naa=t.lesing.aarslas(kommunenummer, aar),
    )


@router.post(STI + "/{handling}")
def las_eller_gjenapne(
    request: Request,
    kommunenummer: Knr,
    aar: Aar,
    handling: Literal["las", "gjenapne"],
    t: Tj,
    tilgang: Skriver,
    skjema: Skjema,
) -> Response:
    tilgang.krev_kommune(kommunenummer)
    status, feil, ok = 200, None, None
    try:
        begrunnelse = modell(Begrunnelse, {"begrunnelse": tekst(skjema, "begrunnelse") or None})
        if handling == "las":
            t.publisering.las_aar(kommunenummer, aar, begrunnelse.begrunnelse)
            ok = f"År {aar} er låst for {kommunenummer}; hendelser datert i {aar} avvises nå."
        else:
            t.publisering.gjenapne_aar(kommunenummer, aar, begrunnelse.begrunnelse)
            ok = f"År {aar} er gjenåpnet for {kommunenummer}."
    except Exception as e:
        status, feil = avvisning(e)
    return side(
        request,
        "aarslas.html",
        status=status,
        tilgang=tilgang,
        knr=kommunenummer,
        aar=aar,
        feil=feil,
        ok=ok,
        status_naa=t.lesing.aarslas(kommunenummer, aar),
    )
