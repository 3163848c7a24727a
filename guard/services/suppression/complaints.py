"""Complaints (投诉): SLA deadlines, events, and the suppression they feed back into the checks.

Filing a complaint, in the same transaction and under the number's and the customer's locks:
- computes its deadlines from the pack's `complaints.sla` for its severity;
- tags the customer sensitive (the pack's stricter caps apply from the very next check);
- mutes the customer (or, with no customer known, the number) once the pack's `mute.complaints`
  complaints fall within `mute.within`, wherever that window lies (complaints are entered in any
  order: a letter may be entered weeks late), for `mute.for` from the receipt of the complaint that
  completed the count;
- blacklists the number and the customer when the text asks to stop calling (不要再打 …).

A complaint is `open`, `overdue` (a deadline passed unmet) or `resolved`. Its history is the
append-only `complaint_events`; the scheduler marks overdue complaints and escalates them.

Its handling is one queue of stages (guard.core.complaints.stage): the first response, escalation
to a named supervisor, resolution (a note saying how is required), then the satisfaction callback
due within the pack's `complaints.callback` of the resolution, completed by recording its result.
The callback is a service contact recorded here, in the complaint's history: it writes no call
attempt and touches no mute, so a muted customer can still be called back and the call counts
against no marketing cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterable
from zoneinfo import ZoneInfo

from guard.store.db import Connection

from blacklist.service import NewEntry, add_entries
from guard.core.messages import event_note_messages, said, stored_text
from guard.services.consent import records as consent_records
from guard.core import arrivals
from guard.core import cursors
from guard.core import complaints as rules
from guard.core.catalog import NoPolicy, client_instant_not_covered
from guard.core.clock import MAX_CLOCK_SKEW
from guard.core.pack import Pack, PackSet
from guard.core.periods import callee_zones, customer_zones
from guard.core.phones import parse_phone
from guard.services.suppression.customers import add_tag
from guard.core.errors import Conflict, InvalidField, NotFound
from guard.store import complaints as complaint_store
from guard.store import customers as customer_store
from guard.store.db import Store
from guard.store.ids import new_id

SENSITIVE_TAG = "sensitive"


@dataclass(frozen=True)
class NewComplaint:
    phone: str | None  # E.164
    customer_id: str | None
    severity: str
    received_at: datetime
    category: str | None = None
    text: str | None = None
    decision_id: str | None = None


def _iso(v: datetime | None) -> str | None:
    return v.isoformat() if v is not None else None


def _days_off(pack: Pack) -> Callable[[date], bool] | None:
    """The pack's days off, by which a period of days whose last day is off ends on the next working day (mainland packs)."""
    return rules.days_off_for(pack.country, pack.calendar)


def customer_of(store: Store, conn: Connection, phone: str | None, customer_id: str | None) -> str | None:
    """The customer named, else the number's current owner (None when neither is known)."""
    if customer_id is not None or phone is None:
        return customer_id
    return store.facts.owner_now(store.cursor(conn), phone)


def lock_keys(phone: str | None, customer_id: str | None) -> list[str]:
    """The locks a change to this number's / customer's suppression takes, in the store's lock order."""
    return ([f"n:{phone}"] if phone else []) + ([f"c:{customer_id}"] if customer_id else [])


def suppression_zones(conn: Connection, packs: PackSet, pack: Pack, phone: str | None, customer_ids: Iterable[str | None],
                      now: datetime) -> tuple[str, ...]:
    """The zones a mute or a deferral of these customers (and of the number `phone`) ends its last day in: each customer's
    recorded zone and every number on file for them, the number's, and the pack's (guard/core/periods.py)."""
    profiles = (customer_store.current(conn, c) for c in dict.fromkeys(customer_ids) if c is not None)
    return callee_zones(pack, phone, customer_zones(packs, now, profiles))


