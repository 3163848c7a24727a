"""A consistent copy of a SQLite store while it serves (SQLite's online backup API), integrity-checked.
PostgreSQL is backed up with its own tools (pg_dump), see the README's deployment guide."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    pass


def sqlite_backup(url: str, target: Path) -> int:
    """Copy the SQLite store at `url` to `target` (a new file); return its size in bytes."""
    if not url.startswith("sqlite"):
        raise BackupError("the store is PostgreSQL: back it up with pg_dump -Fc (see the README's deployment guide)")
    # Refused before any page is copied: a target that exists (never overwritten) or whose directory is missing.
    if os.path.lexists(target):
        raise BackupError(f"{target} exists; give a new file")
    if not Path(os.path.realpath(target)).parent.is_dir():
        raise BackupError(f"cannot create {target}: no such directory {Path(os.path.realpath(target)).parent}")
    # Copied into a file beside the target, new and readable by its owner only, as the store itself is
    # (guard.store.db.create_private): the copy holds the same personal data. It takes the target's name only once it is
    # whole and passes its integrity check: a full disk or Ctrl-C part way leaves no file that reads as a backup.
    try:
        fd, partial = tempfile.mkstemp(dir=Path(os.path.realpath(target)).parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise BackupError(f"cannot create {target}: {exc.strerror}") from None
    os.close(fd)
    try:
        source = sqlite3.connect(make_url(url).database, timeout=30)
        copy = sqlite3.connect(partial)
        try:
            # In one step: the copy is read in one read transaction, a snapshot that the WAL lets the guard's writers go
            # on beside. Copied in steps, any write by another connection between two steps starts the copy again from
            # its first page, so on a store taking checks (a commit every few milliseconds) it never ended.
            source.backup(copy)
            ok = copy.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.Error as exc:
            raise BackupError(f"cannot write {target}: {exc}; no backup was left") from None
        finally:
            copy.close()
            source.close()
        if ok != "ok":
            raise BackupError(f"the copy fails its integrity check: {ok}; no backup was left")
        try:
            os.link(partial, target)  # never over a file made meanwhile, as O_EXCL
        except FileExistsError:
            raise BackupError(f"{target} exists; give a new file") from None
        except OSError as exc:
            raise BackupError(f"cannot create {target}: {exc.strerror}") from None
    finally:
        Path(partial).unlink(missing_ok=True)
    return target.stat().st_size
