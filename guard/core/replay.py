"""Replaying logged decisions: each check asked again, in the order it was made, as of its instant.

A replay runs the live check's steps on the decision log's requests, through the same parts: the
catalog resolution (`guard.core.audit.Judge.resolve`), the number parsed in the governing pack's
region, the facts held at the decision's instant (`History.facts`, the history read by the as-of
reader on the `known_then` axis) and `guard.core.decide`. The caps are replayed in order: each
replayed check sees the attempts that existed when it was made —

- the checks are stepped in the order the guard recorded them (`LoggedCheck.recorded_at`, the server's clock when it
  decided: `decisions.evaluated_at`), not in the order of their call instants (`at`). A live check counts every
  attempt recorded before it, an attempt whose `at` is later than its own included (`guard.core.caps`), and none
  recorded after it: a check with a client-supplied `at` (GUARD_ALLOW_CLIENT_TIME) can be made after a call at a
  later instant, and was denied by that call's attempt. Stepped by `at`, the replay would let it through and count
  it against the later call instead: two answers that differ from the log although nothing changed. At server time
  the two orders are the same (`at` is the recording instant);
- an allowed (not dry-run) check records its attempt at its instant, as the live check does;
- an attempt made before the period counts from when its check was recorded (`PriorAttempt.recorded_at`);
- a denied check the dialler called anyway (an outcome was reported) counts from when that outcome
  was recorded, as the outcome service records it;
- an attempt's disposition (what `count: connected` counts) is known from when its outcome was
  recorded.

Under the pack versions that made the decisions, the replay reproduces every answer (tested on both
stores, `tests/services/test_replay.py`); under a draft, a check the draft denies records no
attempt, so a denied call no longer counts against the later ones. Pure: the history, the packs and
the logged checks are handed in.
"""

from __future__ import annotations

import bisect
import heapq
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Iterable, Sequence

from guard.core import arrivals as derive
from guard.core.arrivals import ComplaintArrived, NoteArrived, OutcomeArrived
from guard.core.audit import Judge
from guard.core.complaints import mute_reason, receipts_window
from guard.core.messages import L, label, said, stored_text
from guard.core.catalog import NoPolicy, Resolution
from guard.core.clock import MAX_CLOCK_SKEW
from guard.core.decide import decide, later_versions
from guard.core.facts import Attempt, BlacklistEntry, CheckInput, Decision, Deferral, Facts, Mute
from guard.core.history import Held, History
from guard.core.pack import Pack, PackSet
from guard.core.periods import callee_zones, customer_zones
from guard.core.phones import PhoneInfo, parse_phone

# What a decision row written now guarantees a replay (`decisions.schema_version`): the request is
# kept whole (its region and the customer it named) and the as-of reader rebuilds its facts.
DECISION_SCHEMA_VERSION = 2


# The rules a pack applies when a complaint or an outcome arrives, not when a call is checked. A replay given the
# events (`Replayer(arrivals=...)`) derives their mutes, deferrals and blacklist entries again under its own packs
# (guard.core.arrivals, as the live services do); `complaints.callback` only sets when a satisfaction callback is due,
# which no check reads, so no replay shows it. Pack key as the officer writes it -> the Pack attribute.
RECORDED_RULES = {"mute": "mute", "deferral_default": "deferral_default", "stop_calling": "stop_calling",
                  "complaints.callback": "complaint_callback"}
REDERIVED_RULES = ("mute", "deferral_default", "stop_calling")


def rules_not_replayed(serving: Sequence[Pack], draft: Pack, rederived: Iterable[str] = ()) -> list[str]:
    """The pack keys of RECORDED_RULES in which `draft` differs from one of the `serving` versions it replaces and that
    the replay does not derive again (`rederived`): a replay under the draft cannot show what they change."""
    skip = set(rederived)
    return [key for key, attr in RECORDED_RULES.items()
            if key not in skip and any(getattr(p, attr) != getattr(draft, attr) for p in serving)]