def file_in(conn: Connection, packs: PackSet, pack: Pack | tuple[Pack, ...], new: NewComplaint, now: datetime, key_id: str | None,
            actor: str | None = None, uncovered: Iterable[str] = ()) -> dict:
    """File a complaint inside the caller's transaction (which holds the number's and customer's locks).
    `new.customer_id` is final: the caller resolved it (see `customer_of`). `pack`: the pack that judges it, or the
    packs (`complaint_packs`), each deadline then the earliest any sets and a mute if any pack's count completes.
    `uncovered`: the countries of its numbers that no pack covers (`uncovered_regions`), recorded in its effects."""
    judges = pack if isinstance(pack, tuple) else (pack,)
    pack = judges[0]
    customer_id = new.customer_id
    due = rules.strictest(rules.deadlines(p.complaint_sla[new.severity], new.received_at, ZoneInfo(p.timezone), _days_off(p))
                          for p in judges)
    complaint_id = new_id(now)
    effects: dict[str, Any] = {"tagged_sensitive": False, "mute_id": None, "blacklist": []}
    if len(judges) > 1:
        effects["packs"] = [{"pack": p.id, "version": p.version} for p in judges]
    uncovered = list(uncovered)
    if uncovered:
        effects["uncovered_regions"] = uncovered
    if customer_id is not None:
        # A customer the guard has no profile of is accepted (a complaint may come before the CRM's
        # profile): the answer says so, and the customer gets a profile holding the sensitive tag.
        effects["customer_known"] = customer_store.current(conn, customer_id) is not None
        effects["tagged_sensitive"] = add_tag(conn, customer_id, SENSITIVE_TAG, now, key_id)
    effects["mute_id"] = _maybe_mute(conn, packs, judges, new, customer_id, now, key_id)
    if new.text:
        # The customer refused when the complaint was received (its mute and consent withdrawal date
        # from then too); the entry is recorded now, so an audit read as known then is unchanged.
        effects.update(_blacklist_if_asked(conn, judges, new.text, complaint_id, new.phone, customer_id,
                                           min(new.received_at, now), now, key_id))
    complaint_store.insert_complaint(conn, dict(
        id=complaint_id, phone_e164=new.phone, customer_id=customer_id, severity=new.severity, category=new.category,
        text=new.text, received_at=new.received_at, created_at=now, created_by=key_id, decision_id=new.decision_id,
        pack_id=pack.id, pack_version=pack.version, first_response_due=due.first_response_due, resolution_due=due.resolution_due,
        escalation_due=due.escalation_due, first_response_at=None, resolved_at=None, escalated_at=None, overdue_at=None,
        effects=effects,
    ))
    complaint_store.insert_event(conn, complaint_id, "filed", new.received_at, now, actor or key_id, None)
    return view(conn, complaint_id, now)


def _maybe_mute(conn: Connection, packs: PackSet, judges: tuple[Pack, ...], new: NewComplaint, customer_id: str | None,
                now: datetime, key_id: str | None) -> str | None:
    """Mute the customer (or number) when this complaint completes a judging pack's count anywhere in the window
    (guard.core.complaints.mute_completed), from the complaint that completed it (several packs: the mute ending last,
    guard.core.arrivals.latest_mute); the mute's id (an existing one lasting as long, or a new one), or None (no count,
    or its mute would have ended by now)."""
    if customer_id is None and new.phone is None:
        return None

    def under(pack: Pack) -> tuple[datetime, datetime, int] | None:
        rule = pack.mute
        if rule is None:
            return None
        start, end = rules.receipts_window(rule, new.received_at)
        receipts = complaint_store.receipts_between(conn, customer_id, new.phone, start, end) + [new.received_at]
        return arrivals.mute_for(rule, receipts, new.received_at, now,
                                 suppression_zones(conn, packs, pack, new.phone, (customer_id,), now))

    chosen = arrivals.latest_mute((p, under(p)) for p in judges)
    if chosen is None:
        return None
    pack, (starts_at, ends_at, count) = chosen
    rule = pack.mute
    live = complaint_store.live_mute(conn, customer_id, new.phone, starts_at, ends_at - timedelta(seconds=1))
    if live is not None:
        return live
    mute_id = new_id(now)
    complaint_store.insert_mute(conn, dict(
        id=mute_id, customer_id=customer_id, phone_e164=None if customer_id else new.phone, starts_at=starts_at, ends_at=ends_at,
        reason=rules.mute_reason(rule, count, pack.id, pack.version), created_at=now, created_by=key_id, lifted_at=None,
        lifted_by=None,
    ))
    return mute_id


