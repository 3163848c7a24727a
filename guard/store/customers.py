"""Customer profiles in the store: versioned rows (a change closes the current version and opens a
new one) and the phone-ownership rows derived from them, so the profile and the owner of a
number at any past instant can be read back."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import Connection, func, insert, select, update

from guard.store import models as m

CV, CP = m.CustomerVersion.__table__, m.CustomerPhone.__table__
PROFILE_COLUMNS = ("phones", "risk_level", "risk_assessed_at", "tags", "windows", "timezone", "state", "guard_tags")


def current(conn: Connection, customer_id: str) -> Any:
    return conn.execute(select(CV).where(CV.c.customer_id == customer_id, CV.c.valid_to.is_(None))).first()


def versions(conn: Connection, customer_id: str) -> list[Any]:
    return conn.execute(select(CV).where(CV.c.customer_id == customer_id).order_by(CV.c.valid_from, CV.c.id)).all()


def version_count(conn: Connection, customer_id: str) -> int:
    return conn.execute(select(func.count()).select_from(CV).where(CV.c.customer_id == customer_id)).scalar_one()


def owners_other_than(conn: Connection, phones: Sequence[str], customer_id: str) -> list[Any]:
    """(phone_e164, customer_id) of these numbers owned now by someone else."""
    if not phones:
        return []
    return conn.execute(select(CP.c.phone_e164, CP.c.customer_id).where(
        CP.c.phone_e164.in_(list(phones)), CP.c.valid_to.is_(None), CP.c.customer_id != customer_id)).all()


def replace_profile(conn: Connection, customer_id: str, old: Any, profile: dict[str, Any], now: datetime, key_id: str | None,
                    note: str | None = None) -> None:
    """Close `old` (the current version, or None) and open `profile` as the new one, moving the
    number ownership rows with it; in the caller's transaction (which holds the locks)."""
    if old is not None:
        conn.execute(update(CV).where(CV.c.id == old.id).values(valid_to=now))
    old_phones = set(old.phones) if old is not None else set()
    new_phones = set(profile["phones"])
    for phone in old_phones - new_phones:
        conn.execute(update(CP).where(CP.c.customer_id == customer_id, CP.c.phone_e164 == phone, CP.c.valid_to.is_(None))
                     .values(valid_to=now))
    for phone in sorted(new_phones - old_phones):
        conn.execute(insert(CP).values(customer_id=customer_id, phone_e164=phone, valid_from=now, valid_to=None))
    conn.execute(insert(CV).values(customer_id=customer_id, valid_from=now, valid_to=None, changed_by=key_id, note=note,
                                   **{k: profile[k] for k in PROFILE_COLUMNS}))
