"""``oppgjor token`` and ``oppgjor orgs``: local tokens and the organisation registry.

Plain functions; the main ``oppgjor`` app adds them with :func:`registrer`. Both use the
data directory ``$OPPGJOR_DATA_DIR`` (default ``./.oppgjor``). ``token`` prints the token
alone on stdout so that ``TOKEN=$(oppgjor token ...)`` works; everything else goes to
stderr, and errors exit with code 2.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from shared.tilgang import nokler
from shared.tilgang.register import (
    Organisasjon,
    Organisasjonsregister,
    RegisterFeil,
    last_register,
    normaliser_orgnr,
)
from shared.tilgang.scopes import ALLE_SCOPES
from shared.tilgang.token import MAKS_LEVETID_S, lag_token

DataDirValg = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Datakatalogen (standard: $OPPGJOR_DATA_DIR, ellers ./.oppgjor).",
        file_okay=False,
    ),
]


def bruk_datakatalog(katalog: Path | None) -> None:
    """`--data-dir` wins over `$OPPGJOR_DATA_DIR`; everything downstream reads the variable."""
    if katalog is not None:
        os.environ["OPPGJOR_DATA_DIR"] = str(katalog)


def _feil(melding: str) -> NoReturn:
    typer.echo(f"feil: {melding}", err=True)  # as every other command's error line
    raise typer.Exit(code=2)


def _register() -> Organisasjonsregister:
    try:
        return last_register(nokler.data_dir())
    except RegisterFeil as e:
        _feil(str(e))


def _scopes(scope: str, organisasjon: Organisasjon) -> list[str]:
    """The requested scopes: known ones only; a warning for each the role may not use."""
    scopes = scope.split()
    if not scopes:
        _feil(f"oppgi minst ett scope: {' '.join(sorted(ALLE_SCOPES))}")
    ukjente = [s for s in scopes if s not in ALLE_SCOPES]
    if ukjente:
        _feil(f"ukjent scope {', '.join(ukjente)}; gyldige: {' '.join(sorted(ALLE_SCOPES))}")
    # Minted anyway so that 403 paths can be tried; the service ignores such scopes.
    for s in scopes:
        if s not in organisasjon.tillatte_scopes:
            typer.echo(
                f"Advarsel: rolle {organisasjon.rolle} kan ikke bruke {s}; tjenesten ser bort fra det",
                err=True,
            )
    return scopes


def token(
    org: Annotated[str, typer.Option("--org", help="Organisasjonsnummer (se `oppgjor orgs`).")],
    scope: Annotated[
        str, typer.Option("--scope", help='Mellomromsseparerte scopes, f.eks. "sio:oppgjor.read".')
    ],
    levetid: Annotated[
        int,
        typer.Option(
            "--levetid",
            min=1,
            max=MAKS_LEVETID_S,
            help="Levetid i sekunder; tjenesten godtar høyst et døgn.",
        ),
    ] = 3600,
    data_dir: DataDirValg = None,
) -> None:
    """Skriv ut et lokalt signert tilgangstoken (og ingenting annet) på stdout."""
    bruk_datakatalog(data_dir)
    try:
        orgnr = normaliser_orgnr(org)
    except RegisterFeil as e:
        _feil(str(e))
    organisasjon = _register().finn(orgnr)
    if organisasjon is None:
        _feil(f"organisasjon {orgnr} er ikke i organisasjonsregisteret; se `oppgjor orgs`")
    scopes = _scopes(scope, organisasjon)
    # Warned only once the input is good: bad input gets its one line and nothing else.
    if not nokler.data_dir().is_dir():
        typer.echo(
            f"Advarsel: datakatalogen {nokler.data_dir()} fantes ikke og blir laget; en tjeneste "
            "med en annen datakatalog godtar ikke tokenet",
            err=True,
        )
    if os.environ.get("OPPGJOR_JWKS"):
        typer.echo(
            "Advarsel: OPPGJOR_JWKS er satt, så tjenesten stoler kanskje ikke på lokale tokens",
            err=True,
        )
    try:
        typer.echo(lag_token(orgnr, scopes, levetid_s=levetid, data_dir=nokler.data_dir()))
    except OSError as e:
        _feil(f"kan ikke lese eller lage signeringsnøkkelen i {nokler.data_dir()}: {e}")
    except ValueError:
        _feil(
            f"signeringsnøkkelen i {nokler.data_dir()} er ødelagt; flytt {nokler.NOKKEL_FIL} "
            "bort, så lages en ny (tokens laget med den gamle slutter da å virke)"
        )


def orgs(
    som_json: Annotated[bool, typer.Option("--json", help="Skriv registeret som JSON.")] = False,
    data_dir: DataDirValg = None,
) -> None:
    """Vis organisasjonsregisteret: hvem som kan handle for hvilke kommuner."""
    bruk_datakatalog(data_dir)
    register = _register()
    if som_json:
        typer.echo(json.dumps(register.som_json(), ensure_ascii=False, indent=2))
        return
    tabell = Table(title="Organisasjonsregister")
    # Numbers and scopes are copied into commands, so they must never be cut with "…".
    tabell.add_column("Orgnr", no_wrap=True)
    tabell.add_column("Navn", overflow="fold")
    tabell.add_column("Rolle")
    tabell.add_column("Kommuner")
    tabell.add_column("Scopes", no_wrap=True)
    for org in register:
        tabell.add_row(
            org.organisasjonsnummer,
            org.navn,
            org.rolle,
            " ".join(sorted(org.kommuner)),
            "\n".join(sorted(org.tillatte_scopes)),
        )
    Console().print(tabell)


def registrer(app: typer.Typer) -> None:
    """Add ``token`` and ``orgs`` to the main ``oppgjor`` app."""
    app.command("token")(token)
    app.command("orgs")(orgs)
