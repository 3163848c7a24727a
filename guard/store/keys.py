"""API keys in the store: an id, a SHA-256 of the secret, roles, label; revoked, never deleted."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import insert, select, update

from guard.store import access, models as m
from guard.store.db import Store

K = m.ApiKey.__table__


def create(store: Store, key_id: str, secret_hash: str, roles: Iterable[str], label: str | None, now: datetime, by: str) -> None:
    roles = sorted(set(roles))
    with store.write() as conn:
        conn.execute(insert(K).values(id=key_id, secret_hash=secret_hash, roles=",".join(roles), label=label, created_at=now))
        access.record(conn, now, by, "key.create", key_id, {"roles": roles, "label": label})


def revoke(store: Store, key_id: str, now: datetime, by: str) -> bool:
    with store.write() as conn:
        result = conn.execute(update(K).where(K.c.id == key_id, K.c.revoked_at.is_(None)).values(revoked_at=now))
        if result.rowcount == 1:
            access.record(conn, now, by, "key.revoke", key_id)
    return result.rowcount == 1


def all_keys(store: Store) -> list[Any]:
    with store.read() as conn:
        return conn.execute(select(K).order_by(K.c.created_at)).all()


def live(store: Store, key_id: str) -> Any:
    """(secret_hash, roles) of a key that is not revoked, or None."""
    with store.read() as conn:
        return conn.execute(select(K.c.secret_hash, K.c.roles).where(K.c.id == key_id, K.c.revoked_at.is_(None))).first()


def labels(store: Store, key_ids: Iterable[str]) -> dict[str, str | None]:
    ids = sorted(set(key_ids))
    if not ids:
        return {}
    with store.read() as conn:
        return {r.id: r.label for r in conn.execute(select(K.c.id, K.c.label).where(K.c.id.in_(ids))).all()}
