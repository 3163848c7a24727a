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


def test_0012_fills_in_the_workflow_stage_of_existing_complaints(empty_store):
    from datetime import datetime, timezone

    from alembic.script import ScriptDirectory
    from sqlalchemy import MetaData, Table, insert, select

    from guard.store.migrate import alembic_config

    before = ScriptDirectory.from_config(alembic_config(empty_store)).get_revision("0012").down_revision
    upgrade(empty_store, before)
    t0 = datetime(2026, 11, 1, 2, 0, tzinfo=timezone.utc)
    common = dict(phone_e164="+8613800138000", customer_id=None, severity="light", category=None, text=None, received_at=t0,
                  created_at=t0, created_by=None, decision_id=None, pack_id="cn-bank", pack_version="2026.4",
                  first_response_due=t0, resolution_due=t0, escalation_due=None, first_response_at=None, overdue_at=None, effects={})
    engine = create_engine(empty_store, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            complaints = Table("complaints", MetaData(), autoload_with=conn)
            conn.execute(insert(complaints), [
                {**common, "id": "fresh", "resolved_at": None, "escalated_at": None},
                {**common, "id": "escalated", "resolved_at": None, "escalated_at": t0},
                {**common, "id": "resolved", "resolved_at": t0, "escalated_at": None, "first_response_at": t0},
            ])
        upgrade(empty_store)
        with engine.connect() as conn:
            complaints = Table("complaints", MetaData(), autoload_with=conn)
            stages = dict(conn.execute(select(complaints.c.id, complaints.c.stage)).all())
            due = conn.execute(select(complaints.c.callback_due).where(complaints.c.id == "resolved")).scalar_one()
    finally:
        engine.dispose()
    # Resolved before callbacks existed: no callback is due (closed), rather than a flood of late callbacks.
    assert stages == {"fresh": "new", "escalated": "escalated", "resolved": "closed"} and due is None
