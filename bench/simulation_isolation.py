"""Checks while an auditor runs a what-if simulation: does the simulation hold the dialers up?

    .venv/bin/python bench/simulation_isolation.py [--rate 150] [--seconds 20] [--rows 60000] [--setups ...]

`POST /v1/simulations` (`against: calls`) answers at once and judges the call log in a thread of the worker that took
it, twice (under the serving pack and under the draft), in that worker's process: the simulation's CPU runs beside
that worker's checks. The draft is the shipped cn-bank pack with its monthly cap per customer lowered (what an auditor would try).
PostgreSQL (fsync on), bench/check.py's 20,000 seeded customers, one gunicorn as `make run` starts it (2 workers x 4
threads). Open-loop pre-call checks (bench/isolation.py, `--rate` per second for `--seconds`) in each set-up:

  baseline          no simulation (the figure the others are compared with)
  one pool          simulations of a `--rows`-row call log (bench/gen_calls.py; the body holds at most 8 MB of log)
                    started on the checks' gunicorn one after another from a second before the checks until they end
  own pool          the same on a second gunicorn (1 worker x 2 threads), as deploy/guard-batch.service
  own pool nice     that second gunicorn under `nice -n 10` (the unit's Nice=10)

Prints each set-up's check p50/p95/p99/max and errors, its p99 against the baseline's, and how many simulations ended
and how long each took.
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
PACK = ROOT / "policies" / "packs" / "cn-bank-2026.4.yaml"


def draft() -> str:
    """The shipped cn-bank pack with its monthly cap per customer lowered from 3 to 2: a draft an auditor would try."""
    text = PACK.read_text(encoding="utf-8")
    old = "{scope: customer, window: 30d, max: 3}"
    if old not in text:
        raise SystemExit(f"{PACK.name} no longer holds {old}: choose another change for the draft")
    return text.replace(old, "{scope: customer, window: 30d, max: 2}")


def _simulations(port: int, key: str, body: str, stop_at: float, q) -> None:
    """Start simulations one after another until `stop_at`, each polled until it ends: (statuses, seconds of each)."""
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    statuses: list[str] = []
    took: list[float] = []
    while time.monotonic() < stop_at:
        started = time.monotonic()
        conn.request("POST", "/v1/simulations", body=body.encode("utf-8"), headers=headers)
        response = conn.getresponse()
        answer = json.loads(response.read())
        if response.status != 202:
            error = answer.get("error") or {}
            statuses.append(f"refused {response.status} {error.get('code')}: {error.get('message')}")
            break
        sim = until_ended(conn, f"/v1/simulations/{answer['simulation_id']}", headers, started, 0.25)
        statuses.append(str(sim.get("status")))
        took.append(time.monotonic() - started)
    conn.close()
    q.put((statuses, took))


def _summary(done) -> str:
    statuses, took = done
    kinds = ", ".join(f"{statuses.count(s)} {s}" for s in sorted(set(statuses)))
    times = " / ".join(f"{t:.1f}" for t in took)
    return f"  simulations: {kinds}; seconds each {times}"


def main() -> int:
    with call_log_bench(__doc__, 60_000, "guard-sim-iso-") as (args, env, pool, log):
        calls = log.read_text(encoding="utf-8")
        if len(calls.encode("utf-8")) > 8 * 1024 * 1024:
            raise SystemExit(f"--rows {args.rows}: the log is {len(calls.encode()) / 1e6:.1f} MB, over the 8 MB a request holds")
        body = json.dumps({"draft": draft(), "draft_name": "cn-bank-draft.yaml", "against": "calls", "calls": calls})
        dialer, auditor = key(env, "dialer"), key(env, "auditor")
        print(f"bench/simulation_isolation.py  {time.strftime('%Y-%m-%dT%H:%M:%S')}  cpus={os.cpu_count()}  load "
              f"{os.getloadavg()[0]:.1f}  PostgreSQL, checks at {args.rate:.0f}/s for {args.seconds:.0f} s each; "
              f"simulations of a {args.rows:,}-row call log ({len(calls) / 1e6:.1f} MB) back to back")
        compare(args, pool, dialer, _simulations, (auditor, body), _summary, "simulations")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
