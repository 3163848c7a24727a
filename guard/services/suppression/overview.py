"""Everything an operator needs on one customer, in one read: the console's customer view.

It composes what the other services already store (profile versions, blacklist entries,
mutes, deferrals, complaints, decisions) and derives the audit trail from the `*_by` columns
those tables carry: who changed what, when. Nothing here decides anything.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from blacklist.service import lapsed_at, lapsed_by_itself, view as blacklist_view
from guard.core.clock import MAX_CLOCK_SKEW
from guard.core.messages import event_note_messages, stored_messages
from guard.core.vocabularies import codes
from guard.services.suppression import complaints
from guard.services.suppression.customers import customer_view
from guard.services.calls.decisions import search_decisions
from guard.store import keys as key_store
from guard.store import overview as overview_store
from guard.store.db import Store
PROFILE_FIELDS = codes("profile_fields")  # ("phones", "risk_level", "risk_assessed_at", "tags", "windows", "timezone", "state")
TRAIL_LIMIT = 200


def _iso(v: datetime | None) -> str | None:
    return v.isoformat() if v is not None else None


def customer_overview(store: Store, customer_id: str, now: datetime, risk_valid_for: timedelta | None,
                      decisions_limit: int = 20) -> dict[str, Any] | None:
    """The customer's state now and its history; None when the guard knows nothing of them."""
    with store.read() as conn:
        profile = customer_view(conn, customer_id)
        rows = overview_store.customer_rows(conn, customer_id, list(profile["phones"]) if profile else [])
    versions, entries, mutes, deferrals = rows["versions"], rows["entries"], rows["mutes"], rows["deferrals"]
    filed, events = rows["complaints"], rows["events"]
    if profile is None and not entries and not filed and not mutes:
        return None
    decisions = search_decisions(store, None, customer_id, decisions_limit, None)
    trail = _trail(versions, entries, mutes, deferrals, filed, events, now)
    actors = {t["actor"] for t in trail if t["actor"]}
    labels = _labels(store, actors)
    for t in trail:
        t["actor_label"] = labels.get(t["actor"])
    return {
        "customer_id": customer_id,
        "profile": profile,
        "risk": _risk(profile, now, risk_valid_for),
        **_suppressions(entries, mutes, deferrals, now),
        "complaints": [complaints.row_view(c, now) for c in filed],
        "decisions": decisions,
        "trail": trail[:TRAIL_LIMIT],
        "trail_truncated": len(trail) > TRAIL_LIMIT,
    }


def _suppressions(entries: Any, mutes: Any, deferrals: Any, now: datetime) -> dict[str, Any]:
    """The blacklist, mute and deferral parts of an overview (a customer's or a number's)."""
    return {
        "blacklist": {
            "blocked": any(blacklist_view(e, now)["active"] for e in entries),
            "entries": [blacklist_view(e, now) for e in entries],
        },
        "mute": _mutes(mutes, now),
        "deferrals": [
            {"id": d.id, "phone_e164": d.phone_e164, "customer_id": d.customer_id, "not_before": d.not_before.isoformat(),
             "active": d.cancelled_at is None and d.not_before > now, "created_at": d.created_at.isoformat(),
             "created_by": d.created_by, "decision_id": d.decision_id}
            for d in deferrals
        ],
    }


def _label_actors(store: Store, trail: list[dict]) -> None:
    """Each trail event's `actor_label`: the person's name or the key's label."""
    labels = _labels(store, {t["actor"] for t in trail if t["actor"]})
    for t in trail:
        t["actor_label"] = labels.get(t["actor"])


def number_overview(store: Store, phone: str, now: datetime, decisions_limit: int = 20) -> dict[str, Any]:
    """One number's own state and history (E.164), with its owner if a customer holds it now: what
    the console shows for a number with no customer profile, where staff can still blacklist it or
    record a complaint about it. A number the guard has never seen has an empty overview."""
    with store.read() as conn:
        owner = store.facts.owner_now(store.cursor(conn), phone)
        rows = overview_store.number_rows(conn, phone)
    entries, mutes, filed = rows["entries"], rows["mutes"], rows["complaints"]
    trail = _trail([], entries, mutes, rows["deferrals"], filed, rows["events"], now)
    _label_actors(store, trail)
    return {
        "phone_e164": phone,
        "customer_id": owner,
        **_suppressions(entries, mutes, rows["deferrals"], now),
        "complaints": [complaints.row_view(c, now) for c in filed],
        "decisions": search_decisions(store, phone, None, decisions_limit, None),
        "trail": trail[:TRAIL_LIMIT],
        "trail_truncated": len(trail) > TRAIL_LIMIT,
    }


def _risk(profile: dict | None, now: datetime, valid_for: timedelta | None) -> dict[str, Any]:
    level = profile["risk_level"] if profile else None
    assessed = datetime.fromisoformat(profile["risk_assessed_at"]) if profile and profile["risk_assessed_at"] else None
    expires = assessed + valid_for if assessed is not None and valid_for is not None else None
    return {"level": level, "assessed_at": _iso(assessed), "expires_at": _iso(expires),
            "expired": None if assessed is None else (expires is not None and expires <= now)}


