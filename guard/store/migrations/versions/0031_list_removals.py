"""a file of numbers that left an external list is recorded as a list removal, and each entry it closed names it

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07

The US registry's change lists give the numbers deleted from it since the last download (16 CFR 310.4(b)(3)(iv));
an administrator removes a source's entries of those numbers in bulk, with one reason for the file. The file is
recorded beside the lists imported (`kind` = removal, its reason and count removed), and each entry it closed keeps
the id of that record, so an entry's history says which file lifted it.
"""
import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("list_imports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), server_default=sa.text("'import'"), nullable=False))
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("removed", sa.Integer(), nullable=True))
    with op.batch_alter_table("blacklist_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("removal_list_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("blacklist_entries", schema=None) as batch_op:
        batch_op.drop_column("removal_list_id")
    with op.batch_alter_table("list_imports", schema=None) as batch_op:
        batch_op.drop_column("removed")
        batch_op.drop_column("reason")
        batch_op.drop_column("kind")
