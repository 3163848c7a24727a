"""Audits of call logs: every call judged as of its own time, by the same pure core as /v1/check.

    read_log(stream)      rows of a CSV or JSON Lines log, validated; bad rows rejected with their line
    Auditor.run(...)      the whole audit, streaming:
      1. read and check every row; lint transcripts at once (only the findings are kept)
      2. parse the distinct numbers (in worker processes for large logs)
      3. load the history of every number and customer in the log, set-based: phone ownership,
         customer versions, blacklist entries (removals included), mutes, deferrals, decisions,
         API-configured campaigns and products, script approvals
      4. judge the calls in time order: the pack version in effect at the call, the facts as they
         were then, the caps counted over the log's own earlier calls; `guard.core.decide`
         gives the reasons. Plus UNCHECKED_CALL (no decision, or an unknown / dry-run one, or one
         for another number), CALLED_DESPITE_DENY, and the linter's codes on transcripts.
Violations are written to the store as they are found; the summary counts them by code, agent,
campaign and hour of day (the callee's local hour).
"""

from __future__ import annotations

import bisect
import csv
from array import array
import multiprocessing as mp
import sys
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import IO, Any, Callable, Iterable, Iterator
from zoneinfo import ZoneInfo

from sqlalchemy import String, func, insert, literal, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY

from guard.core.decide import decide
from guard.core.facts import DISPOSITIONS, Attempt, BlacklistEntry, CheckInput, CustomerFacts, Deferral, Facts, Mute
from guard.core.lint import lint
from guard.core.pack import Campaign, Pack, PackSet, Product
from guard.core.pack_schema import parse_instant
from guard.core.text import unstorable
from guard.core.windows import parse_window
from guard.services.batch import parse_many
from guard.store import models as m
from guard.services.streams import CountingReader
from guard.store.db import Store

UTC = timezone.utc
COLUMNS = ("call_id", "phone", "called_at", "campaign", "product", "agent_id", "customer_id", "disposition", "decision_id", "transcript")
REQUIRED = ("call_id", "phone", "called_at", "campaign")
AUDIT_CODES = ("UNCHECKED_CALL", "CALLED_DESPITE_DENY")
MAX_FIELD = {"call_id": 100, "phone": 64, "campaign": 100, "product": 100, "agent_id": 100, "customer_id": 64, "decision_id": 100,
             "transcript": 100_000}
PARALLEL_FROM = 20_000  # smaller logs are judged in-process (forking costs more than it saves)


class LogError(ValueError):
    """The log as a whole cannot be read (no header, missing required columns, not UTF-8 text)."""


# --- reading ------------------------------------------------------------------------------------

def _detect(text: IO[str]) -> tuple[str, str]:
    """('csv' | 'jsonl', first line) from the first non-empty line."""
    for line in text:
        if line.strip():
            return ("jsonl" if line.lstrip().startswith("{") else "csv"), line
    raise LogError("the log is empty")


def read_log(binary: IO[bytes], fmt: str | None = None) -> Iterator[tuple[int, dict[str, str] | None, str | None]]:
    """(line, row, None) for each readable row, (line, None, why) for each unreadable one."""
    text = io.TextIOWrapper(binary if isinstance(binary, io.BufferedIOBase) else io.BufferedReader(binary),  # type: ignore[arg-type]
                            encoding="utf-8-sig", errors="replace", newline="")
    try:
        detected, first = _detect(text)
        fmt = fmt or detected
        if fmt == "jsonl":
            yield from _jsonl(first, text)
        else:
            yield from _csv(first, text)
    finally:
        try:
            text.detach()  # the caller owns (and closes) the stream
        except ValueError:
            pass  # already closed by its owner


