"""Checks while large scripts are linted: do the lints hold the dialers up? (issue 17's symptom)

    .venv/bin/python bench/lint_isolation.py [--rate 150] [--seconds 20] [--clients 6] [--chars 100000] [--setups ...]

Issue 17 measured it on the engine of 2026-12-02: a 100,000-character `POST /v1/scripts/lint` took 26.9 s, and six of
them at once pushed `/v1/check`'s p99 to 125 ms (max 24.9 s). This bench repeats that scenario against the working
tree. PostgreSQL (fsync on), bench/check.py's 20,000 seeded customers, one gunicorn as `make run` starts it (2 workers x
4 threads). An open-loop load of pre-call checks (distinct numbers, `--rate` per second, latency from each check's
scheduled arrival, from a separate process: bench/isolation.py) runs for `--seconds` in each set-up:

  baseline      no lint (the figure the others are compared with)
  one pool      `--clients` reviewers each send a `--chars`-character script (bench/lint.py's real scripts, the
                development sets' real text, joined by line breaks) to `POST /v1/scripts/lint` back to back, on the
                checks' gunicorn (`make run`, or a deployment that routes every path to guard.service)
  own pool      the same lints on a second gunicorn (1 worker x 2 threads), as deploy/nginx-guard.conf routes
                /v1/scripts to deploy/guard-batch.service
  own pool, nice 10
                that second gunicorn started under `nice -n 10` (the unit's Nice=10)

Every gunicorn lints in its workers' helper processes (GUARD_LINT_PROCESSES, default 1: guard/services/catalog/
lint_pool.py); `GUARD_LINT_PROCESSES=0 .venv/bin/python bench/lint_isolation.py` measures the lints in the workers'
own threads, as before 2026-12-06 (the servers take the bench's environment).

Prints each set-up's check p50/p95/p99/max and errors, its p99 against the baseline's, and how many lints completed
with their seconds each (p50 and max).
"""

from __future__ import annotations

import http.client
import json
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.isolation import compare, key, parser, pools  # noqa: E402
from bench.lint import build_real_scripts  # noqa: E402


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


def _lints(port: int, key: str, clients: int, text: str, stop_at: float, q) -> None:
    body = json.dumps({"text": text}).encode("utf-8")
    took: list[float] = []
    failed: list[float] = []
    threads = [threading.Thread(target=_reviewer, args=(port, key, body, stop_at, took, failed)) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    q.put((took, len(failed)))


def _lints_done(done: tuple[list[float], int]) -> str:
    took, failed = done
    if not took:
        return f"  lints 0 done ({failed} failed)"
    return f"  lints {len(took)} done ({failed} failed), p50 {sorted(took)[len(took) // 2]:.2f} s, max {max(took):.2f} s"


def main() -> int:
    ap = parser(__doc__)
    ap.add_argument("--clients", type=int, default=6)
    ap.add_argument("--chars", type=int, default=100_000)
    args = ap.parse_args()
    text = big_script(args.chars)
    with pools() as (env, pool):
        dialer, reviewer = key(env, "dialer"), key(env, "reviewer")
        print(f"bench/lint_isolation.py  {time.strftime('%Y-%m-%dT%H:%M:%S')}  cpus={os.cpu_count()}  load "
              f"{os.getloadavg()[0]:.1f}  PostgreSQL, checks at {args.rate:.0f}/s for {args.seconds:.0f} s each; "
              f"{args.clients} reviewers linting {len(text):,}-character scripts back to back")
        compare(args, pool, dialer, _lints, (reviewer, args.clients, text), _lints_done, "lint")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
