"""consents to marketing and where each number came from, versioned

Revision ID: 0014
Revises: 0010
Create Date: 2026-12-02

`consent_versions`: one row per version of a consent (source channel, consent text and version,
scope, given_at, evidence, expiry, withdrawal); a withdrawal closes the current version and opens
a new one, so nothing is overwritten. (0011-0013 are other changes made at the same time: when
they land first, this revision's `down_revision` becomes the newest of them.)
"""
from alembic import op
import sqlalchemy as sa

from guard.store.models import UTCDateTime


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'consent_versions',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('consent_id', sa.String(length=36), nullable=False),
        sa.Column('phone_e164', sa.String(length=20), nullable=True),
        sa.Column('customer_id', sa.String(length=64), nullable=True),
        sa.Column('source', sa.String(length=32), nullable=False),
        sa.Column('consent_text', sa.Text(), nullable=True),
        sa.Column('text_version', sa.String(length=64), nullable=True),
        sa.Column('channels', sa.JSON(), nullable=False),
        sa.Column('product_types', sa.JSON(), nullable=False),
        sa.Column('given_at', UTCDateTime(), nullable=False),
        sa.Column('evidence_ref', sa.String(length=500), nullable=True),
        sa.Column('expires_at', UTCDateTime(), nullable=True),
        sa.Column('withdrawn_at', UTCDateTime(), nullable=True),
        sa.Column('withdrawn_via', sa.String(length=32), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('valid_from', UTCDateTime(), nullable=False),
        sa.Column('valid_to', UTCDateTime(), nullable=True),
        sa.Column('recorded_by', sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_versions')),
    )
    with op.batch_alter_table('consent_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_versions_phone_e164_valid_from'), ['phone_e164', 'valid_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_versions_customer_id_valid_from'), ['customer_id', 'valid_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_versions_consent_id'), ['consent_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('consent_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_versions_consent_id'))
        batch_op.drop_index(batch_op.f('ix_consent_versions_customer_id_valid_from'))
        batch_op.drop_index(batch_op.f('ix_consent_versions_phone_e164_valid_from'))
    op.drop_table('consent_versions')
