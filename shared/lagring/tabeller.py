"""Tables owned by our Alembic migrations (the event log's own table is the library's).

- `hendelse`: the read model's journal: every logged event with its log position and the
  time it was recorded, so any view can answer "as known at T" (api.md `per`).
- `sporing`: the projector's position, committed in the same transaction as its rows.
- `mottatt_hendelse`: receipts of case-system hendelse_ids per municipality, written in
  the same transaction as the events, which makes a resend idempotent.
- `aarslas`: year locks (regelverk 4.7), kept in the same transaction as their events so
  that ingestion sees a lock the moment Hdir's call returns.
- `innsynslogg`: who read person-level data, and when.
- `loggkjede`: the hash chain over the event log (docs/verifisering.md).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.dialects.postgresql import JSONB


class UTCTid(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on both stores.

    SQLite keeps naive text; storing UTC only keeps its string order equal to time order.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        tid: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
        if tid.tzinfo is None:
            return tid.replace(tzinfo=UTC)
        return tid.astimezone(UTC)


Json = JSON().with_variant(JSONB(), "postgresql")

metadata = MetaData()

hendelse = Table(
    "hendelse",
    metadata,
    Column("posisjon", BigInteger, primary_key=True, autoincrement=False),
    Column("registrert", UTCTid, nullable=False),
    Column("type", String(40), nullable=False),
    Column("hendelse_id", String(36)),
    Column("kommunenummer", String(4)),
    Column("vedtak_id", String(100)),
    Column("aar", Integer),
    Column("kvartal", Integer),
    Column("data", Json, nullable=False),
    Index("ix_hendelse_kommune_registrert", "kommunenummer", "registrert"),
    Index("ix_hendelse_type_aar", "type", "aar", "registrert"),
    Index("ix_hendelse_registrert", "registrert"),
)

sporing = Table(
    "sporing",
    metadata,
    Column("projeksjon", String(64), primary_key=True),
    Column("posisjon", BigInteger, nullable=False),
)

# Keyed per municipality (migration 0002): one municipality cannot block another's ids.
mottatt_hendelse = Table(
    "mottatt_hendelse",
    metadata,
    Column("kommunenummer", String(4), primary_key=True),
    Column("hendelse_id", String(36), primary_key=True),
    Column("innholdshash", String(64), nullable=False),
    Column("posisjon", BigInteger, nullable=False),
)

aarslas = Table(
    "aarslas",
    metadata,
    Column("kommunenummer", String(4), primary_key=True),
    Column("aar", Integer, primary_key=True),
    Column("last", Boolean, nullable=False),
    Column("endret", UTCTid, nullable=False),
)

innsynslogg = Table(
    "innsynslogg",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("tidspunkt", UTCTid, nullable=False),
    Column("organisasjonsnummer", String(9), nullable=False),
    Column("rolle", String(20), nullable=False),
    Column("kommunenummer", String(4)),
    Column("ressurs", Text, nullable=False),
)

# The log's hash chain (docs/verifisering.md): one row per write transaction that appended
# events, written in that transaction. `hode` is the chain head after the event at
# `posisjon`, the last event of the transaction. Rows built over a log that existed before
# the chain are `etterfylt` (backfilled at start, in chunks, not per transaction).
loggkjede = Table(
    "loggkjede",
    metadata,
    Column("posisjon", BigInteger, primary_key=True, autoincrement=False),
    Column("hode", String(64), nullable=False),
    Column("antall", Integer, nullable=False),
    Column("etterfylt", Boolean, nullable=False),
)
