"""Benchmark of `guard scrub` on a CRM's list file: 100,000 rows, GBK, Chinese header, CRLF, quoted cells.

    .venv/bin/python bench/scrub_file.py [--rows 100000]

Seeds a SQLite store as bench/batch.py does (20,000 customers, 5% blacklisted), writes the list (a fifth of its
numbers the customers', each row naming that customer, the rest unknown numbers naming customers the store does not
hold; every row with a customer number and a quoted name), then, in the same run:
  in-process  guard.services.calls.scrub_file.scrub_file, the results CSV written to a file (cold: parsing workers
              starting, nothing memoised; then warm); every row names its customer, so each is decided alone as a
              check naming that customer is. Then the same list whose first column is not a customer id: the
              numbers nothing is held about share their decision as in POST /v1/check/batch
  cli         `flask --app app guard scrub FILE --campaign … --at … --out …` end to end (process start, packs, all)
  naive       the baseline: each row read with csv.reader and judged alone as a check naming its customer (parse,
              open a transaction, the single check's queries, decide), on the first 5,000 rows, extrapolated to the file.
Prints seconds, rows/s and the peak resident memory of each scrub process.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.batch import AT, CAMPAIGN, naive, numbers  # noqa: E402
from bench.check import seed  # noqa: E402
from guard.core.phones import parse_phone  # noqa: E402
from guard.store.migrate import upgrade  # noqa: E402

BIN = ROOT / ".venv" / "bin"


def write_list(path: Path, rows: int, customers: bool = True) -> None:
    with path.open("w", encoding="gbk", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["客户编号" if customers else "序号", "客户姓名", "手机号码", "备注"])
        for i, raw in enumerate(numbers(rows)):
            w.writerow([customer_of(raw, i), f"张,{i % 97}", raw, "理财客户"])


def customer_of(raw: str, i: int) -> str:
    """The customer a CRM's row names: the seeded customer for a seeded customer's number (137…, bench.check's S<n>),
    else one the guard holds nothing about."""
    return f"S{int(raw[3:])}" if raw.startswith("137") else f"C{i:07d}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="guard-bench-scrub-file-"))
    url = f"sqlite:///{tmp / 'guard.db'}"
    upgrade(url)
    seed(url)
    listed = tmp / "名单.csv"
    write_list(listed, args.rows)
    bare = tmp / "号码.csv"  # the same list with its first column not a customer id (序号): judged by number alone
    write_list(bare, args.rows, customers=False)
    print(f"bench/scrub_file.py  {datetime.now().isoformat(timespec='seconds')}  cpus={os.cpu_count()}  load {os.getloadavg()[0]:.1f}  {args.rows} rows "
          f"({listed.stat().st_size / 1e6:.1f} MB, GBK), SQLite")
    from app import create_app
    from guard.services.audits.exports import _csv_chunks
    from guard.services.calls.scrub_file import FIELDS, Summary, scrub_file

    app = create_app({"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "ERROR"})
    guard = app.extensions["guard"].guard
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for label, path in (("in-process (cold)", listed), ("in-process (warm)", listed), ("no customer column", bare)):
        if label.endswith("(cold)"):
            parse_phone.cache_clear()
        summary = Summary()
        started = time.perf_counter()
        with path.open("rb") as handle, (tmp / "results.csv").open("w", encoding="utf-8", newline="") as out:
            out.writelines(_csv_chunks(FIELDS, scrub_file(guard, handle, CAMPAIGN, AT, summary=summary)))
        took = time.perf_counter() - started
        print(f"  {label:18s} {took:6.2f} s  {summary.rows / took:9.0f} rows/s  ({summary.allowed} allowed, {summary.denied} denied, "
              f"{summary.unreadable} unreadable)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"  peak RSS of this process: {before / 1024:.0f} MB before the scrubs, {peak / 1024:.0f} MB after")

    env = {**os.environ, "DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "ERROR"}
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", str(BIN / "flask"), "--app", "app", "guard", "scrub", str(listed), "--campaign",
                           CAMPAIGN, "--at", AT.isoformat(), "--out", str(tmp / "cli.csv")],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    took = time.perf_counter() - started
    assert done.returncode in (0, 1), done.stderr
    rss_kb = done.stderr.strip().splitlines()[-1]
    print(f"  {'cli end to end':18s} {took:6.2f} s  {args.rows / took:9.0f} rows/s  (peak RSS {int(rss_kb) / 1024:.0f} MB; "
          f"exit {done.returncode})")

    sample, named = [], []
    with listed.open(encoding="gbk", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        for row in reader:
            sample.append(row[2])
            named.append(row[0])  # each row judged as a check naming its customer, as the customer-named scrub does
            if len(sample) == 5000:
                break
    took = naive(guard, sample, named)
    print(f"  {'naive per-row':18s} {took:6.2f} s for {len(sample)} = {len(sample) / took:6.0f} rows/s "
          f"(extrapolated to {args.rows}: {args.rows / (len(sample) / took):.0f} s)")
    app.extensions["guard"].store.dispose()


if __name__ == "__main__":
    main()
