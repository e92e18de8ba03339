"""Issue 7, finding 5: a vedtak open to 9999-12-31 is accepted on both stores.

PostgreSQL once answered 503 (temporary) because the year-lock check sent an IN list of
7,984 years; the failure was permanent, and SQLite answered 200.
"""

from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from shared.problem import er_midlertidig, installer
from tests.conftest import Token
from tests.hendelser import annullert, fattet, opphort
from tests.server import ledig_port
from tests.settlement.scenario import Aktorer


@pytest.fixture
def a(klient: TestClient, auth: Token) -> Aktorer:
    aktorer = Aktorer(klient, auth)
    aktorer.satser(2017)
    aktorer.grunnlag()
    return aktorer


def test_vedtak_gyldig_til_9999_godtas(a: Aktorer) -> None:
    kvittering = a.send(
        fattet("V1", gyldig_til="9999-12-31"), fattet("V2", gyldig_fra="0001-01-01")
    )
    assert kvittering["nye"] == 2
    assert a.oppgjor()["vedtakstilskudd"] == "139628.58"
    assert a.send(opphort("V1", "9999-12-30"), annullert("V2"))["nye"] == 2
    assert a.oppgjor()["vedtakstilskudd"] == "69814.29"


def test_laast_aar_sjekkes_ogsaa_for_aapen_slutt(a: Aktorer) -> None:
    svar = a.k.post("/v1/kommuner/0138/aar/2030/las", json={}, headers=a.hdir)
    assert svar.status_code == 200, svar.text
    svar = a.k.post(
        "/v1/hendelser",
        json={"hendelser": [fattet("V1", gyldig_til="9999-12-31")]},
        headers=a.kommune,
    )
    assert svar.status_code == 409, svar.text
    assert [f["detail"] for f in svar.json()["errors"]] == [
        "år 2030 er låst for kommune 0138 (regelverk 4.7)"
    ]


def test_permanent_databasefeil_er_ikke_midlertidig(pg_url: str) -> None:
    """503 with Retry-After is for a database that cannot be reached; a statement it refuses
    for good (here the old year-lock query's "stack depth limit exceeded") is not."""
    motor = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    t = sa.table("t", sa.column("a"), sa.column("b"))
    try:
        with motor.connect() as k, pytest.raises(sa.exc.OperationalError) as permanent:
            k.execute(sa.text("CREATE TEMP TABLE t (a text, b int)"))
            aar = [("0138", y) for y in range(2017, 10000)]
            k.execute(sa.select(t.c.a).where(sa.tuple_(t.c.a, t.c.b).in_(aar)))
    finally:
        motor.dispose()
    assert "stack depth limit exceeded" in str(permanent.value)
    assert er_midlertidig(permanent.value) is False

    borte = sa.create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{ledig_port()}/x")
    with pytest.raises(sa.exc.OperationalError) as nede:
        borte.connect()
    assert er_midlertidig(nede.value) is True


def test_driverens_egne_tilkoblingsfeil_er_503() -> None:
    """Bulk reads and COPY run on the driver's own cursor, so a restarted database reaches
    the API as psycopg's error, not SQLAlchemy's: it must still be a 503 to resend."""
    app = FastAPI()
    installer(app)

    @app.get("/les")
    def les() -> None:
        psycopg.connect(f"postgresql://postgres@127.0.0.1:{ledig_port()}/x", connect_timeout=2)

    svar = TestClient(app, raise_server_exceptions=False).get("/les")
    assert svar.status_code == 503, svar.text
    assert svar.headers["retry-after"] == "1"
    assert svar.headers["content-type"] == "application/problem+json"
