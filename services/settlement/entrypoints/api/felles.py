"""What every route needs: the services, `per`, exact JSON bodies, and the access log."""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Path, Query, Request
from pydantic import BaseModel, ValidationError
from sqlalchemy import insert

from services.system.bootstrap import Tjenester
from shared.lagring.logg import naa
from shared.lagring.tabeller import innsynslogg
from shared.problem import Problem, problemsvar
from shared.tilgang.avhengigheter import Tilgang

M = TypeVar("M", bound=BaseModel)
MAKS_KROPP = 8 * 1024 * 1024
logger = logging.getLogger("oppgjor.innsyn")


def tjenester(request: Request) -> Tjenester:
    t: Tjenester = request.app.state.tjenester
    return t


Tj = Annotated[Tjenester, Depends(tjenester)]

# Path parameters shared by every resource.
Knr = Annotated[str, Path(pattern=r"^\d{4}$", description="Kommunenummer, fire siffer")]
Aar = Annotated[int, Path(ge=2000, le=2100)]
Kvartal = Annotated[int, Path(ge=1, le=4)]


def tolk_per(verdi: str | None) -> datetime:
    """`per`: an ISO 8601 instant with offset; default now (api.md)."""
    if verdi is None or verdi == "":
        return naa()
    tekst = verdi.strip().replace(" ", "+")  # a raw '+' in a URL arrives as ' '
    # Python reads at most microseconds; nanoseconds are cut (an instant no later than asked).
    tekst = re.sub(r"(\.\d{6})\d+", r"\1", tekst)
    try:
        t = datetime.fromisoformat(tekst)
    except ValueError:
        raise Problem(422, f"per={verdi!r} er ikke et ISO 8601-tidspunkt") from None
    if t.tzinfo is None:
        raise Problem(422, f"per={verdi!r} mangler tidssone (f.eks. 'Z' eller '+01:00')")
    return t


def _per(
    per: Annotated[
        str | None,
        Query(description="Svar slik det var kjent på dette tidspunktet (ISO 8601 med offset)."),
    ] = None,
) -> datetime:
    return tolk_per(per)


Per = Annotated[datetime, Depends(_per)]


async def raa_json(request: Request) -> Any:
    """The body parsed with exact decimals: 10.25 stays 10.25, never a binary float."""
    kropp = await request.body()
    if len(kropp) > MAKS_KROPP:
        raise Problem(413, f"Kroppen er større enn {MAKS_KROPP} byte")
    try:
        return json.loads(kropp, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as e:
        raise Problem(400, f"Kroppen er ikke gyldig JSON: {e}") from None


RaaJson = Annotated[Any, Depends(raa_json)]


def modell(klasse: type[M], data: Any) -> M:
    try:
        return klasse.model_validate(data)
    except ValidationError as e:
        errors = [
            {
                "index": None,
                "hendelse_id": None,
                "felt": ".".join(str(d) for d in feil["loc"]) or None,
                "detail": feil["msg"],
            }
            for feil in e.errors(include_url=False)
        ]
        raise Problem(422, f"Ugyldig {klasse.__name__}", errors=errors) from None


def logg_innsyn(t: Tjenester, tilgang: Tilgang, kommunenummer: str | None, ressurs: str) -> None:
    """Reads of person-level data (vedtak lines, the log) are recorded: who, what, when."""
    with t.lager.transaksjon() as s:
        s.execute(
            insert(innsynslogg).values(
                tidspunkt=naa(),
                organisasjonsnummer=tilgang.organisasjonsnummer,
                rolle=tilgang.rolle,
                kommunenummer=kommunenummer,
                ressurs=ressurs,
            )
        )
    # The resource (which vedtak) stays in the table, which only auditors read: process logs
    # travel further and must name no vedtak (issue 7, operations).
    logger.info("innsyn org=%s kommune=%s", tilgang.organisasjonsnummer, kommunenummer)


PROBLEM_SVAR = problemsvar(
    (400, "Kroppen er ikke gyldig JSON"),
    (401, "Mangler eller ugyldig token"),
    (403, "Feil scope eller kommune"),
    (404, "Finnes ikke: ukjent vedtak, ingen satstabell eller intet grunnlag"),
    (409, "Konflikt"),
    (422, "Ugyldige data"),
    (503, "Databasen er midlertidig utilgjengelig; ingenting ble lagret. Send på nytt."),
)
