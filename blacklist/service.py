"""The marketing blacklist (营销黑名单): add, look up, remove (admin, audited), as of any instant.

An entry blocks a number, or a customer (every number the customer has, now and later). Entries
are never deleted: a removal stamps who, when and why on the row, so the blacklist as it was at
any past instant can be read back (audits judge past calls by it) and every removal is on record.

There is at most one live entry per number (or customer) and source: adding the same thing twice,
or importing the same file twice, changes nothing (a partial unique index enforces it).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from types import SimpleNamespace
from datetime import datetime
from typing import Any, Iterable, Sequence

from guard.core import cursors
from guard.core.clock import MAX_CLOCK_SKEW
from guard.core.errors import InvalidField
from guard.core.i18n import field_said
from guard.core.messages import said, stored_messages, stored_text
from guard.core.decide import suppressions
from guard.core.facts import EXTERNAL_SOURCES, INTERNAL_SOURCES
from guard.core.history import CatalogFacts, History
from guard.core.phones import PhoneInfo
from guard.store import blacklist as blacklist_store
from guard.store.db import Connection, Store
from guard.store.ids import new_id
from guard.store.sql import as_utc

SOURCES = tuple(sorted(INTERNAL_SOURCES | EXTERNAL_SOURCES))


def reason_code(source: str) -> str:
    """The reason a check gives for an entry of this source (SPEC §3.1)."""
    return "DNC_REGISTRY" if source in EXTERNAL_SOURCES else "DNC_OPT_OUT"


# The sources that record the person's own refusal: an entry of one withdraws their marketing consents too
# (guard/services/suppression/refusals.py), whether added alone or imported.
REFUSAL_SOURCES = frozenset({"customer_request", "complaint"})
# A customer's own refusal ("不要再打了"), told an agent or written in a complaint, is permanent (SPEC §2.1;
# 消费者权益保护法第二十九条 sets no end; 原保监会《人身保险电话销售业务管理办法》(2013) asks at least 6 months on a
# 禁止拨打名单): it may be lifted only by an admin, with a reason on record, never by an expiry that lapses unseen.
PERMANENT_SOURCES = REFUSAL_SOURCES


def entry_lock(phone: str | None, customer_id: str | None) -> str:
    """The lock serialising writes about this number (or, with no number, this customer)."""
    return f"n:{phone}" if phone else f"c:{customer_id}"


def expiry_problem(source: str, expires_at: object) -> str | None:
    """Why an entry of this source may not carry this expiry, else None."""
    if expires_at is not None and source in PERMANENT_SOURCES:
        return field_said("expires_at", said("error.permanent_entry", source=source))
    return None


def removal_reason_problem(reason: str) -> str | None:
    """Why this is no removal reason, else None. A reason says something: letters and digits weigh 1, a wide (CJK)
    character 2, and at least 3 are needed. So 误加 (added by mistake) and "dup" are reasons; "", "   ", "x", "n/a" and a
    lone 误 are not."""
    text = unicodedata.normalize("NFKC", reason)
    weight = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text if c.isalnum())
    if weight < 3:
        return ("give the reason for the removal: 2 Chinese characters (误加) or 3 letters or digits at least, "
                "punctuation and spaces not counted")
    return None


@dataclass(frozen=True)
class NewEntry:
    phone: str | None
    customer_id: str | None
    source: str
    reason: str | None = None
    expires_at: datetime | None = None
    added_at: datetime | None = None  # when the entry took effect; default: now


def add_entries(conn: Connection, entries: Iterable[NewEntry], now: datetime, key_id: str | None) -> list[tuple[dict, bool]]:
    """Add entries inside the caller's transaction; return each live entry and whether it is new."""
    out = []
    for entry in entries:
        existing = blacklist_store.live(conn, entry.phone, entry.customer_id, entry.source)
        if existing is not None and existing.expires_at is not None and existing.expires_at <= now:
            # It lapsed: listed again, the number is blocked again (the lapsed entry was taken as this one, and the
            # new listing was lost while the check allowed the call).
            blacklist_store.close_lapsed(conn, entry.source, now, stored_text("stored.lapsed_relisted"),
                                         phones=[entry.phone] if entry.phone else (), customer_id=entry.customer_id)
            existing = None
        if existing is not None:
            out.append((view(existing, now), False))
            continue
        row = {
            "id": new_id(now), "phone_e164": entry.phone, "customer_id": entry.customer_id if entry.phone is None else None,
            "source": entry.source, "reason": entry.reason, "added_at": as_utc(entry.added_at or now), "expires_at": as_utc(entry.expires_at),
            "added_by": key_id, "recorded_at": now, "removed_at": None, "removed_by": None, "removal_reason": None,
        }
        blacklist_store.insert(conn, row)
        out.append((view(SimpleNamespace(**row), now), True))
    return out


