"""SIGTERM lets batches in flight finish, and the process exits 0; its logs are JSON lines
with a request id and no vedtak id or identity, uvicorn's own lines included.

A real `oppgjor serve` process: three large batches are sent at once, and SIGTERM arrives
while they are in flight. Each batch is either acknowledged and stored in full, or not
acknowledged and not stored at all.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.tilgang.token import lag_token
from tests.conftest import HDIR, HOBOL
from tests.hendelser import fattet
from tests.server import Server

STOR = 1000
SAMTIDIGE = 3


def _stor_batch(nr: int) -> list[dict[str, Any]]:
    return [fattet(f"T{nr}-{i}") for i in range(STOR)]


@pytest.mark.slow
def test_sigterm_lar_batcher_under_arbeid_bli_ferdige(lager_url: str, tmp_path: Path) -> None:
    data = tmp_path / "server"
    server = Server(data, lager_url)
    server.start()
    hode = {"Authorization": f"Bearer {lag_token(HOBOL, 'sio:vedtak.write', data_dir=data)}"}
    batcher = [_stor_batch(nr) for nr in range(SAMTIDIGE)]
    svar: dict[int, httpx.Response | Exception] = {}
    startet = threading.Barrier(SAMTIDIGE + 1, timeout=30)

    def send(nr: int) -> None:
        with httpx.Client(base_url=server.url, headers=hode, timeout=60) as k:
            startet.wait()
            try:
                svar[nr] = k.post(
                    "/v1/hendelser",
                    json={"hendelser": batcher[nr]},
                    headers={"X-Request-ID": f"sigterm-test-{nr}"},
                )
            except httpx.HTTPError as e:
                svar[nr] = e

    trader = [threading.Thread(target=send, args=(nr,)) for nr in range(SAMTIDIGE)]
    for t in trader:
        t.start()
    startet.wait()
    time.sleep(0.3)  # the bodies are sent; the server is validating and writing them
    assert server.prosess is not None
    server.prosess.send_signal(signal.SIGTERM)
    kode = server.prosess.wait(timeout=90)
    for t in trader:
        t.join(timeout=90)
    assert kode == 0, server.logg.read_text()[-3000:]

    kvittert = {nr for nr, s in svar.items() if isinstance(s, httpx.Response)}
    for nr in kvittert:
        s = svar[nr]
        assert isinstance(s, httpx.Response)
        assert s.status_code == 200, s.text
        assert s.json()["nye"] == STOR
        assert s.headers["x-request-id"] == f"sigterm-test-{nr}"

    server.start()
    try:
        with httpx.Client(base_url=server.url, headers=hode, timeout=60) as k:
            for nr, batch in enumerate(batcher):
                igjen = k.post("/v1/hendelser", json={"hendelser": batch}).json()
                if nr in kvittert:  # acknowledged: stored, every one of them
                    assert igjen["duplikater"] == STOR, igjen
                else:  # not acknowledged: nothing of it was stored
                    assert igjen["nye"] == STOR, igjen
            # A read that names a vedtak, to see that the log does not repeat it.
            les = {"Authorization": f"Bearer {lag_token(HDIR, 'sio:oppgjor.read', data_dir=data)}"}
            k.get("/v1/kommuner/0138/oppgjor/2017/1/vedtak/T0-7", headers=les)
    finally:
        server.stopp()

    linjer = [json.loads(linje) for linje in server.logg.read_text().splitlines() if linje]
    assert {"tid", "nivaa", "logger", "melding"} <= set(linjer[0])
    tilgang = [linje for linje in linjer if linje["logger"] == "oppgjor.tilgang"]
    batchlinjer = [linje for linje in tilgang if linje["rute"] == "/v1/hendelser"]
    assert {linje["request_id"] for linje in batchlinjer} >= {
        f"sigterm-test-{nr}" for nr in kvittert
    }
    assert any(linje["logger"] == "uvicorn.error" for linje in linjer)
    tekst = server.logg.read_text()
    for hemmelig in ("T0-7", "B-T0", "vedtak/T", "Bearer"):
        assert hemmelig not in tekst
