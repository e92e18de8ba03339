"""The event log's hash chain: one head per write transaction (docs/verifisering.md).

The rows over a log that existed before this table are built at start
(shared/lagring/loggkjede.py `etterfyll`): the library's event table may not exist yet
when migrations run on a new store.

Revision ID: 0004
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "loggkjede",
        sa.Column("posisjon", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("hode", sa.String(64), nullable=False),
        sa.Column("antall", sa.Integer, nullable=False),
        sa.Column("etterfylt", sa.Boolean, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("loggkjede")
