"""Call outcomes: what the dialer reports after a call, and what it changes for the next check.

- every disposition sets the attempt's outcome (what `count: connected` counts);
- `do_not_call` blacklists the number and the customer (every number of theirs) at once;
- `callback` defers the number and the customer until `callback_at`, or the pack's `deferral_default`;
- `complaint` files a complaint (see services.suppression.complaints: sensitive tag, mute, SLA);
- a note asking to stop calling (不要再打 …) blacklists too, whatever the disposition.

One outcome per decision: reporting the same one again changes nothing and answers as the first
time; a different outcome for the same decision is a conflict. An outcome for a denied decision
is accepted (the call happened, so it is recorded as an attempt and its effects apply) and flagged
`called_despite_deny`, which the audit reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from datetime import datetime, timezone
from typing import Any

from blacklist.service import NewEntry, add_entries
from guard.core.messages import said, stored_text
from guard.services.consent import records as consent_records
from guard.core.pack import PackSet
from guard.core.clock import MAX_CLOCK_SKEW, check_outcome_instant, effective_instant
from guard.core import arrivals
from guard.services.suppression import complaints
from guard.core.errors import Conflict, InvalidField, NotFound, NotYours
from guard.store import complaints as complaint_store
from guard.store import keys as key_store
from guard.store import outcomes as outcome_store
from guard.store.db import Store
from guard.store.ids import new_id
from guard.store.sql import as_utc


@dataclass(frozen=True)
class OutcomeIn:
    disposition: str
    ended_at: datetime | None = None
    callback_at: datetime | None = None
    note: str | None = None
    severity: str | None = None  # for `complaint` (light when not given)
    category: str | None = None  # for `complaint` (outbound call when not given)


def _same_dialer(store: Store, decision_key: str | None, key_id: str | None) -> bool:
    """Whether `key_id` reports for the dialer that obtained a decision with `decision_key`."""
    if not decision_key or decision_key == key_id:
        return True  # a decision logged with no caller cannot say whose it is
    if not key_id:
        return False
    labels = key_store.labels(store, [decision_key, key_id])
    label = labels.get(decision_key)
    return bool(label) and labels.get(key_id) == label


def _view(row: Any, decision: Any, duplicate: bool) -> dict:
    return {
        "decision_id": row.decision_id,
        "disposition": row.disposition,
        "ended_at": row.ended_at.isoformat() if row.ended_at else None,
        "callback_at": row.callback_at.isoformat() if row.callback_at else None,
        "note": row.note,
        "reported_at": row.reported_at.isoformat(),
        "called_despite_deny": not decision.allowed,
        "effects": row.effects,
        "duplicate": duplicate,
    }


def report(store: Store, packs: PackSet, decision_id: str, out: OutcomeIn, now: datetime, key_id: str | None,
           allow_client_time: bool = False, for_any_dialer: bool = False) -> tuple[dict, bool]:
    """Record the outcome and apply its effects; return (outcome, created).

    Only the dialer that obtained the decision reports it (`key_id` the decision's own, or a key with its
    label: the successor of a rotated key), or a caller `for_any_dialer` (an admin): an outcome is
    reported once, so another dialer's report would stand in for the real one, and a customer's
    do_not_call reported after it would be refused as a conflict.

    What the outcome creates (a deferral, blacklist entries, a complaint) takes effect at its
    `ended_at` (the decision's instant when absent, never before the call: SPEC §7). The guard
    records it at `now`; with GUARD_ALLOW_CLIENT_TIME (simulations on the client's timeline) it is
    recorded at that effective instant too, so that an audit's `known_then` reading sees it then."""
    with store.read() as conn:
        decision = outcome_store.decision(conn, decision_id)
    refused = ("unknown_decision" if decision is None else "dry_run" if decision.dry_run
               else "not_yours" if not for_any_dialer and not _same_dialer(store, decision.key_id, key_id) else None)
    if refused is not None:
        # Refused, but kept: a dial reported without a real decision is what an audit looks for. A dialer reporting
        # on another dialer's decision dialled without one of its own (the decision allowed one call, the other
        # dialer's), so its report is kept too, naming the number and the decision it borrowed.
        # (A write transaction of its own: on SQLite a read transaction that turns into a write
        # fails at once, without waiting, when another process is writing.)
        # On the client's timeline (a simulation) the dial was made at its `ended_at` (the decision's instant when absent), as a
        # real decision's outcome takes effect then: the audit of that period counts it. `reported_at` stays the server's
        # clock, the order the outcome chain seals reports in.
        dialled = (out.ended_at or (decision.at if decision is not None else None)) if allow_client_time else None
        with store.locked([f"o:{decision_id}"]) as conn:
            outcome_store.record_unmatched(conn, dict(dialled_at=dialled,
                decision_id=decision_id[:100], why=refused, disposition=out.disposition,
                phone_e164=decision.phone_e164 if decision is not None else None, reported_at=now, key_id=key_id,
                body={"disposition": out.disposition, "ended_at": out.ended_at.isoformat() if out.ended_at else None, "note": out.note},
            ))
    if decision is None:
        raise NotFound("decision", decision_id)
    if decision.dry_run:
        raise Conflict(said("error.decision_dry_run", decision=decision_id), {"dry_run": True})
    if refused == "not_yours":
        raise NotYours(said("error.decision_not_yours", decision=decision_id), {"decision_id": decision_id})
    check_outcome_instant(out.ended_at, decision.at, now, allow_client_time=allow_client_time)
    effective = effective_instant(out.ended_at, decision.at)
    if out.callback_at is not None and out.callback_at <= effective - MAX_CLOCK_SKEW:
        raise InvalidField("callback_at", said("error.before_call", at=out.callback_at.isoformat(), call=effective.isoformat()))
    recorded = effective if allow_client_time else now
    phone, customer_id = decision.phone_e164, decision.customer_id
    # Every customer of the call (the number's owner and the customer named) gets the effects.
    customer_ids = [c["id"] for c in (decision.facts or {}).get("customers") or ()] or ([customer_id] if customer_id else [])
    # The decision's own lock makes two concurrent reports of it take turns, number or not.
    with store.locked([f"o:{decision_id}", *complaints.lock_keys(phone, None), *(f"c:{c}" for c in customer_ids)]) as conn:
        existing = outcome_store.existing(conn, decision_id)
        if existing is not None:
            differs = _differs(conn, existing, out)
            if existing.disposition != out.disposition:
                differs.insert(0, "disposition")
            if not differs:
                return _view(existing, decision, True), False
            raise Conflict(
                said("error.outcome_reported_differs", decision=decision_id, disposition=repr(existing.disposition), differs=list(differs))
                if existing.disposition == out.disposition
                else said("error.outcome_reported", decision=decision_id, disposition=repr(existing.disposition)),
                {"disposition": existing.disposition, "reported_at": existing.reported_at.isoformat(), "differs": differs},
            )
        pack = complaints.pack_for(packs, decision.pack_id, decision.at)
        effects: dict[str, Any] = {}

        if decision.allowed:
            outcome_store.set_attempt_outcome(conn, decision_id, out.disposition, recorded)
        elif (phone is not None or customer_ids) and _judged_purpose(decision.request or {}) == "marketing":
            # The call was made although the guard said no: it still counts against the caps (a
            # service call never does, as at the check and in the audit).
            outcome_store.insert_attempt(conn, dict(decision_id=decision_id, phone_e164=phone, customer_id=customer_id,
                                                    other_customer_id=customer_ids[1] if len(customer_ids) > 1 else None, at=decision.at,
                                                    disposition=out.disposition, outcome_at=recorded))

        stop = arrivals.outcome_stops_calling(pack, out.disposition, out.note)
        if stop:
            why = stored_text("stored.outcome_dnc" if out.disposition == "do_not_call" else "stored.note_stop", decision=decision_id)
            entries = []
            if phone:
                entries.append(NewEntry(phone=phone, customer_id=None, source="customer_request", reason=why,
                                        added_at=effective))
            for cid in customer_ids:
                entries.append(NewEntry(phone=None, customer_id=cid, source="customer_request", reason=why,
                                        added_at=effective))
            effects["blacklist"] = [e["id"] for e, _ in add_entries(conn, entries, recorded, key_id)]
            # "不要再打了" also withdraws marketing consent, from the call's end (PIPL art. 15).
            withdrawn = consent_records.withdraw_marketing(conn, phone, customer_ids, effective, "call", why,
                                                           recorded, key_id)
            if withdrawn:
                effects["consents_withdrawn"] = withdrawn

        if out.disposition == "callback":
            not_before = arrivals.deferral_until(pack, effective, out.callback_at,
                                                 complaints.suppression_zones(conn, packs, pack, phone, customer_ids, recorded))
            ids = []
            for i, cid in enumerate(customer_ids or [None]):
                ids.append(new_id(recorded))
                outcome_store.insert_deferral(conn, dict(id=ids[-1], phone_e164=phone if i == 0 else None, customer_id=cid,
                                                         not_before=not_before, created_at=recorded, created_by=key_id, decision_id=decision_id,
                                                         cancelled_at=None, effective_at=effective))
            effects["deferral"] = {"id": ids[0], "not_before": not_before.astimezone(timezone.utc).isoformat()}
            if len(ids) > 1:
                effects["deferral"]["also"] = ids[1:]

        if out.disposition == "complaint":
            filed = complaints.file_in(
                conn, packs, complaints.outcome_complaint_packs(packs, pack, phone, effective),
                complaints.NewComplaint(phone=phone, customer_id=complaints.customer_of(store, conn, phone, customer_id),
                                        severity=out.severity or "light", received_at=effective,
                                        category=out.category or "outbound call", text=out.note, decision_id=decision_id),
                recorded, key_id, uncovered=complaints.uncovered_regions(packs, phone, (), effective),
            )
            effects["complaint"] = {"id": filed["id"], "status": filed["status"], "sla": filed["sla"], "effects": filed["effects"]}

        row = SimpleNamespace(decision_id=decision_id, disposition=out.disposition, ended_at=as_utc(out.ended_at),
                              callback_at=as_utc(out.callback_at),
                              note=out.note, reported_at=now, key_id=key_id, effects=effects)
        outcome_store.insert_outcome(conn, vars(row))
        return _view(row, decision, False), True


def _differs(conn: Any, existing: Any, out: OutcomeIn) -> list[str]:
    """The fields a repeated report gives otherwise than the one recorded. A field the repeat leaves out claims
    nothing (a retry may send less); one it gives differently (a note asking to stop calling that the first report
    lacked, a complaint's severity) makes it another report, which is refused rather than dropped as a duplicate."""
    given = {"ended_at": as_utc(out.ended_at), "callback_at": as_utc(out.callback_at), "note": out.note}
    differs = [name for name, value in given.items() if value is not None and value != getattr(existing, name)]
    filed = (existing.effects or {}).get("complaint") or {}
    if filed.get("id") and (out.severity is not None or out.category is not None):
        complaint = complaint_store.get(conn, filed["id"])
        if complaint is not None:
            differs += [name for name in ("severity", "category")
                        if getattr(out, name) is not None and getattr(out, name) != getattr(complaint, name)]
    return differs


def _judged_purpose(request: dict) -> str:
    """The purpose a logged decision's call was judged as: `judged_as` when the campaign did not declare the purpose
    asked for (it was judged as marketing), else the purpose asked for (marketing when none)."""
    return request.get("judged_as") or request.get("purpose") or "marketing"
