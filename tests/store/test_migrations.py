"""Migrations build the models' schema on both stores, and models and migrations do not drift."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlalchemy.pool import NullPool

from guard.store.migrate import current_revision, head_revision, upgrade
from guard.store.models import Base


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_store(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    server = request.getfixturevalue("pg_server")
    if server is None:
        pytest.skip("TEST_DATABASE_URL given: no throwaway server to create an empty database on")
    return server.create_database("guard_migrations")


def test_an_empty_store_upgrades_to_head_and_matches_the_models(empty_store):
    upgrade(empty_store)
    assert current_revision(empty_store) == head_revision()
    engine = create_engine(empty_store, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert diff == []
    assert {t.name for t in Base.metadata.sorted_tables} <= tables


def test_upgrading_twice_is_harmless(empty_store):
    upgrade(empty_store)
    upgrade(empty_store)
    assert current_revision(empty_store) == head_revision()
