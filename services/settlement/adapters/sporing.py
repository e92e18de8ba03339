"""A projection's tracking position: read, or locked for the batch that moves it.

The row is made on first use. Two processes starting on an empty store both find no row;
a plain INSERT would fail one of them on the primary key (a 500 on its first read), so the
row is inserted with ON CONFLICT DO NOTHING and then locked, and the lock orders them.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from shared.lagring.tabeller import sporing


def _er_postgres(s: Session) -> bool:
    return s.bind is not None and s.bind.dialect.name == "postgresql"


def sporet(s: Session, projeksjon: str, for_update: bool = False) -> int | None:
    """The position, or None before the projection's first batch."""
    sporring = select(sporing.c.posisjon).where(sporing.c.projeksjon == projeksjon)
    if for_update and _er_postgres(s):
        sporring = sporring.with_for_update()
    verdi = s.execute(sporring).scalar()
    return None if verdi is None else int(verdi)


def las_sporing(s: Session, projeksjon: str) -> int:
    """The position, locked until `s` commits (SQLite's writer lock already serialises)."""
    fra = sporet(s, projeksjon, for_update=True)
    if fra is not None:
        return fra
    ny = (pg_insert if _er_postgres(s) else sqlite_insert)(sporing).values(
        projeksjon=projeksjon, posisjon=0
    )
    s.execute(ny.on_conflict_do_nothing(index_elements=[sporing.c.projeksjon]))
    return sporet(s, projeksjon, for_update=True) or 0


class Sporingskonflikt(RuntimeError):
    """Another projector moved the position first; this batch was rolled back."""


def flytt(s: Session, projeksjon: str, fra: int, til: int) -> None:
    """Move the position from `fra` to `til` in the batch's transaction, or fail it."""
    flyttet = s.execute(
        update(sporing)
        .where(sporing.c.projeksjon == projeksjon, sporing.c.posisjon == fra)
        .values(posisjon=til)
    )
    if flyttet.rowcount != 1:  # type: ignore[attr-defined]
        raise Sporingskonflikt(f"posisjon {fra} ble flyttet av en annen projektor")