def pack_for(packs: PackSet, pack_id: str | None, at: datetime) -> Pack:
    pack = packs.at(pack_id or packs.default_id, at) or packs.at(packs.default_id, at)
    if pack is None:
        raise NoPolicy(said("error.no_pack_version_at", at=at.isoformat()))
    return pack


def complaint_packs(packs: PackSet, phone: str | None, numbers_on_file: Iterable[str], at: datetime) -> tuple[Pack, ...]:
    """The packs a complaint filed directly is judged by: its number's (`complaint_pack`); with no number, the packs of
    the customer's numbers on file, each routed as a complained-of number is (a customer with a +1 number only: us-tcpa).
    Several packs (a customer with a mainland and a US number, a number no pack covers) judge it together, failing
    closed: each deadline is the earliest any sets, and it mutes when any pack's count is complete. A customer with no
    number on file (or unknown): the default pack."""
    routed: dict[tuple[str, str], Pack] = {}
    for number in ((phone,) if phone else numbers_on_file):
        for pack in complaint_pack(packs, number, at):
            routed.setdefault((pack.id, pack.version), pack)
    return tuple(routed.values()) or (pack_for(packs, None, at),)


def complaint_pack(packs: PackSet, phone: str | None, at: datetime) -> tuple[Pack, ...]:
    """The packs a complaint about one number is judged by (its SLAs, its mute count, its stop-calling words): the packs
    in effect whose rules cover the number's country (a US number: us-tcpa). A number of a country no pack covers (a
    Canadian or Jamaican +1 number under cn-bank and us-tcpa) is judged by every pack in effect, failing closed: no pack
    is the caller's, so none may loosen its deadlines, its mute or its stop-calling words (`uncovered_regions` flags it
    in the answer). A number with no country (none given, unparsable): the default pack. A complaint reported with a
    call's outcome takes the decision's pack instead."""
    region = parse_phone(phone, None).region if phone else None
    if region is None:
        return (pack_for(packs, None, at),)
    in_effect = [p for p in (packs.at(pid, at) for pid in _default_first(packs)) if p is not None]
    home = [p for p in in_effect if region in (p.countries or {p.country})]
    return tuple(home or in_effect) or (pack_for(packs, None, at),)


def outcome_complaint_packs(packs: PackSet, decision_pack: Pack, phone: str | None, at: datetime) -> tuple[Pack, ...]:
    """The packs a complaint reported with a call's outcome is judged by: the decision's pack, and when its rules do not
    cover the number's country (a call denied OUT_OF_JURISDICTION and made anyway), also the packs a complaint filed
    directly about the number would take (`complaint_pack`), failing closed as `complaint_packs` does."""
    region = parse_phone(phone, None).region if phone else None
    if region is None or region in (decision_pack.countries or {decision_pack.country}):
        return (decision_pack,)
    others = [p for p in complaint_pack(packs, phone, at) if (p.id, p.version) != (decision_pack.id, decision_pack.version)]
    return (decision_pack, *others)


def uncovered_regions(packs: PackSet, phone: str | None, numbers_on_file: Iterable[str], at: datetime) -> list[str]:
    """The countries of the complained-of numbers (the number, else the customer's numbers on file) that no pack in
    effect covers: the complaint was judged by every pack (`complaint_pack`), and its answer says why."""
    in_effect = [p for p in (packs.at(pid, at) for pid in packs.ids()) if p is not None]
    covered = {c for p in in_effect for c in (p.countries or {p.country})}
    regions = (parse_phone(n, None).region for n in ((phone,) if phone else numbers_on_file))
    return sorted({r for r in regions if r is not None and r not in covered})


