"""The staged catch-up (journal, vedtak lines and reports in three threads; issue 9,
ADR 15).

A long catch-up on PostgreSQL hands each journal batch to a lines stage and a reports
stage that each project their part in a transaction of their own. It must leave exactly
what the one-transaction path leaves, stop cleanly when a stage fails, and step aside
when another projector has moved a part meanwhile. On SQLite it is never used (one
writer).
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from services.settlement.adapters import oppgjorsprojektor as op
from services.settlement.adapters.oppgjorsprojektor import Oppgjorsprojektor
from services.settlement.adapters.projektor import Projektor
from services.system.bootstrap import Tjenester
from shared.lagring.tabeller import hendelse, sporing
from tests.settlement.test_projeksjon import (
    FAST_HISTORIE,
    KOMMUNER,
    _innhold,
    sjekk_lik_replay,
    spill_inn,
)


def _historie(t: Tjenester) -> tuple[str, Any]:
    """A history with annulment, recoding, fravær and reports, projected the ordinary
    way (short catch-ups, one transaction each); returns the municipality and the last
    instant."""
    knr = str(next(KOMMUNER))
    instanter = spill_inn(t, knr, FAST_HISTORIE, 20261125)
    t.projektor.ta_igjen()
    return knr, instanter[-1]


def _tell_andre_trinn(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    kall: list[int] = []
    ekte = Oppgjorsprojektor.ta_linjebatch

    def teller(self: Oppgjorsprojektor, fra: int, til: int, rader: Any) -> None:
        kall.append(til)
        ekte(self, fra, til, rader)

    monkeypatch.setattr(Oppgjorsprojektor, "ta_linjebatch", teller)
    return kall


def _en_transaksjon(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Projektor, "to_trinn_mulig", lambda self: False)


def _fasit(t: Tjenester, monkeypatch: pytest.MonkeyPatch, batch: int) -> Any:
    """The projection a rebuild in one transaction per batch leaves, batches of `batch`."""
    with monkeypatch.context() as m:
        _en_transaksjon(m)
        Projektor(t.oppgjor_app, batchstorrelse=batch).gjenoppbygg()
    return _innhold(t)


def test_to_trinn_gir_det_samme_som_ett(
    tjenester: Tjenester, monkeypatch: pytest.MonkeyPatch
) -> None:
    knr, sist = _historie(tjenester)
    # Batches of 3: the rebuild is many batches long, and batches split instants (a
    # row's closing position then depends on where the batch ended, in both paths).
    en_transaksjon = _fasit(tjenester, monkeypatch, 3)
    kall = _tell_andre_trinn(monkeypatch)
    Projektor(tjenester.oppgjor_app, batchstorrelse=3, trinnbatch=3).gjenoppbygg()
    if tjenester.lager.er_sqlite:
        assert kall == []
    else:
        assert len(kall) > 4, "the rebuild should have run in stages"
    assert _innhold(tjenester) == en_transaksjon
    sjekk_lik_replay(tjenester, knr, sist)


def _glem_projeksjonene(t: Tjenester, projektor: Projektor) -> None:
    with t.lager.transaksjon() as s:  # forget the projections, keep the log
        s.execute(hendelse.delete())
        s.execute(sporing.delete())
        projektor.oppgjor.tom(s)


def test_lang_ta_igjen_gaar_i_to_trinn_bare_paa_postgres(
    tjenester: Tjenester, monkeypatch: pytest.MonkeyPatch
) -> None:
    knr, sist = _historie(tjenester)
    fasit = _fasit(tjenester, monkeypatch, 2)
    kall = _tell_andre_trinn(monkeypatch)
    projektor = Projektor(tjenester.oppgjor_app, batchstorrelse=2, trinnbatch=2)
    _glem_projeksjonene(tjenester, projektor)
    projektor.ta_igjen()
    assert (len(kall) > 4) != tjenester.lager.er_sqlite
    assert projektor.posisjon() == projektor.hode()
    assert projektor.oppgjor.posisjon() == projektor.posisjon()
    assert _innhold(tjenester) == fasit
    sjekk_lik_replay(tjenester, knr, sist)


def test_feil_i_andre_trinn_stopper_og_neste_runde_fullforer(
    tjenester: Tjenester, monkeypatch: pytest.MonkeyPatch
) -> None:
    knr, sist = _historie(tjenester)
    fasit = _fasit(tjenester, monkeypatch, 3)
    ekte = Oppgjorsprojektor._projiser_linjer
    kall = {"n": 0}

    def feiler(self: Oppgjorsprojektor, s: Any, rader: Any) -> None:
        kall["n"] += 1
        if kall["n"] == 4:
            raise RuntimeError("andre trinn døde")
        ekte(self, s, rader)

    monkeypatch.setattr(Oppgjorsprojektor, "_projiser_linjer", feiler)
    projektor = Projektor(tjenester.oppgjor_app, batchstorrelse=3, trinnbatch=3)
    with pytest.raises(RuntimeError, match="andre trinn døde"):
        projektor.gjenoppbygg()
    # Three whole batches of the settlement projection, nothing of the fourth; the
    # journal may stand further on (each stage commits its own batches).
    assert projektor.oppgjor.posisjon() <= projektor.posisjon()
    monkeypatch.setattr(Oppgjorsprojektor, "_projiser_linjer", ekte)
    Projektor(tjenester.oppgjor_app, batchstorrelse=3, trinnbatch=3).ta_igjen()
    # The rest is read back from the journal, whose batches end elsewhere: a row closed
    # inside an instant may name another position of it, never another instant.
    assert _uten_posisjoner(_innhold(tjenester)) == _uten_posisjoner(fasit)
    sjekk_lik_replay(tjenester, knr, sist)


def _uten_posisjoner(innhold: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[Any]]:
    # fra_posisjon and til_posisjon are the third and second last columns (RADKOLONNER,
    # RAPPORTKOLONNER); the instants beside them stay.
    return {
        navn: sorted(((*r[:-4], r[-3], r[-1]) for r in rader), key=repr)
        for navn, rader in innhold.items()
    }


def test_andre_trinn_viker_for_en_annen_projektor(
    tjenester: Tjenester, monkeypatch: pytest.MonkeyPatch
) -> None:
    if tjenester.lager.er_sqlite:
        pytest.skip("two stages run on PostgreSQL only")
    _historie(tjenester)
    fasit = _fasit(tjenester, monkeypatch, 3)
    ekte = Oppgjorsprojektor.ta_linjebatch
    forbigatt: list[int] = []

    def annen_forst(self: Oppgjorsprojektor, fra: int, til: int, rader: Any) -> None:
        if not forbigatt:
            # Another replica's projector takes this batch (and more) from the journal.
            annen = Oppgjorsprojektor(self.lager, batchstorrelse=5)
            annen.ta_igjen(til)
            forbigatt.append(annen.posisjon())
        ekte(self, fra, til, rader)

    monkeypatch.setattr(Oppgjorsprojektor, "ta_linjebatch", annen_forst)
    Projektor(tjenester.oppgjor_app, batchstorrelse=3, trinnbatch=3).gjenoppbygg()
    assert forbigatt, "the second stage never ran"
    assert _innhold(tjenester) == fasit  # no row twice, none missing


def test_trinnvis_innhenting_leser_lengre_batcher(
    tjenester: Tjenester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unless told otherwise, a staged catch-up reads batches five times as long as the
    ordinary path's, and still leaves what the ordinary path leaves but for the positions
    where batches end inside an instant."""
    if tjenester.lager.er_sqlite:
        pytest.skip("two stages run on PostgreSQL only")
    knr, sist = _historie(tjenester)
    fasit = _fasit(tjenester, monkeypatch, 1)
    ekte = Projektor._les_logg
    grenser: list[int] = []

    def les(self: Projektor, s: Any, fra: int, grense: int) -> Any:
        grenser.append(grense)
        return ekte(self, s, fra, grense)

    monkeypatch.setattr(Projektor, "_les_logg", les)
    Projektor(tjenester.oppgjor_app, batchstorrelse=1).gjenoppbygg()
    assert len(grenser) > 2 and set(grenser) == {5}
    assert _uten_posisjoner(_innhold(tjenester)) == _uten_posisjoner(fasit)
    sjekk_lik_replay(tjenester, knr, sist)


