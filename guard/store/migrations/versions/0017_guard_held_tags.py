"""the tags the guard itself sets on a customer (from complaints) are kept apart from the CRM's

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06

- `customer_versions.guard_tags`: the tags the guard set (a complaint tags its customer `sensitive`).
  `tags` stays what every check reads, the CRM's tags and these together; a profile PUT replaces the
  CRM's part and keeps these, which only a deliberate removal drops.
- `customer_versions.note`: why a version was made, when someone said (the removal's reason).

Existing profiles: a customer that a recorded complaint tagged sensitive (its `effects.tagged_sensitive`)
holds the tag as the guard's. Where a later profile PUT had dropped it (which it could, before this
revision), a new version puts it back, by `migration 0017`, with a note saying so: the tag came from a
complaint and nothing deliberate removed it.
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

from guard.store.models import UTCDateTime


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

TAG = "sensitive"


def upgrade() -> None:
    with op.batch_alter_table('customer_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guard_tags', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=True))
    bind = op.get_bind()
    complaints = sa.table('complaints', sa.column('customer_id', sa.String), sa.column('effects', sa.JSON))
    tagged = sorted({cid for cid, effects in bind.execute(sa.select(complaints.c.customer_id, complaints.c.effects)
                                                           .where(complaints.c.customer_id.is_not(None))).all()
                     if (effects or {}).get("tagged_sensitive")})
    if not tagged:
        return
    cv = sa.table('customer_versions', sa.column('id', sa.Integer), sa.column('customer_id', sa.String),
                  sa.column('valid_from', UTCDateTime(timezone=True)), sa.column('valid_to', UTCDateTime(timezone=True)),
                  *(sa.column(c, sa.JSON) for c in ('phones', 'tags', 'windows', 'guard_tags')),
                  sa.column('risk_level', sa.String), sa.column('risk_assessed_at', UTCDateTime(timezone=True)),
                  sa.column('timezone', sa.String), sa.column('state', sa.String), sa.column('changed_by', sa.String),
                  sa.column('note', sa.Text))
    now = datetime.now(timezone.utc)
    for row in bind.execute(sa.select(cv).where(cv.c.customer_id.in_(tagged), cv.c.valid_to.is_(None))).all():
        if TAG in (row.tags or []):
            bind.execute(sa.update(cv).where(cv.c.id == row.id).values(guard_tags=[TAG]))
            continue
        bind.execute(sa.update(cv).where(cv.c.id == row.id).values(valid_to=now))
        bind.execute(sa.insert(cv).values(
            customer_id=row.customer_id, valid_from=now, valid_to=None, phones=row.phones, risk_level=row.risk_level,
            risk_assessed_at=row.risk_assessed_at, tags=sorted({*(row.tags or []), TAG}), windows=row.windows, timezone=row.timezone,
            state=row.state, guard_tags=[TAG], changed_by="migration 0017",
            note="the sensitive tag a complaint set, dropped by a profile update, is held by the guard again"))


def downgrade() -> None:
    with op.batch_alter_table('customer_versions', schema=None) as batch_op:
        batch_op.drop_column('note')
        batch_op.drop_column('guard_tags')
