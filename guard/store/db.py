"""Engine, transactions and locks for both stores.

Writes that must be exact under concurrency (a check that allows a call and records the
attempt) run in `Store.locked(keys)`: on PostgreSQL it takes transaction-scoped advisory locks
on each key (in lock order, so two requests never wait on each other in opposite orders); on
SQLite it opens the transaction with BEGIN IMMEDIATE, which takes the database's single write
lock before the first read, so the read-decide-write sequence cannot interleave with another writer.

Lock order, so that two transactions never wait on each other in a cycle (`guard.store.sql`):
an outcome's decision (`o:`), then numbers (`n:`), then customers (`c:`), each kind by key. A
transaction that learns of a lock it needs only after taking later ones (a check finding the
number's owner) takes it only if it comes later in the order or is free (`FactsReader.lock_call`).
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote
from typing import Any, Iterable, Iterator

from sqlalchemy import Connection, Engine, create_engine, event, text  # noqa: F401 - Connection: the type services name
from sqlalchemy.engine import make_url
from sqlalchemy import exc
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from guard.store.facts import FactsReader, lock_statement
from guard.store.sql import Dialect, in_lock_order, lock_key  # noqa: F401 - lock_key is part of this module's API

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_S = 10


class _PipelineAbortedEcho(logging.Filter):
    """Drop psycopg's "error ignored terminating <Pipeline …>: pipeline aborted" warning. It is logged when a statement
    of a pipeline block (`conn.pipeline()`: a check's locks and reads, its decision's insert and commit) fails: leaving
    the block syncs the pipeline, which the failed statement has aborted, and psycopg logs that second error before the
    first goes on up (psycopg `_pipeline.py`, `Pipeline.__exit__`). The first error is the one the guard reports (a 503
    STORE_UNAVAILABLE, logged with its request id); "pipeline aborted" says nothing more, and a WARNING line of the
    driver's naming a pipeline object, just before the guard's own ERROR, sent operators after the wrong fault. A
    different second error (the connection lost while syncing) is news, and stays."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg != "error ignored terminating %r: %s" or not isinstance(record.args, tuple) or len(record.args) != 2:
            return True
        return type(record.args[1]).__name__ != "PipelineAborted"


logging.getLogger("psycopg").addFilter(_PipelineAbortedEcho())


class StoreUnavailable(Exception):
    """The store cannot be reached or used; the caller must not dial (fail closed). `busy`: the store answers, but a lock
    the request needs was held past its bound (SQLite's write lock, GUARD_SQLITE_WRITE_WAIT; a PostgreSQL advisory lock,
    GUARD_PG_LOCK_WAIT): another request of the same number or customer, or a stalled session, holds it."""

    def __init__(self, message: str, busy: bool = False, kind: str | None = None, sqlstate: str | None = None):
        super().__init__(message)
        self.busy = busy
        # What failed, for the operator reading the 503 (STORE_FAULTS): from the SQLSTATE when the database gave one.
        self.kind = kind or ("lock_wait" if busy else "unavailable")
        self.sqlstate = sqlstate


LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE when lock_timeout ends a wait

# The kinds of store failure a 503 STORE_UNAVAILABLE names (message `error.store_<kind>`, `details.store`), each from
# PostgreSQL's SQLSTATE (PostgreSQL documentation, "Appendix A. PostgreSQL Error Codes"): the code stays
# STORE_UNAVAILABLE (do not dial) whichever it is.
STORE_FAULTS = ("read_only", "statement_timeout", "lock_wait", "pool_exhausted", "connection", "not_migrated", "unavailable")


