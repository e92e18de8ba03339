"""Each report row keeps its hours inside its quarter and its source as the API names it.

The audit of a large municipality read 70,000 report rows per quarter and built every
report, its split by days and its source again on each first read (1.4 s for an
Oslo-sized quarter). The projection now keeps both, computed by the regelverk as each
report is projected. Existing rows have neither: the reports' part of the projection is
emptied and its position removed, and the next catch-up projects it again from the
journal (the vedtak lines are not touched).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("utfort_tid", sa.Column("timer_i_kvartalet", sa.String(80), nullable=True))
    op.add_column("utfort_tid", sa.Column("kilde", sa.Text(), nullable=True))
    op.execute("DELETE FROM utfort_tid")
    op.execute("DELETE FROM sporing WHERE projeksjon = 'rapportprojeksjon'")


def downgrade() -> None:
    # The rows stay valid for the older code, which reads neither column.
    with op.batch_alter_table("utfort_tid") as t:
        t.drop_column("kilde")
        t.drop_column("timer_i_kvartalet")
