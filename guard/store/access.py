"""Who gave or took access (`access_events`): written in the transaction of the change it records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from guard.store import models as m
from guard.store.db import Store

E = m.AccessEvent.__table__


def record(conn: Connection, at: datetime, by: str, action: str, subject: str, detail: dict[str, Any] | None = None) -> None:
    conn.execute(insert(E).values(at=at, by=by[:200], action=action, subject=subject[:100], detail=detail or {}))


def events(store: Store, since: datetime | None = None, subject: str | None = None) -> list[Any]:
    """The events, oldest first; from `since` on, of one `subject` (a key's id, or user:<name>) when given."""
    query = select(E).order_by(E.c.at, E.c.id)
    if since is not None:
        query = query.where(E.c.at >= since)
    if subject is not None:
        query = query.where(E.c.subject == subject)
    with store.read() as conn:
        return conn.execute(query).all()
