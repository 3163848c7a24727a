"""Consent versions in the store: a consent is never overwritten; a withdrawal closes the current
version (`valid_to`) and opens a new one carrying the withdrawal, so what the guard held at any
past instant can be read back."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import Connection, insert, or_, select, update

from guard.store import models as m

T = m.ConsentVersion.__table__
COLUMNS = ("consent_id", "phone_e164", "customer_id", "source", "consent_text", "text_version", "channels", "product_types", "given_at",
           "evidence_ref", "expires_at", "withdrawn_at", "withdrawn_via", "note", "valid_from", "valid_to", "recorded_by",
           "withdrawn_on", "expires_on", "given_on")


def add(conn: Connection, row: dict[str, Any]) -> None:
    conn.execute(insert(T).values(**{k: row.get(k) for k in COLUMNS}))


def add_many(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(T), [{k: r.get(k) for k in COLUMNS} for r in rows])


def current(conn: Connection, consent_id: str) -> Any:
    return conn.execute(select(T).where(T.c.consent_id == consent_id, T.c.valid_to.is_(None))).first()


def replace_if_current(conn: Connection, old: Any, changes: dict[str, Any], now: datetime, key_id: str | None) -> bool:
    """`replace` unless `old` is no longer the current version (another transaction, not holding the same lock, replaced
    it first: on PostgreSQL the update waits for it, then finds nothing to close); whether it was replaced."""
    if conn.execute(update(T).where(T.c.id == old.id, T.c.valid_to.is_(None)).values(valid_to=now)).rowcount != 1:
        return False
    row = {k: getattr(old, k) for k in COLUMNS}
    row.update(changes, valid_from=now, valid_to=None, recorded_by=key_id)
    add(conn, row)
    return True


def live_naming(conn: Connection, customer_ids: Sequence[str]) -> list[Any]:
    """Current versions naming one of these customers, with a number or without."""
    rows: list[Any] = []
    for part in _parts(customer_ids):
        rows += conn.execute(select(T).where(T.c.valid_to.is_(None), T.c.customer_id.in_(part))).all()
    return rows


def replace(conn: Connection, old: Any, changes: dict[str, Any], now: datetime, key_id: str | None) -> dict[str, Any]:
    """Close `old` and open a copy of it with `changes`; return the new version's values."""
    conn.execute(update(T).where(T.c.id == old.id).values(valid_to=now))
    row = {k: getattr(old, k) for k in COLUMNS}
    row.update(changes, valid_from=now, valid_to=None, recorded_by=key_id)
    add(conn, row)
    return row


# Values bound in one IN list: PostgreSQL binds at most 65,535 parameters a statement, and an import names every number of
# its file (a 70,000-row consent list answered 503 STORE_UNAVAILABLE: tests/consent/test_import_and_provenance.py).
IN_LIST_AT_MOST = 10_000


def _parts(values: Sequence[str]) -> list[list[str]]:
    distinct = sorted(set(values))
    return [distinct[i:i + IN_LIST_AT_MOST] for i in range(0, len(distinct), IN_LIST_AT_MOST)]


def live_of(conn: Connection, phones: Sequence[str], customer_ids: Sequence[str]) -> list[Any]:
    """Current versions naming these numbers, or naming these customers without a number, by given_at then id (any
    number of each: looked up IN_LIST_AT_MOST at a time; the two kinds of version are disjoint, no row comes twice)."""
    rows: list[Any] = []
    for part in _parts(phones):
        rows += conn.execute(select(T).where(T.c.valid_to.is_(None), T.c.phone_e164.in_(part))).all()
    for part in _parts(customer_ids):
        rows += conn.execute(select(T).where(T.c.valid_to.is_(None), T.c.phone_e164.is_(None), T.c.customer_id.in_(part))).all()
    return sorted(rows, key=lambda r: (r.given_at, r.id))


def history_of(conn: Connection, phone: str | None, customer_ids: Sequence[str], phones: Sequence[str] = ()) -> list[Any]:
    """Every version of every consent naming the number (or one of `phones`) or one of these customers (with or without a number)."""
    cond = []
    numbers = sorted({*phones, *([phone] if phone is not None else [])})
    if numbers:
        cond.append(T.c.phone_e164.in_(numbers))
    if customer_ids:
        cond.append(T.c.customer_id.in_(list(customer_ids)))
    if not cond:
        return []
    return conn.execute(select(T).where(or_(*cond)).order_by(T.c.given_at, T.c.consent_id, T.c.valid_from, T.c.id)).all()