def fault_kind(sqlstate: str | None) -> str:
    """The kind of store failure a SQLSTATE names: 25006 read_only_sql_transaction (a read-only database, a standby
    after failover), 57014 query_canceled (statement_timeout), 55P03 lock_not_available (lock_timeout,
    GUARD_PG_LOCK_WAIT), 42P01 undefined_table (not migrated), class 08 connection exceptions and 57P01-57P03 (the server
    shutting down or starting)."""
    if not sqlstate:
        return "unavailable"
    if sqlstate == "25006":
        return "read_only"
    if sqlstate == "57014":
        return "statement_timeout"
    if sqlstate == LOCK_NOT_AVAILABLE:
        return "lock_wait"
    if sqlstate == "42P01":  # undefined_table: the database has not been migrated (or DATABASE_URL names another one)
        return "not_migrated"
    if sqlstate.startswith("08") or sqlstate in ("57P01", "57P02", "57P03"):
        return "connection"
    return "unavailable"


def _busy(exc: BaseException | None) -> bool:
    return getattr(exc, "sqlstate", None) == LOCK_NOT_AVAILABLE


def unavailable_from(message: str, exc: BaseException | None) -> StoreUnavailable:
    """The StoreUnavailable of a driver's error: its kind from the SQLSTATE; a psycopg OperationalError without one is
    a connection that could not be made or was lost (refused, reset, the server gone)."""
    sqlstate = getattr(exc, "sqlstate", None)
    kind = fault_kind(sqlstate)
    sqlite_name = getattr(exc, "sqlite_errorname", None) or ""  # SQLite's result code (sqlite.org/rescode.html)
    for prefix, sqlite_kind in (("SQLITE_READONLY", "read_only"), ("SQLITE_BUSY", "lock_wait"), ("SQLITE_LOCKED", "lock_wait"),
                                ("SQLITE_CANTOPEN", "connection")):
        if sqlite_name.startswith(prefix):  # extended codes too: SQLITE_READONLY_DBMOVED, SQLITE_BUSY_SNAPSHOT …
            kind = sqlite_kind
    if kind == "unavailable" and sqlstate is None and type(exc).__name__ == "OperationalError" \
            and type(exc).__module__.startswith("psycopg"):
        kind = "connection"
    return StoreUnavailable(message, busy=kind == "lock_wait", kind=kind, sqlstate=sqlstate)


