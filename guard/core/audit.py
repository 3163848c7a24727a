"""Judging logged calls: every call as of its own time, by the same path as `/v1/check`.

For each call, in time order: the catalog resolution in effect at the call (`guard.core.catalog`),
the facts held then (`History.facts(..., as_of=call.at)`), the caps counted over the log's own
earlier calls, and `guard.core.decide` gives the rule codes. On top of those, the audit's own
codes about the decision the dialer logged (`decision_checks`) and the linter's findings on the
transcript. Pure: the history, the parsed phones and the logged decisions are handed in.
"""

from __future__ import annotations

import bisect
import heapq
import json
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable, Mapping
from zoneinfo import ZoneInfo

from guard.core.calllog import Call
from guard.core.catalog import NoPolicy, Resolution, resolve
from guard.core.decide import decide
from guard.core.facts import Attempt, CheckInput, customers_of_call
from guard.core.history import History
from guard.core.pack import Pack, PackSet

UNCHECKED = "UNCHECKED_CALL"  # reported apart from the rule violations: the call may have been fine
NO_DECISION = {"why": "no decision_id"}
_CONSTANT_DETAILS = (NO_DECISION,)
_MISSING = object()


@dataclass(frozen=True, slots=True)
class LoggedDecision:
    """What the decision log says about a decision a call names."""

    id: str
    allowed: bool
    dry_run: bool
    phone_e164: str | None
    at: datetime
    reason_codes: tuple[str, ...]


def decision_checks(decision_id: str | None, number: str | None, decision: LoggedDecision | None, called_at: datetime | None = None,
                    pack: Pack | None = None) -> list[tuple[str, dict]]:
    """UNCHECKED_CALL (no decision, an unknown or dry-run one, one for another number, one issued
    after the call or too long before it; `Judge` adds one already used by another call) or CALLED_DESPITE_DENY (the decision said no), for a call
    placed on `number` at `called_at` under `pack` (its `decision_valid_for` and
    `decision_clock_tolerance`)."""
    if not decision_id:
        return [("UNCHECKED_CALL", NO_DECISION)]
    if decision is None:
        return [("UNCHECKED_CALL", {"why": "unknown decision", "decision_id": decision_id})]
    if decision.dry_run:
        return [("UNCHECKED_CALL", {"why": "the decision was a dry run", "decision_id": decision.id})]
    if number is not None and decision.phone_e164 is not None and decision.phone_e164 != number:
        return [("UNCHECKED_CALL", {"why": "the decision was for another number", "decision_id": decision.id,
                                    "decision_phone": decision.phone_e164})]
    if called_at is not None and pack is not None:
        gap = (called_at - decision.at).total_seconds()
        if gap < -pack.decision_clock_tolerance.total_seconds():
            return [("UNCHECKED_CALL", {"why": "the call was placed before its decision", "decision_id": decision.id,
                                        "decision_at": decision.at.isoformat(), "seconds_before": round(-gap, 3),
                                        "tolerance_seconds": pack.decision_clock_tolerance.total_seconds()})]
        if gap > pack.decision_valid_for.total_seconds():
            return [("UNCHECKED_CALL", {"why": "the decision had expired when the call was placed", "decision_id": decision.id,
                                        "decision_at": decision.at.isoformat(), "seconds_after": round(gap, 3),
                                        "valid_for_seconds": pack.decision_valid_for.total_seconds()})]
    if not decision.allowed:
        return [("CALLED_DESPITE_DENY", {"decision_id": decision.id, "reasons": list(decision.reason_codes)})]
    return []


@dataclass
class Part:
    """What judging a set of calls found: violation rows and the counts the summary needs.

    A row is (line, call_id, code, called_at, phone_e164, customer_id, agent_id, campaign, detail as JSON,
    zone, pack_id, pack_version), `zone` being the callee's IANA zone the call was judged in and the pack
    version the one in effect at the call's instant that judged it. Of the calls with violations,
    `calls_breaking_rules` broke a rule (any code but UNCHECKED_CALL) and `calls_unchecked` had no
    valid decision (UNCHECKED_CALL); a call can be both."""

    rows: list[tuple] = field(default_factory=list)
    by_code: Counter = field(default_factory=Counter)
    by_agent: Counter = field(default_factory=Counter)
    by_campaign: Counter = field(default_factory=Counter)
    by_hour: Counter = field(default_factory=Counter)
    by_agent_code: dict = field(default_factory=lambda: defaultdict(Counter))
    packs_used: Counter = field(default_factory=Counter)
    # Calls, and calls with violations, by purpose: service calls are counted apart from marketing.
    calls_by_purpose: Counter = field(default_factory=Counter)
    violations_by_purpose: Counter = field(default_factory=Counter)
    calls: int = 0
    calls_with_violations: int = 0
    calls_breaking_rules: int = 0
    calls_unchecked: int = 0
    first: datetime | None = None
    last: datetime | None = None

    def merge(self, other: "Part") -> None:
        for name in ("by_code", "by_agent", "by_campaign", "by_hour", "packs_used", "calls_by_purpose", "violations_by_purpose"):
            getattr(self, name).update(getattr(other, name))
        for agent, counts in other.by_agent_code.items():
            self.by_agent_code[agent].update(counts)
        self.calls += other.calls
        self.calls_with_violations += other.calls_with_violations
        self.calls_breaking_rules += other.calls_breaking_rules
        self.calls_unchecked += other.calls_unchecked
        if other.first is not None:
            self.first = other.first if self.first is None else min(self.first, other.first)
            self.last = other.last if self.last is None else max(self.last, other.last)


