"""people sign in: local accounts, failed sign-ins, server-side sessions

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

- `accounts`: local accounts (argon2id hash, roles, disabled_at), for a bank without a directory.
- `sign_in_failures`: failures per user name, whether the name exists or not, for the backoff.
- `web_sessions`: signed-in sessions (SHA-256 of the id, the person as the audit trail records
  them, roles, CSRF token, idle and absolute expiry, ended_at on sign-out).
"""
from alembic import op
import sqlalchemy as sa

from guard.store.models import UTCDateTime


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'accounts',
        sa.Column('username', sa.String(length=27), nullable=False),
        sa.Column('password_hash', sa.String(length=200), nullable=False),
        sa.Column('roles', sa.String(length=200), nullable=False),
        sa.Column('display_name', sa.String(length=200), nullable=True),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('password_changed_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('disabled_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_sign_in_at', UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('username', name=op.f('pk_accounts')),
    )
    op.create_table(
        'sign_in_failures',
        sa.Column('username', sa.String(length=100), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_failed_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('locked_until', UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('username', name=op.f('pk_sign_in_failures')),
    )
    op.create_index(op.f('ix_sign_in_failures_last_failed_at'), 'sign_in_failures', ['last_failed_at'], unique=False)
    op.create_table(
        'web_sessions',
        sa.Column('id_hash', sa.String(length=64), nullable=False),
        sa.Column('actor', sa.String(length=32), nullable=False),
        sa.Column('display_name', sa.String(length=200), nullable=True),
        sa.Column('roles', sa.String(length=200), nullable=False),
        sa.Column('csrf_token', sa.String(length=64), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('ended_at', UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id_hash', name=op.f('pk_web_sessions')),
    )
    op.create_index(op.f('ix_web_sessions_actor'), 'web_sessions', ['actor'], unique=False)
    op.create_index(op.f('ix_web_sessions_expires_at'), 'web_sessions', ['expires_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_web_sessions_expires_at'), table_name='web_sessions')
    op.drop_index(op.f('ix_web_sessions_actor'), table_name='web_sessions')
    op.drop_table('web_sessions')
    op.drop_index(op.f('ix_sign_in_failures_last_failed_at'), table_name='sign_in_failures')
    op.drop_table('sign_in_failures')
    op.drop_table('accounts')
