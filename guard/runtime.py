"""The running guard's state: settings, store, packs, keys, clock. Built once per process by create_app."""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import datetime, timezone
from typing import Callable

from guard.config import Settings
from guard.core.pack import PackSet
from guard.ratelimit import RateLimiter
from guard.services.calls.check import Guard
from guard.services.ops.keys import KeyVerifier
from guard.store import policies as policy_store
from guard.store.db import Store, StoreUnavailable
from policies.loader import LoadReport, PackRegistry

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def refused(issues: list) -> list[dict[str, str]]:
    """Pack issues as kept and shown: the file and what is wrong with it."""
    return [{"source": i.source, "issue": str(i)} for i in issues]


class Runtime:
    def __init__(self, settings: Settings, clock: Callable[[], datetime] = utc_now, command: bool = False):
        """`command`: built for a `guard` command, whose store must already exist and be migrated (guard.store.db.Store)."""
        self.settings = settings
        self.clock = clock
        self.store = Store(settings.database_url, settings.pool_size, settings.sqlite_write_wait, settings.pg_lock_wait,
                           must_exist=command)
        self._registry = PackRegistry(settings.policy_dir, settings.default_pack)
        # A command's runtime reads its packs at first use: most commands (`guard keys list`, `guard access log`,
        # `guard db backup`) need none, and reading them was a third of such a command's time. A server starts them.
        self._lazy = command
        self._started = False
        self._start_lock = threading.Lock()  # the scheduler's jobs run in threads: one of them reads the packs
        self.on_start: Callable[["Runtime", LoadReport], None] | None = None  # told what a start read (create_app logs it)
        self.keys = KeyVerifier(self.store)
        self.guard = Guard(self.store, self.packs, clock, settings.allow_client_time)
        self._reload_seen: tuple[int, datetime | None] | None = None  # (id, requested_at) of the reload acted on
        self._refused: list[dict[str, str]] = []
        self.store_error: StoreUnavailable | None = None  # why start() could not read the store
        self._next_poll = 0.0
        self._poll_lock = threading.Lock()
        # Each gunicorn worker allows its share of the per-key limit (guard/ratelimit.py).
        self.limiter = RateLimiter(settings.rate_limit / settings.workers)

    @property
    def registry(self) -> PackRegistry:
        """The packs this process serves; read at first use by a command's runtime (see __init__)."""
        if self._lazy and not self._started:
            with self._start_lock:
                if not self._started:
                    self.start()
        return self._registry

    @property
    def started(self) -> bool:
        return self._started

    def start(self) -> LoadReport:
        """Load the packs (seeded from the store when it answers); `store_error` says why it did not."""
        self.store_error = None
        try:
            self._reload_seen, documents, _ = self._latest_reload_documents()
            if documents:
                self._registry.seed(documents)  # a file broken now serves what the last reload validated
        except StoreUnavailable as exc:
            self.store_error = exc
        report = self._registry.load()
        self._refused = refused(report.issues)
        try:
            self.record_snapshots()
        except StoreUnavailable:
            pass
        self._started = True
        if self.on_start is not None:
            self.on_start(self, report)
        return report

    def _latest_reload_documents(self) -> tuple[tuple[int, datetime | None], dict | None, list[dict[str, str]]]:
        return policy_store.latest_reload_documents(self.store)

    @property
    def refused(self) -> list[dict[str, str]]:
        """What the packs served live with: the issues of the files refused at this process's start, or
        at the last `guard policies reload` it took up ({source, issue}; a broken file serves its last
        good content, or nothing if it never had one). Empty when every file was taken."""
        return self._refused

    @property
    def reload_seen(self) -> int | None:
        """The last `guard policies reload` request this process has acted on (0: none yet)."""
        return self._reload_seen[0] if self._reload_seen is not None else None

    def packs(self) -> PackSet:
        registry = self.registry  # a command's runtime reads them here first, before it asks for reloads
        self.maybe_reload()
        return registry.current

    def _latest_reload(self) -> tuple[int, datetime | None]:
        return policy_store.latest_reload(self.store)

    def maybe_reload(self) -> None:
        """Reload the packs when another process asked for it (`guard policies reload`)."""
        now = time.monotonic()
        if now < self._next_poll or not self._poll_lock.acquire(blocking=False):
            return
        try:
            self._next_poll = now + self.settings.reload_poll_seconds
            latest = self._latest_reload()
            if self._reload_seen is None or latest != self._reload_seen:
                if self._reload_seen is not None:
                    log.info("policy reload requested (#%s): reloading packs", latest[0])
                    _, documents, issues = self._latest_reload_documents()
                    if documents is not None:
                        self.registry.adopt(documents)
                        self._refused = issues + refused(self.registry.last_report.issues)
                    else:
                        self._refused = refused(self.registry.load().issues)
                    self.record_snapshots()
                self._reload_seen = latest
        except StoreUnavailable:
            pass  # the request itself will meet the outage and answer 503
        finally:
            self._poll_lock.release()

    def request_reload(self, requested_by: str | None) -> int:
        """Ask every process to serve the documents this process has just validated."""
        report = self.registry.last_report
        return policy_store.request_reload(self.store, self.clock(), requested_by,
                                           json.loads(json.dumps(self.registry.good_documents(), default=str)),
                                           refused(report.issues) if report is not None else [])

    def record_snapshots(self) -> None:
        """Keep every served pack version in the store, by hash, so any decision can be replayed."""
        policy_store.record_snapshots(self.store, self._registry.current.all_versions(), self.clock())
