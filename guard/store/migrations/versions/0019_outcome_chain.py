"""the outcomes' hash chain: outcomes and reports with no decision sealed like the decisions

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06

`outcome_chain` seals every outcome (and every outcome reported with no real decision) into a
SHA-256 chain beside the decisions' (see guard.store.chain): an outcome on a denied decision is the
evidence of a call made despite the deny, and deleting it must show. On PostgreSQL the links, the
outcomes and the reports with no decision can be neither updated nor deleted, like the decisions.
Outcomes recorded before this revision are sealed by the next run of the `decision_chain` job.
"""
from alembic import op
import sqlalchemy as sa

from guard.store.models import UTCDateTime


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

APPEND_ONLY = ("outcome_chain", "outcomes", "unmatched_outcomes")


def upgrade() -> None:
    op.create_table('outcome_chain',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('outcome_id', sa.String(length=36), nullable=True),
    sa.Column('unmatched_id', sa.Integer(), nullable=True),
    sa.Column('reported_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('sealed_at', UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_outcome_chain')),
    sa.UniqueConstraint('outcome_id', name=op.f('uq_outcome_chain_outcome_id')),
    sa.UniqueConstraint('unmatched_id', name=op.f('uq_outcome_chain_unmatched_id'))
    )
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcomes_reported_at'), ['reported_at'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION guard_append_only() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END;
            $$
            """
        )
        for table in APPEND_ONLY:
            op.execute(f"""
                CREATE TRIGGER {table}_append_only
                BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION guard_append_only()
            """)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute("DROP FUNCTION guard_append_only()")
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcomes_reported_at'))
    op.drop_table('outcome_chain')
