"""each audit violation names the pack version that judged its call

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07

A call-log audit judges each call by the version in effect at its instant, and a decision-log audit's violations are
the reasons of decisions each made under its own version; the summary counted calls per version, but a violation row
did not say which version found it, so an auditor could not tell a call judged just before a new version from one
just after. `pack_id` and `pack_version` are kept on each row. Rows written before this revision keep them null: the
audit that wrote them is not re-judged.
"""
from alembic import op
import sqlalchemy as sa


revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_violations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pack_id', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('pack_version', sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('audit_violations', schema=None) as batch_op:
        batch_op.drop_column('pack_version')
        batch_op.drop_column('pack_id')
