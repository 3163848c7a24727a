"""The pre-call check: facts (now) -> core.decide -> record, in one transaction.

Exactness under concurrency: a non-dry-run check runs in one transaction that first takes a lock
on the number and then on every customer of the call (the number's owner and the customer the
request names, in lock order: `FactsReader.lock_call`), and only then reads the attempts, decides
and records the new attempt, naming every customer of the call. Two dialers asking about the same
number or about any shared customer therefore take turns, and the second one counts the first
one's attempt; no two checks wait on each other in a cycle.

A check made under an idempotency key (the client's `Idempotency-Key` header) first takes a lock on the
key, before the number's, and looks the key up: a key that already answered the same request gives that
answer back (same decision, no new attempt), one that answered another request is refused (KeyReused).
Otherwise the check runs as any other and keeps its answer under the key in the same transaction as the
decision and the attempt. A retry arriving while the first request is still in flight waits for it on the
key's lock, and so gets its answer. A store that cannot be read fails the check (503): never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable
from zoneinfo import ZoneInfo

from guard.core import catalog as core_catalog
from guard.core.catalog import NoPolicy, client_instant_not_covered  # NoPolicy is raised to the HTTP and CLI layers from here
from guard.core.clock import MAX_CLOCK_SKEW, ClockSkew, check_instant
from guard.core import idempotency as core_idem
from guard.core.i18n import chinese_of
from guard.core.decide import decide, later_versions
from guard.core.facts import CheckInput, Decision, customers_of_call, facts_record
from guard.core.history import History, Held
from guard.core.messages import said
from guard.core.pack import Pack, PackSet
from guard.core.phones import PhoneInfo, parse_phone
from guard.core.replay import DECISION_SCHEMA_VERSION
from guard.services.calls.decisions import reason_out
from guard.store import idempotency as idem_store
from guard.store.db import Store, StoreUnavailable
from guard.store.facts import LockOrderConflict
from guard.store.ids import new_id


class CatalogChanged(StoreUnavailable):
    """The configuration's generation read under the locks is not the one of the copy the check
    resolved the call with: the transaction is rolled back and the check starts again (and when the
    configuration changed under every try, the guard cannot decide now: 503, do not dial)."""

    def __init__(self) -> None:
        super().__init__("the configuration changed during every try of this check")


# A check that finds the number's owner sorting before the named customer it already holds, and
# held elsewhere, starts again with both locks in order; past this many tries it waits in place.
LOCK_ORDER_RETRIES = 3


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
    purpose: str = "marketing"


@dataclass(frozen=True)
class CheckResult:
    decision_id: str
    decision: Decision
    phone: PhoneInfo
    pack: Pack
    judged_at: datetime
    dry_run: bool
    customer_id: str | None
    customer_ids: tuple[str, ...] = ()
    customer_mismatch: bool = False
    purpose: str = "marketing"


@dataclass(frozen=True)
class Idempotency:
    """A check's idempotency key: whose (`scope`: the API key's id or the signed-in person), the key, and the
    fingerprint of the request made with it."""

    scope: str
    key: str
    fingerprint: str


@dataclass(frozen=True)
class Replayed:
    """The answer a key already gave to the same request: sent again as it was, nothing decided or recorded."""

    answer: dict[str, Any]
    decision_id: str


def answer_of(result: CheckResult) -> dict[str, Any]:
    """The check's answer as the API sends it (and as an idempotency key keeps it)."""
    zone = ZoneInfo(result.decision.zone)
    nxt = result.decision.next_allowed_at
    return {
        "decision_id": result.decision_id,
        "allowed": result.decision.allowed,
        "phone_e164": result.phone.e164,
        # The extension written after the line (转123, x45): not judged, nor part of phone_e164. A dialer that dials
        # phone_e164 must be told the extension was dropped, and that the answer is the line's.
        "phone_extension": result.phone.extension,
        "reasons": [reason_out({"code": r.code, "message": r.message, "detail": r.detail}, result.pack.id, chinese_of(result.pack.country),
                               r.messages) for r in result.decision.reasons],
        "next_allowed_at": nxt.astimezone(zone).isoformat() if nxt is not None else None,
        "policy": {"pack": result.pack.id, "version": result.pack.version, "hash": result.pack.hash},
        "evaluated_at": result.judged_at.astimezone(zone).isoformat(),
        "timezone": zone.key,
        "timezone_source": result.decision.zone_source,
        "dry_run": result.dry_run,
        "customer_id": result.customer_id,
        "customers": list(result.customer_ids),
        "customer_mismatch": result.customer_mismatch,
        "cap_tier": result.decision.cap_tier,
        "purpose": result.decision.purpose,  # as judged: a purpose the campaign does not declare is judged as marketing
        "purpose_requested": result.purpose,
    }


