"""customers record the state (subdivision) they live in

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

A pack's `states` rules (US state telemarketing laws) apply to the customer's recorded state as
well as to the state the number is tied to.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('customer_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('customer_versions', schema=None) as batch_op:
        batch_op.drop_column('state')
