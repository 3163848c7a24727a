"""a report with no decision keeps when its dial was made

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06

`unmatched_outcomes.dialled_at`: the instant of the dial an outcome with no real decision reports, where it is not
the server's clock at the report (a simulation on the client's timeline dials at the outcome's `ended_at`). The
decision-log audit counts the dial in the period of that instant. NULL (every row before this revision): at
`reported_at`. The outcome chain hashes the column only when set, so the links sealed before keep their hashes.
"""
from alembic import op
import sqlalchemy as sa

from guard.store.models import UTCDateTime


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('unmatched_outcomes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dialled_at', UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_unmatched_outcomes_dialled_at'), ['dialled_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('unmatched_outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unmatched_outcomes_dialled_at'))
        batch_op.drop_column('dialled_at')
