"""The `oppgjor` command line (api.md "Command line"): serve, token, orgs, satser, demo."""

from __future__ import annotations

import csv
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from shared.events.tall import tolk_desimal
from shared.tilgang.cli import registrer as registrer_tilgang

app = typer.Typer(
    name="oppgjor",
    help="Omsorgsoppgjør: oppgjør av statlig finansiering av omsorgstjenester.",
    no_args_is_help=True,
    add_completion=False,
)
satser_app = typer.Typer(help="Satstabeller fra Helsedirektoratet.", no_args_is_help=True)
app.add_typer(satser_app, name="satser")
lesemodell_app = typer.Typer(
    help="Lesemodellen som projiseres fra hendelsesloggen.", no_args_is_help=True
)
app.add_typer(lesemodell_app, name="lesemodell")
registrer_tilgang(app)
feil = Console(stderr=True)


def _stopp(melding: str) -> None:
    feil.print(f"[bold red]feil:[/] {melding}")
    raise typer.Exit(2)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Adressen å lytte på")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Porten å lytte på")] = 8000,
) -> None:
    """Start hele tjenesten (API, web-sider og projeksjon) på lageret i datakatalogen."""
    import uvicorn

    from services.system.app import lag_app, still_inn_prosessen

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        web = lag_app()
    except Exception as e:  # e.g. PostgreSQL unreachable: say so, don't dump a trace
        _stopp(f"kunne ikke åpne lageret: {e}")
        return
    still_inn_prosessen()
    uvicorn.run(web, host=host, port=port, log_level="info")


def les_satsfil(fil: Path, aar: int) -> list[dict[str, str]]:
    """CSV (the national rates file, or tjenestekode;sats) or XLSX, for one year."""
    if fil.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        ark = load_workbook(fil, read_only=True, data_only=True).active
        assert ark is not None
        rader = list(ark.iter_rows(values_only=True))
        hode = [str(c).strip() if c is not None else "" for c in rader[0]]
        poster = [
            {h: ("" if v is None else str(v)) for h, v in zip(hode, rad, strict=False)}
            for rad in rader[1:]
        ]
    else:
        tekst = fil.read_text(encoding="utf-8-sig")
        dialekt = csv.Sniffer().sniff(tekst.splitlines()[0], delimiters=",;\t")
        poster = list(csv.DictReader(tekst.splitlines(), dialect=dialekt))
    kolonne = next((k for k in (f"sats_{aar}", "sats") if poster and k in poster[0]), None)
    if kolonne is None:
        raise ValueError(f"fant verken kolonnen 'sats_{aar}' eller 'sats' i {fil}")
    ut = []
    for nr, post in enumerate(poster, start=2):
        verdi = (post.get(kolonne) or "").strip().replace(",", ".")
        if not verdi:
            continue  # blank: the code is not in use that year
        try:
            # Exact, and bounded before any arithmetic: publishing refuses anything but
            # whole øre, but `1e-999999999` must not reach a computation at all.
            sats = tolk_desimal(verdi)
        except ValueError as e:
            raise ValueError(f"rad {nr}: {verdi!r} er ikke en sats ({e})") from None
        ut.append({"tjenestekode": post["tjenestekode"].strip(), "sats": format(sats, "f")})
    return ut


@satser_app.command("import")
def satser_import(
    fil: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV eller XLSX")],
    aar: Annotated[int, typer.Option("--aar", help="Året tabellen gjelder")],
    kilde: Annotated[str | None, typer.Option(help="Kilde som lagres med versjonen")] = None,
) -> None:
    """Publiser en ny versjon av årets satstabell fra en fil."""
    from services.system.bootstrap import bygg
    from shared.events import SatsLinje
    from shared.problem import Problem

    try:
        linjer = les_satsfil(fil, aar)
    except (ValueError, KeyError) as e:
        _stopp(str(e))
    t = bygg()
    try:
        versjon = t.publisering.publiser_satser(
            aar, [SatsLinje.model_validate(x) for x in linjer], kilde or fil.name
        )
    except Problem as p:
        detaljer = "; ".join(str(e.get("detail")) for e in p.errors or [])
        _stopp(f"{p.detail}{': ' + detaljer if detaljer else ''}")
        return
    finally:
        t.lukk()
    Console().print(f"Publiserte satser {aar} versjon {versjon} ({len(linjer)} koder)")


@app.command()
def demo(
    utdata: Annotated[Path, typer.Option(help="Hvor resultatfilene skrives")] = Path("demo-output"),
    data_dir: Annotated[Path, typer.Option(help="Et eget, nytt innebygd lager for demoen")] = Path(
        ".oppgjor-demo"
    ),
    seed: Annotated[int, typer.Option(help="Frø for demodatasettet")] = 2017,
) -> None:
    """Hovedjobben: last satser, grunnlag og demohendelsene, utsted 2016-2017 og korreksjonene."""
    from services.settlement.entrypoints.demo import kjor_demo

    kjor_demo(utdata, data_dir, seed)


@lesemodell_app.command("gjenoppbygg")
def lesemodell_gjenoppbygg() -> None:
    """Tøm lesemodellen og projiser hele loggen på nytt (loggen er fasiten)."""
    from rich.progress import Progress

    from services.system.bootstrap import bygg

    t = bygg()
    try:
        with Progress(console=Console(stderr=True)) as fremdrift:
            oppgave = fremdrift.add_task("Projiserer loggen", total=None)

            def vis(posisjon: int, hode: int) -> None:
                fremdrift.update(oppgave, completed=posisjon, total=hode)

            antall = t.projektor.gjenoppbygg(vis)
    finally:
        t.lukk()
    Console().print(f"Lesemodellen er bygd på nytt: {antall} hendelser projisert.")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
