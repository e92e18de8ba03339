"""Kill the server with SIGKILL in the middle of a stream of batches: every acknowledged
batch is there afterwards, and no batch is there in part."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.tilgang.token import lag_token
from tests.conftest import HOBOL
from tests.hendelser import fattet, rapport
from tests.server import Server

BATCH = 200


def _batch(nr: int) -> list[dict[str, Any]]:
    # New vedtak and reports on them, so every batch touches several aggregates.
    hendelser = [fattet(f"K{nr}-{i}") for i in range(BATCH // 2)]
    hendelser += [rapport(f"K{nr}-{i}", "2017-01-01", "2017-01-31", 20) for i in range(BATCH // 2)]
    return hendelser


@pytest.mark.slow
def test_sigkill_midt_i_strommen(lager_url: str, tmp_path: Path) -> None:
    data = tmp_path / "server"
    server = Server(data, lager_url)
    server.start()
    token = lag_token(HOBOL, "sio:vedtak.write", data_dir=data)
    hode = {"Authorization": f"Bearer {token}"}

    kvittert: list[list[dict[str, Any]]] = []
    sendt: list[list[dict[str, Any]]] = []
    stopp = threading.Event()

    def strom() -> None:
        nr = 0
        with httpx.Client(base_url=server.url, headers=hode, timeout=30) as k:
            while not stopp.is_set():
                batch = _batch(nr)
                sendt.append(batch)
                try:
                    svar = k.post("/v1/hendelser", json={"hendelser": batch})
                except httpx.HTTPError:
                    return  # the server died under us
                assert svar.status_code == 200, svar.text
                kvittert.append(batch)
                nr += 1

    trad = threading.Thread(target=strom)
    trad.start()
    slutt = time.monotonic() + 60
    while len(kvittert) < 5 and time.monotonic() < slutt:
        time.sleep(0.01)
    time.sleep(0.037)  # land somewhere inside a batch, not between two
    server.drep()
    stopp.set()
    trad.join(timeout=30)
    assert len(kvittert) >= 5

    server.start()
    try:
        with httpx.Client(base_url=server.url, headers=hode, timeout=60) as k:
            for batch in kvittert:
                svar = k.post("/v1/hendelser", json={"hendelser": batch}).json()
                assert svar["duplikater"] == len(batch), "a batch that was acknowledged is missing"
            # Batches sent but not acknowledged are either all there or not there at all.
            for batch in sendt[len(kvittert) :]:
                svar = k.post("/v1/hendelser", json={"hendelser": batch}).json()
                assert svar["nye"] in (0, len(batch)), f"partial batch stored: {svar}"
                assert svar["nye"] + svar["duplikater"] == len(batch)
            antall = (len(sendt)) * BATCH
            helse = k.get("/health").json()
            assert helse["logg_posisjon"] >= antall
    finally:
        server.stopp()
