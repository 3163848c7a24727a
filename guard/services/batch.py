"""List scrubbing: `POST /v1/check/batch` — up to 100,000 numbers judged at one instant, recording nothing.

Set-based: the numbers are parsed once each (memoised by input string; large lists in worker
processes on every core), then the facts of the whole list are read in a handful of queries
(owners, customers, attempts, blacklist, mutes, deferrals: each one statement over the list),
and the pure core decides each number from its slice of them. Numbers with no history at all
share their decision per time-zone set, so a list of fresh numbers costs one decide() per zone.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Sequence

from guard.core.decide import decide
from guard.core.facts import Attempt, BlacklistEntry, CheckInput, CustomerFacts, Decision, Deferral, Facts, Mute
from guard.core.phones import PhoneInfo, cn_mobile, parse_phone
from guard.core.windows import parse_window
from guard.services.check import Guard, longest_window, products_for, resolve_campaign
from guard.store.db import Store

PARALLEL_FROM = 20_000  # below this, parsing in one process is faster than shipping the work
CHUNK = 5_000

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _workers() -> ProcessPoolExecutor:
    """One pool per process, started on first use from a forkserver (safe in a threaded server)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=max(1, mp.cpu_count()), mp_context=mp.get_context("forkserver"))
        return _pool


def _parse_chunk(raws: list[str], region: str) -> list[tuple]:
    out = []
    for raw in raws:
        p = parse_phone.__wrapped__(raw, region)
        out.append((p.valid, p.e164, p.region, p.time_zones, p.why))
    return out


def parse_many(raws: Sequence[str], region: str) -> dict[str, PhoneInfo]:
    """Every distinct input string parsed once. Plain CN mobile numbers take the fast path here;
    when many others remain, they are parsed in worker processes. Large lists bypass the
    parse memo (they would only flush it)."""
    distinct = list(dict.fromkeys(raws))
    if len(distinct) < PARALLEL_FROM:
        return {raw: parse_phone(raw, region) for raw in distinct}
    out: dict[str, PhoneInfo] = {}
    rest: list[str] = []
    zones = ("Asia/Shanghai",)
    for raw in distinct:
        nsn = cn_mobile(raw, region)
        if nsn is not None:
            out[raw] = PhoneInfo(raw=raw, valid=True, e164="+86" + nsn, region="CN", time_zones=zones)
        else:
            rest.append(raw)
    if len(rest) < PARALLEL_FROM:
        out.update((raw, parse_phone.__wrapped__(raw, region)) for raw in rest)
        return out
    chunks = [rest[i:i + CHUNK] for i in range(0, len(rest), CHUNK)]
    pool = _workers()
    for chunk, parsed in zip(chunks, pool.map(_parse_chunk, chunks, [region] * len(chunks))):
        for raw, (valid, e164, reg, zones_, why) in zip(chunk, parsed):
            out[raw] = PhoneInfo(raw=raw, valid=valid, e164=e164, region=reg, time_zones=zones_, why=why)
    return out


@dataclass
class ListFacts:
    owner: dict[str, str]
    customers: dict[str, CustomerFacts]
    number_attempts: dict[str, list[Attempt]]
    customer_attempts: dict[str, list[Attempt]]
    blacklist_by_phone: dict[str, list[BlacklistEntry]]
    blacklist_by_customer: dict[str, list[BlacklistEntry]]
    mutes_by_phone: dict[str, list[Mute]]
    mutes_by_customer: dict[str, list[Mute]]
    deferrals_by_phone: dict[str, list[Deferral]]
    deferrals_by_customer: dict[str, list[Deferral]]


def _in(store: Store, name: str) -> str:
    return f"IN (SELECT value FROM json_each(:{name}))" if store.dialect == "sqlite" else f"= ANY(:{name})"


