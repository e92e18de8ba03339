"""The demo's data directory: emptied before each run, never while a server uses it.

`oppgjor demo` starts from an empty embedded store, so it removes what its data
directory holds. A server running on that directory would lose its store from under it;
that case is refused instead (the CLI answers with one line and exit code 2).
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

# SQLite's WAL "dead man switch" byte in the -shm file: every open connection holds a
# shared lock on it for as long as it is open (sqlite os_unix.c, UNIX_SHM_DMS).
_SHM_DMS = 128


class LagerIBruk(RuntimeError):
    """The data directory holds a store that another process (a server) has open."""


def lager_i_bruk(data_dir: Path) -> bool:
    """Whether another process has the embedded store in `data_dir` open.

    The server keeps its SQLite connections open while it runs, and each holds a shared
    POSIX lock on the -shm file's DMS byte; an exclusive lock is refused while any does.
    """
    shm = data_dir / "oppgjor.db-shm"
    if not shm.exists():
        return False
    try:
        fd = os.open(shm, os.O_RDWR)
    except OSError:
        return True  # cannot tell: never risk wiping a store in use
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _SHM_DMS)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, _SHM_DMS)
        return False
    finally:
        os.close(fd)


def tom_datakatalog(data_dir: Path) -> None:
    """Start the demo from an empty store, but never remove one a server is using."""
    if lager_i_bruk(data_dir):
        raise LagerIBruk(
            f"{data_dir} brukes av en kjørende tjeneste; stopp den eller velg en annen "
            "katalog med --data-dir"
        )
    if data_dir.exists():
        shutil.rmtree(data_dir)  # a demo always starts from an empty store
    data_dir.mkdir(parents=True)
