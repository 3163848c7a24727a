"""The dashboard's counts, done by the store: GROUP BY over the decision log's `evaluated_at` index,
so a day of a million checks is summed without shipping a million rows. Reason codes live in the
JSON `reasons` array, unnested with each store's own JSON function."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, case, func, select, text

from guard.store import complaints as complaint_store
from guard.store import models as m
from guard.store.db import Store

D = m.Decision.__table__

_REASONS_SQL = {
    "sqlite": "SELECT json_extract(r.value, '$.code') AS code, count(DISTINCT d.id) AS n FROM decisions AS d, json_each(d.reasons) AS r "
              "WHERE d.evaluated_at >= :start AND d.evaluated_at < :end AND d.dry_run = 0 GROUP BY code",
    "postgresql": "SELECT r ->> 'code' AS code, count(DISTINCT d.id) AS n FROM decisions AS d CROSS JOIN LATERAL json_array_elements(d.reasons) AS r "
                  "WHERE d.evaluated_at >= :start AND d.evaluated_at < :end AND NOT d.dry_run GROUP BY code",
}


def day_counts(store: Store, start: datetime, end: datetime) -> dict[str, Any]:
    """Checks in [start, end): totals by dry run (count, allowed), by campaign, denied checks by reason
    code; and the complaints that bear on the day (unresolved, or received or resolved since start)."""
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
        complaints = complaint_store.touching_day(conn, start)
    return {"totals": totals, "campaigns": campaigns, "reasons": reasons, "complaints": complaints}
