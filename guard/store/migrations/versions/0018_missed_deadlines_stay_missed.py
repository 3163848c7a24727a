"""a complaint deadline met late stays missed: complaints whose step was recorded late are marked so

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06

No column changes. A deadline is missed when its step was done after it (guard.core.complaints.
breaches, copied here as it stood); the queue finds such complaints in SQL by `overdue_at` (and a late satisfaction callback
by `callback_overdue_at`), which recording the step late now sets. Complaints recorded before this
revision whose step was done late, and which the scheduler never marked, get the same marks: overdue
from when the earliest missed deadline fell due, the callback late from its due date.
"""

from alembic import op
import sqlalchemy as sa

from guard.store.models import UTCDateTime


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

# The rule as it stood when this revision was written (guard.core.complaints.breaches of 2026-12-06),
# copied so that a later change to that module does not change what this revision did.
# kind: (due column, done column); the callback is settled only by its own step.
STEPS = {"first_response": ("first_response_due", "first_response_at"), "escalate": ("escalation_due", "escalated_at"),
         "resolve": ("resolution_due", "resolved_at"), "callback": ("callback_due", "callback_at")}


def _settled_breaches(row) -> list[tuple[str, object]]:
    """The deadlines missed for good, (kind, due): met after they fell due, or left unmet by the resolution."""
    out = []
    for kind, (due_col, done_col) in STEPS.items():
        due, done = getattr(row, due_col), getattr(row, done_col)
        if due is None:
            continue
        if done is not None:
            if done > due:
                out.append((kind, due))
            continue
        settled = row.resolved_at if kind != "callback" else None
        if settled is not None and settled > due:
            out.append((kind, due))
    return out


def upgrade() -> None:
    columns = sorted({c for pair in STEPS.values() for c in pair} | {"overdue_at", "callback_overdue_at"})
    complaints = sa.table('complaints', sa.column('id', sa.String), *(sa.column(c, UTCDateTime(timezone=True)) for c in columns))
    bind = op.get_bind()
    unmarked = sa.or_(complaints.c.overdue_at.is_(None), complaints.c.callback_overdue_at.is_(None))
    for row in bind.execute(sa.select(complaints).where(unmarked)).all():
        missed = _settled_breaches(row)
        values = {}
        overdue = min((due for kind, due in missed if kind != "callback"), default=None)
        if row.overdue_at is None and overdue is not None:
            values["overdue_at"] = overdue
        if row.callback_overdue_at is None and any(kind == "callback" for kind, _ in missed):
            values["callback_overdue_at"] = row.callback_due
        if values:
            bind.execute(sa.update(complaints).where(complaints.c.id == row.id).values(**values))


def downgrade() -> None:
    pass  # the marks record real breaches; they stay
