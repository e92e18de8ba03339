"""Read model journal, projector tracking, receipts, year locks and access log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from shared.lagring.tabeller import UTCTid

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "hendelse",
        sa.Column("posisjon", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("registrert", UTCTid, nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("hendelse_id", sa.String(36)),
        sa.Column("kommunenummer", sa.String(4)),
        sa.Column("vedtak_id", sa.String(100)),
        sa.Column("aar", sa.Integer),
        sa.Column("kvartal", sa.Integer),
        sa.Column("data", Json, nullable=False),
    )
    op.create_index("ix_hendelse_kommune_registrert", "hendelse", ["kommunenummer", "registrert"])
    op.create_index("ix_hendelse_type_aar", "hendelse", ["type", "aar", "registrert"])
    op.create_index("ix_hendelse_registrert", "hendelse", ["registrert"])
    op.create_table(
        "sporing",
        sa.Column("projeksjon", sa.String(64), primary_key=True),
        sa.Column("posisjon", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "mottatt_hendelse",
        sa.Column("hendelse_id", sa.String(36), primary_key=True),
        sa.Column("innholdshash", sa.String(64), nullable=False),
        sa.Column("kommunenummer", sa.String(4), nullable=False),
        sa.Column("posisjon", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "aarslas",
        sa.Column("kommunenummer", sa.String(4), primary_key=True),
        sa.Column("aar", sa.Integer, primary_key=True),
        sa.Column("last", sa.Boolean, nullable=False),
        sa.Column("endret", UTCTid, nullable=False),
    )
    op.create_table(
        "innsynslogg",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("tidspunkt", UTCTid, nullable=False),
        sa.Column("organisasjonsnummer", sa.String(9), nullable=False),
        sa.Column("rolle", sa.String(20), nullable=False),
        sa.Column("kommunenummer", sa.String(4)),
        sa.Column("ressurs", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for tabell in ("innsynslogg", "aarslas", "mottatt_hendelse", "sporing", "hendelse"):
        op.drop_table(tabell)