def normalise_url(url: str) -> str:
    """Accept `postgres://` and `postgresql://` and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


PATIENT_WAIT = 600.0  # seconds background work waits for its turn: long past any contention, short of a hung holder
PATIENT_PAUSE = 0.005  # between a background writer's tries; writers of requests waiting meanwhile go first
# How long a background writer lets the requests' writers go first; then it queues with them, so that a steady stream of
# checks cannot hold it off for good (the sealer's steps waited about 7 s each under one thread checking without pause).
PATIENT_YIELD = 0.25
STALLED_TRY = 0.05  # seconds a writer tries for its turn while the lock's holder seems stalled
STALLED_FOR = 1.0  # how long after a timed-out wait the writers of a process only try briefly


class WriterQueue:
    """Makes SQLite writers queue instead of polling.

    SQLite's busy handler retries a locked database with growing sleeps (up to 100 ms each),
    which under contention turns into long tail latencies. Writers of this store therefore
    first take a thread lock (within the process) and then an exclusive `flock` on a file next
    to the database (across processes): both wake the next waiter as soon as the lock is
    released, and BEGIN IMMEDIATE then finds the database free. Writers that do not use the
    queue (another program) are still handled by the busy timeout.
    """

    def __init__(self, database: str, wait: float = 2.0):
        self._thread_lock = threading.Lock()
        self._requests_waiting = 0  # writers of requests of this process waiting for the thread lock (patient ones let them)
        self._count_lock = threading.Lock()
        self._path = database + ".writer-lock"
        self._fd: int | None = None
        self._pid = 0
        # How long a writer waits for its turn before the store counts as unavailable (503: do not
        # dial). Bounded, so that one stalled process (stopped, swapping, hung on a disk) holding
        # the lock cannot freeze every worker behind it.
        self.wait = wait
        # After a wait ran out, the next writers of this process only try briefly (STALLED_TRY) until a
        # turn is had again: with the holder stalled, each request waiting its full bound would queue
        # the requests behind it on the worker's few threads for many seconds.
        self._stalled_until = 0.0

    @contextmanager
    def turn(self, patient: bool = False) -> Iterator[None]:
        """The write lock, within `wait` (a request: 503 past it), or for `patient` background work (an audit's
        progress, an import, a job) within PATIENT_WAIT, trying every PATIENT_PAUSE: contention alone never fails
        such work, and a request's writer, which waits blocked and wakes as the lock comes free, goes first, for
        PATIENT_YIELD; then the work queues with the requests' writers (a check waits for one of its short turns)."""
        if patient:
            with self._patient_turn():
                yield
            return
        now = time.monotonic()
        wait = STALLED_TRY if now < self._stalled_until else self.wait
        deadline = now + wait
        with self._count_lock:
            self._requests_waiting += 1
        try:
            got = self._thread_lock.acquire(timeout=wait)
        finally:
            with self._count_lock:
                self._requests_waiting -= 1
        if not got:
            self._stalled_until = time.monotonic() + STALLED_FOR
            raise StoreUnavailable(f"waited {wait:g} s for the store's write lock (another thread of this process holds it)", busy=True)
        try:
            self._open_lock_file()
            try:
                self._flock(deadline, wait)
            except StoreUnavailable:
                self._stalled_until = time.monotonic() + STALLED_FOR
                raise
            self._stalled_until = 0.0
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()

    def _open_lock_file(self) -> None:
        if self._fd is None or self._pid != os.getpid():
            # One open file per process: a descriptor inherited through fork would share
            # the lock with the parent instead of competing for it.
            self._fd, self._pid = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600), os.getpid()

    @contextmanager
    def _patient_turn(self) -> Iterator[None]:
        # Neither lock is waited on blocked, and none is tried while a request's writer of this process waits: those
        # take the lock first (another process's, waiting with shorter sleeps, most often does).
        # A patient turn leaves the requests' stalled mode alone: its wait says nothing of a stalled holder.
        started = time.monotonic()
        deadline = started + PATIENT_WAIT
        while True:
            if time.monotonic() - started >= PATIENT_YIELD:
                # Requests have gone first for PATIENT_YIELD: queue as they do now, or under a steady stream of checks
                # the work would wait for a gap that never comes (each of its turns is short: they wait one turn).
                with self._queued_turn(deadline):
                    yield
                return
            if not self._requests_waiting and self._thread_lock.acquire(blocking=False):
                try:
                    self._open_lock_file()
                    try:
                        fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except BlockingIOError:
                        pass
                    else:
                        try:
                            yield
                        finally:
                            fcntl.flock(self._fd, fcntl.LOCK_UN)
                        return
                finally:
                    self._thread_lock.release()
            if time.monotonic() >= deadline:
                raise StoreUnavailable(f"waited {PATIENT_WAIT:g} s for the store's write lock", busy=True)
            time.sleep(PATIENT_PAUSE)

    @contextmanager
    def _queued_turn(self, deadline: float) -> Iterator[None]:
        """Both locks, waited for in turn with the requests' writers until `deadline`."""
        if not self._thread_lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise StoreUnavailable(f"waited {PATIENT_WAIT:g} s for the store's write lock", busy=True)
        try:
            self._open_lock_file()
            self._flock(deadline, PATIENT_WAIT)
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()

    def _flock(self, deadline: float, wait: float) -> None:
        """The cross-process lock, waiting at most until `deadline`. flock has no timeout of its own:
        try without blocking, then again after sleeps growing from 0.2 ms to 4 ms (a turn is a few
        milliseconds, so a waiter starts within about one sleep of the lock coming free)."""
        pause = 0.0002
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreUnavailable(f"waited {wait:g} s for the store's write lock (another process holds it)", busy=True) from None
                time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
                pause = min(pause * 2, 0.004)

    def close(self) -> None:
        if self._fd is not None and self._pid == os.getpid():
            os.close(self._fd)
            self._fd = None


BACKSTOP_CHECKPOINT_PAGES = 20_000  # ~80 MB of WAL
CHECKPOINT_EVERY_S = 0.5


