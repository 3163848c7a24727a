"""every customer of a call counts: attempts name a second customer

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

A call's customers are the number's recorded owner and the customer the request names, when
that is someone else. `attempts.customer_id` holds the first of them (the owner when there is
one) and the new `other_customer_id` the second, so that each one's customer caps count the call.
A call dialled on a number the guard could not read (reported despite its INVALID_NUMBER deny)
still counts against its customers' caps: `phone_e164` may now be empty.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('other_customer_id', sa.String(length=64), nullable=True))
        batch_op.alter_column('phone_e164', existing_type=sa.String(length=20), nullable=True)
        batch_op.create_index(batch_op.f('ix_attempts_other_customer_id_at'), ['other_customer_id', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempts_other_customer_id_at'))
        batch_op.drop_column('other_customer_id')
        batch_op.alter_column('phone_e164', existing_type=sa.String(length=20), nullable=False)
