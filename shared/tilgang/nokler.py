"""Local signing key for the embedded setup.

The CLI mints tokens with this key and the embedded server trusts its public half
(``jwks.json``). Both live in the data directory (``$OPPGJOR_DATA_DIR``, default
``./.oppgjor``), created on first use; keys are never part of the repository.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from joserfc.jwk import KeySet, RSAKey

NOKKEL_FIL = "signeringsnokkel.pem"
JWKS_FIL = "jwks.json"
NOKKEL_BITS = 2048
ALGORITME = "RS256"

_PARAMETRE: dict[str, str] = {"use": "sig", "alg": ALGORITME}


def data_dir(miljo: Mapping[str, str] | None = None) -> Path:
    """The data directory from ``$OPPGJOR_DATA_DIR`` (default ``./.oppgjor``), not created."""
    env = os.environ if miljo is None else miljo
    return Path(env.get("OPPGJOR_DATA_DIR") or ".oppgjor")


def jwks_sti(katalog: Path) -> Path:
    """Where the public JWKS of the local key lives."""
    return katalog / JWKS_FIL


def last_eller_lag_nokkel(katalog: Path) -> RSAKey:
    """Load the local private key, creating key and ``jwks.json`` on first use.

    Safe when several processes start at once (``serve`` and ``token``): the key
    file is published with a hard link, which fails if another process won.
    """
    katalog.mkdir(parents=True, exist_ok=True)
    sti = katalog / NOKKEL_FIL
    if not sti.exists():
        _publiser_ny_nokkel(sti)
    nokkel = _importer(sti.read_bytes())
    _skriv_jwks(katalog, nokkel)
    return nokkel


def last_jwks(sti: Path) -> KeySet:
    """Read a JWKS file (``{"keys": [...]}``)."""
    return KeySet.import_key_set(json.loads(sti.read_text(encoding="utf-8")))


def offentlig_jwks(nokkel: RSAKey) -> dict[str, list[dict[str, object]]]:
    """The public JWKS document for ``nokkel``, with ``kid``, ``use`` and ``alg``."""
    return {"keys": [dict(nokkel.as_dict(private=False))]}


def _importer(pem: bytes) -> RSAKey:
    nokkel = RSAKey.import_key(pem, parameters=dict(_PARAMETRE))  # type: ignore[arg-type]
    if not nokkel.is_private:
        raise ValueError("signeringsnokkel.pem inneholder ikke en privat nøkkel")
    # kid = RFC 7638 thumbprint, so it is stable across restarts without being stored.
    nokkel.ensure_kid()
    return nokkel


def _publiser_ny_nokkel(sti: Path) -> None:
    pem = RSAKey.generate_key(NOKKEL_BITS, private=True).as_pem(private=True)
    # mkstemp creates the file with mode 0600 regardless of umask.
    fd, tmp = tempfile.mkstemp(dir=sti.parent, prefix=".nokkel-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        # First writer wins; a loser simply uses the winner's key.
        with contextlib.suppress(FileExistsError):
            os.link(tmp, sti)
    finally:
        os.unlink(tmp)


def _skriv_jwks(katalog: Path, nokkel: RSAKey) -> None:
    innhold = json.dumps(offentlig_jwks(nokkel), indent=2) + "\n"
    sti = jwks_sti(katalog)
    # Rewriting only on change keeps the mtime stable for readers that cache by it.
    if sti.exists() and sti.read_text(encoding="utf-8") == innhold:
        return
    fd, tmp = tempfile.mkstemp(dir=katalog, prefix=".jwks-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(innhold)
        os.chmod(tmp, 0o644)
        os.replace(tmp, sti)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
