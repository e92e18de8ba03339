"""A local JWKS server on a real socket (127.0.0.1) that can hold its answers back.

`hold()` makes every request that arrives wait until `slipp()`, as a slow or hung issuer
would; `antall` counts the requests that arrived, so a test can tell how often the
service fetched the keys without measuring any time.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from joserfc.jwk import RSAKey

from shared.tilgang.nokler import offentlig_jwks


class JwksTjener:
    def __init__(self, nokler: list[RSAKey]) -> None:
        self.nokler = list(nokler)
        self.antall = 0
        self._holdt = threading.Event()
        self._slippes = threading.Event()
        self._slippes.set()
        self._ankommet = threading.Condition()
        tjener = self

        class Behandler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with tjener._ankommet:
                    tjener.antall += 1
                    tjener._ankommet.notify_all()
                tjener._slippes.wait(timeout=60)
                kropp = json.dumps(
                    {"keys": [offentlig_jwks(k)["keys"][0] for k in tjener.nokler]}
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(kropp)))
                self.end_headers()
                self.wfile.write(kropp)

            def log_message(self, *_: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Behandler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/jwks"
        self._trad = threading.Thread(target=self._server.serve_forever, daemon=True)

    def hold(self) -> None:
        self._slippes.clear()

    def slipp(self) -> None:
        self._slippes.set()

    def vent_paa(self, antall: int, timeout: float = 10.0) -> None:
        """Until `antall` requests have arrived (fails the test after `timeout`)."""
        with self._ankommet:
            if not self._ankommet.wait_for(lambda: self.antall >= antall, timeout=timeout):
                raise AssertionError(f"{self.antall} JWKS-forespørsler, ventet {antall}")

    @contextmanager
    def kjor(self) -> Iterator[JwksTjener]:
        self._trad.start()
        try:
            yield self
        finally:
            self.slipp()
            self._server.shutdown()
            self._server.server_close()
