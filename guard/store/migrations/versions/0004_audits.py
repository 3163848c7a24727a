"""audits

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

Audits of call logs and of the decision log; outcomes reported for unknown or dry-run decisions.
"""
from alembic import op
import sqlalchemy as sa
import guard.store.models


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_rejects',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('audit_id', sa.String(length=36), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_rejects'))
    )
    with op.batch_alter_table('audit_rejects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_rejects_audit_id_line'), ['audit_id', 'line'], unique=False)

    op.create_table('audit_violations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('audit_id', sa.String(length=36), nullable=False),
    sa.Column('line', sa.Integer(), nullable=True),
    sa.Column('call_id', sa.String(length=100), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('called_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('phone_e164', sa.String(length=20), nullable=True),
    sa.Column('customer_id', sa.String(length=64), nullable=True),
    sa.Column('agent_id', sa.String(length=100), nullable=True),
    sa.Column('campaign', sa.String(length=100), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_violations'))
    )
    with op.batch_alter_table('audit_violations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_violations_audit_id_id'), ['audit_id', 'id'], unique=False)

    op.create_table('audits',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=32), nullable=True),
    sa.Column('started_at', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('bytes_total', sa.Integer(), nullable=True),
    sa.Column('bytes_done', sa.Integer(), nullable=False),
    sa.Column('rows_done', sa.Integer(), nullable=False),
    sa.Column('calls_judged', sa.Integer(), nullable=False),
    sa.Column('rows_rejected', sa.Integer(), nullable=False),
    sa.Column('violations', sa.Integer(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audits'))
    )
    op.create_table('unmatched_outcomes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('decision_id', sa.String(length=100), nullable=False),
    sa.Column('why', sa.String(length=20), nullable=False),
    sa.Column('disposition', sa.String(length=20), nullable=True),
    sa.Column('phone_e164', sa.String(length=20), nullable=True),
    sa.Column('reported_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('key_id', sa.String(length=32), nullable=True),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unmatched_outcomes'))
    )
    with op.batch_alter_table('unmatched_outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unmatched_outcomes_reported_at'), ['reported_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('unmatched_outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unmatched_outcomes_reported_at'))

    op.drop_table('unmatched_outcomes')
    op.drop_table('audits')
    with op.batch_alter_table('audit_violations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_violations_audit_id_id'))

    op.drop_table('audit_violations')
    with op.batch_alter_table('audit_rejects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_rejects_audit_id_line'))

    op.drop_table('audit_rejects')
