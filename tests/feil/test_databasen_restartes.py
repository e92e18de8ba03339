"""The database drops every connection (as a restart does) in the middle of a stream of
batches: every acknowledged batch is there, no batch is there in part, and the service
answers 503 (not 500) while it is away and recovers by itself."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from shared.tilgang.token import lag_token
from tests.conftest import HOBOL
from tests.feil.test_sigkill import BATCH, _batch
from tests.server import Server


def _kutt_alle_tilkoblinger(pg_url: str) -> int:
    database = pg_url.rsplit("/", 1)[1]
    admin = pg_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as k:
        rader = k.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchall()
    return len(rader)


@pytest.mark.slow
def test_kuttede_tilkoblinger_mister_ingenting(pg_url: str, tmp_path: Path) -> None:
    data = tmp_path / "server"
    server = Server(data, pg_url)
    server.start()
    token = lag_token(HOBOL, "sio:vedtak.write", data_dir=data)
    kvittert: list[list[dict[str, Any]]] = []
    avvist: list[list[dict[str, Any]]] = []
    statuser: set[int] = set()
    stopp = threading.Event()

    def strom() -> None:
        nr = 0
        with httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as k:
            while not stopp.is_set():
                batch = _batch(nr)
                nr += 1
                svar = k.post("/v1/hendelser", json={"hendelser": batch})
                statuser.add(svar.status_code)
                if svar.status_code == 200:
                    kvittert.append(batch)
                else:
                    assert svar.status_code == 503, svar.text
                    assert svar.headers["content-type"].startswith("application/problem+json")
                    avvist.append(batch)

    trad = threading.Thread(target=strom)
    trad.start()
    try:
        kutt = 0
        for _ in range(4):
            while len(kvittert) < 3 + 3 * kutt:
                time.sleep(0.01)
            kutt += 1
            assert _kutt_alle_tilkoblinger(pg_url) >= 1
        while len(kvittert) < 3 + 3 * kutt:  # it recovers by itself
            time.sleep(0.01)
    finally:
        stopp.set()
        trad.join(timeout=60)
    try:
        assert 500 not in statuser
        with httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as k:
            for batch in kvittert:
                assert (
                    k.post("/v1/hendelser", json={"hendelser": batch}).json()["duplikater"] == BATCH
                )
            for batch in avvist:  # refused with 503: nothing of it was kept
                svar = k.post("/v1/hendelser", json={"hendelser": batch}).json()
                assert svar["nye"] == BATCH, svar
            assert k.get("/health").json()["status"] == "ok"
    finally:
        server.stopp()
