"""The decision log is append-only: on PostgreSQL the database itself refuses UPDATE, DELETE and TRUNCATE."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool


def _insert_decision(conn):
    conn.execute(text(
        "INSERT INTO decisions (id, evaluated_at, at, phone_input, phone_e164, campaign, allowed, dry_run, reasons,"
        " pack_id, pack_version, pack_hash, request, facts) VALUES ('d1', now(), now(), '1', '+8613800138000', 'c',"
        " true, false, '[]', 'p', '1', 'h', '{}', '{}')"
    ))


def _empty_decisions(conn):
    """A clean table for the test: its owner lifts the TRUNCATE refusal for this transaction (as tests/conftest.py does)."""
    conn.execute(text("ALTER TABLE decisions DISABLE TRIGGER decisions_no_truncate"))
    conn.execute(text("TRUNCATE decisions"))
    conn.execute(text("ALTER TABLE decisions ENABLE TRIGGER decisions_no_truncate"))


@pytest.mark.parametrize("statement", ["UPDATE decisions SET allowed = false WHERE id = 'd1'", "DELETE FROM decisions WHERE id = 'd1'"])
def test_postgresql_refuses_to_change_or_remove_a_logged_decision(pg_template_url, statement):
    engine = create_engine(pg_template_url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            _empty_decisions(conn)
            _insert_decision(conn)
        with pytest.raises(DBAPIError) as exc, engine.begin() as conn:
            conn.execute(text(statement))
        assert "append-only" in str(exc.value)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT allowed FROM decisions WHERE id = 'd1'")).scalar_one() is True
    finally:
        engine.dispose()


APPEND_ONLY = ("decisions", "decision_chain", "outcomes", "unmatched_outcomes", "outcome_chain", "access_events")


@pytest.mark.parametrize("table", APPEND_ONLY)
def test_postgresql_refuses_to_truncate_an_append_only_table(pg_template_url, table):
    """TRUNCATE fires no DELETE trigger (PostgreSQL, "TRUNCATE": "TRUNCATE will not fire any ON DELETE triggers that might
    exist for the tables. But it will fire ON TRUNCATE triggers", https://www.postgresql.org/docs/current/sql-truncate.html):
    one statement by the guard's role emptied the decision log, or its chain, with every row trigger in place."""
    engine = create_engine(pg_template_url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            _empty_decisions(conn)
            _insert_decision(conn)
        for statement in (f"TRUNCATE {table}", f"TRUNCATE {table} CASCADE", "TRUNCATE " + ", ".join(APPEND_ONLY)):
            with pytest.raises(DBAPIError) as exc, engine.begin() as conn:
                conn.execute(text(statement))
            assert "append-only" in str(exc.value)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM decisions")).scalar_one() == 1
    finally:
        engine.dispose()
