"""an approved script version keeps what its approval's lint could not vouch for

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-07

A version approved under a pack with no phrase rule for the types its campaign sells (us-tcpa governs when to call, not
what is said) passed with no wording checked. The approval keeps the lint's notes (NO_PHRASE_RULES, the pack version and
the types), so the record says so; null: approved before this, or not approved.
"""
import sqlalchemy as sa
from alembic import op

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("scripts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approval_notes", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scripts", schema=None) as batch_op:
        batch_op.drop_column("approval_notes")
