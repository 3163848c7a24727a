"""Complaints (投诉): SLA deadlines, events, and the suppression they feed back into the checks.

Filing a complaint, in the same transaction and under the number's and the customer's locks:
- computes its deadlines from the pack's `complaints.sla` for its severity;
- tags the customer sensitive (the pack's stricter caps apply from the very next check);
- mutes the customer (or, with no customer known, the number) once the pack's `mute.complaints`
  complaints fall within `mute.within`, for `mute.for`;
- blacklists the number and the customer when the text asks to stop calling (不要再打 …).

A complaint is `open`, `overdue` (a deadline passed unmet) or `resolved`. Its history is the
append-only `complaint_events`; the scheduler marks overdue complaints and escalates them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select, update

from blacklist.service import NewEntry, add_entries
from guard.core.pack import COMPLAINT_SEVERITIES, Pack, PackSet
from guard.core.text import asks_to_stop_calling
from guard.services.check import NoPolicy
from guard.services.customers import add_tag
from guard.store import models as m
from guard.store.db import Store
from guard.store.ids import new_id
from guard.services.errors import Conflict, NotFound

C = m.Complaint.__table__
E = m.ComplaintEvent.__table__
MU = m.Mute.__table__
SENSITIVE_TAG = "sensitive"
EVENT_TYPES = ("first_response", "resolved", "escalated")
STATUSES = ("open", "overdue", "resolved")
# A queue sorted by deadline reads every unresolved complaint before cutting to `limit`.
QUEUE_READ_LIMIT = 50_000


@dataclass(frozen=True)
class NewComplaint:
    phone: str | None  # E.164
    customer_id: str | None
    severity: str
    received_at: datetime
    category: str | None = None
    text: str | None = None
    decision_id: str | None = None


def _iso(v: datetime | None) -> str | None:
    return v.isoformat() if v is not None else None


def customer_of(store: Store, conn: Connection, phone: str | None, customer_id: str | None) -> str | None:
    """The customer named, else the number's current owner (None when neither is known)."""
    if customer_id is not None or phone is None:
        return customer_id
    return store.facts.owner_now(store.cursor(conn), phone)


def lock_keys(phone: str | None, customer_id: str | None) -> list[str]:
    """The locks a change to this number's / customer's suppression takes, in the store's lock order."""
    return ([f"n:{phone}"] if phone else []) + ([f"c:{customer_id}"] if customer_id else [])


def file_in(conn: Connection, pack: Pack, new: NewComplaint, now: datetime, key_id: str | None, actor: str | None = None) -> dict:
    """File a complaint inside the caller's transaction (which holds the number's and customer's locks).
    `new.customer_id` is final: the caller resolved it (see `customer_of`)."""
    customer_id = new.customer_id
    sla = pack.complaint_sla[new.severity]

    def due(delta: timedelta | None) -> datetime | None:
        return new.received_at + delta if delta is not None else None

    complaint_id = new_id(now)
    effects: dict[str, Any] = {"tagged_sensitive": False, "mute_id": None, "blacklist": []}
    if customer_id is not None:
        effects["tagged_sensitive"] = add_tag(conn, customer_id, SENSITIVE_TAG, now, key_id)
    effects["mute_id"] = _maybe_mute(conn, pack, new, customer_id, now, key_id)
    if new.text and asks_to_stop_calling(new.text):
        entries = []
        if new.phone:
            entries.append(NewEntry(phone=new.phone, customer_id=None, source="complaint", reason=f"complaint {complaint_id}: asked to stop calling"))
        if customer_id:
            entries.append(NewEntry(phone=None, customer_id=customer_id, source="complaint", reason=f"complaint {complaint_id}: asked to stop calling"))
        effects["blacklist"] = [e["id"] for e, _ in add_entries(conn, entries, now, key_id)]
    conn.execute(insert(C).values(
        id=complaint_id, phone_e164=new.phone, customer_id=customer_id, severity=new.severity, category=new.category,
        text=new.text, received_at=new.received_at, created_at=now, created_by=key_id, decision_id=new.decision_id,
        pack_id=pack.id, pack_version=pack.version, first_response_due=due(sla.first_response), resolution_due=due(sla.resolve),
        escalation_due=due(sla.escalate), first_response_at=None, resolved_at=None, escalated_at=None, overdue_at=None,
        effects=effects,
    ))
    conn.execute(insert(E).values(complaint_id=complaint_id, type="filed", at=new.received_at, recorded_at=now,
                                  actor=actor or key_id, note=None))
    return view(conn, complaint_id, now)


