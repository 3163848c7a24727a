"""Checks while a 100,000-number scrub runs: does the scrub hold the dialers up?

    .venv/bin/python bench/scrub_isolation.py [--rate 150] [--seconds 20] [--numbers 100000] [--setups ...]

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

import http.client
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.isolation import AT, compare, key, parser, pools  # noqa: E402


def _scrubs(port: int, key: str, numbers: int, stop_at: float, q) -> None:
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


def main() -> int:
    ap = parser(__doc__)
    ap.add_argument("--numbers", type=int, default=100_000)
    args = ap.parse_args()
    with pools() as (env, pool):
        dialer = key(env, "dialer")
        print(f"bench/scrub_isolation.py  {time.strftime('%Y-%m-%dT%H:%M:%S')}  cpus={os.cpu_count()}  "
              f"PostgreSQL, checks at {args.rate:.0f}/s for {args.seconds:.0f} s each, scrubs of {args.numbers:,} numbers back to back")
        compare(args, pool, dialer, _scrubs, (dialer, args.numbers),
                lambda took: f"  scrubs {len(took)} done, {sum(took) / len(took):.2f} s each" if took else "  scrubs 0 done",
                "scrub")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
