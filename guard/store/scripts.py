"""Script versions in the store: each with its lint result and the pack version that judged it;
approval stamps who and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from guard.store import models as m

S = m.Script.__table__


def next_version(conn: Connection, campaign: str) -> int:
    return (conn.execute(select(func.max(S.c.version)).where(S.c.campaign == campaign)).scalar() or 0) + 1


def insert_script(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(S).values(**values))


def get(conn: Connection, script_id: str) -> Any:
    return conn.execute(select(S).where(S.c.id == script_id)).first()


def of_campaign(conn: Connection, campaign: str) -> list[Any]:
    return conn.execute(select(S).where(S.c.campaign == campaign).order_by(S.c.version)).all()


def approve(conn: Connection, script_id: str, now: datetime, key_id: str | None) -> None:
    conn.execute(update(S).where(S.c.id == script_id).values(approved_at=now, approved_by=key_id))


def approved(conn: Connection) -> list[Any]:
    """Every approved script version, by campaign and version."""
    return conn.execute(select(S).where(S.c.approved_at.is_not(None)).order_by(S.c.campaign, S.c.version)).all()