class Checkpointer:
    """Copies the WAL into the SQLite database file every half second, off the write path.

    SQLite's default runs a checkpoint inside whichever commit pushes the WAL past 1,000 pages,
    and that commit holds the write lock (ours and SQLite's) for the checkpoint's writes and fsync:
    on a store of a million customers that stalled every writer for 100-300 ms at a time. A PASSIVE
    checkpoint needs neither lock, so writers keep appending while it runs; with two processes,
    the one that finds the checkpoint busy simply tries again later.
    """

    def __init__(self, database: str):
        self._database = database
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import sqlite3

        con = None
        try:
            while not self._stop.wait(CHECKPOINT_EVERY_S):
                try:
                    if con is None:
                        # mode=rw: never create a database where the store's file has gone
                        con = sqlite3.connect(f"file:{quote(self._database)}?mode=rw", uri=True, timeout=0.1,
                                              check_same_thread=False)
                    con.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                except sqlite3.Error as exc:
                    log.debug("checkpoint skipped: %s", exc)
        finally:
            if con is not None:
                con.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


def create_private(path: str | Path) -> None:
    """Create `path` (and its folder) readable by its owner only, if it does not exist yet: the
    SQLite store and the call logs waiting for an audit hold personal data. (SQLite gives its -wal
    and -shm files the database file's mode.) An existing file keeps its mode."""
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600))


def _sqlite_engine(url: str, pool_size: int, create: bool = True) -> Engine:
    parsed = make_url(url)
    if create and parsed.database and parsed.database != ":memory:":
        create_private(parsed.database)
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
        # FULL: the WAL is synced at every commit. NORMAL (the usual WAL setting) may lose the last
        # transactions on power loss: allowed calls whose attempts vanish, and a cap exceeded after it.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Checkpoints run in a background thread (Checkpointer), not in the commit that crosses the
        # threshold while holding the write lock; this higher threshold is only a backstop.
        cursor.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_CHECKPOINT_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write_lock") else "BEGIN")

    return engine


# A pooled PostgreSQL connection idle longer than this is pinged before use (SQLAlchemy's pre-ping
# would ping before every use: one round trip more per check, measured 1 of 9 statements).
PING_IDLE_S = 1.0


def _ping_when_idle(engine: Engine) -> None:
    """Pre-ping, but only connections that sat unused in the pool for PING_IDLE_S or more.

    A server that restarted has left every pooled connection dead; those were idle while it was
    down (longer than PING_IDLE_S: a restart takes seconds), so they are pinged, found dead, and the
    whole pool is replaced as SQLAlchemy's pre-ping does. A connection that died within the last
    second of its use fails its statement instead: that request answers 503 (do not dial) and the
    connection is dropped (`Store._open`)."""

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record):  # pragma: no cover - exercised on every check-in
        if record is not None:
            record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection, record, _proxy):  # pragma: no cover - exercised on every checkout
        returned = record.info.get("returned_at")
        if returned is not None and time.monotonic() - returned >= PING_IDLE_S:
            if not engine.dialect._do_ping_w_event(dbapi_connection):
                raise exc.InvalidatePoolError()


