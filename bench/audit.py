"""Benchmark of a call-log audit on SQLite: `.venv/bin/python bench/audit.py [--sizes 100000,1000000,3000000]`.

For each size: seeds a fresh store (bench/check.py's 20,000 customers, 5% blacklisted), generates a
deterministic log (bench/gen_calls.py), audits it with the same code as `flask --app app guard audit`
(judging in one forked process per core), and prints the time, rows/s, the stage split and the peak
memory of the whole process tree (the auditor and every process it starts, sampled every 0.1 s
from /proc: PSS, which counts a page shared by forked processes once, and the sum of RSS, which
counts it in each; `ru_maxrss` of children would give the largest child only). Baseline in the same
run: a naive auditor that, for each row, asks the store for that call's facts as of its time (one
query per fact) and decides; run on the first 2,000 rows and extrapolated.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import threading
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


class TreeMemory:
    """The peak memory of this process and all its descendants, sampled in a thread (Linux /proc)."""

    def __init__(self, every: float = 0.1):
        self.every, self.peak_pss, self.peak_rss, self.peak_processes = every, 0, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _tree(pid: int) -> list[int]:
        out, todo = [], [pid]
        while todo:
            p = todo.pop()
            out.append(p)
            try:
                for tid in os.listdir(f"/proc/{p}/task"):
                    with open(f"/proc/{p}/task/{tid}/children") as f:
                        todo.extend(int(c) for c in f.read().split())
            except OSError:
                pass
        return out

    def sample(self) -> None:
        pss = rss = 0
        pids = self._tree(os.getpid())
        for pid in pids:
            try:
                with open(f"/proc/{pid}/smaps_rollup") as f:
                    for line in f:
                        if line.startswith("Pss:"):
                            pss += int(line.split()[1])
                        elif line.startswith("Rss:"):
                            rss += int(line.split()[1])
            except OSError:
                pass  # ended meanwhile
        self.peak_pss, self.peak_rss = max(self.peak_pss, pss), max(self.peak_rss, rss)
        self.peak_processes = max(self.peak_processes, len(pids))

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()

    def __enter__(self) -> "TreeMemory":
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


def one(rows: int, workers: int) -> tuple[Path, object, object, float]:
    """Audit a fresh log of `rows` rows on a fresh store; print its figures."""
    tmp = Path(tempfile.mkdtemp(prefix="guard-bench-audit-"))
    url = f"sqlite:///{tmp / 'guard.db'}"
    from guard.store.migrate import upgrade

    upgrade(url)
    seed(url)
    log = tmp / "calls.csv"
    t = time.perf_counter()
    generate(rows, log)
    print(f"{rows:>9} rows ({log.stat().st_size / 1e6:.0f} MB, generated in {time.perf_counter() - t:.1f} s)")
    from app import create_app
    from guard.services import audits

    app = create_app({"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "ERROR"})
    rt = app.extensions["guard"]
    audit_id = audits.create(rt.store, "call_log", str(log), log.stat().st_size, rt.clock(), "bench")
    last: list = [None]

    def progress(p) -> None:
        last[0] = p

    cpu0 = os.times()
    with TreeMemory() as mem, log.open("rb") as f:
        t0 = time.perf_counter()
        summary = audits.run_call_log(rt.store, rt.packs(), audit_id, f, log.stat().st_size, rt.clock, None, progress,
                                       workers=workers)
        took = time.perf_counter() - t0
    cpu1 = os.times()
    cpu_self = cpu1.user + cpu1.system - cpu0.user - cpu0.system
    cpu_children = cpu1.children_user + cpu1.children_system - cpu0.children_user - cpu0.children_system
    print(f"  audit      {took:6.1f} s  {rows / took:9.0f} rows/s  peak memory {mem.peak_pss / 1024:.0f} MB PSS "
          f"({mem.peak_rss / 1024:.0f} MB summed RSS, {mem.peak_processes} processes; this process alone: ru_maxrss "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)  CPU {cpu_self:.1f} s here + {cpu_children:.1f} s in workers")
    print(f"  result     {summary['calls_judged']} judged, {summary['rows_rejected']} rejected, {summary['violations']} violations")
    with rt.store.read() as conn:  # what was found: the seeded customers' facts must show (DNC_REGISTRY on their listed numbers)
        found = rt.store.cursor(conn).execute("SELECT code, count(*) FROM audit_violations WHERE audit_id = ? GROUP BY code "
                                              "ORDER BY count(*) DESC, code", (audit_id,)).fetchall()
    print("  by code    " + ", ".join(f"{code} {n}" for code, n in found))
    seconds = getattr(last[0], "seconds", {})
    print("  stages     " + ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items()) + "  (write: in this process, during read and judge)")
    return log, rt, summary, took


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, help="one size (the same as --sizes ROWS)")
    ap.add_argument("--sizes", default="100000,1000000,3000000", help="comma-separated log sizes, each audited on a fresh store")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    sizes = [args.rows] if args.rows else [int(x) for x in args.sizes.split(",")]
    print(f"bench/audit.py  {datetime.now().isoformat(timespec='seconds')}  cpus={os.cpu_count()}  workers={args.workers}  SQLite")
    results = []
    for rows in sizes:
        log, rt, summary, took = one(rows, args.workers)
        results.append((rows, took))
        if rows == sizes[-1]:
            limit = min(2000, rows)
            nt = naive(rt.store, rt.packs(), log, limit)
            print(f"  naive      {nt:6.1f} s for {limit} rows = {limit / nt:6.0f} rows/s "
                  f"(extrapolated to {rows} rows: {rows / (limit / nt):.0f} s)")
        rt.store.dispose()
        shutil.rmtree(log.parent)  # the store of a 3,000,000-row audit is 1.5 GB
    if len(results) > 1:
        base_rows, base_took = results[0]
        print("  linearity  " + ", ".join(f"{r}: {t / base_took / (r / base_rows):.2f}× the per-row time of {base_rows}"
                                           for r, t in results[1:]))


if __name__ == "__main__":
    main()
