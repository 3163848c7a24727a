"""Open-loop load on the HTTP API with a realistic mix, on PostgreSQL and SQLite.

    .venv/bin/python bench/load.py [--stores postgresql,sqlite] [--rates 100,200,300,400]
                                   [--seconds 60] [--customers 1000000] [--window 30] [--floor]

Requests arrive at a fixed rate whatever the answers do (open loop: a slow answer does not slow
the arrivals, so queueing shows in the latency instead of hiding as a lower rate). Each latency
is measured from the request's scheduled arrival to its answer. The load generator runs in its
own process; on this 2-core machine it shares the CPUs with the server, like a co-located
client would.

Mix per arrival: 85 % `POST /v1/check` (90 % a random customer of the seeded million, 10 % one of
200 "hot" customers so that caps bite), 10 % `POST /v1/calls/{id}/outcome` on an earlier allowed
check, 4 % `POST /v1/scripts/lint`, 1 % `POST /v1/check/batch` of 1,000 numbers. Checks carry a
simulated `at` (a Monday 10:15 Shanghai plus the elapsed time; GUARD_ALLOW_CLIENT_TIME) so the
run does not depend on the hour it is started at.

Printed per store and rate: count, p50/p95/p99/max latency and errors per endpoint, and after
each rate the cap audit: attempts per number and per customer in the store (the pack allows one a
day each) must never exceed 1. The knee is the first rate whose check p99 is over twice the
lowest rate's, or that has errors. `--floor`: after each rate, the floor (bench/floor_app.py, one
insert per request on the same store, as bench/check.py's) at the same rate, its latency next to the
guard's checks.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import queue
import random
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guard.store.migrate import upgrade  # noqa: E402
from tests.e2e.servers import GuardServer, cli  # noqa: E402
from tests.pgserver import PgServer  # noqa: E402

BASE_AT = datetime(2026, 11, 23, 2, 15, tzinfo=timezone.utc)  # Monday 10:15 in Shanghai
HOT = 200
SCRIPT = "您好，我是XX银行的客户经理，本次通话将被录音。本产品为存款，本金和利息受存款保险保障。"
SENDERS = 96


def seed(url: str, customers: int) -> float:
    """A million customers with one number each, inserted in bulk (set-up, not the product path)."""
    from sqlalchemy import insert

    from guard.store import models as m
    from guard.store.db import Store

    started = time.perf_counter()
    store = Store(url)
    now = BASE_AT - timedelta(days=60)  # on record before the simulated instants checked, whatever day the bench runs on
    assessed = now - timedelta(days=30)
    chunk = 50_000
    for lo in range(0, customers, chunk):
        cv, cp = [], []
        for i in range(lo, min(customers, lo + chunk)):
            phone = f"+86136{i:08d}"
            cv.append(dict(customer_id=f"L{i}", valid_from=now, valid_to=None, phones=[phone], risk_level="C3",
                           risk_assessed_at=assessed, tags=[], windows=[], timezone=None, changed_by=None))
            cp.append(dict(customer_id=f"L{i}", phone_e164=phone, valid_from=now, valid_to=None))
        with store.locked() as conn:
            conn.execute(insert(m.CustomerVersion.__table__), cv)
            conn.execute(insert(m.CustomerPhone.__table__), cp)
        print(f"\r  seeded {min(customers, lo + chunk):,} customers", end="", file=sys.stderr, flush=True)
    print("", file=sys.stderr)
    # Settle the bulk load as an operator would after one: SQLite copies its WAL into the database,
    # PostgreSQL gathers planner statistics. Otherwise the first measured rate pays for the seeding.
    with store.locked() as conn:
        conn.exec_driver_sql("ANALYZE")
    store.dispose()
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(url.split("///", 1)[1]) as con:  # outside any transaction, with no one else on the file
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return time.perf_counter() - started


def _sender(port: int, keys: dict, jobs: "queue.Queue", results: list, allowed: list, lock: threading.Lock) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while True:
        job = jobs.get()
        if job is None:
            return
        due, kind, path, body = job
        if kind == "outcome":
            with lock:
                decision = allowed.pop() if allowed else None
            if decision is None:
                kind, path = "check", "/v1/check"
                body = {"phone": "13600000000", "customer_id": "L0", "campaign": "dep-2026q4", "at": body["at"]}
            else:
                path = f"/v1/calls/{decision}/outcome"
                body = {"disposition": random.choice(["no_answer", "answered", "busy", "refused"])}
        key = keys.get("reviewer" if kind == "lint" else "dialer")
        headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {key}"} if key else {})}
        status = 0
        try:
            conn.request("POST", path, body=json.dumps(body), headers=headers)
            response = conn.getresponse()
            raw = response.read()
            status = response.status
            if kind == "check" and status == 200:
                answer = json.loads(raw)
                if answer["allowed"]:
                    with lock:
                        allowed.append(answer["decision_id"])
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        results.append((kind, (time.monotonic() - due) * 1000, status, due))


def _drive(port: int, keys: dict, rate: float, seconds: float, customers: int, seed_: int, out: "mp.Queue",
           batch_share: float = 0.01, floor: bool = False) -> None:
    """The load generator's process: schedule arrivals, hand them to the senders, collect results."""
    rng = random.Random(seed_)
    jobs: queue.Queue = queue.Queue()
    results: list = []
    allowed: list = []
    lock = threading.Lock()
    senders = [threading.Thread(target=_sender, args=(port, keys, jobs, results, allowed, lock), daemon=True) for _ in range(SENDERS)]
    for s in senders:
        s.start()
    start = time.monotonic() + 0.5
    n = int(rate * seconds)
    for i in range(n):
        due = start + i / rate
        at = (BASE_AT + timedelta(seconds=i / rate)).isoformat()
        r = rng.random()
        if floor:  # the floor app (bench/floor_app.py): every arrival one insert, the checks' bodies
            c = rng.randrange(customers)
            job = ("floor", "/floor", {"phone": f"136{c:08d}", "customer_id": f"L{c}", "campaign": "dep-2026q4", "at": at})
        elif r < 0.85:
            c = rng.randrange(HOT) if rng.random() < 0.10 else rng.randrange(customers)
            job = ("check", "/v1/check", {"phone": f"136{c:08d}", "customer_id": f"L{c}", "campaign": "dep-2026q4", "at": at})
        elif r < 0.95:
            job = ("outcome", "", {"at": at})
        elif r < 1 - batch_share:
            job = ("lint", "/v1/scripts/lint", {"text": SCRIPT, "product_type": "deposit"})
        else:
            base = rng.randrange(max(1, customers - 1000))
            job = ("batch", "/v1/check/batch", {"campaign": "dep-2026q4", "phones": [f"136{base + k:08d}" for k in range(1000)]})
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        jobs.put((due, *job))
    for _ in senders:
        jobs.put(None)
    for s in senders:
        s.join()
    out.put((results, time.monotonic() - start))


