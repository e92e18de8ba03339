"""haproxy in front of `oppgjor serve` replicas, run from deploy/haproxy.cfg as it is."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import httpx

from tests.server import ledig_port

KONFIG = Path(__file__).resolve().parents[1] / "deploy" / "haproxy.cfg"


class Lastbalanserer:
    def __init__(self, replikaer: list[str], katalog: Path) -> None:
        assert len(replikaer) == 3, "deploy/haproxy.cfg names three replicas"
        self.port = ledig_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.logg = katalog / "haproxy.log"
        self.miljo = {
            "OPPGJOR_LB_ADRESSE": f"127.0.0.1:{self.port}",
            **{f"OPPGJOR_REPLIKA_{i}": r for i, r in enumerate(replikaer, start=1)},
        }
        self.prosess: subprocess.Popen[bytes] | None = None

    def start(self, tidsfrist_s: float = 30) -> None:
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        with self.logg.open("ab") as ut:
            self.prosess = subprocess.Popen(
                [haproxy, "-db", "-f", str(KONFIG)],
                env={**os.environ, **self.miljo},
                stdout=ut,
                stderr=subprocess.STDOUT,
            )
        slutt = time.monotonic() + tidsfrist_s
        while time.monotonic() < slutt:
            if self.prosess.poll() is not None:
                raise RuntimeError(f"haproxy døde ved start:\n{self.logg.read_text()}")
            try:
                if httpx.get(self.url + "/health/ready", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"haproxy ble ikke klar:\n{self.logg.read_text()}")

    def stopp(self) -> None:
        if self.prosess is not None and self.prosess.poll() is None:
            self.prosess.terminate()
            try:
                self.prosess.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.prosess.kill()
                self.prosess.wait(timeout=15)
