"""`guard db`: migrate the store, print its revision, back it up."""

from __future__ import annotations

from pathlib import Path

import click

from guard.cli.group import guard_group, runtime as _rt
from guard.store.migrate import current_revision, head_revision, upgrade


@guard_group.group("db")
def db() -> None:
    """The store's schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Migrate the store (DATABASE_URL) to the newest schema."""
    url = _rt().settings.database_url
    upgrade(url, revision)
    click.echo(f"store at revision {current_revision(url)}", err=True)


@db.command("current")
def db_current() -> None:
    """Print the store's schema revision and the newest one."""
    click.echo(f"current: {current_revision(_rt().settings.database_url)}\nhead: {head_revision()}")


@db.command("backup")
@click.argument("target", type=click.Path(path_type=Path))
def db_backup(target: Path) -> None:
    """SQLite: copy the store, consistent, while it serves (SQLite's online backup). PostgreSQL: use pg_dump."""
    from guard.store.backup import BackupError, sqlite_backup

    try:
        size = sqlite_backup(_rt().settings.database_url, target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"backed up to {target} ({size} bytes, integrity ok)", err=True)