def drive(port: int, keys: dict, rate: float, seconds: float, customers: int, seed_: int, batch_share: float,
          floor: bool = False) -> tuple[list, float]:
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_drive, args=(port, keys, rate, seconds, customers, seed_, q, batch_share, floor))
    p.start()
    results, took = q.get()
    p.join()
    return results, took


def pct(data: list[float], p: float) -> float:
    if not data:
        return float("nan")
    data = sorted(data)
    return data[min(len(data) - 1, int(round(p / 100 * (len(data) - 1))))]


def cap_violations(url: str) -> tuple[int, int, int]:
    from sqlalchemy import func, select

    from guard.store import models as m
    from guard.store.db import Store

    A = m.Attempt.__table__
    store = Store(url)
    with store.read() as conn:
        attempts = conn.execute(select(func.count()).select_from(A)).scalar_one()
        by_number = conn.execute(select(func.count()).select_from(
            select(A.c.phone_e164).group_by(A.c.phone_e164).having(func.count() > 1).subquery())).scalar_one()
        by_customer = conn.execute(select(func.count()).select_from(
            select(A.c.customer_id).where(A.c.customer_id.is_not(None)).group_by(A.c.customer_id).having(func.count() > 1).subquery())).scalar_one()
    store.dispose()
    return attempts, by_number, by_customer


def reset_attempts(url: str) -> None:
    """Between rates: a fresh day for the caps (the decisions stay; the attempts table is the caps' state)."""
    from sqlalchemy import delete

    from guard.store import models as m
    from guard.store.db import Store

    store = Store(url)
    with store.locked() as conn:
        conn.execute(delete(m.Attempt.__table__))
    store.dispose()


def print_floor(url: str, rate: float, seconds: float, customers: int, i: int) -> None:
    """The floor at the same rate, right after the guard's run: bench/floor_app.py (one insert per request
    on the same store) under the same gunicorn settings, every arrival a check-sized body."""
    from bench.check import floor_server_start

    server = GuardServer({"DATABASE_URL": url, "GUARD_LOG_LEVEL": "ERROR"})
    floor_server_start(server, "bench.floor_app:create_app()")
    try:
        results, took = drive(server.port, {}, rate, seconds, customers, 31 + i, 0.0, floor=True)
    finally:
        server.stop()
    lat = [ms for _, ms, _, _ in results]
    errors = sum(1 for _, _, status, _ in results if not 200 <= status < 300)
    print(f"    floor    n {len(lat):6d}  p50 {pct(lat, 50):7.1f}  p95 {pct(lat, 95):7.1f}  p99 {pct(lat, 99):7.1f}  "
          f"max {max(lat):8.1f} ms  errors {errors}  ({len(results) / took:.0f}/s answered; bench/floor_app.py, same rate)")


