"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa
import guard.store.models


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_keys',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('roles', sa.String(length=200), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=True),
    sa.Column('created_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys'))
    )
    op.create_table('attempts',
    sa.Column('decision_id', sa.String(length=36), nullable=False),
    sa.Column('phone_e164', sa.String(length=20), nullable=False),
    sa.Column('customer_id', sa.String(length=64), nullable=True),
    sa.Column('at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('disposition', sa.String(length=20), nullable=True),
    sa.Column('outcome_at', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('decision_id', name=op.f('pk_attempts'))
    )
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempts_customer_id_at'), ['customer_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_attempts_phone_e164_at'), ['phone_e164', 'at'], unique=False)

    op.create_table('blacklist_entries',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('phone_e164', sa.String(length=20), nullable=True),
    sa.Column('customer_id', sa.String(length=64), nullable=True),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('added_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('added_by', sa.String(length=64), nullable=True),
    sa.Column('removed_at', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('removed_by', sa.String(length=64), nullable=True),
    sa.Column('removal_reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blacklist_entries'))
    )
    with op.batch_alter_table('blacklist_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blacklist_entries_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_blacklist_entries_phone_e164'), ['phone_e164'], unique=False)

    op.create_table('config_campaigns',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('campaign_id', sa.String(length=100), nullable=False),
    sa.Column('valid_from', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('valid_to', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_config_campaigns'))
    )
    with op.batch_alter_table('config_campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_config_campaigns_campaign_id_valid_from'), ['campaign_id', 'valid_from'], unique=False)

    op.create_table('config_products',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('code', sa.String(length=100), nullable=False),
    sa.Column('valid_from', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('valid_to', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_config_products'))
    )
    with op.batch_alter_table('config_products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_config_products_code_valid_from'), ['code', 'valid_from'], unique=False)

    op.create_table('customer_phones',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('customer_id', sa.String(length=64), nullable=False),
    sa.Column('phone_e164', sa.String(length=20), nullable=False),
    sa.Column('valid_from', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('valid_to', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_phones'))
    )
    with op.batch_alter_table('customer_phones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_phones_customer_id_valid_from'), ['customer_id', 'valid_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_phones_phone_e164_valid_from'), ['phone_e164', 'valid_from'], unique=False)

    op.create_table('customer_versions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('customer_id', sa.String(length=64), nullable=False),
    sa.Column('valid_from', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('valid_to', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('phones', sa.JSON(), nullable=False),
    sa.Column('risk_level', sa.String(length=4), nullable=True),
    sa.Column('risk_assessed_at', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('windows', sa.JSON(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_versions'))
    )
    with op.batch_alter_table('customer_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_versions_customer_id_valid_from'), ['customer_id', 'valid_from'], unique=False)

    op.create_table('decisions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('evaluated_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('phone_input', sa.String(length=100), nullable=False),
    sa.Column('phone_e164', sa.String(length=20), nullable=True),
    sa.Column('customer_id', sa.String(length=64), nullable=True),
    sa.Column('campaign', sa.String(length=100), nullable=False),
    sa.Column('product', sa.String(length=100), nullable=True),
    sa.Column('agent_id', sa.String(length=100), nullable=True),
    sa.Column('allowed', sa.Boolean(), nullable=False),
    sa.Column('dry_run', sa.Boolean(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('next_allowed_at', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('pack_id', sa.String(length=100), nullable=False),
    sa.Column('pack_version', sa.String(length=100), nullable=False),
    sa.Column('pack_hash', sa.String(length=80), nullable=False),
    sa.Column('key_id', sa.String(length=32), nullable=True),
    sa.Column('request', sa.JSON(), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_customer_id_evaluated_at'), ['customer_id', 'evaluated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_evaluated_at'), ['evaluated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_phone_e164_evaluated_at'), ['phone_e164', 'evaluated_at'], unique=False)

    op.create_table('deferrals',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('phone_e164', sa.String(length=20), nullable=True),
    sa.Column('customer_id', sa.String(length=64), nullable=True),
    sa.Column('not_before', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('decision_id', sa.String(length=36), nullable=True),
    sa.Column('cancelled_at', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deferrals'))
    )
    with op.batch_alter_table('deferrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deferrals_customer_id_not_before'), ['customer_id', 'not_before'], unique=False)
        batch_op.create_index(batch_op.f('ix_deferrals_phone_e164_not_before'), ['phone_e164', 'not_before'], unique=False)

    op.create_table('mutes',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('customer_id', sa.String(length=64), nullable=False),
    sa.Column('starts_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('lifted_at', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('lifted_by', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mutes'))
    )
    with op.batch_alter_table('mutes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mutes_customer_id_ends_at'), ['customer_id', 'ends_at'], unique=False)

    op.create_table('policy_reloads',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('requested_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('requested_by', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_reloads'))
    )
    op.create_table('policy_snapshots',
    sa.Column('hash', sa.String(length=80), nullable=False),
    sa.Column('pack_id', sa.String(length=100), nullable=False),
    sa.Column('version', sa.String(length=100), nullable=False),
    sa.Column('effective_from', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('resolved', sa.JSON(), nullable=False),
    sa.Column('first_loaded_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('hash', name=op.f('pk_policy_snapshots'))
    )
    op.create_table('scripts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('campaign', sa.String(length=100), nullable=False),
    sa.Column('product_type', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('verdict', sa.String(length=10), nullable=False),
    sa.Column('lint', sa.JSON(), nullable=False),
    sa.Column('pack_id', sa.String(length=100), nullable=False),
    sa.Column('pack_version', sa.String(length=100), nullable=False),
    sa.Column('created_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=32), nullable=True),
    sa.Column('approved_at', guard.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('approved_by', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scripts'))
    )
    with op.batch_alter_table('scripts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scripts_campaign_approved_at'), ['campaign', 'approved_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('scripts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scripts_campaign_approved_at'))

    op.drop_table('scripts')
    op.drop_table('policy_snapshots')
    op.drop_table('policy_reloads')
    with op.batch_alter_table('mutes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mutes_customer_id_ends_at'))

    op.drop_table('mutes')
    with op.batch_alter_table('deferrals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deferrals_phone_e164_not_before'))
        batch_op.drop_index(batch_op.f('ix_deferrals_customer_id_not_before'))

    op.drop_table('deferrals')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_phone_e164_evaluated_at'))
        batch_op.drop_index(batch_op.f('ix_decisions_evaluated_at'))
        batch_op.drop_index(batch_op.f('ix_decisions_customer_id_evaluated_at'))

    op.drop_table('decisions')
    with op.batch_alter_table('customer_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_versions_customer_id_valid_from'))

    op.drop_table('customer_versions')
    with op.batch_alter_table('customer_phones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_phones_phone_e164_valid_from'))
        batch_op.drop_index(batch_op.f('ix_customer_phones_customer_id_valid_from'))

    op.drop_table('customer_phones')
    with op.batch_alter_table('config_products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_config_products_code_valid_from'))

    op.drop_table('config_products')
    with op.batch_alter_table('config_campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_config_campaigns_campaign_id_valid_from'))

    op.drop_table('config_campaigns')
    with op.batch_alter_table('blacklist_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blacklist_entries_phone_e164'))
        batch_op.drop_index(batch_op.f('ix_blacklist_entries_customer_id'))

    op.drop_table('blacklist_entries')
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempts_phone_e164_at'))
        batch_op.drop_index(batch_op.f('ix_attempts_customer_id_at'))

    op.drop_table('attempts')
    op.drop_table('api_keys')
