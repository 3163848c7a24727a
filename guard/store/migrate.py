"""Alembic, driven from code: `flask --app app guard db upgrade` and the SQLite start-up upgrade."""

from __future__ import annotations

import fcntl
import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from guard.store.db import create_private, normalise_url

MIGRATIONS = Path(__file__).parent / "migrations"


class _ContextLines(logging.Filter):
    """Drop Alembic's "Context impl SQLiteImpl." and "Will assume non-transactional DDL." lines: every server process
    migrates at its start (GUARD_AUTO_MIGRATE), so each worker wrote both at INFO on every start, with nothing to
    migrate, and an operator read them as migrations run. "Running upgrade 0034 -> 0035" (a migration that did run)
    stays."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg not in ("Context impl %s.", "Will assume %s DDL.")


logging.getLogger("alembic.runtime.migration").addFilter(_ContextLines())


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["url"] = normalise_url(url)
    return cfg


@contextmanager
def _sqlite_file_lock(url: str) -> Iterator[None]:
    """Several gunicorn workers start at once; only one may migrate the SQLite file."""
    database = make_url(url).database
    if not database or database == ":memory:":
        yield
        return
    create_private(database)
    create_private(database + ".migrate-lock")
    with open(database + ".migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade(url: str, revision: str = "head") -> None:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        with _sqlite_file_lock(url):
            command.upgrade(alembic_config(url), revision)
    else:
        command.upgrade(alembic_config(url), revision)  # env.py takes an advisory lock


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(url: str) -> str | None:
    engine = create_engine(normalise_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


UPGRADE_COMMAND = "flask --app app guard db upgrade"


def shown_url(url: str) -> str:
    """DATABASE_URL as an operator may see it in a message: the password hidden."""
    return make_url(normalise_url(url)).render_as_string(hide_password=True)


def missing_sqlite_file(url: str) -> str | None:
    """The SQLite file `url` names when it does not exist (None for PostgreSQL, in-memory, or a file that exists)."""
    url = normalise_url(url)
    if not url.startswith("sqlite"):
        return None
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:") or Path(database).exists():
        return None
    return database


def schema_problem(url: str, current: str | None) -> str | None:
    """Why a store at revision `current` cannot be used by this release (never migrated, or behind its head), in one
    line naming DATABASE_URL and the command to run; None when it is at head, or at a revision this release does not
    know (a newer release migrated it: migrations are additive, so this one still reads it, as during a rolling
    upgrade)."""
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = scripts.get_current_head()
    if current == head:
        return None
    if current is None:
        return f"DATABASE_URL={shown_url(url)} is not a migrated store (no schema revision; this release needs {head}): " \
               f"check the setting, or run `{UPGRADE_COMMAND}`"
    try:
        known = scripts.get_revision(current) is not None
    except Exception:  # alembic: an unknown revision id
        known = False
    if not known:
        return None
    return f"DATABASE_URL={shown_url(url)} is at schema revision {current}, behind this release's {head}: run `{UPGRADE_COMMAND}`"


def require_migrated(url: str) -> None:
    """Raise StoreUnavailable unless the store `url` names exists and is migrated to this release's head (or beyond).

    A `guard` command other than `db upgrade` must not create a store: a mistyped DATABASE_URL would otherwise be
    created, migrated and reported on as if it were the bank's (an empty decision log verifies as intact)."""
    from guard.store.db import StoreUnavailable

    missing = missing_sqlite_file(url)
    if missing is not None:
        raise StoreUnavailable(f"DATABASE_URL={shown_url(url)}: no such file ({missing}): check the setting, "
                               f"or create the store with `{UPGRADE_COMMAND}`", kind="not_migrated")
    problem = schema_problem(url, reached_revision(url))
    if problem is not None:
        raise StoreUnavailable(problem, kind="not_migrated")


def reached_revision(url: str) -> str | None:
    """current_revision of a store that must answer: StoreUnavailable, naming DATABASE_URL, when it cannot be reached."""
    from sqlalchemy.exc import DBAPIError

    from guard.store.db import unavailable_from

    try:
        return current_revision(url)
    except DBAPIError as exc:
        raise unavailable_from(f"DATABASE_URL={shown_url(url)}: {exc.orig if exc.orig is not None else exc}", exc.orig) from exc
