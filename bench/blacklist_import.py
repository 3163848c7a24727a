"""Benchmark of the blacklist CSV import (`flask --app app guard blacklist import`) on SQLite.

    .venv/bin/python bench/blacklist_import.py [--rows 1000000]

Writes a CSV of distinct mobile numbers (with a sprinkling of bad rows), imports it into a fresh
migrated SQLite store with the importer the CLI uses (worker processes parse numbers while the
main process writes), imports it again (nothing may change), and prints rows/s and peak memory.
Baseline in the same run: a naive importer (parse, then one INSERT per row, one transaction per
1000 rows, in one process) on the first 50,000 rows, extrapolated to the full file.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from blacklist import importer  # noqa: E402
from guard.store.blacklist import insert_sql  # noqa: E402
from guard.core.phones import e164_of  # noqa: E402
from guard.store.db import Store  # noqa: E402
from guard.store.ids import new_id  # noqa: E402
from guard.store.migrate import upgrade  # noqa: E402


PREFIXES = ("135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "186", "187", "188", "189")


def write_csv(path: Path, rows: int) -> int:
    rng = random.Random(3)
    bad = 0
    with path.open("w", encoding="utf-8") as f:
        f.write("phone,source,reason\n")
        for i in range(rows):
            if rng.random() < 0.001:
                f.write(f"12{i},registry,bad\n")
                bad += 1
            else:
                f.write(f"+86 {rng.choice(PREFIXES)}{i:08d},registry,national list 2026-11\n")
    return bad


def naive(store: Store, path: Path, limit: int) -> float:
    now = datetime.now(timezone.utc)
    sql = insert_sql(store.dialect)
    started = time.perf_counter()
    with path.open(encoding="utf-8") as f:
        next(f)
        batch = []
        for n, line in enumerate(f):
            if n >= limit:
                break
            phone, source, reason = line.rstrip("\n").split(",")
            e164, _ = e164_of(phone, "CN")
            if e164 is None:
                continue
            batch.append((new_id(now), e164, None, source, reason, store.sql.ts(now), None, "bench", store.sql.ts(now)))
            if len(batch) == 1000:
                with store.locked() as conn:
                    cur = store.cursor(conn)
                    for row in batch:
                        cur.execute(sql, row)
                batch = []
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="guard-bench-import-"))
    csv_path = tmp / "list.csv"
    bad = write_csv(csv_path, args.rows)
    print(f"bench/blacklist_import.py  {datetime.now().isoformat(timespec='seconds')}  cpus={os.cpu_count()}  "
          f"{args.rows} rows ({csv_path.stat().st_size / 1e6:.0f} MB, {bad} bad)")
    url = f"sqlite:///{tmp / 'guard.db'}"
    upgrade(url)
    store = Store(url)
    now = datetime.now(timezone.utc)
    for label in ("import", "re-import"):
        started = time.perf_counter()
        with csv_path.open("rb") as handle:
            report = importer.import_csv(store, handle, region="CN", timezone_name="Asia/Shanghai", now=now, key_id="bench",
                                         workers=args.workers)
        took = time.perf_counter() - started
        print(f"  {label:10s} {took:6.1f} s  {args.rows / took:9.0f} rows/s  accepted {report.accepted}  "
              f"unchanged {report.unchanged}  rejected {report.rejected}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"  peak memory: main process {peak:.0f} MB, largest parsing worker {children:.0f} MB")
    store.dispose()
    naive_url = f"sqlite:///{tmp / 'naive.db'}"
    upgrade(naive_url)
    naive_store = Store(naive_url)
    limit = min(50_000, args.rows)
    took = naive(naive_store, csv_path, limit)
    naive_store.dispose()
    print(f"  naive      {took:6.1f} s for {limit} rows = {limit / took:9.0f} rows/s  "
          f"(extrapolated to {args.rows} rows: {args.rows / (limit / took):.0f} s)")


if __name__ == "__main__":
    main()
