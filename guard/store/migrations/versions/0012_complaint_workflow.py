"""the complaint workflow: stage, escalation to a supervisor, the satisfaction callback

Revision ID: 0012
Revises: 0011 (0010 where 0011 is not present)
Create Date: 2026-12-02

- `complaints.stage`: where the complaint stands (guard.core.complaints.stage), kept on every
  change like `next_due_at`, so that the queue counts and filters by it in SQL. Existing
  complaints are filled in by the same function. Nullable: a release before this one still
  inserts complaints while the store is being upgraded.
- `complaints.escalated_to`: the supervisor a complaint was escalated to.
- `complaints.callback_due`, `callback_at`, `callback_result`, `callback_overdue_at`: the
  satisfaction callback after resolution. Complaints resolved before this revision have no
  callback due (stage `closed`).
"""

from alembic import op
import sqlalchemy as sa

from guard.core.complaints import ComplaintState, stage
from guard.store.models import UTCDateTime


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('escalated_to', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('callback_due', UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('callback_at', UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('callback_result', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('callback_overdue_at', UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('stage', sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f('ix_complaints_stage_next_due_at'), ['stage', 'next_due_at'], unique=False)
    complaints = sa.table(
        'complaints', sa.column('id', sa.String), sa.column('stage', sa.String), *(sa.column(c, UTCDateTime(timezone=True)) for c in (
            'first_response_due', 'resolution_due', 'escalation_due', 'first_response_at', 'escalated_at', 'resolved_at', 'overdue_at',
            'callback_due', 'callback_at')))
    bind = op.get_bind()
    for row in bind.execute(sa.select(complaints)).all():
        bind.execute(sa.update(complaints).where(complaints.c.id == row.id).values(stage=stage(ComplaintState.of(row))))


def downgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_stage_next_due_at'))
        for column in ('stage', 'callback_overdue_at', 'callback_result', 'callback_at', 'callback_due', 'escalated_to'):
            batch_op.drop_column(column)