def _mutes(rows: list, now: datetime) -> dict[str, Any]:
    # Active as the check judges it at the server clock: a mute another host recorded a moment ahead has begun.
    views = [
        {"id": r.id, "customer_id": r.customer_id, "phone_e164": r.phone_e164, "starts_at": r.starts_at.isoformat(),
         "ends_at": r.ends_at.isoformat(), "reason": r.reason, "reason_messages": stored_messages(r.reason),
         "created_by": r.created_by, "lifted_at": _iso(r.lifted_at),
         "active": r.lifted_at is None and r.starts_at <= now + MAX_CLOCK_SKEW and now < r.ends_at}
        for r in rows
    ]
    live = [v for v in views if v["active"]]
    return {"muted": bool(live), "until": max((v["ends_at"] for v in live), default=None), "mutes": views}


def _trail(versions, entries, mutes, deferrals, filed, events, now: datetime) -> list[dict[str, Any]]:
    """Every recorded change by `now`, newest first: (at, actor, action, detail). An entry whose listing ran out by `now`
    lapsed then, whether or not anything closed its row (`lapsed_at`, as the entry's own view shows it)."""
    out: list[tuple[datetime, int, dict]] = []

    def add(at: datetime, actor: str | None, action: str, detail: dict[str, Any]) -> None:
        out.append((at, len(out), {"at": at.isoformat(), "actor": actor, "action": action, "detail": detail}))

    previous = None
    for v in versions:
        changed = [f for f in PROFILE_FIELDS if previous is None or getattr(previous, f) != getattr(v, f)]
        dropped = sorted(set(previous.guard_tags or []) - set(v.guard_tags or [])) if previous is not None else []
        action = "profile_created" if previous is None else "guard_tag_removed" if dropped else "profile_changed"
        add(v.valid_from, v.changed_by, action,
            {"version": versions.index(v) + 1, "fields": changed,
             "windows": list(v.windows) if "windows" in changed else None,
             "tags": list(v.tags) if "tags" in changed else None,
             **({"guard_tags_removed": dropped} if dropped else {}), **({"reason": v.note} if v.note else {})})
        previous = v
    for e in entries:
        add(e.recorded_at or e.added_at, e.added_by, "blacklist_added",
            {"entry_id": e.id, "phone_e164": e.phone_e164, "scope": "number" if e.phone_e164 else "customer",
             "source": e.source, "reason": e.reason, "reason_messages": stored_messages(e.reason)})
        lapsed = lapsed_at(e, now)
        if lapsed is not None:
            # its listing ran out: a lapse, nobody's removal (the row closed at its expiry when the same list named the
            # number again carries why; one left to expire carries nothing)
            why = e.removal_reason if lapsed_by_itself(e) else None
            add(lapsed, None, "blacklist_lapsed",
                {"entry_id": e.id, "phone_e164": e.phone_e164, "scope": "number" if e.phone_e164 else "customer",
                 "source": e.source, "reason": why, "reason_messages": stored_messages(why)})
        if e.removed_at is not None and not lapsed_by_itself(e):
            # what was lifted, by which list removal when a file of numbers did (`removal_list_id`), and whether a check
            # still held the number back right after (null for a customer's entry, or one removed before it was kept)
            add(e.removed_at, e.removed_by, "blacklist_removed",
                {"entry_id": e.id, "phone_e164": e.phone_e164, "scope": "number" if e.phone_e164 else "customer",
                 "source": e.source, "reason": e.removal_reason,
                 "reason_messages": stored_messages(e.removal_reason), "list_id": e.removal_list_id,
                 "still_blocked": e.removal_still_blocked})
    for r in mutes:
        add(r.created_at, r.created_by, "muted", {"mute_id": r.id, "until": r.ends_at.isoformat(), "reason": r.reason,
                                                          "reason_messages": stored_messages(r.reason)})
        if r.lifted_at is not None:
            add(r.lifted_at, r.lifted_by, "mute_lifted", {"mute_id": r.id})
    for d in deferrals:
        add(d.created_at, d.created_by, "deferred", {"deferral_id": d.id, "not_before": d.not_before.isoformat(),
                                                     "decision_id": d.decision_id})
    severity = {c.id: c.severity for c in filed}
    for c in filed:
        add(c.created_at, c.created_by, "complaint_filed", {"complaint_id": c.id, "severity": c.severity, "category": c.category})
    for ev in events:
        if ev.type != "filed":
            add(ev.recorded_at, ev.actor, "complaint_" + ev.type,
                {"complaint_id": ev.complaint_id, "severity": severity.get(ev.complaint_id), "note": ev.note,
                 "note_messages": event_note_messages(ev.type, ev.note)})
    out.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return [t[2] for t in out]


def _labels(store: Store, actors: set[str]) -> dict[str, str | None]:
    """Keys by their label; persons (user:/ldap:) by their name."""
    from guard.store.accounts import person_labels

    return {**key_store.labels(store, actors), **person_labels(store, actors)}

