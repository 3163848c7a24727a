"""Engine, transactions and locks for both stores.

Writes that must be exact under concurrency (a check that allows a call and records the
attempt) run in `Store.locked(keys)`: on PostgreSQL it takes transaction-scoped advisory locks
on each key (sorted, so two requests never wait on each other in opposite orders); on SQLite it
opens the transaction with BEGIN IMMEDIATE, which takes the database's single write lock before
the first read, so the read-decide-write sequence cannot interleave with another writer.

Lock order, so that two transactions never wait on each other in a cycle: number locks (`n:`)
first, in sorted order, then at most one customer lock (`c:`), and nothing after it.
"""

from __future__ import annotations

import hashlib
import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError

from guard.store.queries import FactQueries

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_S = 10


class StoreUnavailable(Exception):
    """The store cannot be reached or used; the caller must not dial (fail closed)."""


def normalise_url(url: str) -> str:
    """Accept `postgres://` and `postgresql://` and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def lock_key(name: str) -> int:
    """A signed 64-bit advisory-lock key for a name such as `n:+8613800138000`."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def _sqlite_engine(url: str, pool_size: int) -> Engine:
    parsed = make_url(url)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
        pool_size=pool_size,
        max_overflow=pool_size,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised on every connect
        # The driver's own transaction handling would BEGIN lazily before the first write;
        # we need BEGIN IMMEDIATE before the first read, so take transactions over.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write_lock") else "BEGIN")

    return engine


def make_engine(url: str, pool_size: int = 8) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url, pool_size)
    if url.startswith("postgresql"):
        return create_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=True,
            pool_timeout=5,
            connect_args={"connect_timeout": 3, "application_name": "guard"},
        )
    raise ValueError(f"unsupported database URL scheme: {url.split(':', 1)[0]}")


class Store:
    def __init__(self, url: str, pool_size: int = 8):
        self.url = normalise_url(url)
        self.engine = make_engine(self.url, pool_size)
        self.dialect = self.engine.dialect.name
        self.queries = FactQueries(self.dialect)
        dbapi = self.engine.dialect.loaded_dbapi
        self._dbapi_error = dbapi.Error
        self._dbapi_integrity = dbapi.IntegrityError

    @contextmanager
    def _transaction(self, write_lock: bool) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                if write_lock and self.dialect == "sqlite":
                    conn = conn.execution_options(write_lock=True)
                try:
                    with conn.begin():
                        yield conn
                except self._dbapi_error as exc:
                    # Raised by the raw cursor of the hot path, which SQLAlchemy does not wrap:
                    # the connection may be broken, so it must not go back to the pool.
                    if not isinstance(exc, self._dbapi_integrity):
                        conn.invalidate()
                    raise
        except IntegrityError:
            raise
        except DBAPIError as exc:
            raise StoreUnavailable(str(exc.orig) if exc.orig else str(exc)) from exc
        except self._dbapi_error as exc:
            if isinstance(exc, self._dbapi_integrity):
                raise
            raise StoreUnavailable(str(exc)) from exc

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read (and ordinary write) transaction, committed on success."""
        with self._transaction(False) as conn:
            yield conn

    @contextmanager
    def locked(self, keys: Iterable[str] = ()) -> Iterator[Connection]:
        """A transaction serialised against every other one holding any of `keys` (more via `lock`)."""
        with self._transaction(True) as conn:
            for key in sorted(set(keys), key=lock_key):
                self.lock(conn, key)
            yield conn

    @staticmethod
    def cursor(conn: Connection) -> Any:
        """The raw DBAPI cursor of the transaction's connection (see guard.store.queries)."""
        return conn.connection.driver_connection.cursor()

    def lock(self, conn: Connection, key: str) -> None:
        """Take one more lock inside a `locked()` transaction (SQLite already holds its write lock)."""
        if self.dialect == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key(key)})

    def lock_raw(self, cur: Any, key: str) -> None:
        if self.dialect == "postgresql":
            self.queries.lock(cur, lock_key(key))

    def ping(self) -> None:
        """Raise StoreUnavailable unless the store answers and is migrated."""
        with self.read() as conn:
            conn.execute(text("SELECT 1 FROM alembic_version"))

    def dispose(self) -> None:
        self.engine.dispose()