def _csv(first: str, text: IO[str]) -> Iterator[tuple[int, dict[str, str] | None, str | None]]:
    def lines() -> Iterator[str]:
        yield first
        yield from text

    reader = csv.reader(lines())
    try:
        header = [h.strip().lower() for h in next(reader)]
    except csv.Error as exc:
        raise LogError(f"line 1: not readable as CSV ({exc})") from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise LogError(f"line 1: the header must name the columns {', '.join(REQUIRED)} (missing: {', '.join(missing)}); "
                       f"optional: {', '.join(c for c in COLUMNS if c not in REQUIRED)}")
    if len(set(header)) != len(header):
        raise LogError("line 1: a column is named twice in the header")
    known = [h if h in COLUMNS else None for h in header]
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, None, f"not readable as CSV ({exc})"
            continue
        line = reader.line_num
        if not record or all(not c.strip() for c in record):
            continue
        if any("\ufffd" in c for c in record):
            yield line, None, "not valid UTF-8"
            continue
        if len(record) != len(header):
            yield line, None, f"{len(record)} fields; the header has {len(header)}"
            continue
        yield line, {k: v for k, v in zip(known, record) if k is not None}, None


def _jsonl(first: str, text: IO[str]) -> Iterator[tuple[int, dict[str, str] | None, str | None]]:
    def lines() -> Iterator[str]:
        yield first
        yield from text

    for n, raw in enumerate(lines(), start=1):
        if not raw.strip():
            continue
        if "\ufffd" in raw:
            yield n, None, "not valid UTF-8"
            continue
        try:
            obj = json.loads(raw)
        except ValueError as exc:
            yield n, None, f"not a JSON object ({exc.args[0] if exc.args else exc})"
            continue
        if not isinstance(obj, dict):
            yield n, None, "not a JSON object"
            continue
        bad = [k for k, v in obj.items() if k in COLUMNS and v is not None and not isinstance(v, (str, int))]
        if bad:
            yield n, None, f"{bad[0]}: must be a string"
            continue
        yield n, {k: ("" if v is None else str(v)) for k, v in obj.items() if k in COLUMNS}, None


# --- the judged call ------------------------------------------------------------------------------

@dataclass(slots=True)
class Call:
    line: int
    call_id: str
    phone_raw: str
    at: datetime
    campaign: str
    product: str | None
    agent_id: str | None
    customer_id: str | None
    disposition: str | None
    decision_id: str | None
    findings: list[dict] | None  # transcript lint findings (already judged)


def check_row(line: int, row: dict[str, str]) -> tuple[Call | None, str | None]:
    cells = {k: (row.get(k) or "").strip() for k in COLUMNS}
    for k in REQUIRED:
        if not cells[k]:
            return None, f"{k}: empty"
    for k, value in cells.items():
        problem = unstorable(value)
        if problem:
            return None, f"{k}: {problem}"
    for k, limit in MAX_FIELD.items():
        if len(cells[k]) > limit:
            return None, f"{k}: longer than {limit} characters"
    at = parse_instant(cells["called_at"])
    if at is None:
        return None, f"called_at: {cells['called_at']!r} is not an ISO 8601 date-time with a UTC offset"
    if cells["disposition"] and cells["disposition"] not in DISPOSITIONS:
        return None, f"disposition: {cells['disposition']!r} is not one of {', '.join(DISPOSITIONS)}"
    # Campaigns, products, agents and dispositions repeat across a log: one string object each.
    return Call(line, cells["call_id"], cells["phone"], at.astimezone(UTC), sys.intern(cells["campaign"]),
                sys.intern(cells["product"]) if cells["product"] else None, sys.intern(cells["agent_id"]) if cells["agent_id"] else None,
                cells["customer_id"] or None, sys.intern(cells["disposition"]) if cells["disposition"] else None,
                cells["decision_id"] or None, None), None


# --- history, loaded set-based ----------------------------------------------------------------------

def _valid_at(rows: list, at: datetime, start: str = "valid_from", end: str = "valid_to") -> Any:
    """The row whose [start, end) holds `at` (the latest-starting one), else None."""
    best = None
    for r in rows:
        s, e = getattr(r, start), getattr(r, end)
        if s <= at and (e is None or e > at) and (best is None or s >= getattr(best, start)):
            best = r
    return best


