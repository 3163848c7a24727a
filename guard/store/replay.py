"""The decision log read back for a replay (`guard.core.replay`): a period's checks in the order they
were made, with what the dialler reported, and the attempts before the period that its caps count."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterator

from guard.core.replay import LoggedCheck, PriorAttempt
from guard.store.db import Store

BATCH = 20_000


def _json_field(sqlite: bool, column: str, key: str) -> str:
    return f"json_extract({column}, '$.{key}')" if sqlite else f"({column} ->> '{key}')"


def period_keys(store: Store, start: datetime, end: datetime) -> tuple[list[str], list[str]]:
    """The numbers and the customers (recorded or named) of the decisions made in [start, end)."""
    d = store.sql
    named = _json_field(d.sqlite, "request", "customer_id")
    numbers_sql = d.style("SELECT DISTINCT phone_e164 FROM decisions WHERE at >= :start AND at < :end AND phone_e164 IS NOT NULL")
    customers_sql = d.style(f"SELECT customer_id FROM decisions WHERE at >= :start AND at < :end AND customer_id IS NOT NULL "
                            f"UNION SELECT {named} FROM decisions WHERE at >= :start AND at < :end AND {named} IS NOT NULL")
    params = {"start": d.ts(start), "end": d.ts(end)}
    with store.read() as conn:
        cur = store.cursor(conn)
        numbers = sorted(r[0] for r in d.run(cur, numbers_sql, params))
        customers = sorted({str(r[0]) for r in d.run(cur, customers_sql, params)})
    return numbers, customers


def count_between(store: Store, start: datetime, end: datetime) -> int:
    d = store.sql
    with store.read() as conn:
        return d.run(store.cursor(conn), d.style("SELECT COUNT(*) FROM decisions WHERE at >= :start AND at < :end"),
                     {"start": d.ts(start), "end": d.ts(end)})[0][0]


def checks_between(store: Store, start: datetime, end: datetime, batch: int = BATCH) -> Iterator[tuple[LoggedCheck, Any]]:
    """Every decision made in [start, end), in the order made (instant, then id), as a LoggedCheck with
    its row's reasons (JSON as stored) and schema version; read in batches (bounded memory)."""
    d = store.sql
    region, named = _json_field(d.sqlite, "d.request", "region"), _json_field(d.sqlite, "d.request", "customer_id")
    purpose = _json_field(d.sqlite, "d.request", "purpose")  # absent before purposes existed: marketing
    cols = (f"d.id, d.at, d.phone_input, {region}, {named}, d.campaign, d.product, d.agent_id, d.allowed, d.dry_run, d.reasons, "
            f"d.pack_id, d.pack_version, a.outcome_at, a.disposition, d.schema_version, d.next_allowed_at, {purpose}")
    first = d.style(f"SELECT {cols} FROM decisions d LEFT JOIN attempts a ON a.decision_id = d.id "
                    f"WHERE d.at >= :start AND d.at < :end ORDER BY d.at, d.id LIMIT {batch}")
    more = d.style(f"SELECT {cols} FROM decisions d LEFT JOIN attempts a ON a.decision_id = d.id "
                   f"WHERE d.at < :end AND (d.at > :after_at OR (d.at = :after_at AND d.id > :after_id)) ORDER BY d.at, d.id LIMIT {batch}")
    params: dict[str, Any] = {"start": d.ts(start), "end": d.ts(end)}
    sql = first
    read_ts, read_json = d.read_ts, d.read_json
    while True:
        with store.read() as conn:
            rows = d.run(store.cursor(conn), sql, params)
        for (ident, at, phone_input, reg, cust, campaign, product, agent, allowed, dry_run, reasons, pack_id, pack_version, outcome_at,
             disposition, version, next_at, purpose_of) in rows:
            stored = read_json(reasons) or []
            yield LoggedCheck(
                id=ident, at=read_ts(at), phone_input=phone_input, region=reg, named_customer=None if cust is None else str(cust),
                campaign=campaign, product=product, agent_id=agent, allowed=bool(allowed), dry_run=bool(dry_run),
                reason_codes=tuple(r["code"] for r in stored), pack_id=pack_id, pack_version=pack_version,
                outcome_at=read_ts(outcome_at), disposition=disposition, purpose=str(purpose_of or "marketing"),
            ), (stored, version, read_ts(next_at))
        if len(rows) < batch:
            return
        sql = more
        params["after_at"], params["after_id"] = rows[-1][1], rows[-1][0]


def prior_attempts(store: Store, since: datetime, start: datetime, numbers: list[str], customers: list[str]) -> list[PriorAttempt]:
    """The attempts made in (since, start) on these numbers or of these customers, with when each
    became known to the checks (a call made despite a deny: at its outcome) and its disposition."""
    d = store.sql
    sql = d.style(
        "SELECT a.at, a.phone_e164, a.customer_id, a.other_customer_id, a.disposition, a.outcome_at, d.allowed "
        "FROM attempts a JOIN decisions d ON d.id = a.decision_id WHERE a.at > :since AND a.at < :start AND "
        f"(a.phone_e164 {d.among('numbers')} OR a.customer_id {d.among('cids')} OR a.other_customer_id {d.among('cids')}) "
        "ORDER BY a.at")
    out = []
    with store.read() as conn:
        for at, phone, cid, other, disposition, outcome_at, allowed in d.run(
                store.cursor(conn), sql, {"since": d.ts(since), "start": d.ts(start), "numbers": d.array(numbers), "cids": d.array(customers)}):
            at, outcome_at = d.read_ts(at), d.read_ts(outcome_at)
            visible = at if allowed or outcome_at is None else outcome_at
            out.append(PriorAttempt(at=at, phone=phone, customer_ids=tuple(c for c in (cid, other) if c is not None), visible_from=visible,
                                    disposition=disposition, disposition_from=outcome_at))
    return out
