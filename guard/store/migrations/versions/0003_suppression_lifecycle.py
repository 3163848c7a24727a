"""suppression lifecycle: outcomes, complaints, job runs, live blacklist uniqueness

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

Live blacklist entries become unique per number (or customer) and source; duplicates that an
older version could have stored are closed first (kept, stamped as removed by this migration).
"""
from alembic import op
import sqlalchemy as sa
import guard.store.models


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('complaint_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('complaint_id', sa.String(length=36), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_events'))
    )
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_events_complaint_id_id'), ['complaint_id', 'id'], unique=False)

    op.create_table('complaints',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('phone_e164', sa.String(length=20), nullable=True),
    sa.Column('customer_id', sa.String(length=64), nullable=True),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('received_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=32), nullable=True),
    sa.Column('decision_id', sa.String(length=36), nullable=True),
    sa.Column('pack_id', sa.String(length=100), nullable=False),
    sa.Column('pack_version', sa.String(length=100), nullable=False),
    sa.Column('first_response_due', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolution_due', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('escalation_due', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('first_response_at', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('escalated_at', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('overdue_at', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('effects', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints'))
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaints_customer_id_received_at'), ['customer_id', 'received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_phone_e164_received_at'), ['phone_e164', 'received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_resolved_at_overdue_at'), ['resolved_at', 'overdue_at'], unique=False)

    op.create_table('job_runs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('job', sa.String(length=50), nullable=False),
    sa.Column('runner', sa.String(length=100), nullable=False),
    sa.Column('started_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs'))
    )
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_runs_job_started_at'), ['job', 'started_at'], unique=False)

    op.create_table('outcomes',
    sa.Column('decision_id', sa.String(length=36), nullable=False),
    sa.Column('disposition', sa.String(length=20), nullable=False),
    sa.Column('ended_at', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('callback_at', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('reported_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('key_id', sa.String(length=32), nullable=True),
    sa.Column('effects', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('decision_id', name=op.f('pk_outcomes'))
    )
    for column, live in (("phone_e164", "phone_e164 IS NOT NULL"), ("customer_id", "phone_e164 IS NULL")):
        op.execute(
            "UPDATE blacklist_entries SET removed_at = added_at, removed_by = 'migration 0003', "
            "removal_reason = 'duplicate live entry' "
            f"WHERE removed_at IS NULL AND {live} AND id NOT IN (SELECT MIN(id) FROM blacklist_entries "
            f"WHERE removed_at IS NULL AND {live} GROUP BY {column}, source)"
        )
    with op.batch_alter_table('blacklist_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorded_at', guard.store.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index('uq_blacklist_live_customer_source', ['customer_id', 'source'], unique=True, sqlite_where=sa.text('removed_at IS NULL AND phone_e164 IS NULL'), postgresql_where=sa.text('removed_at IS NULL AND phone_e164 IS NULL'))
        batch_op.create_index('uq_blacklist_live_phone_source', ['phone_e164', 'source'], unique=True, sqlite_where=sa.text('removed_at IS NULL AND phone_e164 IS NOT NULL'), postgresql_where=sa.text('removed_at IS NULL AND phone_e164 IS NOT NULL'))

    with op.batch_alter_table('mutes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone_e164', sa.String(length=20), nullable=True))
        batch_op.alter_column('customer_id',
               existing_type=sa.VARCHAR(length=64),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_mutes_phone_e164_ends_at'), ['phone_e164', 'ends_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('mutes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mutes_phone_e164_ends_at'))
        batch_op.alter_column('customer_id',
               existing_type=sa.VARCHAR(length=64),
               nullable=False)
        batch_op.drop_column('phone_e164')

    with op.batch_alter_table('blacklist_entries', schema=None) as batch_op:
        batch_op.drop_index('uq_blacklist_live_phone_source', sqlite_where=sa.text('removed_at IS NULL AND phone_e164 IS NOT NULL'), postgresql_where=sa.text('removed_at IS NULL AND phone_e164 IS NOT NULL'))
        batch_op.drop_index('uq_blacklist_live_customer_source', sqlite_where=sa.text('removed_at IS NULL AND phone_e164 IS NULL'), postgresql_where=sa.text('removed_at IS NULL AND phone_e164 IS NULL'))
        batch_op.drop_column('recorded_at')

    op.drop_table('outcomes')
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_runs_job_started_at'))

    op.drop_table('job_runs')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_resolved_at_overdue_at'))
        batch_op.drop_index(batch_op.f('ix_complaints_phone_e164_received_at'))
        batch_op.drop_index(batch_op.f('ix_complaints_customer_id_received_at'))

    op.drop_table('complaints')
    with op.batch_alter_table('complaint_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_events_complaint_id_id'))

    op.drop_table('complaint_events')
