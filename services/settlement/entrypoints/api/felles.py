"""What every route needs: the services, `per`, and exact JSON bodies."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Protocol, TypeVar

import orjson
from fastapi import Depends, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ValidationError

from services.settlement.application.lesing import Lesetjeneste
from services.settlement.application.publisering import Publisering
from services.settlement.entrypoints.api.grenser import (
    MAKS_TIDSTEKST,
    TIDSPUNKT_BESKRIVELSE,
    innenfor_tidsrommet,
    tekstparameter,
)
from shared.events.feilmelding import feiltekst
from shared.jsonkropp import MAKS_DYBDE, les_json
from shared.kroppsgrense import STANDARD_GRENSE
from shared.lagring.jsontekst import fragment
from shared.lagring.logg import naa
from shared.problem import Problem, problemsvar

M = TypeVar("M", bound=BaseModel)
MAKS_KROPP = 8 * 1024 * 1024


class Oppgjorstjenester(Protocol):
    """The use cases the settlement routes call (the composition root provides them)."""

    @property
    def lesing(self) -> Lesetjeneste: ...

    @property
    def publisering(self) -> Publisering: ...


def tjenester(request: Request) -> Oppgjorstjenester:
    t: Oppgjorstjenester = request.app.state.tjenester
    return t


Tj = Annotated[Oppgjorstjenester, Depends(tjenester)]

# Path parameters shared by every resource.
Knr = Annotated[str, Path(pattern=r"^[0-9]{4}$", description="Kommunenummer, fire siffer")]
Aar = Annotated[int, Path(ge=2000, le=2100)]
Kvartal = Annotated[int, Path(ge=1, le=4)]


def tolk_per(verdi: str | None, navn: str = "per") -> datetime:
    """`per`: an ISO 8601 instant with offset; default now (api.md). Bounds: grenser.py."""
    if verdi is None or verdi == "":
        return naa()
    tekstparameter(navn, verdi)
    if len(verdi) > MAKS_TIDSTEKST:
        raise Problem(422, f"{navn} har mer enn {MAKS_TIDSTEKST} tegn")
    tekst = verdi.strip().replace(" ", "+")  # a raw '+' in a URL arrives as ' '
    # Python reads at most microseconds; nanoseconds are cut (an instant no later than asked).
    tekst = re.sub(r"(\.\d{6})\d+", r"\1", tekst)
    try:
        t = datetime.fromisoformat(tekst)
    except ValueError:
        # The value is not echoed (free text); the parameter's name says which one.
        raise Problem(422, f"{navn} er ikke et ISO 8601-tidspunkt") from None
    if t.tzinfo is None:
        raise Problem(422, f"{navn} mangler tidssone (f.eks. 'Z' eller '+01:00')")
    return innenfor_tidsrommet(navn, verdi, t)


def _per(
    per: Annotated[
        str | None,
        Query(description="Svar slik det var kjent på dette tidspunktet: " + TIDSPUNKT_BESKRIVELSE),
    ] = None,
) -> datetime:
    return tolk_per(per)


Per = Annotated[datetime, Depends(_per)]


async def raa_json(request: Request) -> Any:
    """The body parsed with exact decimals: 10.25 stays 10.25, never a binary float.
    Depth and number bounds: shared/jsonkropp.py."""
    kropp = await request.body()
    if len(kropp) > MAKS_KROPP:
        raise Problem(413, f"Kroppen er større enn {MAKS_KROPP} byte")
    return await run_in_threadpool(les_json, kropp)


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
                "detail": feiltekst(feil),
            }
            for feil in e.errors(include_url=False)
        ]
        raise Problem(422, f"Ugyldig {klasse.__name__}", errors=errors) from None


PROBLEM_SVAR = problemsvar(
    (400, "Kroppen er ikke gyldig JSON"),
    (401, "Mangler eller ugyldig token"),
    (403, "Feil scope eller kommune"),
    (404, "Finnes ikke: ukjent vedtak, ingen satstabell eller intet grunnlag"),
    (409, "Konflikt"),
    (422, "Ugyldige data"),
    (503, "Databasen er midlertidig utilgjengelig; ingenting ble lagret. Send på nytt."),
)
# Routes with a JSON body: the edge's limits (shared/jsonkropp.py, shared/kroppsgrense.py).
KROPP_SVAR = {
    **PROBLEM_SVAR,
    **problemsvar(
        (400, f"Kroppen er ikke gyldig JSON, eller nestet dypere enn {MAKS_DYBDE} nivåer"),
        (413, f"Kroppen er større enn {STANDARD_GRENSE} byte; avvist før den er lest"),
    ),
}


def json_svar(innhold: dict[str, Any]) -> Response:
    """A large answer (a quarter's vedtak lines, an audit, the national view) as JSON, the
    same bytes' meaning as the default encoder gives, at a fraction of its cost: orjson,
    and no second pass through the response model, which only documents the answer. JSON
    the read model kept as text (`Jsontekst`) is written as it is."""
    return Response(orjson.dumps(innhold, default=fragment), media_type="application/json")
