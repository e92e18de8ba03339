"""An index of the journal's vedtak state events only (issue 9).

The settlement projector refolds a vedtak from its own state events. Through the index
on (kommunenummer, vedtak_id, posisjon) it also fetched every delivered-time report of
the vedtak from the table and threw it away: with monthly reports, ten years of history
meant 120 rows read for every change. This index leaves the reports out, so a refold
reads what it uses, and a report costs one index entry less to write.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_UTEN_RAPPORTER = sa.text("type <> 'UtfortTidRapportert'")


def upgrade() -> None:
    op.create_index(
        "ix_hendelse_vedtakstilstand",
        "hendelse",
        ["kommunenummer", "vedtak_id", "posisjon"],
        postgresql_where=_UTEN_RAPPORTER,
        sqlite_where=_UTEN_RAPPORTER,
    )


def downgrade() -> None:
    op.drop_index("ix_hendelse_vedtakstilstand", table_name="hendelse")
