"""What the log says when the store refuses a request: one line of the guard's own, naming the request (its
X-Request-Id), and not the driver's echo of it. psycopg logs "error ignored terminating <Pipeline …>: pipeline aborted"
when a statement inside a pipeline block fails (psycopg `_pipeline.py`, `Pipeline.__exit__`)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import create_engine

from tests.conftest import new_key
from tests.pgserver import allow_decision_inserts, refuse_decision_inserts

AT = "2026-11-23T10:15:00+08:00"
BROKEN = "13800139999"


def test_a_refused_decision_insert_logs_one_line_with_the_request_id_and_no_driver_warning(make_app, store_url, caplog):
    if not store_url.startswith("postgresql"):
        pytest.skip("a trigger refusing the insert and psycopg's pipeline are PostgreSQL's")
    app = make_app(GUARD_ALLOW_CLIENT_TIME="1")
    headers = new_key(app, "dialer")
    client = app.test_client()
    assert client.post("/v1/check", json={"phone": BROKEN, "campaign": "dep-2026q4", "at": AT}, headers=headers).json["allowed"]
    engine = create_engine(store_url)
    with engine.begin() as conn:
        refuse_decision_inserts(conn, BROKEN)
    try:
        caplog.clear()
        with caplog.at_level(logging.INFO):  # gunicorn's level
            r = client.post("/v1/check", json={"phone": BROKEN, "campaign": "dep-2026q4", "at": AT},
                            headers={**headers, "X-Request-Id": "dialer-7.42"})
    finally:
        with engine.begin() as conn:
            allow_decision_inserts(conn)
        engine.dispose()
    assert r.status_code == 503 and r.json["error"]["code"] == "STORE_UNAVAILABLE"
    assert r.headers["X-Request-Id"] == "dialer-7.42"
    records = [x for x in caplog.records if x.levelno >= logging.WARNING]
    assert [x.name for x in records] == ["guard.http.errors"], [x.getMessage() for x in records]
    said = records[0].getMessage()
    assert "\n" not in said and "request dialer-7.42" in said and "could not extend file" in said, said
    assert records[0].request_id == "dialer-7.42" and records[0].route == "/v1/check"


def test_a_request_id_that_could_forge_a_log_line_is_replaced(make_app, store_url):
    if store_url.startswith("postgresql"):
        pytest.skip("HTTP only: the store plays no part")
    client = make_app().test_client()
    given = client.get("/healthz", headers={"X-Request-Id": "a b\u2028forged"}).headers["X-Request-Id"]
    assert len(given) == 32 and given.isalnum()
    assert client.get("/healthz").headers["X-Request-Id"] != given


def test_only_the_pipeline_aborted_echo_is_dropped_not_another_error_of_the_driver():
    def record(second: Exception) -> logging.LogRecord:
        return logging.LogRecord("psycopg", logging.WARNING, __file__, 0, "error ignored terminating %r: %s",
                                 ("<Pipeline>", second), None)

    import psycopg

    from guard.store.db import _PipelineAbortedEcho

    dropped = _PipelineAbortedEcho()
    assert not dropped.filter(record(psycopg.errors.PipelineAborted("pipeline aborted")))
    assert dropped.filter(record(psycopg.OperationalError("consuming input failed: server closed the connection")))
