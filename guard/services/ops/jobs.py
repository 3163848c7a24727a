"""Scheduled jobs. Each run happens in one transaction under the job's database lock (`decision_chain`: in short
transactions, each under the lock: STEPPED_JOBS), so two
schedulers (or a scheduler started twice by mistake) never run a job at the same time: on
PostgreSQL the second one finds the lock taken and skips that run; on SQLite the store's single
write lock serialises them. Jobs: `complaint_sla` (mark overdue, escalate), `decision_chain` (seal
decisions and outcomes into their hash chains), `audit_reaper` (fail audits whose process died, delete their
uploads: guard.services.audits.liveness), `idempotency_keys` (delete the checks' idempotency keys past their 24 hours:
guard.store.idempotency). Jobs are idempotent, so a skipped or repeated run loses nothing.
Every run that did its work is recorded in `job_runs` (who, when, what; kept GUARD_JOB_RUNS_KEEP_DAYS), `script_review` too (it takes no job lock:
`run_unlocked_job`), so that /metrics shows when each job last ran, whichever host ran it.
"""

from __future__ import annotations

import logging
import os
import socket
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, Callable, Iterator

from guard.config import Settings
from guard.metrics import SCHEDULER_RUNS
from guard.services.audits.liveness import reap
from guard.services.suppression import complaints
from guard.store import chain
from guard.store import idempotency
from guard.store import jobs as job_store
from guard.store.db import Connection, Store

log = logging.getLogger(__name__)

JOBS: dict[str, Callable[[Connection, datetime, str, Settings], dict[str, Any]]] = {
    "complaint_sla": lambda conn, now, runner, settings: complaints.mark_overdue(conn, now, f"scheduler {runner}"),
    "decision_chain": lambda conn, now, runner, settings: chain.seal(conn, now),  # run in steps: STEPPED_JOBS
    "audit_reaper": lambda conn, now, runner, settings: reap(conn, now, settings.audit_stale_after, settings.data_dir),
    "idempotency_keys": lambda conn, now, runner, settings: idempotency.purge(conn, now),
}

# Jobs that run in short transactions of their own, each taking the job's lock (the lock given them: False when another
# scheduler holds it), so that on SQLite the checks' writes never wait behind a whole run: `decision_chain` seals
# `chain.SEAL_STEP` links a transaction (`chain.seal_in_steps`). None: the job's lock was taken, the run skipped.
STEPPED_JOBS: dict[str, Callable[[Store, datetime, Callable[[Connection], bool]], dict[str, Any] | None]] = {
    "decision_chain": lambda store, now, lock: chain.seal_in_steps(store, now, lock),
}


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_job(store: Store, name: str, clock: Callable[[], datetime], runner: str | None = None,
            settings: Settings | None = None) -> dict[str, Any] | None:
    """Run one job now; None when another scheduler holds the job's lock (that run is skipped).
    `settings`: the process's (default: read from the environment)."""
    runner = runner or runner_name()
    settings = settings or Settings.from_env(os.environ)
    job = JOBS[name]
    if name in STEPPED_JOBS:
        return _run_stepped(store, name, clock, runner, settings)
    with _counted(name):
        with store.write() as conn:
            if not job_store.try_lock(store, conn, name):
                log.info("job %s: another scheduler is running it; skipped", name)
                SCHEDULER_RUNS.labels(name, "skipped").inc()
                return None
            started = clock()
            result = job(conn, started, runner, settings)
            job_store.record_run(conn, name, runner, started, clock(), result, timedelta(days=settings.job_runs_keep_days))
    return _ran(name, result)


def _run_stepped(store: Store, name: str, clock: Callable[[], datetime], runner: str,
                 settings: Settings) -> dict[str, Any] | None:
    """Run a job of STEPPED_JOBS, then record the run in a transaction of its own; None when it was skipped."""
    with _counted(name):
        started = clock()
        result = STEPPED_JOBS[name](store, started, lambda conn: job_store.try_lock(store, conn, name))
        if result is None:
            log.info("job %s: another scheduler is running it; skipped", name)
            SCHEDULER_RUNS.labels(name, "skipped").inc()
            return None
        with store.write() as conn:
            job_store.record_run(conn, name, runner, started, clock(), result, timedelta(days=settings.job_runs_keep_days))
    return _ran(name, result)


@contextmanager
def _counted(name: str) -> Iterator[None]:
    """Count a job's run that raised as `failed` (in /metrics), and let the error go on."""
    try:
        yield
    except Exception:
        SCHEDULER_RUNS.labels(name, "failed").inc()
        raise


def _ran(name: str, result: dict[str, Any]) -> dict[str, Any]:
    SCHEDULER_RUNS.labels(name, "ran").inc()
    log.info("job %s: %s", name, result)
    return result


def seal_all(store: Store, clock: Callable[[], datetime]) -> dict[str, Any]:
    """Seal until nothing is left (for the CLI; the scheduler seals a batch per run)."""
    total, outcomes, result = 0, 0, None
    while True:
        result = run_job(store, "decision_chain", clock)
        if result is None:
            return {"sealed": total, "skipped": True, "outcomes": {"sealed": outcomes}}
        total += result["sealed"]
        outcomes += result["outcomes"]["sealed"]
        if not result["more"]:
            return {"sealed": total, "head": result["head"], "outcomes": {"sealed": outcomes, "head": result["outcomes"]["head"]}}


def run_unlocked_job(store: Store, name: str, work: Callable[[], dict[str, Any]], clock: Callable[[], datetime],
                     runner: str | None = None, settings: Settings | None = None) -> dict[str, Any]:
    """Run a job that needs no job lock (idempotent, in transactions of its own: `script_review`) and record the run
    as `run_job` does, so that its last run shows in /metrics beside the others'."""
    runner = runner or runner_name()
    settings = settings or Settings.from_env(os.environ)
    started = clock()
    with _counted(name):
        result = work()
        with store.write() as conn:
            job_store.record_run(conn, name, runner, started, clock(), result, timedelta(days=settings.job_runs_keep_days))
    return _ran(name, result)
