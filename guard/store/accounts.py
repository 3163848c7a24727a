"""People in the store: local accounts, failed sign-ins per user name, and signed-in sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import Connection, delete, insert, select, update

from guard.store import access, models as m
from guard.store.db import Store

A = m.Account.__table__
F = m.SignInFailure.__table__
S = m.WebSession.__table__


def create_account(store: Store, username: str, password_hash: str, roles: Iterable[str], display_name: str | None,
                   now: datetime, by: str) -> bool:
    """Insert an account; False when the name is taken."""
    roles = sorted(set(roles))
    with store.locked([f"u:{username}"]) as conn:
        if conn.execute(select(A.c.username).where(A.c.username == username)).first() is not None:
            return False
        conn.execute(insert(A).values(username=username, password_hash=password_hash, roles=",".join(roles),
                                      display_name=display_name, created_at=now, password_changed_at=now))
        access.record(conn, now, by, "user.create", f"user:{username}", {"roles": roles, "display_name": display_name})
    return True


def account(store: Store, username: str) -> Any:
    with store.read() as conn:
        return conn.execute(select(A).where(A.c.username == username)).first()


def all_accounts(store: Store) -> list[Any]:
    with store.read() as conn:
        return conn.execute(select(A).order_by(A.c.username)).all()


def update_account(store: Store, username: str, now: datetime, by: str, action: str, detail: dict[str, Any] | None,
                   **values: Any) -> bool:
    """Change an account and record who did (`action`, `detail`: never the password or its hash)."""
    with store.locked([f"u:{username}"]) as conn:
        if conn.execute(update(A).where(A.c.username == username).values(**values)).rowcount != 1:
            return False
        access.record(conn, now, by, action, f"user:{username}", detail)
        return True


def failures(store: Store, username: str) -> Any:
    with store.read() as conn:
        return conn.execute(select(F).where(F.c.username == username)).first()


def record_failure(store: Store, username: str, now: datetime, lock_for: "callable", forget_before: datetime) -> tuple[Any, bool]:
    """Count one more failure for `username`; `lock_for(failures)` gives the lock's end or None. Rows untouched
    since `forget_before` are dropped, so names made up by a guesser do not pile up. Returns the row and whether
    the failure was counted: a name locked at `now` (by guesses checked meanwhile) counts nothing more."""
    with store.locked([f"u:{username}"]) as conn:
        conn.execute(delete(F).where(F.c.last_failed_at < forget_before))
        row = conn.execute(select(F).where(F.c.username == username)).first()
        if row is not None and row.locked_until is not None and row.locked_until > now:
            return row, False
        count = (row.failures if row is not None else 0) + 1
        values = {"failures": count, "last_failed_at": now, "locked_until": lock_for(count)}
        if row is None:
            conn.execute(insert(F).values(username=username, **values))
        else:
            conn.execute(update(F).where(F.c.username == username).values(**values))
        return conn.execute(select(F).where(F.c.username == username)).first(), True


def clear_failures(conn: Connection, username: str) -> None:
    conn.execute(delete(F).where(F.c.username == username))


def start_session(store: Store, values: dict[str, Any], username: str | None, now: datetime) -> None:
    """Record a new session (and, for a local account, its sign-in time), clearing the name's failures."""
    with store.write() as conn:
        conn.execute(insert(S).values(**values))
        if username is not None:
            clear_failures(conn, username)
            if values["actor"].startswith("user:"):
                conn.execute(update(A).where(A.c.username == username).values(last_sign_in_at=now))


def live_session(store: Store, id_hash: str) -> Any:
    with store.read() as conn:
        return conn.execute(select(S).where(S.c.id_hash == id_hash, S.c.ended_at.is_(None))).first()


def touch_session(store: Store, id_hash: str, now: datetime) -> None:
    with store.write() as conn:
        conn.execute(update(S).where(S.c.id_hash == id_hash, S.c.ended_at.is_(None)).values(last_seen_at=now))


def confirm_session(store: Store, id_hash: str, roles: str, display_name: str | None, now: datetime) -> None:
    """The directory confirmed the session's person now, with these roles."""
    with store.write() as conn:
        conn.execute(update(S).where(S.c.id_hash == id_hash, S.c.ended_at.is_(None))
                     .values(roles=roles, display_name=display_name, directory_checked_at=now))


def end_session(store: Store, id_hash: str, now: datetime) -> bool:
    with store.write() as conn:
        return conn.execute(update(S).where(S.c.id_hash == id_hash, S.c.ended_at.is_(None)).values(ended_at=now)).rowcount == 1


def end_sessions_of(store: Store, actor: str, now: datetime) -> int:
    """End every live session of a person (a disabled account, a changed password)."""
    with store.write() as conn:
        return conn.execute(update(S).where(S.c.actor == actor, S.c.ended_at.is_(None)).values(ended_at=now)).rowcount


def person_labels(store: Store, actors: Iterable[str]) -> dict[str, str | None]:
    """How each person (user:<name> / ldap:<name>) is shown: a local account's display name, else the name
    the directory gave at their latest sign-in."""
    wanted = sorted({a for a in actors if a.startswith(("user:", "ldap:"))})
    if not wanted:
        return {}
    out: dict[str, str | None] = {}
    with store.read() as conn:
        for row in conn.execute(select(S.c.actor, S.c.display_name).where(S.c.actor.in_(wanted), S.c.display_name.is_not(None))
                                .order_by(S.c.created_at)).all():
            out[row.actor] = row.display_name
        local = [a[5:] for a in wanted if a.startswith("user:")]
        if local:
            for row in conn.execute(select(A.c.username, A.c.display_name).where(A.c.username.in_(local))).all():
                if row.display_name:
                    out["user:" + row.username] = row.display_name
    return out