@dataclass(frozen=True, slots=True)
class LoggedCheck:
    """One decision as the decision log holds it: the request, the answer, and whether it was dialled."""

    id: str
    at: datetime
    phone_input: str
    region: str | None
    named_customer: str | None
    campaign: str
    product: str | None
    agent_id: str | None
    allowed: bool
    dry_run: bool
    reason_codes: tuple[str, ...]
    pack_id: str
    pack_version: str
    outcome_at: datetime | None = None  # when the reported outcome was recorded (the call was dialled)
    disposition: str | None = None
    purpose: str = "marketing"  # marketing | service: which rules bind; a service call never counts for the caps
    recorded_at: datetime | None = None  # when the guard made the decision (its clock); None: at `at`

    @property
    def made_at(self) -> datetime:
        """The instant of the order checks are replayed in: when the guard recorded the decision."""
        return self.at if self.recorded_at is None else self.recorded_at


@dataclass(frozen=True, slots=True)
class PriorAttempt:
    """An attempt made before the replayed period that its caps may still count."""

    at: datetime
    phone: str | None
    customer_ids: tuple[str, ...]
    visible_from: datetime  # the decision's instant, or (a call made despite a deny) its outcome's
    disposition: str | None = None
    disposition_from: datetime | None = None
    recorded_at: datetime | None = None  # when its allowed check was recorded: it counts for the checks recorded after


@dataclass(frozen=True, slots=True)
class Replayed:
    """A check asked again: the decision, the pack version that made it, the number as parsed."""

    check: LoggedCheck
    decision: Decision
    pack: Pack
    phone: PhoneInfo
    customer_ids: tuple[str, ...]


_ATTEMPT, _DISPOSITION, _ARRIVAL = 0, 1, 2

Arrival = ComplaintArrived | NoteArrived | OutcomeArrived


def derived_blacklist_reasons(arrivals: Iterable[Arrival]) -> set[tuple[str, str]]:
    """The (source, reason) of the blacklist entries these complaints and outcomes made when they asked to stop calling
    (as the live services word them): the entries a replay given the events derives again instead of reading."""
    out = set()
    for a in arrivals:
        if isinstance(a, OutcomeArrived):
            out.add(("customer_request", stored_text("stored.outcome_dnc", decision=a.decision_id)))
            out.add(("customer_request", stored_text("stored.note_stop", decision=a.decision_id)))
        else:
            out.add(("complaint", stored_text("stored.complaint_stop", complaint=a.id if isinstance(a, ComplaintArrived) else a.complaint_id)))
    return out


