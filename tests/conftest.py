"""Real stores for the tests: SQLite in a temp directory, and PostgreSQL at 127.0.0.1:5432.

Every store test runs on both. Each PostgreSQL test gets a database of its own. Where
PostgreSQL is unreachable the PostgreSQL variants skip locally, but under CI=true they fail.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from services.system.app import lag_app
from services.system.bootstrap import Tjenester, bygg
from shared.tilgang.token import lag_token
from tests import databaser
from tests.databaser import PG_ADMIN

HDIR = "983544622"
HOBOL = "910138006"
LILLESAND = "910926004"
OS = "911243008"
STJORDAL = "911714000"
REVISJON = "919999004"


def _pg_tilgjengelig() -> str | None:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return None
    except Exception as e:
        return str(e)


_PG_FEIL = _pg_tilgjengelig()


def krev_postgres() -> None:
    if _PG_FEIL is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL er utilgjengelig under CI: {_PG_FEIL}")
    pytest.skip(f"PostgreSQL er utilgjengelig lokalt: {_PG_FEIL}")


@contextmanager
def ny_pg_database(prefiks: str = "oppgjor_test") -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped afterwards (skips or fails if none)."""
    krev_postgres()
    with databaser.ny_pg_database(prefiks) as url:
        yield url


@pytest.fixture
def pg_url() -> Iterator[str]:
    with ny_pg_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def lager_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'oppgjor.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture(autouse=True)
def _rent_miljo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's OPPGJOR_* settings; each has its own data directory."""
    for navn in (
        "OPPGJOR_DATABASE_URL",
        "OPPGJOR_JWKS",
        "OPPGJOR_ISSUER",
        "OPPGJOR_AUDIENCE",
        "OPPGJOR_ORG_REGISTER",
        "OPPGJOR_UTSTEDELSESNOKKEL",
        "OPPGJOR_UTSTEDELSESNOKLER",
    ):
        monkeypatch.delenv(navn, raising=False)
    monkeypatch.setenv("OPPGJOR_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def tjenester(lager_url: str) -> Iterator[Tjenester]:
    t = bygg(lager_url)
    yield t
    t.lukk()


@pytest.fixture
def klient(tjenester: Tjenester, tmp_path: Path) -> Iterator[TestClient]:
    app = lag_app(tjenester, data_dir=tmp_path / "data", bakgrunnsprojektor=False)
    with TestClient(app) as k:
        yield k


Token = Callable[..., dict[str, str]]


@pytest.fixture
def auth(tmp_path: Path) -> Token:
    """auth(org, "scope ...") -> the Authorization header for a locally signed token."""

    def lag(org: str, scopes: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {lag_token(org, scopes, data_dir=tmp_path / 'data')}"}

    return lag
