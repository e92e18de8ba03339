"""A municipality's balance (issued minus paid, per quarter), and Hdir's payment form:
the same services and scopes as `GET …/saldo` and `POST …/utbetalinger`."""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from services.settlement.entrypoints.api.felles import Knr, Tj, modell
from services.settlement.entrypoints.api.nasjonalt import UtbetalingInn
from services.settlement.entrypoints.web.csrf import Skjema
from services.settlement.entrypoints.web.handlinger.felles import (
    Leser,
    Skriver,
    avvisning,
    belop,
    side,
    tekst,
)
from services.settlement.entrypoints.web.rute import SideRute
from services.settlement.entrypoints.web.tid import Per
from shared.lagring.logg import naa
from shared.tilgang.avhengigheter import Tilgang
from shared.tilgang.scopes import OPPGJOR_WRITE

router = APIRouter(route_class=SideRute)


def _saldoside(
    request: Request,
    t: Tj,
    tilgang: Tilgang,
    knr: str,
    status: int = 200,
    feil: str | None = None,
    ok: str | None = None,
    utfylt: dict[str, str] | None = None,
    per: datetime | None = None,
) -> Response:
    saldo = t.lesing.saldo(knr, per or naa())
    return side(
        request,
        "saldo.html",
        status=status,
        tilgang=tilgang,
        knr=knr,
        s=saldo,
        kan_betale=tilgang.har_scope(OPPGJOR_WRITE),
        # A new id per form shown: sending the same form twice is refused (409), not paid twice.
        utbetaling_id=str(uuid4()),
        utfylt=utfylt or {},
        feil=feil,
        ok=ok,
    )


@router.get("/kommuner/{kommunenummer}/saldo")
def saldo(
    request: Request, kommunenummer: Knr, per: Per, t: Tj, tilgang: Leser, registrert: str = ""
) -> Response:
    tilgang.krev_kommune(kommunenummer)
    ok = f"Utbetalingen er registrert ({registrert[:40]})." if registrert else None
    return _saldoside(request, t, tilgang, kommunenummer, ok=ok, per=per)


@router.post("/kommuner/{kommunenummer}/utbetalinger")
def registrer(
    request: Request, kommunenummer: Knr, t: Tj, tilgang: Skriver, skjema: Skjema
) -> Response:
    tilgang.krev_kommune(kommunenummer)
    felt = {
        n: tekst(skjema, n)
        for n in ("aar", "kvartal", "belop", "betalt_dato", "referanse", "utbetaling_id")
    }
    inn = {k: v for k, v in felt.items() if v}
    if "belop" in inn:
        inn["belop"] = belop(inn["belop"])
    try:
        u = modell(UtbetalingInn, inn)
        hendelse = t.publisering.registrer_utbetaling(
            kommunenummer, u.aar, u.kvartal, u.belop, u.betalt_dato, u.referanse, u.utbetaling_id
        )
    except Exception as e:
        status, melding = avvisning(e)
        return _saldoside(
            request, t, tilgang, kommunenummer, status=status, feil=melding, utfylt=felt
        )
    return RedirectResponse(
        f"/ui/kommuner/{kommunenummer}/saldo?registrert={hendelse['belop']}", status_code=303
    )