def make_engine(url: str, pool_size: int = 8, create: bool = True, lock_wait_ms: int | None = None) -> Engine:
    """`lock_wait_ms` (PostgreSQL): the session's lock_timeout. Every statement's wait for any lock (a table lock a
    DBA's session holds, a row lock) is bounded by it, not only the advisory locks `lock_statement` takes: a dry run,
    a check of a number that cannot be read or a reader blocked behind `LOCK TABLE attempts` waited for as long as
    the holder held it (each one a worker thread held, as GUARD_PG_LOCK_WAIT describes)."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url, pool_size, create)
    if url.startswith("postgresql"):
        connect_args: dict[str, Any] = {"connect_timeout": 3, "application_name": "guard"}
        if lock_wait_ms is not None:
            connect_args["options"] = f"-c lock_timeout={int(lock_wait_ms)}"
        engine = create_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            # A request waiting for a free connection waits behind their holders' lock waits: no longer than one.
            pool_timeout=lock_wait_ms / 1000 if lock_wait_ms is not None else 5,
            connect_args=connect_args,
        )
        _ping_when_idle(engine)
        return engine
    raise ValueError(f"unsupported database URL scheme: {url.split(':', 1)[0]}")


# One round trip, from the catalogue only: whether the server is a standby, whether this session is read-only, and the
# default_transaction_read_only that sessions yet to connect take from ALTER DATABASE / ALTER ROLE (the most specific
# setting first), which a pooled session opened before it does not show.
_READ_ONLY_PROBE = """
SELECT pg_is_in_recovery(), current_setting('transaction_read_only'),
       (SELECT split_part(c, '=', 2) FROM pg_db_role_setting s, unnest(s.setconfig) c
         WHERE s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
           AND s.setrole IN (0, (SELECT oid FROM pg_roles WHERE rolname = current_user))
           AND c LIKE 'default\\_transaction\\_read\\_only=%'
         ORDER BY s.setdatabase <> 0 AND s.setrole <> 0 DESC, s.setrole <> 0 DESC LIMIT 1)
FROM alembic_version LIMIT 1
"""


def _pg_true(value: str | None) -> bool:
    """A PostgreSQL boolean setting's text (on, true, yes, 1, or a unique prefix of them) read as true."""
    v = (value or "").strip().lower()
    return v in ("1",) or (len(v) >= 2 and "on".startswith(v)) or (v != "" and ("true".startswith(v) or "yes".startswith(v)))


