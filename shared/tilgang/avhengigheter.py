"""FastAPI dependencies for authentication (who) and tenancy (for which municipalities).

Contract with the app: ``app.state.tilgang`` must hold a :class:`TilgangsKontroll`,
set when the app is built (``TilgangsKontroll.fra_miljo(data_dir)``, or constructed
explicitly in tests). Routes then declare what they need::

    @router.get("/v1/kommuner/{kommunenummer}/oppgjor/{aar}/{kvartal}")
    def hent(kommunenummer: str, tilgang: Tilgang = Depends(krev_scope(OPPGJOR_READ))):
        tilgang.krev_kommune(kommunenummer)

The municipality is checked by that one helper, ``Tilgang.krev_kommune``, first thing in
the handler, never in a dependency: FastAPI runs dependencies before it validates the path
and query, so a dependency would answer 403 where a malformed request gets 422 today.
Failures raise ``HTTPException`` (the app's handler renders them as
``application/problem+json``):

- 401 (``WWW-Authenticate: Bearer``): no/malformed/badly signed/expired token, wrong
  issuer, or an organisation that is not in the registry. An unknown organisation is
  treated as "not authenticated here" rather than "authenticated but forbidden".
- 403: a valid token for a known organisation lacking every required scope, or acting
  for a municipality it is not registered for. A scope only counts when the
  organisation's role may hold it (``scopes.SCOPES_FOR_ROLLE``).
- 503: the issuer's keys (JWKS) cannot be read.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.tilgang import nokler
from shared.tilgang.jwks import JwksFeil, jwks_kilde
from shared.tilgang.register import Organisasjonsregister, Rolle, last_register
from shared.tilgang.scopes import ALLE_SCOPES
from shared.tilgang.token import (
    LEEWAY_S,
    STANDARD_AUDIENCE,
    TokenFeil,
    TokenVerifiserer,
    konfigurert_audience,
    konfigurert_issuer,
    lokal_verifiserer,
)

# Only for OpenAPI (the "Authorize" button); the header itself is read by TilgangsKontroll.
_BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="Maskinporten",
    bearerFormat="JWT",
    description="Maskinporten-shaped RS256 token; local tokens come from `oppgjor token`.",
)


@dataclass(frozen=True)
class Tilgang:
    """An authenticated organisation and what it may do in this request."""

    organisasjonsnummer: str
    navn: str
    rolle: Rolle
    kommuner: frozenset[str]
    scopes: frozenset[str]  # token scopes the role may hold; the others are dropped

    def har_scope(self, *scopes: str) -> bool:
        """True if any one of ``scopes`` is granted."""
        return not self.scopes.isdisjoint(scopes)

    def kan_handle_for(self, kommunenummer: str) -> bool:
        # Hdir is the national authority: every municipality in the scheme is its business.
        return self.rolle == "hdir" or kommunenummer in self.kommuner

    def synlige(self, kommuner: Iterable[str]) -> list[str]:
        """Those of `kommuner` this organisation may see, sorted."""
        return sorted(k for k in set(kommuner) if self.kan_handle_for(k))

    def krev_kommune(self, kommunenummer: str) -> None:
        """Raise 403 unless this organisation may act for ``kommunenummer``."""
        if not self.kan_handle_for(kommunenummer):
            raise HTTPException(
                status_code=403,
                detail=(
                    f"{self.navn or self.organisasjonsnummer} ({self.organisasjonsnummer}) "
                    f"kan ikke handle for kommune {kommunenummer}"
                ),
            )


def _ikke_autentisert(detail: str, feilkode: str | None = "invalid_token") -> HTTPException:
    # RFC 6750 §3: no error code when the request carried no credentials at all.
    utfordring = "Bearer" if feilkode is None else f'Bearer error="{feilkode}"'
    return HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": utfordring})


class TilgangsKontroll:
    """Verifies bearer tokens and maps them to a :class:`Tilgang` through the registry.

    ``jwks`` is a JWKS file path or URL; ``None`` trusts the local key in ``data_dir``
    (created on first use), as the embedded setup does.
    """

    def __init__(
        self,
        data_dir: Path,
        jwks: str | None,
        issuer: str,
        register: Organisasjonsregister,
        *,
        audience: str = STANDARD_AUDIENCE,
        leeway_s: int = LEEWAY_S,
    ) -> None:
        self.register = register
        self.verifiserer: TokenVerifiserer
        if jwks:
            self.verifiserer = TokenVerifiserer(
                issuer, jwks_kilde(jwks), audience=audience, leeway_s=leeway_s
            )
        else:
            self.verifiserer = lokal_verifiserer(
                data_dir, issuer, audience=audience, leeway_s=leeway_s
            )

    @classmethod
    def fra_miljo(
        cls, data_dir: Path | None = None, miljo: Mapping[str, str] | None = None
    ) -> TilgangsKontroll:
        """Configured from ``OPPGJOR_DATA_DIR``, ``OPPGJOR_JWKS``, ``OPPGJOR_ISSUER``,
        ``OPPGJOR_AUDIENCE`` and ``OPPGJOR_ORG_REGISTER``; ``data_dir`` overrides the
        environment's."""
        env = os.environ if miljo is None else miljo
        katalog = data_dir if data_dir is not None else nokler.data_dir(env)
        return cls(
            katalog,
            env.get("OPPGJOR_JWKS") or None,
            konfigurert_issuer(env),
            last_register(katalog, env),
            audience=konfigurert_audience(env),
        )

    def verifiser(self, authorization: str | None, *, naa: int | None = None) -> Tilgang:
        """Turn an ``Authorization`` header value into a Tilgang, or raise 401/503."""
        if not authorization or not authorization.strip():
            raise _ikke_autentisert("mangler Authorization: Bearer <token>", feilkode=None)
        skjema, _, token = authorization.strip().partition(" ")
        if skjema.lower() != "bearer" or not token.strip():
            raise _ikke_autentisert("Authorization må ha formen 'Bearer <token>'", feilkode=None)
        try:
            claims = self.verifiserer.verifiser(token, naa=naa)
        except TokenFeil as e:
            raise _ikke_autentisert(f"ugyldig token: {e}") from e
        except JwksFeil as e:
            raise HTTPException(
                status_code=503, detail="utstederens nøkler er ikke tilgjengelige nå"
            ) from e
        org = self.register.finn(claims.organisasjonsnummer)
        if org is None:
            raise _ikke_autentisert(
                f"organisasjon {claims.organisasjonsnummer} er ikke i organisasjonsregisteret"
            )
        return Tilgang(
            organisasjonsnummer=org.organisasjonsnummer,
            navn=org.navn,
            rolle=org.rolle,
            kommuner=org.kommuner,
            scopes=claims.scopes & org.tillatte_scopes,
        )


