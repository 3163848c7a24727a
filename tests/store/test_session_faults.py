"""PostgreSQL sessions that a fault left with settings the server no longer has are not reused after it clears."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from guard.services.ops.jobs import run_job
from guard.store.db import Store, StoreUnavailable
from tests.conftest import _truncate_all


@pytest.fixture
def pg_url(request) -> str:
    url = request.getfixturevalue("pg_template_url")
    _truncate_all(url)
    return url


def _set_database(url: str, setting: str) -> None:
    # From the server's `postgres` database: a session of the faulted one could not lift its own fault.
    engine = create_engine(make_url(url).set(database="postgres"), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{make_url(url).database}" {setting}'))
    engine.dispose()


def test_a_job_runs_again_once_the_database_that_failed_it_is_writable_again(pg_url: str):
    """A session takes the database's settings when it connects. One opened while the database was read-only (a
    failover's standby, `ALTER DATABASE … SET default_transaction_read_only`) or had a tiny statement_timeout went back
    to the pool after its failure and kept that setting after the fault was cleared: the scheduler's jobs (on the
    SQLAlchemy path, not invalidated as the check's raw cursor is) failed at every run until the process restarted.
    A session whose transaction failed for any reason but a lock's bound or a constraint is dropped, not reused."""
    fault = "default_transaction_read_only = on"
    store = Store(pg_url)
    clock = lambda: datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)  # noqa: E731
    try:
        _set_database(pg_url, f"SET {fault}")
        try:
            with pytest.raises(StoreUnavailable):
                run_job(store, "idempotency_keys", clock)
        finally:
            _set_database(pg_url, f"RESET {fault.split(' = ')[0]}")
        assert run_job(store, "idempotency_keys", clock) is not None
    finally:
        store.dispose()


def test_a_request_that_finds_no_free_connection_within_the_bound_is_told_the_store_is_busy(pg_url: str):
    """Every pooled connection held (a small GUARD_DB_POOL_SIZE, each holder waiting behind a table lock): the next
    request waited 5 s for one and then failed with SQLAlchemy's pool TimeoutError, which is no database error, so the
    guard answered 500 instead of 503 (do not dial). It waits GUARD_PG_LOCK_WAIT and is a busy store."""
    import time

    store = Store(pg_url, pool_size=1, lock_wait=0.2)
    try:
        with store.read(), store.read():  # the pool's one connection and its one overflow
            started = time.monotonic()
            with pytest.raises(StoreUnavailable) as raised:
                with store.read():
                    pass
            assert raised.value.busy and time.monotonic() - started < 2
        with store.read():  # free again
            pass
    finally:
        store.dispose()
