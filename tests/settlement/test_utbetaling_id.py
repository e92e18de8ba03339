"""A repeated utbetaling_id is 409, also for another municipality (issue 7, finding 10).

Payments are kept per municipality, so the old check only saw that municipality's own
history. Both stores.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from services.system.bootstrap import Tjenester
from tests.conftest import HDIR, Token

HDIR_SCOPES = "sio:oppgjor.read sio:oppgjor.write sio:revisjon.read"


def _betaling(utbetaling_id: str, belop: str = "100.00") -> dict[str, object]:
    return {
        "aar": 2017,
        "kvartal": 1,
        "belop": belop,
        "betalt_dato": "2017-04-15",
        "utbetaling_id": utbetaling_id,
    }


def test_gjenbrukt_utbetaling_id_er_409_ogsa_i_en_annen_kommune(
    klient: TestClient, auth: Token, tjenester: Tjenester
) -> None:
    hdir = auth(HDIR, HDIR_SCOPES)
    uid = str(uuid.uuid4())
    forste = klient.post("/v1/kommuner/0138/utbetalinger", json=_betaling(uid), headers=hdir)
    assert forste.status_code == 201, forste.text
    hode = tjenester.projektor.hode()
    svar = {
        knr: klient.post(f"/v1/kommuner/{knr}/utbetalinger", json=_betaling(uid), headers=hdir)
        for knr in ("0138", "0926")
    }
    assert {knr: s.status_code for knr, s in svar.items()} == {"0138": 409, "0926": 409}
    assert {s.json()["detail"] for s in svar.values()} == {"utbetaling_id er allerede registrert"}
    assert tjenester.projektor.hode() == hode  # nothing was stored
    saldo = klient.get("/v1/kommuner/0926/saldo", headers=hdir).json()
    assert saldo["betalt"] == "0.00"
    # Another id for the other municipality is fine.
    annen = _betaling(str(uuid.uuid4()), "50.00")
    assert (
        klient.post("/v1/kommuner/0926/utbetalinger", json=annen, headers=hdir).status_code == 201
    )
    assert klient.get("/v1/kommuner/0926/saldo", headers=hdir).json()["betalt"] == "50.00"


def test_samtidig_gjenbruk_gir_en_201_og_resten_409(
    klient: TestClient, auth: Token, tjenester: Tjenester
) -> None:
    hdir = auth(HDIR, HDIR_SCOPES)
    uid = str(uuid.uuid4())
    kommuner = ["0138", "0926", "1243", "1714"] * 2

    def registrer(knr: str) -> int:
        svar = klient.post(f"/v1/kommuner/{knr}/utbetalinger", json=_betaling(uid), headers=hdir)
        status: int = svar.status_code
        return status

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuser = sorted(pool.map(registrer, kommuner))
    assert statuser == [201] + [409] * 7
    betalt = [
        klient.get(f"/v1/kommuner/{knr}/saldo", headers=hdir).json()["betalt"]
        for knr in ("0138", "0926", "1243", "1714")
    ]
    assert sorted(betalt) == ["0.00", "0.00", "0.00", "100.00"]
