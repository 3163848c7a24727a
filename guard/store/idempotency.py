"""Idempotency keys of `POST /v1/check`: the first answer given under a client's key, kept for its retries.

A row is written in the check's own transaction, beside the decision and the attempt it records, so a key
is never held without its decision nor a decision without its key. The check takes a lock on the key
before any other (on SQLite the write transaction already excludes every other writer): a retry arriving
while the first request is in flight waits for it and then finds its row. A row past `expires_at` no longer
counts; the `idempotency_keys` job deletes such rows, and a new request with an expired key replaces it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from guard.store.sql import Dialect


@dataclass(frozen=True)
class Held:
    """What a key already holds: the fingerprint of the request made with it, and the answer given."""

    fingerprint: str
    decision_id: str
    answer: dict[str, Any]
    created_at: datetime


def lock_name(scope: str, key: str) -> str:
    return f"i:{scope}\x00{key}"


_FIND = ("SELECT fingerprint, decision_id, answer, created_at FROM idempotency_keys "
         "WHERE scope = :scope AND idem_key = :key AND expires_at > :now")


def find(d: Dialect, cur: Any, scope: str, key: str, now: datetime) -> Held | None:
    """The key's live row (None when there is none, or only an expired one)."""
    return _held(d, d.run(cur, d.style(_FIND), {"scope": scope, "key": key, "now": d.ts(now)}))


def lock_and_find(d: Dialect, cur: Any, scope: str, key: str, now: datetime, lock_wait_ms: int) -> Held | None:
    """Take the key's lock, then read its live row: on PostgreSQL in one round trip (pipeline mode; the read runs
    after the lock is held, so it sees a row committed by a request that held it before); SQLite's write
    transaction already excludes every other writer."""
    if d.sqlite:
        return find(d, cur, scope, key, now)
    from guard.store.facts import lock_statement

    conn = cur.connection
    with conn.pipeline():
        conn.cursor().execute(*lock_statement([lock_name(scope, key)], lock_wait_ms))
        found = conn.cursor()
        found.execute(d.style(_FIND), {"scope": scope, "key": key, "now": d.ts(now)})
    return _held(d, found.fetchall())


def _held(d: Dialect, rows: list) -> Held | None:
    if not rows:
        return None
    fingerprint, decision_id, answer, created_at = rows[0]
    return Held(fingerprint, decision_id, d.read_json(answer), d.read_ts(created_at))


def record(d: Dialect, cur: Any, scope: str, key: str, fingerprint: str, decision_id: str, answer: dict[str, Any],
           now: datetime, expires_at: datetime) -> None:
    """Keep the answer given under the key (an expired row of the same key is replaced)."""
    cur.execute(d.style("DELETE FROM idempotency_keys WHERE scope = :scope AND idem_key = :key AND expires_at <= :now"),
                {"scope": scope, "key": key, "now": d.ts(now)})
    cur.execute(d.style("INSERT INTO idempotency_keys (scope, idem_key, fingerprint, decision_id, answer, created_at, expires_at) "
                        "VALUES (:scope, :key, :fingerprint, :decision_id, :answer, :created_at, :expires_at)"),
                {"scope": scope, "key": key, "fingerprint": fingerprint, "decision_id": decision_id,
                 "answer": json.dumps(answer, ensure_ascii=False, separators=(",", ":")), "created_at": d.ts(now),
                 "expires_at": d.ts(expires_at)})


def purge(conn: Any, now: datetime) -> dict[str, int]:
    """Delete the keys past their retention (the scheduler's `idempotency_keys` job)."""
    from sqlalchemy import text

    result = conn.execute(text("DELETE FROM idempotency_keys WHERE expires_at <= :now"), {"now": _bound(conn, now)})
    return {"purged": result.rowcount or 0}


def _bound(conn: Any, now: datetime) -> Any:
    return Dialect(conn.dialect.name).ts(now)
