"""decision log hash chain

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23

`decision_chain` seals every decision into a SHA-256 chain (see guard.store.chain); on
PostgreSQL its rows, like the decisions', can be neither updated nor deleted.
"""
from alembic import op
import sqlalchemy as sa
import guard.store.models


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('decision_chain',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('decision_id', sa.String(length=36), nullable=False),
    sa.Column('evaluated_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('sealed_at', guard.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_decision_chain')),
    sa.UniqueConstraint('decision_id', name=op.f('uq_decision_chain_decision_id'))
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE TRIGGER decision_chain_append_only
            BEFORE UPDATE OR DELETE ON decision_chain
            FOR EACH ROW EXECUTE FUNCTION guard_decisions_append_only()
            """
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER decision_chain_append_only ON decision_chain")
    op.drop_table('decision_chain')
