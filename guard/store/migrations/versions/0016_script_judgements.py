"""reviewers' judgements of a stored script's findings (false alarm or confirmed)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06

`script_judgements`: one row per judgement a reviewer gives one finding of a stored script version,
insert-only (the newest row of each finding and reviewer counts). They give each rule's precision
on the bank's own scripts and labelled real text for the linter's corpora.
"""
from alembic import op
import sqlalchemy as sa

from guard.store.models import UTCDateTime


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'script_judgements',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('script_id', sa.String(length=36), nullable=False),
        sa.Column('campaign', sa.String(length=100), nullable=False),
        sa.Column('rule', sa.String(length=200), nullable=False),
        sa.Column('rules', sa.JSON(), nullable=False),
        sa.Column('code', sa.String(length=30), nullable=False),
        sa.Column('start', sa.Integer(), nullable=False),
        sa.Column('end', sa.Integer(), nullable=False),
        sa.Column('matched', sa.Text(), nullable=False),
        sa.Column('judgement', sa.String(length=20), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('pack_id', sa.String(length=100), nullable=False),
        sa.Column('pack_version', sa.String(length=100), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('created_by', sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_script_judgements')),
    )
    op.create_index(op.f('ix_script_judgements_script_id'), 'script_judgements', ['script_id'], unique=False)
    op.create_index(op.f('ix_script_judgements_created_at'), 'script_judgements', ['created_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_script_judgements_created_at'), table_name='script_judgements')
    op.drop_index(op.f('ix_script_judgements_script_id'), table_name='script_judgements')
    op.drop_table('script_judgements')
