"""Checks while a 100,000-number scrub runs: does the scrub hold the dialers up?

    .venv/bin/python bench/scrub_isolation.py [--rate 150] [--seconds 20] [--numbers 100000]

PostgreSQL (fsync on), bench/check.py's 20,000 seeded customers. An open-loop load of pre-call
checks (distinct numbers, `--rate` per second, latency from each check's scheduled arrival, from a
separate process) runs for `--seconds` in each of these set-ups, the scrubs (`POST /v1/check/batch`
of `--numbers` distinct numbers) sent back to back by another process throughout:

  baseline      no scrub (the figure the others are compared with)
  one pool      the scrubs go to the same gunicorn as the checks (`make run`: 2 workers x 4 threads)
  own pool      the scrubs go to a second gunicorn (1 worker x 2 threads), as deploy/nginx-guard.conf
                routes /v1/check/batch to deploy/guard-batch.service
  own pool, nice 10
                that second gunicorn started under `nice -n 10` (the unit's Nice=10): on a host where
                checks and scrubs share the cores, the kernel gives the checks the CPU first

Prints each set-up's check p50/p95/p99/max, its p99 against the baseline's (target: within ±20 %),
and how many scrubs completed with their seconds each.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.check import seed  # noqa: E402
from guard.store.migrate import upgrade  # noqa: E402
from tests.e2e.servers import GuardServer, cli  # noqa: E402
from tests.pgserver import PgServer  # noqa: E402

SENDERS = 16
AT = "2026-11-23T10:15:00+08:00"


def _sender(port: int, key: str, jobs: "queue.Queue", out: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}
    while True:
        job = jobs.get()
        if job is None:
            return
        due, body = job
        status = 0
        try:
            conn.request("POST", "/v1/check", body=json.dumps(body), headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        out.append(((time.monotonic() - due) * 1000, status))


def _checks(port: int, key: str, rate: float, seconds: float, offset: int, q: "mp.Queue") -> None:
    jobs: queue.Queue = queue.Queue()
    out: list = []
    senders = [threading.Thread(target=_sender, args=(port, key, jobs, out), daemon=True) for _ in range(SENDERS)]
    for s in senders:
        s.start()
    start = time.monotonic() + 0.2
    for i in range(int(rate * seconds)):
        due = start + i / rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        jobs.put((due, {"phone": f"135{offset + i:08d}", "campaign": "dep-2026q4", "at": AT}))
    for _ in senders:
        jobs.put(None)
    for s in senders:
        s.join()
    q.put(out)


def _scrubs(port: int, key: str, numbers: int, stop_at: float, q: "mp.Queue") -> None:
    body = json.dumps({"campaign": "dep-2026q4", "at": AT, "phones": [f"134{i:08d}" for i in range(numbers)]})
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}
    took = []
    while time.monotonic() < stop_at:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        started = time.monotonic()
        conn.request("POST", "/v1/check/batch", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        if response.status == 200:
            took.append(time.monotonic() - started)
    q.put(took)


def pct(data: list[float], p: float) -> float:
    data = sorted(data)
    return data[min(len(data) - 1, int(p / 100 * len(data)))] if data else float("nan")


def run(check_port: int, scrub_port: int | None, key: str, rate: float, seconds: float, numbers: int, offset: int):
    ctx = mp.get_context("fork")
    qc, qs = ctx.Queue(), ctx.Queue()
    scrubber = None
    if scrub_port is not None:
        scrubber = ctx.Process(target=_scrubs, args=(scrub_port, key, numbers, time.monotonic() + seconds, qs))
        scrubber.start()
        time.sleep(1.0)  # the first scrub under way
    checker = ctx.Process(target=_checks, args=(check_port, key, rate, seconds, offset, qc))
    checker.start()
    results = qc.get()
    checker.join()
    took = []
    if scrubber is not None:
        took = qs.get()
        scrubber.join()
    return results, took


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rate", type=float, default=150)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--numbers", type=int, default=100_000)
    args = ap.parse_args()
    pg = PgServer(durable=True)
    pg.start()
    servers: list[GuardServer] = []
    try:
        url = pg.create_database("guard")
        upgrade(url)
        seed(url)
        env = {"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_ALLOW_CLIENT_TIME": "1"}
        key = cli(env, "keys", "create", "--role", "dialer").stdout.strip()
        checks = GuardServer(env).start()
        servers.append(checks)
        batch = GuardServer(env, workers=1, threads=2).start()
        servers.append(batch)
        nice = GuardServer(env, workers=1, threads=2, prefix=["nice", "-n", "10"]).start()
        servers.append(nice)
        print(f"bench/scrub_isolation.py  {time.strftime('%Y-%m-%dT%H:%M:%S')}  cpus={os.cpu_count()}  "
              f"PostgreSQL, checks at {args.rate:.0f}/s for {args.seconds:.0f} s each, scrubs of {args.numbers:,} numbers back to back")
        baseline = None
        for i, (name, scrub_port) in enumerate([("baseline (no scrub)", None), ("one pool", checks.port),
                                                 ("own pool", batch.port), ("own pool, nice 10", nice.port)]):
            results, took = run(checks.port, scrub_port, key, args.rate, args.seconds, args.numbers, offset=i * 10_000_000)
            lat = [ms for ms, status in results if status == 200]
            errors = sum(1 for _, status in results if status != 200)
            p99 = pct(lat, 99)
            baseline = baseline or p99
            scrubs = f"  scrubs {len(took)} done, {sum(took) / len(took):.2f} s each" if took else ""
            print(f"  {name:20s} checks p50 {pct(lat, 50):7.1f} ms  p95 {pct(lat, 95):7.1f}  p99 {p99:7.1f}  max {max(lat):7.1f}  "
                  f"errors {errors}  p99/baseline {p99 / baseline:5.2f}{scrubs}")
            sys.stdout.flush()
    finally:
        for s in servers:
            s.stop()
        pg.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
