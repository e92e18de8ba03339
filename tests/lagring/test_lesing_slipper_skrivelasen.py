"""A read through the application never keeps the store's write lock (both stores).

On SQLite a session that reads an aggregate begins with BEGIN IMMEDIATE; a read that left
its thread's session open held the write lock, and every write in the process then waited
out the busy timeout (a page of the year lock made every later write hang for a minute).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from services.system.bootstrap import Tjenester
from tests.hendelser import fattet


def test_aarslas_lesing_holder_ikke_skrivelasen(tjenester: Tjenester) -> None:
    # The reading thread lives on, as a server's worker threads do.
    with ThreadPoolExecutor(max_workers=1) as leser:
        status = leser.submit(tjenester.lesing.aarslas, "0138", 2017).result(timeout=30)
        assert status.last is False and status.endringer == 0
        ferdig = threading.Event()

        def skriv() -> None:
            tjenester.mottak.motta([fattet("V1")], None)
            ferdig.set()

        skriver = threading.Thread(target=skriv, daemon=True)
        skriver.start()
        assert ferdig.wait(timeout=20), "skrivingen ventet på en lesing som holdt skrivelåsen"
        skriver.join()
