"""Checks while an auditor's call log is audited: does the audit hold the dialers up?

    .venv/bin/python bench/audit_isolation.py [--rate 150] [--seconds 20] [--rows 300000] [--setups ...]

`POST /v1/audits` judges the upload in a thread of the worker that took it (and, for a large log, in processes that
worker forks): the reading, the history and the writing run beside that worker's checks. PostgreSQL (fsync on),
bench/check.py's 20,000 seeded customers, one gunicorn as `make run` starts it (2 workers x 4 threads). Open-loop
pre-call checks (bench/scrub_isolation.py's, `--rate` per second for `--seconds`) in each set-up:

  baseline          no audit (the figure the others are compared with)
  one pool          a call log of `--rows` rows (bench/gen_calls.py) uploaded to the checks' gunicorn a second before
                    the checks start, then polled until it ends
  own pool          the same upload to a second gunicorn (1 worker x 2 threads), as deploy/guard-batch.service
  own pool nice     that second gunicorn under `nice -n 10` (the unit's Nice=10)

Prints each set-up's check p50/p95/p99/max and errors, its p99 against the baseline's, and the audit's status, rows
and seconds (the audit usually outlasts the checks' window: `--rows` is chosen so that it does).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.check import seed  # noqa: E402
from bench.gen_calls import generate  # noqa: E402
from bench.lint_isolation import beside_checks  # noqa: E402
from bench.scrub_isolation import pct  # noqa: E402
from guard.store.migrate import upgrade  # noqa: E402
from tests.e2e.servers import GuardServer, cli  # noqa: E402
from tests.pgserver import PgServer  # noqa: E402

ENDED = {"done", "failed", "cancelled"}


def _audit(port: int, key: str, log: str, stop_at: float, q) -> None:
    """Upload the log, then poll the audit until it ends: (status, rows judged, seconds)."""
    headers = {"Authorization": f"Bearer {key}"}
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("POST", "/v1/audits", body=Path(log).read_bytes(), headers={**headers, "Content-Type": "text/csv"})
    response = conn.getresponse()
    answer = json.loads(response.read())
    if response.status != 202:
        q.put((f"upload refused: {response.status} {answer}", 0, time.monotonic() - started))
        return
    audit: dict = {}
    while time.monotonic() - started < 900:
        conn.request("GET", f"/v1/audits/{answer['audit_id']}", headers=headers)
        audit = json.loads(conn.getresponse().read())
        if audit.get("status") in ENDED:
            break
        time.sleep(0.5)
    conn.close()
    rows = (audit.get("summary") or {}).get("rows") or audit.get("rows") or 0
    q.put((audit.get("status"), rows, time.monotonic() - started))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rate", type=float, default=150)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--rows", type=int, default=300_000)
    ap.add_argument("--setups", default="baseline,one pool,own pool,own pool nice",
                    help="comma-separated: baseline, one pool, own pool, own pool nice (default: all)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="guard-audit-iso-"))
    log = work / "calls.csv"
    generate(args.rows, log)
    pg = PgServer(durable=True)
    pg.start()
    servers: list[GuardServer] = []
    try:
        url = pg.create_database("guard")
        upgrade(url)
        seed(url)
        env = {"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_ALLOW_CLIENT_TIME": "1",
               "GUARD_DATA_DIR": str(work / "data"), "GUARD_LOG_LEVEL": "WARNING"}
        check_key = cli(env, "keys", "create", "--role", "dialer").stdout.strip()
        audit_key = cli(env, "keys", "create", "--role", "auditor").stdout.strip()
        server = GuardServer(env).start()
        servers.append(server)
        batch = GuardServer(env, workers=1, threads=2).start()
        servers.append(batch)
        nice = GuardServer(env, workers=1, threads=2, prefix=["nice", "-n", "10"]).start()
        servers.append(nice)
        print(f"bench/audit_isolation.py  {time.strftime('%Y-%m-%dT%H:%M:%S')}  cpus={os.cpu_count()}  load "
              f"{os.getloadavg()[0]:.1f}  PostgreSQL, checks at {args.rate:.0f}/s for {args.seconds:.0f} s each; "
              f"a {args.rows:,}-row call log ({log.stat().st_size / 1e6:.0f} MB) audited")
        setups = [("baseline", "baseline (no audit)", None), ("one pool", "one pool", server.port),
                  ("own pool", "own pool", batch.port), ("own pool nice", "own pool, nice 10", nice.port)]
        wanted = {w.strip() for w in args.setups.split(",")}
        baseline = None
        for i, (_, name, port) in enumerate(x for x in setups if x[0] in wanted):
            results, done = beside_checks(server.port, check_key, args.rate, args.seconds, i * 10_000_000,
                                          None if port is None else _audit, (port, audit_key, str(log)))
            lat = [ms for ms, status in results if status == 200]
            errors = sum(1 for _, status in results if status != 200)
            p99 = pct(lat, 99)
            baseline = baseline or p99
            audit = f"  audit {done[0]}, {done[1]:,} rows, {done[2]:.1f} s" if done else ""
            print(f"  {name:20s} checks p50 {pct(lat, 50):7.1f} ms  p95 {pct(lat, 95):7.1f}  p99 {p99:7.1f}  "
                  f"max {max(lat):7.1f}  errors {errors}  p99/baseline {p99 / baseline:5.2f}{audit}")
            sys.stdout.flush()
    finally:
        for s in servers:
            s.stop()
        pg.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
