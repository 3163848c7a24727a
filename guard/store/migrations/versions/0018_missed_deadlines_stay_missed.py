"""a complaint deadline met late stays missed: complaints whose step was recorded late are marked so

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06

No column changes. A deadline is missed when its step was done after it (guard.core.complaints.
breaches); the queue finds such complaints in SQL by `overdue_at` (and a late satisfaction callback
by `callback_overdue_at`), which recording the step late now sets. Complaints recorded before this
revision whose step was done late, and which the scheduler never marked, get the same marks: overdue
from when the earliest missed deadline fell due, the callback late from its due date.
"""

from alembic import op
import sqlalchemy as sa

from guard.core.complaints import ComplaintState, breaches, missed_late
from guard.store.models import UTCDateTime


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    complaints = sa.table('complaints', sa.column('id', sa.String), *(sa.column(c, UTCDateTime(timezone=True)) for c in (
        *ComplaintState.__dataclass_fields__, 'callback_overdue_at')))
    bind = op.get_bind()
    unmarked = sa.or_(complaints.c.overdue_at.is_(None), complaints.c.callback_overdue_at.is_(None))
    for row in bind.execute(sa.select(complaints).where(unmarked)).all():
        state = ComplaintState.of(row)
        values = {}
        overdue = missed_late(state)
        if row.overdue_at is None and overdue is not None:
            values["overdue_at"] = overdue
        if row.callback_overdue_at is None and any(kind == "callback" for kind, _, _ in breaches(state, None)):
            values["callback_overdue_at"] = row.callback_due
        if values:
            bind.execute(sa.update(complaints).where(complaints.c.id == row.id).values(**values))


def downgrade() -> None:
    pass  # the marks record real breaches; they stay
