"""decisions are replayable by construction (a schema version on each row, the period index); scripts needing review

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-02

- `decisions.schema_version`: what a decision row guarantees a replay (`guard policies simulate`,
  `guard.core.replay`). 2: the request is kept whole (its region and the customer it named) and the
  facts are rebuilt exactly by the as-of reader (`tests/services/test_replay.py`); NULL: written
  before this revision (replayed the same way, and reported apart).
- an index on `decisions (at, id)`: a period's decisions in the order they were made.
- `scripts.needs_review_at`, `suspended_at`, `review_pack`, `review_findings`: an approved script that
  a pack version in effect (or coming) fails needs review from when that version takes effect; its
  approval stops counting at `suspended_at` (after the pack's `script_approval.review_grace`).

(0011 and 0012 are other changes of the same release: when they are merged, this revision follows
0012.)
"""
from alembic import op
import sqlalchemy as sa

from guard.store.models import UTCDateTime


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('schema_version', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_decisions_at_id'), ['at', 'id'], unique=False)
    with op.batch_alter_table('scripts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('needs_review_at', UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('suspended_at', UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('review_pack', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('review_findings', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('scripts', schema=None) as batch_op:
        for column in ('review_findings', 'review_pack', 'suspended_at', 'needs_review_at'):
            batch_op.drop_column(column)
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_at_id'))
        batch_op.drop_column('schema_version')