def _default_first(packs: PackSet) -> list[str]:
    """The pack ids, the default pack first (so a complaint judged by every pack names it as its `policy`)."""
    return sorted(packs.ids(), key=lambda pid: (pid != packs.default_id, pid))


def file(store: Store, packs: PackSet, new: NewComplaint, now: datetime, key_id: str | None, received_given: bool = False) -> dict:
    """File a complaint; `received_given`: the client said when it was received, so the same facts again are the same
    complaint entered twice (else it is `now`, and a repeat cannot be told from a second complaint: both are kept, as
    dropping a real complaint would weaken the suppression it drives)."""
    def judges(numbers_on_file: Iterable[str]) -> tuple[Pack, ...]:
        try:
            return complaint_packs(packs, new.phone, numbers_on_file, new.received_at)
        except NoPolicy:
            mistake = client_instant_not_covered(packs, "received_at", new.received_at)
            if mistake is not None:
                raise mistake from None
            raise

    if new.phone:
        judges(())  # a number's pack needs no transaction: an instant no pack covers is refused before one
    with store.locked(lock_keys(new.phone, None)) as conn:
        customer_id = customer_of(store, conn, new.phone, new.customer_id)
        if customer_id:
            store.lock(conn, f"c:{customer_id}")
        profile = customer_store.current(conn, customer_id) if customer_id and not new.phone else None
        numbers_on_file = tuple(profile.phones or ()) if profile is not None else ()
        pack = judges(numbers_on_file)
        # The same complaint entered again (a form sent twice, a retry, two people opening the same letter) is the one
        # recorded: counted twice it would mute a customer after a single complaint. Under the locks, so two at once
        # make one.
        same = complaint_store.same_as(conn, new.phone, customer_id, new.severity, new.category, new.text, new.received_at) \
            if received_given else None
        if same is not None:
            return {**view(conn, same, now), "duplicate": True}
        uncovered = uncovered_regions(packs, new.phone, numbers_on_file, new.received_at)
        return {**file_in(conn, packs, pack, NewComplaint(**{**new.__dict__, "customer_id": customer_id}), now, key_id,
                          uncovered=uncovered), "duplicate": False}


# --- status ----------------------------------------------------------------------------------

def status_of(row: Any, now: datetime) -> str:
    return rules.status(rules.ComplaintState.of(row), now)


def view(conn: Connection, complaint_id: str, now: datetime, events: bool = True) -> dict:
    row = complaint_store.get(conn, complaint_id)
    if row is None:
        raise NotFound("complaint", complaint_id)
    out = row_view(row, now)
    if events:
        out["events"] = [
            {"type": e.type, "at": e.at.isoformat(), "recorded_at": e.recorded_at.isoformat(), "actor": e.actor, "recorded_by": e.recorded_by, "note": e.note,
             "note_messages": event_note_messages(e.type, e.note)}
            for e in complaint_store.events(conn, complaint_id)
        ]
    return out


def next_due(row: Any) -> dict | None:
    """The nearest deadline still to be met (passed or not), or None when none is pending."""
    due = rules.next_due(rules.ComplaintState.of(row))
    return {"kind": due[1], "at": due[0].isoformat()} if due is not None else None


def row_view(row: Any, now: datetime) -> dict:
    state = rules.ComplaintState.of(row)
    return {
        "id": row.id,
        "phone_e164": row.phone_e164,
        "customer_id": row.customer_id,
        "severity": row.severity,
        "category": row.category,
        "text": row.text,
        "received_at": row.received_at.isoformat(),
        "decision_id": row.decision_id,
        "status": rules.status(state, now),
        "sla": {
            "first_response_due": _iso(row.first_response_due),
            "resolution_due": _iso(row.resolution_due),
            "escalation_due": _iso(row.escalation_due),
            "extended": bool(row.extended),  # an `extended` event moved resolution_due (the history says from when, to when, why)
            "missed": rules.missed(state, now),
            "breaches": [{"kind": k, "due": due.isoformat(), "done_at": _iso(done)} for k, due, done in rules.breaches(state, now)],
        },
        "next_due": next_due(row),
        "stage": rules.stage(state),
        "late": rules.late(state, now),
        "first_response_at": _iso(row.first_response_at),
        "escalated_at": _iso(row.escalated_at),
        "escalated_to": row.escalated_to,
        "callback": {"due": _iso(row.callback_due), "at": _iso(row.callback_at), "result": row.callback_result,
                     "overdue_at": _iso(row.callback_overdue_at)},
        "resolved_at": _iso(row.resolved_at),
        "overdue_at": _iso(row.overdue_at),
        "policy": {"pack": row.pack_id, "version": row.pack_version},
        "effects": row.effects,
        "created_at": row.created_at.isoformat(),
        "created_by": row.created_by,
    }


