"""Where one POST /v1/check spends its time, in process: the split the README's speed section shows.

    .venv/bin/python bench/profile_check.py [--checks 3000] [--stores sqlite,postgresql]

The app is built as gunicorn builds it (create_app) on a fresh, seeded store and called through
Flask's test client (no sockets and no gunicorn: those are measured by bench/check.py). Each check is
a different number (allowed: decision and attempt recorded). cProfile's own time of every function
is put in one bucket by the file it lives in:
  flask+werkzeug   routing, request and response objects, the test client's WSGI environ
  validation       pydantic (the request and response schemas)
  json             bodies in and out
  metrics          prometheus_client (histograms, counters; multiprocess files when configured)
  logging          the access log and any other log call
  core             guard/core (the pure decision)
  services+http    guard/services, guard/http, guard/runtime (the thin layers)
  store            guard/store and SQLAlchemy
  driver           sqlite3 / psycopg (the database itself, as seen from Python)
  other            the rest (stdlib, phonenumbers, zoneinfo, ...)
It prints each bucket's share of the total and microseconds per check (with the profiler's overhead,
which inflates many-small-calls buckets; the shares are what to compare).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.check import AT, seed  # noqa: E402
from guard.store.migrate import upgrade  # noqa: E402

BUCKETS = [
    ("flask+werkzeug", ("/flask/", "/werkzeug/", "/blinker/", "/itsdangerous/")),
    ("validation", ("/pydantic/", "/pydantic_core/")),
    ("json", ("/json/", "orjson")),
    ("metrics", ("/prometheus_client/", "guard/metrics.py")),
    ("logging", ("/logging/", "guard/logs.py")),
    ("core", ("guard/core/",)),
    ("store", ("guard/store/", "/sqlalchemy/")),
    ("driver", ("sqlite3", "/psycopg/", "/psycopg_pool/", "psycopg_c", "psycopg_binary")),
    ("services+http", ("guard/services/", "guard/http/", "guard/runtime.py", "guard/ratelimit.py", "app.py")),
]


def bucket(filename: str, name: str) -> str:
    target = filename if filename != "~" else name  # built-ins: "~" with the function's repr as its name
    for label, marks in BUCKETS:
        if any(mark in target for mark in marks):
            return label
    if filename == "~" and ("sqlite3" in name or "psycopg" in name):
        return "driver"
    return "other"


def profile(url: str, checks: int) -> tuple[dict[str, float], float]:
    os.environ.update({"DATABASE_URL": url, "GUARD_ALLOW_CLIENT_TIME": "1", "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "INFO"})
    from app import create_app
    from guard.services.ops.keys import create_key

    upgrade(url)
    seed(url)
    app = create_app()
    rt = app.extensions["guard"]
    headers = {"Authorization": "Bearer " + create_key(rt.store, ["dialer"], rt.clock())}
    client = app.test_client()

    def one(n: int) -> None:
        answer = client.post("/v1/check", json={"phone": f"1381{n:07d}", "campaign": "dep-2026q4", "at": AT, "agent_id": "A1"},
                             headers=headers)
        assert answer.status_code == 200, answer.get_json()

    for n in range(200):  # warm: imports, caches, pools
        one(n)
    started = time.perf_counter()
    for n in range(200, 200 + checks // 2):
        one(n)
    plain = (time.perf_counter() - started) / (checks // 2)
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(10_000, 10_000 + checks):
        one(n)
    profiler.disable()
    stats = pstats.Stats(profiler)
    split: dict[str, float] = {}
    for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        key = bucket(filename, name)
        split[key] = split.get(key, 0.0) + tottime
    rt.store.dispose()
    return split, plain


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checks", type=int, default=3000)
    parser.add_argument("--stores", default="sqlite,postgresql")
    args = parser.parse_args()
    for kind in args.stores.split(","):
        tmp = Path(tempfile.mkdtemp(prefix="guard-profile-"))
        pg = None
        try:
            if kind == "sqlite":
                url = f"sqlite:///{tmp / 'guard.db'}"
            else:
                from tests.pgserver import PgServer

                pg = PgServer(durable=True)
                pg.start()
                url = pg.create_database("guard")
            split, plain = profile(url, args.checks)
            total = sum(split.values())
            print(f"{kind}: {plain * 1e6:7.0f} µs per check without the profiler ({args.checks} profiled checks, test client)")
            for label, seconds in sorted(split.items(), key=lambda kv: -kv[1]):
                print(f"  {label:15s} {100 * seconds / total:5.1f} %  {1e6 * seconds / args.checks:7.0f} µs/check (profiled)")
            sys.stdout.flush()
        finally:
            if pg is not None:
                pg.stop()
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