@dataclass
class History:
    owners: dict[str, list] = field(default_factory=dict)  # phone -> customer_phones rows
    customers: dict[str, list] = field(default_factory=dict)  # customer -> versions
    blacklist_phone: dict[str, list] = field(default_factory=dict)
    blacklist_customer: dict[str, list] = field(default_factory=dict)
    mutes_customer: dict[str, list] = field(default_factory=dict)
    mutes_phone: dict[str, list] = field(default_factory=dict)
    deferrals_phone: dict[str, list] = field(default_factory=dict)
    deferrals_customer: dict[str, list] = field(default_factory=dict)
    decisions: dict[str, Any] = field(default_factory=dict)
    campaigns: dict[str, list] = field(default_factory=dict)
    products: dict[str, list] = field(default_factory=dict)
    approvals: dict[str, list[datetime]] = field(default_factory=dict)
    _customer_cache: dict = field(default_factory=dict)

    def owner_at(self, phone: str, at: datetime) -> str | None:
        row = _valid_at(self.owners.get(phone, ()), at)
        return row.customer_id if row is not None else None

    def customer_at(self, cid: str, at: datetime) -> CustomerFacts:
        row = _valid_at(self.customers.get(cid, ()), at)
        if row is None:
            return CustomerFacts(id=cid)
        cached = self._customer_cache.get(row.id)
        if cached is None:
            cached = CustomerFacts(
                id=cid, phones=tuple(row.phones or ()), risk_level=row.risk_level, risk_assessed_at=row.risk_assessed_at,
                tags=frozenset(row.tags or ()), windows=tuple(parse_window(w) for w in row.windows or ()), timezone=row.timezone)
            self._customer_cache[row.id] = cached
        return cached


def load_history(store: Store, phones: list[str], customer_ids: set[str], decision_ids: list[str]) -> History:
    """Every row of history that bears on these numbers, customers and decisions, in a few statements
    (the lists go to the database as one JSON array / array parameter, not as bind lists)."""
    h = History()
    cp, cv, bl = m.CustomerPhone.__table__, m.CustomerVersion.__table__, m.BlacklistEntry.__table__
    mu, de, dc = m.Mute.__table__, m.Deferral.__table__, m.Decision.__table__
    sqlite = store.dialect == "sqlite"

    def among(column: Any, values: list[str]) -> Any:
        name = f"v{abs(hash(str(column)))}"
        if sqlite:
            clause = text(f"{column.table.name}.{column.name} IN (SELECT value FROM json_each(:{name}))")
            return clause.bindparams(**{name: json.dumps(values)})
        return column == func.any(literal(values, type_=ARRAY(String)))

    with store.read() as conn:
        for r in conn.execute(select(cp).where(among(cp.c.phone_e164, phones))).all():
            h.owners.setdefault(r.phone_e164, []).append(r)
        cids = sorted(customer_ids | {r.customer_id for rows in h.owners.values() for r in rows})
        for r in conn.execute(select(cv).where(among(cv.c.customer_id, cids))).all():
            h.customers.setdefault(r.customer_id, []).append(r)
        all_phones = sorted(set(phones) | {p for rows in h.customers.values() for r in rows for p in (r.phones or ())})
        for r in conn.execute(select(bl).where(among(bl.c.phone_e164, all_phones))).all():
            h.blacklist_phone.setdefault(r.phone_e164, []).append(r)
        for r in conn.execute(select(mu).where(among(mu.c.phone_e164, all_phones))).all():
            h.mutes_phone.setdefault(r.phone_e164, []).append(r)
        for r in conn.execute(select(de).where(among(de.c.phone_e164, all_phones))).all():
            h.deferrals_phone.setdefault(r.phone_e164, []).append(r)
        for r in conn.execute(select(bl).where(bl.c.phone_e164.is_(None), among(bl.c.customer_id, cids))).all():
            h.blacklist_customer.setdefault(r.customer_id, []).append(r)
        for r in conn.execute(select(mu).where(among(mu.c.customer_id, cids))).all():
            h.mutes_customer.setdefault(r.customer_id, []).append(r)
        for r in conn.execute(select(de).where(among(de.c.customer_id, cids))).all():
            h.deferrals_customer.setdefault(r.customer_id, []).append(r)
        for r in conn.execute(select(dc.c.id, dc.c.allowed, dc.c.dry_run, dc.c.phone_e164, dc.c.at, dc.c.reasons)
                              .where(among(dc.c.id, decision_ids))).all():
            h.decisions[r.id] = r
        for r in conn.execute(select(m.ConfigCampaign.__table__)).all():
            h.campaigns.setdefault(r.campaign_id, []).append(r)
        for r in conn.execute(select(m.ConfigProduct.__table__)).all():
            h.products.setdefault(r.code, []).append(r)
        sc = m.Script.__table__
        for campaign, approved in conn.execute(select(sc.c.campaign, sc.c.approved_at).where(sc.c.approved_at.is_not(None))).all():
            h.approvals.setdefault(campaign, []).append(approved)
    return h


