"""The facts of calls as the store held them over time, and the one function that slices them.

Every caller that judges a call (the pre-call check, the list scrub, the audit) fills a `History`
with rows from the store and asks `facts()` for the call. One rule then picks the call's
customers (the number's owner at the instant, and the customer the request names), their
profiles as of the instant, the blacklist entries, mutes and deferrals held then on the number,
on every number of those customers and on the customers themselves, the configured campaign and
products, and the attempts the caps count. The store fills a History in one of three modes
(`guard/store/facts.py`):

- now: one number's current rows, read under the check's locks; sliced with `as_of=None`
  ("everything the store holds now");
- list: many numbers' current rows (the scrub), also `as_of=None`;
- as of: many numbers' whole history (the audit), sliced at each call's instant.

Each held row carries the interval the store held it, `[since, until)`; `until=None` means it is
still held. Attempts are the exception: they are counted by the caps, not held, so they carry
only their instant, and the audit appends the log's own calls as it judges them in time order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Iterable, TypeVar

from guard.core.facts import Attempt, BlacklistEntry, Consent, CustomerFacts, Deferral, Facts, Mute, customers_of_call
from guard.core.pack import Campaign, Product
from guard.core.phones import PhoneInfo

T = TypeVar("T")

# The two readings of history an audit can judge by (SPEC §3.8 "as they were then"):
KNOWN_THEN = "known_then"  # what the guard held at each call's time (what the decision log proves)
KNOWN_NOW = "known_now"  # the facts' own effective times, as the store knows them now (was the call compliant?)
BASES = (KNOWN_THEN, KNOWN_NOW)


@dataclass(frozen=True, slots=True)
class Held(Generic[T]):
    """A fact with the interval the store held it: from `since` until `until` (None: still held)."""

    value: T
    since: datetime
    until: datetime | None = None

    def held_at(self, as_of: datetime | None) -> bool:
        """Held at `as_of`; `as_of=None` asks whether it is held now (not withdrawn)."""
        if as_of is None:
            return self.until is None
        return self.since <= as_of and (self.until is None or self.until > as_of)


def held_at(rows: Iterable[Held[T]], as_of: datetime | None) -> Held[T] | None:
    """The latest-starting row held at `as_of` (None when none is)."""
    best = None
    for row in rows:
        if row.held_at(as_of) and (best is None or row.since >= best.since):
            best = row
    return best


def effective_start(basis: str, recorded: datetime, effective: datetime | None) -> datetime:
    """When a row starts to count on the basis' time axis: when the guard recorded it (`known_then`),
    or when it took effect as the store now knows it (`known_now`: an opt-out reported late, a
    registry's date, a deferral dated at its call's end), never later than it was recorded."""
    if basis == KNOWN_NOW and effective is not None and effective < recorded:
        return effective
    return recorded


def assessed_versions(versions: list[Held[CustomerFacts]]) -> list[Held[CustomerFacts]]:
    """A customer's profile versions on the `known_now` axis: a version that brings a new risk
    assessment counts from the assessment's date (when that is earlier than its recording), and
    the versions before it end there. A customer entered today with an assessment of March was
    assessed in March; the other fields of that version count from then too (the store keeps one
    date per version)."""
    ordered = sorted(versions, key=lambda v: v.since)
    starts, previous = [], None
    for v in ordered:
        assessed = v.value.risk_assessed_at
        new = assessed is not None and assessed != previous
        starts.append(min(v.since, assessed) if new else v.since)  # type: ignore[type-var]
        previous = assessed
    out: list[Held[CustomerFacts]] = []
    later: datetime | None = None  # the earliest start of the versions after this one
    for v, start in zip(reversed(ordered), reversed(starts)):
        until = v.until if later is None else (later if v.until is None else min(v.until, later))
        if until is None or until > start:
            out.append(Held(v.value, start, until))
        later = start if later is None else min(later, start)
    out.reverse()
    return out


_NONE: tuple = ()
_NO_ATTEMPTS: dict = {}


@dataclass
class History:
    """Rows of the store bearing on some numbers and customers, indexed for slicing."""

    owners: dict[str, list[Held[str]]] = field(default_factory=dict)  # phone -> owning customer ids
    customers: dict[str, list[Held[CustomerFacts]]] = field(default_factory=dict)
    blacklist_by_phone: dict[str, list[Held[BlacklistEntry]]] = field(default_factory=dict)
    blacklist_by_customer: dict[str, list[Held[BlacklistEntry]]] = field(default_factory=dict)  # entries without a phone
    mutes_by_phone: dict[str, list[Held[Mute]]] = field(default_factory=dict)  # mutes of a number no customer owns
    mutes_by_customer: dict[str, list[Held[Mute]]] = field(default_factory=dict)
    deferrals_by_phone: dict[str, list[Held[Deferral]]] = field(default_factory=dict)
    deferrals_by_customer: dict[str, list[Held[Deferral]]] = field(default_factory=dict)
    attempts_by_phone: dict[str, list[Attempt]] = field(default_factory=dict)  # oldest first
    attempts_by_customer: dict[str, list[Attempt]] = field(default_factory=dict)
    campaigns: dict[str, list[Held[Campaign]]] = field(default_factory=dict)  # configured through the API
    products: dict[str, list[Held[Product]]] = field(default_factory=dict)
    # campaign -> its approved scripts: (approved at, approval stops counting at: None while it holds)
    approvals: dict[str, list[tuple[datetime, datetime | None]]] = field(default_factory=dict)
    # Consent versions: a withdrawal is a new version of the same consent id (the older one ends there).
    consents_by_phone: dict[str, list[Held[Consent]]] = field(default_factory=dict)
    consents_by_customer: dict[str, list[Held[Consent]]] = field(default_factory=dict)  # consents without a number

    # --- filling ------------------------------------------------------------------------------

    def add(self, index: dict[str, list], key: str | None, row: object) -> None:
        if key is not None:
            index.setdefault(key, []).append(row)

    def add_attempt(self, phone: str | None, customer_ids: Iterable[str], attempt: Attempt) -> None:
        """Count one more call (the audit appends the log's calls in time order)."""
        if phone is not None:
            self.attempts_by_phone.setdefault(phone, []).append(attempt)
        for cid in customer_ids:
            self.attempts_by_customer.setdefault(cid, []).append(attempt)

    def sort_attempts(self) -> None:
        for index in (self.attempts_by_phone, self.attempts_by_customer):
            for attempts in index.values():
                attempts.sort(key=lambda a: a.at)

    # --- slicing ------------------------------------------------------------------------------

    def owner(self, phone: str, as_of: datetime | None) -> str | None:
        row = held_at(self.owners.get(phone, _NONE), as_of)
        return row.value if row is not None else None

    def customer(self, customer_id: str, as_of: datetime | None) -> CustomerFacts:
        """The profile held at `as_of`; a customer known only by id has an empty one."""
        row = held_at(self.customers.get(customer_id, _NONE), as_of)
        return row.value if row is not None else CustomerFacts(id=customer_id)

    def configured_campaign(self, campaign_id: str, as_of: datetime | None) -> Campaign | None:
        row = held_at(self.campaigns.get(campaign_id, _NONE), as_of)
        return row.value if row is not None else None

    def configured_product(self, code: str, as_of: datetime | None) -> Product | None:
        row = held_at(self.products.get(code, _NONE), as_of)
        return row.value if row is not None else None

    def script_approved(self, campaign_id: str, as_of: datetime | None) -> bool:
        approvals = self.approvals.get(campaign_id, _NONE)
        if as_of is None:
            return any(until is None for _, until in approvals)
        return any(a <= as_of and (until is None or until > as_of) for a, until in approvals)

    def is_blank(self, phone: str) -> bool:
        """Nothing at all is held about this number (the scrub shares one decision among such numbers)."""
        return not (phone in self.owners or phone in self.blacklist_by_phone or phone in self.mutes_by_phone
                    or phone in self.deferrals_by_phone or phone in self.attempts_by_phone or phone in self.consents_by_phone)

    def facts(self, phone: PhoneInfo, named_customer: str | None, as_of: datetime | None, since: datetime,
              catalog: "CatalogFacts") -> Facts:
        """The facts of one call: as held at `as_of` (None: now), attempts after `since`."""
        number = phone.e164 if phone.valid else None
        if named_customer is None and (number is None or not (number in self.owners or number in self.blacklist_by_phone
                                                              or number in self.mutes_by_phone or number in self.deferrals_by_phone
                                                              or number in self.consents_by_phone)):
            # Most calls of a log: nothing is held about the number and no customer is named; the
            # general path below gives exactly these facts (no owner, no customers, nothing held).
            return Facts(phone=phone, number_attempts=_recent(self.attempts_by_phone, number, since), customer_attempts=_NO_ATTEMPTS,
                         campaign=catalog.campaign, products=catalog.products, has_approved_script=catalog.has_approved_script)
        owner = self.owner(number, as_of) if number is not None else None
        ids = customers_of_call(owner, named_customer)
        customers = tuple(self.customer(cid, as_of) for cid in ids)
        # Most calls of a log have no history at all: gather only the lists that exist.
        bl_groups = [rows for rows in (self.blacklist_by_customer.get(cid) for cid in ids) if rows]
        phones = {number} if number is not None else set()
        for c in customers:
            phones.update(c.phones)
        bl_groups.extend(rows for rows in (self.blacklist_by_phone.get(p) for p in phones) if rows)
        mu_groups = [rows for rows in (self.mutes_by_customer.get(cid) for cid in ids) if rows]
        de_groups = [rows for rows in (self.deferrals_by_customer.get(cid) for cid in ids) if rows]
        if number is not None:
            if number in self.mutes_by_phone:
                mu_groups.append(self.mutes_by_phone[number])
            if number in self.deferrals_by_phone:
                de_groups.append(self.deferrals_by_phone[number])
        blacklist = _held(bl_groups, as_of) if bl_groups else ()
        co_groups = [rows for rows in (self.consents_by_customer.get(cid) for cid in ids) if rows]
        if number is not None and number in self.consents_by_phone:
            co_groups.append(self.consents_by_phone[number])
        return Facts(
            phone=phone,
            customers=customers,
            blacklist=tuple(sorted(blacklist, key=lambda e: (e.added_at, e.id))) if blacklist else (),
            mutes=tuple(sorted(_held(mu_groups, as_of), key=lambda x: x.id)) if mu_groups else (),
            deferrals=tuple(sorted(_held(de_groups, as_of), key=lambda x: x.id)) if de_groups else (),
            number_attempts=_recent(self.attempts_by_phone, number, since),
            customer_attempts={cid: _recent(self.attempts_by_customer, cid, since) for cid in ids} if ids else _NO_ATTEMPTS,
            campaign=catalog.campaign,
            products=catalog.products,
            has_approved_script=catalog.has_approved_script,
            owner=owner,
            named_customer=named_customer,
            consents=tuple(sorted(_held(co_groups, as_of), key=lambda c: c.id)) if co_groups else (),
        )


def _held(groups: list, as_of: datetime | None) -> list:
    """The values of the rows held at `as_of`, each once (a row may be reached by number and by customer)."""
    out: dict[str, object] = {}
    for rows in groups:
        for row in rows:
            if row.held_at(as_of):
                out.setdefault(row.value.id, row.value)
    return list(out.values())


def _recent(index: dict[str, list[Attempt]], key: str | None, since: datetime) -> tuple[Attempt, ...]:
    """Attempts after `since` (later ones too: see core.caps). Lists are oldest first, and callers
    ask in time order, so the attempts that left the longest window are dropped for good."""
    if key is None:
        return ()
    attempts = index.get(key)
    if not attempts:
        return ()
    if attempts[0].at <= since:
        keep = [a for a in attempts if a.at > since]
        attempts[:] = keep
    return tuple(attempts)


@dataclass(frozen=True)
class CatalogFacts:
    """The campaign as configured at the call's instant, its products and its script approval."""

    campaign: Campaign | None
    products: dict[str, Product]
    has_approved_script: bool
