"""The audit's rows as last computed, per municipality, quarter and threshold (issue 9).

An audit row is a function of its vedtak's code, decided hours and reports alone
(`domain.revisjon.revisjonsrad`), and of the quarter and threshold. Between two reads of
a large municipality's audit, most of its 25,000 vedtak have not changed: the first read
after a change then reads the projection as usual, compares each vedtak's inputs with
those its kept row was computed from, and runs the regelverk and the rendering again only
where they differ. A row computed from the same inputs is the same row, so nothing kept
here can go stale; the least recently used audits give way when the rows held pass a
bound (the same bound as the kept answers', which share the rows' displays).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

from services.settlement.domain.revisjon import Revisjonsrad

# A row as the API shows it, field by field in the API's order (vedtak_id, tjenestekode,
# vedtatte_timer, utforte_timer, andel, flagg, rapporter as JSON text): what a helper
# process sends back, since a tuple pickles at a fraction of a dict's cost.
Visningstupel = tuple[str, str, str, str, str | None, tuple[str, ...], str]

# The row as the API shows it: a dict in the server, which its answers share and never
# change, and a `Visningstupel` in the helper process, which sends it on.
V = TypeVar("V")

# (everything the row was computed from beyond quarter and threshold, the row, the row as
# the API shows it): a plain tuple, since an Oslo-sized audit makes 25,000 of them.
KjentRad = tuple[Hashable, Revisjonsrad[str], V]


class Revisjonsrader(Generic[V]):
    def __init__(self, maks_rader: int = 200_000) -> None:
        self.maks_rader = maks_rader
        self._rader: OrderedDict[Hashable, dict[str, KjentRad[V]]] = OrderedDict()
        self._antall = 0
        self._lås = threading.Lock()

    def hent(self, nokkel: Hashable) -> dict[str, KjentRad[V]]:
        with self._lås:
            rader = self._rader.get(nokkel)
            if rader is None:
                return {}
            self._rader.move_to_end(nokkel)
            return rader

    def legg(self, nokkel: Hashable, rader: dict[str, KjentRad[V]]) -> None:
        # Two readers computing the same audit at once both keep a correct set; the
        # later one stays.
        with self._lås:
            if (forrige := self._rader.pop(nokkel, None)) is not None:
                self._antall -= len(forrige)
            self._rader[nokkel] = rader
            self._antall += len(rader)
            while self._antall > self.maks_rader and len(self._rader) > 1:
                _, borte = self._rader.popitem(last=False)
                self._antall -= len(borte)
