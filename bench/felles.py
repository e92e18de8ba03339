"""Shared bench plumbing: fresh stores, a real server process, and printing figures."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from services.system.bootstrap import Tjenester, bygg
from services.system.prosess import still_inn_prosessen
from tests.databaser import ny_pg_database
from tests.server import Server

PG_ADMIN = os.environ.get("OPPGJOR_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def ny_postgres(navn: str = "oppgjor_bench") -> AbstractContextManager[str]:
    """A fresh PostgreSQL database on the bench's server (the tests' helper), dropped after."""
    return ny_pg_database(navn, PG_ADMIN)


def tjenester(url: str) -> Tjenester:
    """The service on `url`, in a process set up as `oppgjor serve` sets up its own: what
    the bench loads and projects in-process costs what it costs the server."""
    t = bygg(url)
    still_inn_prosessen()
    return t


@contextmanager
def ny_sqlite() -> Iterator[str]:
    katalog = Path(tempfile.mkdtemp(prefix="oppgjor-bench-"))
    try:
        yield f"sqlite:///{katalog / 'oppgjor.db'}"
    finally:
        shutil.rmtree(katalog, ignore_errors=True)


@contextmanager
def server(
    database_url: str, data_dir: Path, projektor: bool, miljo: dict[str, str] | None = None
) -> Iterator[str]:
    """A real `oppgjor serve` on a free port; yields its base URL."""
    prosess = Server(
        data_dir,
        database_url,
        {"OPPGJOR_PROJEKTOR_INTERVALL": "0.5" if projektor else "0", **(miljo or {})},
    )
    prosess.start()
    try:
        yield prosess.url
    finally:
        prosess.stopp()


def skriv(navn: str, verdi: float, enhet: str, merknad: str = "") -> None:
    tall = f"{verdi:>12,.1f}".replace(",", " ")
    print(f"  {navn:<58} {tall} {enhet:<10} {merknad}", flush=True)
