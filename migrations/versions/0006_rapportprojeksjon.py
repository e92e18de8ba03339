"""The delivered-time reports get a tracking position of their own (issue 9, ADR 15).

Until now one position covered the whole settlement projection. The reports and the
vedtak lines never depend on each other, so a long catch-up moves the reports with the
journal and the lines in a stage of their own; each part then needs its own position.
A store that has projected already starts the reports' position where the projection
stood, so nothing is projected twice; a store that has not gets none, and the first
catch-up builds both parts from the journal.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "INSERT INTO sporing (projeksjon, posisjon) "
        "SELECT 'rapportprojeksjon', posisjon FROM sporing "
        "WHERE projeksjon = 'oppgjorsprojeksjon'"
    )


def downgrade() -> None:
    # One position again. The two are equal whenever no catch-up runs; downgrade then.
    op.execute(
        "UPDATE sporing SET posisjon = (SELECT min(posisjon) FROM sporing "
        "WHERE projeksjon IN ('oppgjorsprojeksjon', 'rapportprojeksjon')) "
        "WHERE projeksjon = 'oppgjorsprojeksjon'"
    )
    op.execute("DELETE FROM sporing WHERE projeksjon = 'rapportprojeksjon'")
