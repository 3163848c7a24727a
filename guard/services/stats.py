"""The dashboard's figures for one local day: checks by result, reason and campaign; complaints by SLA state.

Counting is done by the store (GROUP BY over the decision log's `evaluated_at` index), so a day
of a million checks is summed without shipping a million rows. Reason codes live in the JSON
`reasons` array, unnested with each store's own JSON function.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, case, func, or_, select, text

from guard.services.complaints import status_of
from guard.store import models as m
from guard.store.db import Store

D, C = m.Decision.__table__, m.Complaint.__table__
SEVERITIES = ("light", "medium", "severe")

_REASONS_SQL = {
    "sqlite": "SELECT json_extract(r.value, '$.code') AS code, count(DISTINCT d.id) AS n FROM decisions AS d, json_each(d.reasons) AS r "
              "WHERE d.evaluated_at >= :start AND d.evaluated_at < :end AND d.dry_run = 0 GROUP BY code",
    "postgresql": "SELECT r ->> 'code' AS code, count(DISTINCT d.id) AS n FROM decisions AS d CROSS JOIN LATERAL json_array_elements(d.reasons) AS r "
                  "WHERE d.evaluated_at >= :start AND d.evaluated_at < :end AND NOT d.dry_run GROUP BY code",
}


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants [start, end) of a local calendar day (23 or 25 hours on a DST change)."""
    start = datetime.combine(day, time(0), zone)
    end = datetime.combine(day + timedelta(days=1), time(0), zone)
    return start, end


def day_stats(store: Store, day: date, zone: ZoneInfo, now: datetime) -> dict[str, Any]:
    start, end = day_bounds(day, zone)
    window = (D.c.evaluated_at >= start, D.c.evaluated_at < end)
    reasons_sql = text(_REASONS_SQL[store.dialect]).bindparams(
        bindparam("start", type_=m.UTCDateTime()), bindparam("end", type_=m.UTCDateTime()))
    allowed = func.sum(case((D.c.allowed, 1), else_=0))
    with store.read() as conn:
        totals = conn.execute(select(D.c.dry_run, func.count(), allowed).where(*window).group_by(D.c.dry_run)).all()
        campaigns = conn.execute(
            select(D.c.campaign, func.count(), allowed).where(*window, D.c.dry_run.is_(False))
            .group_by(D.c.campaign).order_by(func.count().desc(), D.c.campaign)
        ).all()
        reasons = conn.execute(reasons_sql, {"start": start, "end": end}).all()
        complaints = conn.execute(
            select(C).where(or_(C.c.resolved_at.is_(None), C.c.received_at >= start, C.c.resolved_at >= start))
        ).all()
    real = next(((n, a or 0) for dry, n, a in totals if not dry), (0, 0))
    dry_runs = sum(n for dry, n, _ in totals if dry)
    by_severity = {s: Counter() for s in SEVERITIES}
    for row in complaints:
        counts = by_severity.setdefault(row.severity, Counter())
        state = status_of(row, now)
        if state != "resolved":
            counts[state] += 1
            counts["escalated"] += row.escalated_at is not None
        elif start <= row.resolved_at < end:
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
             "received_today": c["received_today"], "resolved_today": c["resolved_today"]}
            for s, c in by_severity.items()
        ],
    }
