"""The command line's error boundary: one line saying what to do, exit code 2, no traceback.

A person at a terminal needs to know what went wrong and what to do about it, not where in
the code it happened. Every failure the commands can meet (a bad file, a missing data
directory, an unreachable or unsupported database, a refused publication) is turned into
one line on stderr. `OPPGJOR_DEBUG=1` shows the traceback for developers.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError

from shared.feil import Applikasjonsfeil
from shared.lagring.database import datakatalog
from shared.problem import LAGER_NEDE, Problem

STOTTEDE_DATABASER = ("sqlite", "postgresql", "postgres", "postgresql+psycopg")


class Brukerfeil(Exception):
    """Bad input or a state the person can put right; the message says how."""


def _url_uten_passord(url: str) -> str:
    deler = urlsplit(url)
    vert = deler.hostname or ""
    port = f":{deler.port}" if deler.port else ""
    return f"{deler.scheme}://{vert}{port}{deler.path}" if deler.scheme else "(tom)"


def sjekk_database_url() -> None:
    """Refuse an unsupported `OPPGJOR_DATABASE_URL` before any driver is imported."""
    url = os.environ.get("OPPGJOR_DATABASE_URL")
    if not url:
        return
    skjema = urlsplit(url).scheme.lower()
    if skjema not in STOTTEDE_DATABASER:
        raise Brukerfeil(
            f"OPPGJOR_DATABASE_URL={_url_uten_passord(url)} er ikke støttet; bruk "
            "postgresql://bruker@vert:port/database, eller la variabelen være tom for "
            "det innebygde SQLite-lageret i datakatalogen"
        )


def krev_eksisterende_lager() -> None:
    """Commands that work on a store must not silently create an empty one elsewhere."""
    sjekk_database_url()
    if os.environ.get("OPPGJOR_DATABASE_URL"):
        return
    katalog = datakatalog()
    if not katalog.is_dir():
        raise Brukerfeil(
            f"datakatalogen {katalog} finnes ikke; oppgi riktig --data-dir (eller "
            "OPPGJOR_DATA_DIR), eller start `oppgjor serve --data-dir DIR` for å lage et nytt lager"
        )


def _melding(feil: BaseException) -> str:
    if isinstance(feil, Brukerfeil):
        return str(feil)
    if isinstance(feil, (Problem, Applikasjonsfeil)):
        detaljer = "; ".join(str(e.get("detail")) for e in feil.errors or [])
        return f"{feil.detail}{': ' + detaljer if detaljer else ''}"
    if isinstance(feil, (NoSuchModuleError, ArgumentError, ModuleNotFoundError)):
        return (
            "databasen i OPPGJOR_DATABASE_URL er ikke støttet; bruk postgresql://… eller la "
            "variabelen være tom for SQLite"
        )
    if isinstance(feil, LAGER_NEDE):  # what the API answers 503: the same errors, one list
        url = os.environ.get("OPPGJOR_DATABASE_URL")
        hvor = _url_uten_passord(url) if url else f"SQLite i {datakatalog()}"
        return (
            f"kan ikke nå databasen ({hvor}): sjekk at den kjører og at OPPGJOR_DATABASE_URL "
            "er riktig"
        )
    if isinstance(feil, DatabaseError):
        return (
            f"lageret i {datakatalog()} er ikke en gyldig database (ødelagt fil?); "
            "oppgi en annen --data-dir"
        )
    if isinstance(feil, PermissionError):
        return f"mangler tilgang til {feil.filename}: kjør som en bruker som kan lese og skrive der"
    if isinstance(feil, FileNotFoundError):
        return f"fant ikke {feil.filename}"
    if isinstance(feil, OSError):
        sti = f" ({Path(feil.filename)})" if feil.filename else ""
        return f"{feil.strerror or feil}{sti}"
    forste_linje = (str(feil).splitlines() or [""])[0][:200]
    return (
        f"uventet feil ({type(feil).__name__}: {forste_linje}); "
        "kjør med OPPGJOR_DEBUG=1 for detaljer"
    )


# click's usage messages are English; these are the ones a person meets.
_BRUKSFEIL = (
    (
        r"^Invalid value for (.+?): (?:file|directory|path) (.+?) does not exist\.$",
        r"\2 finnes ikke (\1)",
    ),
    (
        r"^Invalid value for (.+?): (?:file|directory|path) (.+?) is a directory\.$",
        r"\2 er en katalog, ikke en fil (\1)",
    ),
    (r"^Invalid value for (.+?): .*valid integer.*$", r"\1 må være et heltall"),
    (r"^Invalid value for (.+?): .*less than or equal to (\S+)$", r"\1 kan være høyst \2"),
    (r"^Invalid value for (.+?): .*greater than or equal to (\S+)$", r"\1 må være minst \2"),
    (r"^Invalid value for (.+?): (.+)$", r"ugyldig verdi for \1: \2"),
    (r"^Missing option (.+?)\.?$", r"mangler valget \1"),
    (r"^Missing argument (.+?)\.?$", r"mangler argumentet \1"),
    (r"^No such option: (\S+).*$", r"ukjent valg \1"),
    (r"^No such command (.+?)\.?$", r"ukjent kommando \1"),
    (r"^Got unexpected extra argument.*\((.+)\)$", r"uventet argument: \1"),
    (r"^Option (.+?) requires an argument\.$", r"valget \1 trenger en verdi"),
)


def _er_bruksfeil(feil: Exception) -> bool:
    """typer's usage errors (its vendored click's UsageError family: exit code 2, a context).

    Recognised by shape, since typer does not export the class itself.
    """
    return getattr(feil, "exit_code", None) == 2 and hasattr(feil, "format_message")


def bruksfeil(feil: Exception) -> str:
    """One Norwegian line for a wrong command line, with where to read more."""
    melding = " ".join(str(feil.format_message()).split())  # type: ignore[attr-defined]
    for monster, erstatning in _BRUKSFEIL:
        if re.match(monster, melding):
            melding = re.sub(monster, erstatning, melding)
            break
    ctx = getattr(feil, "ctx", None)
    kommando = ctx.command_path if ctx is not None else "oppgjor"
    return f"{melding}; se `{kommando} --help`"


@contextmanager
def feilgrense() -> Iterator[None]:
    """Run a command; any failure becomes one line on stderr and exit code 2."""
    try:
        yield
    except (SystemExit, KeyboardInterrupt):
        raise
    except Exception as feil:
        if type(feil).__name__ == "NoArgsIsHelpError":
            feil.show()  # type: ignore[attr-defined]  # a bare `oppgjor`: the help is the answer
            raise SystemExit(2) from None
        if _er_bruksfeil(feil):
            print(f"feil: {bruksfeil(feil)}", file=sys.stderr)
            raise SystemExit(2) from None
        if os.environ.get("OPPGJOR_DEBUG"):
            raise
        print(f"feil: {_melding(feil)}", file=sys.stderr)
        raise SystemExit(2) from None
