"""Benchmark of list scrubbing (`POST /v1/check/batch`) on SQLite: 100,000 numbers.

    .venv/bin/python bench/batch.py [--numbers 100000]

Seeds a SQLite store with 20,000 customers (5% of their numbers on a registry list; no attempts), on
record before the instant judged (bench.check.SEEDED_AT), then judges a list of distinct numbers at AT (a
fifth of them customers' numbers, the rest unknown), and prints how the answers split by reasons:
  set-based   guard.services.calls.scrub.scrub (judging and encoding, as the server does), in-process (first run includes starting the
              parsing workers; second run with the numbers' parse memo warm, as for a re-scrub)
  http        the same list POSTed to gunicorn as `make run` starts it (one request, end to end)
  naive       one number at a time: parse, open a transaction, the single-check queries, decide;
              on the first 5,000 numbers, extrapolated to the whole list.
Target: 100,000 numbers in under 1 s over HTTP (the first release's was 5 s); printed met or not.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.check import seed  # noqa: E402
from guard.core.decide import decide  # noqa: E402
from guard.core.facts import CheckInput  # noqa: E402
from guard.core.phones import parse_phone  # noqa: E402
from guard.services.calls import scrub  # noqa: E402
from guard.core.facts import customers_of_call  # noqa: E402
from guard.core.history import Held, History  # noqa: E402
from guard.services.calls.check import longest_window  # noqa: E402
from guard.store.migrate import upgrade  # noqa: E402
from tests.e2e.servers import GuardServer, cli  # noqa: E402

AT = datetime(2026, 11, 23, 2, 15, tzinfo=timezone.utc)  # Monday 10:15 in Shanghai
CAMPAIGN = "dep-2026q4"
TARGET_S = 1.0  # seconds per 100,000 numbers over HTTP


def numbers(n: int) -> list[str]:
    rng = random.Random(11)
    known = [f"137{i:08d}" for i in range(min(20_000, n // 5))]  # the seeded customers' numbers (national form)
    fresh = [f"{rng.choice(('135', '136', '138', '139', '150', '186'))}{i:08d}" for i in range(n - len(known))]
    out = known + fresh
    rng.shuffle(out)
    return out


def answers(body: bytes) -> Counter:
    """How many rows of a scrub's answer carry each set of reason codes (none: allowed without reasons)."""
    return Counter(tuple(r["code"] for r in row["reasons"]) for row in json.loads(body)["results"])


def naive(guard, raws: list[str], named: list[str | None] | None = None) -> float:
    """One number at a time (each with the customer `named` beside it, if any): parse, a transaction, the single check's queries, decide."""
    parse_phone.cache_clear()
    store = guard.store
    started = time.perf_counter()
    for raw, customer in zip(raws, named or [None] * len(raws)):
        packs = guard.packs()
        with store.read() as conn:
            cur = store.cursor(conn)
            history = History()
            resolution = store.facts.catalog_now(cur, history, packs, CAMPAIGN, None, AT)
            phone = parse_phone(raw, resolution.pack.region)
            number = phone.e164 if phone.valid else None
            owner = store.facts.owner_now(cur, number)
            if owner is not None:
                history.owners[number] = [Held(owner, AT)]
            since = AT - longest_window(resolution.pack)
            store.facts.load_call(cur, history, number, customers_of_call(owner, customer), since, AT)
            facts = history.facts(phone, customer, None, since, resolution.catalog)
        decide(CheckInput(campaign=CAMPAIGN, customer_id=customer), facts, resolution.pack, AT)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--numbers", type=int, default=100_000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="guard-bench-batch-"))
    url = f"sqlite:///{tmp / 'guard.db'}"
    upgrade(url)
    seed(url)
    print(f"bench/batch.py  {datetime.now().isoformat(timespec='seconds')}  cpus={os.cpu_count()}  {args.numbers} numbers, SQLite")
    from app import create_app

    app = create_app({"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "ERROR"})
    guard = app.extensions["guard"].guard
    raws = numbers(args.numbers)
    for label in ("set-based (cold)", "set-based (warm)"):
        if label.endswith("(cold)"):
            parse_phone.cache_clear()
        started = time.perf_counter()
        body = scrub.scrub(guard, CAMPAIGN, raws, AT, None, None)
        took = time.perf_counter() - started
        allowed = body.count(b'"allowed":true')
        print(f"  {label:18s} {took:6.2f} s  {len(raws) / took:9.0f} numbers/s  ({allowed} allowed, {len(body) / 1e6:.1f} MB answer)")
    print("  answers    " + ", ".join(f"{'+'.join(codes) or 'allowed'} {n}" for codes, n in answers(body).most_common()))

    env = {"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "ERROR"}
    key = cli(env, "keys", "create", "--role", "dialer").stdout.strip()
    server = GuardServer(env).start()
    try:
        payload = json.dumps({"campaign": CAMPAIGN, "phones": raws, "at": AT.isoformat()}).encode()
        took_http: list[float] = []
        for label in ("http (first request)", "http (second)"):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)
            started = time.perf_counter()
            conn.request("POST", "/v1/check/batch", body=payload, headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
            response = conn.getresponse()
            data = response.read()
            took = time.perf_counter() - started
            conn.close()
            assert response.status == 200, data[:500]
            print(f"  {label:18s} {took:6.2f} s  {len(raws) / took:9.0f} numbers/s  ({len(payload) / 1e6:.1f} MB request)")
            took_http.append(took * 100_000 / len(raws))
    finally:
        server.stop()
    best = min(took_http)
    print(f"  target: 100,000 numbers over HTTP in < {TARGET_S:g} s: {'met' if best < TARGET_S else 'NOT met'} "
          f"(best {best:.2f} s per 100,000{'' if len(raws) == 100_000 else f', scaled linearly from {len(raws):,}'})")

    sample = raws[:5000]
    took = naive(guard, sample)
    print(f"  {'naive per-number':18s} {took:6.2f} s for {len(sample)} = {len(sample) / took:6.0f} numbers/s "
          f"(extrapolated to {len(raws)}: {len(raws) / (len(sample) / took):.0f} s)")
    app.extensions["guard"].store.dispose()


if __name__ == "__main__":
    main()
