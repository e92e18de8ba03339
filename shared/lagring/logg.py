"""The one event log both services write to.

Each service has its own eventsourcing Application (its own aggregates), but they share the
log's name and so its table: one total order of everything that happened, one position for
the projector to track, and one notion of "as known at T" (regelverk 3).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application, ProcessingEvent
from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import InfrastructureFactory, Recording
from eventsourcing.utils import Environment
from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import text
from sqlalchemy.orm import Session

from shared.identitet import aggregat_id
from shared.lagring.database import Lager
from shared.lagring.loggkjede import Loggpost, etterfyll, hode_naa
from shared.lagring.skriver import Loggskriver

LOGG_NAVN = "Logg"  # -> table "logg_events"

__all__ = ["LOGG_NAVN", "Loggapplikasjon", "aggregat_id", "naa"]


def naa() -> datetime:
    return datetime.now(tz=UTC)


class Loggapplikasjon(Application[UUID]):
    """An Application bound to a `Lager`'s shared scoped session."""

    name = LOGG_NAVN

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # The library names each subclass after itself, which would give each service a
        # log of its own. All subclasses share the one log.
        cls.name = LOGG_NAVN

    def __init__(self, lager: Lager, env: dict[str, Any] | None = None) -> None:
        self.lager = lager
        oppsett = {
            "PERSISTENCE_MODULE": "eventsourcing_sqlalchemy",
            "CREATE_TABLE": "y",
            # Snapshots must never feed as-of rebuilds; the log is always replayed whole.
            "IS_SNAPSHOTTING_ENABLED": "n",
        }
        oppsett.update(env or {})
        super().__init__(env=oppsett)

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """The library's `save`, without its per-object Protocol check for domain events.

        The library asks of every object whether it is a domain event through a runtime-
        checkable Protocol: about 10 µs each on Python 3.11, 10 ms of every 1000-event
        batch the case systems send. Ingest passes domain events only (in the order they
        were sent), and a class check says the same of them at a hundredth of the cost.
        Anything else takes the library's own path.
        """
        if not all(isinstance(o, DomainEvent) for o in objs):
            return super().save(*objs, **kwargs)
        opptak: ProcessingEvent[UUID] = ProcessingEvent()
        opptak.events.extend(objs)
        opptak.saved_kwargs.update(kwargs)
        # What the library's save does with the collected events, in its order.
        opptak_lagret = self._record(opptak)
        self._take_snapshots(opptak)
        self._notify(opptak_lagret)
        self.notify(opptak.events)
        return opptak_lagret

    def skrivelas(self, sesjon: Session, *, eksklusiv: bool) -> datetime:
        """Take the log's write lock in `sesjon`'s transaction; return the instant after it.

        A writer takes it exclusively before it reads the clock, so its recorded time is
        later than any instant an issuer took under the shared lock (which waits for writers
        in flight). Then a document issued "as known at T" can never miss an event recorded
        at or before T that was still uncommitted. SQLite's BEGIN IMMEDIATE already
        serialises every writer; PostgreSQL needs the table lock.
        """
        if sesjon.get_bind().dialect.name == "postgresql":
            # The library's recorder names its table (public attribute; we use no schema).
            assert isinstance(self.recorder, SQLAlchemyApplicationRecorder)
            tabell = self.recorder.events_table_name
            modus = "EXCLUSIVE" if eksklusiv else "SHARE"
            sesjon.execute(text(f"LOCK TABLE {tabell} IN {modus} MODE"))
        else:
            sesjon.execute(text("SELECT 1"))  # the first statement begins IMMEDIATE
        return naa()

    def loggposter(
        self, sesjon: Session, etter: int, til: int | None, grense: int
    ) -> list[Loggpost]:
        """Stored events after position `etter` (up to `til`), as the log keeps them."""
        skriver = self.recorder
        assert isinstance(skriver, Loggskriver)
        return skriver.loggposter(sesjon, etter, til, grense)

    def logg_hode(self, sesjon: Session) -> tuple[int, str]:
        """(position, chain head) at the log's end, in `sesjon`'s transaction."""
        return hode_naa(sesjon, lambda e, t, g: self.loggposter(sesjon, e, t, g))

    def etterfyll_loggkjede(self) -> int:
        """Chain a log written before the chain existed (run at start; idempotent)."""
        with self.lager.transaksjon() as sesjon:
            self.skrivelas(sesjon, eksklusiv=True)
            return etterfyll(sesjon, lambda e, t, g: self.loggposter(sesjon, e, t, g))

    def construct_factory(self, env: Environment) -> InfrastructureFactory[Any]:
        fabrikk = SQLAlchemyFactory(env)
        fabrikk.application_recorder_class = Loggskriver
        # The library owns no connection of its own: it joins our unit of work.
        fabrikk.datastore = SQLAlchemyDatastore(session=self.lager.sesjon)
        return fabrikk