def test_batchgrensen_for_to_trinn(tjenester: Tjenester) -> None:
    """A read's short catch-up keeps the one-transaction path and its per-batch lock."""
    projektor = Projektor(tjenester.oppgjor_app, batchstorrelse=10)
    to_trinn = not tjenester.lager.er_sqlite
    posisjon = projektor.posisjon()
    assert projektor._i_to_trinn(posisjon + 10 * op._BIT, posisjon) is to_trinn
    assert projektor._i_to_trinn(posisjon + 40, posisjon) is False


_RYDDET = ("hendelse", "oppgjorslinje", "revisjonslinje", "utfort_tid")


def _vakuumer(t: Tjenester) -> dict[str, int]:
    """Manual VACUUMs run on the journal and the projection's tables so far."""
    with t.lager.les() as s:
        rader = s.execute(
            text(
                "SELECT relname, vacuum_count FROM pg_stat_user_tables WHERE relname = ANY(:navn)"
            ),
            {"navn": list(_RYDDET)},
        ).all()
    return {navn: antall for navn, antall in rader}


def test_lang_innhenting_rydder_etter_seg_uten_laasen(
    tjenester: Tjenester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long catch-up and a rebuild end with VACUUM (ANALYZE) of the journal and the
    projection, outside the projector's lock; a catch-up shorter than `rydd_fra` and a
    projector in step do not (ADR 21)."""
    if tjenester.lager.er_sqlite:
        pytest.skip("two stages, and VACUUM after them, run on PostgreSQL only")
    _historie(tjenester)  # short catch-ups only
    null = _vakuumer(tjenester)
    assert set(null) == set(_RYDDET) and set(null.values()) == {0}
    ekte = Oppgjorsprojektor.rydd
    under_laas: list[bool] = []
    projektor = Projektor(tjenester.oppgjor_app, batchstorrelse=2, trinnbatch=2, rydd_fra=1)

    def rydd(self: Oppgjorsprojektor) -> None:
        under_laas.append(projektor._lås.locked())
        ekte(self)

    monkeypatch.setattr(Oppgjorsprojektor, "rydd", rydd)
    _glem_projeksjonene(tjenester, projektor)
    projektor.ta_igjen()
    assert under_laas == [False]
    assert _vakuumer(tjenester) == dict.fromkeys(_RYDDET, 1)
    projektor.gjenoppbygg()
    assert under_laas == [False, False]
    assert _vakuumer(tjenester) == dict.fromkeys(_RYDDET, 2)
    projektor.ta_igjen()  # in step: nothing to do, nothing to tidy
    # Staged, but shorter than the default bound: the reader is not held for a vacuum.
    kort = Projektor(tjenester.oppgjor_app, batchstorrelse=2, trinnbatch=2)
    _glem_projeksjonene(tjenester, kort)
    kort.ta_igjen()
    assert kort.posisjon() == kort.hode()
    assert under_laas == [False, False]
    assert _vakuumer(tjenester) == dict.fromkeys(_RYDDET, 2)


def test_feilet_rydding_koster_ikke_innhentingen(
    tjenester: Tjenester, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The catch-up is committed before the vacuum: a vacuum that fails is logged, and the
    caller still gets its catch-up (ADR 21)."""
    if tjenester.lager.er_sqlite:
        pytest.skip("VACUUM after a catch-up runs on PostgreSQL only")
    knr, sist = _historie(tjenester)
    projektor = Projektor(tjenester.oppgjor_app, batchstorrelse=2, trinnbatch=2, rydd_fra=1)
    _glem_projeksjonene(tjenester, projektor)
    ekte = Oppgjorsprojektor.rydd

    def rydd_med_tidsgrense(self: Oppgjorsprojektor) -> None:
        # A statement timeout of 1 ms on the database, as an operator might set a short
        # one: the vacuum's new connection takes it, and the vacuum is cancelled.
        with self.lager.skrivemotor.connect() as k:
            navn = k.execute(text("SELECT current_database()")).scalar_one()
            k.execute(text(f'ALTER DATABASE "{navn}" SET statement_timeout = 1'))
            k.commit()
        try:
            self.lager.skrivemotor.dispose()
            ekte(self)
        finally:
            # Reset on a connection of its own without the timeout: nothing here may time out.
            url = self.lager.skrivemotor.url
            motor = create_engine(url, connect_args={"options": "-c statement_timeout=0"})
            with motor.connect() as k:
                k.execute(text(f'ALTER DATABASE "{navn}" RESET statement_timeout'))
                k.commit()
            motor.dispose()
            self.lager.skrivemotor.dispose()

    monkeypatch.setattr(Oppgjorsprojektor, "rydd", rydd_med_tidsgrense)
    with caplog.at_level(logging.WARNING, logger="oppgjor.projektor"):
        assert projektor.ta_igjen() > 0
    assert [r for r in caplog.records if "VACUUM" in r.getMessage()]
    assert projektor.posisjon() == projektor.hode()
    sjekk_lik_replay(tjenester, knr, sist)
