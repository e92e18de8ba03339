"""Local signing key for the embedded setup.

The CLI mints tokens with this key and the embedded server trusts its public half
(``jwks.json``). Both live in the data directory (``$OPPGJOR_DATA_DIR``, default
``./.oppgjor``), created on first use; keys are never part of the repository.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from joserfc.jwk import KeySet, RSAKey

from shared.nokkelfiler import publiser_privat_nokkel, skriv_offentlig_fil

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
    # First writer wins; a loser simply uses the winner's key.
    publiser_privat_nokkel(sti, RSAKey.generate_key(NOKKEL_BITS, private=True).as_pem(private=True))


def _skriv_jwks(katalog: Path, nokkel: RSAKey) -> None:
    innhold = json.dumps(offentlig_jwks(nokkel), indent=2) + "\n"
    # Rewritten only on change, which keeps the mtime stable for readers that cache by it.
    skriv_offentlig_fil(jwks_sti(katalog), innhold)
