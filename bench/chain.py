"""Benchmark of the hash chains (`guard decisions seal` / `verify`, and the decision-log audit that verifies them):
`.venv/bin/python bench/chain.py [--decisions 100000]`.

Seeds a fresh SQLite store with bench/replay.py's decision log of N checks (realistic rows: the request, the facts,
the reasons), and an outcome for every allowed decision and every tenth denied one (calls made despite a deny), then
measures in one process:

- `seal`: every decision and outcome sealed into its chain (`seal_all`, as the scheduler's job does batch by batch);
- `verify`: both chains recomputed link by link (`guard decisions verify`);
- `audit`: `guard audit --decisions` over the whole period, which verifies both chains first.

Baseline in the same run: reading every decision and outcome row once (the I/O any verification needs), without
hashing: how much of `verify` is the reading and how much the hashing.

With `--check-wait`, first: the worst wait of a check (POST /v1/check, a thread checking one number after another, each
writing its decision under SQLite's one write lock) while the backlog (the first 20,000 decisions and their outcomes)
is sealed, on two copies of the seeded store: the job's run as it was, in one write transaction (`chain.seal`, the
naive baseline), and as it is, SEAL_STEP links a transaction (`run_job`); and how many checks answered 503.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.check import seed  # noqa: E402
from bench.replay import END, START, seed_decisions  # noqa: E402


def add_outcomes(store) -> tuple[int, int]:
    """An outcome for every allowed decision and every tenth denied one; (outcomes, called despite a deny)."""
    from sqlalchemy import insert, select

    from guard.store import models as m

    D, O = m.Decision.__table__, m.Outcome.__table__
    with store.read() as conn:
        rows = conn.execute(select(D.c.id, D.c.allowed, D.c.at).where(D.c.dry_run.is_(False)).order_by(D.c.at)).all()
    values, despite = [], 0
    for i, r in enumerate(rows):
        if r.allowed or i % 10 == 0:
            despite += not r.allowed
            values.append({"decision_id": r.id, "disposition": "answered", "ended_at": r.at + timedelta(minutes=3), "callback_at": None,
                           "note": None, "reported_at": r.at + timedelta(minutes=3), "key_id": "bench", "effects": {}})
    with store.read() as conn:
        for i in range(0, len(values), 5000):
            conn.execute(insert(O), values[i:i + 5000])
    return len(values), despite


def check_waits(db: Path, naive: bool) -> tuple[float, float, int, int, float]:
    """(worst check, 99th percentile, checks answered, of them 503, seconds sealing) while the job's first run seals the store at `db`."""
    import threading

    from app import create_app
    from guard.services.ops.jobs import run_job
    from guard.store import chain
    from tests.conftest import new_key

    url = f"sqlite:///{db}"
    app = create_app({"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "CRITICAL"})
    rt = app.extensions["guard"]
    headers, client = new_key(app, "dialer"), app.test_client()
    stop, waits, failed = threading.Event(), [], [0]

    def checker() -> None:
        i = 0
        while not stop.is_set():
            t = time.perf_counter()
            r = client.post("/v1/check", json={"phone": f"1390000{i % 10000:04d}", "campaign": "dep-2026q4"}, headers=headers)
            waits.append(time.perf_counter() - t)
            failed[0] += r.status_code == 503
            i += 1

    beside = threading.Thread(target=checker)
    beside.start()
    time.sleep(0.5)  # checks under way before the run starts
    t = time.perf_counter()
    try:
        if naive:  # the job as it was: the whole run in one transaction holding the write lock
            with rt.store.write() as conn:
                chain.seal(conn, datetime.now(timezone.utc))
        else:
            run_job(rt.store, "decision_chain", lambda: datetime.now(timezone.utc))
    finally:
        took = time.perf_counter() - t
        time.sleep(0.2)
        stop.set()
        beside.join()
    rt.store.dispose()
    return max(waits), sorted(waits)[int(len(waits) * 0.99)], len(waits), failed[0], took


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--decisions", type=int, default=100_000)
    ap.add_argument("--check-wait", action="store_true", help="the worst check's wait while a run seals the backlog")
    args = ap.parse_args()
    print(f"bench/chain.py  {datetime.now().isoformat(timespec='seconds')}  SQLite  {args.decisions} checks")
    tmp = Path(tempfile.mkdtemp(prefix="guard-bench-chain-"))
    url = f"sqlite:///{tmp / 'guard.db'}"
    from guard.store.migrate import upgrade

    upgrade(url)
    seed(url)
    from app import create_app

    app = create_app({"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "ERROR"})
    rt = app.extensions["guard"]
    written = seed_decisions(rt.store, rt.packs(), args.decisions, tmp)
    outcomes, despite = add_outcomes(rt.store)
    print(f"  seeded     {written} decisions, {outcomes} outcomes ({despite} on denied decisions)")
    if args.check_wait:
        import sqlite3

        con = sqlite3.connect(tmp / "guard.db")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        for name, naive in (("one transaction (before)", True), ("SEAL_STEP a transaction", False)):
            copy = tmp / f"wait-{naive}.db"
            shutil.copyfile(tmp / "guard.db", copy)
            worst, p99, checks, failed, took = check_waits(copy, naive)
            print(f"  check wait while a run seals, {name}: worst {worst * 1000:6.0f} ms (p99 {p99 * 1000:.0f} ms) over {checks} checks, "
                  f"{failed} answered 503, run {took:.1f} s")

    from guard.services import audits
    from guard.services.ops.jobs import seal_all
    from guard.store.chain import verify

    t = time.perf_counter()
    sealed = seal_all(rt.store, lambda: datetime.now(timezone.utc))
    took = time.perf_counter() - t
    links = sealed["sealed"] + sealed["outcomes"]["sealed"]
    print(f"  seal       {took:6.1f} s  {links / took:8.0f} links/s  ({sealed['sealed']} decisions, {sealed['outcomes']['sealed']} outcomes)")

    t = time.perf_counter()
    report = verify(rt.store)
    took = time.perf_counter() - t
    links = report["links"] + report["outcomes"]["links"]
    assert report["ok"], report["counts"]
    print(f"  verify     {took:6.1f} s  {links / took:8.0f} links/s  (intact: {report['ok']})")

    t = time.perf_counter()
    audit_id = audits.create(rt.store, "decision_log", "bench", None, datetime.now(timezone.utc), "bench")
    summary = audits.audit_decision_log(rt.store, audit_id, START - timedelta(days=1), END + timedelta(days=1),
                                        lambda: datetime.now(timezone.utc))
    took = time.perf_counter() - t
    print(f"  audit      {took:6.1f} s  (calls judged {summary['calls_judged']}, called despite a deny "
          f"{summary['by_code'].get('CALLED_DESPITE_DENY', 0)}, chains intact {summary['chains']['intact']})")

    from sqlalchemy import select

    from guard.store import models as m

    t = time.perf_counter()
    n = 0
    with rt.store.read() as conn:
        for table in (m.Decision.__table__, m.Outcome.__table__):
            for _ in conn.execute(select(table)):
                n += 1
    took = time.perf_counter() - t
    print(f"  baseline   {took:6.1f} s  {n / took:8.0f} rows/s  (every decision and outcome read once, nothing hashed)")
    print(f"  peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    rt.store.dispose()
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
