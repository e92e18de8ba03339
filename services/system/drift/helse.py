"""Health of one process: liveness, readiness, and whether the projector keeps up.

The projector is unhealthy when its background loop has failed several times in a row (an
event it cannot project fails every tick, and every read after it), or when the read model
has lagged behind the log for longer than a threshold without moving. A restarted database
makes a tick or two fail and then heals, which is why one failure is not enough.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

MAKS_FEIL_PA_RAD = 3
# Seconds the projection may stand still behind the log head before it counts as stuck.
TERSKEL_S = float(os.environ.get("OPPGJOR_PROJEKTOR_TERSKEL", "60"))


@dataclass
class Projektorhelse:
    """What the background projector and the health checks have seen (thread-safe)."""

    maks_feil: int = MAKS_FEIL_PA_RAD
    terskel_s: float = TERSKEL_S
    klokke: Callable[[], float] = time.monotonic
    feil_pa_rad: int = 0
    siste_feil: str | None = None
    _posisjon: int = -1
    _fremgang: float | None = None
    _las: threading.Lock = field(default_factory=threading.Lock)

    def lyktes(self) -> None:
        with self._las:
            self.feil_pa_rad = 0

    def feilet(self, unntak: BaseException) -> None:
        with self._las:
            self.feil_pa_rad += 1
            self.siste_feil = type(unntak).__name__  # the type only: messages may hold data

    def observer(self, hode: int, posisjon: int) -> None:
        """Note the log head and projected position; moving or caught up is progress."""
        with self._las:
            if hode <= posisjon or posisjon != self._posisjon or self._fremgang is None:
                self._fremgang = self.klokke()
            self._posisjon = posisjon

    def grunner(self, hode: int, posisjon: int, bakgrunn: bool) -> list[str]:
        """Why the projector is unhealthy; empty when it is healthy.

        The lag rule applies only where a background projector runs: without one
        (OPPGJOR_PROJEKTOR_INTERVALL=0) reads catch up, and a quiet service may lag.
        """
        self.observer(hode, posisjon)
        ut = []
        with self._las:
            if self.feil_pa_rad >= self.maks_feil:
                ut.append(
                    f"projektoren har feilet {self.feil_pa_rad} ganger på rad ({self.siste_feil})"
                )
            staar = self.klokke() - (self._fremgang or self.klokke())
            if bakgrunn and hode > posisjon and staar > self.terskel_s:
                ut.append(f"projeksjonen har stått {staar:.0f} s med etterslep {hode - posisjon}")
        return ut
