"""Script lints in helper processes, so that a long lint does not hold up the checks its gunicorn worker serves.

A lint is Python computation: in a worker's thread it holds the interpreter lock, and the checks the same worker serves
wait for it. Six reviewers linting 100,000-character scripts back to back on `make run`'s gunicorn raised the checks'
p99 from 7 ms to 9 s (bench/lint_isolation.py, README "Speed"). `configure(n, nice)` — gunicorn.conf.py calls it in
each worker (GUARD_LINT_PROCESSES, GUARD_LINT_NICE) — makes `lint` run in n helper processes of that worker, started
on its first lint (`spawn`ed: a fresh interpreter, none of the worker's threads, connections or locks) at a lower CPU
priority. A helper keeps the packs it has been given, by hash; the worker sends a pack (pickled once per version) only
when a helper answers that it does not have it. The result is the `LintResult` the worker would have computed (the
same pure `guard.core.lint`). When the helpers cannot answer (one died: the pool is broken), the worker lints in its own
thread, logs a warning and starts new helpers on the next lint. Not configured (the CLI, tests, `flask run`): the
request's thread lints, as before.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing as mp
import os
import pickle
import threading
import time
from collections import OrderedDict
from concurrent.futures.process import BrokenProcessPool

from guard.core.lint import LintResult, lint as lint_here
from guard.core.pack import Pack

log = logging.getLogger(__name__)

KEPT = 4  # pack versions a helper (and the worker's pickled copies) keep: a pack and its successor, per pack in use

_held: "OrderedDict[str, Pack]" = OrderedDict()  # in a helper: pack hash -> pack


def _start_helper(nice: int) -> None:
    if nice:
        os.nice(nice)
    # A worker killed outright (gunicorn's timeout, SIGKILL) cannot shut its helpers down: each leaves when its parent
    # is gone, instead of idling on as an orphan.
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="lint-helper-parent-watch", daemon=True).start()


def _lint_in_helper(key: str, blob: bytes | None, text: str, product_type: str | None) -> LintResult | None:
    """In a helper: the lint, or None when the pack `key` is not held and `blob` (its pickled form) was not sent."""
    pack = _held.get(key)
    if pack is None:
        if blob is None:
            return None
        pack = _held[key] = pickle.loads(blob)
        while len(_held) > KEPT:
            _held.popitem(last=False)
    _held.move_to_end(key)
    return lint_here(text, product_type, pack)


class _ShuttingDown(Exception):
    """The helpers refuse new work: they are being shut down."""


class LintPool:
    """`processes` helper processes (at `nice`), started on the first lint."""

    def __init__(self, processes: int, nice: int = 10):
        if processes < 1:
            raise ValueError("a lint pool needs at least one process")
        self.processes, self.nice = processes, nice
        self._executor: cf.ProcessPoolExecutor | None = None
        self._blobs: "OrderedDict[str, bytes]" = OrderedDict()
        self._lock = threading.Lock()

    def _helpers(self) -> cf.ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = cf.ProcessPoolExecutor(self.processes, mp_context=mp.get_context("spawn"),
                                                        initializer=_start_helper, initargs=(self.nice,))
            return self._executor

    def _blob(self, pack: Pack) -> bytes:
        with self._lock:
            blob = self._blobs.get(pack.hash)
            if blob is None:
                blob = self._blobs[pack.hash] = pickle.dumps(pack, protocol=pickle.HIGHEST_PROTOCOL)
                while len(self._blobs) > KEPT:
                    self._blobs.popitem(last=False)
            return blob

    def _submit(self, pack: Pack, blob: bytes | None, text: str, product_type: str | None) -> cf.Future:
        try:
            return self._helpers().submit(_lint_in_helper, pack.hash, blob, text, product_type)
        except BrokenProcessPool:
            raise
        except RuntimeError as exc:  # no new work after shutdown (the worker exits, or configure() replaced the pool);
            raise _ShuttingDown(str(exc)) from exc  # a RuntimeError of the lint itself comes from result(), unchanged

    def lint(self, text: str, product_type: str | None, pack: Pack) -> LintResult:
        try:
            result = self._submit(pack, None, text, product_type).result()
            if result is None:  # that helper has not been given this pack yet
                result = self._submit(pack, self._blob(pack), text, product_type).result()
            return result
        except BrokenProcessPool as exc:
            log.warning("a lint helper process died (%s); this lint runs in the request's thread, new helpers start "
                        "on the next one", exc)
            with self._lock:
                broken, self._executor = self._executor, None
            if broken is not None:
                broken.shutdown(wait=False, cancel_futures=True)
            return lint_here(text, product_type, pack)
        except _ShuttingDown as exc:
            log.warning("the lint helpers are shutting down (%s); this lint runs in the request's thread", exc)
            return lint_here(text, product_type, pack)

    def shutdown(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


_pool: LintPool | None = None


def configure(processes: int, nice: int = 10) -> None:
    """Lint in `processes` helper processes of this process from now on (0: in the caller's thread)."""
    global _pool
    old, _pool = _pool, (LintPool(processes, nice) if processes > 0 else None)
    if old is not None:
        old.shutdown()


def lint(text: str, product_type: str | None, pack: Pack) -> LintResult:
    """`guard.core.lint.lint`, in this process's helpers when `configure` gave it some."""
    pool = _pool
    return lint_here(text, product_type, pack) if pool is None else pool.lint(text, product_type, pack)
