"""a generation number of the configuration, moved by every change of it

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02

`config_generation` holds one row whose `n` goes up with every statement that changes the
configuration a check reads (`config_campaigns`, `config_products`, `scripts`), whoever issues it:
triggers move it, so no writer can forget. The pre-call check keeps the configuration in memory
and reads `n` under its locks with the facts it reads anyway; a different `n` means its copy is
stale, and it reads the configuration again before deciding (`guard.store.facts.CatalogCache`).
"""
from alembic import op
import sqlalchemy as sa

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TABLES = ("config_campaigns", "config_products", "scripts")
OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    op.create_table(
        "config_generation",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
    )
    op.execute("INSERT INTO config_generation (id, n) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION guard_config_generation_bump() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE config_generation SET n = n + 1 WHERE id = 1;
                RETURN NULL;
            END;
            $$
            """
        )
        for table in TABLES:
            op.execute(f"CREATE TRIGGER {table}_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION guard_config_generation_bump()")
        return
    for table in TABLES:
        for operation in OPERATIONS:
            op.execute(f"CREATE TRIGGER {table}_generation_{operation.lower()} AFTER {operation} ON {table} "
                       "BEGIN UPDATE config_generation SET n = n + 1 WHERE id = 1; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_generation ON {table}")
        op.execute("DROP FUNCTION guard_config_generation_bump()")
    else:
        for table in TABLES:
            for operation in OPERATIONS:
                op.execute(f"DROP TRIGGER {table}_generation_{operation.lower()}")
    op.drop_table("config_generation")
