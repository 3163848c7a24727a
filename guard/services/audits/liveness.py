"""An audit's signs of life, its cancelling, and the reaper of audits whose process died.

A running audit records `runner` (host:pid of the process judging it) and refreshes `heartbeat_at`
with every progress write and, from a small thread, every few seconds in between (the long stages —
loading the history, forked judging — may write nothing for minutes). The same thread reads the
audit back about once a second: a cancel request (`cancel_requested_at`), or an audit that is no
longer `running` (a reaper failed it meanwhile), makes the run stop at its next progress point.

The reaper (`reap`, the scheduler's `audit_reaper` job, `guard audit --reap`, and every web worker
at start) fails every queued or running audit whose heartbeat (or creation, when it never started)
is older than GUARD_AUDIT_STALE_AFTER, and at once any whose runner is a process of this host that
no longer exists; it deletes the upload each one left in GUARD_DATA_DIR/audits, and any upload there
whose audit has ended (failed by a reaper on another host: the directory is each host's own).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable

from guard.store import audits as audit_store
from guard.store.db import Connection, Store

log = logging.getLogger(__name__)

BEAT_EVERY = 5.0  # seconds between heartbeats written when no progress write carried one
POLL_EVERY = 1.0  # seconds between reads of the audit's cancel request and status


def runner_name() -> str:
    """This process, as an audit's `runner` records it (the pid as of now: a forked child differs)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def upload_path(data_dir: Path, audit_id: str) -> Path:
    """Where an HTTP upload waits for its audit (guard.services.audits.save_upload writes it)."""
    return data_dir / "audits" / f"{audit_id}.log"


class AuditStopped(Exception):
    """The audit stopped before its end: cancelled on request, or failed by a reaper meanwhile."""

    def __init__(self, audit_id: str, status: str, why: str):
        super().__init__(why)
        self.audit_id, self.status = audit_id, status


class Liveness:
    """The heartbeat of one running audit: `with Liveness(...) as live:` runs the thread; the audit
    calls `live.check()` at its progress points (cheap: no store access) and merges
    `live.flush_values()` into its progress writes."""

    def __init__(self, store: Store, audit_id: str, clock: Callable[[], datetime], beat_every: float = BEAT_EVERY,
                 poll_every: float = POLL_EVERY):
        self.store, self.audit_id, self.clock = store, audit_id, clock
        self.beat_every, self.poll_every = beat_every, poll_every
        self._stop = threading.Event()
        self._stopped_why: tuple[str, str] | None = None  # (status, why) once the audit must stop
        self._last_beat = time.monotonic()
        self._thread = threading.Thread(target=self._loop, name=f"audit-{audit_id}-heartbeat", daemon=True)

    def __enter__(self) -> "Liveness":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join(10)

    def flush_values(self) -> dict[str, datetime]:
        """The heartbeat to write with a progress write (the thread then waits a full interval)."""
        self._last_beat = time.monotonic()
        return {"heartbeat_at": self.clock()}

    def check(self) -> None:
        """Raise AuditStopped if the audit was cancelled or reaped since it started."""
        if self._stopped_why is not None:
            raise AuditStopped(self.audit_id, *self._stopped_why)

    def _loop(self) -> None:
        while not self._stop.wait(self.poll_every):
            due = time.monotonic() - self._last_beat >= self.beat_every
            try:
                found = audit_store.beat(self.store, self.audit_id, self.clock() if due else None)
            except Exception as exc:  # a store outage: the next beat retries (the reaper waits minutes)
                log.warning("audit %s: heartbeat failed: %s", self.audit_id, exc)
                continue
            if due:
                self._last_beat = time.monotonic()
            if found is None:
                self._stopped_why = ("failed", "the audit's row is gone")
            elif found[0] != "running":
                self._stopped_why = (found[0], f"the audit was marked {found[0]} while it ran")
            elif found[1] is not None:
                self._stopped_why = ("cancelled", f"cancelled on request at {found[1].isoformat()}")
            if self._stopped_why is not None:
                return


def _pid_gone(runner: str | None, host: str) -> bool:
    """True when `runner` names a process of this host that no longer exists."""
    if not runner or ":" not in runner:
        return False
    runner_host, _, pid = runner.rpartition(":")
    if runner_host != host or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # PermissionError: it exists (another user's)
        return False
    return False


def reap(conn: Connection, now: datetime, stale_after: float, data_dir: Path) -> dict[str, Any]:
    """Fail every queued or running audit whose process is gone (see the module's docstring), in the
    caller's transaction; delete their uploads. Returns {"reaped": [audit ids], "checked": n,
    "uploads_removed": n (leftovers of audits that had ended already)}."""
    host = socket.gethostname()
    limit = timedelta(seconds=stale_after)
    reaped: list[str] = []
    rows = audit_store.unfinished(conn)
    for r in rows:
        last = r.heartbeat_at or r.created_at
        who = f"its process {r.runner}" if r.runner else "no process"
        # what to do about it: a simulation has no upload (its draft and calls came in its request); `guard audit`
        # read its log (or the decision log) itself, so the command is what is run again
        again = ("start the simulation again" if r.kind == "simulation" else "run the command again" if r.created_by == "cli"
                 else "upload the log again")
        if _pid_gone(r.runner, host):
            why = (f"{who} is gone (no such process on {host} at {now.isoformat()}; last sign of life {last.isoformat()}); "
                   f"{again}")
        elif now - last > limit:
            if r.runner:
                why = f"{who} stopped reporting at {last.isoformat()} (more than {stale_after:g} s before {now.isoformat()}); {again}"
            else:
                why = f"{who} started it since {last.isoformat()} (more than {stale_after:g} s before {now.isoformat()}); {again}"
        else:
            continue
        if audit_store.mark_failed(conn, r.id, now, why):
            reaped.append(r.id)
            upload_path(data_dir, r.id).unlink(missing_ok=True)
            log.warning("audit %s failed by the reaper: %s", r.id, why)
    return {"reaped": reaped, "checked": len(rows), "uploads_removed": _sweep(conn, data_dir)}


def _sweep(conn: Connection, data_dir: Path) -> int:
    """Delete uploads in this host's GUARD_DATA_DIR/audits whose audit has ended (a reaper on another
    host failed it, say): an upload is only ever needed while its audit is queued or running."""
    folder = data_dir / "audits"
    files = {p.stem: p for p in folder.glob("*.log")} if folder.is_dir() else {}
    ended = [i for i, status in audit_store.statuses(conn, sorted(files)).items() if status not in ("queued", "running")]
    for audit_id in ended:
        files[audit_id].unlink(missing_ok=True)
    return len(ended)