class Judge:
    """Judges calls in time order; pure apart from reading the history it was given (no store, no clock)."""

    def __init__(self, packs: PackSet, history: History, decisions: Mapping[str, LoggedDecision] | None = None):
        self.packs, self.h = packs, history
        self.decisions: Mapping[str, LoggedDecision] = decisions or {}
        # Each decision id and the call that used it first: a decision allows one call (the dialer asks before every call).
        self.first_call: dict[str, str] = {}
        windows = [p.longest_cap_window for pid in packs.ids() for p in packs.timelines[pid].versions]
        # Attempts are trimmed to the longest cap window of any pack as calls go by in time order.
        self.horizon = max(windows, default=timedelta(0))
        # Between two consecutive instants at which any pack version or configured campaign, product
        # or script approval starts or ends, every call of a campaign resolves the same way.
        bounds = {p.effective_from for p in packs.all_versions()}
        for index in (history.campaigns, history.products):
            for rows in index.values():
                for row in rows:
                    bounds.add(row.since)
                    if row.until is not None:
                        bounds.add(row.until)
        for approvals in history.approvals.values():
            for approved, until in approvals:
                bounds.add(approved)
                if until is not None:
                    bounds.add(until)
        self._bounds = sorted(bounds)
        self._resolutions: dict[tuple, Any] = {}

    @property
    def bounds(self) -> list[datetime]:
        """The instants between which every call of a campaign resolves the same way (sorted)."""
        return self._bounds

    def resolve(self, campaign: str, product: str | None, at: datetime, country: str | None = None) -> Resolution:
        """The catalog resolution of a call at `at` (for a number of `country`: memoised); raise
        NoPolicy when no pack governs it."""
        key = (campaign, product, bisect.bisect_right(self._bounds, at), country)
        hit = self._resolutions.get(key, _MISSING)
        if hit is _MISSING:
            try:
                hit = resolve(self.packs, self.h, campaign, product, at, at, country)
            except NoPolicy as exc:
                hit = exc
            self._resolutions[key] = hit
        if isinstance(hit, NoPolicy):
            raise hit
        return hit  # type: ignore[return-value]

    def customers(self, call: Call, number: str | None) -> tuple[str, ...]:
        """Every customer of the call: the number's owner at the call's time and the customer it names."""
        return customers_of_call(self.h.owner(number, call.at) if number else None, call.customer_id)

    def judge(self, calls: Iterable[Call], sink: Callable[[list[tuple]], None] | None = None, sink_every: int = 20_000) -> Part:
        """Judge calls (in time order). With `sink`, violation rows are handed over every `sink_every`
        rows instead of piling up in the returned Part (bounded memory)."""
        part = Part()
        h = self.h
        zones: dict[str, ZoneInfo] = {}
        encoded: dict[int, str] = {id(d): json.dumps(d) for d in _CONSTANT_DETAILS}
        horizon = self.horizon
        resolve, decisions, facts_of, add_attempt, first_call = self.resolve, self.decisions, h.facts, h.add_attempt, self.first_call
        pack_names: dict[int, str] = {}
        # (code, agent, campaign, hour) -> violations: one count per violation, spread at the end
        counts: Counter = Counter()
        rows = part.rows
        dumps = json.dumps
        for call in calls:
            part.calls += 1
            at = call.at
            phone = call.phone
            assert phone is not None, "calls are judged once their numbers are parsed"
            number = phone.e164
            resolution = resolve(call.campaign, call.product, at, phone.region if phone.valid else None)
            pack = resolution.pack
            name = pack_names.get(id(pack))
            if name is None:
                name = pack_names[id(pack)] = f"{pack.id} {pack.version}"
            part.packs_used[name] += 1
            facts = facts_of(phone, call.customer_id, at, at - horizon, resolution.catalog)
            decision = decide(CheckInput(campaign=call.campaign, product=call.product, customer_id=call.customer_id,
                                         purpose=call.purpose), facts, pack, at, want_next=False)
            purpose = decision.purpose  # a purpose the campaign does not declare is judged, and counted, as marketing
            part.calls_by_purpose[purpose] += 1
            found = [(reason.code, reason.detail) for reason in decision.reasons]
            logged = decisions.get(call.decision_id) if call.decision_id else None
            checked = decision_checks(call.decision_id, number, logged, at, pack)
            if logged is not None and not logged.dry_run:
                first = first_call.setdefault(logged.id, call.call_id)
                if first != call.call_id and not any(code == UNCHECKED for code, _ in checked):
                    checked.append((UNCHECKED, {"why": "the decision was used by an earlier call", "decision_id": logged.id,
                                                "first_call_id": first}))
            found.extend(checked)
            for f in call.findings or ():
                found.append((f["code"], {k: f[k] for k in ("rule", "matched", "start", "end", "severity", "message")}))
            customer_ids = facts.customer_ids
            if found:
                zone = zones.get(decision.zone)
                if zone is None:
                    zone = zones[decision.zone] = ZoneInfo(decision.zone)
                hour = at.astimezone(zone).hour
                part.calls_with_violations += 1
                part.violations_by_purpose[purpose] += 1
                agent = call.agent_id or "(none)"
                cid = customer_ids[0] if customer_ids else None
                unchecked = sum(1 for code, _ in found if code == UNCHECKED)
                part.calls_unchecked += unchecked > 0
                part.calls_breaking_rules += unchecked < len(found)
                for code, detail in found:
                    counts[(code, agent, call.campaign, hour)] += 1
                    text = encoded.get(id(detail)) or dumps(detail, ensure_ascii=False, separators=(",", ":"), default=str)
                    rows.append((call.line, call.call_id, code, at, number, cid, call.agent_id, call.campaign, text, decision.zone,
                                 pack.id, pack.version))
                if sink is not None and len(rows) >= sink_every:
                    sink(rows)
                    rows = part.rows = []
            # The call was made: it counts against the caps of the calls after it (a service call does not, as at the check).
            if purpose == "marketing":
                add_attempt(number, customer_ids, Attempt(at=at, disposition=call.disposition))
            part.first = part.first or at
            part.last = at
        for (code, agent, campaign, hour), n in counts.items():
            part.by_code[code] += n
            part.by_agent[agent] += n
            part.by_agent_code[agent][code] += n
            part.by_campaign[campaign] += n
            part.by_hour[hour] += n
        return part