class Replayer:
    """Replays checks in the order they were made under `packs`, over its own count of attempts
    (the held facts of `history` are shared, read-only, with other replayers of the same period).

    Given `arrivals` (every complaint, complaint note and call outcome bearing on the period, with when each was
    recorded), the replayer derives their mutes, deferrals and stop-calling blacklist entries again under `packs`
    (guard.core.arrivals, as the live services derive them) instead of reading the ones the store recorded, each from
    the instant the event was recorded: a draft muting after one complaint mutes from the first. An outcome of a call
    this replay did not make (allowed when logged, denied here) makes nothing. Blacklist entries added by hand and
    their removals stay as recorded; a removal closes the derived entries of its number or customer held then.
    """

    def __init__(self, packs: PackSet, history: History, prior: Iterable[PriorAttempt] = (), want_next: bool = True,
                 arrivals: Iterable[Arrival] | None = None):
        self.h = replace(history, attempts_by_phone={}, attempts_by_customer={})
        self.judge = Judge(packs, self.h)
        self.want_next = want_next
        self._events: list[tuple] = []  # (instant, seq, kind, payload)
        self._seq = 0
        self._made: dict[str, tuple[Attempt, str | None, tuple[str, ...]]] = {}  # decision id -> its attempt
        self._phones: dict[tuple, PhoneInfo] = {}
        self.rederives = arrivals is not None
        self._stepped: set[str] = set()
        self._dialled: set[str] = set()
        if arrivals is not None:
            self._derive_from(list(arrivals))
        self._recorded: list[tuple] = []  # (recording instant, seq, payload): prior attempts on the recording order
        for n, p in enumerate(prior):
            key = f"\0prior{n}"
            if p.recorded_at is not None:
                self._seq += 1
                heapq.heappush(self._recorded, (p.recorded_at, self._seq, (key, p.phone, p.customer_ids, Attempt(p.at, None))))
            else:
                self._push(p.visible_from, _ATTEMPT, (key, p.phone, p.customer_ids, Attempt(p.at, None)))
            if p.disposition is not None:
                self._push(p.disposition_from or p.visible_from, _DISPOSITION, (key, p.disposition))

    def _derive_from(self, arrivals: list[Arrival]) -> None:
        """Drop the recorded mutes, deferrals and stop-calling entries, and queue the events that made them."""
        h = self.h
        derived = derived_blacklist_reasons(arrivals)

        def removals(index: dict) -> dict[str, list[datetime]]:
            return {k: sorted({r.until for r in rows if r.until is not None}) for k, rows in index.items()}

        self._removed = {"n": removals(h.blacklist_by_phone), "c": removals(h.blacklist_by_customer)}
        keep = lambda rows: [r for r in rows if (r.value.source, r.value.reason) not in derived]  # noqa: E731
        self.h = h = replace(h, mutes_by_phone={}, mutes_by_customer={}, deferrals_by_phone={}, deferrals_by_customer={},
                             blacklist_by_phone={k: keep(v) for k, v in h.blacklist_by_phone.items()},
                             blacklist_by_customer={k: keep(v) for k, v in h.blacklist_by_customer.items()})
        self.judge.h = h
        self._receipts: dict[tuple[str, str], list[datetime]] = {}
        self._mutes: dict[tuple[str, str], list[Mute]] = {}
        for a in arrivals:
            self._push(a.recorded_at, _ARRIVAL, (a,))

    def _pack_at(self, pack_id: str | None, at: datetime) -> Pack | None:
        packs = self.judge.packs
        return packs.at(pack_id or packs.default_id, at) or packs.at(packs.default_id, at)

    def _zones(self, pack: Pack, phone: str | None, customer_ids: Iterable[str | None], recorded_at: datetime) -> tuple[str, ...]:
        """The zones a derived mute or deferral ends its last day in, as the live services read them
        (guard/services/suppression/complaints.py `suppression_zones`): the customers' profiles as known when the
        event was recorded (the history holds every customer of the replayed checks), the number's, the pack's."""
        profiles = (self.h.customer(c, recorded_at) for c in dict.fromkeys(customer_ids) if c is not None)
        return callee_zones(pack, phone, customer_zones(self.judge.packs, recorded_at, profiles))

    def _blacklist(self, phone: str | None, customer_ids: Iterable[str | None], source: str, reason: str,
                   added_at: datetime, recorded_at: datetime) -> None:
        h = self.h
        for kind, key, index in [("n", phone, h.blacklist_by_phone)] + [("c", c, h.blacklist_by_customer) for c in customer_ids]:
            if key is None:
                continue
            until = next((r for r in self._removed[kind].get(key, ()) if r > recorded_at), None)
            entry = BlacklistEntry(id=f"~{reason}~{kind}{key}", source=source, added_at=added_at,
                                   phone=key if kind == "n" else None, customer_id=key if kind == "c" else None, reason=reason)
            h.add(index, key, Held(entry, recorded_at, until))

    def _arrive(self, a: Arrival) -> None:
        """What one complaint, note or outcome makes under this replay's packs (guard.core.arrivals)."""
        h = self.h
        if isinstance(a, OutcomeArrived):
            if a.decision_id in self._stepped and a.decision_id not in self._dialled:
                return  # this replay did not make the call: nobody answered it
            pack = self._pack_at(a.pack_id, a.decision_at)
            if pack is None:
                return
            if derive.outcome_stops_calling(pack, a.disposition, a.note):
                why = stored_text("stored.outcome_dnc" if a.disposition == "do_not_call" else "stored.note_stop", decision=a.decision_id)
                self._blacklist(a.phone, a.customer_ids, "customer_request", why, a.effective_at, a.recorded_at)
            if a.disposition == "callback":
                not_before = derive.deferral_until(pack, a.effective_at, a.callback_at,
                                                   self._zones(pack, a.phone, a.customer_ids, a.recorded_at))
                for i, cid in enumerate(a.customer_ids or (None,)):
                    held = Held(Deferral(id=f"~{a.decision_id}~{i}", not_before=not_before, phone=a.phone if i == 0 else None,
                                         customer_id=cid), a.recorded_at)
                    h.add(h.deferrals_by_customer, cid, held)
                    h.add(h.deferrals_by_phone, held.value.phone, held)
            return
        if isinstance(a, NoteArrived):
            judges = [p for p in (self._pack_at(i, a.received_at) for i in (a.pack_id, *a.also)) if p is not None]
            if any(derive.text_stops_calling(p, a.note) for p in judges):
                self._blacklist(a.phone, (a.customer_id,), "complaint", stored_text("stored.complaint_stop", complaint=a.complaint_id),
                                min(a.at, a.recorded_at), a.recorded_at)
            return
        # A complaint several packs judged (a customer whose numbers on file they cover) mutes as the live service
        # does: under each pack's rule, the mute ending last (guard.core.arrivals.latest_mute).
        judges = [p for p in (self._pack_at(i, a.received_at) for i in (a.pack_id, *a.also)) if p is not None]
        if a.customer_id is None and a.phone is None:
            return
        key = ("c", a.customer_id) if a.customer_id is not None else ("n", a.phone)
        receipts = self._receipts.setdefault(key, [])  # type: ignore[arg-type]

        def under(pack: Pack) -> tuple[datetime, datetime, int] | None:
            rule = pack.mute
            if rule is None:
                return None
            lo, hi = receipts_window(rule, a.received_at)
            return derive.mute_for(rule, [r for r in receipts if lo < r <= hi] + [a.received_at], a.received_at, a.recorded_at,
                                   self._zones(pack, a.phone, (a.customer_id,), a.recorded_at))

        chosen = derive.latest_mute((p, under(p)) for p in judges)
        if chosen is not None:
            pack, mute = chosen
            rule = pack.mute
            held_mutes = self._mutes.setdefault(key, [])  # type: ignore[arg-type]
            if not any(m.starts_at <= mute[0] and m.ends_at > mute[1] - timedelta(seconds=1) for m in held_mutes):
                m = Mute(id=f"~{a.id}", customer_id=a.customer_id, starts_at=mute[0], ends_at=mute[1],
                         reason=mute_reason(rule, mute[2], pack.id, pack.version), phone=None if a.customer_id else a.phone)
                held_mutes.append(m)
                h.add(h.mutes_by_customer, m.customer_id, Held(m, a.recorded_at))
                h.add(h.mutes_by_phone, m.phone, Held(m, a.recorded_at))
        receipts.append(a.received_at)
        if any(derive.text_stops_calling(p, a.text) for p in judges):
            self._blacklist(a.phone, (a.customer_id,), "complaint", stored_text("stored.complaint_stop", complaint=a.id),
                            min(a.received_at, a.recorded_at), a.recorded_at)

    def _push(self, at: datetime, kind: int, payload: tuple) -> None:
        self._seq += 1
        heapq.heappush(self._events, (at, self._seq, kind, payload))

    def _catch_up(self, now: datetime) -> None:
        """Apply what became known up to `now`: attempts of calls made despite a deny, dispositions."""
        events = self._events
        while events and events[0][0] <= now:
            _, _, kind, payload = heapq.heappop(events)
            if kind == _ATTEMPT:
                key, phone, customer_ids, attempt = payload
                self._add(key, phone, customer_ids, attempt)
            elif kind == _ARRIVAL:
                self._arrive(payload[0])
            else:
                key, disposition = payload
                made = self._made.get(key)
                if made is not None:
                    old, phone, customer_ids = made
                    new = Attempt(old.at, disposition)
                    for lst in self._lists(phone, customer_ids):
                        for i, a in enumerate(lst):
                            if a is old:
                                lst[i] = new
                                break
                    self._made[key] = (new, phone, customer_ids)

    def _lists(self, phone: str | None, customer_ids: tuple[str, ...]) -> list[list[Attempt]]:
        h = self.h
        out = [h.attempts_by_phone.setdefault(phone, [])] if phone is not None else []
        out.extend(h.attempts_by_customer.setdefault(cid, []) for cid in customer_ids)
        return out

    def _add(self, key: str, phone: str | None, customer_ids: tuple[str, ...], attempt: Attempt) -> None:
        for lst in self._lists(phone, customer_ids):
            if not lst or lst[-1].at <= attempt.at:
                lst.append(attempt)
            else:  # a call made despite a deny becomes known at its outcome, after later calls
                lst.insert(bisect.bisect_right([a.at for a in lst], attempt.at), attempt)
        self._made[key] = (attempt, phone, customer_ids)

    def _phone(self, raw: str, region: str, pack: Pack) -> PhoneInfo:
        key = (raw, region, pack.number_ranges)
        phone = self._phones.get(key)
        if phone is None:
            phone = self._phones[key] = parse_phone(raw, region, pack.number_ranges)
        return phone

    def resolve(self, check: LoggedCheck) -> tuple[Resolution, PhoneInfo]:
        """As the live check: resolve the campaign, read the number in its pack's region, and when the
        campaign hands the number's country to another pack, resolve again for that country."""
        judge = self.judge
        resolution = judge.resolve(check.campaign, check.product, check.at)
        phone = self._phone(check.phone_input, check.region or resolution.pack.region, resolution.pack)
        country = phone.region if phone.valid else None
        if resolution.campaign is not None and resolution.campaign.pack_for_country(country):
            resolution = judge.resolve(check.campaign, check.product, check.at, country)
        return resolution, phone

    def step(self, check: LoggedCheck) -> Replayed:
        """Ask one check again (checks come in the order the guard recorded them: `LoggedCheck.made_at`,
        then id). Raises NoPolicy when no pack version of this replay governs it."""
        at = check.at
        self._catch_up(at)
        made = check.made_at
        while self._recorded and self._recorded[0][0] < made:
            key, phone, customer_ids, attempt = heapq.heappop(self._recorded)[2]
            self._add(key, phone, customer_ids, attempt)
        resolution, phone = self.resolve(check)
        pack = resolution.pack
        facts = self.h.facts(phone, check.named_customer, at, at - self.judge.horizon, resolution.catalog)
        judge = self.judge

        def judged_at(start: datetime) -> tuple[Pack, Facts] | None:
            # As the live check: next_allowed_at is judged by the version in effect at each instant.
            try:
                later = judge.resolve(check.campaign, check.product, start, phone.region if phone.valid else None)
            except NoPolicy:
                return None
            return later.pack, self.h.facts(phone, check.named_customer, at, at - judge.horizon, later.catalog)

        decision = decide(CheckInput(campaign=check.campaign, product=check.product, customer_id=check.named_customer,
                                     purpose=check.purpose), facts, pack, at, want_next=self.want_next,
                          later=lambda: later_versions(judge.packs, pack, at, judged_at))
        number = phone.e164 if phone.valid else None
        customer_ids = facts.customer_ids
        if self.rederives:
            self._stepped.add(check.id)
            if not check.dry_run and (decision.allowed or not check.allowed):  # dialled here if its outcome says so
                self._dialled.add(check.id)
        if not check.dry_run and decision.purpose == "marketing":  # as the live check: only marketing calls are counted
            if decision.allowed:
                self._add(check.id, number, customer_ids, Attempt(at, None))
                if check.outcome_at is not None:
                    self._push(check.outcome_at, _DISPOSITION, (check.id, check.disposition))
            elif not check.allowed and check.outcome_at is not None and (number is not None or customer_ids):
                # Dialled although the guard said no (then and now): it counts from its outcome on.
                self._push(check.outcome_at, _ATTEMPT, (check.id, number, customer_ids, Attempt(at, check.disposition)))
        return Replayed(check, decision, pack, phone, customer_ids)


