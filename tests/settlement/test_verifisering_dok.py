"""docs/verifisering.md's code, run as an auditor would run it, against real issued documents."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from shared.lagring.database import normaliser_url
from tests.conftest import Token
from tests.hendelser import fattet
from tests.settlement.scenario import Aktorer

DOK = Path(__file__).resolve().parents[2] / "docs" / "verifisering.md"


def dokumentets_kode() -> dict[str, Any]:
    blokker = re.findall(r"```python\n(.*?)```", DOK.read_text(encoding="utf-8"), re.S)
    assert len(blokker) == 2
    navnerom: dict[str, Any] = {}
    for blokk in blokker:
        exec(compile(blokk, str(DOK), "exec"), navnerom)
    return navnerom


def test_revisorens_egen_kode_verifiserer_dokumentene(
    klient: TestClient, auth: Token, lager_url: str
) -> None:
    a = Aktorer(klient, auth)
    a.satser(2017)
    a.grunnlag()
    # A vedtak_id with ø: the run's independent verifier failed on non-ASCII text.
    a.send(fattet("Vø1"))
    assert a.utsted().status_code == 201
    a.send(fattet("V2"))
    assert a.utsted().status_code == 201
    versjoner = klient.get("/v1/kommuner/0138/oppgjor/2017/1/versjoner", headers=a.hdir).json()[
        "versjoner"
    ]
    jwks = klient.get("/.well-known/oppgjor-jwks.json").json()

    kode = dokumentets_kode()
    forrige = None
    for dokument in versjoner:
        kode["verifiser_dokument"](dokument, jwks, forrige)
        forrige = dokument

    motor = create_engine(normaliser_url(lager_url))
    try:
        with motor.connect() as k:
            hendelser = k.execute(
                text(
                    "SELECT id, originator_id, originator_version, topic, state "
                    "FROM logg_events ORDER BY id"
                )
            ).all()
    finally:
        motor.dispose()
    for dokument in versjoner:
        hode = dokument["logg_hode"]
        assert kode["logghode"](hendelser, hode["posisjon"]) == hode["hash"]

    # And the snippet refuses a document whose figures were changed.
    forfalsket = {**versjoner[0], "sum": "1.00"}
    try:
        kode["verifiser_dokument"](forfalsket, jwks, None)
    except AssertionError as e:
        assert str(e) == "hashen stemmer ikke"
    else:
        raise AssertionError("det forfalskede dokumentet ble godtatt")