# --- the audit ----------------------------------------------------------------------------------

@dataclass
class Progress:
    bytes_total: int | None
    bytes_done: int = 0
    rows: int = 0
    judged: int = 0
    rejected: int = 0
    violations: int = 0
    stage: str = "reading"


NO_DECISION = {"why": "no decision_id"}
_EMPTY: list = []
_MISSING = object()
_CONSTANT_DETAILS = (NO_DECISION,)


@dataclass
class Part:
    """What judging a set of calls found: violation rows and the counts the summary needs."""

    rows: list[tuple] = field(default_factory=list)
    by_code: Counter = field(default_factory=Counter)
    by_agent: Counter = field(default_factory=Counter)
    by_campaign: Counter = field(default_factory=Counter)
    by_hour: Counter = field(default_factory=Counter)
    by_agent_code: dict = field(default_factory=lambda: defaultdict(Counter))
    packs_used: Counter = field(default_factory=Counter)
    calls: int = 0
    calls_with_violations: int = 0
    first: datetime | None = None
    last: datetime | None = None

    def merge(self, other: "Part") -> None:
        for name in ("by_code", "by_agent", "by_campaign", "by_hour", "packs_used"):
            getattr(self, name).update(getattr(other, name))
        for agent, counts in other.by_agent_code.items():
            self.by_agent_code[agent].update(counts)
        self.calls += other.calls
        self.calls_with_violations += other.calls_with_violations
        if other.first is not None:
            self.first = other.first if self.first is None else min(self.first, other.first)
            self.last = other.last if self.last is None else max(self.last, other.last)


class PackResolver:
    """The pack governing a campaign at an instant, memoised: between two consecutive effective_from
    instants of any pack version, every campaign resolves the same way."""

    def __init__(self, packs: PackSet):
        self.packs = packs
        self._boundaries = sorted({p.effective_from for pid in packs.ids() for p in packs.timelines[pid].versions})
        self._cache: dict[tuple, Pack | None] = {}

    def at(self, campaign: str, at: datetime) -> Pack | None:
        key = (campaign, bisect.bisect_right(self._boundaries, at))
        hit = self._cache.get(key, _MISSING)
        if hit is _MISSING:
            hit = self._cache[key] = self.packs.campaign_pack(campaign, at) or self.packs.at(self.packs.default_id, at)
        return hit  # type: ignore[return-value]


