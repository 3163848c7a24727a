"""Benchmark of POST /v1/check against its floor, on SQLite and PostgreSQL.

    .venv/bin/python bench/check.py [--seconds 20] [--clients 8] [--stores sqlite,postgresql]
                                    [--worker-class gthread|sync] [--workers N]

For each store: gunicorn as `make run` starts it (gunicorn.conf.py), a load generator in
separate processes (8 keep-alive clients, closed loop), and three runs:
  floor    a bare Flask endpoint (bench/floor_app.py): same JSON, one indexed insert, one transaction
  distinct every check a different number (allowed: decision + attempt recorded)
  hot      every check the same customer (serialised by its lock; denied by the cap after the first)
  keyed    as distinct, each check with an Idempotency-Key of its own (the key's lock, read and row on top)
It prints p50/p99 latency and checks/s for each, and guard/floor, and the CPU time each check cost
(user + system of the gunicorn processes, and of the PostgreSQL server's processes: what sizes app
hosts and the primary in docs/scale.md). Then the pure decide() in-process.
PostgreSQL runs as a throwaway cluster on loopback with durable commits (fsync on), like production.
`--worker-class sync --workers N` runs the floor and the guard on gunicorn's sync workers instead
(one request at a time per process, no keep-alive: each request opens a connection; the slow-client
protection is then nginx's, see the README's deployment guide), for the comparison the README shows.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.closed_loop import Result, run  # noqa: E402
from guard.store.migrate import upgrade  # noqa: E402
from tests.e2e.servers import GuardServer, cli  # noqa: E402
from tests.pgserver import PgServer  # noqa: E402

AT = "2026-11-23T10:15:00+08:00"  # a Monday inside the default windows; judged there (client time)
SEED_CUSTOMERS = 20_000


# When the seeded facts are on record: before every instant the benches judge at (the checks at AT,
# bench/gen_calls.py's calls from 1 October 2026), so an as-of read at those instants holds them.
# Stamped with the real clock they would start after those instants, and an audit or a replay would
# judge every seeded customer's number as one nothing is held about.
SEEDED_AT = datetime(2026, 9, 1, tzinfo=ZoneInfo("UTC"))


def seed(url: str, at: datetime = SEEDED_AT) -> None:
    """Customers with phones and a sprinkling of blacklist entries, on record from `at`, so lookups hit real indexes."""
    from sqlalchemy import insert

    from guard.store import models as m
    from guard.store.db import Store

    store = Store(url)
    now = at
    rng = random.Random(7)
    with store.read() as conn:
        cv, cp, bl = [], [], []
        for i in range(SEED_CUSTOMERS):
            phone = f"+86137{i:08d}"
            cv.append(dict(customer_id=f"S{i}", valid_from=now, valid_to=None, phones=[phone], risk_level="C3",
                           risk_assessed_at=now - timedelta(days=30), tags=[], windows=[], timezone=None, changed_by=None))
            cp.append(dict(customer_id=f"S{i}", phone_e164=phone, valid_from=now, valid_to=None))
            if rng.random() < 0.05:
                bl.append(dict(id=f"bl{i}", phone_e164=phone, customer_id=None, source="registry", reason=None, added_at=now,
                               expires_at=None, added_by=None, removed_at=None, removed_by=None, removal_reason=None, recorded_at=now))
        conn.execute(insert(m.CustomerVersion.__table__), cv)
        conn.execute(insert(m.CustomerPhone.__table__), cp)
        conn.execute(insert(m.BlacklistEntry.__table__), bl)
        conn.execute(insert(m.CustomerVersion.__table__), [dict(
            customer_id="HOT", valid_from=now, valid_to=None, phones=["+8613900000000"], risk_level="C3",
            risk_assessed_at=now - timedelta(days=30), tags=[], windows=[], timezone=None, changed_by=None)])
        conn.execute(insert(m.CustomerPhone.__table__), [dict(customer_id="HOT", phone_e164="+8613900000000", valid_from=now, valid_to=None)])
    store.dispose()


def distinct_body(client: int, n: int) -> dict:
    return {"phone": f"138{client:02d}{n:06d}", "campaign": "dep-2026q4", "at": AT, "agent_id": f"A{client}"}


def hot_body(client: int, n: int) -> dict:
    return {"phone": "13900000000", "campaign": "dep-2026q4", "customer_id": "HOT", "at": AT}


def keyed_body(client: int, n: int) -> dict:
    return {"phone": f"136{client:02d}{n:06d}", "campaign": "dep-2026q4", "at": AT, "agent_id": f"A{client}"}


def keyed(headers: dict):
    """The dialer's headers with an Idempotency-Key of its own for each request (none repeats: every check is decided)."""
    return lambda client, n: {**headers, "Idempotency-Key": f"bench-{client}-{n}"}


