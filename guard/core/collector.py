"""Python's cyclic garbage collector paused while a large piece of work runs (process-wide, re-entrant across threads).

A large piece of work (a list scrub of 100,000 numbers, the lint of a text of a million characters) makes
millions of small objects that live until its answer is made; every few thousand of them the collector
runs, and its full passes walk the whole heap: a fifth to a third of the time. Reference counting still
frees everything the work drops; cyclic garbage made meanwhile by other threads waits for the collector's
next run, after the last paused piece of work in the process ends.

Pure: no I/O, no clock.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

_paused = 0
_paused_lock = threading.Lock()
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off inside (process-wide); back as it was when the last paused work in the process ends."""
    global _paused, _was_enabled
    with _paused_lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _paused_lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()
