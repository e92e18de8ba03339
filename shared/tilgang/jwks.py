"""Where the issuer's public keys come from: a JWKS file or a JWKS URL.

A file is re-read when it changes; a URL is fetched with httpx and cached, and fetched
again early when a token names a ``kid`` the cache does not know (key rotation).
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Protocol

import httpx
from joserfc.errors import JoseError
from joserfc.jwk import KeySet


class JwksFeil(Exception):
    """The issuer's keys cannot be read: a server-side fault, not the caller's."""


class JwksKilde(Protocol):
    """A source of verification keys."""

    def nokler(self, kid: str | None) -> KeySet:
        """The current key set; ``kid`` is a hint that may trigger a refresh."""
        ...


def _importer(data: object, kilde: str) -> KeySet:
    try:
        return KeySet.import_key_set(data)  # type: ignore[arg-type]
    except (JoseError, KeyError, TypeError, ValueError) as e:
        raise JwksFeil(f"{kilde} er ikke et gyldig JWKS-dokument: {e}") from e


class JwksFil:
    """A JWKS file, re-read whenever its size or mtime changes."""

    def __init__(self, sti: Path) -> None:
        self.sti = sti
        self._versjon: tuple[int, int] | None = None
        self._nokler: KeySet | None = None
        self._las = threading.Lock()

    def nokler(self, kid: str | None) -> KeySet:
        try:
            st = self.sti.stat()
            with self._las:
                if self._nokler is None or self._versjon != (st.st_mtime_ns, st.st_size):
                    data = json.loads(self.sti.read_text(encoding="utf-8"))
                    self._nokler = _importer(data, str(self.sti))
                    self._versjon = (st.st_mtime_ns, st.st_size)
                return self._nokler
        except (OSError, ValueError) as e:
            raise JwksFeil(f"kan ikke lese JWKS-filen {self.sti}: {e}") from e


class JwksUrl:
    """A JWKS URL, cached for ``ttl_s`` and refreshed early (at most every
    ``min_intervall_s``) when a token names an unknown ``kid``."""

    def __init__(
        self,
        url: str,
        *,
        ttl_s: float = 300.0,
        min_intervall_s: float = 30.0,
        klient: httpx.Client | None = None,
    ) -> None:
        self.url = url
        self.ttl_s = ttl_s
        self.min_intervall_s = min_intervall_s
        self._klient = klient
        self._nokler: KeySet | None = None
        self._hentet = 0.0
        self._las = threading.Lock()

    def nokler(self, kid: str | None) -> KeySet:
        with self._las:
            alder = time.monotonic() - self._hentet
            ukjent_kid = (
                self._nokler is not None
                and kid is not None
                and all(k.kid != kid for k in self._nokler)
            )
            if (
                self._nokler is None
                or alder > self.ttl_s
                or (ukjent_kid and alder > self.min_intervall_s)
            ):
                try:
                    self._nokler = self._hent()
                    self._hentet = time.monotonic()
                except JwksFeil:
                    # A stale key set beats refusing every request while the issuer hiccups.
                    if self._nokler is None:
                        raise
            return self._nokler

    def _hent(self) -> KeySet:
        try:
            if self._klient is not None:
                svar = self._klient.get(self.url, timeout=5.0)
            else:
                svar = httpx.get(self.url, timeout=5.0)
            svar.raise_for_status()
            data = svar.json()
        except (httpx.HTTPError, ValueError) as e:
            raise JwksFeil(f"kan ikke hente JWKS fra {self.url}: {e}") from e
        return _importer(data, self.url)


def jwks_kilde(lokasjon: str) -> JwksKilde:
    """A key source for a JWKS URL (``http(s)://``) or file path (``file://`` allowed)."""
    if lokasjon.startswith(("https://", "http://")):
        return JwksUrl(lokasjon)
    return JwksFil(Path(lokasjon.removeprefix("file://")))
