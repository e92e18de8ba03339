"""Fresh PostgreSQL databases for the tests and the benchmarks: created empty, dropped after.

One helper for both (tests/conftest.py adds the skip-or-fail when PostgreSQL is
unreachable; bench/felles.py points it at the bench's server). The name is unique, so
parallel runs never collide.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

PG_ADMIN = os.environ.get("OPPGJOR_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def ny_pg_database(prefiks: str = "oppgjor_test", admin: str = PG_ADMIN) -> Iterator[str]:
    """Yields the URL of a new, empty database on `admin`'s server; drops it afterwards."""
    navn = f"{prefiks}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as k:
        k.execute(f'CREATE DATABASE "{navn}"')
    try:
        yield admin.rsplit("/", 1)[0] + "/" + navn
    finally:
        with psycopg.connect(admin, autocommit=True) as k:
            k.execute(f'DROP DATABASE IF EXISTS "{navn}" WITH (FORCE)')
