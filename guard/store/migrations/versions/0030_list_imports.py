"""every list imported into the blacklist is recorded: when, by whom, source, region and counts

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07

The US rules allow calls only against a registry list obtained within the last 31 days (16 CFR 310.4(b)(3)(iv),
47 CFR 64.1200(c)(2)(i)(D)). The entries alone cannot tell when a list was last obtained: a re-import of an
unchanged list writes none. /readyz reads this table to warn when the registry list is older than that.
"""
import sqlalchemy as sa
from alembic import op

from guard.store.models import UTCDateTime

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "list_imports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("region", sa.String(length=8), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_imports")),
    )
    op.create_index(op.f("ix_list_imports_source_region_at"), "list_imports", ["source", "region", "at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_list_imports_source_region_at"), table_name="list_imports")
    op.drop_table("list_imports")
