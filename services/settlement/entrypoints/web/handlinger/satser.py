"""Publish a price table from an uploaded CSV/XLSX (Hdir): a preview of the codes added,
removed and changed against the version in force, then a confirmed publication. Removing
codes in force needs an explicit tick; a table equal to the one in force makes no version.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from services.settlement.entrypoints.api.felles import Aar, Tj, modell
from services.settlement.entrypoints.api.satser import SatstabellInn, forhandsvisning
from services.settlement.entrypoints.web.csrf import MAKS_FIL, Skjema
from services.settlement.entrypoints.web.handlinger.felles import Skriver, avvisning, side, tekst
from services.settlement.entrypoints.web.rute import SideRute
from shared.lagring.logg import naa
from shared.problem import Problem
from shared.satsfil import Satsfilfeil, les_satser
from shared.tilgang.avhengigheter import Tilgang

router = APIRouter(route_class=SideRute)


def _aar(skjema: FormData) -> int:
    verdi = tekst(skjema, "aar")
    if not verdi.isascii() or not verdi.isdigit() or not 2000 <= int(verdi) <= 2100:
        raise Problem(422, "Året må være et tall mellom 2000 og 2100.")
    return int(verdi)


def _opplastingsside(
    request: Request, tilgang: Tilgang, status: int = 200, feil: str | None = None
) -> Response:
    return side(request, "satser.html", status=status, tilgang=tilgang, aar=naa().year, feil=feil)


@router.get("/satser")
def opplasting(request: Request, tilgang: Skriver) -> Response:
    return _opplastingsside(request, tilgang)


def _fil(skjema: FormData) -> tuple[str, bytes]:
    fil = skjema.get("fil")
    if not isinstance(fil, UploadFile) or not fil.filename:
        raise Problem(422, "Velg en CSV- eller XLSX-fil med satstabellen.")
    innhold = fil.file.read(MAKS_FIL + 1)
    if len(innhold) > MAKS_FIL:
        raise Problem(413, f"Filen er større enn {MAKS_FIL // 1024} KiB.")
    return fil.filename, innhold


def _forhandsvisningsside(
    request: Request,
    t: Tj,
    tilgang: Tilgang,
    aar: int,
    inn: SatstabellInn,
    status: int = 200,
    feil: str | None = None,
    ok: str | None = None,
) -> Response:
    endring = forhandsvisning(aar, t.publisering.forhandsvis_satser(aar, inn.satser))
    tabell = [{"tjenestekode": s.tjenestekode, "sats": format(s.sats, "f")} for s in inn.satser]
    return side(
        request,
        "satser_forhandsvisning.html",
        status=status,
        tilgang=tilgang,
        aar=aar,
        e=endring,
        kilde=inn.kilde or "",
        tabell=json.dumps(tabell, separators=(",", ":")),
        antall=len(tabell),
        feil=feil,
        ok=ok,
    )


@router.post("/satser/forhandsvisning")
def forhandsvis(request: Request, t: Tj, tilgang: Skriver, skjema: Skjema) -> Response:
    try:
        aar = _aar(skjema)
        navn, innhold = _fil(skjema)
        rader = les_satser("Filen", innhold, aar)
        inn = modell(SatstabellInn, {"satser": rader, "kilde": tekst(skjema, "kilde") or navn})
        return _forhandsvisningsside(request, t, tilgang, aar, inn)
    except Satsfilfeil as e:
        return _opplastingsside(request, tilgang, status=422, feil=f"Filen kan ikke leses: {e}")
    except Exception as e:
        status, melding = avvisning(e)
        return _opplastingsside(request, tilgang, status=status, feil=melding)


def _tabell(skjema: FormData) -> Any:
    try:
        return json.loads(tekst_uten_grense(skjema, "tabell"))
    except ValueError:
        raise Problem(
            422, "Tabellen fra forhåndsvisningen mangler; last opp filen på nytt."
        ) from None


def tekst_uten_grense(skjema: FormData, navn: str) -> str:
    verdi = skjema.get(navn)
    return verdi if isinstance(verdi, str) else ""


@router.post("/satser/{aar}/publiser")
def publiser(request: Request, aar: Aar, t: Tj, tilgang: Skriver, skjema: Skjema) -> Response:
    inn = modell(
        SatstabellInn, {"satser": _tabell(skjema), "kilde": tekst(skjema, "kilde") or None}
    )
    bekreftet = tekst(skjema, "bekreft_fjerning") == "ja"
    try:
        utfall = t.publisering.publiser_satser(
            aar, list(inn.satser), inn.kilde, tillat_fjerning=bekreftet, hopp_over_lik=True
        )
    except Exception as e:
        status, melding = avvisning(e)
        return _forhandsvisningsside(request, t, tilgang, aar, inn, status=status, feil=melding)
    if utfall.ny_versjon:
        ok = f"Satser {aar} versjon {utfall.versjon} er publisert ({len(inn.satser)} koder)."
    else:
        ok = f"Tabellen er lik versjon {utfall.versjon} som gjelder; ingen ny versjon er publisert."
    return side(
        request,
        "satser_publisert.html",
        tilgang=tilgang,
        aar=aar,
        versjon=utfall.versjon,
        ny_versjon=utfall.ny_versjon,
        ok=ok,
    )