def floor_body(client: int, n: int) -> dict:
    return distinct_body(client, n)


def line(name: str, r: Result, floor: Result | None = None, cpu: tuple[float, float] | None = None) -> str:
    ratio = f"  guard/floor {r.rate / floor.rate:4.2f}" if floor else ""
    spent = ""
    if cpu is not None and r.requests:
        app, db = cpu
        spent = f"  cpu/check app {1e6 * app / r.requests:5.0f} us" + (f" db {1e6 * db / r.requests:5.0f} us" if db else "")
    return (f"  {name:9s} {r.rate:8.0f} req/s  p50 {r.percentile(50):6.2f} ms  p99 {r.percentile(99):6.2f} ms  "
            f"errors {r.errors}{ratio}{spent}")


TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu(root: int | None) -> float:
    """CPU seconds (user + system) used so far by a process and its descendants that are alive."""
    if root is None:
        return 0.0
    parent, used = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        parent[int(entry.name)] = int(fields[1])
        used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / TICK
    total = 0.0
    for pid, cpu in used.items():
        p = pid
        while p and p != root:
            p = parent.get(p, 0)
        if p == root:
            total += cpu
    return total


def measured(server_pid: int, db_pid: int | None, fn):
    """Run fn() and return its result with the CPU seconds the server and the database spent meanwhile."""
    app0, db0 = tree_cpu(server_pid), tree_cpu(db_pid)
    result = fn()
    return result, (tree_cpu(server_pid) - app0, tree_cpu(db_pid) - db0)


def bench_store(kind: str, url: str, seconds: float, clients: int, db_pid: int | None = None,
                worker_class: str = "gthread", workers: int | None = None) -> None:
    upgrade(url)
    seed(url)
    env = {"DATABASE_URL": url, "GUARD_ALLOW_CLIENT_TIME": "1", "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "ERROR"}
    if worker_class != "gthread" or workers:
        # gunicorn reads GUNICORN_CMD_ARGS after its config file: these override gunicorn.conf.py
        env["GUNICORN_CMD_ARGS"] = " ".join(
            ([f"--worker-class {worker_class}"] if worker_class != "gthread" else []) + ([f"--workers {workers}"] if workers else []))
    key = cli(env, "keys", "create", "--role", "dialer").stdout.strip()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}

    # The floor's table exists before its workers start (two workers creating it at once collide on PostgreSQL).
    from sqlalchemy import create_engine

    from bench.floor_app import metadata as floor_metadata

    engine = create_engine(url)
    floor_metadata.create_all(engine)
    engine.dispose()

    floor_server = GuardServer(env)
    floor_server.env["GUARD_BIND"] = floor_server.env["GUARD_BIND"]
    floor_server_cmd_app = "bench.floor_app:create_app()"
    floor_server_start(floor_server, floor_server_cmd_app)
    try:
        floor, floor_cpu = measured(floor_server.proc.pid, db_pid, lambda: run(floor_server.port, "/floor", headers, floor_body, clients, seconds))
    finally:
        floor_server.stop()

    guard = GuardServer(env).start()
    try:
        distinct, distinct_cpu = measured(guard.proc.pid, db_pid, lambda: run(guard.port, "/v1/check", headers, distinct_body, clients, seconds))
        hot, hot_cpu = measured(guard.proc.pid, db_pid, lambda: run(guard.port, "/v1/check", headers, hot_body, clients, seconds))
        key, key_cpu = measured(guard.proc.pid, db_pid, lambda: run(guard.port, "/v1/check", keyed(headers), keyed_body, clients, seconds))
    finally:
        guard.stop()
    shape = (f"{workers or guard.env['GUARD_WORKERS']} sync workers" if worker_class == "sync" else
             f"{workers or guard.env['GUARD_WORKERS']} workers x {guard.env['GUARD_THREADS']} threads")
    print(f"{kind} (gunicorn {shape}, {clients} clients, {seconds:g} s)")
    print(line("floor", floor, cpu=floor_cpu))
    print(line("distinct", distinct, floor, distinct_cpu))
    print(line("hot", hot, floor, hot_cpu))
    print(line("keyed", key, floor, key_cpu) + f"  keyed/distinct {key.rate / distinct.rate:4.2f}")
    print(verdict(kind, distinct, hot, floor))
    sys.stdout.flush()