def add(store: Store, entry: NewEntry, now: datetime, key_id: str | None) -> tuple[dict, bool]:
    with store.locked([entry_lock(entry.phone, entry.customer_id)]) as conn:
        return add_entries(conn, [entry], now, key_id)[0]


def lapsed_at(row: Any, now: datetime) -> datetime | None:
    """When the entry lapsed at its expiry (its expiry, passed by `now`), or None: live, no expiry, or removed by someone
    before it. An entry the guard closed at its expiry (listed again, `close_lapsed`) lapsed; it was not removed."""
    if row.expires_at is None or row.expires_at > now:
        return None
    if row.removed_at is not None and row.removed_at < row.expires_at:
        return None
    return row.expires_at


def lapsed_by_itself(row: Any) -> bool:
    """Whether the entry was closed by its own lapse, not by anyone's removal (as `guard.store.blacklist.lapse_closed`)."""
    return row.removed_at is not None and row.removed_by is None and row.expires_at is not None and row.removed_at == row.expires_at


def view(row: Any, now: datetime) -> dict:
    def iso(v: datetime | None) -> str | None:
        return v.isoformat() if v is not None else None

    # Added up to the skew allowed ahead of `now` counts as added: the entry's time is another host's clock (or this
    # one's before it stepped back), and the check denies on it already.
    active = row.removed_at is None and (row.expires_at is None or row.expires_at > now) and row.added_at <= now + MAX_CLOCK_SKEW
    return {
        "id": row.id,
        "phone_e164": row.phone_e164,
        "customer_id": row.customer_id,
        "source": row.source,
        "code": reason_code(row.source),
        "reason": row.reason,
        "reason_messages": stored_messages(row.reason),  # zh-CN, zh-TW, en (a reason the guard wrote, translated)
        "added_at": iso(row.added_at),
        "expires_at": iso(row.expires_at),
        "added_by": row.added_by,
        "recorded_at": iso(row.recorded_at),
        "active": active,
        "removed_at": iso(row.removed_at),
        "removed_by": row.removed_by,
        "removal_reason": row.removal_reason,
        "removal_reason_messages": stored_messages(row.removal_reason),  # as reason_messages: the guard's own translated
        "removal_list_id": getattr(row, "removal_list_id", None),
        "removal_still_blocked": getattr(row, "removal_still_blocked", None),
        "lapsed_at": iso(lapsed_at(row, now)),
    }


def lookup_phone(store: Store, phone: str, now: datetime) -> dict:
    """Every entry that bears on the number (its own, and its customer's), live ones and history."""
    with store.read() as conn:
        owner = store.facts.owner_now(store.cursor(conn), phone)
        rows = blacklist_store.of_number(conn, phone, owner)
    return _summary({"phone_e164": phone, "customer_id": owner}, rows, now)


def lookup_customer(store: Store, customer_id: str, now: datetime) -> dict:
    with store.read() as conn:
        rows = blacklist_store.of_customer(conn, customer_id)
    return _summary({"customer_id": customer_id}, rows, now)


def _summary(head: dict, rows: list, now: datetime) -> dict:
    views = [view(r, now) for r in rows]
    active = [v for v in views if v["active"]]
    return {
        **head,
        "blocked": bool(active),
        "codes": sorted({v["code"] for v in active}),
        "entries": active,
        "history": [v for v in views if not v["active"]],
    }


