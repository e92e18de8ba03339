"""A store made before the settlement projection existed upgrades and gives the same
figures (issue 9): `oppgjor` itself runs the migrations at start, and the projection is
built from the journal on the first catch-up."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import func, inspect, select

from services.system.bootstrap import bygg
from shared.lagring.database import Lager
from shared.lagring.migrering import oppgrader
from shared.lagring.tabeller import oppgjorslinje, sporing, utfort_tid
from tests.hendelser import rapport
from tests.settlement.test_projeksjon import FAST_HISTORIE, sjekk_lik_replay, spill_inn

ROT = Path(__file__).resolve().parents[2]


def _til_revisjon(url: str, revisjon: str) -> None:
    t = bygg(url)
    try:
        konfig = Config(str(ROT / "alembic.ini"))
        konfig.set_main_option("script_location", str(ROT / "migrations"))
        with t.lager.skrivemotor.connect() as tilkobling:
            konfig.attributes["connection"] = tilkobling
            command.downgrade(konfig, revisjon)
            tilkobling.commit()
    finally:
        t.lukk()


def _opp_til(url: str, revisjon: str) -> dict[str, int]:
    """Upgrade to `revisjon` only (bygg would go on to head); the tracking positions then."""
    lager = Lager(url)
    try:
        oppgrader(lager, revisjon)
        with lager.les() as s:
            rader = s.execute(select(sporing.c.projeksjon, sporing.c.posisjon))
            return {r.projeksjon: r.posisjon for r in rader}
    finally:
        lager.lukk()


def test_lager_fra_forrige_skjema_oppgraderes_med_samme_tall(lager_url: str) -> None:
    t = bygg(lager_url)
    knr = "6901"
    try:
        instanter = spill_inn(t, knr, FAST_HISTORIE, 7)
        t.projektor.ta_igjen()
    finally:
        t.lukk()
    # Back to the schema of the main branch before issue 9: journal and log only.
    _til_revisjon(lager_url, "0001")
    t = bygg(lager_url)  # what `oppgjor serve` does at start: upgrade to head
    try:
        with t.lager.les() as s:
            assert "oppgjorslinje" in inspect(s.get_bind()).get_table_names()
            assert s.execute(select(func.count()).select_from(oppgjorslinje)).scalar() == 0
            assert s.execute(
                select(sporing.c.projeksjon).order_by(sporing.c.projeksjon)
            ).scalars().all() == ["lesemodell"]
        t.oppgjor.oppdater()  # a read catches up: the projection is built from the journal
        for per in (instanter[2], instanter[len(instanter) // 2], instanter[-1]):
            sjekk_lik_replay(t, knr, per)
    finally:
        t.lukk()


def _projisert(url: str, knr: str, fro: int) -> tuple[list[datetime], int, int]:
    """A store with the fixed history played in and projected: its instants, how many
    report rows it holds (at least one) and the settlement projection's position."""
    t = bygg(url)
    try:
        instanter = spill_inn(t, knr, FAST_HISTORIE, fro)
        t.projektor.ta_igjen()
        with t.lager.les() as s:
            rapporter = s.execute(select(func.count()).select_from(utfort_tid)).scalar() or 0
            posisjon = s.execute(
                select(sporing.c.posisjon).where(sporing.c.projeksjon == "oppgjorsprojeksjon")
            ).scalar()
    finally:
        t.lukk()
    assert rapporter > 0
    return instanter, rapporter, int(posisjon or 0)


def test_rapportene_faar_egen_posisjon_uten_a_projiseres_to_ganger(lager_url: str) -> None:
    """Migration 0006: a store whose projection is built (one position for all of it)
    gives the reports their own position where the projection stood."""
    knr = "6902"
    instanter, rapporter_for, posisjon = _projisert(lager_url, knr, 8)
    _til_revisjon(lager_url, "0005")
    posisjoner = _opp_til(lager_url, "0006")  # 0007 then projects the reports again
    assert posisjoner["rapportprojeksjon"] == posisjoner["oppgjorsprojeksjon"] == posisjon
    t = bygg(lager_url)  # upgrades to head
    try:
        t.mottak.motta([rapport("V00", "2017-03-01", "2017-03-31", 4, knr=knr)], None)
        t.oppgjor.oppdater()
        with t.lager.les() as s:
            rapporter_etter = s.execute(select(func.count()).select_from(utfort_tid)).scalar()
        assert rapporter_etter == rapporter_for + 1  # the new one only, none twice
        sjekk_lik_replay(t, knr, instanter[-1])
    finally:
        t.lukk()


def test_rapportene_projiseres_paa_nytt_med_andel_og_kilde(lager_url: str) -> None:
    """Migration 0007: report rows projected before it have no hours per quarter and no
    source; the upgrade empties the reports' part, the next catch-up projects it again
    from the journal, and the audit gives the replay's figures at every instant."""
    knr = "6903"
    instanter, rapporter_for, _ = _projisert(lager_url, knr, 9)
    _til_revisjon(lager_url, "0006")
    t = bygg(lager_url)  # upgrades to head: 0007
    try:
        with t.lager.les() as s:
            assert s.execute(select(func.count()).select_from(utfort_tid)).scalar() == 0
        t.oppgjor.oppdater()
        with t.lager.les() as s:
            assert s.execute(select(func.count()).select_from(utfort_tid)).scalar() == (
                rapporter_for
            )
            uten = select(func.count()).where(
                utfort_tid.c.timer_i_kvartalet.is_(None) | utfort_tid.c.kilde.is_(None)
            )
            assert s.execute(uten).scalar() == 0
        for per in (instanter[2], instanter[len(instanter) // 2], instanter[-1]):
            sjekk_lik_replay(t, knr, per)
    finally:
        t.lukk()
