"""A faster insert for the log: one statement per batch instead of the ORM's unit of work.

The library's recorder adds one ORM object per event and flushes; at 1000 events a batch that
was half the ingest time. Semantics are kept: the table lock that makes commit order equal
position order on PostgreSQL, the NOTIFY, and positions returned in the events' order.
Every insert also extends the log's hash chain in the same transaction (loggkjede.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from shared.lagring.loggkjede import Loggpost, forleng


class Loggskriver(SQLAlchemyApplicationRecorder):
    def _insert_stored_events(
        self, session: Session, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int]:
        if not stored_events:
            return []
        modell = self.events_record_cls
        self._lock_table(session)
        if session.get_bind().dialect.name == "postgresql":
            # As the driver's own statement, on the session's connection and transaction
            # (SQLAlchemy still wraps its errors, so a restarted database is a 503): with
            # binary parameters (%b) psycopg writes the four arrays in its compiled code,
            # where as text it formatted 4,000 elements in Python per 1000-event batch,
            # a tenth of the ingest's time (2.6 against 21 ms a batch).
            rader = (
                session.connection()
                .exec_driver_sql(
                    f"INSERT INTO {self.events_table_name} "
                    "(originator_id, originator_version, topic, state) "
                    "SELECT * FROM unnest(%(ider)b::uuid[], %(versjoner)b::bigint[], "
                    "%(topics)b::text[], %(states)b::bytea[]) "
                    "RETURNING id, originator_id, originator_version",
                    {
                        "ider": [e.originator_id for e in stored_events],
                        "versjoner": [e.originator_version for e in stored_events],
                        "topics": [e.topic for e in stored_events],
                        "states": [e.state for e in stored_events],
                    },
                )
                .all()
            )
            # RETURNING order is not promised; map back by (aggregate, version).
            posisjon = {(r[1], r[2]): r[0] for r in rader}
            ider = [posisjon[(_uuid(e.originator_id), e.originator_version)] for e in stored_events]
        else:
            rader = session.execute(
                insert(modell).returning(modell.id, sort_by_parameter_order=True),
                [
                    {
                        "originator_id": e.originator_id,
                        "originator_version": e.originator_version,
                        "topic": e.topic,
                        "state": e.state,
                    }
                    for e in stored_events
                ],
            ).all()
            ider = [r[0] for r in rader]
        forleng(
            session,
            [
                Loggpost(posisjon, e.originator_id, e.originator_version, e.topic, e.state)
                for posisjon, e in zip(ider, stored_events, strict=True)
            ],
            lambda etter, til, grense: self.loggposter(session, etter, til, grense),
        )
        self._notify_channel(session)
        return ider

    def loggposter(
        self, session: Session, etter: int, til: int | None, grense: int
    ) -> list[Loggpost]:
        """Stored events after position `etter` (up to `til`), in position order."""
        tabell = self.events_record_cls.__table__
        sporring = select(
            tabell.c.id,
            tabell.c.originator_id,
            tabell.c.originator_version,
            tabell.c.topic,
            tabell.c.state,
        ).where(tabell.c.id > etter)
        if til is not None:
            sporring = sporring.where(tabell.c.id <= til)
        rader = session.execute(sporring.order_by(tabell.c.id).limit(grense)).all()
        return [Loggpost(r[0], r[1], r[2], r[3], bytes(r[4])) for r in rader]


def _uuid(verdi: Any) -> UUID:
    """The driver returns uuid columns as UUID: compare as such, not as formatted text."""
    return verdi if isinstance(verdi, UUID) else UUID(str(verdi))