def get(store: Store, complaint_id: str, now: datetime) -> dict:
    with store.read() as conn:
        return view(conn, complaint_id, now)


def listing(store: Store, status: str | None, now: datetime, limit: int, customer_id: str | None = None,
            sort: str = "received", stage: str | None = None, late: bool | None = None, phone: str | None = None,
            after: str | None = None) -> tuple[list[dict], str | None]:
    """Complaints by status, stage, lateness, customer or number; `sort="due"` puts the nearest
    pending deadline first (those with none last). `after`: the `next` of the page before. Answers the
    page and the `next` of the page after it (None on the last page)."""
    key = _cursor_key(after, sort) if after is not None else None
    with store.read() as conn:
        rows = complaint_store.listing(conn, status, now, limit + 1, customer_id, sort, stage, late, phone, key)
    more, rows = len(rows) > limit, rows[:limit]
    return [row_view(r, now) for r in rows], (_cursor(sort, rows[-1]) if more else None)


def _cursor(sort: str, row: Any) -> str:
    """Where the next page starts: the last complaint's sort key, opaque to clients (base64url of JSON)."""
    return cursors.encode([sort, row.next_due_at.isoformat() if sort == "due" and row.next_due_at else None,
                           row.received_at.isoformat(), row.id])


def _cursor_key(cursor: str, sort: str) -> tuple[datetime | None, datetime, str]:
    try:
        kind, due, received, complaint_id = cursors.decode(cursor)
        if not isinstance(complaint_id, str):
            raise ValueError(cursor)
        key = (cursors.instant(due) if due is not None else None, cursors.instant(received), complaint_id)
    except (ValueError, TypeError):
        raise InvalidField("after", said("error.bad_page_cursor")) from None
    if kind != sort:
        raise InvalidField("after", said("error.page_cursor_other_sort", given=kind, sort=sort))
    return key


def counts(store: Store, now: datetime) -> dict:
    """The queue's counts: complaints at each stage, and how many are late across stages."""
    with store.read() as conn:
        by = complaint_store.counts(conn, now)
    late, breached = by.pop("late"), by.pop("breached")
    return {"stages": by, "late": late, "breached": breached, "at": now.isoformat()}


# --- events ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class NewEvent:
    """An event a person records: `to` (the supervisor) only with `escalated` (required there), `result`
    only with `callback` (required there), `note` required with `resolved`."""

    type: str
    at: datetime | None  # None: now (the server clock), see add_event
    note: str | None = None
    to: str | None = None
    result: str | None = None
    until: datetime | None = None
    approved_by: str | None = None


def _check_event(event: NewEvent) -> None:
    if event.type == "extended":
        if event.until is None:
            raise InvalidField("until", said("error.extend_needs_until"))
        if not (event.note or "").strip():
            raise InvalidField("note", said("error.extend_needs_note"))
    elif event.until is not None or event.approved_by is not None:
        raise InvalidField("until" if event.until is not None else "approved_by", said("error.only_extension_moves"))
    if event.type == "resolved" and not (event.note or "").strip():
        raise InvalidField("note", said("error.resolve_needs_note"))
    if event.type == "callback" and event.result is None:
        raise InvalidField("result", said("error.callback_needs_result", results=list(rules.CALLBACK_RESULTS)))
    if event.type != "callback" and event.result is not None:
        raise InvalidField("result", said("error.result_only_callback"))
    if event.type != "escalated" and event.to is not None:
        raise InvalidField("to", said("error.to_only_escalation"))


