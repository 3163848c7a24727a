"""Faults under load: the store goes away, a worker is killed, the SQLite disk fills. Nothing is lost.

    .venv/bin/python bench/faults.py [--faults pg-restart,kill-worker,sqlite-stall,sqlite-full] [--rate 60]
                                     [--before 5] [--outage 5] [--after 10]

Each scenario serves the guard with gunicorn (2 workers x 4 threads), drives `POST /v1/check` at a
fixed arrival rate (open loop; every check is for a number never checked before, over a fresh
connection) and injects one fault after `--before` seconds:

- pg-restart: PostgreSQL (fsync on) is stopped `immediate` (as a crash would) for `--outage`
  seconds, then started again;
- kill-worker: a gunicorn worker is sent SIGKILL every second of `--outage` (the master starts a
  new one each time), on PostgreSQL;
- sqlite-stall: on SQLite, one of the two workers is stopped (SIGSTOP) for `--outage` seconds, as a
  process paused by the OS, swapped out or hung on a disk would be, then continued (SIGCONT): the
  other worker must go on answering (200, or 503 within GUARD_SQLITE_WRITE_WAIT when the stopped one
  holds the write lock), never hang behind it;
- sqlite-full: the SQLite store lives on a 48 MiB tmpfs; a ballast file fills it for `--outage`
  seconds and is then deleted (needs root for the mount; it is what a full disk looks like to
  SQLite: SQLITE_FULL).

Then it reads the store and checks what a bank cares about:
- every answer "allowed" has its attempt recorded (the cap counts it) and its decision logged;
- every decision answered (allowed or denied) is in the store, none twice: at most one attempt
  per number (each number was checked once);
- during the outage answers are 503 (do not dial), never an allow that was not recorded;
- service resumes by itself: the seconds from the fault's end to the last failed answer.
Figures per phase (before / during / after): answers 200 allowed, 200 denied, 503, other status,
connection errors, and the check p50/p99 latency.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guard.store.migrate import upgrade  # noqa: E402
from tests.e2e.servers import GuardServer, cli  # noqa: E402
from tests.pgserver import PgServer  # noqa: E402

BASE_AT = datetime(2026, 11, 23, 2, 15, tzinfo=timezone.utc)  # Monday 10:15 in Shanghai
SENDERS = 48


@dataclass
class Answer:
    sent: float  # seconds since the run started (scheduled arrival)
    done: float
    phone: str
    status: int | None  # None: the connection failed (reset, refused, timeout)
    allowed: bool | None = None
    decision_id: str | None = None
    error: str | None = None


@dataclass
class Run:
    answers: list[Answer] = field(default_factory=list)
    fault_at: float = 0.0
    cleared_at: float = 0.0


def drive(server: GuardServer, key: str, rate: float, seconds: float, run: Run, started: float, prefix: str) -> None:
    """Open loop: the n-th check is due at n / rate seconds, whatever the answers do."""
    lock = threading.Lock()
    jobs: list[int] = list(range(int(rate * seconds)))
    cursor = [0]

    def sender() -> None:
        while True:
            with lock:
                if cursor[0] >= len(jobs):
                    return
                n = jobs[cursor[0]]
                cursor[0] += 1
            due = started + n / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            phone = f"+86{prefix}{n:08d}"
            at = (BASE_AT + timedelta(seconds=n / rate)).isoformat()
            body = json.dumps({"phone": phone, "campaign": "dep-2026q4", "at": at})
            answer = Answer(sent=due - started, done=0.0, phone=phone, status=None)
            conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
            try:
                conn.request("POST", "/v1/check", body=body, headers={"Content-Type": "application/json",
                                                                      "Authorization": f"Bearer {key}"})
                response = conn.getresponse()
                raw = response.read()
                answer.status = response.status
                if response.status == 200:
                    out = json.loads(raw)
                    answer.allowed, answer.decision_id = out["allowed"], out["decision_id"]
                else:
                    answer.error = json.loads(raw)["error"]["code"] if raw else None
            except (OSError, http.client.HTTPException) as exc:
                answer.error = type(exc).__name__
            finally:
                conn.close()
            answer.done = time.monotonic() - started
            with lock:
                run.answers.append(answer)

    threads = [threading.Thread(target=sender, daemon=True) for _ in range(SENDERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def pct(data: list[float], p: float) -> float:
    if not data:
        return float("nan")
    data = sorted(data)
    return data[min(len(data) - 1, int(p / 100 * len(data)))]


def report(name: str, run: Run, url: str) -> dict:
    from sqlalchemy import create_engine, select
    from sqlalchemy.pool import NullPool

    from guard.store import models as m

    engine = create_engine(url, poolclass=NullPool)
    phones = [a.phone for a in run.answers]
    with engine.connect() as conn:
        attempts = dict(conn.execute(select(m.Attempt.decision_id, m.Attempt.phone_e164)).all())
        counts: dict[str, int] = {}
        for phone in attempts.values():
            counts[phone] = counts.get(phone, 0) + 1
        decisions = set(conn.execute(select(m.Decision.id)).scalars())
    engine.dispose()
    answered = [a for a in run.answers if a.status == 200]
    allowed = [a for a in answered if a.allowed]
    out = {
        "allowed_without_attempt": sum(1 for a in allowed if a.decision_id not in attempts),
        "answered_decisions_missing": sum(1 for a in answered if a.decision_id not in decisions),
        "numbers_with_two_attempts": sum(1 for c in counts.values() if c > 1),
        "attempts_without_an_allow_answer": len(set(attempts) - {a.decision_id for a in allowed}),
        "checks": len(phones),
    }
    phases = {"before": lambda a: a.sent < run.fault_at, "during": lambda a: run.fault_at <= a.sent < run.cleared_at,
              "after": lambda a: a.sent >= run.cleared_at}
    print(f"\n== {name}: fault at {run.fault_at:.1f} s, cleared at {run.cleared_at:.1f} s")
    print(f"{'phase':8} {'checks':>7} {'allowed':>8} {'denied':>7} {'503':>6} {'other':>6} {'conn err':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for phase, test in phases.items():
        part = [a for a in run.answers if test(a)]
        lat = [(a.done - a.sent) * 1000 for a in part if a.status == 200]
        print(f"{phase:8} {len(part):>7} {sum(1 for a in part if a.status == 200 and a.allowed):>8} "
              f"{sum(1 for a in part if a.status == 200 and not a.allowed):>7} {sum(1 for a in part if a.status == 503):>6} "
              f"{sum(1 for a in part if a.status not in (None, 200, 503)):>6} {sum(1 for a in part if a.status is None):>9} "
              f"{pct(lat, 50):>8.1f} {pct(lat, 99):>8.1f}")
    failed_after = [a.sent for a in run.answers if a.sent >= run.fault_at and a.status != 200]
    last_failure = max(failed_after) if failed_after else None
    out["resumed_after_s"] = round(max(0.0, last_failure - run.cleared_at), 2) if last_failure is not None else 0.0
    out["failed_answers"] = len(failed_after)
    out["errors"] = sorted({f"{a.status}:{a.error}" for a in run.answers if a.status != 200})
    for k, v in out.items():
        print(f"  {k}: {v}")
    ok = (out["allowed_without_attempt"] == 0 and out["answered_decisions_missing"] == 0
          and out["numbers_with_two_attempts"] == 0
          and all(a.status in (200, 503, None) for a in run.answers)
          and not any(a.status is None for a in run.answers if a.done < run.fault_at))
    print(f"  verdict: {'HELD' if ok else 'BROKEN'} (service resumed {out['resumed_after_s']} s after the fault cleared)")
    out["held"] = ok
    return out


def _serve(env: dict[str, str]) -> tuple[GuardServer, str]:
    server = GuardServer({**env, "GUARD_ALLOW_CLIENT_TIME": "1", "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "ERROR"},
                         workers=2, threads=4).start()
    key = cli(env, "keys", "create", "--role", "dialer").stdout.strip()
    return server, key


def _with_load(server: GuardServer, key: str, args, fault, clear, prefix: str) -> Run:
    run = Run()
    started = time.monotonic()
    seconds = args.before + args.outage + args.after
    loader = threading.Thread(target=drive, args=(server, key, args.rate, seconds, run, started, prefix))
    loader.start()
    time.sleep(max(0.0, started + args.before - time.monotonic()))
    run.fault_at = time.monotonic() - started
    fault()
    time.sleep(max(0.0, started + args.before + args.outage - time.monotonic()))
    clear()
    run.cleared_at = time.monotonic() - started
    loader.join()
    return run


@contextmanager
def _guard_on_postgresql() -> Iterator[tuple[PgServer, str, GuardServer, str]]:
    """A durable PostgreSQL with a migrated database, and the guard serving it: (pg, url, server, key)."""
    pg = PgServer(durable=True)
    pg.start()
    try:
        url = pg.create_database("guard_faults")
        upgrade(url)
        server, key = _serve({"DATABASE_URL": url})
        try:
            yield pg, url, server, key
        finally:
            server.stop()
    finally:
        pg.cleanup()


def pg_restart(args) -> dict:
    with _guard_on_postgresql() as (pg, url, server, key):
        run = _with_load(server, key, args, lambda: pg.stop("immediate"), pg.restart, "137")
        return report("PostgreSQL stopped (immediate) and started again", run, url)


def kill_worker(args) -> dict:
    with _guard_on_postgresql() as (_, url, server, key):
        stop = threading.Event()
        killed: list[int] = []

        def killer() -> None:
            # A worker killed every second of the outage window, so some die with checks in flight.
            while not stop.is_set():
                workers = sorted(server.workers())
                if workers:
                    victim = workers[len(killed) % len(workers)]
                    os.kill(victim, signal.SIGKILL)
                    killed.append(victim)
                stop.wait(1.0)

        thread = threading.Thread(target=killer)
        run = _with_load(server, key, args, thread.start, lambda: (stop.set(), thread.join()), "138")
        print(f"\n  killed workers {killed}; workers now {sorted(server.workers())}")
        return report(f"gunicorn workers killed with SIGKILL ({len(killed)} kills)", run, url)


def sqlite_stall(args) -> dict:
    directory = Path(tempfile.mkdtemp(prefix="guard-stall-"))
    try:
        url = f"sqlite:///{directory / 'guard.db'}"
        upgrade(url)
        server, key = _serve({"DATABASE_URL": url, "GUARD_DATA_DIR": str(directory / "data")})
        stopped: list[int] = []

        lock_inode = None

        def holds_writer_lock(pid: int) -> bool:
            """Whether `pid` holds the store's cross-process write lock (flock, listed in /proc/locks)."""
            for line in Path("/proc/locks").read_text().splitlines():
                fields = line.split()
                if len(fields) > 5 and fields[1] == "FLOCK" and fields[4] == str(pid) and fields[5].endswith(f":{lock_inode}"):
                    return True
            return False

        def stop() -> None:
            # The worst case: the worker is stopped while it holds the write lock (mid-check). Stop it
            # at random instants until it is caught holding it (a check holds it for a few ms).
            nonlocal lock_inode
            lock_inode = (directory / "guard.db.writer-lock").stat().st_ino
            victim = sorted(server.workers())[0]
            for _ in range(2000):
                os.kill(victim, signal.SIGSTOP)
                time.sleep(0.002)
                if holds_writer_lock(victim):
                    break
                os.kill(victim, signal.SIGCONT)
                time.sleep(0.003)
            else:
                os.kill(victim, signal.SIGSTOP)
                print("\n  (never caught holding the write lock: stopped anyway)", file=sys.stderr)
            stopped.append(victim)
            print(f"\n  worker {victim} stopped{' holding the write lock' if holds_writer_lock(victim) else ''}")

        def resume() -> None:
            for pid in stopped:
                os.kill(pid, signal.SIGCONT)

        try:
            run = _with_load(server, key, args, stop, resume, "136")
        finally:
            resume()
            server.stop()
        # Checks the kernel handed to the stopped worker's socket wait for it (connection errors after
        # the client's 10 s timeout, or late answers); the other worker's must not.
        during = [a for a in run.answers if run.fault_at <= a.sent < run.cleared_at]
        answered = [a for a in during if a.status is not None]
        slowest = max(((a.done - a.sent) for a in answered if a.status in (200, 503)), default=0.0)
        waits = [(a.done - a.sent) * 1000 for a in answered]
        print(f"\n  stopped worker {stopped}; during the stall {len(answered)}/{len(during)} checks answered, "
              f"{sum(1 for a in answered if a.status == 503)} of them 503; every answer p50 {pct(waits, 50):.1f} ms, "
              f"p99 {pct(waits, 99):.1f} ms, slowest {slowest * 1000:.0f} ms")
        out = report("one SQLite worker stopped (SIGSTOP), then continued", run, url)
        out["answered_during"] = f"{len(answered)}/{len(during)}"
        return out
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def sqlite_full(args) -> dict:
    mount = Path(tempfile.mkdtemp(prefix="guard-full-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(mount)], check=True)
    try:
        url = f"sqlite:///{mount / 'guard.db'}"
        upgrade(url)
        server, key = _serve({"DATABASE_URL": url, "GUARD_DATA_DIR": str(mount / "data")})
        ballast = mount / "ballast"

        def fill() -> None:
            with open(ballast, "wb") as f:
                try:
                    while True:
                        f.write(b"\0" * (1 << 20))
                        f.flush()
                except OSError:
                    pass
            print(f"\n  disk full: {shutil.disk_usage(mount).free} bytes free", file=sys.stderr)

        try:
            run = _with_load(server, key, args, fill, lambda: ballast.unlink(), "139")
        finally:
            server.stop()
        out = report("the SQLite disk filled, then space freed", run, url)
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.connect() as conn:
            out["integrity_check"] = conn.execute(text("PRAGMA integrity_check")).scalar()
        engine.dispose()
        print(f"  integrity_check: {out['integrity_check']}")
        return out
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
        shutil.rmtree(mount, ignore_errors=True)


FAULTS = {"pg-restart": pg_restart, "kill-worker": kill_worker, "sqlite-stall": sqlite_stall, "sqlite-full": sqlite_full}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--faults", default=",".join(FAULTS))
    parser.add_argument("--rate", type=float, default=60.0, help="checks per second")
    parser.add_argument("--before", type=float, default=5.0)
    parser.add_argument("--outage", type=float, default=5.0)
    parser.add_argument("--after", type=float, default=10.0)
    args = parser.parse_args()
    results = {}
    for name in args.faults.split(","):
        results[name] = FAULTS[name](args)
    print("\nsummary:", json.dumps({k: {"held": v["held"], "resumed_after_s": v["resumed_after_s"]} for k, v in results.items()}))
    sys.exit(0 if all(v["held"] for v in results.values()) else 1)


if __name__ == "__main__":
    main()
