"""No request, however malformed, answers with a server error (api.md: "No request ever
returns 500 for bad input"). schemathesis generates requests from our own OpenAPI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from services.system.app import lag_app
from services.system.bootstrap import bygg
from shared.tilgang.token import lag_token

_DATA = Path(__import__("tempfile").mkdtemp(prefix="oppgjor-fuzz-"))
_TJENESTER = bygg(f"sqlite:///{_DATA / 'oppgjor.db'}")
APP: FastAPI = lag_app(_TJENESTER, data_dir=_DATA, bakgrunnsprojektor=False)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)

HDIR = {
    "Authorization": "Bearer "
    + lag_token("983544622", "sio:oppgjor.read sio:oppgjor.write sio:revisjon.read", data_dir=_DATA)
}
KOMMUNE = {
    "Authorization": "Bearer "
    + lag_token("910138006", "sio:vedtak.write sio:oppgjor.read", data_dir=_DATA)
}


@pytest.fixture(scope="module", autouse=True)
def _lukk() -> Iterator[None]:
    yield
    _TJENESTER.lukk()


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_ingen_serverfeil(case: Any) -> None:
    hode = KOMMUNE if case.path == "/v1/hendelser" else HDIR
    case.call_and_validate(headers=hode, checks=[not_a_server_error])
