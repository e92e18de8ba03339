"""`oppgjor demo`: the main job, on a fresh embedded store.

Starts the real service on a free local port, drives it over HTTP as Hdir and the four
case systems would, then prints the 2017 table and writes demo-output/. The demo is a
client of the service: every figure it shows is one the server issued.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from demo import SendHendelser, Steg, lag_datasett
from demo.datakatalog import tom_datakatalog
from demo.kilder import KOMMUNER
from demo.kjoring import Demofeil, Logg, kjor_steg
from demo.resultat import aarstabell, mnok, skriv_html, skriv_json, skriv_xlsx
from shared.tilgang.register import Organisasjonsregister, last_register
from shared.tilgang.token import lag_token

HDIR = "983544622"
HDIR_SCOPES = "sio:oppgjor.read sio:oppgjor.write sio:revisjon.read"


def _ledig_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Bakgrunnsserver:
    def __init__(self, data_dir: Path) -> None:
        from services.system.app import lag_app
        from services.system.prosess import still_inn_prosessen

        still_inn_prosessen()
        self.port = _ledig_port()
        self.server = uvicorn.Server(
            uvicorn.Config(
                lag_app(data_dir=data_dir), host="127.0.0.1", port=self.port, log_level="warning"
            )
        )
        self.trad = threading.Thread(target=self.server.run, name="demo-server", daemon=True)

    def __enter__(self) -> str:
        self.trad.start()
        slutt = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > slutt or not self.trad.is_alive():
                raise RuntimeError("tjenesten startet ikke")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.trad.join(timeout=30)


def kjor_demo(utdata: Path, data_dir: Path, seed: int) -> None:
    """Run the main job; raises LagerIBruk (before touching anything) if the store is in use."""
    # Wide enough for the table even when the output is a pipe (CI, `make demo | tee`).
    konsoll = Console(width=max(Console().width, 112))
    start = time.monotonic()
    tom_datakatalog(data_dir)
    os.environ["OPPGJOR_DATA_DIR"] = str(data_dir)
    os.environ.pop("OPPGJOR_DATABASE_URL", None)  # the main job runs on the embedded default
    utdata.mkdir(parents=True, exist_ok=True)

    with konsoll.status("Lager demodatasettet (fire kommuner, mai 2016 - desember 2017) …"):
        datasett = lag_datasett(seed)
    konsoll.print(
        f"Demodatasett: {sum(datasett.antall_vedtak.values())} vedtak, "
        f"{datasett.antall_hendelser_totalt} hendelser, "
        f"{len(datasett.steg)} steg"
    )
    logg = _send_alt(konsoll, data_dir, datasett.steg)
    dokumenter = logg.utstedt
    konsoll.print(_aarstabell(dokumenter))
    filer = [
        skriv_json(utdata, dokumenter),
        skriv_xlsx(utdata, dokumenter, 2017),
        skriv_html(utdata, dokumenter, 2017),
    ]
    korreksjoner = sum(1 for d in dokumenter if d["type"] == "korreksjonsoppgjor")
    konsoll.print(
        f"{logg.hendelser} hendelser mottatt, {len(dokumenter)} oppgjør utstedt "
        f"({korreksjoner} korreksjonsoppgjør) på {time.monotonic() - start:.0f} s."
    )
    for fil in filer:
        konsoll.print(f"  skrev {fil}")
    konsoll.print(
        f"Se resultatene i nettleseren: OPPGJOR_DATA_DIR={data_dir} .venv/bin/oppgjor serve, "
        "så http://127.0.0.1:8000/ui"
    )


def _tokens(data_dir: Path) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Authorization headers: Hdir's, and each municipality's case system's."""
    register = last_register(data_dir)
    hdir = {"Authorization": f"Bearer {lag_token(HDIR, HDIR_SCOPES, data_dir=data_dir)}"}
    kommuner = {
        knr: {
            "Authorization": "Bearer "
            + lag_token(
                _kommunens_org(register, knr),
                "sio:vedtak.write sio:oppgjor.read",
                data_dir=data_dir,
            )
        }
        for knr in KOMMUNER
    }
    return hdir, kommuner


def _send_alt(konsoll: Console, data_dir: Path, steg: list[Steg]) -> Logg:
    """Every step over HTTP against a real server, with a progress bar."""
    hdir, kommuner = _tokens(data_dir)
    fremdrift = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=konsoll,
    )
    with (
        _Bakgrunnsserver(data_dir) as url,
        httpx.Client(base_url=url, timeout=300) as klient,
        fremdrift,
    ):
        oppgave = fremdrift.add_task("Sender hendelser og utsteder oppgjør", total=len(steg))

        def steg_ferdig(s: Steg) -> None:
            beskrivelse = (
                f"Sender {s.kommunenummer} {s.periode}"
                if isinstance(s, SendHendelser)
                else f"{type(s).__name__} {getattr(s, 'sti', '')}"
            )
            fremdrift.update(oppgave, advance=1, description=beskrivelse[:60].ljust(60))

        try:
            return kjor_steg(klient, steg, hdir, kommuner, steg_ferdig)
        except Demofeil as e:
            konsoll.print(f"[bold red]Demoen stoppet:[/] {e}")
            raise SystemExit(1) from None


def _aarstabell(dokumenter: list[dict[str, Any]]) -> Table:
    tabell = Table(title="Oppgjør 2017 per kommune (MNOK, siste utstedte versjon av hvert kvartal)")
    for kolonne in (
        "Kommune",
        "Vedtak",
        "Rundsum",
        "Påslag",
        "Sum",
        "Uttrekk",
        "Differanse",
        "Publ. vedtak",
        "Korr.",
    ):
        tabell.add_column(kolonne, justify="left" if kolonne == "Kommune" else "right")
    for r in aarstabell(dokumenter, 2017):
        b = r.belop
        tabell.add_row(
            f"{r.kommunenummer} {r.kommune}",
            mnok(b["vedtakstilskudd"]),
            mnok(b["rundsumtilskudd"]),
            mnok(b["inntektspaslag"]),
            mnok(b["sum"]),
            mnok(b["uttrekk"]),
            mnok(b["differanse"]),
            mnok(r.publisert_vedtakstilskudd),
            str(r.korreksjoner),
        )
    return tabell


def _kommunens_org(register: Organisasjonsregister, knr: str) -> str:
    for org in register:
        if org.rolle == "kommune" and knr in org.kommuner:
            return str(org.organisasjonsnummer)
    raise RuntimeError(f"organisasjonsregisteret har ingen kommune-organisasjon for {knr}")
