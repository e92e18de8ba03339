"""A private PostgreSQL instance for tests that restart the database (never the shared one).

initdb and pg_ctl from the machine's PostgreSQL (Debian's /usr/lib/postgresql/*/bin), a
data directory of its own in a temp directory, a free loopback port, and a Unix socket in
that directory. PostgreSQL refuses to run as root, so as root it runs as the `postgres`
user.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.server import ledig_port


def _bin(navn: str) -> str:
    treff = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{navn}"))
    if not treff:
        raise FileNotFoundError(f"fant ikke {navn} i /usr/lib/postgresql/*/bin")
    return treff[-1]  # the newest major version installed


class PrivatPostgres:
    def __init__(self) -> None:
        self.katalog = Path(tempfile.mkdtemp(prefix="oppgjor-pg-"))
        self.data = self.katalog / "data"
        self.port = ledig_port()
        self.logg = self.katalog / "postgres.log"
        self._som: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.katalog, "postgres", "postgres")
            self._som = ["runuser", "-u", "postgres", "--"]

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _kjor(self, *args: str) -> None:
        subprocess.run([*self._som, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        if not self.data.exists():
            self._kjor(_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust")
        self._kjor(
            _bin("pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.logg),
            "-w",
            "-t",
            "60",
            "-o",
            # fsync off: an immediate stop kills the server processes, not the machine, so
            # every commit acknowledged is still in the kernel's page cache.
            f"-p {self.port} -k {self.katalog} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c max_connections=200",
            "start",
        )

    def restart(self) -> None:
        """Stop at once (like a crash: no clean shutdown, recovery from WAL) and start."""
        self._kjor(_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        self.start()

    def stopp(self) -> None:
        if self.data.exists():
            subprocess.run(
                [*self._som, _bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
                capture_output=True,
                timeout=120,
            )
        shutil.rmtree(self.katalog, ignore_errors=True)
