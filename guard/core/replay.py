"""Replaying logged decisions: each check asked again, in the order it was made, as of its instant.

A replay runs the live check's steps on the decision log's requests, through the same parts: the
catalog resolution (`guard.core.audit.Judge.resolve`), the number parsed in the governing pack's
region, the facts held at the decision's instant (`History.facts`, the history read by the as-of
reader on the `known_then` axis) and `guard.core.decide`. The caps are replayed in order: each
replayed check sees the attempts that existed when it was made —

- an allowed (not dry-run) check records its attempt at its instant, as the live check does;
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
from datetime import datetime
from typing import Iterable, Sequence

from guard.core.audit import Judge
from guard.core.catalog import NoPolicy, Resolution
from guard.core.decide import decide, later_versions
from guard.core.facts import Attempt, CheckInput, Decision, Facts
from guard.core.history import History
from guard.core.pack import Pack, PackSet
from guard.core.phones import PhoneInfo, parse_phone

# What a decision row written now guarantees a replay (`decisions.schema_version`): the request is
# kept whole (its region and the customer it named) and the as-of reader rebuilds its facts.
DECISION_SCHEMA_VERSION = 2


# The rules a pack applies when a complaint or an outcome arrives, not when a call is checked: their effects (mutes,
# deferrals, blacklist entries) are facts the store recorded then, and a replay reads them as recorded.
# Pack key as the officer writes it -> the Pack attribute.
RECORDED_RULES = {"mute": "mute", "deferral_default": "deferral_default", "stop_calling": "stop_calling",
                  "complaints.callback": "complaint_callback"}


def rules_not_replayed(serving: Sequence[Pack], draft: Pack) -> list[str]:
    """The pack keys of RECORDED_RULES in which `draft` differs from one of the `serving` versions it replaces: a replay
    under the draft cannot show what they change."""
    return [key for key, attr in RECORDED_RULES.items() if any(getattr(p, attr) != getattr(draft, attr) for p in serving)]


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


@dataclass(frozen=True, slots=True)
class PriorAttempt:
    """An attempt made before the replayed period that its caps may still count."""

    at: datetime
    phone: str | None
    customer_ids: tuple[str, ...]
    visible_from: datetime  # the decision's instant, or (a call made despite a deny) its outcome's
    disposition: str | None = None
    disposition_from: datetime | None = None


@dataclass(frozen=True, slots=True)
class Replayed:
    """A check asked again: the decision, the pack version that made it, the number as parsed."""

    check: LoggedCheck
    decision: Decision
    pack: Pack
    phone: PhoneInfo
    customer_ids: tuple[str, ...]


_ATTEMPT, _DISPOSITION = 0, 1


class Replayer:
    """Replays checks in the order they were made under `packs`, over its own count of attempts
    (the held facts of `history` are shared, read-only, with other replayers of the same period)."""

    def __init__(self, packs: PackSet, history: History, prior: Iterable[PriorAttempt] = (), want_next: bool = True):
        self.h = replace(history, attempts_by_phone={}, attempts_by_customer={})
        self.judge = Judge(packs, self.h)
        self.want_next = want_next
        self._events: list[tuple] = []  # (instant, seq, kind, payload)
        self._seq = 0
        self._made: dict[str, tuple[Attempt, str | None, tuple[str, ...]]] = {}  # decision id -> its attempt
        self._phones: dict[tuple, PhoneInfo] = {}
        for n, p in enumerate(prior):
            key = f"\0prior{n}"
            self._push(p.visible_from, _ATTEMPT, (key, p.phone, p.customer_ids, Attempt(p.at, None)))
            if p.disposition is not None:
                self._push(p.disposition_from or p.visible_from, _DISPOSITION, (key, p.disposition))

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
        """Ask one check again (checks come in the order they were made). Raises NoPolicy when no
        pack version of this replay governs it."""
        at = check.at
        self._catch_up(at)
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
        if not check.dry_run and decision.purpose == "marketing":  # as the live check: only marketing calls are counted
            if decision.allowed:
                self._add(check.id, number, customer_ids, Attempt(at, None))
                if check.outcome_at is not None:
                    self._push(check.outcome_at, _DISPOSITION, (check.id, check.disposition))
            elif not check.allowed and check.outcome_at is not None and (number is not None or customer_ids):
                # Dialled although the guard said no (then and now): it counts from its outcome on.
                self._push(check.outcome_at, _ATTEMPT, (check.id, number, customer_ids, Attempt(at, check.disposition)))
        return Replayed(check, decision, pack, phone, customer_ids)