@dataclass
class Guard:
    """What the services need from the running app: the store, the packs, the clock."""

    store: Store
    packs: Callable[[], PackSet]
    clock: Callable[[], datetime]
    allow_client_time: bool = False


def longest_window(pack: Pack) -> timedelta:
    return pack.longest_cap_window


def check(guard: Guard, cmd: CheckCommand, key_id: str | None, request_record: dict[str, Any],
          idempotency: Idempotency | None = None) -> CheckResult | Replayed:
    """Decide one call; record the decision and, when allowed for real, the attempt. Under an idempotency key
    that already answered this request: that answer (Replayed).

    :raise ClockSkew: `at` is too far from the server clock (not a dry run, no client time allowed)
    :raise NoPolicy: no pack version governs the call now
    :raise InstantNotCovered: no pack version governs the instant the client chose (`at`)
    :raise KeyReused: the idempotency key answered another request
    """
    try:
        client_time = check_instant(cmd.at, guard.clock(), dry_run=cmd.dry_run, allow_client_time=guard.allow_client_time)
    except ClockSkew:
        # A retry of a check that was answered may come after its `at` left the skew's bound: it gets its answer.
        if idempotency is not None:
            with guard.store.read() as conn:
                replay = _replay(guard.store, guard.store.cursor(conn), idempotency, guard.clock())
            if replay is not None:
                return replay
        raise
    owner_hint = None
    for attempt in range(LOCK_ORDER_RETRIES + 1):
        try:
            return _check(guard, cmd, key_id, request_record, client_time, owner_hint, wait=attempt == LOCK_ORDER_RETRIES,
                          idempotency=idempotency)
        except LockOrderConflict as conflict:
            owner_hint = conflict.owner
        except CatalogChanged:
            continue  # the copy was dropped: the next try reads the configuration as it is now
        except NoPolicy:
            # An instant the client chose that no pack covers is the client's mistake (422), not "cannot decide now".
            mistake = client_instant_not_covered(guard.packs(), "at", client_time) if client_time is not None else None
            if mistake is not None:
                raise mistake from None
            raise
    # Only when the configuration changed under every try (a change per try): still not a guess.
    raise CatalogChanged()


def _replay(store: Store, cur: Any, idempotency: Idempotency, now: datetime, lock: bool = False) -> Replayed | None:
    """The answer the key gave to this same request (after taking the key's lock, with `lock`); None when the key
    holds none.
    :raise KeyReused: it answered another request"""
    if lock:
        held = idem_store.lock_and_find(store.facts.d, cur, idempotency.scope, idempotency.key, now, store.facts.lock_wait_ms)
    else:
        held = idem_store.find(store.facts.d, cur, idempotency.scope, idempotency.key, now)
    if held is None:
        return None
    if held.fingerprint != idempotency.fingerprint:
        raise core_idem.KeyReused(
            said("error.idempotency_key_reused", idem=repr(idempotency.key), at=held.created_at.isoformat(), decision_id=held.decision_id),
            [{"field": core_idem.HEADER, "reason": "used for another request", "decision_id": held.decision_id,
              "used_at": held.created_at.isoformat()}])
    return Replayed(held.answer, held.decision_id)


