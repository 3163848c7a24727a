"""complaints keep their next deadline

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

`next_due_at` is the nearest deadline of a complaint still to be met (guard.core.complaints):
the queue sorts by it and "overdue" is `next_due_at < now`, so the SLA rule lives in the core
alone. Existing complaints are filled in by the same function.
"""
from alembic import op
import sqlalchemy as sa
import guard.store.models
from guard.core.complaints import ComplaintState, next_due


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_due_at', guard.store.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_complaints_resolved_at_next_due_at'), ['resolved_at', 'next_due_at'], unique=False)
    complaints = sa.table(
        'complaints', sa.column('id', sa.String), *(sa.column(c, guard.store.models.UTCDateTime(timezone=True)) for c in (
            'first_response_due', 'resolution_due', 'escalation_due', 'first_response_at', 'escalated_at', 'resolved_at', 'overdue_at',
            'next_due_at')))
    bind = op.get_bind()
    for row in bind.execute(sa.select(complaints).where(complaints.c.resolved_at.is_(None))).all():
        due = next_due(ComplaintState.of(row))
        if due is not None:
            bind.execute(sa.update(complaints).where(complaints.c.id == row.id).values(next_due_at=due[0]))


def downgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_resolved_at_next_due_at'))
        batch_op.drop_column('next_due_at')
