"""idempotency keys of checks

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07

A dialer that lost a check's answer (a timeout, a reset connection, a proxy's 502) and asked again recorded a second
attempt for one call. `idempotency_keys` keeps the first answer given under a client's `Idempotency-Key` header,
so that its retries get it back and record nothing more.
"""
from alembic import op
import sqlalchemy as sa

from guard.store.models import UTCDateTime


revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'idempotency_keys',
        sa.Column('scope', sa.String(length=100), nullable=False),
        sa.Column('idem_key', sa.String(length=255), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('decision_id', sa.String(length=36), nullable=False),
        sa.Column('answer', sa.JSON(), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('scope', 'idem_key', name=op.f('pk_idempotency_keys')),
    )
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotency_keys_expires_at'), ['expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotency_keys_expires_at'))
    op.drop_table('idempotency_keys')