def _maybe_mute(conn: Connection, pack: Pack, new: NewComplaint, customer_id: str | None, now: datetime, key_id: str | None) -> str | None:
    rule = pack.mute
    if rule is None or (customer_id is None and new.phone is None):
        return None
    who = C.c.customer_id == customer_id if customer_id else and_(C.c.customer_id.is_(None), C.c.phone_e164 == new.phone)
    earlier = conn.execute(
        select(func.count()).select_from(C).where(who, C.c.received_at > new.received_at - rule.within, C.c.received_at <= new.received_at)
    ).scalar_one()
    if earlier + 1 < rule.complaints:
        return None
    mute_who = MU.c.customer_id == customer_id if customer_id else MU.c.phone_e164 == new.phone
    live = conn.execute(select(MU.c.id).where(mute_who, MU.c.lifted_at.is_(None), MU.c.ends_at > now + rule.for_ - timedelta(seconds=1))).first()
    if live is not None:
        return live.id
    mute_id = new_id(now)
    conn.execute(insert(MU).values(
        id=mute_id, customer_id=customer_id, phone_e164=None if customer_id else new.phone, starts_at=now, ends_at=now + rule.for_,
        reason=f"{earlier + 1} complaints within {rule.within.days or rule.within} (pack {pack.id} {pack.version})",
        created_at=now, created_by=key_id, lifted_at=None, lifted_by=None,
    ))
    return mute_id


def pack_for(packs: PackSet, pack_id: str | None, at: datetime) -> Pack:
    pack = packs.at(pack_id or packs.default_id, at) or packs.at(packs.default_id, at)
    if pack is None:
        raise NoPolicy(f"no pack version in effect at {at.isoformat()}")
    return pack


def file(store: Store, packs: PackSet, new: NewComplaint, now: datetime, key_id: str | None) -> dict:
    pack = pack_for(packs, None, new.received_at)
    with store.locked(lock_keys(new.phone, None)) as conn:
        customer_id = customer_of(store, conn, new.phone, new.customer_id)
        if customer_id:
            store.lock(conn, f"c:{customer_id}")
        return file_in(conn, pack, NewComplaint(**{**new.__dict__, "customer_id": customer_id}), now, key_id)


# --- status ----------------------------------------------------------------------------------

def _missed(now: datetime) -> Any:
    """SQL: an unresolved complaint with a deadline passed and not met at `now`."""
    return and_(
        C.c.resolved_at.is_(None),
        or_(  # every term is TRUE or FALSE, never NULL, so that NOT (...) means "no deadline missed"
            and_(C.c.first_response_due.is_not(None), C.c.first_response_due < now, C.c.first_response_at.is_(None)),
            and_(C.c.resolution_due.is_not(None), C.c.resolution_due < now),
            and_(C.c.escalation_due.is_not(None), C.c.escalation_due < now, C.c.escalated_at.is_(None)),
        ),
    )


def status_of(row: Any, now: datetime) -> str:
    if row.resolved_at is not None:
        return "resolved"
    if row.overdue_at is not None or _missed_deadlines(row, now):
        return "overdue"
    return "open"


def _missed_deadlines(row: Any, now: datetime) -> list[str]:
    if row.resolved_at is not None:
        return []
    out = []
    if row.first_response_due is not None and row.first_response_at is None and row.first_response_due < now:
        out.append("first_response")
    if row.resolution_due is not None and row.resolution_due < now:
        out.append("resolve")
    if row.escalation_due is not None and row.escalated_at is None and row.escalation_due < now:
        out.append("escalate")
    return out


def view(conn: Connection, complaint_id: str, now: datetime, events: bool = True) -> dict:
    row = conn.execute(select(C).where(C.c.id == complaint_id)).first()
    if row is None:
        raise NotFound(complaint_id)
    out = row_view(row, now)
    if events:
        out["events"] = [
            {"type": e.type, "at": e.at.isoformat(), "recorded_at": e.recorded_at.isoformat(), "actor": e.actor, "note": e.note}
            for e in conn.execute(select(E).where(E.c.complaint_id == complaint_id).order_by(E.c.id)).all()
        ]
    return out


def next_due(row: Any) -> dict | None:
    """The nearest deadline still to be met (passed or not), or None when none is pending."""
    if row.resolved_at is not None:
        return None
    pending = []
    if row.first_response_due is not None and row.first_response_at is None:
        pending.append((row.first_response_due, "first_response"))
    if row.escalation_due is not None and row.escalated_at is None:
        pending.append((row.escalation_due, "escalate"))
    if row.resolution_due is not None:
        pending.append((row.resolution_due, "resolve"))
    if not pending:
        return None
    at, kind = min(pending)
    return {"kind": kind, "at": at.isoformat()}


