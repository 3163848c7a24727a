"""Customer profiles: versioned, so the profile at any past instant can be read back.

A PUT replaces the profile: the current version is closed (`valid_to = now`) and a new one
opened, in one transaction holding the customer's lock and the lock of every number it claims,
so a check running at the same time sees either the old profile or the new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from guard.core.calendar import supported_calendars
from guard.core.phones import NumberRange, parse_phone
from guard.core.windows import WindowError, parse_window
from guard.core.errors import Conflict, InvalidField, Stale
from guard.store import customers as customer_store
from guard.store.db import Connection, Store


@dataclass(frozen=True)
class CustomerProfile:
    phones: list[str]
    risk_level: str | None
    risk_assessed_at: datetime | None
    tags: list[str]
    windows: list[dict[str, Any]]
    timezone: str | None
    state: str | None = None


def normalise_profile(data: dict[str, Any], default_region: str, now: datetime,
                      ranges: tuple[NumberRange, ...] = ()) -> CustomerProfile:
    """Validate a profile body (already type-checked) into stored form; raise InvalidField."""
    region = data.get("region") or default_region
    phones: list[str] = []
    for i, raw in enumerate(data.get("phones") or []):
        info = parse_phone(raw, region, ranges)
        if not info.valid:
            raise InvalidField(f"phones[{i}]", f"{raw!r} is not a valid number ({info.why})")
        if info.e164 not in phones:
            phones.append(info.e164)
    windows = []
    for i, w in enumerate(data.get("windows") or []):
        try:
            windows.append(parse_window(w).describe())
        except WindowError as exc:
            raise InvalidField(f"windows[{i}]" + (f".{exc.path}" if exc.path else ""), str(exc)) from None
    tz = data.get("timezone")
    if tz is not None:
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidField("timezone", f"{tz!r} is not an IANA time zone (like Asia/Shanghai)") from None
    assessed = data.get("risk_assessed_at")
    if assessed is not None and (assessed - now).total_seconds() > 300:
        raise InvalidField("risk_assessed_at", "is in the future")
    tags = sorted(set(data.get("tags") or []))
    state = data.get("state")
    if state is not None and state not in supported_calendars()["US"]:
        raise InvalidField("state", f"{state!r} is not a US state or territory code (like FL)")
    return CustomerProfile(phones, data.get("risk_level"), assessed, tags, windows, tz, state)


def _profile_of(row) -> CustomerProfile:
    return CustomerProfile(list(row.phones), row.risk_level, row.risk_assessed_at, list(row.tags), list(row.windows), row.timezone,
                           row.state)


def put_customer(store: Store, customer_id: str, profile: CustomerProfile, now: datetime, key_id: str | None,
                 expected_version: int | None = None) -> tuple[dict, bool]:
    """Replace the profile; return (customer, created). An identical profile makes no new version.

    With `expected_version` (an HTTP If-Match), the replacement happens only if the stored profile
    is still at that version (0: no profile yet); otherwise Stale is raised and nothing changes.
    """
    with store.locked("n:" + p for p in profile.phones) as conn:
        store.lock(conn, "c:" + customer_id)  # after the number locks: see guard.store.db
        current = customer_store.current(conn, customer_id)
        if expected_version is not None:
            version = customer_store.version_count(conn, customer_id)
            if version != expected_version:
                raise Stale(expected_version, version)
        if current is not None and _profile_of(current) == profile:
            return customer_view(conn, customer_id), False
        owners = customer_store.owners_other_than(conn, profile.phones, customer_id)
        if owners:
            raise Conflict(
                f"{owners[0].phone_e164} belongs to customer {owners[0].customer_id}; remove it there first.",
                [{"phone": o.phone_e164, "customer_id": o.customer_id} for o in owners], code="PHONE_TAKEN",
            )
        customer_store.replace_profile(conn, customer_id, current, vars(profile), now, key_id)
        return customer_view(conn, customer_id), current is None


def customer_view(conn: Connection, customer_id: str) -> dict | None:
    rows = customer_store.versions(conn, customer_id)
    current = next((r for r in rows if r.valid_to is None), None)
    if current is None:
        return None
    return {
        "id": customer_id,
        "phones": list(current.phones),
        "risk_level": current.risk_level,
        "risk_assessed_at": current.risk_assessed_at.isoformat() if current.risk_assessed_at else None,
        "tags": list(current.tags),
        "windows": list(current.windows),
        "timezone": current.timezone,
        "state": current.state,
        "version": len(rows),
        "updated_at": current.valid_from.isoformat(),
    }


def get_customer(store: Store, customer_id: str) -> dict | None:
    with store.read() as conn:
        return customer_view(conn, customer_id)


def add_tag(conn: Connection, customer_id: str, tag: str, now: datetime, key_id: str | None) -> bool:
    """Add a tag inside the caller's transaction (which holds the customer's lock): a new version.

    A customer with no profile yet gets one holding just the tag, so that a customer known only by
    id (say, from a complaint) is still treated as tagged. Returns whether anything changed.
    """
    current = customer_store.current(conn, customer_id)
    if current is not None and tag in current.tags:
        return False
    base = _profile_of(current) if current is not None else CustomerProfile([], None, None, [], [], None)
    customer_store.replace_profile(conn, customer_id, current, {**vars(base), "tags": sorted({*base.tags, tag})}, now, key_id)
    return True
