"""Maskinporten-shaped access tokens: minting (local issuer) and verification.

A token is an RS256 JWT with ``iss``, ``aud``, ``exp``, ``iat``, ``jti``, ``scope``
(space-separated) and ``consumer`` = ``{"authority": "iso6523-actorid-upis",
"ID": "0192:<organisasjonsnummer>"}``. Verification trusts only the configured
issuer's keys: ``$OPPGJOR_JWKS`` (file path or URL), else the local ``jwks.json``.

A token must be meant for this service: ``aud`` must name the configured audience
(``$OPPGJOR_AUDIENCE``, default ``omsorgsoppgjor``; with Maskinporten, the audience the
tokens are requested for). And it must be short-lived: a lifetime (``exp - iat``, or
``exp - now`` without ``iat``) over ``MAKS_LEVETID_S`` (24 hours, what a person needs for
a working day in the web pages; Maskinporten's tokens live about 120 s) is refused, so a
leaked token cannot be valid for ever. Absurd numbers (``exp`` = 10^40) are refused too.
"""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from joserfc import jws, jwt
from joserfc.errors import ExpiredTokenError, InvalidClaimError, JoseError, MissingClaimError
from joserfc.jwk import RSAKey
from stdnum.no import orgnr as stdnum_orgnr

from shared.tilgang import nokler as lokale_nokler
from shared.tilgang.jwks import JwksFil, JwksKilde, jwks_kilde
from shared.tilgang.nokler import ALGORITME, jwks_sti, last_eller_lag_nokkel
from shared.tilgang.register import normaliser_orgnr

STANDARD_ISSUER = "oppgjor-lokal"
STANDARD_AUDIENCE = "omsorgsoppgjor"
MAKS_LEVETID_S = 24 * 3600
AUTHORITY = "iso6523-actorid-upis"
ICD_ORGNR = "0192"  # ISO 6523 code for the Norwegian Enhetsregisteret
LEEWAY_S = 30  # clock skew tolerated on exp/nbf/iat

_SCOPE = re.compile(r"^[^\s]+$")


class TokenFeil(Exception):
    """The token is missing, malformed, badly signed, expired or not for us."""


@dataclass(frozen=True)
class Claims:
    """The verified claims we act on; ``claims`` keeps the full payload."""

    organisasjonsnummer: str
    scopes: frozenset[str]
    iss: str
    exp: int
    iat: int | None = None
    jti: str | None = None
    claims: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


def konfigurert_issuer(miljo: Mapping[str, str] | None = None) -> str:
    """The configured issuer: ``$OPPGJOR_ISSUER``, default ``oppgjor-lokal``."""
    env = os.environ if miljo is None else miljo
    return env.get("OPPGJOR_ISSUER") or STANDARD_ISSUER


def konfigurert_audience(miljo: Mapping[str, str] | None = None) -> str:
    """The audience tokens must carry: ``$OPPGJOR_AUDIENCE``, default ``omsorgsoppgjor``."""
    env = os.environ if miljo is None else miljo
    return env.get("OPPGJOR_AUDIENCE") or STANDARD_AUDIENCE


def lag_token(
    org: str,
    scopes: Iterable[str] | str,
    *,
    levetid_s: int = 3600,
    data_dir: Path | None = None,
    issuer: str | None = None,
    audience: str | None = None,
    nokkel: RSAKey | None = None,
    naa: int | None = None,
    klient_id: str = "oppgjor-cli",
) -> str:
    """Mint an RS256 token for ``org`` with the local key (created on first use).

    ``naa`` (epoch seconds) fixes the issue time, e.g. to mint an expired token in tests.
    """
    orgnr = normaliser_orgnr(org)  # RegisterFeil is a ValueError
    scope_liste = scopes.split() if isinstance(scopes, str) else list(scopes)
    if not scope_liste or not all(_SCOPE.match(s) for s in scope_liste):
        raise ValueError("minst ett scope, uten mellomrom i hvert scope")
    if not 0 < levetid_s <= MAKS_LEVETID_S:
        raise ValueError(f"levetiden må være mellom 1 og {MAKS_LEVETID_S} sekunder")
    if nokkel is None:
        nokkel = last_eller_lag_nokkel(data_dir or lokale_nokler.data_dir())
    iat = int(time.time()) if naa is None else naa
    claims = {
        "iss": issuer if issuer is not None else konfigurert_issuer(),
        "aud": audience if audience is not None else konfigurert_audience(),
        "iat": iat,
        "exp": iat + levetid_s,
        "jti": str(uuid.uuid4()),
        "scope": " ".join(dict.fromkeys(scope_liste)),
        "consumer": {"authority": AUTHORITY, "ID": f"{ICD_ORGNR}:{orgnr}"},
        "client_id": klient_id,
        "token_type": "Bearer",
    }
    header = {"alg": ALGORITME, "kid": nokkel.kid}
    return jwt.encode(header, claims, nokkel, algorithms=[ALGORITME])


