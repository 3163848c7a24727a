"""Shared fixtures: real SQLite and real PostgreSQL stores, apps on either, keys, pack dirs.

Store-touching tests take the `store_url` fixture, parametrised over both stores. Each test
gets a clean store: SQLite from a copy of a migrated template file, PostgreSQL by truncating
every table of a database migrated once per session.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from guard.store.migrate import upgrade
from guard.store.models import Base
from tests.pgserver import PgServer, recreate_database

ROOT = Path(__file__).resolve().parent.parent
PACKS = ROOT / "policies" / "packs"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer | None]:
    if os.environ.get("TEST_DATABASE_URL"):
        yield None
        return
    server = PgServer()
    server.start()
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture(scope="session")
def pg_template_url(pg_server: PgServer | None) -> str:
    given = os.environ.get("TEST_DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, … when pytest-xdist runs several test processes
    if given is None:
        url = pg_server.create_database("guard_test")  # type: ignore[union-attr]
    elif worker is None:
        url = given
    else:  # each process its own database on that server, as each test truncates it
        url = database_beside(given, worker)
    upgrade(url)
    return url


def database_beside(url: str, suffix: str) -> str:
    """A fresh database named `<url's database>_<suffix>` on the server of `url` (dropped first if it
    exists); its URL."""
    from sqlalchemy.engine import make_url

    given = make_url(url)
    name = f"{given.database}_{suffix}"
    recreate_database(given.set(drivername="postgresql").render_as_string(hide_password=False), name)
    return given.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "guard.db"
    upgrade(f"sqlite:///{path}")
    return path


APPEND_ONLY_TABLES = ("decisions", "decision_chain", "outcomes", "unmatched_outcomes", "outcome_chain", "access_events")


def _truncate_all(url: str) -> None:
    engine = create_engine(url, poolclass=NullPool)
    names = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        # The append-only tables refuse TRUNCATE (migration 0025): their owner lifts that for this transaction only.
        for table in APPEND_ONLY_TABLES:
            conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {table}_no_truncate"))
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
        for table in APPEND_ONLY_TABLES:
            conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER {table}_no_truncate"))
        conn.execute(text("INSERT INTO config_generation (id, n) VALUES (1, 0)"))  # as migration 0015 leaves it
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A clean, migrated store of each kind."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        target = tmp_path / "guard.db"
        shutil.copyfile(template, target)
        return f"sqlite:///{target}"
    url = request.getfixturevalue("pg_template_url")
    _truncate_all(url)
    return url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_store_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A clean, migrated store of each kind shared by a module's tests: for sweeps of requests that each assert their
    own answer whatever the store holds (PostgreSQL: a database of the module's own, beside the one store_url empties
    for every test)."""
    name = request.module.__name__.rsplit(".", 1)[-1]
    if request.param == "sqlite":
        target = tmp_path_factory.mktemp(name) / "guard.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        return f"sqlite:///{target}"
    url = database_beside(request.getfixturevalue("pg_template_url"), name)
    upgrade(url)
    return url


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    target = tmp_path / "guard.db"
    shutil.copyfile(sqlite_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def runner(sqlite_url: str):
    """The command line on a fresh SQLite store, run as `flask --app app guard …` runs it (inside the app's context)."""
    from app import create_app

    app = create_app({"DATABASE_URL": sqlite_url, "GUARD_LOG_LEVEL": "WARNING"})
    with app.app_context():
        yield app.test_cli_runner()
    app.extensions["guard"].store.dispose()


class Clock:
    """A settable clock for tests that need the server's 'now' (not a stand-in for our code)."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def make_app(store_url: str) -> Callable[..., Any]:
    from app import create_app

    apps = []

    def build(**overrides: Any):
        config = {"DATABASE_URL": store_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "WARNING", "GUARD_RELOAD_POLL_SECONDS": "0"}
        config.update(overrides)
        app = create_app(config)
        apps.append(app)
        return app

    yield build
    dispose_apps(apps)


def dispose_apps(apps: list[Any]) -> None:
    """Close the apps' stores, once the audits they started in background threads have finished (a thread still
    running would open a connection on the disposed engine that nothing ever closes)."""
    import threading

    for thread in threading.enumerate():
        if thread.name.startswith("audit-"):
            thread.join(30)
    for app in apps:
        app.extensions["guard"].store.dispose()


def new_key(app: Any, *roles: str) -> dict[str, str]:
    from guard.services.ops.keys import create_key

    rt = app.extensions["guard"]
    return {"Authorization": "Bearer " + create_key(rt.store, list(roles), rt.clock())}


@pytest.fixture
def sim_app(make_app):
    """An app judging checks at the client's `at` (GUARD_ALLOW_CLIENT_TIME), with a dialer+operator key."""
    app = make_app(GUARD_ALLOW_CLIENT_TIME="1")
    return app
