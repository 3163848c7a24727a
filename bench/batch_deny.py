"""Time and peak memory of a 100,000-number POST /v1/check/batch where most rows are denied, against one where most are allowed.

    .venv/bin/python bench/batch_deny.py [--numbers 100000] [--rounds 2] [--cases allowed,denied]

Seeds a SQLite store with one customer per number (recorded a year before), so every number has a history and is
judged alone (numbers nothing is held about already share one decision per zone set, guard.services.calls.scrub).
Then, in the same run, guard.services.calls.scrub.scrub (judging and encoding, as the server does), in process:
  allowed   Monday 2026-11-23 10:15 Shanghai: every number may be called
  denied    2026-10-01 01:55 Shanghai, National Day at night: QUIET_HOURS and HOLIDAY on every number, and each
            denial's next_allowed_at searched (3, then 16 days ahead)
each with the sharing on (rows with the same reasons at one instant share their rendered messages and encoding,
scrub.RENDERED_KEPT; the same search for next_allowed_at, same instant, zones, windows and calendar, is walked once,
guard.core.windows.next_open_instant) and off (`naive`: nothing kept, every row rendered and searched alone). Seconds are the best of --rounds; peak memory is tracemalloc's peak during one more run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guard.core import decide as decide_mod  # noqa: E402
from guard.core import windows  # noqa: E402
from guard.services.calls import scrub  # noqa: E402
from guard.store.migrate import upgrade  # noqa: E402

ALLOW_AT = datetime(2026, 11, 23, 2, 15, tzinfo=timezone.utc)  # Monday 10:15 in Shanghai
DENY_AT = datetime(2026, 9, 30, 17, 55, tzinfo=timezone.utc)  # 1 October 01:55 in Shanghai, National Day
CAMPAIGN = "dep-2026q4"


def seed(url: str, n: int) -> list[str]:
    from sqlalchemy import insert

    from guard.store import models as m
    from guard.store.db import Store

    store = Store(url)
    since = datetime(2025, 9, 1, tzinfo=timezone.utc)
    phones = [f"+86137{i:08d}" for i in range(n)]
    with store.read() as conn:
        conn.execute(insert(m.CustomerVersion.__table__), [dict(
            customer_id=f"S{i}", valid_from=since, valid_to=None, phones=[p], risk_level="C3",
            risk_assessed_at=since + timedelta(days=30), tags=[], windows=[], timezone=None, changed_by=None)
            for i, p in enumerate(phones)])
        conn.execute(insert(m.CustomerPhone.__table__), [dict(customer_id=f"S{i}", phone_e164=p, valid_from=since, valid_to=None)
                                                         for i, p in enumerate(phones)])
    store.dispose()
    return [p[3:] for p in phones]  # national form, as a CRM exports them


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--numbers", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--cases", default="allowed,denied", help="which batches to run (comma-separated: allowed, denied)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="guard-bench-batch-deny-"))
    url = f"sqlite:///{tmp / 'guard.db'}"
    upgrade(url)
    raws = seed(url, args.numbers)
    print(f"bench/batch_deny.py  {datetime.now().isoformat(timespec='seconds')}  cpus={os.cpu_count()}  {len(raws)} numbers, "
          f"each a customer's, SQLite")
    from app import create_app

    app = create_app({"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "ERROR"})
    guard = app.extensions["guard"].guard
    scrub.scrub(guard, CAMPAIGN, raws[:1000], ALLOW_AT, None, None)  # warm: parsing workers, imports
    answers = {}
    kept = scrub.RENDERED_KEPT
    for label, at in (("allowed", ALLOW_AT), ("denied", DENY_AT)):
        if label not in args.cases.split(","):
            continue
        for sharing in (True, False):
            scrub.RENDERED_KEPT = kept if sharing else 0
            decide_mod.next_open_instant = windows.next_open_instant if sharing else windows.search_next_open_instant
            best = float("inf")
            for _ in range(args.rounds):
                started = time.perf_counter()
                body = scrub.scrub(guard, CAMPAIGN, raws, at, None, None)
                best = min(best, time.perf_counter() - started)
            tracemalloc.start()
            scrub.scrub(guard, CAMPAIGN, raws, at, None, None)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            answers[label, sharing] = body
            allowed = body.count(b'"allowed":true')
            print(f"  {label:8s} {'shared' if sharing else 'naive':7s} {best:6.2f} s  {len(raws) / best:9.0f} numbers/s  "
                  f"peak {peak / 2**20:6.0f} MiB  ({allowed} allowed, {len(body) / 1e6:.1f} MB answer)")
        same = answers[label, True].split(b'"evaluated_at"')[0] == answers[label, False].split(b'"evaluated_at"')[0]
        print(f"  {label:8s} answers with and without the sharing identical: {same}")
    scrub.RENDERED_KEPT, decide_mod.next_open_instant = kept, windows.next_open_instant
    app.extensions["guard"].store.dispose()


if __name__ == "__main__":
    main()
