"""A consistent copy of a SQLite store while it serves (SQLite's online backup API), integrity-checked.
PostgreSQL is backed up with its own tools (pg_dump), see the README's deployment guide."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    pass


def sqlite_backup(url: str, target: Path) -> int:
    """Copy the SQLite store at `url` to `target` (a new file); return its size in bytes."""
    if not url.startswith("sqlite"):
        raise BackupError("the store is PostgreSQL: back it up with pg_dump -Fc (see the README's deployment guide)")
    # Created here, new and readable by its owner only, as the store itself is (guard.store.db.create_private):
    # the copy holds the same personal data, and the umask's mode (0644 under the usual 022) would let every
    # user of the host read it.
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600))
    except FileExistsError:
        raise BackupError(f"{target} exists; give a new file") from None
    except OSError as exc:
        raise BackupError(f"cannot create {target}: {exc.strerror}") from None
    source = sqlite3.connect(make_url(url).database, timeout=30)
    copy = sqlite3.connect(target)
    try:
        # In one step: the copy is read in one read transaction, a snapshot that the WAL lets the guard's writers go on
        # beside. Copied in steps, any write by another connection between two steps starts the copy again from its
        # first page, so on a store taking checks (a commit every few milliseconds) it never ended.
        source.backup(copy)
        ok = copy.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        copy.close()
        source.close()
    if ok != "ok":
        raise BackupError(f"the copy fails its integrity check: {ok}")
    return target.stat().st_size
