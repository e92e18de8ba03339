"""Where the issuer's public keys come from: a JWKS file or a JWKS URL.

A file is re-read when it changes; a URL is fetched with httpx and cached, and fetched
again early when a token names a ``kid`` the cache does not know (key rotation), without
ever making other requests wait for the fetch.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import httpx
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

logger = logging.getLogger("oppgjor.tilgang")


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
    """A JWKS URL, cached for ``ttl_s``, and never a lock that requests wait on.

    A token with an unknown ``kid`` once made every request wait while one of them fetched
    the key set again (a slow issuer stalled the service, and any caller could trigger it
    every 30 s). Now no lock is ever held during a fetch, and:

    - a known ``kid`` never waits: an expired key set is used while one background thread
      fetches a new one (at most one attempt per ``min_intervall_s``);
    - an unknown ``kid`` may start one fetch per ``min_intervall_s``; only that request
      waits for it (a rotated key then works at once). While a fetch is running, or within
      the interval, an unknown ``kid`` is refused at once with the keys at hand;
    - only before the first key set has ever been read do requests queue for it: without
      keys nobody can be verified anyway.
    """

    # Before any key set was read, a failed fetch is retried at most this often.
    FORSTE_PAUSE_S = 1.0

    def __init__(
        self,
        url: str,
        *,
        ttl_s: float = 300.0,
        min_intervall_s: float = 30.0,
        klient: httpx.Client | None = None,
        klokke: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.ttl_s = ttl_s
        self.min_intervall_s = min_intervall_s
        self._klient = klient
        self._klokke = klokke
        self._nokler: KeySet | None = None
        self._kids: frozenset[str] = frozenset()
        self._hentet = -math.inf  # last successful fetch
        self._forsokt = -math.inf  # start of the last attempt
        self._henter = False  # a fetch is running
        self._bakgrunn: threading.Thread | None = None
        # Guards the fields above for a few instructions; never held during a fetch.
        self._tilstand = threading.Lock()
        # Only while no key set has ever been read.
        self._forste = threading.Lock()

    def nokler(self, kid: str | None) -> KeySet:
        nokler = self._nokler
        if nokler is None:
            return self._forste_henting()
        naa = self._klokke()
        with self._tilstand:
            ledig = not self._henter and naa - self._forsokt >= self.min_intervall_s
            ukjent = kid is not None and kid not in self._kids
            if not ledig or not (ukjent or naa - self._hentet > self.ttl_s):
                return nokler
            self._henter, self._forsokt = True, naa
        if not ukjent:
            # Expired: carry on with the keys at hand while a new set is fetched.
            self._bakgrunn = threading.Thread(
                target=self._oppfrisk, name="jwks-oppfrisking", daemon=True
            )
            self._bakgrunn.start()
            return nokler
        self._oppfrisk()  # only this request waits, for the kid it named
        return self._nokler or nokler

    def vent_paa_oppfrisking(self, timeout: float | None = None) -> None:
        """Wait for a background refresh, if one runs (for tests and orderly shutdown)."""
        trad = self._bakgrunn
        if trad is not None:
            trad.join(timeout)

    def _oppfrisk(self) -> None:
        try:
            nye = self._hent()
        except JwksFeil as e:
            # A stale key set beats refusing every request while the issuer hiccups.
            logger.warning("beholder utstederens forrige nøkler: %s", e)
            nye = None
        with self._tilstand:
            if nye is not None:
                self._sett(nye)
            self._henter = False

    def _sett(self, nokler: KeySet) -> None:
        self._nokler = nokler
        self._kids = frozenset(k.kid for k in nokler if k.kid is not None)
        self._hentet = self._klokke()

    def _forste_henting(self) -> KeySet:
        with self._forste:
            if self._nokler is not None:  # another request read it while we queued
                return self._nokler
            naa = self._klokke()
            if naa - self._forsokt < self.FORSTE_PAUSE_S:
                raise JwksFeil(f"kan ikke hente JWKS fra {self.url}; prøver igjen straks")
            self._forsokt = naa
            nye = self._hent()
            with self._tilstand:
                self._sett(nye)
            return nye

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
