"""Scheduled-job runs in the store: the job's database lock and the record of each run."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from guard.store import models as m
from guard.store.db import Store, lock_key


def try_lock(store: Store, conn: Connection, name: str) -> bool:
    """Take the job's lock for this transaction if no other scheduler holds it (PostgreSQL; on
    SQLite the write transaction already excludes every other one)."""
    if store.dialect != "postgresql":
        return True
    return bool(conn.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": lock_key(f"job:{name}")}).scalar())


def record_run(conn: Connection, name: str, runner: str, started: datetime, finished: datetime, result: dict[str, Any]) -> None:
    conn.execute(insert(m.JobRun.__table__).values(job=name, runner=runner, started_at=started, finished_at=finished, result=result))


def run_summary(store: Store) -> list[tuple[str, int, datetime | None]]:
    """(job, runs recorded, last finished) for every job that ever ran, whichever host ran it."""
    J = m.JobRun.__table__
    with store.read() as conn:
        rows = conn.execute(select(J.c.job, func.count(), func.max(J.c.finished_at)).group_by(J.c.job)).all()
    return [(job, n, store.sql.read_ts(finished)) for job, n, finished in rows]