def group_roots(n: int, number_of: Callable[[int], str | None], call_id_of: Callable[[int], str],
                named_of: Callable[[int], str | None], at_of: Callable[[int], datetime], judge: Judge) -> array:
    """For each call 0..n-1, the root of its group: calls that share a number or a customer,
    transitively. Union-find over small integers, to keep a million-call log light; a call with
    no customer (most of a log: the number has no owner and none is named) only looks its number up."""
    ids: dict[str, int] = {}
    parent = array("l")
    owners = judge.h.owners

    def node(key: str) -> int:
        n = ids.get(key)
        if n is None:
            n = ids[key] = len(parent)
            parent.append(n)
        return n

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first = array("l")
    get = ids.get
    for i in range(n):
        number = number_of(i)
        key = number if number else "\0" + call_id_of(i)
        a = get(key)
        if a is None:
            a = ids[key] = len(parent)
            parent.append(a)
        named = named_of(i)
        if named is not None or (number is not None and number in owners):
            owner = judge.h.owner(number, at_of(i)) if number else None
            for cid in customers_of_call(owner, named):
                ra, rb = find(a), find(node("\1" + cid))
                if ra != rb:
                    parent[ra] = rb
        first.append(a)
    del ids
    for i, a in enumerate(first):
        if parent[a] != a:
            first[i] = find(a)
    return first


def partition_roots(roots: array, parts: int) -> list[array]:
    """Calls 0..n-1 with their group roots (`group_roots`) in at most `parts` parts, each in the
    calls' order, a group never split: largest group first, into the lightest part."""
    sizes = Counter(roots)
    loads = [(0, n) for n in range(parts)]  # a heap of (calls, part)
    part_of: dict[int, int] = {}
    for root, size in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        load, n = heapq.heappop(loads)
        part_of[root] = n
        heapq.heappush(loads, (load + size, n))
    del sizes
    out = [array("l") for _ in range(parts)]
    for i, root in enumerate(roots):
        out[part_of[root]].append(i)
    return [a for a in out if a]
