"""Scheduled-job runs in the store: the job's database lock and the record of each run."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, case, delete, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite

from guard.store import models as m
from guard.store.db import Store, lock_key


# How long a job's transaction may sit idle on PostgreSQL before the server ends it, and so frees the job's lock: a
# scheduler whose host lost power, froze or lost the network mid-run holds the lock until then, not until TCP keepalive
# notices (two hours and more), so another host's scheduler takes the job over within a minute. No job waits this long
# between two statements (the sealer hashes its steps outside its write transactions: `chain.seal_in_steps`).
JOB_IDLE_TIMEOUT = 60.0


def try_lock(store: Store, conn: Connection, name: str, idle_timeout: float = JOB_IDLE_TIMEOUT) -> bool:
    """Take the job's lock for this transaction if no other scheduler holds it (PostgreSQL; on
    SQLite the write transaction already excludes every other one). The transaction, left idle `idle_timeout` seconds
    (its process gone or frozen), is ended by the server, which frees the lock for another scheduler."""
    if store.dialect != "postgresql":
        return True
    return bool(conn.execute(text("SELECT set_config('idle_in_transaction_session_timeout', :t, true), pg_try_advisory_xact_lock(:k)"),
                             {"t": f"{max(1, round(idle_timeout * 1000))}ms", "k": lock_key(f"job:{name}")}).one()[1])


PRUNE_BATCH = 1000


def record_run(conn: Connection, name: str, runner: str, started: datetime, finished: datetime, result: dict[str, Any],
               keep: timedelta | None = None) -> None:
    """Record one run, and count it in the job's totals (one row per job, updated in the same transaction). With `keep`,
    delete the job's runs that started more than `keep` before this one (at most PRUNE_BATCH: a first run after a long
    time catches up over a few runs instead of holding its transaction long); the totals keep counting them."""
    J = m.JobRun.__table__
    conn.execute(insert(J).values(job=name, runner=runner, started_at=started, finished_at=finished, result=result))
    if keep is not None:
        old = select(J.c.id).where(J.c.job == name, J.c.started_at < started - keep).order_by(J.c.started_at).limit(PRUNE_BATCH)
        conn.execute(delete(J).where(J.c.id.in_(old.scalar_subquery())))
    T = m.JobRunTotal.__table__
    upsert = (postgresql.insert(T) if conn.dialect.name == "postgresql" else sqlite.insert(T)).values(
        job=name, runs=1, last_finished_at=finished)
    conn.execute(upsert.on_conflict_do_update(index_elements=[T.c.job], set_={
        "runs": T.c.runs + 1,
        "last_finished_at": case((upsert.excluded.last_finished_at > T.c.last_finished_at, upsert.excluded.last_finished_at),
                                 else_=T.c.last_finished_at),
    }))


def run_summary(store: Store) -> list[tuple[str, int, datetime | None]]:
    """(job, runs recorded, last finished) for every job that ever ran, whichever host ran it: one row per job, read at
    every /metrics scrape (never a count of `job_runs`, which grows without end)."""
    T = m.JobRunTotal.__table__
    with store.read() as conn:
        rows = conn.execute(select(T.c.job, T.c.runs, T.c.last_finished_at).order_by(T.c.job)).all()
    return [(job, n, store.sql.read_ts(finished)) for job, n, finished in rows]
