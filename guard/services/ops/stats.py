"""The dashboard's figures for one local day: checks by result, reason and campaign; complaints by SLA state.

Counting is done by the store (`guard.store.stats`: GROUP BY over the decision log's index), so a
day of a million checks is summed without shipping a million rows.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from guard.core import complaints as rules
from guard.core.complaints import ComplaintState
from guard.core.pack import COMPLAINT_SEVERITIES
from guard.store import stats as stats_store
from guard.store.db import Store


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants [start, end) of a local calendar day (23 or 25 hours on a DST change)."""
    start = datetime.combine(day, time(0), zone)
    end = datetime.combine(day + timedelta(days=1), time(0), zone)
    return start, end


def day_stats(store: Store, day: date, zone: ZoneInfo, now: datetime) -> dict[str, Any]:
    start, end = day_bounds(day, zone)
    counts = stats_store.day_counts(store, start, end)
    totals, campaigns, reasons, complaints = counts["totals"], counts["campaigns"], counts["reasons"], counts["complaints"]
    real = next(((n, a or 0) for dry, n, a in totals if not dry), (0, 0))
    dry_runs = sum(n for dry, n, _ in totals if dry)
    # A past day's complaints are judged as they stood at its end (today's as of now): one received later is not
    # counted, one resolved or escalated later was still open or not escalated then.
    then = min(now, end)
    by_severity = {s: Counter() for s in COMPLAINT_SEVERITIES}
    for row in complaints:
        if row.received_at >= end:
            continue
        counts = by_severity.setdefault(row.severity, Counter())
        complaint = rules.as_of(ComplaintState.of(row), then)
        state = rules.status(complaint, then)
        counts["breached"] += bool(rules.missed(complaint, then))
        if state != "resolved":
            counts[state] += 1
            counts["escalated"] += complaint.escalated_at is not None
        elif start <= complaint.resolved_at < end:
            counts["resolved_today"] += 1
        counts["received_today"] += start <= row.received_at < end
    return {
        "date": day.isoformat(),
        "timezone": zone.key,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "generated_at": now.astimezone(zone).isoformat(),
        "checks": {"total": real[0], "allowed": int(real[1]), "denied": real[0] - int(real[1]), "dry_run": dry_runs},
        "by_reason": sorted(({"code": code, "count": n} for code, n in reasons), key=lambda r: (-r["count"], r["code"])),
        "by_campaign": [{"campaign": c, "total": n, "allowed": int(a or 0), "denied": n - int(a or 0)} for c, n, a in campaigns],
        "complaints": [
            {"severity": s, "open": c["open"], "overdue": c["overdue"], "escalated": c["escalated"],
             "received_today": c["received_today"], "resolved_today": c["resolved_today"], "breached": c["breached"]}
            for s, c in by_severity.items()
        ],
    }
