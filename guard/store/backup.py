"""A consistent copy of a SQLite store while it serves (SQLite's online backup API), integrity-checked.
PostgreSQL is backed up with its own tools (pg_dump), see the README's deployment guide."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    pass


def sqlite_backup(url: str, target: Path) -> int:
    """Copy the SQLite store at `url` to `target` (a new file); return its size in bytes."""
    if not url.startswith("sqlite"):
        raise BackupError("the store is PostgreSQL: back it up with pg_dump -Fc (see the README's deployment guide)")
    if target.exists():
        raise BackupError(f"{target} exists; give a new file")
    source = sqlite3.connect(make_url(url).database, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy, pages=1024)
        ok = copy.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        copy.close()
        source.close()
    if ok != "ok":
        raise BackupError(f"the copy fails its integrity check: {ok}")
    return target.stat().st_size