def add_event(store: Store, packs: PackSet, complaint_id: str, event: NewEvent, now: datetime, actor: str | None,
              recorded_by: str | None = None) -> dict:
    """Record a person's event on a complaint: `actor` acted; `recorded_by` (default: `actor`) recorded it.

    An event given no time happens now, but never before what it follows (the complaint's receipt, for a
    callback its resolution): those instants are another host's clock, which may run a little ahead of this
    one or have been read before this clock stepped back (NTP), and the person did not name a time to refuse."""
    _check_event(event)
    kind, at = event.type, event.at
    # A note may ask to stop calling (blacklist below): the number's and customer's locks as well (a complaint's
    # number and customer never change, so they can be read before the transaction).
    with store.read() as conn:
        known = complaint_store.get(conn, complaint_id)
    keys = lock_keys(known.phone_e164, known.customer_id) if known is not None and event.note else []
    with store.locked([f"q:{complaint_id}", *keys]) as conn:
        row = complaint_store.get(conn, complaint_id)
        if row is None:
            raise NotFound("complaint", complaint_id)
        if at is None:
            follows = row.resolved_at if kind == "callback" and row.resolved_at is not None else row.received_at
            at = max(now, follows) if now > follows - MAX_CLOCK_SKEW else now
        if kind == "callback":
            if row.resolved_at is None:
                raise Conflict(said("error.complaint_not_resolved", complaint=complaint_id))
            if row.callback_at is not None:
                raise Conflict(said("error.complaint_had_callback", complaint=complaint_id, at=row.callback_at.isoformat()))
            if at < row.resolved_at:
                raise InvalidField("at", said("error.before_resolved", at=at.isoformat(), resolved=row.resolved_at.isoformat()))
        elif row.resolved_at is not None:
            raise Conflict(said("error.complaint_resolved", complaint=complaint_id, at=row.resolved_at.isoformat()))
        if at < row.received_at:
            raise InvalidField("at", said("error.before_received", at=at.isoformat(), received=row.received_at.isoformat()))
        if kind == "escalated" and not (event.to or "").strip():
            # An escalation goes to a named supervisor (the queue shows who); after the state checks, so
            # that escalating a resolved complaint still answers 409.
            raise InvalidField("to", said("error.escalate_needs_to"))
        values: dict[str, Any] = {}
        if kind == "first_response":
            if row.first_response_at is not None:
                raise Conflict(said("error.complaint_had_first_response", complaint=complaint_id, at=row.first_response_at.isoformat()))
            values["first_response_at"] = at
        elif kind == "escalated":
            if row.escalated_at is None:
                values["escalated_at"] = at
            if event.to is not None:
                values["escalated_to"] = event.to
        elif kind == "resolved":
            values["resolved_at"] = at
            values["callback_due"] = rules.callback_due(pack_for(packs, row.pack_id, at).complaint_callback, at)
            if row.first_response_at is None:
                values["first_response_at"] = at  # resolving is a response
        elif kind == "extended":
            # judged when the guard learns of it: an extension typed in after the deadline cannot be backdated before it
            received_pack = pack_for(packs, row.pack_id, row.received_at)
            refused = rules.extension_refused(row.received_at, row.resolution_due, event.until, max(at, now), event.approved_by,
                                              ZoneInfo(received_pack.timezone), _days_off(received_pack))
            if refused:
                raise InvalidField(*refused)
            values["resolution_due"] = event.until  # the queue, the scheduler and `late` all read the deadline from here
        elif kind == "callback":
            # A service contact: recorded in the complaint's history only (no attempt, no mute touched).
            values["callback_at"] = at
            values["callback_result"] = event.result
        note = event.note
        if kind == "escalated" and event.to is not None:
            note = f"→ {event.to}" + (f": {note}" if note else "")
        elif kind == "callback":
            note = f"{event.result}" + (f": {note}" if note else "")
        elif kind == "extended":
            was = row.resolution_due.isoformat() if row.resolution_due else "—"
            note = f"{was} → {event.until.isoformat()}" + (f" ({event.approved_by.strip()})" if event.approved_by else "") + f": {note}"
        values.update(_found_late(conn, row, values, kind, now, actor))
        if values:
            complaint_store.update_complaint(conn, row, values)
        complaint_store.insert_event(conn, complaint_id, kind, at, now, actor, note, recorded_by)
        if event.note and keys:
            # "以后不要再打了" heard at the first contact or the resolution call is a stop request as much as the
            # complaint's own text: it blacklists from the event's time.
            _blacklist_if_asked(conn, tuple(pack_for(packs, p, row.received_at)
                                            for p in (row.pack_id, *arrivals.also_packs(row.effects))), event.note, complaint_id,
                                row.phone_e164, row.customer_id, min(at, now), now, recorded_by or actor)
        return view(conn, complaint_id, now)


