"""Peak memory and time of a 100,000-number all-denied POST /v1/check/batch answer: held whole, or sent in pieces.

    .venv/bin/python bench/batch_memory.py [--numbers 100000]

Seeds a SQLite store as bench/batch_deny.py does (one customer per number, so each number is judged alone) and judges
the list at bench/batch_deny.py's National Day night (QUIET_HOURS and HOLIDAY on every row: about 1.9 kB of answer a
row, its reasons in three languages). Then, in process, in the same run:
  pieces   guard.services.calls.scrub.scrub_pieces, the list judged scrub.JUDGED_PER_CHUNK numbers at a time (each
           chunk's rows rendered, its facts and decisions dropped), each piece dropped once counted, as the server
           writes and drops it
  one      the same, the list judged in one chunk (every number's facts and decision held at once, as it was judged
           before chunks)
  whole    the naive baseline: the answer built whole in memory before it is sent (scrub.scrub, as the endpoint did)
Each is measured twice: the whole request (judging, rendering, encoding; tracemalloc's peak and the growth of the
process's resident peak, ru_maxrss, which only grows: so `pieces` runs first), and the answer alone (the list judged
first, tracemalloc's peak above what the judged list holds while the answer is made and sent). The answers' SHA-256
must agree.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.batch_deny import CAMPAIGN, DENY_AT, seed  # noqa: E402
from guard.services.calls import scrub  # noqa: E402
from guard.store.migrate import upgrade  # noqa: E402

TARGET_MIB = 50  # the answer's peak for 100,000 denied rows


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def send(pieces) -> tuple[int, str]:
    """What a server does with the answer: write each piece (here: hash and count it), then drop it."""
    digest, size = hashlib.sha256(), 0
    for piece in pieces:
        digest.update(piece)
        size += len(piece)
    return size, digest.hexdigest()


def whole_request(guard, raws, way: str) -> tuple[int, str]:
    if way == "one":
        chunk, scrub.JUDGED_PER_CHUNK = scrub.JUDGED_PER_CHUNK, len(raws)
        try:
            return send(scrub.scrub_pieces(guard, CAMPAIGN, raws, DENY_AT, None, None))
        finally:
            scrub.JUDGED_PER_CHUNK = chunk
    if way == "pieces":
        return send(scrub.scrub_pieces(guard, CAMPAIGN, raws, DENY_AT, None, None))
    return send([scrub.scrub(guard, CAMPAIGN, raws, DENY_AT, None, None)])


def answer_alone(results, pack, way: str) -> tuple[int, str]:
    if way in ("pieces", "one"):
        return send(scrub.pieces(scrub.render(results, pack), pack, DENY_AT))
    return send([scrub.encode(results, pack, DENY_AT)])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--numbers", type=int, default=100_000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="guard-bench-batch-memory-"))
    url = f"sqlite:///{tmp / 'guard.db'}"
    upgrade(url)
    raws = seed(url, args.numbers)
    print(f"bench/batch_memory.py  {datetime.now().isoformat(timespec='seconds')}  cpus={os.cpu_count()}  {len(raws)} numbers, "
          f"each a customer's, all denied, SQLite, in process")
    from app import create_app

    app = create_app({"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "ERROR"})
    guard = app.extensions["guard"].guard
    scrub.scrub(guard, CAMPAIGN, raws[:1000], DENY_AT, None, None)  # warm: parsing workers, imports
    digests = {}
    answer_peaks = {}
    for way in ("pieces", "one", "whole"):
        gc.collect()
        rss_before = rss_mib()
        started = time.perf_counter()
        size, digests[way] = whole_request(guard, raws, way)
        seconds = time.perf_counter() - started
        rss_growth = rss_mib() - rss_before
        gc.collect()
        tracemalloc.start()
        whole_request(guard, raws, way)
        request_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        gc.collect()
        results, pack = scrub.check_list(guard, CAMPAIGN, raws, DENY_AT, None, None)
        tracemalloc.start()
        held = tracemalloc.get_traced_memory()[0]
        answer_alone(results, pack, way)
        answer_peak = answer_peaks[way] = tracemalloc.get_traced_memory()[1] - held
        tracemalloc.stop()
        del results
        print(f"  {way:7s} {seconds:6.2f} s  request peak {request_peak / 2**20:6.0f} MiB (tracemalloc), ru_maxrss +{rss_growth:5.0f} MiB;  "
              f"the answer alone: peak {answer_peak / 2**20:6.1f} MiB  ({size / 1e6:.1f} MB answer)")
    print(f"  answers identical byte for byte (SHA-256): {len(set(digests.values())) == 1}")
    met = answer_peaks["pieces"] < TARGET_MIB * 2**20
    print(f"  target: the answer's peak < {TARGET_MIB} MiB for {len(raws):,} denied rows (pieces): {'met' if met else 'NOT met'} "
          f"({answer_peaks['pieces'] / 2**20:.1f} MiB; whole: {answer_peaks['whole'] / 2**20:.1f} MiB)")
    app.extensions["guard"].store.dispose()


if __name__ == "__main__":
    main()