class TokenVerifiserer:
    """Verifies tokens from one issuer against one key source."""

    def __init__(
        self,
        issuer: str,
        nokler: JwksKilde,
        *,
        audience: str = STANDARD_AUDIENCE,
        maks_levetid_s: int = MAKS_LEVETID_S,
        leeway_s: int = LEEWAY_S,
        lokal: bool = False,
    ) -> None:
        self.issuer = issuer
        self.audience = audience
        self.maks_levetid_s = maks_levetid_s
        self.kilde = nokler
        self.leeway_s = leeway_s
        # Local keys live in a data directory: an unknown kid then almost always means the
        # token was minted with another directory's key, which the person can put right.
        self.lokal = lokal

    def verifiser(self, token: str, *, naa: int | None = None) -> Claims:
        """Return the claims, or raise ``TokenFeil`` (or ``JwksFeil`` if keys are unavailable)."""
        try:
            objekt = jws.extract_compact(token.strip().encode("ascii"))
            header = objekt.headers()
        except (JoseError, ValueError) as e:
            raise TokenFeil("tokenet er ikke en gyldig JWS (compact)") from e
        # Checked before any key is touched: never accept "none" or an HMAC algorithm,
        # which would let anyone holding the public key forge tokens.
        if header.get("alg") != ALGORITME:
            raise TokenFeil(f"tokenet må være signert med {ALGORITME}, ikke {header.get('alg')!r}")
        kid = header.get("kid")
        nokler = self.kilde.nokler(kid if isinstance(kid, str) else None)
        try:
            gyldig = jws.validate_compact(objekt, nokler, algorithms=[ALGORITME])
        except (JoseError, ValueError) as e:
            if self.lokal and kid not in {n.kid for n in nokler.keys}:
                raise TokenFeil(
                    "tokenet er signert med nøkkelen til en annen datakatalog enn tjenestens; "
                    "lag det med `oppgjor token --data-dir <tjenestens datakatalog>`"
                ) from e
            raise TokenFeil("ingen av utstederens nøkler passer tokenet (kid)") from e
        if not gyldig:
            raise TokenFeil("ugyldig signatur")
        return self._sjekk_claims(objekt.payload, naa)

    def _sjekk_claims(self, payload: bytes | None, naa: int | None) -> Claims:
        try:
            claims = json.loads(payload or b"")
        except ValueError as e:
            raise TokenFeil("tokenets innhold er ikke JSON") from e
        if not isinstance(claims, dict):
            raise TokenFeil("tokenets innhold er ikke et JSON-objekt")
        register = jwt.JWTClaimsRegistry(
            now=naa,
            leeway=self.leeway_s,
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.audience},
            exp={"essential": True},
            scope={"essential": True},
            consumer={"essential": True},
        )
        try:
            register.validate(claims)
        except ExpiredTokenError as e:
            raise TokenFeil("tokenet er utløpt") from e
        except MissingClaimError as e:
            raise TokenFeil(f"tokenet mangler claim: {e.claim}") from e
        except InvalidClaimError as e:
            if e.claim == "iss":
                raise TokenFeil(f"tokenet er ikke utstedt av {self.issuer!r} (iss)") from e
            if e.claim == "aud":
                raise TokenFeil(
                    f"tokenet er ikke for denne tjenesten (aud: {self.audience!r})"
                ) from e
            raise TokenFeil(f"ugyldig claim: {e.claim}") from e
        except JoseError as e:
            raise TokenFeil(f"ugyldige claims: {e.description or e.error}") from e
        self._sjekk_levetid(claims, naa)
        scope = claims["scope"]
        if not isinstance(scope, str):
            raise TokenFeil("claim 'scope' må være en mellomromsseparert streng")
        iat = claims.get("iat")
        jti = claims.get("jti")
        return Claims(
            organisasjonsnummer=_orgnr_fra_consumer(claims["consumer"]),
            scopes=frozenset(scope.split()),
            iss=claims["iss"],
            exp=int(claims["exp"]),
            iat=int(iat) if isinstance(iat, int | float) else None,
            jti=jti if isinstance(jti, str) else None,
            claims=claims,
        )

    def _sjekk_levetid(self, claims: Mapping[str, Any], naa: int | None) -> None:
        """exp - iat (or exp - now without iat) at most `maks_levetid_s`.

        The registry has checked that exp and iat are finite numbers; Python compares an
        int of any size with them exactly, so 10^40 is refused, not an overflow."""
        iat = claims.get("iat")
        start = iat if iat is not None else (naa if naa is not None else time.time())
        if claims["exp"] - start > self.maks_levetid_s + self.leeway_s:
            raise TokenFeil(
                f"tokenet lever for lenge (exp - iat over {self.maks_levetid_s} sekunder)"
            )


