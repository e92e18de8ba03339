"""Stages of a long catch-up: threads that each take every batch in order (ADR 15).

The first stage (the journal) hands each committed batch to every later stage through a
short queue of its own; each later stage projects its part in its own transaction. A
failure in a later stage stops the first one at its next batch and is raised there, after
every stage has stopped: what each committed stays, and the next catch-up goes on from
the positions.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Generic, TypeVar

Batch = TypeVar("Batch")

_KO = 2  # batches a stage may lag behind the first one


class Stadier(Generic[Batch]):
    def __init__(self, stadier: Mapping[str, Callable[[Batch], None]]) -> None:
        self._koer: list[queue.Queue[Batch | None]] = [queue.Queue(_KO) for _ in stadier]
        self._feil: list[BaseException] = []
        self._trader = [
            threading.Thread(target=self._kjor, args=(ko, ta), name=navn, daemon=True)
            for ko, (navn, ta) in zip(self._koer, stadier.items(), strict=True)
        ]

    @property
    def feilet(self) -> bool:
        return bool(self._feil)

    def send(self, batch: Batch) -> None:
        for ko in self._koer:
            ko.put(batch)

    def _kjor(self, ko: queue.Queue[Batch | None], ta: Callable[[Batch], None]) -> None:
        try:
            while (batch := ko.get()) is not None:
                if not self._feil:
                    ta(batch)
        except BaseException as e:  # raised in the first stage by __exit__
            self._feil.append(e)
            while ko.get() is not None:
                pass  # let the first stage finish putting

    def __enter__(self) -> Stadier[Batch]:
        for trad in self._trader:
            trad.start()
        return self

    def __exit__(
        self,
        art: type[BaseException] | None,
        feil: BaseException | None,
        spor: TracebackType | None,
    ) -> None:
        for ko in self._koer:
            ko.put(None)
        for trad in self._trader:
            trad.join()
        if self._feil and feil is None:
            raise self._feil[0]
