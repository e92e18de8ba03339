"""The OpenAPI document is one an integrator can work from.

Walks /openapi.json: every operation has a Norwegian summary and description, every 2xx
JSON answer a typed schema (a reference to a model with properties, not a bare object),
400/404/503 documented where they can happen; and every event type of the contract has a
valid example and a description of every field.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from shared.events import hdir, vedtak
from tests.conftest import HDIR, HOBOL, Token

NORSK = re.compile(r"[æøåÆØÅ]|\b(og|er|per|som|for|med|ikke|når|eller|til|av|kommunens)\b")
ENGELSK = re.compile(r"\b(the|and|with|returns|when|which)\b", re.IGNORECASE)
UTEN_PROBLEM = {"/health", "/health/live", "/metrics", "/.well-known/oppgjor-jwks.json"}


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from services.system.app import lag_app
    from services.system.bootstrap import bygg

    katalog = tmp_path_factory.mktemp("data")
    t = bygg(f"sqlite:///{katalog}/oppgjor.db")
    try:
        app = lag_app(t, data_dir=katalog, bakgrunnsprojektor=False)
        with TestClient(app) as klient:
            dokument: dict[str, Any] = klient.get("/openapi.json").json()
    finally:
        t.lukk()
    return dokument


def _operasjoner(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (sti, metode, op)
        for sti, metoder in spec["paths"].items()
        for metode, op in metoder.items()
        if metode in ("get", "post", "put", "delete", "patch")
    ]


def _losen(spec: dict[str, Any], skjema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in skjema:
        skjema = spec["components"]["schemas"][skjema["$ref"].rsplit("/", 1)[1]]
    return skjema


def test_hver_operasjon_har_norsk_beskrivelse(spec: dict[str, Any]) -> None:
    mangler = []
    for sti, metode, op in _operasjoner(spec):
        for felt in ("summary", "description"):
            tekst = op.get(felt) or ""
            if len(tekst) < 10 or not NORSK.search(tekst) or ENGELSK.search(tekst):
                mangler.append(f"{metode.upper()} {sti}: {felt}={tekst[:60]!r}")
    assert mangler == []


def test_hvert_2xx_svar_har_typet_skjema(spec: dict[str, Any]) -> None:
    utypet = []
    for sti, metode, op in _operasjoner(spec):
        for status, svar in op["responses"].items():
            if not status.startswith("2"):
                continue
            innhold = svar.get("content", {})
            if "application/json" not in innhold:
                # Another representation only (Prometheus text): it must say which.
                assert innhold, f"{metode.upper()} {sti} {status}: no content at all"
                continue
            skjema = innhold["application/json"].get("schema", {})
            typet = "$ref" in skjema and _losen(spec, skjema).get("properties")
            if not typet:
                utypet.append(f"{metode.upper()} {sti} {status}")
    assert utypet == []


def test_400_404_503_er_dokumentert(spec: dict[str, Any]) -> None:
    mangler = []
    for sti, metode, op in _operasjoner(spec):
        if sti in UTEN_PROBLEM:
            continue
        krav = {"400", "503"} if sti.startswith("/v1") else {"503"}
        if "{" in sti:
            krav.add("404")  # a path names something that may not exist
        for status in sorted(krav - set(op["responses"])):
            mangler.append(f"{metode.upper()} {sti}: {status}")
        for status in krav & set(op["responses"]):
            innhold = op["responses"][status].get("content", {})
            assert "application/problem+json" in innhold, (sti, status)
    assert mangler == []


HENDELSESTYPER: list[type[BaseModel]] = [
    vedtak.VedtakFattet,
    vedtak.VedtakEndret,
    vedtak.VedtakOpphort,
    vedtak.VedtakAnnullert,
    vedtak.FravaerRegistrert,
    vedtak.FravaerAnnullert,
    vedtak.UtfortTidRapportert,
    hdir.SatserPublisert,
    hdir.GrunnlagPublisert,
    hdir.OppgjorUtstedt,
    hdir.UtbetalingRegistrert,
    hdir.AarLast,
    hdir.AarGjenapnet,
]


def test_alle_hendelsestyper_er_med() -> None:
    navn = {m.__name__ for m in HENDELSESTYPER}
    assert set(vedtak.HENDELSE_TYPER) <= navn
    hdir_typer = {
        k
        for k, v in vars(hdir).items()
        if isinstance(v, type) and issubclass(v, hdir._HdirHendelse) and not k.startswith("_")
    }
    assert hdir_typer <= navn


@pytest.mark.parametrize("modell", HENDELSESTYPER, ids=lambda m: m.__name__)
def test_hendelsestypen_har_eksempel_og_feltbeskrivelser(modell: type[BaseModel]) -> None:
    skjema = modell.model_json_schema()
    (eksempel,) = skjema["examples"]
    modell.model_validate(eksempel)  # the example is a valid event
    assert eksempel["type"] == modell.__name__
    udokumentert = [
        felt
        for felt, egenskap in skjema["properties"].items()
        if felt != "type" and not egenskap.get("description")
    ]
    assert udokumentert == []


def test_hendelsene_viser_regler_og_enheter() -> None:
    felt = vedtak.VedtakFattet.model_json_schema()["properties"]
    assert "1 eller 2" in felt["bemanningsfaktor"]["description"]
    assert "timer per uke" in felt["timer_per_uke"]["description"]
    assert "HTAMDK" in felt["tjenestekode"]["description"]  # the allowed codes are listed
    assert "YYYY-MM-DD" in felt["gyldig_fra"]["description"]


def test_hendelsesmottaket_viser_eksemplene(spec: dict[str, Any]) -> None:
    kropp = spec["paths"]["/v1/hendelser"]["post"]["requestBody"]["content"]["application/json"]
    tekst = str(kropp["schema"])
    for navn in vedtak.HENDELSE_TYPER:
        assert f"'type': '{navn}'" in tekst and "'examples'" in tekst, navn


def test_hver_post_og_put_har_eksempel(spec: dict[str, Any]) -> None:
    """Every body has an example."""
    for sti, metode, op in _operasjoner(spec):
        if metode not in ("post", "put") or "requestBody" not in op:
            continue
        skjema = op["requestBody"]["content"]["application/json"]["schema"]
        assert skjema.get("examples"), f"{metode.upper()} {sti}"


def test_eksemplene_godtas(klient: TestClient, auth: Token) -> None:
    """An integrator copying the examples gets them accepted, not a 422."""
    spec = klient.get("/openapi.json").json()

    def eksempel(sti: str, metode: str) -> Any:
        op = spec["paths"][sti][metode]
        return op["requestBody"]["content"]["application/json"]["schema"]["examples"][0]

    hdir_hode = auth(HDIR, "sio:oppgjor.read sio:oppgjor.write")
    for sti, url in (
        ("/v1/satser/{aar}", "/v1/satser/2017"),
        ("/v1/kommuner/{kommunenummer}/grunnlag/{aar}", "/v1/kommuner/0138/grunnlag/2017"),
    ):
        svar = klient.put(url, json=eksempel(sti, "put"), headers=hdir_hode)
        assert svar.status_code == 200, svar.text
    svar = klient.post(
        "/v1/hendelser",
        json=eksempel("/v1/hendelser", "post"),
        headers=auth(HOBOL, "sio:vedtak.write"),
    )
    assert svar.status_code == 200, svar.text
    assert svar.json()["nye"] == 2
    las = "/v1/kommuner/{kommunenummer}/aar/{aar}/las"
    svar = klient.post(
        "/v1/kommuner/0138/aar/2016/las", json=eksempel(las, "post"), headers=hdir_hode
    )
    assert svar.status_code == 200, svar.text