def _blacklist_if_asked(conn: Connection, judges: Pack | tuple[Pack, ...], text: str, complaint_id: str, phone: str | None, customer_id: str | None,
                        refused_at: datetime, now: datetime, key_id: str | None) -> dict[str, Any]:
    """When `text` asks to stop calling: blacklist the number and the customer (source `complaint`) and withdraw their
    marketing consents, from `refused_at`. The effects (empty when it does not ask)."""
    effects: dict[str, Any] = {}
    if not any(arrivals.text_stops_calling(p, text) for p in (judges if isinstance(judges, tuple) else (judges,))):
        return effects
    why = stored_text("stored.complaint_stop", complaint=complaint_id)
    entries = []
    if phone:
        entries.append(NewEntry(phone=phone, customer_id=None, source="complaint", reason=why, added_at=refused_at))
    if customer_id:
        entries.append(NewEntry(phone=None, customer_id=customer_id, source="complaint", reason=why, added_at=refused_at))
    effects["blacklist"] = [e["id"] for e, _ in add_entries(conn, entries, now, key_id)]
    withdrawn = consent_records.withdraw_marketing(conn, phone, [customer_id] if customer_id else [], refused_at,
                                                   "complaint", f"complaint {complaint_id}: asked to stop calling", now, key_id)
    if withdrawn:
        effects["consents_withdrawn"] = withdrawn
    return effects


def _found_late(conn: Connection, row: Any, values: dict[str, Any], kind: str, now: datetime, actor: str | None) -> dict[str, Any]:
    """A step recorded after its deadline leaves the breach on record as the scheduler would have: the
    complaint marked overdue from when the deadline fell due (an `overdue` event saying which, when due
    and when done), or the callback marked late; nothing when it was marked already."""
    after = rules.ComplaintState(**{k: values.get(k, getattr(row, k)) for k in rules.ComplaintState.__dataclass_fields__})
    late = rules.breaches(after, None)  # the settled ones: met late, or passed unmet before the resolution
    if kind == "callback":
        if row.callback_overdue_at is None and any(b[0] == "callback" for b in late):
            complaint_store.insert_event(conn, row.id, "callback_overdue", row.callback_due, now, actor,
                                         f"callback due {row.callback_due.isoformat()}, made {after.callback_at.isoformat()}")
            return {"callback_overdue_at": row.callback_due}
        return {}
    late = [b for b in late if b[0] != "callback"]
    first_due = rules.missed_late(after)
    if row.overdue_at is not None or first_due is None:
        return {}
    complaint_store.insert_event(conn, row.id, "overdue", first_due, now, actor, _missed_note(late))
    return {"overdue_at": first_due}


def _missed_note(breaches: list[tuple[str, datetime, datetime | None]]) -> str:
    """The `overdue` event's note: each deadline missed with when it was due (and done, when it was)."""
    items = ", ".join(stored_text("stored.deadline_undone", kind=k, due=due.isoformat()) if done is None else
                      stored_text("stored.deadline_done", kind=k, due=due.isoformat(), done=done.isoformat()) for k, due, done in breaches)
    return stored_text("stored.complaint_missed_late", items=items)


