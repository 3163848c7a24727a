"""Alembic environment: the URL comes from the caller (guard.store.migrate), never from a file."""

from alembic import context
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from guard.store.models import Base

# A constant advisory-lock key: two processes upgrading PostgreSQL at once take turns.
MIGRATION_LOCK = 7_305_011_042


def run() -> None:
    url = context.config.attributes["url"]
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        is_pg = conn.dialect.name == "postgresql"
        if is_pg:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK})
            conn.commit()
        try:
            context.configure(
                connection=conn,
                target_metadata=Base.metadata,
                render_as_batch=conn.dialect.name == "sqlite",
                compare_type=True,
                # One transaction per migration, each altering one table: a migration run while
                # the previous release serves holds one table's lock at a time, so it cannot
                # deadlock with a check that reads several tables (one transaction over all of
                # them did, once two migrations touched tables a check reads in another order).
                transaction_per_migration=True,
            )
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if is_pg:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK})
                conn.commit()
    engine.dispose()


run()
