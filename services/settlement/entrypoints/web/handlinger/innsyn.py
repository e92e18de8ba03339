"""The access log for auditors: who read person-level data, and when, filtered by
municipality and period (the same read and scope as `GET /v1/revisjon/innsyn`), paged on
the server: the database counts and returns one page, however long the log grows."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from services.settlement.domain.fakta import tid
from services.settlement.entrypoints.api.felles import Tj
from services.settlement.entrypoints.web.handlinger.felles import Revisor, side
from services.settlement.entrypoints.web.rute import SideRute
from services.settlement.entrypoints.web.tabell import PER_SIDE, Side, les_valg
from services.settlement.entrypoints.web.visning import KOMMUNER
from shared.lagring.logg import naa
from shared.problem import Problem

router = APIRouter(route_class=SideRute)
OSLO = ZoneInfo("Europe/Oslo")


def _dag(tekst: str | None, navn: str) -> date | None:
    if not tekst:
        return None
    try:
        return date.fromisoformat(tekst)
    except ValueError:
        raise Problem(422, f"{navn} er ikke en dato (ÅÅÅÅ-MM-DD).") from None


@router.get("/revisjon/innsyn")
def innsyn(
    request: Request,
    t: Tj,
    tilgang: Revisor,
    kommunenummer: Annotated[str | None, Query(pattern=r"^([0-9]{4})?$")] = None,
    fra: Annotated[str | None, Query(max_length=10)] = None,
    til: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    if kommunenummer:
        tilgang.krev_kommune(kommunenummer)
    fra_dag, til_dag = _dag(fra, "Fra"), _dag(til, "Til")
    # Whole days in Norwegian time, both ends included: what a person means by a period.
    start = (
        datetime.combine(fra_dag, time(), OSLO).astimezone(UTC)
        if fra_dag
        else datetime(2000, 1, 1, tzinfo=UTC)
    )
    slutt = (
        datetime.combine(til_dag + timedelta(days=1), time(), OSLO).astimezone(UTC)
        - timedelta(microseconds=1)
        if til_dag
        else naa()
    )
    kommuner = [kommunenummer] if kommunenummer else sorted(tilgang.kommuner)
    valg = les_valg(request.query_params, [])
    totalt = t.lesing.antall_innsyn(kommuner, start, slutt)
    antall_sider = max(1, -(-totalt // PER_SIDE))
    if valg.side > antall_sider:
        raise Problem(404, f"Side {valg.side} finnes ikke; loggen har {antall_sider} sider.")
    rader = t.lesing.innsyn(kommuner, start, slutt, PER_SIDE, (valg.side - 1) * PER_SIDE)
    return side(
        request,
        "innsyn.html",
        tilgang=tilgang,
        valgt=kommunenummer or "",
        alle=tilgang.synlige(
            set(KOMMUNER) | tilgang.kommuner | set(t.lesing.synlige_kommuner(tilgang, naa()))
        ),
        fra=fra or "",
        til=til or "",
        side=Side(
            [
                {
                    "tidspunkt": tid(r.tidspunkt),
                    "organisasjonsnummer": r.organisasjonsnummer,
                    "rolle": r.rolle,
                    "kommunenummer": r.kommunenummer,
                    "ressurs": r.ressurs,
                }
                for r in rader
            ],
            valg,
            totalt,
            antall_sider,
        ),
        behold={"kommunenummer": kommunenummer or "", "fra": fra or "", "til": til or ""},
        start=tid(start),
        slutt=tid(slutt),
    )