_verifiserere: dict[tuple[str, str, str], TokenVerifiserer] = {}


def verifiser_token(
    token: str,
    *,
    issuer: str | None = None,
    audience: str | None = None,
    jwks: str | None = None,
    data_dir: Path | None = None,
    naa: int | None = None,
) -> Claims:
    """Verify ``token`` against the configured issuer (environment unless given).

    Verifiers are cached per (issuer, key location) so a JWKS URL is not fetched per call.
    """
    iss = issuer if issuer is not None else konfigurert_issuer()
    aud = audience if audience is not None else konfigurert_audience()
    lokasjon = jwks or os.environ.get("OPPGJOR_JWKS") or ""
    if not lokasjon:
        lokasjon = str(jwks_sti(data_dir or lokale_nokler.data_dir()))
    verifiserer = _verifiserere.get((iss, aud, lokasjon))
    if verifiserer is None:
        verifiserer = TokenVerifiserer(iss, jwks_kilde(lokasjon), audience=aud)
        _verifiserere[(iss, aud, lokasjon)] = verifiserer
    return verifiserer.verifiser(token, naa=naa)


def lokal_verifiserer(
    katalog: Path,
    issuer: str,
    *,
    audience: str = STANDARD_AUDIENCE,
    leeway_s: int = LEEWAY_S,
) -> TokenVerifiserer:
    """A verifier trusting the local key in ``katalog`` (created on first use)."""
    last_eller_lag_nokkel(katalog)
    return TokenVerifiserer(
        issuer, JwksFil(jwks_sti(katalog)), audience=audience, leeway_s=leeway_s, lokal=True
    )


def _orgnr_fra_consumer(consumer: object) -> str:
    if not isinstance(consumer, dict):
        raise TokenFeil("claim 'consumer' må være et objekt")
    if consumer.get("authority") != AUTHORITY:
        raise TokenFeil(f"claim 'consumer.authority' må være {AUTHORITY!r}")
    ident = consumer.get("ID")
    if not isinstance(ident, str) or not ident.startswith(f"{ICD_ORGNR}:"):
        raise TokenFeil(f"claim 'consumer.ID' må ha formen '{ICD_ORGNR}:<organisasjonsnummer>'")
    orgnr = ident.removeprefix(f"{ICD_ORGNR}:")
    if not (len(orgnr) == 9 and stdnum_orgnr.is_valid(orgnr)):
        raise TokenFeil(f"claim 'consumer.ID' har ugyldig organisasjonsnummer {orgnr!r}")
    return orgnr
