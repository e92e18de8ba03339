"""Which database, and how a transaction on it is opened.

The event log (eventsourcing-sqlalchemy) and our own tables share one scoped session, so a
batch of events, its receipts and any state table commit or roll back together.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, scoped_session, sessionmaker


def datakatalog() -> Path:
    """The data directory: `$OPPGJOR_DATA_DIR`, default `./.oppgjor`."""
    return Path(os.environ.get("OPPGJOR_DATA_DIR", ".oppgjor"))


def database_url(data_dir: Path | None = None) -> str:
    """`OPPGJOR_DATABASE_URL` selects PostgreSQL; otherwise SQLite in the data directory."""
    url = os.environ.get("OPPGJOR_DATABASE_URL")
    if url:
        return normaliser_url(url)
    katalog = data_dir or datakatalog()
    katalog.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(katalog / 'oppgjor.db').resolve()}"


def normaliser_url(url: str) -> str:
    # The psycopg 3 driver is the one we install; plain postgresql:// would ask for psycopg2.
    for prefiks in ("postgresql://", "postgres://"):
        if url.startswith(prefiks):
            return "postgresql+psycopg://" + url[len(prefiks) :]
    return url


def _sqlite_motor(url: str, *, skriv: bool) -> Engine:
    motor = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(motor, "connect")
    def _koble(dbapi_conn: Any, _: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when a transaction begins.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")  # acknowledged means on disk
        cur.execute("PRAGMA busy_timeout=60000")
        cur.close()

    @event.listens_for(motor, "begin")
    def _begynn(conn: Any) -> None:
        # Writers take the write lock up front, so read-then-write never deadlocks.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if skriv else "BEGIN")

    return motor


class Lager:
    """One store: engines, the shared scoped session and transactions on them."""

    def __init__(self, url: str) -> None:
        self.url = normaliser_url(url)
        self.er_sqlite = self.url.startswith("sqlite")
        if self.er_sqlite:
            self.skrivemotor = _sqlite_motor(self.url, skriv=True)
            self.lesemotor = _sqlite_motor(self.url, skriv=False)
        else:
            self.skrivemotor = create_engine(
                self.url,
                pool_size=10,
                max_overflow=20,
                pool_pre_ping=True,
                # No JIT: our statements read one index range each, and PostgreSQL
                # compiled one for an Oslo-sized audit's 70,000 report rows, adding 15-30
                # ms to a read of 60 ms once the statistics made its cost look large.
                connect_args={"options": "-c jit=off"},
            )
            self.lesemotor = self.skrivemotor
        self.sesjon: scoped_session[Session] = scoped_session(
            sessionmaker(bind=self.skrivemotor, autoflush=True, expire_on_commit=False)
        )
        # SQLite has one writer; serialising here avoids busy waits inside the process.
        self._skrivelas = threading.RLock() if self.er_sqlite else None

    @contextmanager
    def transaksjon(self) -> Iterator[Session]:
        """A write transaction on the shared session; commits on success, else rolls back."""
        if self._skrivelas is not None:
            self._skrivelas.acquire()
        try:
            sesjon = self.sesjon()
            try:
                yield sesjon
                sesjon.commit()
            except BaseException:
                sesjon.rollback()
                raise
            finally:
                self.sesjon.remove()
        finally:
            if self._skrivelas is not None:
                self._skrivelas.release()

    @contextmanager
    def les(self) -> Iterator[Session]:
        """A read-only session on the read engine; always rolled back."""
        with Session(self.lesemotor) as sesjon:
            try:
                yield sesjon
            finally:
                sesjon.rollback()

    def lukk(self) -> None:
        self.sesjon.remove()
        self.skrivemotor.dispose()
        if self.lesemotor is not self.skrivemotor:
            self.lesemotor.dispose()