def _check(guard: Guard, cmd: CheckCommand, key_id: str | None, request_record: dict[str, Any], client_time: datetime | None,
           owner_hint: str | None, wait: bool, idempotency: Idempotency | None = None) -> CheckResult | Replayed:
    packs = guard.packs()
    store = guard.store
    reader = store.facts
    with store.locked() as conn:
        cur = store.cursor(conn)
        if idempotency is not None:
            # The key's lock first, before the number's and the customers' (no check holding those waits for a key's).
            replay = _replay(store, cur, idempotency, guard.clock(), lock=True)
            if replay is not None:
                return replay
        history = History()
        # Configuration is read before the locks, to keep the serialised part short.
        resolution, generation = reader.catalog_cached(cur, history, packs, cmd.campaign, cmd.product, client_time or guard.clock())
        phone = parse_phone(cmd.phone, cmd.region or resolution.pack.region, resolution.pack.number_ranges)
        number = phone.e164 if phone.valid else None
        country = phone.region if phone.valid else None
        if resolution.campaign is not None and resolution.campaign.pack_for_country(country):
            # The campaign hands this country's numbers to another pack: judge by that one.
            resolution, generation = reader.catalog_cached(cur, history, packs, cmd.campaign, cmd.product, client_time or guard.clock(),
                                                           country)
        read = False  # the call's rows are in `history` (read with the locks, PostgreSQL)
        if cmd.dry_run:
            owner = reader.owner_now(cur, number)
        else:
            try:
                if reader.pipelined:
                    # Bounds taken before the locks: earlier than the instant the check is judged at, so the
                    # rows read are a superset of what that instant needs.
                    early = client_time or guard.clock()
                    early_since = early - longest_window(resolution.pack)
                    owner, read_generation = reader.lock_and_load_call(cur, history, number, cmd.customer_id, owner_hint,
                                                                       early_since, early)
                    read = True
                else:
                    owner = reader.lock_call(cur, number, cmd.customer_id, owner_hint)
            except LockOrderConflict as conflict:
                if not wait:
                    raise
                owner = conflict.owner
                reader.lock(cur, [f"c:{owner}"])
        # The clock is read after the locks: a check that waited counts every attempt recorded
        # before it, and records its own attempt at an instant after theirs.
        now = client_time or guard.clock()
        if packs.at(resolution.pack.id, now) is not resolution.pack:  # a new version took effect while waiting
            resolution, generation = reader.catalog_cached(cur, history, packs, cmd.campaign, cmd.product, now, country)
        pack = resolution.pack
        if number is not None and owner is not None:
            history.owners[number] = [Held(owner, now)]
        customers = customers_of_call(owner, cmd.customer_id)
        since = now - longest_window(pack)
        if read and (since < early_since or now < early):
            # The version that took effect counts a longer window than was read (or the clock went back): start again.
            raise CatalogChanged()
        if not read:
            read_generation = reader.load_call(cur, history, number, customers, since, now)
        if read_generation != generation:
            # The configuration changed since this process read it: judge by the current one, from the start
            # (it may name another pack, and so another reading of the number and other locks).
            reader.forget_catalog()
            raise CatalogChanged()
        facts = history.facts(phone, cmd.customer_id, None, since, resolution.catalog)

        def judged_at(start: datetime) -> tuple[Pack, Any] | None:
            # The call as a version loaded ahead would judge it from its start (for next_allowed_at); the number's
            # country is known, so one resolution gives the pack the campaign hands it to, if it does.
            try:
                later, _ = reader.catalog_cached(cur, history, packs, cmd.campaign, cmd.product, start, country)
            except NoPolicy:
                return None
            return later.pack, history.facts(phone, cmd.customer_id, None, since, later.catalog)

        # Judged at this host's clock: a mute or a withdrawal recorded by a host ahead of it (or before this clock
        # stepped back) has begun all the same (decide's `ahead`).
        decision = decide(CheckInput(campaign=cmd.campaign, product=cmd.product, customer_id=cmd.customer_id, purpose=cmd.purpose),
                          facts, pack, now, later=lambda: later_versions(packs, pack, now, judged_at),
                          ahead=MAX_CLOCK_SKEW if client_time is None else timedelta(0))
        attempt = decision.allowed and not cmd.dry_run and decision.purpose == "marketing"
        if not attempt and idempotency is None and not cmd.dry_run:
            reader.release_locks(cur)  # nothing below is read or written that the locks guard
        decision_id = new_id(now)
        primary = customers[0] if customers else None
        row = {
            "id": decision_id,
            "evaluated_at": guard.clock() if client_time else now,
            "at": now,
            "phone_input": cmd.phone[:100],
            "phone_e164": phone.e164,
            "customer_id": primary,
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
            # a purpose the campaign does not declare: the request as asked, and what it was judged as
            "request": request_record if decision.purpose == cmd.purpose else {**request_record, "judged_as": decision.purpose},
            "facts": facts_record(facts, decision.zone, decision.zone_source),
            "schema_version": DECISION_SCHEMA_VERSION,
        }
        # A service call is never counted by the caps: they limit marketing (its decision, with its purpose, is logged).
        result = CheckResult(decision_id, decision, phone, pack, now, cmd.dry_run, primary, customers, facts.customer_mismatch, cmd.purpose)
        keep = None
        if idempotency is not None:
            kept, answer = guard.clock(), answer_of(result)
            until = kept + core_idem.retention(decision.allowed and not cmd.dry_run, pack.decision_valid_for)

            def keep(c: Any) -> None:  # the key's row, written with the decision (and on PostgreSQL in the same round trip)
                idem_store.record(reader.d, c, idempotency.scope, idempotency.key, idempotency.fingerprint, decision_id, answer,
                                  kept, until)
        reader.record_decision(cur, row, attempt=attempt,
                               other_customer_id=customers[1] if len(customers) > 1 else None, commit=True, also=keep)
    return result


def resolve_campaign(store: Store, conn: Any, packs: PackSet, campaign_id: str, at: datetime) -> core_catalog.Resolution:
    """The pack and products governing a campaign at `at`, from the configuration held now."""
    return store.facts.catalog_now(store.cursor(conn), History(), packs, campaign_id, None, at)