def still_blocked(store: Store, phones: Sequence[str], now: datetime, *, lifting: str | None = None) -> set[str]:
    """Of these numbers, those a check at `now` would still hold back on the blacklist or a mute, read as the check
    reads them (guard.store.facts.load_many, guard.core.decide.suppressions): an entry of the number itself, of its
    customer, a customer's refusal on another of their numbers, a complaint's mute. `lifting`: a source whose entries of
    these numbers themselves are not counted (a list removal of that source, dry run or not)."""
    if not phones:
        return set()
    history = History()
    with store.read() as conn:
        store.facts.load_many(store.cursor(conn), history, sorted(set(phones)), alive=True, now=now)
    numbers = set(phones)
    out = set()
    for phone in phones:
        facts = history.facts(PhoneInfo(raw=phone, valid=True, e164=phone), None, None, now, _NO_CATALOG)
        if lifting is not None:
            facts = replace(facts, blacklist=tuple(e for e in facts.blacklist if not (e.source == lifting and e.phone in numbers)))
        if suppressions(facts, now, MAX_CLOCK_SKEW):
            out.add(phone)
    return out


_NO_CATALOG = CatalogFacts(campaign=None, products={}, has_approved_script=False)


def remove(store: Store, *, phone: str | None = None, customer_id: str | None = None, reason: str,
           source: str | None, now: datetime, key_id: str | None) -> list[dict]:
    """Close the live entries of a number (or a customer); return them as they now stand."""
    lock = f"n:{phone}" if phone else f"c:{customer_id}"
    with store.locked([lock]) as conn:
        return [view(r, now) for r in blacklist_store.remove(conn, phone, customer_id, source, now, key_id, reason)]


def remove_number(store: Store, phone: str, *, reason: str, source: str | None, now: datetime,
                  key_id: str | None) -> tuple[list[dict], bool | None]:
    """Close the live entries of a number and keep on each whether a check still holds the number back right after
    (what an auditor reading the removal later asks); return them as they now stand, and that answer (None when
    nothing was removed)."""
    removed = remove(store, phone=phone, reason=reason, source=source, now=now, key_id=key_id)
    if not removed:
        return [], None
    blocked = phone in still_blocked(store, [phone], now)
    blacklist_store.mark_still_blocked(store, {phone: [e["id"] for e in removed]}, {phone} if blocked else set())
    return [{**e, "removal_still_blocked": blocked} for e in removed], blocked


def removals(store: Store, *, phone: str | None, customer_id: str | None, list_id: int | None, limit: int,
             after: tuple[datetime, str] | None, now: datetime) -> tuple[list[dict], tuple[datetime, str] | None]:
    """Removed entries, newest removal first, and the (removed_at, id) the next page starts after (None on the last)."""
    with store.read() as conn:
        owner = store.facts.owner_now(store.cursor(conn), phone) if phone is not None else None
        rows = blacklist_store.removals(conn, phone, owner, customer_id, list_id, limit + 1, after)
    more, rows = len(rows) > limit, rows[:limit]
    return [view(r, now) for r in rows], ((as_utc(rows[-1].removed_at), rows[-1].id) if more else None)


def removals_cursor(key: tuple[datetime, str]) -> str:
    """Where the next page of removals starts: the last removal's (removed_at, id), opaque to clients (base64url of
    JSON), as the complaints' `next` is."""
    return cursors.encode(["removals", key[0].isoformat(), key[1]])


def removals_after(cursor: str) -> tuple[datetime, str]:
    """The (removed_at, id) a `next` cursor names; an InvalidField naming `after` for anything the guard did not give."""
    try:
        kind, at, entry_id = cursors.decode(cursor)
        if kind != "removals" or not isinstance(entry_id, str):
            raise ValueError(cursor)
        return cursors.instant(at), entry_id
    except (ValueError, TypeError):
        raise InvalidField("after", said("error.bad_page_cursor")) from None
