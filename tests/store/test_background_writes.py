"""Writes of background work on SQLite (an audit's progress and violations, imports, jobs) take their turn in the
writer queue behind the checks' writers, and wait while others write instead of failing "database is locked"."""

from __future__ import annotations

import multiprocessing as mp
import threading
import time
from datetime import datetime, timezone

import pytest
from sqlalchemy import text

from guard.store import audits as audit_store
from guard.store import db
from guard.store.db import Store

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def short_busy_timeout(monkeypatch):
    # SQLite's own wait for a writer outside the queue, cut from 10 s so that a test sees what it did past it.
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_S", 0.2)


def _hold_write_lock(url: str, held, release) -> None:
    """Another process on the store (a `guard` command beside the server) holding the write lock for a while."""
    store = Store(url)
    with store.locked() as conn:
        conn.execute(text("UPDATE audits SET rows_done = rows_done + 1"))
        held.set()
        release.wait(10)
    store.dispose()


def test_an_audits_progress_waits_for_a_writer_of_another_process_past_the_busy_timeout(sqlite_url, short_busy_timeout):
    # An audit's writes were plain transactions outside the queue: with another process holding the write lock past
    # SQLite's busy timeout, the audit ended `failed` with "database is locked".
    store = Store(sqlite_url)
    audit_id = audit_store.create(store, "call_log", "calls.csv", 10, NOW, "cli")
    ctx = mp.get_context("fork")
    held, release = ctx.Event(), ctx.Event()
    child = ctx.Process(target=_hold_write_lock, args=(sqlite_url, held, release))
    child.start()
    try:
        assert held.wait(10)
        threading.Timer(0.5, release.set).start()
        started = time.monotonic()
        audit_store.ViolationWriter(store, audit_id).flush([], [(3, "no phone")], {"rows_done": 7})
        assert time.monotonic() - started >= 0.4  # it waited for its turn
        assert audit_store.set_status(store, audit_id, status="done")
    finally:
        release.set()
        child.join(10)
    found, rejects = audit_store.row(store, audit_id)
    assert (found.status, found.rows_done, rejects) == ("done", 7, [{"line": 3, "reason": "no phone"}])
    store.dispose()


def test_a_write_that_reads_first_waits_instead_of_failing_at_once(sqlite_url):
    # A plain transaction that read and then wrote while another held the lock failed at once (SQLite does not
    # wait to turn a reading transaction into a writing one); `write` holds the lock from its first statement.
    store = Store(sqlite_url)
    audit_id = audit_store.create(store, "call_log", "calls.csv", 10, NOW, "cli")
    held = threading.Event()

    def hold() -> None:
        with store.locked() as conn:
            conn.execute(text("UPDATE audits SET rows_done = 1"))
            held.set()
            time.sleep(0.3)

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(5)
    with store.write() as conn:
        done = conn.execute(text("SELECT rows_done FROM audits WHERE id = :i"), {"i": audit_id}).scalar_one()
        conn.execute(text("UPDATE audits SET rows_done = :n WHERE id = :i"), {"n": done + 1, "i": audit_id})
    holder.join()
    assert audit_store.row(store, audit_id)[0].rows_done == 2
    store.dispose()


def test_a_checks_writer_goes_before_background_work_waiting_longer(sqlite_url):
    store = Store(sqlite_url)
    held, order = threading.Event(), []

    def hold() -> None:
        with store.locked():
            held.set()
            time.sleep(0.3)

    def background() -> None:
        with store.write():
            order.append("background")

    def check() -> None:
        with store.locked():
            order.append("check")

    threads = [threading.Thread(target=hold), threading.Thread(target=background), threading.Thread(target=check)]
    threads[0].start()
    assert held.wait(5)
    threads[1].start()
    time.sleep(0.05)  # the background writer waits first
    threads[2].start()
    for t in threads:
        t.join(10)
    assert order == ["check", "background"]
    store.dispose()
