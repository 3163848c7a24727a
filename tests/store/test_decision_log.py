"""The decision log is append-only: on PostgreSQL the database itself refuses UPDATE and DELETE."""

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


@pytest.mark.parametrize("statement", ["UPDATE decisions SET allowed = false WHERE id = 'd1'", "DELETE FROM decisions WHERE id = 'd1'"])
def test_postgresql_refuses_to_change_or_remove_a_logged_decision(pg_template_url, statement):
    engine = create_engine(pg_template_url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(text("TRUNCATE decisions"))
            _insert_decision(conn)
        with pytest.raises(DBAPIError) as exc, engine.begin() as conn:
            conn.execute(text(statement))
        assert "append-only" in str(exc.value)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT allowed FROM decisions WHERE id = 'd1'")).scalar_one() is True
    finally:
        engine.dispose()
