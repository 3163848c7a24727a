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


def test_0017_has_the_guard_hold_the_sensitive_tag_complaints_set_and_puts_back_one_a_put_dropped(empty_store):
    from datetime import datetime, timezone

    from sqlalchemy import MetaData, Table, insert, select

    upgrade(empty_store, "0016")
    t0 = datetime(2026, 11, 1, 2, 0, tzinfo=timezone.utc)
    t1 = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)
    complaint = dict(phone_e164=None, severity="light", category=None, text=None, received_at=t0, created_at=t0, created_by=None,
                     decision_id=None, pack_id="cn-bank", pack_version="2026.4", first_response_due=t0, resolution_due=t0,
                     escalation_due=None, first_response_at=None, overdue_at=None, resolved_at=None, escalated_at=None)
    version = dict(phones=[], risk_level="C3", risk_assessed_at=None, windows=[], timezone=None, changed_by="k", state=None)
    engine = create_engine(empty_store, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            complaints = Table("complaints", MetaData(), autoload_with=conn)
            versions = Table("customer_versions", MetaData(), autoload_with=conn)
            conn.execute(insert(complaints), [
                {**complaint, "id": "c1", "customer_id": "KEPT", "effects": {"tagged_sensitive": True}},
                {**complaint, "id": "c2", "customer_id": "DROPPED", "effects": {"tagged_sensitive": True}},
                {**complaint, "id": "c3", "customer_id": "CRM", "effects": {"tagged_sensitive": False}},
            ])
            conn.execute(insert(versions), [
                {**version, "customer_id": "KEPT", "valid_from": t0, "valid_to": None, "tags": ["sensitive", "vip"]},
                {**version, "customer_id": "DROPPED", "valid_from": t0, "valid_to": t1, "tags": ["sensitive"]},
                {**version, "customer_id": "DROPPED", "valid_from": t1, "valid_to": None, "tags": ["vip"]},
                {**version, "customer_id": "CRM", "valid_from": t0, "valid_to": None, "tags": ["sensitive"]},
            ])
        upgrade(empty_store)
        with engine.connect() as conn:
            versions = Table("customer_versions", MetaData(), autoload_with=conn)
            rows = conn.execute(select(versions).order_by(versions.c.id)).all()
    finally:
        engine.dispose()
    current = {r.customer_id: r for r in rows if r.valid_to is None}
    assert (current["KEPT"].tags, current["KEPT"].guard_tags) == (["sensitive", "vip"], ["sensitive"])
    assert (current["DROPPED"].tags, current["DROPPED"].guard_tags) == (["sensitive", "vip"], ["sensitive"])
    assert current["DROPPED"].changed_by == "migration 0017" and current["DROPPED"].note
    assert (current["CRM"].tags, current["CRM"].guard_tags) == (["sensitive"], [])  # the CRM's own, not a complaint's
    assert len(rows) == 5 and [r.guard_tags for r in rows if r.valid_to is not None] == [[], []]


def test_0018_marks_the_complaints_whose_step_was_recorded_late(empty_store):
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import MetaData, Table, insert, select

    from guard.store.models import Complaint

    upgrade(empty_store, "0017")
    t0 = datetime(2026, 11, 1, 2, 0, tzinfo=timezone.utc)
    due = t0 + timedelta(minutes=30)
    common = dict(phone_e164="+8613800138000", customer_id=None, severity="severe", category=None, text=None, received_at=t0,
                  created_at=t0, created_by=None, decision_id=None, pack_id="cn-bank", pack_version="2026.4", effects={},
                  first_response_due=None, resolution_due=t0 + timedelta(days=15), escalation_due=due, first_response_at=None,
                  resolved_at=None, overdue_at=None, stage="escalated", next_due_at=t0 + timedelta(days=15))
    engine = create_engine(empty_store, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            complaints = Table("complaints", MetaData(), autoload_with=conn)
            for row in [
                {**common, "id": "late", "escalated_at": due + timedelta(minutes=20)},
                {**common, "id": "on_time", "escalated_at": due - timedelta(minutes=1)},
                {**common, "id": "marked", "escalated_at": due + timedelta(hours=2), "overdue_at": due + timedelta(hours=1)},
                {**common, "id": "callback_late", "escalated_at": t0, "resolved_at": t0 + timedelta(hours=1), "stage": "callback_done",
                 "callback_due": t0 + timedelta(days=7), "callback_at": t0 + timedelta(days=9), "callback_result": "satisfied",
                 "next_due_at": None},
                # resolved without the escalation it was due: the resolution settles that deadline as missed
                {**common, "id": "resolved_unescalated", "escalated_at": None, "resolved_at": due + timedelta(hours=3),
                 "stage": "closed", "next_due_at": None},
            ]:
                conn.execute(insert(complaints), row)  # one by one: the rows have different columns
        upgrade(empty_store)
        with engine.connect() as conn:
            complaints = Complaint.__table__  # read through the models' UTC type
            marks = {r.id: (r.overdue_at, r.callback_overdue_at)
                     for r in conn.execute(select(complaints.c.id, complaints.c.overdue_at, complaints.c.callback_overdue_at))}
    finally:
        engine.dispose()
    assert marks == {"late": (due, None), "on_time": (None, None), "marked": (due + timedelta(hours=1), None),
                     "callback_late": (None, t0 + timedelta(days=7)), "resolved_unescalated": (due, None)}


def test_0024_counts_the_runs_recorded_before_it_and_a_scrape_no_longer_counts_the_history_of_runs(empty_store):
    """/metrics read the jobs' figures by counting `job_runs` at every scrape: a year of runs from two schedulers (4.2
    million rows) took 4.5 s per scrape on SQLite and 1.3 s on PostgreSQL, growing without end. The totals are kept as
    runs are recorded; the runs recorded before the upgrade are counted once by the migration."""
    from datetime import datetime, timedelta, timezone

    from alembic.script import ScriptDirectory
    from sqlalchemy import MetaData, Table, event, insert

    from guard.store import jobs as job_store
    from guard.store.db import Store
    from guard.store.migrate import alembic_config

    before = ScriptDirectory.from_config(alembic_config(empty_store)).get_revision("0024").down_revision
    upgrade(empty_store, before)
    t0 = datetime(2026, 11, 1, 2, 0, tzinfo=timezone.utc)
    history = [{"job": job, "runner": "host-a:1", "started_at": t0 + timedelta(minutes=i), "finished_at": t0 + timedelta(minutes=i),
                "result": {}} for i, job in enumerate(["complaint_sla", "decision_chain", "complaint_sla", "complaint_sla"])]
    engine = create_engine(empty_store, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(insert(Table("job_runs", MetaData(), autoload_with=conn)), history)
    finally:
        engine.dispose()
    upgrade(empty_store)

    store = Store(empty_store)
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda conn, cur, sql, *rest: statements.append(sql))
    try:
        summary = job_store.run_summary(store)
        assert summary == [("complaint_sla", 3, t0 + timedelta(minutes=3)), ("decision_chain", 1, t0 + timedelta(minutes=1))]
        assert [s for s in statements if "job_runs" in s] == []  # the history of runs is not read at a scrape
        late = t0 + timedelta(days=1)
        with store.locked() as conn:
            job_store.record_run(conn, "complaint_sla", "host-b:2", late, late, {})
            job_store.record_run(conn, "audit_reaper", "host-b:2", late, late, {})
        with store.locked() as conn:  # a run whose clock lags (another host) does not move the last run back
            job_store.record_run(conn, "complaint_sla", "host-a:1", t0, t0, {})
        assert job_store.run_summary(store) == [("audit_reaper", 1, late), ("complaint_sla", 5, late),
                                                ("decision_chain", 1, t0 + timedelta(minutes=1))]
    finally:
        store.dispose()


def test_a_start_with_nothing_to_migrate_logs_no_alembic_context_lines(sqlite_url, caplog):
    # Every gunicorn worker upgrades at its start: each wrote "Context impl SQLiteImpl." and "Will assume
    # non-transactional DDL." at INFO, a migration's look with no migration run.
    import logging

    with caplog.at_level(logging.INFO):
        upgrade(sqlite_url)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("alembic")] == []
    ran = logging.LogRecord("alembic.runtime.migration", logging.INFO, __file__, 0, "Running upgrade %s -> %s, %s",
                            ("0034", "0035", "notes"), None)
    assert all(f.filter(ran) for f in logging.getLogger("alembic.runtime.migration").filters)
