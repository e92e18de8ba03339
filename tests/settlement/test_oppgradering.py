"""A store made before the settlement projection existed upgrades and gives the same
figures (issue 9): `oppgjor` itself runs the migrations at start, and the projection is
built from the journal on the first catch-up."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import func, inspect, select

from services.system.bootstrap import bygg
from shared.lagring.tabeller import oppgjorslinje, sporing
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
