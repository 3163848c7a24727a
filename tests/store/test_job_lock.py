"""The scheduled jobs' database lock on PostgreSQL: another scheduler takes a job over from one that stopped mid-run."""

from __future__ import annotations

import threading

import pytest

from guard.store import jobs as job_store
from guard.store.db import Store, StoreUnavailable
from tests.conftest import _truncate_all


@pytest.fixture
def pg_url(request) -> str:
    url = request.getfixturevalue("pg_template_url")
    _truncate_all(url)
    return url


def test_a_scheduler_frozen_mid_run_loses_the_job_lock_and_another_takes_the_job_over(pg_url):
    """A scheduler whose host froze or lost power mid-run leaves its transaction open on the server (its TCP connection is
    not closed): the server ends the idle transaction after the job's idle timeout, so the other host's scheduler runs the
    job instead of skipping it for hours; the frozen run's work is rolled back (it fails when it wakes)."""
    frozen_store, other = Store(pg_url), Store(pg_url)
    holding, woke = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def frozen_runner() -> None:
        try:
            with frozen_store.locked() as conn:
                assert job_store.try_lock(frozen_store, conn, "complaint_sla", idle_timeout=0.2)
                holding.set()
                woke.wait(5)  # frozen: no statement sent
        except StoreUnavailable as e:
            failures.append(e)

    runner = threading.Thread(target=frozen_runner)
    runner.start()
    try:
        assert holding.wait(5)
        with other.locked() as conn:
            assert job_store.try_lock(other, conn, "complaint_sla") is False  # the run under way holds it
        taken = False
        for _ in range(50):
            with other.locked() as conn:
                taken = job_store.try_lock(other, conn, "complaint_sla")
            if taken:
                break
            threading.Event().wait(0.05)
        assert taken
    finally:
        woke.set()
        runner.join()
        frozen_store.dispose()
        other.dispose()
    assert len(failures) == 1 and "idle-in-transaction" in str(failures[0])