class Store:
    """The store DATABASE_URL names. A server's (`must_exist` false) is created if missing, as SQLite's default is at
    start; a command's must exist and be migrated to head, which its first transaction checks (StoreUnavailable
    otherwise, before anything is created)."""

    def __init__(self, url: str, pool_size: int = 8, write_wait: float = 2.0, lock_wait: float = 5.0,
                 must_exist: bool = False):
        self.url = normalise_url(url)
        self._lock_wait_ms = max(1, round(lock_wait * 1000))
        self._unverified = must_exist
        self.engine = make_engine(self.url, pool_size, create=not must_exist, lock_wait_ms=self._lock_wait_ms)
        self.dialect = self.engine.dialect.name
        self.sql = Dialect(self.dialect)
        self.facts = FactsReader(self.sql, self._lock_wait_ms)
        database = self.engine.url.database if self.dialect == "sqlite" else None
        self._writers = WriterQueue(database, write_wait) if database and database != ":memory:" else None
        self._checkpointer = Checkpointer(database) if self._writers is not None else None
        dbapi = self.engine.dialect.loaded_dbapi
        self._dbapi_error = dbapi.Error
        self._dbapi_integrity = dbapi.IntegrityError

    def verify(self) -> None:
        """Raise StoreUnavailable unless the store exists and is migrated to head (a command's store; once it passed)."""
        if self._unverified:
            from guard.store.migrate import require_migrated

            require_migrated(self.url)
            self._unverified = False

    @contextmanager
    def _transaction(self, write_lock: bool, patient: bool = False, snapshot: bool = False) -> Iterator[Connection]:
        self.verify()
        if write_lock and self._writers is not None:
            with self._writers.turn(patient):
                with self._open(True) as conn:
                    yield conn
        else:
            with self._open(write_lock, snapshot) as conn:
                yield conn

    @contextmanager
    def _open(self, write_lock: bool, snapshot: bool = False) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                if write_lock and self.dialect == "sqlite":
                    conn = conn.execution_options(write_lock=True)
                if snapshot and self.dialect == "postgresql":
                    conn = conn.execution_options(isolation_level="REPEATABLE READ")
                try:
                    with conn.begin():
                        yield conn
                except self._dbapi_error as exc:
                    # Raised by the raw cursor of the hot path, which SQLAlchemy does not wrap:
                    # the connection may be broken, so it must not go back to the pool.
                    if not isinstance(exc, self._dbapi_integrity):
                        conn.invalidate()
                    raise
                except DBAPIError as exc:
                    # The same through SQLAlchemy (jobs, commands, the console): a session holds the settings the
                    # database had when it connected, so one that failed because the database was read-only or its
                    # statement_timeout tiny kept failing after the fault was lifted, until the process restarted.
                    # A constraint or a lock waited for past its bound says nothing about the session: it is kept.
                    if not isinstance(exc, IntegrityError) and not _busy(exc.orig) and not conn.invalidated:
                        conn.invalidate()
                    raise
        except IntegrityError:
            raise
        except PoolTimeout as timeout:
            # Every pooled connection is in use (SQLAlchemy's own error, not the database's): the store is busy.
            raise StoreUnavailable(f"no free connection to the store within {self.engine.pool.timeout():g} s", busy=True,
                                   kind="pool_exhausted") from timeout
        except DBAPIError as exc:
            raise unavailable_from(str(exc.orig) if exc.orig else str(exc), exc.orig) from exc
        except self._dbapi_error as exc:
            if isinstance(exc, self._dbapi_integrity):
                raise
            raise unavailable_from(str(exc), exc) from exc

    @contextmanager
    def read(self, snapshot: bool = False) -> Iterator[Connection]:
        """A read transaction, committed on success. It must not write: on SQLite it holds no write lock, and a write in
        it fails at once ("database is locked") when another writer holds the lock or wrote since it read (`write`).
        `snapshot`: every statement sees the store as the first one did (PostgreSQL REPEATABLE READ; a SQLite read
        transaction always does), for a reader whose statements span a long time (a list judged chunk by chunk)."""
        with self._transaction(False, snapshot=snapshot) as conn:
            yield conn

    @contextmanager
    def write(self, keys: Iterable[str] = ()) -> Iterator[Connection]:
        """A transaction that writes, for everything but the live check's path (`locked`): an audit's progress and
        violations, imports, jobs, sessions, keys. On SQLite it takes the write lock before its first statement,
        waiting behind the requests' writers for as long as contention lasts (`WriterQueue.turn`, patient), so that
        no work fails for it; keep each one short, as every check waits while it holds the lock."""
        with self._transaction(True, patient=True) as conn:
            for key in in_lock_order(keys):
                self.lock(conn, key)
            yield conn

    @contextmanager
    def locked(self, keys: Iterable[str] = ()) -> Iterator[Connection]:
        """A transaction serialised against every other one holding any of `keys` (more via `lock`)."""
        with self._transaction(True) as conn:
            for key in in_lock_order(keys):
                self.lock(conn, key)
            yield conn

    @staticmethod
    def cursor(conn: Connection) -> Any:
        """The raw DBAPI cursor of the transaction's connection (see guard.store.sql)."""
        return conn.connection.driver_connection.cursor()

    def lock(self, conn: Connection, key: str) -> None:
        """Take one more lock inside a `locked()` transaction (SQLite already holds its write lock)."""
        if self.dialect == "postgresql":
            conn.exec_driver_sql(*lock_statement([key], self._lock_wait_ms))

    def ping(self) -> None:
        """Raise StoreUnavailable unless the store answers, is migrated and can record (PostgreSQL: not a standby, not
        read-only for this session or for sessions yet to connect): a read-only store answers every check 503."""
        with self.read() as conn:
            if self.dialect != "postgresql":
                conn.execute(text("SELECT 1 FROM alembic_version"))
                return
            found = conn.execute(text(_READ_ONLY_PROBE)).first()
        if found is None:  # no revision recorded: `require_migrated` tells a command; a check would fail on its tables
            return
        recovery, session_read_only, database_default = found
        if recovery or _pg_true(session_read_only) or (database_default is not None and _pg_true(database_default)):
            why = ("the database is a standby in recovery (pg_is_in_recovery)" if recovery
                   else "the database is read-only (default_transaction_read_only)")
            raise StoreUnavailable(f"{why}: nothing can be recorded", kind="read_only", sqlstate="25006")

    def dispose(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
        self.engine.dispose()
        if self._writers is not None:
            self._writers.close()