def gather_list(store: Store, cur: Any, numbers: list[str], since: datetime, now: datetime) -> ListFacts:
    q = store.queries

    def run(sql: str, params: dict[str, Any]) -> list[tuple]:
        cur.execute(q._style(sql), params)
        return cur.fetchall()

    lst = q._list
    owner = dict(run(f"SELECT phone_e164, customer_id FROM customer_phones WHERE valid_to IS NULL AND phone_e164 {_in(store, 'numbers')}",
                     {"numbers": lst(numbers)}))
    cids = sorted(set(owner.values()))
    customers: dict[str, CustomerFacts] = {}
    for cid, phones, level, assessed, tags, windows, tz in run(
        "SELECT customer_id, phones, risk_level, risk_assessed_at, tags, windows, timezone FROM customer_versions "
        f"WHERE valid_to IS NULL AND customer_id {_in(store, 'cids')}", {"cids": lst(cids)}
    ):
        customers[cid] = CustomerFacts(
            id=cid, phones=tuple(q.read_json(phones) or ()), risk_level=level, risk_assessed_at=q.read_ts(assessed),
            tags=frozenset(q.read_json(tags) or ()), windows=tuple(parse_window(w) for w in q.read_json(windows) or ()), timezone=tz,
        )
    all_phones = sorted(set(numbers) | {p for c in customers.values() for p in c.phones})
    facts = ListFacts(owner, customers, {}, {}, {}, {}, {}, {}, {}, {})
    for kind, key, at, disposition in run(
        f"SELECT 'n', phone_e164, at, disposition FROM attempts WHERE phone_e164 {_in(store, 'numbers')} AND at > :since "
        f"UNION ALL SELECT 'c', customer_id, at, disposition FROM attempts WHERE customer_id {_in(store, 'cids')} AND at > :since",
        {"numbers": lst(numbers), "cids": lst(cids), "since": q.ts(since)},
    ):
        target = facts.number_attempts if kind == "n" else facts.customer_attempts
        target.setdefault(key, []).append(Attempt(at=q.read_ts(at), disposition=disposition))
    for ident, source, reason, phone, cid, added, expires in run(
        "SELECT id, source, reason, phone_e164, customer_id, added_at, expires_at FROM blacklist_entries "
        f"WHERE removed_at IS NULL AND (phone_e164 {_in(store, 'phones')} OR (phone_e164 IS NULL AND customer_id {_in(store, 'cids')}))",
        {"phones": lst(all_phones), "cids": lst(cids)},
    ):
        entry = BlacklistEntry(id=ident, source=source, added_at=q.read_ts(added), phone=phone, customer_id=cid, reason=reason,
                               expires_at=q.read_ts(expires))
        if phone is not None:
            facts.blacklist_by_phone.setdefault(phone, []).append(entry)
        else:
            facts.blacklist_by_customer.setdefault(cid, []).append(entry)
    for ident, reason, phone, cid, starts, ends in run(
        "SELECT id, reason, phone_e164, customer_id, starts_at, ends_at FROM mutes WHERE lifted_at IS NULL AND ends_at > :now "
        f"AND (customer_id {_in(store, 'cids')} OR phone_e164 {_in(store, 'numbers')})",
        {"cids": lst(cids), "numbers": lst(numbers), "now": q.ts(now)},
    ):
        mute = Mute(id=ident, customer_id=cid, starts_at=q.read_ts(starts), ends_at=q.read_ts(ends), reason=reason, phone=phone)
        if cid is not None:
            facts.mutes_by_customer.setdefault(cid, []).append(mute)
        if phone is not None:
            facts.mutes_by_phone.setdefault(phone, []).append(mute)
    for ident, phone, cid, not_before in run(
        "SELECT id, phone_e164, customer_id, not_before FROM deferrals WHERE cancelled_at IS NULL AND not_before > :now "
        f"AND (phone_e164 {_in(store, 'numbers')} OR customer_id {_in(store, 'cids')})",
        {"numbers": lst(numbers), "cids": lst(cids), "now": q.ts(now)},
    ):
        d = Deferral(id=ident, not_before=q.read_ts(not_before), phone=phone, customer_id=cid)
        if phone is not None:
            facts.deferrals_by_phone.setdefault(phone, []).append(d)
        if cid is not None:
            facts.deferrals_by_customer.setdefault(cid, []).append(d)
    return facts


