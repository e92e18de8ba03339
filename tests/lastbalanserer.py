"""haproxy in front of `oppgjor serve` replicas, run from deploy/haproxy.cfg as it is."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.server import ledig_port, vent_til_klar

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
        vent_til_klar(self.prosess, self.url + "/health/ready", self.logg, tidsfrist_s, "haproxy")

    def stopp(self) -> None:
        if self.prosess is not None and self.prosess.poll() is None:
            self.prosess.terminate()
            try:
                self.prosess.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.prosess.kill()
                self.prosess.wait(timeout=15)
