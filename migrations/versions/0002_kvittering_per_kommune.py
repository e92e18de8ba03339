"""Receipts per municipality: a hendelse_id is unique within its municipality only.

One municipality could block another's hendelse_id, because receipts were keyed by the id
alone. The key becomes (kommunenummer, hendelse_id). A resend within a municipality is
still a duplicate, and a changed reuse within it still a 409 (api.md).

The table is rebuilt and its rows copied, the same way on SQLite (which cannot change a
primary key in place) and PostgreSQL. A downgrade keeps, for an id used by several
municipalities, only the receipt written first.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_KOLONNER = "kommunenummer, hendelse_id, innholdshash, posisjon"


def _lag(navn: str, *nokkel: str) -> None:
    op.create_table(
        navn,
        sa.Column("kommunenummer", sa.String(4), nullable=False),
        sa.Column("hendelse_id", sa.String(36), nullable=False),
        sa.Column("innholdshash", sa.String(64), nullable=False),
        sa.Column("posisjon", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint(*nokkel, name=f"pk_{navn}"),
    )


def upgrade() -> None:
    _lag("mottatt_hendelse_ny", "kommunenummer", "hendelse_id")
    op.execute(
        f"INSERT INTO mottatt_hendelse_ny ({_KOLONNER}) SELECT {_KOLONNER} FROM mottatt_hendelse"
    )
    op.drop_table("mottatt_hendelse")
    op.rename_table("mottatt_hendelse_ny", "mottatt_hendelse")


def downgrade() -> None:
    _lag("mottatt_hendelse_gammel", "hendelse_id")
    op.execute(
        f"INSERT INTO mottatt_hendelse_gammel ({_KOLONNER}) SELECT {_KOLONNER} "
        "FROM mottatt_hendelse m WHERE m.posisjon = "
        "(SELECT MIN(f.posisjon) FROM mottatt_hendelse f WHERE f.hendelse_id = m.hendelse_id)"
    )
    op.drop_table("mottatt_hendelse")
    op.rename_table("mottatt_hendelse_gammel", "mottatt_hendelse")
