"""Checks while an auditor's call log is audited: does the audit hold the dialers up?

    .venv/bin/python bench/audit_isolation.py [--rate 150] [--seconds 20] [--rows 300000] [--setups ...]

`POST /v1/audits` judges the upload in a thread of the worker that took it (and, for a large log, in processes that
worker forks): the reading, the history and the writing run beside that worker's checks. PostgreSQL (fsync on),
bench/check.py's 20,000 seeded customers, one gunicorn as `make run` starts it (2 workers x 4 threads). Open-loop
pre-call checks (bench/isolation.py, `--rate` per second for `--seconds`) in each set-up:

  baseline          no audit (the figure the others are compared with)
  one pool          a call log of `--rows` rows (bench/gen_calls.py) uploaded to the checks' gunicorn a second before
                    the checks start, then polled until it ends
  own pool          the same upload to a second gunicorn (1 worker x 2 threads), as deploy/guard-batch.service
  own pool nice     that second gunicorn under `nice -n 10` (the unit's Nice=10)

Prints each set-up's check p50/p95/p99/max and errors, its p99 against the baseline's, and the audit's status, rows
and seconds (the audit usually outlasts the checks' window: `--rows` is chosen so that it does).
"""

from __future__ import annotations

import http.client
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.isolation import call_log_bench, compare, key, until_ended  # noqa: E402


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
    audit = until_ended(conn, f"/v1/audits/{answer['audit_id']}", headers, started, 0.5)
    conn.close()
    rows = (audit.get("summary") or {}).get("rows") or audit.get("rows") or 0
    q.put((audit.get("status"), rows, time.monotonic() - started))


def main() -> int:
    with call_log_bench(__doc__, 300_000, "guard-audit-iso-") as (args, env, pool, log):
        dialer, auditor = key(env, "dialer"), key(env, "auditor")
        print(f"bench/audit_isolation.py  {time.strftime('%Y-%m-%dT%H:%M:%S')}  cpus={os.cpu_count()}  load "
              f"{os.getloadavg()[0]:.1f}  PostgreSQL, checks at {args.rate:.0f}/s for {args.seconds:.0f} s each; "
              f"a {args.rows:,}-row call log ({log.stat().st_size / 1e6:.0f} MB) audited")
        compare(args, pool, dialer, _audit, (auditor, str(log)),
                lambda done: f"  audit {done[0]}, {done[1]:,} rows, {done[2]:.1f} s", "audit")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
