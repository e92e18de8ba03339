"""Writing key files safely: a private key once, first writer wins; a public file atomically.

Several processes may start at once on one data directory (`serve` replicas, `token`). A
private key is written to a temporary file made with mode 0600 (mkstemp ignores umask) and
published with a hard link, which fails for every process but the first: the others then
read the winner's key. A public file (a JWKS) is replaced atomically, and only when its
content changed, so readers that cache by mtime keep their cache.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def publiser_privat_nokkel(sti: Path, pem: bytes) -> None:
    """Publish `pem` at `sti` with mode 0600, unless another process got there first."""
    fd, tmp = tempfile.mkstemp(dir=sti.parent, prefix=f".{sti.stem}-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, sti)
    finally:
        os.unlink(tmp)


def skriv_offentlig_fil(sti: Path, innhold: str) -> None:
    """Replace `sti` (mode 0644) with `innhold` atomically; nothing happens if unchanged."""
    if sti.exists() and sti.read_text(encoding="utf-8") == innhold:
        return
    fd, tmp = tempfile.mkstemp(dir=sti.parent, prefix=f".{sti.stem}-", suffix=sti.suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(innhold)
        os.chmod(tmp, 0o644)
        os.replace(tmp, sti)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
