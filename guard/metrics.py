"""Prometheus metrics: checks by result and reason, request latency, store errors, scheduler runs, refused pack files.

Under gunicorn every worker writes its samples to files in `PROMETHEUS_MULTIPROC_DIR` (set by
gunicorn.conf.py before the workers start) and `/metrics` sums them over all workers, so a scrape
answered by any worker shows the whole server. Without that variable (tests, `flask run`, the CLI)
the figures are this process's own.
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

CHECKS = Counter("guard_checks_total", "Pre-call checks decided, by result", ["result", "dry_run"])
DENIALS = Counter("guard_check_denials_total", "Denying reasons given by checks (a check may give several)", ["reason"])
REPLAYS = Counter("guard_check_replays_total", "Checks answered again under an Idempotency-Key (a dialer's retry: nothing "
                  "decided, not in guard_checks_total), by the first answer's result", ["result"])
CHECK_SECONDS = Histogram("guard_check_seconds", "Time to decide and record one check (in the guard)",
                          buckets=(0.001, 0.002, 0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5))
REQUESTS = Counter("guard_http_requests_total", "HTTP requests answered, by route and status", ["method", "route", "status"])
REQUEST_SECONDS = Histogram("guard_http_request_seconds", "HTTP request latency in the guard, by route", ["route"],
                            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0))
STORE_ERRORS = Counter("guard_store_errors_total", "Requests answered 503 because the store could not be used, by the kind of "
                       "fault (details.fault: read_only, statement_timeout, lock_wait, pool_exhausted, connection, not_migrated, "
                       "unavailable)", ["fault"])
SCHEDULER_RUNS = Counter("guard_scheduler_runs_total", "Scheduled job runs, by outcome (ran, skipped, failed)", ["job", "outcome"])


class JobRunsCollector:
    """Scheduled jobs as recorded in the store, whichever process or host ran them."""

    def __init__(self, store: Any):
        self.store = store

    def collect(self):
        from guard.store import jobs as job_store

        runs = CounterMetricFamily("guard_job_runs_recorded", "Job runs recorded in the store (any scheduler, any host)", labels=["job"])
        last = GaugeMetricFamily("guard_job_last_run_timestamp_seconds", "When each job last finished (Unix time)", labels=["job"])
        try:
            rows = job_store.run_summary(self.store)
        except Exception:  # the store being down is reported by guard_store_errors_total and /readyz
            rows = []
        for job, n, finished in rows:
            runs.add_metric([job], n)
            if finished is not None:
                last.add_metric([job], finished.timestamp())
        yield runs
        yield last


class MissingNoticesCollector:
    """The years a loaded pack will judge without their official holiday notice (guard.core.pack.missing_notices),
    one sample of 1 each: alert on any."""

    def __init__(self, gaps: list):
        self.gaps = gaps

    def collect(self):
        gauge = GaugeMetricFamily("guard_holiday_notice_missing",
                                  "1 for each year a loaded pack will judge by China's calendar without that year's official "
                                  "holiday notice (this year, and the next from November 1st)",
                                  labels=["pack", "version", "calendar", "year"])
        for gap in self.gaps:
            gauge.add_metric([gap.pack, gap.version, f"{gap.calendar}/{gap.state}" if gap.state else gap.calendar, str(gap.year)], 1)
        yield gauge


class RefusedFilesCollector:
    """The pack files the answering process refused at its start or last reload (each serving its last good
    content, if it had one), one sample of 1 each: alert on any, an edit did not take effect."""

    def __init__(self, refused: list[dict[str, str]]):
        self.refused = refused

    def collect(self):
        gauge = GaugeMetricFamily("guard_policy_file_refused",
                                  "1 for each pack file refused at this process's start or last reload "
                                  "(it serves its last good content; the edit did not take effect)", labels=["source"])
        for source in sorted({r["source"] for r in self.refused}):
            gauge.add_metric([source], 1)
        yield gauge


def render(store: Any = None, missing_notices: list | None = None, refused: list[dict[str, str]] | None = None) -> tuple[bytes, str]:
    """The exposition text for /metrics (all workers summed when running multi-process); with `missing_notices`
    (guard.core.pack.missing_notices of the packs served), guard_holiday_notice_missing too; with `refused`
    (Runtime.refused), guard_policy_file_refused."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    body = generate_latest(registry)
    if store is not None:
        extra = CollectorRegistry()
        extra.register(JobRunsCollector(store))
        if missing_notices is not None:
            extra.register(MissingNoticesCollector(missing_notices))
        if refused is not None:
            extra.register(RefusedFilesCollector(refused))
        body += generate_latest(extra)
    return body, CONTENT_TYPE_LATEST
