"""the configuration's generation takes a value never held before, even after a restore

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07

Migration 0015's triggers moved `config_generation.n` by one per statement. A restore (pg_restore, psql of a plain
dump) puts back the `n` of the backup; the next changes counted up from it again, through the very numbers a running
process had already seen with another configuration. Such a process read an `n` equal to the one of its copy and
kept judging checks by the configuration the restore had removed (a campaign restored to need an approved script was
allowed without one). Each change now sets `n` to the database clock's microseconds since 1970 (SQLite: milliseconds'
precision, in microseconds), or to `n + 1` when that is not more: after a restore, the first change moves `n` past
every value handed out before it, so a process's copy can match only the configuration it was read from.
"""
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

TABLES = ("config_campaigns", "config_products", "scripts")
OPERATIONS = ("INSERT", "UPDATE", "DELETE")

PG_BUMP = {
    "0015": "UPDATE config_generation SET n = n + 1 WHERE id = 1;",
    "0029": "UPDATE config_generation SET n = GREATEST(n + 1, CAST(floor(extract(epoch FROM clock_timestamp()) * 1000000) AS BIGINT)) "
            "WHERE id = 1;",
}
SQLITE_BUMP = {
    "0015": "UPDATE config_generation SET n = n + 1 WHERE id = 1;",
    "0029": "UPDATE config_generation SET n = MAX(n + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) * 1000) "
            "WHERE id = 1;",
}


def _install(revision: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE OR REPLACE FUNCTION guard_config_generation_bump() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                {PG_BUMP[revision]}
                RETURN NULL;
            END;
            $$
            """
        )
        return
    for table in TABLES:
        for operation in OPERATIONS:
            name = f"{table}_generation_{operation.lower()}"
            op.execute(f"DROP TRIGGER {name}")
            op.execute(f"CREATE TRIGGER {name} AFTER {operation} ON {table} BEGIN {SQLITE_BUMP[revision]} END")


def upgrade() -> None:
    _install("0029")


def downgrade() -> None:
    _install("0015")