class Judge:
    """Judges calls in time order; pure apart from reading the loaded history (no store, no clock)."""

    def __init__(self, packs: PackSet, history: History, phones: dict, audit_id: str, ts: Callable[[datetime], Any]):
        self.packs, self.h, self.phones, self.audit_id, self.ts = packs, history, phones, audit_id, ts
        windows = [c.window for pid in packs.ids() for p in packs.timelines[pid].versions
                   for c in (*p.caps_normal, *(p.caps_sensitive or ()))]
        self.horizon = max(windows, default=timedelta(0))
        self._catalog_cache: dict[tuple, tuple] = {}
        self.resolver = PackResolver(packs)

    def pack(self, call: Call) -> Pack | None:
        return self.resolver.at(call.campaign, call.at)

    def customer_of(self, call: Call, number: str | None) -> str | None:
        """The customer named in the log, else the number's owner at the call's time."""
        return call.customer_id or (self.h.owner_at(number, call.at) if number else None)

    def judge(self, calls: Iterable[Call], sink: Callable[[list[tuple]], None] | None = None, sink_every: int = 20_000) -> Part:
        """Judge calls (in time order). With `sink`, violation rows are handed over every `sink_every`
        rows instead of piling up in the returned Part (bounded memory)."""
        part = Part()
        h = self.h
        # Recent calls per number and per customer, oldest first (short lists: only the longest cap window).
        by_number: dict[str, list[Attempt]] = {}
        by_customer: dict[str, list[Attempt]] = {}
        zones: dict[str, ZoneInfo] = {}
        encoded: dict[int, str] = {id(d): json.dumps(d) for d in _CONSTANT_DETAILS}
        for call in calls:
            part.calls += 1
            at = call.at
            pack = self.pack(call)
            assert pack is not None  # rows without a pack in effect were rejected while reading
            part.packs_used[f"{pack.id} {pack.version}"] += 1
            phone = self.phones[call.phone_raw]
            number = phone.e164
            cid = self.customer_of(call, number)
            customer = h.customer_at(cid, at) if cid else None
            # Most calls have no history at all: look before building anything.
            bl_rows: list = []
            for p in (customer.phones if customer else ()):
                bl_rows.extend(h.blacklist_phone.get(p, ()))
            if number and not (customer and number in customer.phones):
                bl_rows.extend(h.blacklist_phone.get(number, ()))
            if cid:
                bl_rows.extend(h.blacklist_customer.get(cid, ()))
            blacklist = tuple(
                BlacklistEntry(id=r.id, source=r.source, added_at=r.added_at, phone=r.phone_e164, customer_id=r.customer_id,
                               reason=r.reason, expires_at=r.expires_at)
                for r in bl_rows if r.added_at <= at and (r.removed_at is None or r.removed_at > at)
            ) if bl_rows else ()
            mu_rows = [*(h.mutes_customer.get(cid, ()) if cid else ()), *(h.mutes_phone.get(number, ()) if number else ())]
            mutes = tuple(
                Mute(id=r.id, customer_id=r.customer_id, starts_at=r.starts_at, ends_at=r.ends_at, reason=r.reason, phone=r.phone_e164)
                for r in {r.id: r for r in mu_rows}.values() if r.created_at <= at and (r.lifted_at is None or r.lifted_at > at)
            ) if mu_rows else ()
            de_rows = [*(h.deferrals_phone.get(number, ()) if number else ()), *(h.deferrals_customer.get(cid, ()) if cid else ())]
            deferrals = tuple(
                Deferral(id=r.id, not_before=r.not_before, phone=r.phone_e164, customer_id=r.customer_id)
                for r in {r.id: r for r in de_rows}.values() if r.created_at <= at and (r.cancelled_at is None or r.cancelled_at > at)
            ) if de_rows else ()
            since = at - self.horizon
            n_q = by_number.get(number, _EMPTY) if number else _EMPTY
            c_q = by_customer.get(cid, _EMPTY) if cid else _EMPTY
            if n_q and n_q[0].at <= since:
                n_q = by_number[number] = [a for a in n_q if a.at > since]
            if c_q and c_q[0].at <= since:
                c_q = by_customer[cid] = [a for a in c_q if a.at > since]
            campaign, products, script = self._catalog(call, pack)
            facts = Facts(phone=phone, customer=customer, blacklist=blacklist, mutes=mutes, deferrals=deferrals,
                          number_attempts=tuple(n_q), customer_attempts=tuple(c_q), campaign=campaign, products=products,
                          has_approved_script=script)
            decision = decide(CheckInput(campaign=call.campaign, product=call.product, customer_id=cid), facts, pack, at, want_next=False)
            zone = zones.get(decision.zone)
            if zone is None:
                zone = zones[decision.zone] = ZoneInfo(decision.zone)
            hour = at.astimezone(zone).hour
            found = []
            for reason in decision.reasons:
                found.append((reason.code, reason.detail))
            found.extend(self._decision_checks(call, number))
            for f in call.findings or ():
                found.append((f["code"], {k: f[k] for k in ("rule", "matched", "start", "end", "severity", "message")}))
            if found:
                part.calls_with_violations += 1
                agent = call.agent_id or "(none)"
                stamp = self.ts(at)
                for code, detail in found:
                    part.by_code[code] += 1
                    part.by_agent[agent] += 1
                    part.by_agent_code[agent][code] += 1
                    part.by_campaign[call.campaign] += 1
                    part.by_hour[hour] += 1
                    text = encoded.get(id(detail)) or json.dumps(detail, ensure_ascii=False, separators=(",", ":"), default=str)
                    part.rows.append((self.audit_id, call.line, call.call_id, code, stamp, number, cid, call.agent_id, call.campaign, text))
            if sink is not None and len(part.rows) >= sink_every:
                sink(part.rows)
                part.rows = []
            attempt = Attempt(at=at, disposition=call.disposition)
            if number:
                by_number.setdefault(number, []).append(attempt)
            if cid:
                by_customer.setdefault(cid, []).append(attempt)
            part.first = part.first or at
            part.last = at
        return part

    def _decision_checks(self, call: Call, number: str | None) -> list[tuple[str, dict]]:
        if not call.decision_id:
            return [("UNCHECKED_CALL", NO_DECISION)]
        d = self.h.decisions.get(call.decision_id)
        if d is None:
            return [("UNCHECKED_CALL", {"why": "unknown decision", "decision_id": call.decision_id})]
        if d.dry_run:
            return [("UNCHECKED_CALL", {"why": "the decision was a dry run", "decision_id": d.id})]
        if number is not None and d.phone_e164 is not None and d.phone_e164 != number:
            return [("UNCHECKED_CALL", {"why": "the decision was for another number", "decision_id": d.id, "decision_phone": d.phone_e164})]
        if not d.allowed:
            return [("CALLED_DESPITE_DENY", {"decision_id": d.id, "reasons": [r["code"] for r in d.reasons]})]
        return []

    def _catalog(self, call: Call, pack: Pack) -> tuple[Campaign | None, dict[str, Product], bool]:
        """The campaign, its products and whether an approved script existed, as of the call."""
        h = self.h
        if call.campaign not in h.campaigns and not h.products:
            key = (pack.hash, call.campaign, call.product)
            hit = self._catalog_cache.get(key)
            if hit is None:
                hit = self._catalog_cache[key] = self._catalog_at(call, pack)
            campaign, products, _ = hit
            script = bool(campaign and campaign.require_approved_script and any(a <= call.at for a in h.approvals.get(call.campaign, ())))
            return campaign, products, script
        return self._catalog_at(call, pack)

    def _catalog_at(self, call: Call, pack: Pack) -> tuple[Campaign | None, dict[str, Product], bool]:
        at, h = call.at, self.h
        configured = _valid_at(h.campaigns.get(call.campaign, ()), at)
        if configured is not None:
            d = configured.data
            campaign: Campaign | None = Campaign(id=call.campaign, products=tuple(d.get("products", ())),
                                                 require_approved_script=bool(d.get("require_approved_script")), name=d.get("name"),
                                                 pack=d.get("pack"))
        else:
            campaign = pack.campaigns.get(call.campaign)
        codes = set(campaign.products if campaign else ()) | ({call.product} if call.product else set())
        products = {c: pack.products[c] for c in codes if c in pack.products}
        for code in codes:
            row = _valid_at(h.products.get(code, ()), at)
            if row is not None:
                d = row.data
                products[code] = Product(code=code, type=d["type"], risk=d["risk"],
                                         needs_risk_assessment=bool(d.get("needs_risk_assessment", True)), name=d.get("name"))
        script = bool(campaign and campaign.require_approved_script and any(a <= at for a in h.approvals.get(call.campaign, ())))
        return campaign, products, script