# The speed targets (issue 20): guard/floor for distinct numbers and for one hot customer, and the
# distinct checks' p99, per store.
TARGETS = {"sqlite": (0.85, 0.7, 15.0), "postgresql": (0.8, 0.6, 15.0)}


def verdict(kind: str, distinct: Result, hot: Result, floor: Result) -> str:
    """One line: each target of `kind`'s store next to its figure, met or not."""
    want_distinct, want_hot, want_p99 = TARGETS[kind]
    got = [("distinct guard/floor", distinct.rate / floor.rate, want_distinct, ">="),
           ("hot guard/floor", hot.rate / floor.rate, want_hot, ">="),
           ("distinct p99 ms", distinct.percentile(99), want_p99, "<")]
    parts = [f"{name} {value:.3f} (target {op} {want:g}: {'met' if (value >= want if op == '>=' else value < want) else 'NOT met'})"
             for name, value, want, op in got]
    return "  targets: " + "; ".join(parts)


def floor_server_start(server: GuardServer, app_spec: str) -> None:
    import subprocess

    server.log.parent.mkdir(exist_ok=True)
    server._log_handle = open(server.log, "wb")
    server.proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), app_spec],
        cwd=ROOT, env=server.env, stdout=server._log_handle, stderr=subprocess.STDOUT,
    )
    from tests.e2e.servers import request

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            request(server.port, "POST", "/floor", {"phone": "x"})
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("floor server did not start")


def bench_decide(iterations: int = 20000) -> None:
    from guard.core.decide import decide
    from guard.core.facts import Attempt, CheckInput, CustomerFacts, Facts
    from guard.core.phones import parse_phone, parse_phone_once
    from policies.loader import PackRegistry

    registry = PackRegistry(ROOT / "policies" / "packs", "cn-bank")
    registry.load()
    now = datetime.fromisoformat(AT)
    pack = registry.current.at("cn-bank", now)
    phone = parse_phone("13800138000", "CN")
    customer = CustomerFacts(id="C1", phones=(phone.e164,), risk_level="C3", risk_assessed_at=now - timedelta(days=30))
    allowed = Facts(phone=phone, customers=(customer,), owner="C1", campaign=pack.campaigns["wm-2026q4"], products=pack.products)
    denied = Facts(phone=phone, customers=(customer,), owner="C1", campaign=pack.campaigns["wm-2026q4"], products=pack.products,
                   number_attempts=(Attempt(at=now - timedelta(hours=1)),))
    request = CheckInput(campaign="wm-2026q4")

    def per_call(facts: Facts) -> float:
        samples = []
        for _ in range(5):
            t = time.perf_counter()
            for _ in range(iterations // 5):
                decide(request, facts, pack, now)
            samples.append((time.perf_counter() - t) / (iterations // 5) * 1e6)
        return statistics.median(samples)

    t = time.perf_counter()
    for i in range(2000):
        parse_phone_once(f"138{i:08d}", "CN")
    parse_us = (time.perf_counter() - t) / 2000 * 1e6
    print("pure core (in-process, median of 5 runs)")
    print(f"  decide() allowed            {per_call(allowed):7.1f} us/call")
    print(f"  decide() denied + next time {per_call(denied):7.1f} us/call")
    print(f"  parse_phone (uncached)      {parse_us:7.1f} us/call (outside decide: the service parses first)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--worker-class", choices=("gthread", "sync"), default="gthread")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py's)")
    args = parser.parse_args()
    print(f"bench/check.py  {datetime.now().isoformat(timespec='seconds')}  cpus={os.cpu_count()}")
    bench_decide()
    work = Path(tempfile.mkdtemp(prefix="guard-bench-"))
    try:
        if "sqlite" in args.stores:
            bench_store("sqlite", f"sqlite:///{work / 'bench.db'}", args.seconds, args.clients,
                        worker_class=args.worker_class, workers=args.workers)
        if "postgresql" in args.stores:
            pg = PgServer(durable=True)
            pg.start()
            try:
                url = pg.create_database("bench")
                postmaster = int((pg.data / "postmaster.pid").read_text().split()[0])
                bench_store("postgresql", url, args.seconds, args.clients, postmaster,
                            worker_class=args.worker_class, workers=args.workers)
            finally:
                pg.cleanup()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
