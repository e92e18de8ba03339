"""RFC 9457 problem details for every error the HTTP API gives (api.md "Conventions")."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import psycopg
import sqlalchemy.exc
from eventsourcing.persistence import InterfaceError as LoggInterfaceError
from eventsourcing.persistence import OperationalError as LoggOperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from shared.events.feilmelding import feiltekst
from shared.feil import Applikasjonsfeil, IkkeFunnet, IkkeTillatt, Konflikt, Ugyldig
from shared.maskering import masker, masker_verdi

PROBLEM_JSON = "application/problem+json"
_TYPE_BASE = "https://omsorgsoppgjor.no/problem/"
logger = logging.getLogger("oppgjor.problem")

# What a restarted or unreachable database raises, from SQLAlchemy or from the log library,
# or from the driver itself where a bulk read or COPY runs on the driver's own cursor
# (shared/lagring/radlesing.py, masseinnsetting.py) and SQLAlchemy never sees the error.
LAGER_NEDE: tuple[type[Exception], ...] = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    LoggOperationalError,
    LoggInterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)

# SQLSTATE classes that pass: connection (08), rollback (40), resources (53), operator
# intervention such as a restart (57), system errors (58), and a lock wait (55P03).
_MIDLERTIDIGE_KLASSER = ("08", "40", "53", "57", "58")


def er_midlertidig(exc: BaseException) -> bool:
    """Is this database error one a resend may get past (503), or a permanent one?

    A lost connection carries no SQLSTATE (psycopg raises it client-side); SQLite's errors
    (a locked or busy file) carry none either. The error may be wrapped by SQLAlchemy
    (`.orig`) or by the log library (`__cause__`)."""
    sett: set[int] = set()
    feil: BaseException | None = exc
    while feil is not None and id(feil) not in sett:
        sett.add(id(feil))
        tilstand = getattr(feil, "sqlstate", None)
        if isinstance(tilstand, str) and tilstand:
            return tilstand.startswith(_MIDLERTIDIGE_KLASSER) or tilstand == "55P03"
        orig = getattr(feil, "orig", None)
        feil = orig if isinstance(orig, BaseException) else (feil.__cause__ or feil.__context__)
    return True


_TITLER = {
    400: "Ugyldig forespørsel",
    401: "Mangler eller ugyldig token",
    403: "Ingen tilgang",
    404: "Finnes ikke",
    405: "Metoden er ikke tillatt",
    406: "Kan ikke levere formatet",
    409: "Konflikt",
    413: "For stor forespørsel",
    415: "Ukjent innholdstype",
    422: "Ugyldige data",
    500: "Intern feil",
    503: "Tjenesten er utilgjengelig",
}


class Problem(Exception):
    """An error to answer with; `errors` lists refused items (index, hendelse_id, felt, detail)."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        tittel: str | None = None,
        type_: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.tittel = tittel or _TITLER.get(status, "Feil")
        self.type = type_ or _TYPE_BASE + str(status)
        self.errors = errors
        self.headers = dict(headers) if headers else None

    def som_json(self) -> dict[str, Any]:
        # Last line of defence: no 11-digit number (an identity?) in a detail or field name.
        kropp: dict[str, Any] = {
            "type": self.type,
            "title": self.tittel,
            "status": self.status,
            "detail": masker(self.detail),
        }
        if self.errors is not None:
            kropp["errors"] = [
                {k: masker_verdi(v) if k in ("detail", "felt") else v for k, v in feil.items()}
                for feil in self.errors
            ]
        return kropp


# What each of the use cases' own errors is on the wire (shared/feil.py).
STATUS_FOR: dict[type[Applikasjonsfeil], int] = {
    Ugyldig: 422,
    IkkeFunnet: 404,
    Konflikt: 409,
    IkkeTillatt: 403,
}


def fra_applikasjonsfeil(feil: Applikasjonsfeil) -> Problem:
    """The RFC 9457 problem for a use case's error: the one place the mapping lives."""
    status = next(s for klasse, s in STATUS_FOR.items() if isinstance(feil, klasse))
    return Problem(status, feil.detail, errors=feil.errors)


def problemsvar(*beskrivelser: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the problem statuses a route can answer, each described."""
    return {
        status: {"content": {PROBLEM_JSON: {}}, "description": tekst}
        for status, tekst in beskrivelser
    }


def svar(problem: Problem) -> JSONResponse:
    return JSONResponse(
        problem.som_json(),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=problem.headers,
    )


def installer(app: FastAPI) -> None:
    """Route every error through one shape; nothing leaks a stack trace or a bare 500."""

    @app.exception_handler(Problem)
    async def _problem(_: Request, exc: Problem) -> JSONResponse:
        return svar(exc)

    @app.exception_handler(Applikasjonsfeil)
    async def _applikasjonsfeil(_: Request, exc: Applikasjonsfeil) -> JSONResponse:
        return svar(fra_applikasjonsfeil(exc))

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        return svar(Problem(exc.status_code, str(exc.detail), headers=exc.headers))

    @app.exception_handler(RequestValidationError)
    async def _validering(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "index": None,
                "hendelse_id": None,
                "felt": ".".join(str(d) for d in e.get("loc", ())),
                "detail": feiltekst(e),
            }
            for e in exc.errors()
        ]
        return svar(Problem(422, "Forespørselen er ugyldig", errors=errors))

    async def _lager_nede(_: Request, exc: Exception) -> JSONResponse:
        if not er_midlertidig(exc):
            # A statement the database refuses for good (e.g. "stack depth limit exceeded"):
            # a resend fails the same way, so it must never be answered as temporary.
            logger.error("databasen avviste spørringen: %s", exc)
            return svar(Problem(500, "En uventet feil oppstod; den er logget"))
        # A restarted or unreachable database: nothing of the request was committed, so the
        # sender can safely send the same request again (resends are idempotent).
        # The type only: a database error's text can quote the SQL parameters of a row.
        logger.warning("lageret er utilgjengelig: %s", type(exc).__name__)
        return svar(
            Problem(
                503,
                "Databasen er midlertidig utilgjengelig; ingenting ble lagret. Send på nytt.",
                headers={"Retry-After": "1"},
            )
        )

    for klasse in LAGER_NEDE:
        app.add_exception_handler(klasse, _lager_nede)

    @app.exception_handler(Exception)
    async def _ukjent(_: Request, exc: Exception) -> JSONResponse:
        logger.exception("uventet feil")
        return svar(Problem(500, "En uventet feil oppstod; den er logget"))
