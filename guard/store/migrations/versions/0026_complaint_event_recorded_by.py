"""complaint events keep who recorded them beside who acted

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06

A key (a ticket system) may name the person who acted (`by`); the event kept that name alone, and which key recorded
it was lost. `recorded_by` keeps the key's id (or the signed-in person) beside `actor`. Rows recorded before this
revision keep it null: nothing tells who recorded them.
"""
from alembic import op
import sqlalchemy as sa


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorded_by', sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.drop_column('recorded_by')
