"""The marketing blacklist (营销黑名单): add, look up, remove (admin, audited), as of any instant.

An entry blocks a number, or a customer (every number the customer has, now and later). Entries
are never deleted: a removal stamps who, when and why on the row, so the blacklist as it was at
any past instant can be read back (audits judge past calls by it) and every removal is on record.

There is at most one live entry per number (or customer) and source: adding the same thing twice,
or importing the same file twice, changes nothing (a partial unique index enforces it).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import Connection, and_, or_, select, update

from guard.core.facts import EXTERNAL_SOURCES, INTERNAL_SOURCES
from guard.store import models as m
from guard.store.db import Store
from guard.store.ids import new_id

T = m.BlacklistEntry.__table__
SOURCES = tuple(sorted(INTERNAL_SOURCES | EXTERNAL_SOURCES))


def reason_code(source: str) -> str:
    """The reason a check gives for an entry of this source (SPEC §3.1)."""
    return "DNC_REGISTRY" if source in EXTERNAL_SOURCES else "DNC_OPT_OUT"


@dataclass(frozen=True)
class NewEntry:
    phone: str | None
    customer_id: str | None
    source: str
    reason: str | None = None
    expires_at: datetime | None = None
    added_at: datetime | None = None  # when the entry took effect; default: now


def insert_sql(dialect: str) -> str:
    """Insert one entry unless a live one for the same number (or customer) and source exists."""
    cols = ("id", "phone_e164", "customer_id", "source", "reason", "added_at", "expires_at", "added_by", "recorded_at")
    if dialect == "sqlite":
        values = ", ".join("?" for _ in cols)
    else:
        values = ", ".join(f"%({c})s" for c in cols)
    return f"INSERT INTO blacklist_entries ({', '.join(cols)}) VALUES ({values}) ON CONFLICT DO NOTHING"


def _live(conn: Connection, entry: NewEntry) -> Any:
    where = [T.c.removed_at.is_(None), T.c.source == entry.source]
    if entry.phone is not None:
        where += [T.c.phone_e164 == entry.phone]
    else:
        where += [T.c.phone_e164.is_(None), T.c.customer_id == entry.customer_id]
    return conn.execute(select(T).where(*where)).first()


def add_entries(conn: Connection, entries: Iterable[NewEntry], now: datetime, key_id: str | None) -> list[tuple[dict, bool]]:
    """Add entries inside the caller's transaction; return each live entry and whether it is new."""
    out = []
    for entry in entries:
        existing = _live(conn, entry)
        if existing is not None:
            out.append((view(existing, now), False))
            continue
        row = {
            "id": new_id(now), "phone_e164": entry.phone, "customer_id": entry.customer_id if entry.phone is None else None,
            "source": entry.source, "reason": entry.reason, "added_at": m.as_stored(entry.added_at or now), "expires_at": m.as_stored(entry.expires_at),
            "added_by": key_id, "recorded_at": now, "removed_at": None, "removed_by": None, "removal_reason": None,
        }
        conn.execute(T.insert().values(**row))
        out.append((view(SimpleNamespace(**row), now), True))
    return out


def add(store: Store, entry: NewEntry, now: datetime, key_id: str | None) -> tuple[dict, bool]:
    lock = f"n:{entry.phone}" if entry.phone else f"c:{entry.customer_id}"
    with store.locked([lock]) as conn:
        return add_entries(conn, [entry], now, key_id)[0]


def view(row: Any, now: datetime) -> dict:
    def iso(v: datetime | None) -> str | None:
        return v.isoformat() if v is not None else None

    active = row.removed_at is None and (row.expires_at is None or row.expires_at > now) and row.added_at <= now
    return {
        "id": row.id,
        "phone_e164": row.phone_e164,
        "customer_id": row.customer_id,
        "source": row.source,
        "code": reason_code(row.source),
        "reason": row.reason,
        "added_at": iso(row.added_at),
        "expires_at": iso(row.expires_at),
        "added_by": row.added_by,
        "recorded_at": iso(row.recorded_at),
        "active": active,
        "removed_at": iso(row.removed_at),
        "removed_by": row.removed_by,
        "removal_reason": row.removal_reason,
    }


def lookup_phone(store: Store, phone: str, now: datetime) -> dict:
    """Every entry that bears on the number (its own, and its customer's), live ones and history."""
    with store.read() as conn:
        owner = store.facts.owner_now(store.cursor(conn), phone)
        cond = T.c.phone_e164 == phone
        if owner is not None:
            cond = or_(cond, and_(T.c.phone_e164.is_(None), T.c.customer_id == owner))
        rows = conn.execute(select(T).where(cond).order_by(T.c.added_at, T.c.id)).all()
    return _summary({"phone_e164": phone, "customer_id": owner}, rows, now)


def lookup_customer(store: Store, customer_id: str, now: datetime) -> dict:
    with store.read() as conn:
        rows = conn.execute(
            select(T).where(T.c.phone_e164.is_(None), T.c.customer_id == customer_id).order_by(T.c.added_at, T.c.id)
        ).all()
    return _summary({"customer_id": customer_id}, rows, now)


def _summary(head: dict, rows: list, now: datetime) -> dict:
    views = [view(r, now) for r in rows]
    active = [v for v in views if v["active"]]
    return {
        **head,
        "blocked": bool(active),
        "codes": sorted({v["code"] for v in active}),
        "entries": active,
        "history": [v for v in views if not v["active"]],
    }


def remove(store: Store, *, phone: str | None = None, customer_id: str | None = None, reason: str,
           source: str | None, now: datetime, key_id: str | None) -> list[dict]:
    """Close the live entries of a number (or a customer); return them as they now stand."""
    lock = f"n:{phone}" if phone else f"c:{customer_id}"
    with store.locked([lock]) as conn:
        where = [T.c.removed_at.is_(None)]
        where.append(T.c.phone_e164 == phone if phone else and_(T.c.phone_e164.is_(None), T.c.customer_id == customer_id))
        if source is not None:
            where.append(T.c.source == source)
        ids = [r.id for r in conn.execute(select(T.c.id).where(*where)).all()]
        if not ids:
            return []
        conn.execute(update(T).where(T.c.id.in_(ids)).values(removed_at=now, removed_by=key_id, removal_reason=reason))
        return [view(r, now) for r in conn.execute(select(T).where(T.c.id.in_(ids)).order_by(T.c.added_at)).all()]
