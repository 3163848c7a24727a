"""SQLite durability: an allowed call's attempt must survive a power cut, or a cap could be exceeded after it."""

from __future__ import annotations

from sqlalchemy import text

from guard.store.db import Store


def test_sqlite_commits_are_synced_to_disk_before_they_are_acknowledged(sqlite_url):
    """In WAL mode `synchronous=NORMAL` may lose the last transactions on power loss (SQLite's docs,
    "PRAGMA synchronous"); FULL syncs the WAL at every commit."""
    store = Store(sqlite_url)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA synchronous")).scalar_one() == 2  # 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
            assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
    finally:
        store.dispose()
