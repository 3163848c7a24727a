"""who gave or took access: API keys created and revoked, local accounts created and changed

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06

`access_events` records each change of access with who made it (the OS user and host of a `guard keys` or
`guard users` command) and when, in the change's own transaction; on PostgreSQL it refuses UPDATE and
DELETE. Keys and accounts made before this revision have no event: their `created_at` is all there is.
"""
from alembic import op
import sqlalchemy as sa

from guard.store.models import UTCDateTime


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('access_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('by', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('subject', sa.String(length=100), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_events'))
    )
    with op.batch_alter_table('access_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_events_subject_at'), ['subject', 'at'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE TRIGGER access_events_append_only
            BEFORE UPDATE OR DELETE ON access_events
            FOR EACH ROW EXECUTE FUNCTION guard_append_only()
        """)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER access_events_append_only ON access_events")
    with op.batch_alter_table('access_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_events_subject_at'))
        batch_op.drop_index(batch_op.f('ix_access_events_at'))
    op.drop_table('access_events')
