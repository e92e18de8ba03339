"""A municipality's funding basis (Hdir), by form: the current values, a preview of the
change field by field, then publication through the same service as `PUT …/grunnlag`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from services.settlement.entrypoints.api.felles import Aar, Knr, Tj, modell
from services.settlement.entrypoints.api.grunnlag import GrunnlagInn
from services.settlement.entrypoints.web.csrf import Skjema
from services.settlement.entrypoints.web.handlinger.felles import (
    Skriver,
    avvisning,
    belop,
    side,
    tekst,
)
from services.settlement.entrypoints.web.rute import SideRute
from shared.feil import IkkeFunnet
from shared.lagring.logg import naa
from shared.tilgang.avhengigheter import Tilgang

router = APIRouter(route_class=SideRute)
STI = "/kommuner/{kommunenummer}/grunnlag/{aar}"
PENGER = (("uttrekk", "Uttrekk"), ("rundsum", "Rundsum"), ("inntektspaslag", "Inntektspåslag"))


def _gjeldende(t: Tj, knr: str, aar: int) -> dict[str, str] | None:
    try:
        g = t.lesing.grunnlag(knr, aar, naa())
    except IkkeFunnet:
        return None
    return {
        "versjon": str(g.versjon),
        **{n: format(getattr(g, n).quantize(Decimal("0.01")), "f") for n, _ in PENGER},
        "startdato": g.startdato.isoformat() if g.startdato else "",
    }


def _skjemaside(
    request: Request,
    t: Tj,
    tilgang: Tilgang,
    knr: str,
    aar: int,
    mal: str = "grunnlag.html",
    status: int = 200,
    **kontekst: Any,
) -> Response:
    kontekst.setdefault("feil", None)
    kontekst.setdefault("ok", None)
    gjeldende = _gjeldende(t, knr, aar)
    kontekst.setdefault("utfylt", gjeldende or {})
    return side(
        request,
        mal,
        status=status,
        tilgang=tilgang,
        knr=knr,
        aar=aar,
        gjeldende=gjeldende,
        PENGER=PENGER,
        **kontekst,
    )


@router.get(STI)
def skjema(request: Request, kommunenummer: Knr, aar: Aar, t: Tj, tilgang: Skriver) -> Response:
    tilgang.krev_kommune(kommunenummer)
    return _skjemaside(request, t, tilgang, kommunenummer, aar)


def _inn(skjema: FormData) -> tuple[dict[str, str], GrunnlagInn]:
    felt = {n: tekst(skjema, n) for n in ("uttrekk", "rundsum", "inntektspaslag", "startdato")}
    data: dict[str, str] = {n: belop(felt[n]) for n, _ in PENGER}
    if felt["startdato"]:
        data["startdato"] = felt["startdato"]
    return felt, modell(GrunnlagInn, data)


@router.post(STI + "/forhandsvisning")
def forhandsvis(
    request: Request, kommunenummer: Knr, aar: Aar, t: Tj, tilgang: Skriver, skjemaet: Skjema
) -> Response:
    tilgang.krev_kommune(kommunenummer)
    felt = {n: tekst(skjemaet, n) for n in ("uttrekk", "rundsum", "inntektspaslag", "startdato")}
    try:
        _, inn = _inn(skjemaet)
    except Exception as e:
        status, melding = avvisning(e)
        return _skjemaside(
            request, t, tilgang, kommunenummer, aar, status=status, feil=melding, utfylt=felt
        )
    ny = {
        **{n: format(getattr(inn, n).quantize(Decimal("0.01")), "f") for n, _ in PENGER},
        "startdato": inn.startdato.isoformat() if inn.startdato else "",
    }
    return _skjemaside(
        request, t, tilgang, kommunenummer, aar, mal="grunnlag_forhandsvisning.html", ny=ny
    )


@router.post(STI + "/publiser")
def publiser(
    request: Request, kommunenummer: Knr, aar: Aar, t: Tj, tilgang: Skriver, skjemaet: Skjema
) -> Response:
    tilgang.krev_kommune(kommunenummer)
    try:
        felt, inn = _inn(skjemaet)
        versjon = t.publisering.publiser_grunnlag(
            kommunenummer, aar, inn.uttrekk, inn.rundsum, inn.inntektspaslag, inn.startdato
        )
    except Exception as e:
        status, melding = avvisning(e)
        felt = {
            n: tekst(skjemaet, n) for n in ("uttrekk", "rundsum", "inntektspaslag", "startdato")
        }
        return _skjemaside(
            request, t, tilgang, kommunenummer, aar, status=status, feil=melding, utfylt=felt
        )
    return _skjemaside(
        request,
        t,
        tilgang,
        kommunenummer,
        aar,
        ok=f"Finansieringsgrunnlaget for {aar} er publisert som versjon {versjon}.",
    )
