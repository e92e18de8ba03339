"""A helper process for large audits: it computes the upper part of a quarter's audit while
the server computes the lower part (ADR 19; issue 9).

An audit of an Oslo-sized quarter compares 25,000 vedtak with 70,000 reports, in Python,
where one process uses one core. The helper is a second interpreter with its own
connections to the same store, started once (spawned, never forked from a server that
runs threads) and kept. It reads as known at the same instant as the server, so both
draw the same bound between the parts; the server checks that, and computes the part
itself whenever the helper is busy, dead, slow or disagrees.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime
from decimal import Decimal

from sqlalchemy import text

from services.settlement.adapters.projeksjonslesing import Projeksjonslesing
from services.settlement.application.revisjon import Revisjonsdel, beregn_del, vis_tupel
from services.settlement.application.revisjonsrader import Revisjonsrader, Visningstupel
from shared.lagring.database import Lager

logger = logging.getLogger("oppgjor.revisjon")

# How long the server waits for the helper's part before computing it itself: far beyond
# an Oslo-sized part (under a second), so only a stuck helper reaches it.
VENTETID_S = 30.0

# After a helper fails, the server computes whole audits for this long before it starts a
# new one: a store the helper cannot reach must not cost a process start per audit.
PAUSE_ETTER_FEIL_S = 60.0

# The helper's own state, set up once in its process by `_start`.
_projeksjon: Projeksjonslesing | None = None
_rader: Revisjonsrader[Visningstupel] | None = None


def _start(database_url: str, oppsett: Callable[[], None] | None) -> None:
    global _projeksjon, _rader
    if oppsett is not None:
        oppsett()
    threading.Thread(target=_vakt, args=(os.getppid(),), name="foreldervakt", daemon=True).start()
    _projeksjon = Projeksjonslesing(Lager(database_url))
    # Its own kept rows: the next audit of the same quarter recomputes only what changed.
    _rader = Revisjonsrader()


def _vakt(forelder: int) -> None:
    """Ends the helper when its server is gone: a server killed outright (SIGKILL) leaves
    the helper's task queue open, since the helper holds both ends of it."""
    while os.getppid() == forelder:
        time.sleep(1.0)
    os._exit(0)


def _klar() -> bool:
    """The helper's first task: its store answers (its first connection is made here, not
    in a reader's audit)."""
    assert _projeksjon is not None, "startet uten _start"
    with _projeksjon.lager.les() as s:
        s.execute(text("SELECT 1"))
    return True


def _ovre_del(
    kommunenummer: str, aar: int, kvartal: int, per: datetime, terskel: Decimal
) -> Revisjonsdel:
    assert _projeksjon is not None and _rader is not None, "startet uten _start"
    del_ = beregn_del(_projeksjon, _rader, vis_tupel, kommunenummer, aar, kvartal, per, terskel, 1)
    return Revisjonsdel(del_.nedre, [k[2] for k in del_.rader], del_.summer)


class Revisjonsprosess:
    """Serves the port `application.revisjon.Medregner` with one spawned helper process."""

    def __init__(self, database_url: str, oppsett: Callable[[], None] | None = None) -> None:
        self._url = database_url
        self._oppsett = oppsett  # process settings for the helper (the server's own)
        self._pool: ProcessPoolExecutor | None = None
        self._klar: Future[bool] | None = None  # done once the helper has started
        self._i_arbeid = 0
        self._feilet: float | None = None  # time.monotonic() of the last failure
        self._lås = threading.Lock()

    def start_prosess(self) -> None:
        """Spawn the helper now, in the background, so no reader waits for its start."""
        with self._lås:
            self._sikre_pool()

    def _sikre_pool(self) -> ProcessPoolExecutor | None:
        if self._klar is not None and self._klar.done() and self._klar.exception() is not None:
            self._forkast(feil=True)  # it never started (its store unreachable, say)
        if self._pool is None:
            if self._feilet is not None and time.monotonic() - self._feilet < PAUSE_ETTER_FEIL_S:
                return None
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=(self._url, self._oppsett),
            )
            # Starts the process; its imports run meanwhile, and until they are done the
            # server computes whole audits itself rather than wait for them.
            self._klar = self._pool.submit(_klar)
        return self._pool

    def start(
        self, kommunenummer: str, aar: int, kvartal: int, per: datetime, terskel: Decimal
    ) -> Callable[[], Revisjonsdel] | None:
        with self._lås:
            try:
                pool = self._sikre_pool()
                if (
                    pool is None
                    or self._i_arbeid > 0
                    or self._klar is None
                    or not self._klar.done()
                ):
                    # One audit at a time, and only once started: meanwhile a reader
                    # computes its audit whole, as without a helper.
                    return None
                fremtid = pool.submit(_ovre_del, kommunenummer, aar, kvartal, per, terskel)
            except RuntimeError:  # a broken or shut pool: start afresh later
                self._forkast(feil=True)
                return None
            self._i_arbeid += 1
        fremtid.add_done_callback(self._ferdig)
        return lambda: fremtid.result(timeout=VENTETID_S)

    def _ferdig(self, fremtid: Future[Revisjonsdel]) -> None:
        with self._lås:
            self._i_arbeid -= 1
            if not fremtid.cancelled() and fremtid.exception() is not None:
                # A dead helper breaks the pool for good; a failed audit does not, but
                # a fresh process costs little next to a wrong guess.
                logger.warning("hjelpeprosessen for revisjon feilet; starter en ny senere")
                self._forkast(feil=True)

    def _forkast(self, feil: bool = False) -> None:
        if feil:
            self._feilet = time.monotonic()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool, self._klar = None, None

    def lukk(self) -> None:
        with self._lås:
            self._forkast()

    def klar(self, tidsgrense_s: float) -> bool:
        """Whether the helper has started, waiting at most `tidsgrense_s` for it."""
        with self._lås:
            klar = self._klar
        if klar is None:
            return False
        try:
            return klar.result(timeout=tidsgrense_s)
        except Exception:
            return False
