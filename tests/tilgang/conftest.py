"""Fixtures for the tilgang tests: an isolated data directory and hand-made tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from shared.tilgang.avhengigheter import TilgangsKontroll
from shared.tilgang.nokler import last_eller_lag_nokkel
from shared.tilgang.register import Organisasjonsregister
from shared.tilgang.token import STANDARD_AUDIENCE

ISSUER = "oppgjor-lokal"
HDIR = "983544622"
HOBOL = "910138006"
LILLESAND = "910926004"
REVISJON = "919999004"
UKJENT_GYLDIG = "974760673"  # mod-11 valid, deliberately absent from the demo registry


@pytest.fixture(autouse=True)
def _rent_miljo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test may see the developer's OPPGJOR_* settings."""
    for navn in (
        "OPPGJOR_DATA_DIR",
        "OPPGJOR_JWKS",
        "OPPGJOR_ISSUER",
        "OPPGJOR_AUDIENCE",
        "OPPGJOR_ORG_REGISTER",
    ):
        monkeypatch.delenv(navn, raising=False)
    yield


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def nokkel(data_dir: Path) -> RSAKey:
    return last_eller_lag_nokkel(data_dir)


@pytest.fixture(scope="session")
def fremmed_nokkel() -> RSAKey:
    """A key nobody trusts."""
    k = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True)
    k.ensure_kid()
    return k


@pytest.fixture
def kontroll(data_dir: Path, nokkel: RSAKey) -> TilgangsKontroll:
    return TilgangsKontroll(data_dir, None, ISSUER, Organisasjonsregister.demo())


def claims(org: str = HOBOL, scope: str = "sio:oppgjor.read", **ekstra: Any) -> dict[str, Any]:
    """Maskinporten-shaped claims; ``ekstra`` overrides or (with None) removes claims."""
    naa = int(time.time())
    c: dict[str, Any] = {
        "iss": ISSUER,
        "aud": STANDARD_AUDIENCE,
        "iat": naa,
        "exp": naa + 600,
        "jti": str(uuid.uuid4()),
        "scope": scope,
        "consumer": {"authority": "iso6523-actorid-upis", "ID": f"0192:{org}"},
    }
    for navn, verdi in ekstra.items():
        if verdi is None:
            c.pop(navn, None)
        else:
            c[navn] = verdi
    return c


def signer(c: dict[str, Any], nokkel: RSAKey, kid: str | None = None) -> str:
    """Sign arbitrary claims with RS256 (for tokens lag_token would never make)."""
    return jwt.encode({"alg": "RS256", "kid": kid or nokkel.kid}, c, nokkel)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def usignert_token(c: dict[str, Any], alg: str = "none", hemmelighet: bytes = b"") -> str:
    """Hand-built JWS, for algorithms joserfc (rightly) will not produce for us."""
    header = _b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    payload = _b64(json.dumps(c).encode())
    if alg == "none":
        return f"{header}.{payload}."
    mac = hmac.new(hemmelighet, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(mac)}"
