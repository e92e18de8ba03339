"""The catch-up projector: follows the event log into the read model's journal.

It pulls the log in batches (SQLite has no subscriptions, and one transaction per event is
far too slow) and commits each batch's rows together with its tracking position, so every
event is projected exactly once, even if the process dies between batches.
Every row keeps its log position and recorded time: that is what "as known at T" reads.
"""

from __future__ import annotations

import threading
from typing import Any

from eventsourcing.persistence import StoredEvent
from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from shared.lagring.logg import Loggapplikasjon
from shared.lagring.tabeller import hendelse, sporing

PROJEKSJON = "lesemodell"


class Sporingskonflikt(RuntimeError):
    """Another projector moved the position first; this batch was rolled back."""


class Projektor:
    def __init__(self, app: Loggapplikasjon, batchstorrelse: int = 2000) -> None:
        self.app = app
        self.lager = app.lager
        self.batchstorrelse = batchstorrelse
        self._logg: Table = app.recorder.events_record_cls.__table__  # type: ignore[attr-defined]
        self._lås = threading.Lock()

    def posisjon(self) -> int:
        with self.lager.les() as s:
            return _sporet(s) or 0

    def hode(self) -> int:
        with self.lager.les() as s:
            return int(s.execute(select(func.max(self._logg.c.id))).scalar() or 0)

    def ta_igjen(self) -> int:
        """Project everything logged so far; returns how many events were projected."""
        with self._lås:
            totalt = 0
            while self.hode() > self.posisjon():
                totalt += self.prosesser_batch()
            return totalt

    def prosesser_batch(self) -> int:
        with self.lager.transaksjon() as s:
            fra = _sporet(s, for_update=True)
            if fra is None:
                s.execute(insert(sporing).values(projeksjon=PROJEKSJON, posisjon=0))
                fra = 0
            lest = s.execute(
                select(
                    self._logg.c.id,
                    self._logg.c.originator_id,
                    self._logg.c.originator_version,
                    self._logg.c.topic,
                    self._logg.c.state,
                )
                .where(self._logg.c.id > fra)
                .order_by(self._logg.c.id)
                .limit(self.batchstorrelse)
            ).all()
            if not lest:
                return 0
            rader = [rad for r in lest if (rad := self._rad(*r)) is not None]
            if rader:
                s.execute(insert(hendelse), rader)
            flyttet = s.execute(
                update(sporing)
                .where(sporing.c.projeksjon == PROJEKSJON, sporing.c.posisjon == fra)
                .values(posisjon=lest[-1].id)
            )
            if flyttet.rowcount != 1:  # type: ignore[attr-defined]
                raise Sporingskonflikt(f"posisjon {fra} ble flyttet av en annen projektor")
            return len(lest)

    def _rad(
        self, posisjon: int, originator_id: Any, versjon: int, topic: str, state: bytes
    ) -> dict[str, Any] | None:
        # The mapper applies upcasters, so old event versions project in today's shape.
        event = self.app.mapper.to_domain_event(
            StoredEvent(
                originator_id=originator_id,
                originator_version=versjon,
                topic=topic,
                state=bytes(state),
            )
        )
        data: dict[str, Any] | None = getattr(event, "hendelse", None)
        if data is None:
            return None  # an aggregate's bare creation: no business fact to show
        return {
            "posisjon": posisjon,
            "registrert": event.timestamp,  # type: ignore[attr-defined]
            "type": data["type"],
            "hendelse_id": data.get("hendelse_id"),
            "kommunenummer": data.get("kommunenummer"),
            "vedtak_id": data.get("vedtak_id"),
            "aar": data.get("aar"),
            "kvartal": data.get("kvartal"),
            "data": data,
        }


def _sporet(s: Session, for_update: bool = False) -> int | None:
    spørring = select(sporing.c.posisjon).where(sporing.c.projeksjon == PROJEKSJON)
    if for_update and s.bind is not None and s.bind.dialect.name == "postgresql":
        spørring = spørring.with_for_update()
    verdi = s.execute(spørring).scalar()
    return None if verdi is None else int(verdi)
