"""a reload request keeps the pack files it refused

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06

`policy_reloads.issues`: the issues `guard policies reload` found (a broken file keeps serving its last
good content), so that every process that takes the reload up can say so on /readyz and /metrics.
NULL on reloads requested before this revision.
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('policy_reloads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issues', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('policy_reloads', schema=None) as batch_op:
        batch_op.drop_column('issues')
