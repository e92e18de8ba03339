"""Bring a store's schema to the newest migration (run by serve, demo and tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from shared.lagring.database import Lager

_ROT = Path(__file__).resolve().parents[2]


def oppgrader(lager: Lager, til: str = "head") -> None:
    """To `til` (a revision id); the newest unless a test asks for an older one."""
    konfig = Config(str(_ROT / "alembic.ini"))
    konfig.set_main_option("script_location", str(_ROT / "migrations"))
    with lager.skrivemotor.connect() as tilkobling:
        konfig.attributes["connection"] = tilkobling
        command.upgrade(konfig, til)
        tilkobling.commit()
