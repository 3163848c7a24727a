"""audits of record: their basis, encoding and runner; the zone of each violation; when a deferral took effect

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

- `audits.basis`: which reading of history judged the log (`known_then`: what the store held at
  each call's time; `known_now`: the facts' own effective times); `audits.encoding`: the text
  encoding the log was read in; `audits.runner` (host:pid) and `audits.heartbeat_at`: which
  process judges it and when it last made progress, so that an audit whose process died is
  reaped; `audits.cancel_requested_at`: an auditor asked to stop it.
- `audit_violations.zone`: the callee's time zone the call was judged in (reports show local times).
- `deferrals.effective_at`: when the deferral took effect (an outcome's `ended_at`), beside
  `created_at`, when the guard recorded it.
"""
from alembic import op
import sqlalchemy as sa

from guard.store.models import UTCDateTime


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('basis', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('encoding', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('runner', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancel_requested_at', UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('audit_violations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('zone', sa.String(length=64), nullable=True))
    with op.batch_alter_table('deferrals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('effective_at', UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('deferrals', schema=None) as batch_op:
        batch_op.drop_column('effective_at')
    with op.batch_alter_table('audit_violations', schema=None) as batch_op:
        batch_op.drop_column('zone')
    with op.batch_alter_table('audits', schema=None) as batch_op:
        for column in ('cancel_requested_at', 'heartbeat_at', 'runner', 'encoding', 'basis'):
            batch_op.drop_column(column)
