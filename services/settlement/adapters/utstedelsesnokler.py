"""The issuing key: signs every issued settlement version; never stored in the database.

Production names a PEM file with `OPPGJOR_UTSTEDELSESNOKKEL`. Otherwise the key is
`utstedelsesnokkel.pem` in the data directory, created on first use with mode 0600 (the
same way as the token signing key in shared/tilgang/nokler.py, but a separate key, so that
a token key can rotate without touching the documents and the other way round).

Every public key that has signed is kept in `utstedelse-jwks.json` in the data directory,
never removed, so versions signed by a retired key keep verifying after a rotation.
`OPPGJOR_UTSTEDELSESNOKLER` may name a further JWKS file of retired public keys (for a
replica with a fresh data directory). The union is published at
`/.well-known/oppgjor-jwks.json`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joserfc.jwk import ECKey, KeySet

from shared.nokkelfiler import publiser_privat_nokkel, skriv_offentlig_fil

NOKKEL_MILJO = "OPPGJOR_UTSTEDELSESNOKKEL"
TIDLIGERE_MILJO = "OPPGJOR_UTSTEDELSESNOKLER"
NOKKEL_FIL = "utstedelsesnokkel.pem"
JWKS_FIL = "utstedelse-jwks.json"
ALGORITME = "ES256"
_PARAMETRE: dict[str, Any] = {"use": "sig", "alg": ALGORITME}


@dataclass(frozen=True)
class Utstedelsesnokler:
    privat: ECKey
    offentlige: tuple[dict[str, Any], ...]  # every public key that may have signed

    @property
    def kid(self) -> str:
        kid = self.privat.kid
        assert kid is not None
        return kid

    def jwks(self) -> dict[str, Any]:
        return {"keys": [dict(k) for k in self.offentlige]}

    def nokkelsett(self) -> KeySet:
        return KeySet.import_key_set(self.jwks())  # type: ignore[arg-type]


def last(katalog: Path, miljo: Mapping[str, str] | None = None) -> Utstedelsesnokler:
    env = os.environ if miljo is None else miljo
    katalog.mkdir(parents=True, exist_ok=True)
    sti = Path(env[NOKKEL_MILJO]) if env.get(NOKKEL_MILJO) else katalog / NOKKEL_FIL
    if not env.get(NOKKEL_MILJO) and not sti.exists():
        _lag_nokkel(sti)
    privat = ECKey.import_key(sti.read_bytes(), parameters=dict(_PARAMETRE))  # type: ignore[arg-type]
    if not privat.is_private:
        raise ValueError(f"{sti.name} inneholder ikke en privat nøkkel")
    privat.ensure_kid()  # RFC 7638 thumbprint: stable without being stored
    offentlige = _les_jwks(katalog / JWKS_FIL)
    if env.get(TIDLIGERE_MILJO):
        offentlige += _les_jwks(Path(env[TIDLIGERE_MILJO]))
    egen = dict(privat.as_dict(private=False))
    offentlige = _unike([egen, *offentlige])
    _skriv_jwks(katalog / JWKS_FIL, offentlige)
    return Utstedelsesnokler(privat, tuple(offentlige))


def _les_jwks(sti: Path) -> list[dict[str, Any]]:
    if not sti.exists():
        return []
    nokler: list[dict[str, Any]] = json.loads(sti.read_text(encoding="utf-8"))["keys"]
    return nokler


def _unike(nokler: list[dict[str, Any]]) -> list[dict[str, Any]]:
    sett: dict[str, dict[str, Any]] = {}
    for n in nokler:
        sett.setdefault(str(n["kid"]), n)
    return list(sett.values())


def _lag_nokkel(sti: Path) -> None:
    # The first of several starting processes wins; the others use its key.
    publiser_privat_nokkel(sti, ECKey.generate_key("P-256", private=True).as_pem(private=True))


def _skriv_jwks(sti: Path, nokler: list[dict[str, Any]]) -> None:
    # Merge with what another process may have written meanwhile: keys are only added.
    alle = _unike(nokler + _les_jwks(sti))
    skriv_offentlig_fil(sti, json.dumps({"keys": alle}, indent=2) + "\n")
