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
    text,
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
        return None if value is None else som_utc(value)


def som_utc(verdi: datetime | str) -> datetime:
    """A stored instant as an aware UTC datetime (SQLite keeps naive UTC text)."""
    tid = datetime.fromisoformat(verdi) if isinstance(verdi, str) else verdi
    return tid.replace(tzinfo=UTC) if tid.tzinfo is None else tid.astimezone(UTC)


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
    Index("ix_hendelse_vedtak", "kommunenummer", "vedtak_id", "posisjon"),
    # A vedtak's state events without its reports: what the settlement projector refolds
    # (migration 0005).
    Index(
        "ix_hendelse_vedtakstilstand",
        "kommunenummer",
        "vedtak_id",
        "posisjon",
        postgresql_where=text("type <> 'UtfortTidRapportert'"),
        sqlite_where=text("type <> 'UtfortTidRapportert'"),
    ),
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

# The settlement projection (issue 9): versions of each vedtak's volume per quarter and of
# each delivered-time report, bitemporal in recorded time. A version holds from
# `fra_registrert` (log position `fra_posisjon`) until `til_registrert`; the one still in
# force has til_registrert = EVIG, so "current" and "superseded after T" are two index
# ranges and a read never walks the history it does not need.
EVIG = datetime(9999, 12, 31, tzinfo=UTC)


def _kvartalsrader(navn: str) -> Table:
    return Table(
        navn,
        metadata,
        Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
        Column("kommunenummer", String(4), nullable=False),
        Column("vedtak_id", String(100), nullable=False),
        Column("tjenestekode", String(20), nullable=False),
        Column("fra_kidx", Integer, nullable=False),  # aar * 4 + kvartal - 1
        Column("til_kidx", Integer, nullable=False),
        # Exact volumes as fractions ("n/d") for quarters of 90, 91 and 92 days.
        Column("volum_90", String(80)),
        Column("volum_91", String(80)),
        Column("volum_92", String(80)),
        Column("fra_posisjon", BigInteger, nullable=False),
        Column("fra_registrert", UTCTid, nullable=False),
        Column("til_posisjon", BigInteger),
        Column("til_registrert", UTCTid, nullable=False),
        Index(f"ix_{navn}_kommune", "kommunenummer", "til_registrert", "til_kidx"),
        Index(f"ix_{navn}_nasjonal", "til_registrert", "til_kidx"),
        Index(f"ix_{navn}_vedtak", "kommunenummer", "vedtak_id", "til_registrert"),
    )


oppgjorslinje = _kvartalsrader("oppgjorslinje")
revisjonslinje = _kvartalsrader("revisjonslinje")

utfort_tid = Table(
    "utfort_tid",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("kommunenummer", String(4), nullable=False),
    Column("vedtak_id", String(100), nullable=False),
    Column("kidx", Integer, nullable=False),  # one row per quarter the period overlaps
    Column(
        "nokkel", String(130), nullable=False
    ),  # kommunenummer|vedtak_id|periode_fra|periode_til
    Column("periode_fra", String(10), nullable=False),
    Column("periode_til", String(10), nullable=False),
    Column("utforte_timer", String(80), nullable=False),
    # The report's hours inside this quarter, split by days (regelverk 5), exact ("n/d"),
    # and its source as every answer names it (JSON): an audit reads both as kept.
    # Empty only in a store that is upgrading (migration 0007 re-projects the reports).
    Column("timer_i_kvartalet", String(80)),
    Column("kilde", Text),
    Column("hendelse_id", String(36)),
    Column("fra_posisjon", BigInteger, nullable=False),
    Column("fra_registrert", UTCTid, nullable=False),
    Column("til_posisjon", BigInteger),
    Column("til_registrert", UTCTid, nullable=False),
    Index("ix_utfort_tid_kvartal", "kommunenummer", "kidx", "til_registrert"),
    Index("ix_utfort_tid_nokkel", "nokkel", "til_registrert"),
)

# Municipalities with any fact, from the instant the first was recorded (the national view).
kommune = Table(
    "kommune",
    metadata,
    Column("kommunenummer", String(4), primary_key=True),
    Column("registrert", UTCTid, nullable=False),
)