def _caps_said(reasons: Iterable[dict]) -> Any:
    """The FREQ_CAP details of a decision's reasons as one phrase ("number 24h: 1 of 1"), or "no cap reached"."""
    caps = [r.get("detail") or {} for r in reasons if r.get("code") == "FREQ_CAP"]
    if not caps:
        return label("no cap reached", "未达上限")
    return L({lang: ("; " if lang == "en" else "；").join(
        f"{d.get('scope', '?')} {d.get('window', '?')}: {d.get('count', '?')}" + (" of " if lang == "en" else " / ") + f"{d.get('limit', '?')}"
        for d in caps) for lang in ("en", "zh-CN", "zh-TW")})


def why_differs(check: LoggedCheck, logged: Sequence[dict], replayed: Replayed | None, schema_version: Any) -> dict:
    """Why a replayed answer is not the logged one, for the person reading the report: `cause` (no_policy,
    other_version, old_row, caps, client_time, facts) and the sentence in each language (`messages`; `explanation` the English).

    Under the version that made it, a decision of a current row replays the same unless the store changed since:
    the first cause that applies is named, the caps' counts side by side when they are what differs."""
    logged_codes = [r.get("code") for r in logged]
    if replayed is None:
        cause, params = "no_policy", {"at": check.at.isoformat(), "pack": check.pack_id, "version": check.pack_version}
    elif (replayed.pack.id, replayed.pack.version) != (check.pack_id, check.pack_version):
        cause, params = "other_version", {"pack": check.pack_id, "version": check.pack_version,
                                          "now": f"{replayed.pack.id} {replayed.pack.version}"}
    elif schema_version != DECISION_SCHEMA_VERSION:
        cause, params = "old_row", {"version": "none" if schema_version is None else schema_version}
    else:
        now = [{"code": r.code, "detail": r.detail} for r in replayed.decision.reasons]
        caps_then = [r.get("detail") for r in logged if r.get("code") == "FREQ_CAP"]
        caps_now = [r["detail"] for r in now if r["code"] == "FREQ_CAP"]
        rest_then = [c for c in logged_codes if c != "FREQ_CAP"]
        rest_now = [r["code"] for r in now if r["code"] != "FREQ_CAP"]
        if caps_then != caps_now and rest_then == rest_now:
            cause, params = "caps", {"logged": _caps_said(logged), "replayed": _caps_said(now)}
        else:
            cause, params = "facts", {"logged": ", ".join(logged_codes) or "—", "replayed": ", ".join(r["code"] for r in now) or "—"}
            if abs(check.made_at - check.at) > MAX_CLOCK_SKEW:  # a client-supplied `at` (GUARD_ALLOW_CLIENT_TIME)
                cause, params = "client_time", {**params, "at": check.at.isoformat(), "made": check.made_at.isoformat()}
    messages = said(f"replay.{cause}", **params).messages
    return {"cause": cause, "explanation": messages["en"], "messages": messages}
