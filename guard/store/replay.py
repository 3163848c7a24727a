"""The decision log read back for a replay (`guard.core.replay`): a period's checks in the order they
were made, with what the dialler reported, and the attempts before the period that its caps count."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterator

from guard.core.arrivals import ComplaintArrived, NoteArrived, OutcomeArrived, also_packs
from guard.core.replay import Arrival, LoggedCheck, PriorAttempt
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
    """Every decision about a call instant in [start, end), in the order the guard made them (when it recorded each,
    `evaluated_at`, then id: the order `guard.core.replay` steps them in), as a LoggedCheck with its row's reasons (JSON
    as stored), schema version and next_allowed_at; read in batches (bounded memory). At server time `evaluated_at` is
    `at`; with client-supplied times the two orders differ and only the recording order reproduces the caps."""
    d = store.sql
    params: dict[str, Any] = {"start": d.ts(start), "end": d.ts(end)}
    with store.read() as conn:
        lo, hi = d.run(store.cursor(conn), d.style("SELECT MIN(evaluated_at), MAX(evaluated_at) FROM decisions "
                                                   "WHERE at >= :start AND at < :end"), params)[0]
    if lo is None:
        return
    # Bounded on evaluated_at too (its index): the period's decisions were recorded in [lo, hi].
    params.update(lo=lo, hi=hi)
    region, named = _json_field(d.sqlite, "d.request", "region"), _json_field(d.sqlite, "d.request", "customer_id")
    purpose = _json_field(d.sqlite, "d.request", "purpose")  # absent before purposes existed: marketing
    cols = (f"d.id, d.at, d.phone_input, {region}, {named}, d.campaign, d.product, d.agent_id, d.allowed, d.dry_run, d.reasons, "
            f"d.pack_id, d.pack_version, a.outcome_at, a.disposition, d.schema_version, d.next_allowed_at, {purpose}, d.evaluated_at")
    where = "d.at >= :start AND d.at < :end AND d.evaluated_at <= :hi"
    first = d.style(f"SELECT {cols} FROM decisions d LEFT JOIN attempts a ON a.decision_id = d.id "
                    f"WHERE {where} AND d.evaluated_at >= :lo ORDER BY d.evaluated_at, d.id LIMIT {batch}")
    more = d.style(f"SELECT {cols} FROM decisions d LEFT JOIN attempts a ON a.decision_id = d.id "
                   f"WHERE {where} AND (d.evaluated_at > :after_at OR (d.evaluated_at = :after_at AND d.id > :after_id)) "
                   f"ORDER BY d.evaluated_at, d.id LIMIT {batch}")
    sql = first
    read_ts, read_json = d.read_ts, d.read_json
    while True:
        with store.read() as conn:
            rows = d.run(store.cursor(conn), sql, params)
        for (ident, at, phone_input, reg, cust, campaign, product, agent, allowed, dry_run, reasons, pack_id, pack_version, outcome_at,
             disposition, version, next_at, purpose_of, evaluated_at) in rows:
            stored = read_json(reasons) or []
            yield LoggedCheck(
                id=ident, at=read_ts(at), phone_input=phone_input, region=reg, named_customer=None if cust is None else str(cust),
                campaign=campaign, product=product, agent_id=agent, allowed=bool(allowed), dry_run=bool(dry_run),
                reason_codes=tuple(r["code"] for r in stored), pack_id=pack_id, pack_version=pack_version,
                outcome_at=read_ts(outcome_at), disposition=disposition, purpose=str(purpose_of or "marketing"),
                recorded_at=read_ts(evaluated_at),
            ), (stored, version, read_ts(next_at))
        if len(rows) < batch:
            return
        sql = more
        params["after_at"], params["after_id"] = rows[-1][-1], rows[-1][0]


def prior_attempts(store: Store, since: datetime, start: datetime, numbers: list[str], customers: list[str]) -> list[PriorAttempt]:
    """The attempts made in (since, start) on these numbers or of these customers, with when each
    became known to the checks (a call made despite a deny: at its outcome) and its disposition."""
    d = store.sql
    sql = d.style(
        "SELECT a.at, a.phone_e164, a.customer_id, a.other_customer_id, a.disposition, a.outcome_at, d.allowed, d.evaluated_at "
        "FROM attempts a JOIN decisions d ON d.id = a.decision_id WHERE a.at > :since AND a.at < :start AND "
        f"(a.phone_e164 {d.among('numbers')} OR a.customer_id {d.among('cids')} OR a.other_customer_id {d.among('cids')}) "
        "ORDER BY a.at")
    out = []
    with store.read() as conn:
        for at, phone, cid, other, disposition, outcome_at, allowed, evaluated_at in d.run(
                store.cursor(conn), sql, {"since": d.ts(since), "start": d.ts(start), "numbers": d.array(numbers), "cids": d.array(customers)}):
            at, outcome_at = d.read_ts(at), d.read_ts(outcome_at)
            visible = at if allowed or outcome_at is None else outcome_at
            out.append(PriorAttempt(at=at, phone=phone, customer_ids=tuple(c for c in (cid, other) if c is not None), visible_from=visible,
                                    disposition=disposition, disposition_from=outcome_at,
                                    recorded_at=d.read_ts(evaluated_at) if allowed else None))
    return out


def arrivals(store: Store, end: datetime, numbers: list[str], customers: list[str]) -> list[Arrival]:
    """Every complaint (with the notes recorded on its history) and every call outcome recorded before `end` bearing on
    these numbers or customers, in the order recorded: the events a replay derives mutes, deferrals and stop-calling
    entries from again (`guard.core.replay.Replayer(arrivals=...)`)."""
    from sqlalchemy import or_, select

    from guard.core.complaints import EVENT_TYPES
    from guard.store import models as m

    C, E, O, D, A = (m.Complaint.__table__, m.ComplaintEvent.__table__, m.Outcome.__table__, m.Decision.__table__,
                     m.Attempt.__table__)
    read_ts = store.sql.read_ts
    out: list[Arrival] = []
    chunk = 500  # bound the bound parameters of one statement (SQLite's limit)
    keys = [(numbers[i:i + chunk], []) for i in range(0, len(numbers), chunk)] + \
           [([], customers[i:i + chunk]) for i in range(0, len(customers), chunk)]
    seen_c: set[str] = set()
    seen_o: set[str] = set()
    with store.read() as conn:
        for phones, cids in keys:
            for r in conn.execute(select(C.c.id, C.c.phone_e164, C.c.customer_id, C.c.received_at, C.c.created_at, C.c.text,
                                         C.c.pack_id, C.c.decision_id, C.c.effects).where(
                    or_(C.c.phone_e164.in_(phones), C.c.customer_id.in_(cids)), C.c.created_at < end)):
                if r.id in seen_c:
                    continue
                seen_c.add(r.id)
                out.append(ComplaintArrived(r.id, r.phone_e164, r.customer_id, read_ts(r.received_at), read_ts(r.created_at),
                                            r.text, r.pack_id, r.decision_id, also_packs(_json(store, r.effects))))
            for r in conn.execute(select(D.c.id, D.c.at, D.c.pack_id, D.c.phone_e164, D.c.customer_id, D.c.facts, O.c.disposition,
                                         O.c.ended_at, O.c.callback_at, O.c.note, O.c.reported_at, A.c.outcome_at)
                                  .select_from(O.join(D, D.c.id == O.c.decision_id).outerjoin(A, A.c.decision_id == O.c.decision_id))
                                  .where(or_(D.c.phone_e164.in_(phones), D.c.customer_id.in_(cids)))):
                if r.id in seen_o:
                    continue
                seen_o.add(r.id)
                # Recorded when the attempt learned its outcome (on the client's timeline: when the call ended), else
                # when it was reported; as the outcome service records what it creates.
                recorded = read_ts(r.outcome_at) or read_ts(r.reported_at)
                if recorded >= end:
                    continue
                facts = store.sql.read_json(r.facts) if isinstance(r.facts, str) else r.facts
                cids_of = tuple(c["id"] for c in (facts or {}).get("customers") or ()) or ((r.customer_id,) if r.customer_id else ())
                at = read_ts(r.at)
                out.append(OutcomeArrived(r.id, at, r.pack_id, r.phone_e164, cids_of, r.disposition, read_ts(r.ended_at) or at,
                                          recorded, read_ts(r.callback_at), r.note))
        ids = sorted(seen_c)
        for i in range(0, len(ids), chunk):
            for r in conn.execute(select(E.c.complaint_id, E.c.at, E.c.recorded_at, E.c.note, C.c.phone_e164, C.c.customer_id,
                                         C.c.pack_id, C.c.received_at, C.c.effects)
                                  .select_from(E.join(C, C.c.id == E.c.complaint_id))
                                  .where(E.c.complaint_id.in_(ids[i:i + chunk]), E.c.note.is_not(None), E.c.type.in_(EVENT_TYPES),
                                         E.c.recorded_at < end)):
                out.append(NoteArrived(r.complaint_id, r.phone_e164, r.customer_id, read_ts(r.at), read_ts(r.recorded_at), r.note,
                                       r.pack_id, read_ts(r.received_at), also_packs(_json(store, r.effects))))
    out.sort(key=lambda a: (a.recorded_at, getattr(a, "id", None) or getattr(a, "decision_id", None) or getattr(a, "complaint_id", "")))
    return out


def _json(store: Store, value: Any) -> Any:
    """A JSON column as read: a string on SQLite, the value itself on PostgreSQL."""
    return store.sql.read_json(value) if isinstance(value, str) else value
