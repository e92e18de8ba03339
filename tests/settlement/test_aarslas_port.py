"""The year lock as the vedtak service sees it: its port, served by the settlement side's
adapter (services/vedtak/porter.Aarslaser, services/settlement/adapters/aarslas.py)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from services.system.bootstrap import Tjenester
from services.vedtak.porter import Aarslaser
from tests.conftest import HDIR, Token


def test_laste_aar_er_kommunens_laste_aar(
    klient: TestClient, tjenester: Tjenester, auth: Token
) -> None:
    hdir = auth(HDIR, "sio:oppgjor.write")
    for sti in (
        "0138/aar/2017/las",
        "0138/aar/2018/las",
        "0138/aar/2017/gjenapne",
        "0926/aar/2016/las",
    ):
        svar = klient.post(f"/v1/kommuner/{sti}", json={}, headers=hdir)
        assert svar.status_code == 200, svar.text
    port: Aarslaser = tjenester.mottak.aarslas
    with tjenester.lager.transaksjon():
        assert port.laste_aar("0138") == frozenset({2018})
        assert port.laste_aar("0926") == frozenset({2016})
        assert port.laste_aar("1714") == frozenset()
