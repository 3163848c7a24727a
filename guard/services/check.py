"""The pre-call check: gather facts -> core.decide -> record, in one transaction.

Exactness under concurrency: a non-dry-run check runs in one transaction that first takes a
lock on the number, then (once the number's customer is known) on the customer, and only then
reads the attempts, decides and records the new attempt. Two dialers asking about the same
number or the same customer therefore take turns, and the second one counts the first one's
attempt. Locks are always taken number-then-customer, and a transaction holds at most one
number lock, so two checks can never wait on each other in a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from guard.core.decide import decide
from guard.core.facts import CheckInput, Decision, Facts
from guard.core.pack import Campaign, Pack, PackSet
from guard.core.phones import PhoneInfo, parse_phone
from guard.store.db import Store
from guard.store.queries import FactQueries
from guard.store.ids import new_id


class NoPolicy(Exception):
    """No pack version is in effect for the call: the guard cannot decide (fail closed)."""


@dataclass(frozen=True)
class CheckCommand:
    phone: str
    campaign: str
    region: str | None = None
    customer_id: str | None = None
    product: str | None = None
    agent_id: str | None = None
    at: datetime | None = None
    dry_run: bool = False


@dataclass(frozen=True)
class CheckResult:
    decision_id: str
    decision: Decision
    phone: PhoneInfo
    pack: Pack
    judged_at: datetime
    dry_run: bool
    customer_id: str | None


@dataclass
class Guard:
    """What the services need from the running app: the store, the packs, the clock."""

    store: Store
    packs: Callable[[], PackSet]
    clock: Callable[[], datetime]
    allow_client_time: bool = False


def resolve_campaign(queries: FactQueries, cur: Any, packs: PackSet, campaign_id: str, at: datetime) -> tuple[Pack, Campaign | None]:
    """The campaign (API-configured first, then the packs) and the pack that governs it at `at`."""
    configured = queries.configured_campaign(cur, campaign_id)
    if configured is not None:
        pack = packs.at(configured.pack or packs.default_id, at)
        if pack is None:
            raise NoPolicy(f"pack {configured.pack or packs.default_id!r} has no version in effect at {at.isoformat()}")
        return pack, configured
    pack = packs.campaign_pack(campaign_id, at)
    if pack is not None:
        return pack, pack.campaigns[campaign_id]
    pack = packs.at(packs.default_id, at)
    if pack is None:
        raise NoPolicy(f"the default pack {packs.default_id!r} has no version in effect at {at.isoformat()}")
    return pack, None


def products_for(queries: FactQueries, cur: Any, pack: Pack, campaign: Campaign | None, requested: str | None) -> dict:
    """Pack products overlaid with API-configured ones (which win for the same code)."""
    codes = set(campaign.products if campaign else ()) | ({requested} if requested else set())
    products = {c: pack.products[c] for c in codes if c in pack.products}
    products.update(queries.configured_products(cur, sorted(codes)))
    return products


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def facts_record(facts: Facts) -> dict[str, Any]:
    """The facts as logged with the decision: enough to replay it."""
    c = facts.customer
    return {
        "phone": {"e164": facts.phone.e164, "valid": facts.phone.valid, "region": facts.phone.region, "time_zones": list(facts.phone.time_zones)},
        "customer": None
        if c is None
        else {
            "id": c.id,
            "phones": list(c.phones),
            "risk_level": c.risk_level,
            "risk_assessed_at": _iso(c.risk_assessed_at),
            "tags": sorted(c.tags),
            "windows": [w.describe() for w in c.windows],
            "timezone": c.timezone,
        },
        "blacklist": [e.id for e in facts.blacklist],
        "mutes": [x.id for x in facts.mutes],
        "deferrals": [d.id for d in facts.deferrals],
        "attempts": {
            "number": [[_iso(a.at), a.disposition] for a in facts.number_attempts],
            "customer": [[_iso(a.at), a.disposition] for a in facts.customer_attempts],
        },
        "campaign": None
        if facts.campaign is None
        else {"id": facts.campaign.id, "products": list(facts.campaign.products), "require_approved_script": facts.campaign.require_approved_script},
        "products": {k: {"type": p.type, "risk": p.risk, "needs_risk_assessment": p.needs_risk_assessment} for k, p in facts.products.items()},
        "has_approved_script": facts.has_approved_script,
    }


def gather(store: Store, conn: Any, cur: Any, pack: Pack, campaign: Campaign | None, phone: PhoneInfo,
           customer_id: str | None, product: str | None, now: datetime, lock: bool,
           products: dict | None = None, script: bool | None = None, customer_locked: bool = False) -> Facts:
    """Read every fact the decision needs, taking the customer's lock (when asked) before the attempts."""
    queries = store.queries
    if products is None:
        products = products_for(queries, cur, pack, campaign, product)
    if script is None:
        script = bool(campaign and campaign.require_approved_script and queries.has_approved_script(cur, campaign.id))
    number = phone.e164 if phone.valid else None
    customer = queries.customer(cur, customer_id, number)
    if customer is not None and lock and not (customer_locked and customer.id == customer_id):
        store.lock_raw(cur, "c:" + customer.id)
    cid = customer.id if customer else None
    phones = sorted({*(customer.phones if customer else ()), *([number] if number else [])})
    since = now - longest_window(pack)
    by_number, by_customer, blacklist, mutes, deferrals = queries.recent(cur, phones, number, cid, since, now)
    return Facts(
        phone=phone,
        customer=customer,
        blacklist=blacklist,
        mutes=mutes,
        deferrals=deferrals,
        number_attempts=by_number,
        customer_attempts=by_customer,
        campaign=campaign,
        products=products,
        has_approved_script=script,
    )


