"""`guard db`: migrate the store, print its revision, back it up."""

from __future__ import annotations

from pathlib import Path

import click

from guard.cli.group import NothingDone, guard_group, runtime as _rt
from guard.store.migrate import current_revision, head_revision, missing_sqlite_file, reached_revision, schema_problem, upgrade


@guard_group.group("db")
def db() -> None:
    """The store's schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Migrate the store (DATABASE_URL) to the newest schema; the one command that creates a SQLite store."""
    url = _rt().settings.database_url
    upgrade(url, revision)
    click.echo(f"store at revision {current_revision(url)}", err=True)


@db.command("current")
def db_current() -> None:
    """Print the store's schema revision and the newest one; exit 2 unless the store exists and is at head."""
    url = _rt().settings.database_url
    missing = missing_sqlite_file(url)
    if missing is not None:  # never create it: that would report a new, empty store as the one asked about
        _rt().store.verify()  # says so, naming DATABASE_URL, exit 2 (guard/cli/group.py)
    current = reached_revision(url)  # one that cannot be reached: one line, exit 2
    click.echo(f"current: {current}\nhead: {head_revision()}")
    problem = schema_problem(url, current)
    if problem is not None:
        click.echo(problem, err=True)
        raise SystemExit(2)


@db.command("backup")
@click.argument("target", type=click.Path(path_type=Path))
def db_backup(target: Path) -> None:
    """SQLite: copy the store, consistent, while it serves (SQLite's online backup). PostgreSQL: use pg_dump.

    TARGET must be a new file in an existing directory. Exit 2, and no file left, when nothing was backed up (the
    target exists or its directory does not, the store is missing, never migrated or PostgreSQL, the copy failed).
    """
    from guard.store.backup import BackupError, sqlite_backup

    url = _rt().settings.database_url
    if _rt().settings.is_sqlite:
        if missing_sqlite_file(url) is not None:
            _rt().store.verify()  # a missing store is not backed up as an empty one: says so, exit 2
        current = reached_revision(url)
        if current is None:  # never migrated: nothing of the guard's to back up
            click.echo(schema_problem(url, current), err=True)
            raise SystemExit(2)
        # A store behind this release's head is backed up as it is: that is the copy to take before `guard db upgrade`.
    try:
        size = sqlite_backup(url, target)
    except BackupError as exc:  # a target that exists or has no directory, PostgreSQL, a copy that failed: no backup
        raise NothingDone(str(exc)) from None
    click.echo(f"backed up to {target} ({size} bytes, integrity ok)", err=True)
