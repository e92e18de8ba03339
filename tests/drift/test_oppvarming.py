"""A new server warms itself before it says it is ready (services/system/oppvarming.py):
its warm-up reaches the quarter's and the audit's routes, is neither counted nor logged as
a client's request, and never starts the catch-up a reader's request starts."""

from __future__ import annotations

import asyncio
import logging

import pytest
from fastapi.testclient import TestClient

from services.system.bootstrap import Tjenester
from services.system.oppvarming import varm_rutene, varm_tjenestene
from tests.conftest import Token
from tests.hendelser import fattet
from tests.settlement.scenario import Aktorer


def test_oppvarmingen_naar_rutene_og_er_ingen_klients_foresporsel(
    klient: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    # The lifespan has run its warm-up already, without a failure (it would be logged),
    # and nothing of it is in the metrics.
    assert not [r for r in caplog.get_records("setup") if r.name == "oppgjor.oppvarming"]
    assert 'status="401"' not in klient.get("/metrics").text
    with caplog.at_level(logging.INFO, logger="oppgjor.tilgang"):
        statuser = asyncio.run(varm_rutene(klient.app))
    # 401: each request reached its route's access check (a wrong path would get 404).
    assert statuser == [401, 401]
    assert not [r for r in caplog.records if r.name == "oppgjor.tilgang"]
    tekst = klient.get("/metrics").text
    assert 'status="401"' not in tekst
    # A client's request without a token is counted as before.
    assert klient.get("/v1/kommuner/0301/oppgjor/2017/1").status_code == 401
    assert 'status="401"' in klient.get("/metrics").text


def test_oppvarmingen_henter_ikke_inn_projeksjonen(
    tjenester: Tjenester, klient: TestClient, auth: Token
) -> None:
    a = Aktorer(klient, auth)
    a.satser(2017)
    a.grunnlag()
    a.send(fattet("V-1"), fattet("V-2"))
    foer = tjenester.projektor.posisjon()
    assert foer < tjenester.projektor.hode()  # acknowledged, not yet projected
    # A store behind its log must not hold the server's start: only a reader catches up.
    varm_tjenestene(tjenester)
    assert tjenester.projektor.posisjon() == foer
    a.oppgjor()
    assert tjenester.projektor.posisjon() == tjenester.projektor.hode()
