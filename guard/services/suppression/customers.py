"""Customer profiles: versioned, so the profile at any past instant can be read back.

A PUT replaces the profile: the current version is closed (`valid_to = now`) and a new one
opened, in one transaction holding the customer's lock and the lock of every number it claims,
so a check running at the same time sees either the old profile or the new one.

A PUT is the CRM's whole profile (a field left out is empty), except for what the guard itself
holds: the tags it set from complaints (`guard_tags`, `sensitive`). The stored `tags`, which every
check reads, are the CRM's tags and the guard's together, so a routine profile update cannot make a
customer who complained less protected; only a deliberate removal (`remove_guard_tag`, admin, with
a reason, kept in the version's `note`) drops one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from guard.core.zones import zone_named

from guard.core.calendar import supported_calendars
from guard.core.clock import check_not_future
from guard.core.phones import NumberRange, parse_phone
from guard.core.windows import WindowError, parse_window
from guard.core.errors import Conflict, InvalidField, NotFound, Stale
from guard.store import customers as customer_store
from guard.store.db import Connection, Store
from guard.core.messages import invalid_number_said, label, said


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
                      ranges: tuple[NumberRange, ...] = (), *, allow_client_time: bool = False) -> CustomerProfile:
    """Validate a profile body (already type-checked) into stored form; raise InvalidField. A risk
    assessment may not lie beyond the server clock (plus the skew allowed) unless the guard takes
    client instants as given (GUARD_ALLOW_CLIENT_TIME, SPEC §7)."""
    region = data.get("region") or default_region
    phones: list[str] = []
    for i, raw in enumerate(data.get("phones") or []):
        info = parse_phone(raw, region, ranges)
        if not info.valid:
            raise InvalidField(f"phones[{i}]", invalid_number_said(raw, info.why))
        if info.extension:
            # A profile's number is the line its calls are judged by: the customer would own the whole line (a number
            # belongs to one customer at a time), and their caps, refusals and consents would bind every extension of it,
            # colleagues' too, while the extension itself was lost. Refused as a consent at an extension is.
            raise InvalidField(f"phones[{i}]", said("error.customer_at_extension", raw=repr(raw), extension=info.extension,
                                                    line=info.e164))
        if info.e164 not in phones:
            phones.append(info.e164)
    windows = []
    for i, w in enumerate(data.get("windows") or []):
        try:
            windows.append(parse_window(w).describe())
        except WindowError as exc:
            raise InvalidField(f"windows[{i}]" + (f".{exc.path}" if exc.path else ""), exc.args[0]) from None
    tz = data.get("timezone")
    if tz is not None:
        if zone_named(tz) is None:
            raise InvalidField("timezone", said("error.not_iana_zone", zone=repr(tz)))
    assessed = data.get("risk_assessed_at")
    check_not_future(assessed, "risk_assessed_at", now, allow_client_time=allow_client_time)
    tags = sorted(set(data.get("tags") or []))
    state = data.get("state")
    if isinstance(state, str):
        state = state.strip().upper()  # USPS codes are capitals; "fl" names Florida as surely as "FL" does
    if state is not None and state not in supported_calendars()["US"]:
        raise InvalidField("state", said("error.not_us_state", state=repr(state)))
    return CustomerProfile(phones, data.get("risk_level"), assessed, tags, windows, tz, state)


def _profile_of(row) -> CustomerProfile:
    return CustomerProfile(list(row.phones), row.risk_level, row.risk_assessed_at, list(row.tags), list(row.windows), row.timezone,
                           row.state)


def _stored(profile: CustomerProfile, guard_tags: list[str]) -> dict[str, Any]:
    """The version to store: the profile, its tags joined by the ones the guard holds."""
    return {**vars(profile), "tags": sorted({*profile.tags, *guard_tags}), "guard_tags": sorted(guard_tags)}


def _stored_of(row) -> dict[str, Any]:
    return {**vars(_profile_of(row)), "guard_tags": sorted(row.guard_tags or [])}


def put_customer(store: Store, customer_id: str, profile: CustomerProfile, now: datetime, key_id: str | None,
                 expected_version: int | None = None) -> tuple[dict, bool]:
    """Replace the profile, keeping the tags the guard holds; return (customer, created). An identical
    profile makes no new version.

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
        stored = _stored(profile, list(current.guard_tags or []) if current is not None else [])
        if current is not None and _stored_of(current) == stored:
            return customer_view(conn, customer_id), False
        owners = customer_store.owners_other_than(conn, profile.phones, customer_id)
        if owners:
            raise Conflict(
                said("error.phone_taken", phone=owners[0].phone_e164, customer=owners[0].customer_id),
                [{"phone": o.phone_e164, "customer_id": o.customer_id} for o in owners], code="PHONE_TAKEN",
            )
        customer_store.replace_profile(conn, customer_id, current, stored, now, key_id)
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
        "guard_tags": list(current.guard_tags or []),
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
    """Have the guard hold a tag, inside the caller's transaction (which holds the customer's lock): a
    new version with the tag in `tags` and in `guard_tags`, so that a later profile PUT keeps it.

    A customer with no profile yet gets one holding just the tag, so that a customer known only by
    id (say, from a complaint) is still treated as tagged. Returns whether anything changed (False
    when the guard held the tag already).
    """
    current = customer_store.current(conn, customer_id)
    held = list(current.guard_tags or []) if current is not None else []
    if tag in held:
        return False
    base = _profile_of(current) if current is not None else CustomerProfile([], None, None, [], [], None)
    customer_store.replace_profile(conn, customer_id, current, _stored(base, [*held, tag]), now, key_id)
    return True


def remove_guard_tag(store: Store, customer_id: str, tag: str, reason: str, now: datetime, actor: str | None) -> dict:
    """Drop a tag the guard holds (a complaint's `sensitive`): a deliberate act, with a reason kept in the
    new version's `note` beside who made it. The tag leaves `tags` too; a CRM that sends it again in a
    later PUT sets it as its own.

    :raise 404: no such customer. :raise 409: the guard does not hold that tag.
    """
    if not reason.strip():
        raise InvalidField("reason", said("error.untag_needs_reason"))
    # The customer's lock serialises this with the checks and complaints that read or set its tags; the
    # numbers stay as they are, so their locks are not needed.
    with store.locked(["c:" + customer_id]) as conn:
        current = customer_store.current(conn, customer_id)
        if current is None:
            raise NotFound("customer", customer_id)
        held = list(current.guard_tags or [])
        if tag not in held:
            raise Conflict(said("error.no_guard_tag", customer=customer_id, tag=repr(tag),
                                tags=list(current.tags) if current.tags else label("none", "无")))
        base = _profile_of(current)
        profile = CustomerProfile(**{**vars(base), "tags": [t for t in base.tags if t != tag]})
        customer_store.replace_profile(conn, customer_id, current, _stored(profile, [t for t in held if t != tag]), now, actor,
                                       note=reason.strip())
        return customer_view(conn, customer_id)
