"""The settlement service's eventsourcing Application: Hdir's aggregates in the shared log."""

from __future__ import annotations

from typing import TypeVar

from eventsourcing.application import AggregateNotFoundError

from services.settlement.domain.aggregater import _Hdiraggregat
from shared.lagring.logg import Loggapplikasjon, aggregat_id

A = TypeVar("A", bound=_Hdiraggregat)


class OppgjorApplikasjon(Loggapplikasjon):
    def hent_eller_ny(self, klasse: type[A], nokkel: str) -> A:
        """The aggregate for a natural key, or a new one (saved with its first event)."""
        try:
            funnet: object = self.repository.get(aggregat_id("hdir", nokkel))
        except AggregateNotFoundError:
            return klasse(nokkel=nokkel)
        assert isinstance(funnet, klasse)
        return funnet

    def les(self, klasse: type[A], nokkel: str) -> A:
        """`hent_eller_ny` for a read alone, in a transaction that ends here.

        A bare repository read leaves the thread's shared session in an open transaction;
        on SQLite (BEGIN IMMEDIATE) that held the write lock, and every later write in the
        process waited out the busy timeout."""
        with self.lager.transaksjon():
            return self.hent_eller_ny(klasse, nokkel)
