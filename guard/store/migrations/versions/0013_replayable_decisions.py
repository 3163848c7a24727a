"""decisions are replayable by construction: a schema version on each row, and the period index

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-02

- `decisions.schema_version`: what a decision row guarantees a replay (`guard policies simulate`,
  `guard.core.replay`). 2: the request is kept whole (its region and the customer it named) and the
  facts are rebuilt exactly by the as-of reader (`tests/services/test_replay.py`); NULL: written
  before this revision (replayed the same way, and reported apart).
- an index on `decisions (at, id)`: a period's decisions in the order they were made.

(0011 and 0012 are other changes of the same release: when they are merged, this revision follows
0012.)
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('schema_version', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_decisions_at_id'), ['at', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_at_id'))
        batch_op.drop_column('schema_version')
