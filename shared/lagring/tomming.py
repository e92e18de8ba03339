"""Empty read-model tables for a rebuild.

On PostgreSQL a DELETE of every row leaves them all behind as dead tuples, with their
index entries, until vacuum: the rebuild that follows then writes into bloated tables and
indexes, and a second rebuild on the same store ran at two thirds of the speed of the
first (issue 9). TRUNCATE gives the space back at once, inside the same transaction.
"""

from __future__ import annotations

from sqlalchemy import Table, delete, text
from sqlalchemy.orm import Session


def tom_tabeller(s: Session, *tabeller: Table) -> None:
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text(f"TRUNCATE {', '.join(t.name for t in tabeller)}"))
        return
    for tabell in tabeller:
        s.execute(delete(tabell))
