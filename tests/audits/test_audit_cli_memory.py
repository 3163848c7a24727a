"""`guard audit --format json|csv` writes the violations as it reads them from the store.

A log of a million calls has millions of violations (2.1 million for a 1,000,000-row log of busy campaigns): the
JSON report built whole in memory before its first byte was written took 12.5 GB. The report is streamed, so
writing it takes the same memory whatever its size (the store is read in batches of 5,000 violations).
"""

from __future__ import annotations

import csv
import tracemalloc

import pytest


def write_log(path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["call_id", "phone", "called_at", "campaign", "agent_id"])
        for i in range(rows):  # every call unchecked, every second one at 22:00 (quiet hours): 1.5 violations a call
            w.writerow([f"c{i}", f"138{i:08d}", f"2026-11-23T{'22' if i % 2 else '10'}:15:00+08:00", "dep-2026q4", f"A{i % 7}"])


def writing_peak(sqlite_url, tmp_path, monkeypatch, fmt: str, rows: int) -> int:
    """How much Python memory the CLI takes on top of what it held when it began to write the report."""
    from app import create_app
    from guard.services import audits

    work = tmp_path / str(rows)
    work.mkdir()
    log, out = work / "calls.csv", work / f"report.{fmt}"
    write_log(log, rows)
    app = create_app({"DATABASE_URL": sqlite_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_DATA_DIR": str(work / "data"),
                      "GUARD_LOG_LEVEL": "WARNING", "GUARD_RELOAD_POLL_SECONDS": "0"})
    real_view = audits.view
    base = [0]

    def view(*args, **kwargs):  # the CLI asks for the audit's view once judging is done: from here on it writes the report
        tracemalloc.reset_peak()
        base[0] = tracemalloc.get_traced_memory()[0]
        return real_view(*args, **kwargs)

    monkeypatch.setattr(audits, "view", view)
    tracemalloc.start()
    try:
        with app.app_context():
            result = app.test_cli_runner().invoke(args=["guard", "audit", str(log), "--format", fmt, "--out", str(out)])
            _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.exit_code == 1 and out.stat().st_size > 0, (result.output, repr(result.exception))
    return peak - base[0]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_writing_the_report_takes_the_same_memory_whatever_its_size(sqlite_url, tmp_path, monkeypatch, fmt):
    small = writing_peak(sqlite_url, tmp_path, monkeypatch, fmt, 4_000)  # 6,000 violations
    large = writing_peak(sqlite_url, tmp_path, monkeypatch, fmt, 12_000)  # 18,000
    assert large < small * 1.4, f"{small / 1e6:.1f} MB for 6,000 violations, {large / 1e6:.1f} MB for 18,000"
