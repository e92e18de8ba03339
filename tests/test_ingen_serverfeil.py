"""No request, however malformed, answers with a server error (api.md: "No request ever
returns 500 for bad input"), and every answer matches the OpenAPI: its status code, content
type, headers and body schema. schemathesis generates the requests from our own OpenAPI.

Two phases, each on both stores:
- stateless: every operation on its own, with valid and (where there is input) invalid data;
- stateful: chains of operations following the OpenAPI links (services/system/lenker.py),
  each request built from the answers before it.

The store holds a small published quarter (satser, grunnlag, vedtak for 0138, 2017 Q1), and
half of the generated paths point at it, so chains reach answers beyond 404 and 422.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.transport import Response
from schemathesis.generation.modes import GenerationMode
from schemathesis.generation.value import GeneratedValue
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from services.system.app import lag_app
from services.system.bootstrap import bygg
from services.system.cli import les_satsfil
from shared.tilgang.token import lag_token
from tests.conftest import HDIR, HOBOL, ny_pg_database
from tests.hendelser import fattet, rapport
from tests.settlement.scenario import SATSFIL

SJEKKER = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
KJENT = {"kommunenummer": "0138", "aar": 2017, "kvartal": 1, "vedtak_id": "V-1"}


def _hoder(data: Path) -> tuple[dict[str, str], dict[str, str]]:
    hdir = lag_token(HDIR, "sio:oppgjor.read sio:oppgjor.write sio:revisjon.read", data_dir=data)
    kommune = lag_token(HOBOL, "sio:vedtak.write sio:oppgjor.read", data_dir=data)
    return {"Authorization": f"Bearer {hdir}"}, {"Authorization": f"Bearer {kommune}"}


def _med_data(app: FastAPI, data: Path) -> None:
    """A quarter that can be read, explained and issued (through the API, as Hdir would)."""
    hdir, kommune = _hoder(data)
    with TestClient(app) as k:
        svar = k.put(
            "/v1/satser/2017",
            json={"satser": les_satsfil(SATSFIL, 2017), "kilde": "t"},
            headers=hdir,
        )
        assert svar.status_code == 200, svar.text
        svar = k.put(
            "/v1/kommuner/0138/grunnlag/2017",
            json={"uttrekk": "101800000.00", "rundsum": "3600000.00", "inntektspaslag": "0.00"},
            headers=hdir,
        )
        assert svar.status_code == 200, svar.text
        hendelser = [fattet(f"V-{i}") for i in range(1, 4)]
        hendelser += [rapport(f"V-{i}", "2017-01-01", "2017-01-31", 20) for i in range(1, 4)]
        svar = k.post("/v1/hendelser", json={"hendelser": hendelser}, headers=kommune)
        assert svar.status_code == 200, svar.text


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def api_schema(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    data = tmp_path_factory.mktemp("fuzz")
    with ny_pg_database() if request.param == "postgresql" else _sqlite(data) as url:
        tjenester = bygg(url)
        app = lag_app(tjenester, data_dir=data, bakgrunnsprojektor=False)
        _med_data(app, data)
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        hdir, kommune = _hoder(data)
        schema.app_state = {"hdir": hdir, "kommune": kommune}  # type: ignore[attr-defined]

        schema.hook(before_generate_path_parameters)

        try:
            yield schema
        finally:
            tjenester.lukk()


def before_generate_path_parameters(_: Any, strategy: Any) -> Any:
    """Half the paths point at the seeded quarter, so the calls reach real data."""
    return st.one_of(strategy, strategy.map(_kjente))


def _uten_svarskjema(dokument: dict[str, Any]) -> dict[str, Any]:
    """The document with every 2xx JSON answer left untyped (see the chains' test)."""
    kopi = copy.deepcopy(dokument)
    for metoder in kopi["paths"].values():
        for op in metoder.values():
            for status, svar in op.get("responses", {}).items():
                json_svar = svar.get("content", {}).get("application/json")
                if status.startswith("2") and json_svar is not None:
                    json_svar["schema"] = {"type": "object"}
    return kopi


def _kjente(parametre: Any) -> Any:
    """The same path parameters, pointing at the seeded quarter where they name it."""
    if isinstance(parametre, GeneratedValue):  # the stateful phase wraps what it generates
        return replace(parametre, value=_kjente(parametre.value))
    if not isinstance(parametre, dict) or not parametre:
        return parametre
    return {**parametre, **{n: v for n, v in KJENT.items() if n in parametre}}


class _sqlite:
    """A context manager shaped like ny_pg_database, for the embedded store."""

    def __init__(self, data: Path) -> None:
        self.url = f"sqlite:///{data / 'oppgjor.db'}"

    def __enter__(self) -> str:
        return self.url

    def __exit__(self, *_: object) -> None:
        return None


def _hode(schema: Any, path: str) -> dict[str, str]:
    hoder: dict[str, str] = schema.app_state["kommune" if path == "/v1/hendelser" else "hdir"]
    return hoder


def test_ingen_serverfeil(api_schema: Any) -> None:
    """The stateless phase: every operation on its own, with data that fits the schema and
    (where there is input to break) data that does not; every failure is listed at the end."""
    feil: list[str] = []
    for resultat in api_schema.get_all_operations():
        operasjon = resultat.ok()
        moduser = [GenerationMode.POSITIVE]
        if len(operasjon.path_parameters) + len(operasjon.query) + len(operasjon.body):
            moduser.append(GenerationMode.NEGATIVE)
        for modus in moduser:

            @given(case=operasjon.as_strategy(modus))
            @settings(
                max_examples=20,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
                phases=[Phase.explicit, Phase.generate],  # no shrinking: bounded time
            )
            def en_operasjon(case: Any) -> None:
                case.call_and_validate(headers=_hode(api_schema, case.path), checks=SJEKKER)

            try:
                en_operasjon()
            except Exception as e:
                feil.append(f"{operasjon.label} ({modus}): {e}")
    assert feil == [], "\n\n".join(feil)


def test_ingen_serverfeil_i_kjeder_av_kall(api_schema: Any) -> None:
    """The stateful phase: sequences of calls along the OpenAPI links.

    The chains run on the document with its 2xx answers untyped. With the typed answers,
    schemathesis 4.32 builds a resource graph from them whose root choices depend on earlier
    answers, and hypothesis then stops the run with FlakyStrategyDefinition: a failure of
    the fuzzer's own data generation, not of the service. The typed answers are checked by
    the stateless phase above (response_schema_conformance) and tests/test_openapi_dok.py.
    """
    kjeder = schemathesis.openapi.from_dict(_uten_svarskjema(api_schema.raw_schema))
    kjeder.app = api_schema.app
    kjeder.app_state = api_schema.app_state  # type: ignore[attr-defined]
    kjeder.hook(before_generate_path_parameters)

    class Kjeder(kjeder.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": _hode(api_schema, case.path)}

        def validate_response(self, response: Response, case: Any, **kwargs: Any) -> None:
            case.validate_response(response, checks=SJEKKER)

    Kjeder.run(
        settings=settings(
            max_examples=40,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            phases=[Phase.explicit, Phase.generate],  # no shrinking: bounded time
        )
    )
