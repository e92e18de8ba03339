"""Fixtures for the web pages and exports: the small scenario loaded through the API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import HDIR, Token
from tests.web.scenario import HDIR_SCOPES, Scenario, last_scenario


@pytest.fixture
def scenario(klient: TestClient, auth: Token) -> Scenario:
    return last_scenario(klient, auth)


@pytest.fixture
def hdir(auth: Token) -> dict[str, str]:
    return auth(HDIR, HDIR_SCOPES)
