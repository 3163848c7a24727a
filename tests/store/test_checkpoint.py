"""SQLite checkpoints run in the background, not inside a writer's commit (guard/store/db.py, Checkpointer)."""

from __future__ import annotations

import os
import time

from sqlalchemy import text

from guard.store.db import BACKSTOP_CHECKPOINT_PAGES, Store


def _write_pages(store: Store, rows: int) -> None:
    with store.locked() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS ballast (id INTEGER PRIMARY KEY, pad TEXT)"))
    for lo in range(0, rows, 500):
        with store.locked() as conn:
            conn.execute(text("INSERT INTO ballast (pad) VALUES (:pad)"), [{"pad": "x" * 3000}] * 500)


def test_the_wal_is_copied_into_the_database_in_the_background(sqlite_url):
    store = Store(sqlite_url)
    path = store.engine.url.database
    try:
        with store.read() as conn:
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == BACKSTOP_CHECKPOINT_PAGES
        before = os.path.getsize(path)
        _write_pages(store, 2000)  # ~1,500 pages: past SQLite's default threshold, far below the backstop
        deadline = time.monotonic() + 5
        while os.path.getsize(path) < before + 4_000_000 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert os.path.getsize(path) >= before + 4_000_000, "no checkpoint copied the WAL into the database file"
        thread = store._checkpointer._thread
        assert thread.is_alive()
    finally:
        store.dispose()
    assert not thread.is_alive()  # disposing the store stops its checkpointer


def test_without_the_background_thread_the_commits_would_not_checkpoint(sqlite_url):
    # The control: the same writes with the checkpointer stopped leave the database file as it was,
    # so the test above measures the background thread, not SQLite's own threshold.
    store = Store(sqlite_url)
    path = store.engine.url.database
    try:
        store._checkpointer.stop()
        before = os.path.getsize(path)
        _write_pages(store, 2000)
        time.sleep(1.5)
        assert os.path.getsize(path) == before
    finally:
        store.dispose()
