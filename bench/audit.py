"""Benchmark of a call-log audit on SQLite: `.venv/bin/python bench/audit.py [--rows 1000000]`.

Seeds a store (bench/check.py's 20,000 customers, 5% blacklisted), generates a deterministic log
(bench/gen_calls.py), audits it with the same code as `flask --app app guard audit`, and prints
the time, rows/s and peak memory. Baseline in the same run: a naive auditor that, for each row,
asks the store for that call's facts as of its time (one query per fact) and decides; run on the
first 2,000 rows and extrapolated.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.check import seed  # noqa: E402
from bench.gen_calls import generate  # noqa: E402


def naive(store, packs, path: Path, limit: int) -> float:
    """Per row: one transaction reading that call's facts (the facts reader, one number) and deciding."""
    from datetime import timedelta

    from guard.core import catalog
    from guard.core.calllog import check_row
    from guard.core.decide import decide
    from guard.core.facts import CheckInput
    from guard.core.history import History
    from guard.core.phones import parse_phone
    from guard.services.audits.log_reader import read_log

    reader = store.facts
    started = time.perf_counter()
    with path.open("rb") as f:
        for n, (line, row, why) in enumerate(read_log(f)):
            if n >= limit:
                break
            if row is None:
                continue
            call, _ = check_row(line, row)
            if call is None:
                continue
            with store.read() as conn:
                cur = store.cursor(conn)
                h = reader.catalog_history(cur, History())
                resolution = catalog.resolve(packs, h, call.campaign, call.product, call.at, call.at)
                phone = parse_phone(call.phone_raw, resolution.pack.region)
                reader.load_many(cur, h, [phone.e164] if phone.valid else [], {call.customer_id} if call.customer_id else (), alive=False)
                facts = h.facts(phone, call.customer_id, call.at, call.at - timedelta(days=365), resolution.catalog)
            decide(CheckInput(campaign=call.campaign, customer_id=call.customer_id), facts, resolution.pack, call.at, want_next=False)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="guard-bench-audit-"))
    url = f"sqlite:///{tmp / 'guard.db'}"
    from guard.store.migrate import upgrade

    upgrade(url)
    seed(url)
    log = tmp / "calls.csv"
    t = time.perf_counter()
    generate(args.rows, log)
    print(f"bench/audit.py  {datetime.now().isoformat(timespec='seconds')}  cpus={os.cpu_count()}  {args.rows} rows "
          f"({log.stat().st_size / 1e6:.0f} MB, generated in {time.perf_counter() - t:.1f} s), SQLite")
    from app import create_app
    from guard.services import audits

    app = create_app({"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "ERROR"})
    rt = app.extensions["guard"]
    audit_id = audits.create(rt.store, "call_log", str(log), log.stat().st_size, rt.clock(), "bench")
    stages: dict[str, float] = {}
    t0 = time.perf_counter()

    def progress(p) -> None:
        stages.setdefault(p.stage, time.perf_counter() - t0)

    with log.open("rb") as f:
        summary = audits.run_call_log(rt.store, rt.packs(), audit_id, f, log.stat().st_size, rt.clock, None, progress,
                                       workers=os.cpu_count() or 1)
    took = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  audit      {took:6.1f} s  {args.rows / took:9.0f} rows/s  peak memory {peak:.0f} MB  "
          f"({summary['calls_judged']} judged, {summary['rows_rejected']} rejected, {summary['violations']} violations)")
    print("  stages     " + ", ".join(f"{k} from {v:.1f} s" for k, v in stages.items()))
    print("  by code    " + ", ".join(f"{k} {v}" for k, v in summary["by_code"].items()))
    limit = min(2000, args.rows)
    nt = naive(rt.store, rt.packs(), log, limit)
    print(f"  naive      {nt:6.1f} s for {limit} rows = {limit / nt:6.0f} rows/s (extrapolated to {args.rows} rows: {args.rows / (limit / nt):.0f} s)")
    rt.store.dispose()


if __name__ == "__main__":
    main()
