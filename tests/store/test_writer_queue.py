"""SQLite writers queue on a thread lock and a cross-process file lock instead of polling."""

from __future__ import annotations

import multiprocessing as mp
import threading
import time
from pathlib import Path

from guard.store.db import WriterQueue


def _append(log: str, line: str) -> None:
    with open(log, "a") as f:
        f.write(line + "\n")


def _hold(database: str, log: str, started, release) -> None:
    queue = WriterQueue(database)
    with queue.turn():
        _append(log, "child-in")
        started.set()
        release.wait(10)
        _append(log, "child-out")


def test_a_second_process_waits_for_the_first_writers_turn(tmp_path: Path) -> None:
    database, log = str(tmp_path / "guard.db"), str(tmp_path / "log")
    ctx = mp.get_context("fork")
    started, release = ctx.Event(), ctx.Event()
    child = ctx.Process(target=_hold, args=(database, log, started, release))
    child.start()
    assert started.wait(10)
    queue = WriterQueue(database)
    threading.Timer(0.3, release.set).start()
    with queue.turn():
        _append(log, "parent-in")
    child.join(10)
    queue.close()
    assert Path(log).read_text().splitlines() == ["child-in", "child-out", "parent-in"]


def test_threads_of_one_process_take_turns(tmp_path: Path) -> None:
    queue = WriterQueue(str(tmp_path / "guard.db"))
    inside, overlaps = [0], []

    def work() -> None:
        for _ in range(50):
            with queue.turn():
                inside[0] += 1
                overlaps.append(inside[0])
                time.sleep(0.0005)
                inside[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.close()
    assert len(overlaps) == 200 and max(overlaps) == 1


def test_a_writer_behind_a_stalled_process_gives_up_within_its_bound(tmp_path: Path) -> None:
    """Found by stopping one gunicorn worker (SIGSTOP) under load: every other worker froze behind its
    write lock for as long as it was stopped. Now the wait is bounded and the store counts as unavailable."""
    import pytest

    from guard.store.db import StoreUnavailable

    database, log = str(tmp_path / "guard.db"), str(tmp_path / "log")
    ctx = mp.get_context("fork")
    started, release = ctx.Event(), ctx.Event()
    child = ctx.Process(target=_hold, args=(database, log, started, release))  # holds its turn until released
    child.start()
    assert started.wait(10)
    queue = WriterQueue(database, wait=0.5)
    t0 = time.monotonic()
    with pytest.raises(StoreUnavailable, match="waited 0.5 s for the store's write lock"):
        with queue.turn():
            pass
    waited = time.monotonic() - t0
    # While the holder stays stalled, the next writers give up at once instead of each waiting the
    # whole bound (they would queue the requests behind them on the worker's few threads).
    t1 = time.monotonic()
    with pytest.raises(StoreUnavailable, match="waited 0.05 s"):
        with queue.turn():
            pass
    assert time.monotonic() - t1 < 0.3
    release.set()
    child.join(10)
    assert 0.5 <= waited < 1.5
    with queue.turn():  # the lock is free again: the next turn is taken at once
        _append(log, "parent-in")
    queue.close()
    assert Path(log).read_text().splitlines() == ["child-in", "child-out", "parent-in"]


def test_background_work_waits_for_the_requests_writers_only_so_long_then_takes_its_turn(tmp_path: Path) -> None:
    """A steady stream of check writers (three threads, one always waiting) held the sealing job's short steps off for
    as long as the stream lasted (about 7 s a step under one thread checking without pause, bench/chain.py
    --check-wait): patient work lets requests go first for PATIENT_YIELD, then queues with them."""
    from guard.store.db import PATIENT_YIELD

    queue = WriterQueue(str(tmp_path / "guard.db"))
    stop, turns = threading.Event(), [0]

    def stream() -> None:
        while not stop.is_set():
            with queue.turn():
                turns[0] += 1
                time.sleep(0.002)

    threads = [threading.Thread(target=stream) for _ in range(3)]
    for t in threads:
        t.start()
    ends = threading.Timer(5.0, stop.set)  # the stream's end, had the patient turn waited for a gap
    ends.start()
    try:
        time.sleep(0.05)
        started = time.monotonic()
        with queue.turn(patient=True):
            waited = time.monotonic() - started
            before = turns[0]
        streaming = not stop.is_set()
        time.sleep(0.05)
    finally:
        stop.set()
        ends.cancel()
        for t in threads:
            t.join()
        queue.close()
    assert streaming and turns[0] > before  # the stream went on after the patient turn
    assert PATIENT_YIELD <= waited < PATIENT_YIELD + 1.0