def longest_window(pack: Pack) -> timedelta:
    return max((c.window for c in (*pack.caps_normal, *(pack.caps_sensitive or ()))), default=timedelta(0))


def check(guard: Guard, cmd: CheckCommand, key_id: str | None, request_record: dict[str, Any]) -> CheckResult:
    """Decide one call; record the decision and, when allowed for real, the attempt."""
    client_time = cmd.at if cmd.at is not None and (cmd.dry_run or guard.allow_client_time) else None
    packs = guard.packs()
    store = guard.store
    with store.locked() as conn:
        cur = store.cursor(conn)
        pack, campaign = resolve_campaign(store.queries, cur, packs, cmd.campaign, client_time or guard.clock())
        phone = parse_phone(cmd.phone, cmd.region or pack.region)
        # Configuration is read before the locks, to keep the serialised part short.
        products = products_for(store.queries, cur, pack, campaign, cmd.product)
        script = bool(campaign and campaign.require_approved_script and store.queries.has_approved_script(cur, campaign.id))
        lock = not cmd.dry_run
        # Lock order: the number, then the customer. A customer named in the request is locked
        # with the number in one statement; one found through the number is locked in gather().
        keys = ([f"n:{phone.e164}"] if phone.valid else []) + ([f"c:{cmd.customer_id}"] if cmd.customer_id else [])
        if lock and keys:
            store.lock_raw(cur, *keys)
        # The clock is read after the number lock: a check that waited counts every attempt
        # recorded before it, and records its own attempt at an instant after theirs.
        now = client_time or guard.clock()
        in_effect = packs.at(pack.id, now) or pack
        if in_effect is not pack:  # a new version took effect while waiting: read its products
            pack, products = in_effect, products_for(store.queries, cur, in_effect, campaign, cmd.product)
        facts = gather(store, conn, cur, pack, campaign, phone, cmd.customer_id, cmd.product, now, lock,
                       products=products, script=script, customer_locked=bool(cmd.customer_id))
        customer_id = facts.customer.id if facts.customer else None
        decision = decide(CheckInput(campaign=cmd.campaign, product=cmd.product, customer_id=customer_id), facts, pack, now)
        decision_id = new_id(now)
        row = {
            "id": decision_id,
            "evaluated_at": guard.clock() if client_time else now,
            "at": now,
            "phone_input": cmd.phone[:100],
            "phone_e164": phone.e164,
            "customer_id": customer_id,
            "campaign": cmd.campaign,
            "product": cmd.product,
            "agent_id": cmd.agent_id,
            "allowed": decision.allowed,
            "dry_run": cmd.dry_run,
            "reasons": [{"code": r.code, "message": r.message, "detail": r.detail} for r in decision.reasons],
            "next_allowed_at": decision.next_allowed_at,
            "pack_id": pack.id,
            "pack_version": pack.version,
            "pack_hash": pack.hash,
            "key_id": key_id,
            "request": request_record,
            "facts": facts_record(facts),
        }
        store.queries.record_decision(cur, row, attempt=decision.allowed and not cmd.dry_run)
    return CheckResult(decision_id, decision, phone, pack, now, cmd.dry_run, customer_id)