def _unique(items: list) -> tuple:
    seen, out = set(), []
    for x in items:
        if x.id not in seen:
            seen.add(x.id)
            out.append(x)
    return tuple(out)


def check_list(guard: Guard, campaign_id: str, raws: Sequence[str], at: datetime | None, region: str | None,
               product: str | None) -> tuple[list[dict], Any]:
    """Judge every number at `at` (default now); return the results in input order and the pack."""
    packs = guard.packs()
    store = guard.store
    now = at or guard.clock()
    with store.read() as conn:
        cur = store.cursor(conn)
        pack, campaign = resolve_campaign(store.queries, cur, packs, campaign_id, now)
        products = products_for(store.queries, cur, pack, campaign, product)
        script = bool(campaign and campaign.require_approved_script and store.queries.has_approved_script(cur, campaign.id))
        phones = parse_many(raws, region or pack.region)
        numbers = sorted({p.e164 for p in phones.values() if p.valid})
        lf = gather_list(store, cur, numbers, now - longest_window(pack), now)

    request = CheckInput(campaign=campaign_id, product=product)
    shared: dict[tuple, Decision] = {}
    by_raw: dict[str, Decision] = {}
    for raw, phone in phones.items():
        number = phone.e164
        cid = lf.owner.get(number) if number else None
        customer = lf.customers.get(cid) if cid else None
        cphones = customer.phones if customer else ()
        blacklist = _unique([e for p in {number, *cphones} if p for e in lf.blacklist_by_phone.get(p, ())]
                            + list(lf.blacklist_by_customer.get(cid, ())))
        mutes = _unique(list(lf.mutes_by_customer.get(cid, ())) + list(lf.mutes_by_phone.get(number, ())))
        deferrals = _unique(list(lf.deferrals_by_phone.get(number, ())) + list(lf.deferrals_by_customer.get(cid, ())))
        n_att = tuple(lf.number_attempts.get(number, ())) if number else ()
        c_att = tuple(lf.customer_attempts.get(cid, ())) if cid else ()
        if phone.valid and cid is None and not (blacklist or mutes or deferrals or n_att):
            key = (phone.region, phone.time_zones)
            if key not in shared:
                shared[key] = decide(request, Facts(phone=phone, campaign=campaign, products=products, has_approved_script=script), pack, now)
            by_raw[raw] = shared[key]
            continue
        facts = Facts(phone=phone, customer=customer, blacklist=blacklist, mutes=mutes, deferrals=deferrals, number_attempts=n_att,
                      customer_attempts=c_att, campaign=campaign, products=products, has_approved_script=script)
        by_raw[raw] = decide(CheckInput(campaign=campaign_id, product=product, customer_id=cid), facts, pack, now)

    results = []
    for raw in raws:
        d = by_raw[raw]
        results.append((raw, phones[raw].e164, d))
    return results, pack


def encode(results: list, pack: Any, now: datetime) -> bytes:
    """The response body, encoded once per distinct decision (lists repeat decisions a lot)."""
    from zoneinfo import ZoneInfo

    from guard.services.decisions import reason_out

    cache: dict[int, str] = {}
    parts = []
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    for raw, e164, d in results:
        tail = cache.get(id(d))
        if tail is None:
            zone = ZoneInfo(d.zone)
            tail = json.dumps({
                "allowed": d.allowed,
                "reasons": [reason_out({"code": r.code, "message": r.message, "detail": r.detail}) for r in d.reasons],
                "next_allowed_at": d.next_allowed_at.astimezone(zone).isoformat() if d.next_allowed_at else None,
            }, ensure_ascii=False, separators=(",", ":"))[1:]
            cache[id(d)] = tail
        number = f'"{e164}"' if e164 else "null"  # E.164 is digits and '+': nothing to escape
        parts.append(f'{{"phone":{dumps(raw)},"phone_e164":{number},{tail}')
    meta = json.dumps({"policy": {"pack": pack.id, "version": pack.version, "hash": pack.hash}, "evaluated_at": now.isoformat(),
                       "count": len(results)}, ensure_ascii=False, separators=(",", ":"))[1:-1]
    return ("{\"results\":[" + ",".join(parts) + "]," + meta + "}").encode()
