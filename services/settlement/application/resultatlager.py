"""Answers already computed, kept while what they were computed from stands (issue 9).

A municipality's quarter as known at `per` is a function of the events recorded at or
before `per`, and the log only grows at its end: so an answer computed at the instant its
municipality last changed answers every later `per` until the next change, and an answer
for a past instant answers it for ever. Keys therefore name that instant, never "now", and
nothing ever needs to be invalidated; the least recently used answers give way when the
rows they hold pass a bound.

An answer is shared by every reader that gets it: callers build new values from it and never
change it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Resultatlager(Generic[V]):
    def __init__(self, maks_vekt: int) -> None:
        self.maks_vekt = maks_vekt
        self._svar: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._vekt = 0
        self._lås = threading.Lock()

    def hent_eller_beregn(
        self, nokkel: Hashable, beregn: Callable[[], V], vekt: Callable[[V], int]
    ) -> V:
        with self._lås:
            funnet = self._svar.get(nokkel)
            if funnet is not None:
                self._svar.move_to_end(nokkel)
                return funnet[0]
        # Computed outside the lock: two readers may both compute a miss, never wait on
        # each other's arithmetic; both get the same answer.
        svar = beregn()
        tyngde = max(1, vekt(svar))
        if tyngde > self.maks_vekt:
            return svar
        with self._lås:
            if nokkel not in self._svar:
                self._svar[nokkel] = (svar, tyngde)
                self._vekt += tyngde
            while self._vekt > self.maks_vekt:
                _, (_, borte) = self._svar.popitem(last=False)
                self._vekt -= borte
        return svar
