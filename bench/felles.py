"""Shared bench plumbing: fresh stores, a real server process, and printing figures."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg

PG_ADMIN = os.environ.get("OPPGJOR_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def ny_postgres(navn: str = "oppgjor_bench") -> Iterator[str]:
    with psycopg.connect(PG_ADMIN, autocommit=True) as k:
        k.execute(f'DROP DATABASE IF EXISTS "{navn}" WITH (FORCE)')
        k.execute(f'CREATE DATABASE "{navn}"')
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + "/" + navn
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as k:
            k.execute(f'DROP DATABASE IF EXISTS "{navn}" WITH (FORCE)')


@contextmanager
def ny_sqlite() -> Iterator[str]:
    katalog = Path(tempfile.mkdtemp(prefix="oppgjor-bench-"))
    try:
        yield f"sqlite:///{katalog / 'oppgjor.db'}"
    finally:
        shutil.rmtree(katalog, ignore_errors=True)


@contextmanager
def server(database_url: str, data_dir: Path, port: int, projektor: bool) -> Iterator[str]:
    miljo = dict(
        os.environ,
        OPPGJOR_DATABASE_URL=database_url,
        OPPGJOR_DATA_DIR=str(data_dir),
        OPPGJOR_PROJEKTOR_INTERVALL="0.5" if projektor else "0",
    )
    prosess = subprocess.Popen(
        [sys.executable, "-m", "services.settlement.entrypoints.cli", "serve", "--port", str(port)],
        env=miljo,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield url
    finally:
        prosess.terminate()
        prosess.wait(timeout=30)


def skriv(navn: str, verdi: float, enhet: str, merknad: str = "") -> None:
    tall = f"{verdi:>12,.1f}".replace(",", " ")
    print(f"  {navn:<58} {tall} {enhet:<10} {merknad}", flush=True)
