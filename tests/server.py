"""Run `oppgjor serve` as a real process, for tests that kill it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def ledig_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def vent_til_klar(
    prosess: subprocess.Popen[bytes], url: str, logg: Path, tidsfrist_s: float, hva: str
) -> None:
    """Until `url` answers 200; a process that dies or never answers fails with its log."""
    slutt = time.monotonic() + tidsfrist_s
    while time.monotonic() < slutt:
        if prosess.poll() is not None:
            raise RuntimeError(f"{hva} døde ved start:\n{logg.read_text()}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{hva} ble ikke klar:\n{logg.read_text()}")


class Server:
    def __init__(
        self, data_dir: Path, database_url: str, miljo: dict[str, str] | None = None
    ) -> None:
        self.data_dir = data_dir
        self.database_url = database_url
        self.ekstra_miljo = miljo or {}
        self.port = ledig_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.prosess: subprocess.Popen[bytes] | None = None
        self.logg = data_dir / f"server-{self.port}.log"

    def start(self, tidsfrist_s: float = 60) -> None:
        miljo = dict(
            os.environ,
            OPPGJOR_DATA_DIR=str(self.data_dir),
            OPPGJOR_DATABASE_URL=self.database_url,
            **self.ekstra_miljo,
        )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.logg.open("ab") as ut:
            self.prosess = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "services.system.cli",
                    "serve",
                    "--port",
                    str(self.port),
                ],
                env=miljo,
                stdout=ut,
                stderr=subprocess.STDOUT,
            )
        vent_til_klar(self.prosess, self.url + "/health", self.logg, tidsfrist_s, "serveren")

    def drep(self) -> None:
        """SIGKILL: no shutdown hooks, no flush, exactly like a crash."""
        assert self.prosess is not None
        self.prosess.send_signal(signal.SIGKILL)
        self.prosess.wait(timeout=30)

    def stopp(self) -> None:
        if self.prosess is not None and self.prosess.poll() is None:
            self.prosess.terminate()
            try:
                self.prosess.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.drep()


@contextmanager
def kjorende_server(data_dir: Path, database_url: str) -> Iterator[Server]:
    server = Server(data_dir, database_url)
    server.start()
    try:
        yield server
    finally:
        server.stopp()
