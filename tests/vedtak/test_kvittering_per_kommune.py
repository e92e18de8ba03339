"""Receipts per municipality (issue 7, finding 10): a hendelse_id is unique within its
municipality. A resend is still a duplicate and a changed reuse still a 409 (api.md), but
municipality A's receipt no longer blocks B. An existing store upgrades (migration 0002).
Both stores.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import insert, inspect, select

from services.system.app import lag_app
from services.system.bootstrap import bygg
from services.vedtak.application.innhold import innholdshash
from shared.events import HendelseAdapter
from shared.lagring.database import Lager
from shared.lagring.migrering import _ROT
from shared.lagring.tabeller import mottatt_hendelse
from tests.conftest import HOBOL, LILLESAND, Token
from tests.hendelser import fattet

SKRIV = "sio:vedtak.write"


def _post(klient: TestClient, auth: Token, org: str, hendelser: list[dict[str, Any]]) -> Any:
    return klient.post("/v1/hendelser", json={"hendelser": hendelser}, headers=auth(org, SKRIV))


def _sjekk_per_kommune(klient: TestClient, auth: Token, h: dict[str, Any]) -> None:
    """`h` is 0138's, already received: resend, changed reuse, and 0926 with the same id."""
    gjensendt = _post(klient, auth, HOBOL, [h])
    assert gjensendt.status_code == 200, gjensendt.text
    assert (gjensendt.json()["nye"], gjensendt.json()["duplikater"]) == (0, 1)

    endret = _post(klient, auth, HOBOL, [dict(h, timer_per_uke="8")])
    assert endret.status_code == 409, endret.text
    assert [e["felt"] for e in endret.json()["errors"]] == ["hendelse_id"]

    annen = fattet("L1", knr="0926", hendelse_id=h["hendelse_id"])
    svar = _post(klient, auth, LILLESAND, [annen])
    assert svar.status_code == 200, svar.text
    assert (svar.json()["nye"], svar.json()["duplikater"]) == (1, 0)
    # 0926's receipt is its own: a resend is a duplicate, a changed reuse a conflict.
    svar = _post(klient, auth, LILLESAND, [annen])
    assert (svar.json()["nye"], svar.json()["duplikater"]) == (0, 1)
    svar = _post(klient, auth, LILLESAND, [dict(annen, timer_per_uke="9")])
    assert svar.status_code == 409, svar.text
    # ... and 0138's is unchanged by it.
    svar = _post(klient, auth, HOBOL, [h])
    assert (svar.json()["nye"], svar.json()["duplikater"]) == (0, 1)


def test_en_kommunes_kvittering_blokkerer_ikke_en_annens(klient: TestClient, auth: Token) -> None:
    h = fattet("V1")
    forste = _post(klient, auth, HOBOL, [h])
    assert forste.status_code == 200, forste.text
    _sjekk_per_kommune(klient, auth, h)


def test_samme_id_i_to_kommuner_i_en_batch(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lager_url: str, auth: Token
) -> None:
    """An organisation acting for two municipalities may reuse an id across them."""
    interkommunal = "910138006"
    orgs = tmp_path / "orgs.json"
    orgs.write_text(
        json.dumps(
            [
                {
                    "organisasjonsnummer": interkommunal,
                    "rolle": "kommune",
                    "kommuner": ["0138", "0926"],
                }
            ]
        )
    )
    monkeypatch.setenv("OPPGJOR_ORG_REGISTER", str(orgs))
    tjenester = bygg(lager_url)
    try:
        app = lag_app(tjenester, data_dir=tmp_path / "data", bakgrunnsprojektor=False)
        with TestClient(app) as klient:
            h = fattet("V1")
            annen = fattet("L1", knr="0926", hendelse_id=h["hendelse_id"])
            svar = _post(klient, auth, interkommunal, [h, annen])
            assert svar.status_code == 200, svar.text
            assert (svar.json()["nye"], svar.json()["duplikater"]) == (2, 0)
            svar = _post(klient, auth, interkommunal, [annen, h])
            assert (svar.json()["nye"], svar.json()["duplikater"]) == (0, 2)
    finally:
        tjenester.lukk()


@pytest.fixture
def gammelt_lager(lager_url: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """A store at revision 0001 holding one receipt of 0138's, in the old shape."""
    lager = Lager(lager_url)
    konfig = Config(str(_ROT / "alembic.ini"))
    konfig.set_main_option("script_location", str(_ROT / "migrations"))
    with lager.skrivemotor.connect() as tilkobling:
        konfig.attributes["connection"] = tilkobling
        command.upgrade(konfig, "0001")
        tilkobling.commit()
    h = fattet("V1")
    with lager.skrivemotor.begin() as tilkobling:
        pk = inspect(tilkobling).get_pk_constraint("mottatt_hendelse")
        assert pk["constrained_columns"] == ["hendelse_id"]
        tilkobling.execute(
            insert(mottatt_hendelse),
            [
                {
                    "hendelse_id": h["hendelse_id"],
                    "innholdshash": innholdshash(HendelseAdapter.validate_python(h)),
                    "kommunenummer": "0138",
                    "posisjon": 1,
                }
            ],
        )
    lager.lukk()
    yield lager_url, h


def test_et_eksisterende_lager_oppgraderes(
    gammelt_lager: tuple[str, dict[str, Any]], auth: Token, tmp_path: Path
) -> None:
    url, h = gammelt_lager
    tjenester = bygg(url)  # what serve does at start: migrations run to the head
    try:
        with tjenester.lager.skrivemotor.connect() as tilkobling:
            pk = inspect(tilkobling).get_pk_constraint("mottatt_hendelse")
            assert pk["constrained_columns"] == ["kommunenummer", "hendelse_id"]
            rader = tilkobling.execute(
                select(
                    mottatt_hendelse.c.kommunenummer,
                    mottatt_hendelse.c.hendelse_id,
                    mottatt_hendelse.c.posisjon,
                )
            ).all()
        assert [tuple(r) for r in rader] == [("0138", h["hendelse_id"], 1)]
        app = lag_app(tjenester, data_dir=tmp_path / "data", bakgrunnsprojektor=False)
        with TestClient(app) as klient:
            _sjekk_per_kommune(klient, auth, h)
    finally:
        tjenester.lukk()


def test_migreringen_kan_rulles_tilbake(lager_url: str) -> None:
    """Downgrade keeps, for an id used by several municipalities, the first receipt."""
    lager = Lager(lager_url)
    konfig = Config(str(_ROT / "alembic.ini"))
    konfig.set_main_option("script_location", str(_ROT / "migrations"))
    try:
        with lager.skrivemotor.connect() as tilkobling:
            konfig.attributes["connection"] = tilkobling
            command.upgrade(konfig, "0002")
            tilkobling.execute(
                insert(mottatt_hendelse),
                [
                    {"kommunenummer": knr, "hendelse_id": hid, "innholdshash": "h", "posisjon": p}
                    for knr, hid, p in (("0926", "a", 2), ("0138", "a", 1), ("0138", "b", 3))
                ],
            )
            command.downgrade(konfig, "0001")
            pk = inspect(tilkobling).get_pk_constraint("mottatt_hendelse")
            assert pk["constrained_columns"] == ["hendelse_id"]
            rader = tilkobling.execute(
                select(mottatt_hendelse.c.kommunenummer, mottatt_hendelse.c.hendelse_id).order_by(
                    mottatt_hendelse.c.hendelse_id
                )
            ).all()
            assert [tuple(r) for r in rader] == [("0138", "a"), ("0138", "b")]
            command.upgrade(konfig, "head")
            tilkobling.commit()
    finally:
        lager.lukk()
