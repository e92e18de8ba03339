"""Many rows of a select as plain tuples, without the ORM's row objects.

A large municipality's audit reads some 100,000 rows; through SQLAlchemy's result rows
that took four times as long as the query itself. On PostgreSQL the compiled statement
runs on the driver's own cursor, which returns tuples; SQLite keeps the ordinary path
(its column types are converted there, and its reads are small).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Executable
from sqlalchemy.orm import Session


def tupler(s: Session, sporring: Executable, binary: bool = False) -> Sequence[Sequence[Any]]:
    """`binary`: PostgreSQL's binary format, where bytes then arrive as bytes rather than
    as hex text to decode (the event log's state)."""
    bind = s.get_bind()
    if bind.dialect.name != "postgresql":
        return s.execute(sporring).all()
    kompilert = sporring.compile(dialect=bind.dialect)  # type: ignore[attr-defined]
    driver = s.connection().connection.driver_connection
    assert driver is not None
    with driver.cursor(binary=binary) as cur:
        cur.execute(str(kompilert), kompilert.params)
        rader: list[tuple[Any, ...]] = cur.fetchall()
    return rader
