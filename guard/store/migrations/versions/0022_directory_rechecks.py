"""a directory user's session remembers when the directory last confirmed them

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06

`web_sessions.directory_checked_at`: a session signed in through the directory is looked up there again every
GUARD_LDAP_RECHECK_MINUTES; someone the directory no longer has in a mapped group is signed out. NULL: not looked
up since the sign-in.
"""
from alembic import op
import sqlalchemy as sa

from guard.store.models import UTCDateTime


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('directory_checked_at', UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.drop_column('directory_checked_at')
