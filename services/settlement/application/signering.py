"""Signing an issued version, and checking a signature (docs/verifisering.md).

The signature is a JWS in compact serialisation (RFC 7515), ES256, with the issuing key's
`kid` in its protected header. Its payload is the JCS (RFC 8785) form of a small claim:
which version of which quarter, and its document hash. The hash covers the whole document
(logg_hode and forrige_hash included), so signing the claim signs the document.
"""

from __future__ import annotations

from typing import Any

import rfc8785
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from services.settlement.adapters.utstedelsesnokler import ALGORITME, Utstedelsesnokler

KRAVFELT = ("kommunenummer", "aar", "kvartal", "versjon", "hash_algoritme", "hash")


def krav(dokument: dict[str, Any]) -> bytes:
    """The signed payload: JCS of the document's identity and hash."""
    return rfc8785.dumps({k: dokument.get(k) for k in KRAVFELT})


def signer(dokument: dict[str, Any], nokler: Utstedelsesnokler) -> str:
    return jws.serialize_compact(
        {"alg": ALGORITME, "kid": nokler.kid, "typ": "oppgjor+jws"},
        krav(dokument),
        nokler.privat,
        algorithms=[ALGORITME],
    )


def signaturfeil(dokument: dict[str, Any], offentlige: KeySet) -> str | None:
    """Why the document's signature does not hold, or None when it does."""
    signatur = dokument.get("signatur")
    if not isinstance(signatur, str):
        return "mangler signatur"
    try:
        svar = jws.deserialize_compact(signatur, offentlige, algorithms=[ALGORITME])
    except (JoseError, ValueError) as e:
        return f"signaturen holder ikke ({type(e).__name__})"
    if svar.payload != krav(dokument):
        return "signaturen gjelder et annet dokument eller en annen hash"
    return None
