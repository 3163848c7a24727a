"""Checks while large scripts are linted: do the lints hold the dialers up? (issue 17's symptom)

    .venv/bin/python bench/lint_isolation.py [--rate 150] [--seconds 20] [--clients 6] [--chars 100000]

Issue 17 measured it on the engine of 2026-12-02: a 100,000-character `POST /v1/scripts/lint` took 26.9 s, and six of
them at once pushed `/v1/check`'s p99 to 125 ms (max 24.9 s). This bench repeats that scenario against the working
tree. PostgreSQL (fsync on), bench/check.py's 20,000 seeded customers, one gunicorn as `make run` starts it (2 workers x
4 threads). An open-loop load of pre-call checks (distinct numbers, `--rate` per second, latency from each check's
scheduled arrival, from a separate process: bench/scrub_isolation.py's) runs for `--seconds` in each set-up:

  baseline      no lint (the figure the others are compared with)
  one pool      `--clients` reviewers each send a `--chars`-character script (bench/lint.py's real scripts, the
                development sets' real text, joined by line breaks) to `POST /v1/scripts/lint` back to back, on the
                checks' gunicorn (`make run`, or a deployment that routes every path to guard.service)
  own pool      the same lints on a second gunicorn (1 worker x 2 threads), as deploy/nginx-guard.conf routes
                /v1/scripts to deploy/guard-batch.service
  own pool, nice 10
                that second gunicorn started under `nice -n 10` (the unit's Nice=10)

Prints each set-up's check p50/p95/p99/max and errors, its p99 against the baseline's, and how many lints completed
with their seconds each (p50 and max).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.check import seed  # noqa: E402
from bench.lint import build_real_scripts  # noqa: E402
from bench.scrub_isolation import _checks, pct  # noqa: E402
from guard.store.migrate import upgrade  # noqa: E402
from tests.e2e.servers import GuardServer, cli  # noqa: E402
from tests.pgserver import PgServer  # noqa: E402


def big_script(chars: int) -> str:
    """Real text of `chars` characters: bench/lint.py's real scripts joined by line breaks, cut at `chars`."""
    parts, size = [], 0
    for text, _ in build_real_scripts(chars // 1000 + 1):
        parts.append(text)
        size += len(text) + 1
        if size >= chars:
            break
    return "\n".join(parts)[:chars]


def _reviewer(port: int, key: str, body: bytes, stop_at: float, took: list, failed: list) -> None:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}
    while time.monotonic() < stop_at:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        started = time.monotonic()
        try:
            conn.request("POST", "/v1/scripts/lint", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            (took if response.status == 200 else failed).append(time.monotonic() - started)
        except (OSError, http.client.HTTPException):
            failed.append(time.monotonic() - started)
        finally:
            conn.close()


def _lints(port: int, key: str, clients: int, text: str, stop_at: float, q: "mp.Queue") -> None:
    body = json.dumps({"text": text}).encode("utf-8")
    took: list[float] = []
    failed: list[float] = []
    threads = [threading.Thread(target=_reviewer, args=(port, key, body, stop_at, took, failed)) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    q.put((took, len(failed)))


def beside_checks(port: int, check_key: str, rate: float, seconds: float, offset: int, work=None, args: tuple = ()):
    """The open-loop checks' results [(ms, status)], with `work(*args, stop_at, queue)` running in its own process from a
    second before them until they end (None: alone), and what `work` put on its queue (None)."""
    ctx = mp.get_context("fork")
    qc, qw = ctx.Queue(), ctx.Queue()
    worker = None
    if work is not None:
        worker = ctx.Process(target=work, args=(*args, time.monotonic() + seconds + 1.0, qw))
        worker.start()
        time.sleep(1.0)  # the work under way
    checker = ctx.Process(target=_checks, args=(port, check_key, rate, seconds, offset, qc))
    checker.start()
    results = qc.get()
    checker.join()
    done = None
    if worker is not None:
        done = qw.get()
        worker.join()
    return results, done


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rate", type=float, default=150)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--clients", type=int, default=6)
    ap.add_argument("--chars", type=int, default=100_000)
    ap.add_argument("--setups", default="baseline,one pool,own pool,own pool nice",
                    help="comma-separated: baseline, one pool, own pool, own pool nice (default: all)")
    args = ap.parse_args()
    text = big_script(args.chars)
    pg = PgServer(durable=True)
    pg.start()
    servers: list[GuardServer] = []
    try:
        url = pg.create_database("guard")
        upgrade(url)
        seed(url)
        env = {"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_ALLOW_CLIENT_TIME": "1"}
        check_key = cli(env, "keys", "create", "--role", "dialer").stdout.strip()
        lint_key = cli(env, "keys", "create", "--role", "reviewer").stdout.strip()
        server = GuardServer(env).start()
        servers.append(server)
        batch = GuardServer(env, workers=1, threads=2).start()
        servers.append(batch)
        nice = GuardServer(env, workers=1, threads=2, prefix=["nice", "-n", "10"]).start()
        servers.append(nice)
        print(f"bench/lint_isolation.py  {time.strftime('%Y-%m-%dT%H:%M:%S')}  cpus={os.cpu_count()}  load "
              f"{os.getloadavg()[0]:.1f}  PostgreSQL, checks at {args.rate:.0f}/s for {args.seconds:.0f} s each; "
              f"{args.clients} reviewers linting {len(text):,}-character scripts back to back")
        baseline = None
        setups = [("baseline", "baseline (no lint)", None), ("one pool", "one pool", server.port),
                  ("own pool", "own pool", batch.port), ("own pool nice", "own pool, nice 10", nice.port)]
        wanted = {w.strip() for w in args.setups.split(",")}
        for i, (_, name, lint_port) in enumerate(s for s in setups if s[0] in wanted):
            results, done = beside_checks(server.port, check_key, args.rate, args.seconds, i * 10_000_000,
                                          None if lint_port is None else _lints, (lint_port, lint_key, args.clients, text))
            took, failed = done or ([], 0)
            lat = [ms for ms, status in results if status == 200]
            errors = sum(1 for _, status in results if status != 200)
            p99 = pct(lat, 99)
            baseline = baseline or p99
            lints = (f"  lints {len(took)} done ({failed} failed), p50 {pct(took, 50):.2f} s, max {max(took):.2f} s"
                     if took else (f"  lints 0 done ({failed} failed)" if lint_port else ""))
            print(f"  {name:20s} checks p50 {pct(lat, 50):7.1f} ms  p95 {pct(lat, 95):7.1f}  p99 {p99:7.1f}  "
                  f"max {max(lat):7.1f}  errors {errors}  p99/baseline {p99 / baseline:5.2f}{lints}")
            sys.stdout.flush()
    finally:
        for s in servers:
            s.stop()
        pg.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
