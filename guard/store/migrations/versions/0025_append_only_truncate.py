"""the append-only tables refuse TRUNCATE on PostgreSQL

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06

The row triggers of 0002, 0006, 0019 and 0021 refuse UPDATE and DELETE, but TRUNCATE fires no DELETE trigger
(https://www.postgresql.org/docs/current/sql-truncate.html: "TRUNCATE will not fire any ON DELETE triggers that might
exist for the tables. But it will fire ON TRUNCATE triggers"): one statement by the guard's role emptied the decision
log, the outcomes or their chains. A statement trigger on each refuses it as the row triggers refuse a DELETE.
(SQLite, the embedded single-host store, has no TRUNCATE.)
"""
from alembic import op


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

APPEND_ONLY = ("decisions", "decision_chain", "outcomes", "unmatched_outcomes", "outcome_chain", "access_events")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in APPEND_ONLY:  # guard_append_only() (0019) names the table and the statement refused
        op.execute(f"""
            CREATE TRIGGER {table}_no_truncate
            BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION guard_append_only()
        """)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
