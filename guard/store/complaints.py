"""Complaints in the store: the complaint with its deadlines, its append-only events, the counts a
mute depends on, and the queue. The SLA rules are `guard.core.complaints`; this module keeps what
they computed (`next_due_at`, `stage`) and filters, counts and sorts by it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, and_, exists, func, insert, or_, select, update

from guard.core.complaints import STAGES, ComplaintState, next_due, stage
from guard.store import models as m
from guard.store.facts import lock_statement

C = m.Complaint.__table__
E = m.ComplaintEvent.__table__
MU = m.Mute.__table__


def _derived(values: dict[str, Any]) -> dict[str, Any]:
    """What the store keeps beside a complaint, computed by the core: `next_due_at` and `stage`."""
    state = ComplaintState(**{k: values.get(k) for k in ComplaintState.__dataclass_fields__})
    due = next_due(state)
    return {"next_due_at": due[0] if due is not None else None, "stage": stage(state)}


def insert_complaint(conn: Connection, values: dict[str, Any]) -> None:
    insert_complaints(conn, [values])


def insert_complaints(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert complaints (each with its `next_due_at` and `stage`, the things a caller must not compute)."""
    conn.execute(insert(C), [{**values, **_derived(values)} for values in rows])


def insert_event(conn: Connection, complaint_id: str, kind: str, at: datetime, recorded_at: datetime, actor: str | None,
                 note: str | None, recorded_by: str | None = None) -> None:
    """Append an event; `recorded_by` (default: `actor`) is who recorded it, when a key names another person as `actor`."""
    conn.execute(insert(E).values(complaint_id=complaint_id, type=kind, at=at, recorded_at=recorded_at, actor=actor, note=note,
                                  recorded_by=recorded_by if recorded_by is not None else actor))


def update_complaint(conn: Connection, row: Any, values: dict[str, Any], still_as_read: tuple[str, ...] = ()) -> bool:
    """Change a complaint and keep its `next_due_at` and `stage` in step. With `still_as_read`, only if each of those
    columns is still set, or still unset, as `row` read it (a step recorded meanwhile by another transaction leaves the
    complaint alone); whether it changed."""
    merged = {**row._mapping, **values}
    where = [C.c.id == row.id] + [C.c[col].is_(None) if getattr(row, col) is None else C.c[col].is_not(None)
                                  for col in still_as_read]
    return conn.execute(update(C).where(*where).values(**values, **_derived(merged))).rowcount == 1