def _kontroll(request: Request) -> TilgangsKontroll:
    kontroll = getattr(request.app.state, "tilgang", None)
    if not isinstance(kontroll, TilgangsKontroll):
        # A wiring bug, not a client error: fail loudly.
        raise RuntimeError("app.state.tilgang må være en TilgangsKontroll")
    return kontroll


def _sjekk_scopes(scopes: tuple[str, ...]) -> None:
    # Caught when routes are declared, so a typo never silently locks an endpoint.
    if not scopes:
        raise ValueError("krev minst ett scope")
    ukjente = set(scopes) - ALLE_SCOPES
    if ukjente:
        raise ValueError(f"ukjente scopes: {', '.join(sorted(ukjente))}")


def _krev(tilgang: Tilgang, scopes: tuple[str, ...]) -> None:
    if not tilgang.har_scope(*scopes):
        raise HTTPException(
            status_code=403,
            detail=(
                f"krever scope {' eller '.join(scopes)}; {tilgang.organisasjonsnummer} "
                f"(rolle {tilgang.rolle}) har {' '.join(sorted(tilgang.scopes)) or 'ingen'}"
            ),
            headers={
                "WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{" ".join(scopes)}"'
            },
        )


def krev_scope(*scopes: str) -> Callable[..., Tilgang]:
    """A dependency yielding the caller's Tilgang if it holds any one of ``scopes``."""
    _sjekk_scopes(scopes)

    # Sync on purpose: FastAPI runs it in the thread pool, so a JWKS fetch never
    # blocks the event loop.
    def avhengighet(
        request: Request,
        _: HTTPAuthorizationCredentials | None = Depends(_BEARER),
    ) -> Tilgang:
        tilgang = _kontroll(request).verifiser(request.headers.get("Authorization"))
        _krev(tilgang, scopes)
        return tilgang

    return avhengighet
