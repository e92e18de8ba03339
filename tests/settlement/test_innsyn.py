"""The access log records every answer that shows person-level data (issue 7, finding 9):
issuing (its answer lists vedtak lines) and the replay filtered by vedtak."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.system.bootstrap import Tjenester
from shared.lagring.tabeller import innsynslogg
from tests.conftest import HDIR, REVISJON, Token
from tests.hendelser import fattet
from tests.settlement.scenario import Aktorer


def _logg(t: Tjenester) -> list[tuple[str, str, str | None, str]]:
    with t.lager.les() as s:
        rader = s.execute(
            select(
                innsynslogg.c.organisasjonsnummer,
                innsynslogg.c.rolle,
                innsynslogg.c.kommunenummer,
                innsynslogg.c.ressurs,
            ).order_by(innsynslogg.c.id)
        ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rader]


@pytest.fixture
def a(klient: TestClient, auth: Token) -> Aktorer:
    aktorer = Aktorer(klient, auth)
    aktorer.satser(2017)
    aktorer.send(fattet("V1"))
    return aktorer


def test_utstedelse_logges_som_innsyn(a: Aktorer, tjenester: Tjenester) -> None:
    # Refused (no grunnlag yet): the answer shows no vedtak line, and nothing is logged.
    assert a.utsted().status_code == 409
    assert _logg(tjenester) == []
    a.grunnlag()
    svar = a.utsted()
    assert svar.status_code == 201, svar.text
    assert [v["vedtak_id"] for linje in svar.json()["linjer"] for v in linje["vedtak"]] == ["V1"]
    assert _logg(tjenester) == [(HDIR, "hdir", "0138", "oppgjor/2017/1/utsted")]


def test_avspilling_filtrert_paa_vedtak_logger_vedtaket(
    a: Aktorer, tjenester: Tjenester, auth: Token
) -> None:
    revisor = auth(REVISJON, "sio:revisjon.read")
    url = "/v1/revisjon/kommuner/0138/hendelser"
    alle = a.k.get(url, headers=revisor)
    ett = a.k.get(url, params={"vedtak_id": "V1", "etter": 0}, headers=revisor)
    assert (alle.status_code, ett.status_code) == (200, 200), (alle.text, ett.text)
    assert [h["vedtak_id"] for h in ett.json()["hendelser"]] == ["V1"]
    assert _logg(tjenester) == [
        (REVISJON, "revisjon", "0138", "revisjon/hendelser?etter=0"),
        (REVISJON, "revisjon", "0138", "revisjon/hendelser?etter=0&vedtak_id=V1"),
    ]
    # And the access log's own API shows the same.
    innsyn = a.k.get("/v1/revisjon/innsyn", params={"kommunenummer": "0138"}, headers=revisor)
    assert innsyn.status_code == 200, innsyn.text
    assert [r["ressurs"] for r in innsyn.json()["innsyn"]] == [
        "revisjon/hendelser?etter=0",
        "revisjon/hendelser?etter=0&vedtak_id=V1",
    ]
