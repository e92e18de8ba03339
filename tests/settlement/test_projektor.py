"""The catch-up projector: exactly once, resumes after a crash, keeps position and time."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import func, select

from services.settlement.adapters.projektor import Projektor
from services.settlement.adapters.sporing import Sporingskonflikt
from services.system.bootstrap import Tjenester
from shared.lagring.tabeller import hendelse
from tests.hendelser import fattet, rapport


def _fyll(t: Tjenester, batcher: int, storrelse: int = 100) -> None:
    for b in range(batcher):
        t.mottak.motta([fattet(f"P{b}-{i}") for i in range(storrelse)], None)


def _rader(t: Tjenester) -> tuple[int, int]:
    with t.lager.les() as s:
        antall = s.execute(select(func.count()).select_from(hendelse)).scalar_one()
        unike = s.execute(select(func.count(func.distinct(hendelse.c.posisjon)))).scalar_one()
    return int(antall), int(unike)


def test_projiserer_alt_en_gang_med_posisjon_og_tid(tjenester: Tjenester) -> None:
    _fyll(tjenester, 3)
    assert tjenester.projektor.ta_igjen() == 300
    assert tjenester.projektor.ta_igjen() == 0
    assert _rader(tjenester) == (300, 300)
    with tjenester.lager.les() as s:
        rader = s.execute(select(hendelse).order_by(hendelse.c.posisjon)).all()
    # Each event at its log position, in the order it was sent: positions 1..300 of a new log.
    assert [r.posisjon for r in rader] == list(range(1, 301))
    assert [r.data["vedtak_id"] for r in rader] == [
        f"P{b}-{i}" for b in range(3) for i in range(100)
    ]
    # One batch, one recorded instant: the batch is atomic as known at T too.
    forste_batch = {r.registrert for r in rader[:100]}
    assert len(forste_batch) == 1
    assert rader[0].registrert.tzinfo is not None
    assert rader[0].type == "VedtakFattet" and rader[0].kommunenummer == "0138"
    assert rader[0].data["vedtak_id"] == "P0-0"


def test_gjenopptar_etter_krasj_midt_i_en_batch(
    tjenester: Tjenester, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fyll(tjenester, 5)
    projektor = Projektor(tjenester.oppgjor_app, batchstorrelse=120, trinnbatch=120)
    ekte = Projektor._rad
    kall = {"n": 0}

    def feiler(self: Projektor, *args: Any) -> Any:
        kall["n"] += 1
        if kall["n"] == 300:  # inside the third batch
            raise RuntimeError("prosessen døde")
        return ekte(self, *args)

    monkeypatch.setattr(Projektor, "_rad", feiler)
    with pytest.raises(RuntimeError):
        projektor.ta_igjen()
    assert projektor.posisjon() == 240  # two whole batches, nothing of the third
    assert _rader(tjenester) == (240, 240)

    monkeypatch.setattr(Projektor, "_rad", ekte)
    assert Projektor(tjenester.oppgjor_app, batchstorrelse=120, trinnbatch=120).ta_igjen() == 260
    assert _rader(tjenester) == (500, 500)


def test_samtidige_projektorer_gir_ingen_dobbelrader(tjenester: Tjenester) -> None:
    _fyll(tjenester, 10)
    feil: list[BaseException] = []

    def kjor() -> None:
        # Two processes' projectors: separate instances, no shared in-process lock.
        p = Projektor(tjenester.oppgjor_app, batchstorrelse=50)
        while p.hode() > p.posisjon():
            try:
                p.prosesser_batch()
            except Sporingskonflikt:
                continue
            except Exception as e:  # unique-key race on PostgreSQL: the other one won
                if "unique" not in str(e).lower() and "duplicate" not in str(e).lower():
                    feil.append(e)

    trader = [threading.Thread(target=kjor) for _ in range(3)]
    for t in trader:
        t.start()
    for t in trader:
        t.join()
    assert not feil
    assert _rader(tjenester) == (1000, 1000)


def test_rapporter_og_hdir_hendelser_projiseres(tjenester: Tjenester) -> None:
    tjenester.mottak.motta([fattet("V1"), rapport("V1", "2017-01-01", "2017-01-31", 3)], None)
    tjenester.publisering.las_aar("0138", 2015, "attestert")
    tjenester.projektor.ta_igjen()
    with tjenester.lager.les() as s:
        typer = [r.type for r in s.execute(select(hendelse.c.type).order_by(hendelse.c.posisjon))]
    # The lock aggregate's bare creation event is not a business fact; its lock is.
    assert typer == ["VedtakFattet", "UtfortTidRapportert", "AarLast"]


def test_gjenoppbygging_gir_samme_lesemodell(tjenester: Tjenester) -> None:
    _fyll(tjenester, 3)
    tjenester.publisering.las_aar("0138", 2015, "attestert")
    tjenester.projektor.ta_igjen()
    with tjenester.lager.les() as s:
        for_ = [tuple(r) for r in s.execute(select(hendelse).order_by(hendelse.c.posisjon))]
    assert tjenester.projektor.gjenoppbygg() == len(for_) + 1  # + the lock's bare creation
    with tjenester.lager.les() as s:
        etter = [tuple(r) for r in s.execute(select(hendelse).order_by(hendelse.c.posisjon))]
    assert etter == for_