def row_view(row: Any, now: datetime) -> dict:
    return {
        "id": row.id,
        "phone_e164": row.phone_e164,
        "customer_id": row.customer_id,
        "severity": row.severity,
        "category": row.category,
        "text": row.text,
        "received_at": row.received_at.isoformat(),
        "decision_id": row.decision_id,
        "status": status_of(row, now),
        "sla": {
            "first_response_due": _iso(row.first_response_due),
            "resolution_due": _iso(row.resolution_due),
            "escalation_due": _iso(row.escalation_due),
            "missed": _missed_deadlines(row, now),
        },
        "next_due": next_due(row),
        "first_response_at": _iso(row.first_response_at),
        "escalated_at": _iso(row.escalated_at),
        "resolved_at": _iso(row.resolved_at),
        "overdue_at": _iso(row.overdue_at),
        "policy": {"pack": row.pack_id, "version": row.pack_version},
        "effects": row.effects,
        "created_at": row.created_at.isoformat(),
        "created_by": row.created_by,
    }


def get(store: Store, complaint_id: str, now: datetime) -> dict:
    with store.read() as conn:
        return view(conn, complaint_id, now)


def listing(store: Store, status: str | None, now: datetime, limit: int, customer_id: str | None = None,
            sort: str = "received") -> list[dict]:
    """Complaints by status; `sort="due"` puts the nearest pending deadline first (resolved last)."""
    where = []
    if status == "unresolved":
        where.append(C.c.resolved_at.is_(None))
    elif status == "resolved":
        where.append(C.c.resolved_at.is_not(None))
    elif status == "overdue":
        where.append(and_(C.c.resolved_at.is_(None), or_(C.c.overdue_at.is_not(None), _missed(now))))
    elif status == "open":
        where.append(and_(C.c.resolved_at.is_(None), C.c.overdue_at.is_(None), ~_missed(now)))
    if customer_id is not None:
        where.append(C.c.customer_id == customer_id)
    query = select(C).where(*where).order_by(C.c.received_at, C.c.id)
    with store.read() as conn:
        if sort != "due":
            return [row_view(r, now) for r in conn.execute(query.limit(limit)).all()]
        rows = conn.execute(query.limit(QUEUE_READ_LIMIT)).all()
    views = [row_view(r, now) for r in rows]
    far = "9999-12-31T00:00:00+00:00"
    views.sort(key=lambda v: (v["next_due"] is None, _utc_key(v["next_due"]["at"]) if v["next_due"] else far))
    return views[:limit]


def _utc_key(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(timezone.utc).isoformat()


# --- events ----------------------------------------------------------------------------------

def add_event(store: Store, complaint_id: str, kind: str, at: datetime, note: str | None, now: datetime, actor: str | None) -> dict:
    with store.locked([f"q:{complaint_id}"]) as conn:
        row = conn.execute(select(C).where(C.c.id == complaint_id)).first()
        if row is None:
            raise NotFound(complaint_id)
        if row.resolved_at is not None:
            raise Conflict(f"complaint {complaint_id} was resolved at {row.resolved_at.isoformat()}; it takes no more events")
        if at < row.received_at:
            raise ValueError(f"at: {at.isoformat()} is before the complaint was received ({row.received_at.isoformat()})")
        values: dict[str, Any] = {}
        if kind == "first_response":
            if row.first_response_at is not None:
                raise Conflict(f"complaint {complaint_id} already had its first response at {row.first_response_at.isoformat()}")
            values["first_response_at"] = at
        elif kind == "escalated":
            if row.escalated_at is None:
                values["escalated_at"] = at
        elif kind == "resolved":
            values["resolved_at"] = at
            if row.first_response_at is None:
                values["first_response_at"] = at  # resolving is a response
        if values:
            conn.execute(update(C).where(C.c.id == complaint_id).values(**values))
        conn.execute(insert(E).values(complaint_id=complaint_id, type=kind, at=at, recorded_at=now, actor=actor, note=note))
        return view(conn, complaint_id, now)


# --- the scheduler's job -------------------------------------------------------------------------

def mark_overdue(conn: Connection, now: datetime, actor: str) -> dict:
    """Mark every complaint whose deadline passed unmet as overdue and escalate it; idempotent."""
    rows = conn.execute(select(C).where(C.c.overdue_at.is_(None), _missed(now)).order_by(C.c.received_at)).all()
    escalated = 0
    for row in rows:
        missed = _missed_deadlines(row, now)
        values: dict[str, Any] = {"overdue_at": now}
        conn.execute(insert(E).values(complaint_id=row.id, type="overdue", at=now, recorded_at=now, actor=actor,
                                      note="missed: " + ", ".join(missed)))
        if row.escalated_at is None:
            values["escalated_at"] = now
            escalated += 1
            conn.execute(insert(E).values(complaint_id=row.id, type="escalated", at=now, recorded_at=now, actor=actor,
                                          note=f"SLA missed ({', '.join(missed)}): escalated to a supervisor"))
        conn.execute(update(C).where(C.c.id == row.id, C.c.overdue_at.is_(None)).values(**values))
    return {"overdue": len(rows), "escalated": escalated}


assert set(COMPLAINT_SEVERITIES) == {"light", "medium", "severe"}
