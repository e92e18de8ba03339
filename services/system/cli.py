"""The `oppgjor` command line (api.md "Command line"): serve, token, orgs, satser, demo."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from services.settlement.domain.satsendring import Satsendring
from services.system.feilgrense import (
    Brukerfeil,
    feilgrense,
    krev_eksisterende_lager,
    sjekk_database_url,
)
from services.system.norsk_hjelp import bruk_norsk_hjelp
from shared.satsfil import Satsfilfeil, les_satser
from shared.tilgang.cli import DataDirValg, bruk_datakatalog
from shared.tilgang.cli import registrer as registrer_tilgang

# typer's own help frame ("Usage", "Options", "Show this message") in Norwegian.
bruk_norsk_hjelp()
app = typer.Typer(
    name="oppgjor",
    help="Omsorgsoppgjør: oppgjør av statlig finansiering av omsorgstjenester.",
    no_args_is_help=True,
    add_completion=False,
    # A traceback is no answer for a person at a terminal: see services/system/feilgrense.py.
    pretty_exceptions_enable=False,
)
satser_app = typer.Typer(help="Satstabeller fra Helsedirektoratet.", no_args_is_help=True)
app.add_typer(satser_app, name="satser")
lesemodell_app = typer.Typer(
    help="Lesemodellen som projiseres fra hendelsesloggen.", no_args_is_help=True
)
app.add_typer(lesemodell_app, name="lesemodell")
registrer_tilgang(app)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Adressen å lytte på")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Porten å lytte på", min=1, max=65535)] = 8000,
    data_dir: DataDirValg = None,
) -> None:
    """Start hele tjenesten (API, web-sider og projeksjon) på lageret i datakatalogen."""
    import logging.config
    import signal

    import uvicorn

    bruk_datakatalog(data_dir)
    sjekk_database_url()

    from services.system.app import lag_app
    from services.system.drift.jsonlogg import loggoppsett
    from services.system.prosess import still_inn_prosessen

    logging.config.dictConfig(loggoppsett())
    # Uvicorn answers SIGTERM gracefully (stops accepting, lets requests in flight finish,
    # runs the shutdown that stops the projector) and then raises the signal again; this
    # handler turns that into exit status 0, which a graceful stop is.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # The server proper: with the audit's helper process on PostgreSQL (ADR 19).
    web = lag_app(revisjonshjelper=True)  # an unreachable store: one line, feilgrense()
    still_inn_prosessen()
    uvicorn.run(
        web,
        host=host,
        port=port,
        log_config=None,  # ours (JSON) is in place
        access_log=False,  # the request middleware writes the access lines
        timeout_graceful_shutdown=60,
    )


def les_satsfil(fil: Path, aar: int) -> list[dict[str, str]]:
    """CSV (the national rates file, or tjenestekode;sats) or XLSX, for one year
    (shared/satsfil.py, which the pages' upload uses too).

    Raises `Brukerfeil` with a sentence a person can act on for every file it cannot read.
    """
    try:
        innhold = fil.read_bytes()
    except OSError as e:
        raise Brukerfeil(f"kan ikke lese {fil}: {e.strerror}") from None
    try:
        return les_satser(str(fil), innhold, aar)
    except Satsfilfeil as e:
        raise Brukerfeil(str(e)) from None


@satser_app.command("import")
def satser_import(
    fil: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV eller XLSX")],
    aar: Annotated[int, typer.Option("--aar", help="Året tabellen gjelder")],
    kilde: Annotated[str | None, typer.Option(help="Kilde som lagres med versjonen")] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Vis forskjellen mot tabellen som gjelder; publiser ikke"),
    ] = False,
    tillat_fjerning: Annotated[
        bool,
        typer.Option(
            "--tillat-fjerning",
            help="Bekreft at koder som gjelder i dag, skal fjernes (de får mangler_sats)",
        ),
    ] = False,
    data_dir: DataDirValg = None,
) -> None:
    """Publiser en ny versjon av årets satstabell fra en fil, etter å ha vist forskjellen."""
    from services.system.bootstrap import bygg
    from shared.events import SatsLinje

    bruk_datakatalog(data_dir)
    linjer = [SatsLinje.model_validate(x) for x in les_satsfil(fil, aar)]
    krev_eksisterende_lager()
    t = bygg()
    try:
        endring = t.publisering.forhandsvis_satser(aar, linjer)
        _vis_satsendring(aar, endring)
        if dry_run:
            Console().print("Ingenting publisert (--dry-run).")
            return
        if endring.fjernet and not tillat_fjerning:
            raise Brukerfeil(
                f"tabellen fjerner {len(endring.fjernet)} koder som gjelder "
                f"({_kortliste(endring.fjernet)}); bekreft med --tillat-fjerning"
            )
        utfall = t.publisering.publiser_satser(
            aar, linjer, kilde or fil.name, tillat_fjerning=tillat_fjerning, hopp_over_lik=True
        )
    finally:
        t.lukk()
    if utfall.ny_versjon:
        Console().print(f"Publiserte satser {aar} versjon {utfall.versjon} ({len(linjer)} koder)")
    else:
        Console().print(
            f"Tabellen er lik versjon {utfall.versjon} som gjelder; ingen ny versjon publisert"
        )


def _kortliste(koder: Iterable[str], hoyst: int = 8) -> str:
    alle = list(koder)
    return ", ".join(alle[:hoyst]) + (f" og {len(alle) - hoyst} til" if len(alle) > hoyst else "")


def _kr(sats: Decimal) -> str:
    return format(sats.quantize(Decimal("0.01")), "f")


def _vis_satsendring(aar: int, endring: Satsendring) -> None:
    """The difference a publication would make, as a table on stderr."""
    from rich.table import Table

    konsoll = Console(stderr=True)
    if endring.gjeldende_versjon is None:
        konsoll.print(
            f"Ingen satstabell for {aar} er publisert; alle {len(endring.lagt_til)} koder er nye."
        )
        return
    if endring.ingen_endring:
        konsoll.print(f"Tabellen er lik versjon {endring.gjeldende_versjon} som gjelder.")
        return
    tabell = Table(title=f"Endringer mot satser {aar} versjon {endring.gjeldende_versjon}")
    for kolonne in ("Endring", "Tjenestekode", "Gjeldende sats", "Ny sats"):
        tabell.add_column(kolonne)
    for kode, sats in endring.lagt_til.items():
        tabell.add_row("lagt til", kode, "", _kr(sats))
    for kode, sats in endring.fjernet.items():
        tabell.add_row("fjernet", kode, _kr(sats), "")
    for kode, (gammel, ny) in endring.endret.items():
        tabell.add_row("endret", kode, _kr(gammel), _kr(ny))
    konsoll.print(tabell)
    konsoll.print(f"{endring.uendret} koder er uendret.")


@app.command()
def demo(
    utdata: Annotated[Path, typer.Option(help="Hvor resultatfilene skrives")] = Path("demo-output"),
    data_dir: Annotated[Path, typer.Option(help="Et eget, nytt innebygd lager for demoen")] = Path(
        ".oppgjor-demo"
    ),
    seed: Annotated[int, typer.Option(help="Frø for demodatasettet")] = 2017,
) -> None:
    """Hovedjobben: last satser, grunnlag og demohendelsene, utsted 2016-2017 og korreksjonene."""
    from demo.datakatalog import LagerIBruk
    from demo.hovedjobb import kjor_demo

    try:
        kjor_demo(utdata, data_dir, seed)
    except LagerIBruk as e:  # never wipe a store a running server is using
        typer.echo(f"feil: {e}", err=True)  # one line, however long the path
        raise typer.Exit(2) from None


@lesemodell_app.command("gjenoppbygg")
def lesemodell_gjenoppbygg(data_dir: DataDirValg = None) -> None:
    """Tøm lesemodellen og projiser hele loggen på nytt (loggen er fasiten)."""
    from rich.progress import Progress

    from services.system.bootstrap import bygg
    from services.system.prosess import still_inn_prosessen

    bruk_datakatalog(data_dir)
    krev_eksisterende_lager()

    t = bygg()
    still_inn_prosessen()  # the server's settings: a catch-up allocates millions of objects
    try:
        with Progress(console=Console(stderr=True)) as fremdrift:
            oppgave = fremdrift.add_task("Projiserer loggen", total=None)

            def vis(posisjon: int, hode: int) -> None:
                fremdrift.update(oppgave, completed=posisjon, total=hode)

            antall = t.projektor.gjenoppbygg(vis)
    finally:
        t.lukk()
    Console().print(f"Lesemodellen er bygd på nytt: {antall} hendelser projisert.")


@app.command()
def verifiser(
    kommune: Annotated[str | None, typer.Option(help="Bare denne kommunen (fire siffer)")] = None,
    aar: Annotated[int | None, typer.Option(help="Bare dette året")] = None,
    kvartal: Annotated[int | None, typer.Option(help="Bare dette kvartalet (1-4)")] = None,
    som_json: Annotated[bool, typer.Option("--json", help="Hele rapporten som JSON")] = False,
    data_dir: DataDirValg = None,
) -> None:
    """Verifiser alle utstedte versjoner mot loggen: signatur, hash, kjeder og tall.

    Avslutter med 0 når alt holder, 1 med en liste over det som ikke holder, 2 ved ugyldig
    inndata.
    """
    from services.system.verifiser import kjor_verifisering

    bruk_datakatalog(data_dir)
    # Input first, then the store (kjor_verifisering refuses a store that is not there:
    # verifying one would make an empty one and call it valid).
    raise typer.Exit(kjor_verifisering(kommune, aar, kvartal, som_json))


def main() -> None:
    try:
        with feilgrense():
            # Not standalone: usage errors reach feilgrense() instead of click's English box.
            # The program is `oppgjor` however it was started: click would otherwise name
            # it after `python -m ...` when run as a module (and under `python -m pytest`).
            utfall = app(standalone_mode=False, prog_name="oppgjor")
    except (KeyboardInterrupt, typer.Abort):
        sys.exit(130)
    sys.exit(utfall if isinstance(utfall, int) else 0)


if __name__ == "__main__":
    main()
