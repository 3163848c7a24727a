"""A PostgreSQL store that answers but cannot serve says which failure it is, and readiness follows it.

SQLSTATEs from PostgreSQL's documentation, "Appendix A. PostgreSQL Error Codes": 25006 read_only_sql_transaction,
57014 query_canceled, 55P03 lock_not_available, class 08 connection exception."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from app import create_app
from guard.core.messages import TEMPLATES
from guard.services import audits
from guard.store import audits as audit_store
from guard.store.db import STORE_FAULTS, Store, StoreUnavailable
from tests.conftest import _truncate_all, database_beside, new_key
from tests.pgserver import free_port
from tests.store.test_session_faults import _set_database

READ_ONLY = "default_transaction_read_only"


@pytest.fixture
def pg_url(request) -> str:
    url = request.getfixturevalue("pg_template_url")
    _truncate_all(url)
    return url


def _app(url: str):
    return create_app({"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "CRITICAL", "GUARD_RELOAD_POLL_SECONDS": "0"})


def test_readyz_says_not_ready_and_a_check_says_read_only_while_the_database_is_read_only(pg_url: str):
    """A read-only database (ALTER DATABASE … SET default_transaction_read_only, as a standby after failover is) answered
    /readyz 200 while every check answered 503 "The store cannot be reached": a load balancer kept sending dialers to it."""
    warm = _app(pg_url)
    key = new_key(warm, "dialer")
    assert warm.test_client().get("/readyz").status_code == 200  # its pool holds a session opened while writable
    _set_database(pg_url, f"SET {READ_ONLY} = on")
    try:
        ready = warm.test_client().get("/readyz")
        assert ready.status_code == 503, ready.json
        assert ready.json["error"]["code"] == "STORE_UNAVAILABLE" and ready.json["error"]["details"]["fault"] == "read_only"
        assert "read-only" in ready.json["error"]["message"]
        warm.extensions["guard"].store.engine.dispose()  # its next sessions open read-only, as after a failover
        r = warm.test_client().post("/v1/check", json={"phone": "13800138000", "campaign": "dep-2026q4"}, headers=key)
        assert r.status_code == 503 and r.json["error"]["code"] == "STORE_UNAVAILABLE", r.json
        assert r.json["error"]["details"] == {"store": "unavailable", "fault": "read_only", "sqlstate": "25006"}
        assert "read-only" in r.json["error"]["message"] and "do not dial" in r.json["error"]["message"]
        assert "只读" in r.json["error"]["messages"]["zh-CN"]
        assert "唯讀" in r.json["error"]["messages"]["zh-TW"]  # Taiwan's word for read-only, not the converter's 只讀
    finally:
        _set_database(pg_url, f"RESET {READ_ONLY}")
    try:
        assert warm.test_client().get("/readyz").status_code == 200
    finally:
        warm.extensions["guard"].store.dispose()


def test_each_store_failure_is_named_by_its_sqlstate(pg_url: str):
    store = Store(pg_url, pool_size=1, lock_wait=0.1)
    try:
        with pytest.raises(StoreUnavailable) as timed_out:
            with store.read() as conn:
                conn.execute(text("SET LOCAL statement_timeout = 1"))
                conn.execute(text("SELECT pg_sleep(0.5)"))
        assert (timed_out.value.kind, timed_out.value.sqlstate) == ("statement_timeout", "57014")
        with store.locked(["n:+8613800138000"]):
            with pytest.raises(StoreUnavailable) as waited:
                with store.locked(["n:+8613800138000"]):
                    pass
        assert (waited.value.kind, waited.value.sqlstate, waited.value.busy) == ("lock_wait", "55P03", True)
        with store.read(), store.read():
            with pytest.raises(StoreUnavailable) as exhausted:
                with store.read():
                    pass
        assert exhausted.value.kind == "pool_exhausted" and exhausted.value.busy
    finally:
        store.dispose()
    nowhere = Store(f"postgresql://guard@127.0.0.1:{free_port()}/nowhere")
    try:
        with pytest.raises(StoreUnavailable) as refused:
            nowhere.ping()
        assert refused.value.kind == "connection"
    finally:
        nowhere.dispose()
    empty = Store(database_beside(pg_url, "empty"))  # a database never migrated: 42P01 undefined_table
    try:
        with pytest.raises(StoreUnavailable) as unmigrated:
            empty.ping()
        assert (unmigrated.value.kind, unmigrated.value.sqlstate) == ("not_migrated", "42P01")
    finally:
        empty.dispose()
    for kind in STORE_FAULTS:  # every kind has its message, in the three languages
        key = "error.store_busy" if kind == "lock_wait" else f"error.store_{kind}"
        assert key in TEMPLATES and all(TEMPLATES[key].text(lang) for lang in ("en", "zh-CN", "zh-TW"))


NOW = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)
# Each audit as it is started: a call log (run_call_log) and the decision log (audit_decision_log), both through audits._begin.
AUDITS = {
    "call_log": (("calls.csv", 10), lambda store, audit_id: audits.run_call_log(store, None, audit_id, None, 10, lambda: NOW)),
    "decision_log": (("decisions", None),
                     lambda store, audit_id: audits.audit_decision_log(store, audit_id, NOW - timedelta(days=1), NOW, lambda: NOW)),
}


@pytest.mark.parametrize("kind", sorted(AUDITS))
def test_an_audit_that_meets_a_store_failure_records_that_the_store_failed(pg_url: str, kind: str):
    """An audit whose store failed for a few seconds could not record its failure and showed `running` until the reaper
    failed it 120 s later as a process that "stopped reporting". Its end is retried, and says the store failed. The
    decision-log audit starts as a call-log audit does: its recorder named an undefined `before_end`."""
    (source, size), run = AUDITS[kind]
    writable = Store(pg_url)
    audit_id = audit_store.create(writable, kind, source, size, NOW, "test")
    _set_database(pg_url, f"SET {READ_ONLY} = on")
    store = Store(pg_url)  # its sessions open read-only
    lifted = threading.Timer(0.3, _set_database, (pg_url, f"RESET {READ_ONLY}"))
    lifted.start()
    try:
        with pytest.raises(StoreUnavailable):
            run(store, audit_id)
    finally:
        lifted.join()
        store.dispose()
    found, _ = audit_store.row(writable, audit_id)
    writable.dispose()
    assert found.status == "failed" and "the store failed" in found.error and "read_only" in found.error, found.error
    assert "again" in found.error
