"""reload documents

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

A reload request carries the pack documents it validated, so every process serves the same set.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('policy_reloads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('documents', sa.JSON(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('policy_reloads', schema=None) as batch_op:
        batch_op.drop_column('documents')

