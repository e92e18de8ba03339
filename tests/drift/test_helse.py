"""/health reports an unhealthy projector; readiness and liveness are separate.

Before: an event the projector could not project left `/health` saying "ok" with the lag
stuck above 0, while every read failed (issue 7, finding 1).
"""

from __future__ import annotations

import time
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import insert

from services.system.bootstrap import Tjenester
from services.system.drift.helse import Projektorhelse


def _forgift_loggen(t: Tjenester) -> None:
    """A stored event the projector cannot read: it fails on it every time it tries."""
    logg = t.projektor._logg
    with t.lager.transaksjon() as s:
        s.execute(
            insert(logg).values(
                originator_id=uuid.uuid4(),
                originator_version=1,
                topic="services.vedtak.domain.vedtak:Vedtak.Fattet",
                state=b"\xffikke json",
            )
        )


def _vent_pa_feil(t: Tjenester, antall: int) -> None:
    slutt = time.monotonic() + 30
    while t.helse.feil_pa_rad < antall and time.monotonic() < slutt:
        time.sleep(0.02)
    assert t.helse.feil_pa_rad >= antall


def test_frisk_tjeneste_svarer_som_for(klient: TestClient, tjenester: Tjenester) -> None:
    helse = klient.get("/health")
    assert helse.status_code == 200
    assert helse.json() == {
        "status": "ok",
        "database": tjenester.lager.skrivemotor.dialect.name,
        "logg_posisjon": 0,
        "projeksjon_posisjon": 0,
        "etterslep": 0,
    }
    assert klient.get("/health/ready").json() == {"status": "ok"}
    assert klient.get("/health/live").json() == {"status": "ok"}


def test_en_projektor_som_feiler_gjentatte_ganger_er_syk(
    klient: TestClient, tjenester: Tjenester
) -> None:
    _forgift_loggen(tjenester)
    tjenester.start_projektor(0.01)
    try:
        _vent_pa_feil(tjenester, 3)
    finally:
        tjenester.stopp_projektor()

    helse = klient.get("/health")
    assert helse.status_code == 200  # a report: the figures are still worth reading
    kropp = helse.json()
    assert kropp["status"] == "feil"
    assert kropp["etterslep"] == 1
    assert len(kropp["grunner"]) == 1
    assert kropp["grunner"][0].startswith("projektoren har feilet")

    klar = klient.get("/health/ready")
    assert klar.status_code == 503
    assert klar.headers["content-type"].startswith("application/problem+json")
    assert klar.json()["status"] == 503
    assert "projektoren har feilet" in klar.json()["detail"]

    # Liveness never asks the database or the projector: restarting would not help.
    assert klient.get("/health/live").status_code == 200


def test_en_projektor_som_kommer_seg_er_frisk_igjen() -> None:
    helse = Projektorhelse(maks_feil=3)
    for _ in range(3):
        helse.feilet(RuntimeError("databasen startet på nytt"))
    assert helse.grunner(5, 5, bakgrunn=True) == [
        "projektoren har feilet 3 ganger på rad (RuntimeError)"
    ]
    helse.lyktes()
    assert helse.grunner(5, 5, bakgrunn=True) == []


def test_etterslep_som_star_stille_forbi_terskelen_er_sykt() -> None:
    naa = [1000.0]
    helse = Projektorhelse(terskel_s=60, klokke=lambda: naa[0])
    assert helse.grunner(10, 4, bakgrunn=True) == []
    naa[0] += 59
    assert helse.grunner(12, 4, bakgrunn=True) == []  # the head grows, the position stands
    naa[0] += 2
    assert helse.grunner(15, 4, bakgrunn=True) == ["projeksjonen har stått 61 s med etterslep 11"]
    # Without a background projector, reads catch up: a quiet service may lag.
    assert helse.grunner(15, 4, bakgrunn=False) == []
    # Progress resets the clock.
    assert helse.grunner(15, 9, bakgrunn=True) == []
    naa[0] += 30
    assert helse.grunner(16, 9, bakgrunn=True) == []
