"""a blacklist removal keeps whether a check still held the number back right after it

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07

An auditor reading a removal later asks who lifted the number, when, why, and whether it was still blocked afterwards
(another source's entry, its customer's entry or refusal, a mute). The removal answered that once; the entry now keeps
it (null for a removal recorded before this, or of a customer's entry, which blocks no one number).
"""
import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("blacklist_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("removal_still_blocked", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("blacklist_entries", schema=None) as batch_op:
        batch_op.drop_column("removal_still_blocked")
