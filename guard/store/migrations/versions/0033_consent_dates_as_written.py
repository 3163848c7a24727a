"""a consent keeps the days its withdrawal and expiry were given as, when given as dates alone

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07

A consent list gives 撤回日期 2026-11-23 or 有效期至 2026-12-31 without an hour. The guard holds instants (a withdrawal from
the day's 00:00, an expiry at 24:00 of the day), and showed them as hours nobody recorded ("withdrawn at 2026-11-23 00:00",
"expired at 2027-01-01 00:00"). The days as written are kept next to the instants (null: given with an hour, or recorded
before this), so that a message, the consent list and an export show the day the bank wrote.
"""
import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consent_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawn_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("expires_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("consent_versions", schema=None) as batch_op:
        batch_op.drop_column("expires_on")
        batch_op.drop_column("withdrawn_on")
