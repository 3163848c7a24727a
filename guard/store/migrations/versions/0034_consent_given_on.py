"""a consent keeps the day it was given as, when given by date alone

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07

A consent given by date alone (授权日期 2026-11-23) is held from its day's last microsecond (民法典 第二百零一条), and was
told from one given at an hour only by that instant: a consent recorded at exactly 23:59:59.999999 was read as given by date
alone (its max_age counted a microsecond later, a withdrawal earlier that day accepted, the day shown instead of the hour).
The day is now kept as written (`given_on`; null: given at an instant). The decision instants are unchanged.

Rows recorded before this have their day read here from the instant, as the guard read it until now (the day's last
microsecond), once: the day whose 24:00 lies within twelve hours after the instant (the zone it was read in is not held;
every offset from -11:59 to +12:00 gives its own day back, the packs' zones among them). After this the instant alone says
nothing: a null `given_on` is a consent given at an instant.
"""
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

from guard.store.models import UTCDateTime

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None


def _day(given_at):
    """The day a date-only given_at (its day's last microsecond, in the zone the import read it in) names."""
    return (given_at + timedelta(microseconds=1) - timedelta(hours=12)).date()


def upgrade() -> None:
    with op.batch_alter_table("consent_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("given_on", sa.Date(), nullable=True))
    versions = sa.table("consent_versions", sa.column("id", sa.Integer), sa.column("given_at", UTCDateTime(timezone=True)),
                        sa.column("given_on", sa.Date()))
    bind = op.get_bind()
    for row in bind.execute(sa.select(versions.c.id, versions.c.given_at)).all():
        if row.given_at.second == 59 and row.given_at.microsecond == 999_999:
            bind.execute(sa.update(versions).where(versions.c.id == row.id).values(given_on=_day(row.given_at)))


def downgrade() -> None:
    with op.batch_alter_table("consent_versions", schema=None) as batch_op:
        batch_op.drop_column("given_on")