def components(calls: list[Call], judge: Judge) -> list[array]:
    """Groups of calls (indices, in time order) that share a number or a customer, transitively:
    caps never cross groups. Union-find over small integers, to keep a million-call log light."""
    ids: dict[str, int] = {}
    parent = array("l")

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
    for call in calls:
        number = judge.phones[call.phone_raw].e164
        cid = judge.customer_of(call, number)
        a = node(number) if number else node("\0" + call.call_id)
        if cid:
            ra, rb = find(a), find(node("\1" + cid))
            if ra != rb:
                parent[ra] = rb
        first.append(a)
    del ids
    groups: dict[int, array] = {}
    for i, a in enumerate(first):
        root = find(a)
        g = groups.get(root)
        if g is None:
            g = groups[root] = array("l")
        g.append(i)
    return list(groups.values())


_FORKED: tuple | None = None  # (judge, calls) handed to forked workers


def _judge_group(indices: array) -> Part:
    judge, calls = _FORKED  # type: ignore[misc]
    return judge.judge(calls[i] for i in indices)


class Auditor:
    """Runs one audit: read, load history, judge (in `workers` forked processes), write, summarise."""

    def __init__(self, store: Store, packs: PackSet, audit_id: str, on_progress: Callable[[Progress], None] | None = None,
                 workers: int = 1, flush_every: int = 5000):
        self.store = store
        self.packs = packs
        self.audit_id = audit_id
        self.on_progress = on_progress
        self.workers = workers
        self.flush_every = flush_every
        self._rejects: list[dict] = []
        self.total = Part()
        dialect = store.dialect
        cols = ("audit_id", "line", "call_id", "code", "called_at", "phone_e164", "customer_id", "agent_id", "campaign", "detail")
        marks = ", ".join("?" for _ in cols) if dialect == "sqlite" else ", ".join(["%s"] * len(cols))
        self._insert = f"INSERT INTO audit_violations ({', '.join(cols)}) VALUES ({marks})"

    def _reject(self, line: int, why: str) -> None:
        self.progress.rejected += 1
        self._rejects.append({"audit_id": self.audit_id, "line": line, "reason": why})
        if len(self._rejects) >= self.flush_every:
            self._flush([])

    def _flush(self, rows: list[tuple]) -> None:
        with self.store.read() as conn:
            if rows:
                cur = self.store.cursor(conn)
                for i in range(0, len(rows), 10_000):
                    cur.executemany(self._insert, rows[i:i + 10_000])
            if self._rejects:
                conn.execute(insert(m.AuditReject.__table__), self._rejects)
                self._rejects = []
            conn.execute(update(m.Audit.__table__).where(m.Audit.__table__.c.id == self.audit_id).values(
                bytes_done=self.progress.bytes_done, rows_done=self.progress.rows, calls_judged=self.progress.judged,
                rows_rejected=self.progress.rejected, violations=self.progress.violations))

    def _tick(self, force: bool = False) -> None:
        if self.on_progress is not None and (force or self.progress.rows % 2000 == 0):
            self.on_progress(self.progress)

    def run(self, binary: IO[bytes], size: int | None, fmt: str | None = None) -> dict:
        global _FORKED
        self.progress = Progress(bytes_total=size)
        counter = CountingReader(binary)
        calls: list[Call] = []
        seen: dict[str, int] = {}
        resolver = PackResolver(self.packs)
        for line, row, why in read_log(io.BufferedReader(counter, 1 << 16), fmt):
            self.progress.rows += 1
            self.progress.bytes_done = counter.count
            if row is None:
                self._reject(line, why or "unreadable")
                continue
            call, why = check_row(line, row)
            if call is None:
                self._reject(line, why or "invalid")
                continue
            pack = resolver.at(call.campaign, call.at)
            if pack is None:
                self._reject(line, f"called_at: no policy pack version is in effect at {call.at.isoformat()}")
                continue
            if call.call_id in seen:
                self._reject(line, f"call_id: {call.call_id!r} repeats line {seen[call.call_id]}")
                continue
            seen[call.call_id] = line
            transcript = (row.get("transcript") or "").strip()
            if transcript:
                call.findings = self._lint(call, pack, transcript)
            calls.append(call)
            self._tick()
        del seen
        self.progress.stage = "loading history"
        self._flush([])
        self._tick(force=True)
        calls.sort(key=lambda c: (c.at, c.line))
        first_pack = self.packs.at(self.packs.default_id, calls[0].at) if calls else None
        region = first_pack.region if first_pack else "CN"
        phones = parse_many([c.phone_raw for c in calls], region)
        numbers = sorted({p.e164 for p in phones.values() if p.valid})
        history = load_history(self.store, numbers, {c.customer_id for c in calls if c.customer_id},
                               sorted({c.decision_id for c in calls if c.decision_id}))
        judge = Judge(self.packs, history, phones, self.audit_id, self.store.queries.ts)
        self.progress.stage = "judging"
        self._tick(force=True)
        if self.workers <= 1 or len(calls) < PARALLEL_FROM:
            self._take(judge.judge(calls, sink=self._sink))
        else:
            groups = components(calls, judge)
            tasks = [array("l") for _ in range(self.workers * 16)]  # small parts: bounded memory, steady progress
            groups.sort(key=len, reverse=True)
            for g in groups:  # largest first, into the lightest task
                min(tasks, key=len).extend(g)
            del groups
            tasks = [array("l", sorted(t)) for t in tasks]  # time order within a task (calls are sorted)
            _FORKED = (judge, calls)
            try:
                with mp.get_context("fork").Pool(self.workers) as pool:
                    for part in pool.imap_unordered(_judge_group, [t for t in tasks if t]):
                        self._take(part)
            finally:
                _FORKED = None
        self.progress.stage = "done"
        self._flush([])
        self._tick(force=True)
        return self.summary()

    def _sink(self, rows: list[tuple]) -> None:
        self.progress.violations += len(rows)
        self._flush(rows)

    def _take(self, part: Part) -> None:
        self.total.merge(part)
        self.progress.judged += part.calls
        self.progress.violations += len(part.rows)
        self._flush(part.rows)
        self._tick(force=True)

    def _lint(self, call: Call, pack: Pack, transcript: str) -> list[dict]:
        product = pack.products.get(call.product) if call.product else None
        if product is None and call.campaign in pack.campaigns and pack.campaigns[call.campaign].products:
            product = pack.products.get(pack.campaigns[call.campaign].products[0])
        return [f.to_dict() for f in lint(transcript, product.type if product else None, pack).findings]

    def summary(self) -> dict:
        t = self.total
        return {
            "rows": self.progress.rows,
            "calls_judged": self.progress.judged,
            "rows_rejected": self.progress.rejected,
            "violations": self.progress.violations,
            "calls_with_violations": t.calls_with_violations,
            "period": {"from": t.first.isoformat() if t.first else None, "to": t.last.isoformat() if t.last else None},
            "by_code": dict(t.by_code.most_common()),
            "by_agent": dict(t.by_agent.most_common()),
            "by_campaign": dict(t.by_campaign.most_common()),
            "by_hour": {str(h): t.by_hour.get(h, 0) for h in range(24)},
            "worst_agents": [{"agent_id": a, "violations": n, "by_code": dict(t.by_agent_code[a].most_common())}
                             for a, n in t.by_agent.most_common(10)],
            "worst_campaigns": [{"campaign": c, "violations": n} for c, n in t.by_campaign.most_common(10)],
            "packs": dict(t.packs_used.most_common()),
        }
