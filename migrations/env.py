"""Alembic environment: migrates the read-model and receipt tables of one store."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from shared.lagring.database import Lager, database_url
from shared.lagring.tabeller import metadata

target_metadata = metadata


def _migrer(tilkobling: Connection) -> None:
    context.configure(connection=tilkobling, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


tilkobling = context.config.attributes.get("connection")
if tilkobling is not None:
    _migrer(tilkobling)
else:
    lager = Lager(context.config.get_main_option("sqlalchemy.url") or database_url())
    with lager.skrivemotor.connect() as ny_tilkobling:
        _migrer(ny_tilkobling)
        ny_tilkobling.commit()
    lager.lukk()