def for_change(conn: Connection, complaint_id: str, wait_ms: int = 5000) -> Any:
    """The complaint as it is now, under the lock a person's step on it takes (`q:<id>`, PostgreSQL; waited for at most
    `wait_ms`): what the scheduler judges, so that a step recorded meanwhile is seen, not overwritten. On SQLite the
    write transaction already excludes every other one."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(*lock_statement([f"q:{complaint_id}"], wait_ms))
    return conn.execute(select(C).where(C.c.id == complaint_id)).first()


def shown() -> Select:
    """Complaints as they are shown (guard.services.suppression.complaints.row_view): each with `extended`, whether an
    `extended` event moved its resolution deadline."""
    return select(C, exists().where(E.c.complaint_id == C.c.id, E.c.type == "extended").label("extended"))


def get(conn: Connection, complaint_id: str) -> Any:
    return conn.execute(shown().where(C.c.id == complaint_id)).first()


def events(conn: Connection, complaint_id: str) -> list[Any]:
    return conn.execute(select(E).where(E.c.complaint_id == complaint_id).order_by(E.c.id)).all()


def same_as(conn: Connection, phone: str | None, customer_id: str | None, severity: str, category: str | None, text: str | None,
            received_at: datetime) -> str | None:
    """The id of the complaint recorded with exactly these facts (the same complaint entered again), or None."""
    def same(column: Any, value: Any) -> Any:
        return column.is_(None) if value is None else column == value

    return conn.execute(select(C.c.id).where(
        same(C.c.phone_e164, phone), same(C.c.customer_id, customer_id), C.c.severity == severity, same(C.c.category, category),
        same(C.c.text, text), C.c.received_at == received_at).order_by(C.c.id).limit(1)).scalar()


def receipts_between(conn: Connection, customer_id: str | None, phone: str | None, start: datetime, end: datetime) -> list[datetime]:
    """When each complaint of the customer (or, with none, of the number with no customer) received in (start, end] was received."""
    who = C.c.customer_id == customer_id if customer_id else and_(C.c.customer_id.is_(None), C.c.phone_e164 == phone)
    return list(conn.execute(select(C.c.received_at).where(who, C.c.received_at > start, C.c.received_at <= end)).scalars())


def live_mute(conn: Connection, customer_id: str | None, phone: str | None, starts_by: datetime, ends_after: datetime) -> str | None:
    """A mute of the customer (or number) not lifted, begun by `starts_by` and lasting past `ends_after`: one
    that covers the whole of a period (a mute that begins later leaves the start of the period unmuted)."""
    who = MU.c.customer_id == customer_id if customer_id else MU.c.phone_e164 == phone
    row = conn.execute(select(MU.c.id).where(who, MU.c.lifted_at.is_(None), MU.c.starts_at <= starts_by,
                                             MU.c.ends_at > ends_after)).first()
    return row.id if row is not None else None


def insert_mute(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(MU).values(**values))


def _late(now: datetime) -> Any:
    """guard.core.complaints.late in SQL: a pending deadline passed (`next_due_at` is the nearest), or,
    while unresolved, a deadline found missed (`overdue_at`: by the scheduler, or when its step was
    recorded late)."""
    return or_(C.c.next_due_at < now, and_(C.c.resolved_at.is_(None), C.c.overdue_at.is_not(None)))


def _breached(now: datetime) -> Any:
    """guard.core.complaints.missed is not empty, in SQL: a pending deadline passed, or one was found missed
    (by the scheduler, or when its step was recorded late: `overdue_at`, `callback_overdue_at`)."""
    return or_(C.c.next_due_at < now, C.c.overdue_at.is_not(None), C.c.callback_overdue_at.is_not(None))


def listing(conn: Connection, status: str | None, now: datetime, limit: int, customer_id: str | None = None,
            sort: str = "received", stage_is: str | None = None, late: bool | None = None, phone: str | None = None,
            after: tuple[datetime | None, datetime, str] | None = None) -> list[Any]:
    """Complaints by status (see guard.core.complaints.status), stage, lateness, customer or number;
    `sort="due"` puts the nearest pending deadline first and the complaints with none last. `after`: the
    sort key (next_due_at, received_at, id) of the last complaint of the page before; the page starts after it."""
    missed = C.c.next_due_at < now
    where = []
    if stage_is is not None:
        where.append(C.c.stage == stage_is)
    if late is not None:
        where.append(_late(now) if late else ~_late(now))
    if phone is not None:
        where.append(C.c.phone_e164 == phone)
    if status == "unresolved":
        where.append(C.c.resolved_at.is_(None))
    elif status == "resolved":
        where.append(C.c.resolved_at.is_not(None))
    elif status == "overdue":
        where.append(and_(C.c.resolved_at.is_(None), or_(C.c.overdue_at.is_not(None), missed)))
    elif status == "open":
        where.append(and_(C.c.resolved_at.is_(None), C.c.overdue_at.is_(None), or_(C.c.next_due_at.is_(None), ~missed)))
    if customer_id is not None:
        where.append(C.c.customer_id == customer_id)
    if after is not None:
        where.append(_after(sort, *after))
    order = ([C.c.next_due_at.is_(None), C.c.next_due_at] if sort == "due" else []) + [C.c.received_at, C.c.id]
    return conn.execute(shown().where(*where).order_by(*order).limit(limit)).all()


def _after(sort: str, due: datetime | None, received: datetime, complaint_id: str) -> Any:
    """The complaints that sort after (due, received, id) in the listing's order (a keyset: a complaint filed or
    resolved between two pages shifts no other one onto the page already read, or off the next)."""
    later = or_(C.c.received_at > received, and_(C.c.received_at == received, C.c.id > complaint_id))
    if sort != "due":
        return later
    if due is None:  # among the complaints with no deadline pending, sorted last
        return and_(C.c.next_due_at.is_(None), later)
    return or_(C.c.next_due_at.is_(None), C.c.next_due_at > due, and_(C.c.next_due_at == due, later))


def counts(conn: Connection, now: datetime) -> dict[str, int]:
    """How many complaints are at each stage, how many are late and how many missed a deadline (across stages)."""
    by_stage = dict(conn.execute(select(C.c.stage, func.count()).where(C.c.stage.is_not(None)).group_by(C.c.stage)).all())
    out = {s: int(by_stage.get(s, 0)) for s in STAGES}
    out["late"] = conn.execute(select(func.count()).select_from(C).where(_late(now))).scalar_one()
    out["breached"] = conn.execute(select(func.count()).select_from(C).where(_breached(now))).scalar_one()
    return out


def callbacks_to_mark_overdue(conn: Connection, now: datetime) -> list[Any]:
    """Resolved complaints whose satisfaction callback is late and not yet marked so."""
    return conn.execute(select(C).where(C.c.resolved_at.is_not(None), C.c.callback_at.is_(None), C.c.callback_due < now,
                                        C.c.callback_overdue_at.is_(None)).order_by(C.c.callback_due)).all()


def to_mark_overdue(conn: Connection, now: datetime) -> list[Any]:
    """Unresolved complaints with a deadline missed at `now` that the scheduler has not marked yet, and
    unresolved complaints marked overdue (when a step was recorded late) but not escalated yet."""
    unmarked = and_(C.c.overdue_at.is_(None), C.c.next_due_at < now)
    unescalated = and_(C.c.overdue_at.is_not(None), C.c.escalated_at.is_(None))
    return conn.execute(select(C).where(C.c.resolved_at.is_(None), or_(unmarked, unescalated))
                        .order_by(C.c.received_at)).all()


def touching_day(conn: Connection, start: datetime) -> list[Any]:
    """Complaints unresolved, or received or resolved since `start` (a dashboard's day)."""
    return conn.execute(select(C).where(or_(C.c.resolved_at.is_(None), C.c.received_at >= start, C.c.resolved_at >= start))).all()


def of_customer(conn: Connection, customer_id: str, phones: list[str], limit: int = 200) -> list[Any]:
    where = C.c.customer_id == customer_id
    if phones:
        where = or_(where, C.c.phone_e164.in_(phones))
    return conn.execute(select(C).where(where).order_by(C.c.received_at.desc()).limit(limit)).all()