def print_windows(checks: list[tuple[float, float]], window: float) -> None:
    """The checks' p50/p99/max per `window` seconds of arrivals: a flat line, or where it bends."""
    if not checks:
        return
    first = min(due for due, _ in checks)
    buckets: dict[int, list[float]] = {}
    for due, ms in checks:
        buckets.setdefault(int((due - first) // window), []).append(ms)
    for i in sorted(buckets):
        lat = buckets[i]
        print(f"      {i * window:6.0f}-{(i + 1) * window:<6.0f}s  checks {len(lat):6d}  p50 {pct(lat, 50):7.1f}  "
              f"p99 {pct(lat, 99):7.1f}  max {max(lat):8.1f} ms")


def bench_store(kind: str, url: str, rates: list[float], seconds: float, customers: int, batch_share: float,
                warmup: float = 10.0, window: float = 0.0, floor: bool = False) -> None:
    upgrade(url)
    took = seed(url, customers)
    env = {"DATABASE_URL": url, "GUARD_ALLOW_CLIENT_TIME": "1", "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "ERROR"}
    keys = {role: cli(env, "keys", "create", "--role", role).stdout.strip() for role in ("dialer", "reviewer")}
    server = GuardServer(env).start()
    print(f"\n{kind}: {customers:,} customers seeded in {took:.0f} s; gunicorn {server.env['GUARD_WORKERS']} workers x "
          f"{server.env['GUARD_THREADS']} threads; {seconds:g} s per rate, open loop; batch share {batch_share:.0%}")
    knee, base_p99 = None, None
    try:
        if warmup:
            drive(server.port, keys, rates[0], warmup, customers, 7, batch_share)  # caches, pools, workers: not measured
            print(f"  warm-up: {warmup:g} s at {rates[0]:g}/s (not measured)")
        for i, rate in enumerate(rates):
            reset_attempts(url)
            results, took = drive(server.port, keys, rate, seconds, customers, 11 + i, batch_share)
            print(f"  rate {rate:g}/s offered ({len(results) / took:.0f}/s answered over {took:.0f} s)")
            check_p99 = None
            for endpoint in ("check", "outcome", "lint", "batch"):
                lat = [ms for k, ms, _, _ in results if k == endpoint]
                errors = sum(1 for k, _, status, _ in results if k == endpoint and not 200 <= status < 300)
                if not lat:
                    continue
                print(f"    {endpoint:8s} n {len(lat):6d}  p50 {pct(lat, 50):7.1f}  p95 {pct(lat, 95):7.1f}  "
                      f"p99 {pct(lat, 99):7.1f}  max {max(lat):8.1f} ms  errors {errors}")
                if endpoint == "check":
                    check_p99 = pct(lat, 99)
                    check_errors = errors
            if kind.startswith("PostgreSQL") and rate in P99_TARGETS and check_p99 is not None:
                want = P99_TARGETS[rate]
                print(f"    target: check p99 < {want:g} ms at {rate:g}/s on PostgreSQL: "
                      f"{'met' if check_p99 < want and not check_errors else 'NOT met'} ({check_p99:.1f} ms)")
            if window:
                print_windows([(due, ms) for k, ms, _, due in results if k == "check"], window)
            if floor:
                print_floor(url, rate, seconds, customers, i)
            attempts, over_n, over_c = cap_violations(url)
            print(f"    caps: {attempts} attempts recorded; numbers over cap {over_n}, customers over cap {over_c}")
            if base_p99 is None:
                base_p99 = check_p99
            elif knee is None and (check_p99 > 2 * base_p99 or check_errors):
                knee = rate
            sys.stdout.flush()
    finally:
        server.stop()
    print(f"  knee: {'none up to ' + format(rates[-1], 'g') + '/s' if knee is None else format(knee, 'g') + '/s'} "
          f"(first rate with check p99 > 2x that at {rates[0]:g}/s, or errors)")


# The open-loop targets (issue 20), PostgreSQL: the checks' p99 at an offered rate.
P99_TARGETS = {500.0: 25.0, 800.0: 100.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stores", default="postgresql,sqlite")
    parser.add_argument("--rates", default="100,200,300,400")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--batch-share", type=float, default=0.01, help="share of arrivals that are 1,000-number scrubs (rest of 4 %% lint)")
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds at the first rate before measuring")
    parser.add_argument("--window", type=float, default=0.0, help="also print the checks' p50/p99/max per window of this many seconds")
    parser.add_argument("--floor", action="store_true", help="after each rate, the floor app (bench/floor_app.py) at the same rate")
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",")]
    for kind in args.stores.split(","):
        if kind == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                bench_store("SQLite", f"sqlite:///{tmp}/guard.db", rates, args.seconds, args.customers, args.batch_share, args.warmup,
                            args.window, args.floor)
        elif kind == "postgresql":
            pg = PgServer(durable=True)
            pg.start()
            try:
                bench_store("PostgreSQL (fsync on)", pg.create_database("load"), rates, args.seconds, args.customers, args.batch_share,
                            args.warmup, args.window, args.floor)
            finally:
                pg.cleanup()
        else:
            parser.error(f"unknown store {kind!r}")


if __name__ == "__main__":
    main()
