"""The edge's limits are in the OpenAPI description (issue 7: "documented in the OpenAPI")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from services.system.app import lag_app
from services.system.bootstrap import bygg
from shared.events.tekst import FRITEKST_MONSTER, LINJE_MONSTER


@pytest.fixture(scope="module")
def openapi(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    katalog: Path = tmp_path_factory.mktemp("openapi")
    t = bygg(f"sqlite:///{katalog / 'o.db'}")
    try:
        return lag_app(t, data_dir=katalog, bakgrunnsprojektor=False).openapi()
    finally:
        t.lukk()


def _hendelse(openapi: dict[str, Any], type_: str) -> dict[str, Any]:
    kropp = openapi["paths"]["/v1/hendelser"]["post"]["requestBody"]["content"]
    varianter = kropp["application/json"]["schema"]["properties"]["hendelser"]["items"]["oneOf"]
    [skjema] = [v for v in varianter if v["properties"]["type"].get("const") == type_]
    return dict(skjema["properties"])


def test_tekst_og_desimaler_i_kontrakten_har_grenser(openapi: dict[str, Any]) -> None:
    fattet = _hendelse(openapi, "VedtakFattet")
    assert fattet["bruker_ref"]["pattern"] == LINJE_MONSTER
    assert fattet["bruker_ref"]["maxLength"] == 100
    timer = fattet["timer_per_uke"]["anyOf"][0]
    assert "12 desimaler" in timer["description"]
    assert {"type": "number"} in timer["anyOf"]
    begrunnelse = _hendelse(openapi, "VedtakAnnullert")["begrunnelse"]
    assert begrunnelse["pattern"] == FRITEKST_MONSTER


def test_kropp_dybde_og_tidspunkter_er_dokumentert(openapi: dict[str, Any]) -> None:
    hendelser = openapi["paths"]["/v1/hendelser"]["post"]
    assert "4194304 byte" in hendelser["description"]
    assert set(hendelser["responses"]) >= {"400", "413", "422"}
    satser = openapi["paths"]["/v1/satser/{aar}"]["put"]
    assert "262144 byte" in satser["responses"]["413"]["description"]
    assert "32 nivåer" in satser["responses"]["400"]["description"]
    parametre = {
        p["name"]: p
        for p in openapi["paths"]["/v1/revisjon/kommuner/{kommunenummer}/hendelser"]["get"][
            "parameters"
        ]
    }
    assert parametre["etter"]["schema"]["maximum"] == 2**63 - 1
    assert "1970-01-01T00:00:00Z" in parametre["per"]["description"]
    assert parametre["vedtak_id"]["schema"]["pattern"] == LINJE_MONSTER