# --- the scheduler's job -------------------------------------------------------------------------

def mark_overdue(conn: Connection, now: datetime, actor: str) -> dict:
    """Mark every complaint whose deadline passed unmet as overdue and escalate it, and every
    satisfaction callback gone past its due date; idempotent. A run that comes late (the scheduler was down when a deadline
    passed) says so: the `overdue` and `callback_overdue` events happened when the deadline fell due (`at`, as `overdue_at`)
    and were recorded now (`recorded_at`), the note naming each deadline with when it was due; the escalation is done now."""
    callbacks = sum(mark_callback_overdue(conn, row, now, actor) for row in complaint_store.callbacks_to_mark_overdue(conn, now))
    marked = escalated = 0
    for row in complaint_store.to_mark_overdue(conn, now):
        did_mark, did_escalate = mark_one_overdue(conn, row, now, actor)
        marked += did_mark
        escalated += did_escalate
    return {"overdue": marked, "escalated": escalated, "callback_overdue": callbacks}


# The steps the scheduler's marks depend on: a complaint on which a person recorded one after the job read it (answered,
# escalated, resolved, called back, or marked overdue by a step recorded late) is left to the next run, which judges it as
# it then is (never escalated twice, nor after its resolution). An extension needs a deadline not yet passed, so it
# changes no mark.
_STEPS = ("first_response_at", "escalated_at", "resolved_at", "overdue_at", "callback_at", "callback_overdue_at")


def mark_callback_overdue(conn: Connection, row: Any, now: datetime, actor: str) -> bool:
    """Mark one late satisfaction callback (read by the job at `now`), late from its due date; False when it is no longer
    late (the callback was made meanwhile) or was marked."""
    row = complaint_store.for_change(conn, row.id)
    if row is None or row.callback_at is not None or row.callback_overdue_at is not None or row.callback_due is None \
            or row.callback_due >= now:
        return False
    if not complaint_store.update_complaint(conn, row, {"callback_overdue_at": row.callback_due},
                                            still_as_read=_STEPS):
        return False
    complaint_store.insert_event(conn, row.id, "callback_overdue", row.callback_due, now, actor,
                                 f"callback due {row.callback_due.isoformat()}")
    return True


def mark_one_overdue(conn: Connection, row: Any, now: datetime, actor: str) -> tuple[bool, bool]:
    """Mark one complaint the job read at `now` overdue (unless marked) and escalate it (unless escalated): (marked,
    escalated), judged as it is now, under the lock a person's step takes: one a person escalated or resolved after the
    job read it is not escalated again (nor after its resolution)."""
    row = complaint_store.for_change(conn, row.id)
    if row is None or row.resolved_at is not None:
        return False, False
    breaches = rules.breaches(rules.ComplaintState.of(row), now)
    if row.overdue_at is None and not any(kind != "callback" for kind, _, _ in breaches):
        return False, False
    missed = [kind for kind, _, _ in breaches]
    values: dict[str, Any] = {}
    if row.overdue_at is None:
        # overdue from when the earliest missed deadline fell due, as a step recorded late marks it (not when the
        # job happened to run: a scheduler down for hours would otherwise move the breach); the event is recorded `now`
        values["overdue_at"] = min((due for kind, due, _ in breaches if kind != "callback"), default=now)
    # Every overdue complaint is escalated, also one marked overdue when its step was recorded late.
    if row.escalated_at is None:
        values["escalated_at"] = now
    if not values or not complaint_store.update_complaint(conn, row, values, still_as_read=_STEPS):
        return False, False
    if "overdue_at" in values:
        complaint_store.insert_event(conn, row.id, "overdue", values["overdue_at"], now, actor,
                                     _missed_note([b for b in breaches if b[0] != "callback"]))
    if "escalated_at" in values:
        complaint_store.insert_event(conn, row.id, "escalated", now, now, actor,
                                     stored_text("stored.complaint_escalated", kinds=", ".join(missed)))
    return "overdue_at" in values, "escalated_at" in values
