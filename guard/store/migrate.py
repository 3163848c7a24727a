"""Alembic, driven from code: `flask --app app guard db upgrade` and the SQLite start-up upgrade."""

from __future__ import annotations

import fcntl
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
