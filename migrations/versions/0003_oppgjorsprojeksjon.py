"""The settlement projection: vedtak volumes per quarter, decided hours and delivered-time
reports, each bitemporal in recorded time (issue 9).

The projection starts empty with no tracking row, so the projector builds it from the
journal the first time it runs after the upgrade; the figures are the same as before.

Revision ID: 0003
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from shared.lagring.tabeller import UTCTid

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True)


def _versjon() -> list[sa.Column[object]]:
    return [
        sa.Column("fra_posisjon", sa.BigInteger, nullable=False),
        sa.Column("fra_registrert", UTCTid, nullable=False),
        sa.Column("til_posisjon", sa.BigInteger),
        sa.Column("til_registrert", UTCTid, nullable=False),
    ]


def upgrade() -> None:
    op.create_index("ix_hendelse_vedtak", "hendelse", ["kommunenummer", "vedtak_id", "posisjon"])
    for navn in ("oppgjorslinje", "revisjonslinje"):
        op.create_table(
            navn,
            _id(),
            sa.Column("kommunenummer", sa.String(4), nullable=False),
            sa.Column("vedtak_id", sa.String(100), nullable=False),
            sa.Column("tjenestekode", sa.String(20), nullable=False),
            sa.Column("fra_kidx", sa.Integer, nullable=False),
            sa.Column("til_kidx", sa.Integer, nullable=False),
            sa.Column("volum_90", sa.String(80)),
            sa.Column("volum_91", sa.String(80)),
            sa.Column("volum_92", sa.String(80)),
            *_versjon(),
        )
        op.create_index(f"ix_{navn}_kommune", navn, ["kommunenummer", "til_registrert", "til_kidx"])
        op.create_index(f"ix_{navn}_nasjonal", navn, ["til_registrert", "til_kidx"])
        op.create_index(f"ix_{navn}_vedtak", navn, ["kommunenummer", "vedtak_id", "til_registrert"])
    op.create_table(
        "utfort_tid",
        _id(),
        sa.Column("kommunenummer", sa.String(4), nullable=False),
        sa.Column("vedtak_id", sa.String(100), nullable=False),
        sa.Column("kidx", sa.Integer, nullable=False),
        sa.Column("nokkel", sa.String(130), nullable=False),
        sa.Column("periode_fra", sa.String(10), nullable=False),
        sa.Column("periode_til", sa.String(10), nullable=False),
        sa.Column("utforte_timer", sa.String(80), nullable=False),
        sa.Column("hendelse_id", sa.String(36)),
        *_versjon(),
    )
    op.create_index(
        "ix_utfort_tid_kvartal", "utfort_tid", ["kommunenummer", "kidx", "til_registrert"]
    )
    op.create_table(
        "kommune",
        sa.Column("kommunenummer", sa.String(4), primary_key=True),
        sa.Column("registrert", UTCTid, nullable=False),
    )
    op.create_index("ix_utfort_tid_nokkel", "utfort_tid", ["nokkel", "til_registrert"])


def downgrade() -> None:
    for tabell in ("kommune", "utfort_tid", "revisjonslinje", "oppgjorslinje"):
        op.drop_table(tabell)
    op.drop_index("ix_hendelse_vedtak", "hendelse")
    op.execute("DELETE FROM sporing WHERE projeksjon = 'oppgjorsprojeksjon'")
