"""The plain values a decision is made from. The shell gathers them; the core only reads them.

All datetimes are timezone-aware. Facts are as of the decision's instant: the store hands over
what was recorded and not withdrawn then (a removed blacklist entry is simply absent), and the
core judges what depends on the instant itself (expiry, mute periods, deferrals, cap windows).
"""

from __future__ import annotations

from functools import cached_property
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping

from guard.core.pack import Campaign, Product
from guard.core.phones import PhoneInfo
from guard.core.vocabularies import VOCABULARIES
from guard.core.windows import Window

_SOURCES = VOCABULARIES["blacklist_sources"]
INTERNAL_SOURCES = frozenset(_SOURCES.where_extra("list", "internal"))  # an opt-out: DNC_OPT_OUT
EXTERNAL_SOURCES = frozenset(_SOURCES.where_extra("list", "external"))  # an imported list: DNC_REGISTRY
DISPOSITIONS = VOCABULARIES["dispositions"].codes
# With `count: connected`, an attempt counts unless its reported outcome says it never connected.
# An attempt with no outcome yet counts: the dialer may be on the call right now.
NOT_CONNECTED = frozenset({"no_answer", "busy"})


@dataclass(frozen=True)
class CustomerFacts:
    id: str
    phones: tuple[str, ...] = ()
    risk_level: str | None = None
    risk_assessed_at: datetime | None = None
    tags: frozenset[str] = frozenset()
    windows: tuple[Window, ...] = ()
    timezone: str | None = None
    state: str | None = None  # the state (subdivision) the customer lives in, when recorded


@dataclass(frozen=True)
class BlacklistEntry:
    id: str
    source: str
    added_at: datetime
    phone: str | None = None
    customer_id: str | None = None
    reason: str | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class Mute:
    id: str
    customer_id: str | None
    starts_at: datetime
    ends_at: datetime
    reason: str | None = None
    phone: str | None = None  # a number no customer owns is muted by number


@dataclass(frozen=True)
class Deferral:
    id: str
    not_before: datetime
    phone: str | None = None
    customer_id: str | None = None


@dataclass(frozen=True)
class Consent:
    """A person's consent to marketing on a number (or on every number of a customer), as recorded:
    where the number came from (`source`), what it covers (`channels`, `product_types`: empty is
    every product), when it was given, when it expires, and its withdrawal, if any."""

    id: str
    source: str
    given_at: datetime
    phone: str | None = None
    customer_id: str | None = None
    channels: frozenset[str] = frozenset({"phone"})
    product_types: frozenset[str] = frozenset()
    expires_at: datetime | None = None
    withdrawn_at: datetime | None = None
    withdrawn_via: str | None = None
    text_version: str | None = None
    # The days a list gave the withdrawal and the expiry as, when dates alone: withdrawn_at is then the day's 00:00 and
    # expires_at the next day's 00:00, instants nobody recorded; a message names these days.
    withdrawn_on: date | None = None
    expires_on: date | None = None
    # The day a consent was given by date alone (授权日期 2026-11-23): given_at is then that day's last microsecond (it counts
    # from the day's end), no hour anyone recorded. None: given at an instant, whatever the instant.
    given_on: date | None = None


@dataclass(frozen=True, slots=True)
class Attempt:
    at: datetime
    disposition: str | None = None


@dataclass(frozen=True)
class CheckInput:
    """What the dialer asked, already parsed (the phone is in Facts)."""

    campaign: str
    product: str | None = None
    customer_id: str | None = None  # the customer the request names (the number's owner may be another)
    purpose: str = "marketing"  # marketing | service: which of the pack's rules bind (pack `purposes`)


@dataclass(frozen=True)
class Facts:
    """Everything a decision is made from.

    `customers` are the customers of the call: the number's recorded owner at the call's time
    (first) and the customer the request names, when that is someone else. Every one of them
    counts: their blacklist entries, mutes, deferrals, tags, windows, risk profiles and caps.
    `customer_attempts` holds each one's attempts, by customer id.
    """

    phone: PhoneInfo
    customers: tuple[CustomerFacts, ...] = ()
    blacklist: tuple[BlacklistEntry, ...] = ()
    mutes: tuple[Mute, ...] = ()
    deferrals: tuple[Deferral, ...] = ()
    number_attempts: tuple[Attempt, ...] = ()
    customer_attempts: Mapping[str, tuple[Attempt, ...]] = field(default_factory=dict)
    campaign: Campaign | None = None
    products: Mapping[str, Product] = field(default_factory=dict)
    has_approved_script: bool = False
    owner: str | None = None  # the number's recorded owner at the call's time
    named_customer: str | None = None  # the customer the request named
    consents: tuple[Consent, ...] = ()  # consents on the number and on the call's customers, as held then

    @property
    def customer(self) -> CustomerFacts | None:
        """The call's first customer (the owner when there is one): the one a reply names."""
        return self.customers[0] if self.customers else None

    @property
    def customer_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.customers)

    @property
    def customer_mismatch(self) -> bool:
        """The request named a customer, and the number is recorded as someone else's."""
        return self.owner is not None and self.named_customer is not None and self.owner != self.named_customer


def customers_of_call(owner: str | None, named: str | None) -> tuple[str, ...]:
    """Whose facts govern a call: the number's owner at the call's time, then the named customer."""
    if owner is None:
        return (named,) if named is not None else ()
    return (owner,) if named is None or named == owner else (owner, named)


@dataclass(frozen=True)
class Reason:
    code: str
    detail: dict[str, Any]
    pack: str | None = None  # the pack that decided, named in some messages

    @cached_property
    def messages(self) -> dict[str, str]:
        """The message in zh-CN, zh-TW and en, rendered from the detail by the message registry
        (guard.core.messages) when first read: an audit judging millions of calls reads codes and details only."""
        from guard.core.messages import reason_messages

        return reason_messages(self.code, self.detail, self.pack)

    @property
    def message(self) -> str:
        """The English message (what the decision log records)."""
        return self.messages["en"]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reasons: tuple[Reason, ...]
    next_allowed_at: datetime | None
    zone: str  # the callee's zone the answer is expressed in
    cap_tier: str  # "normal" or "sensitive"
    zone_source: str = "number"  # where the zone came from: customer | override | number | pack | state
    purpose: str = "marketing"  # the purpose the call was judged as: the one asked for, or marketing (Campaign.judged_purpose)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _customer_record(c: CustomerFacts) -> dict[str, Any]:
    return {
        "id": c.id,
        "phones": list(c.phones),
        "risk_level": c.risk_level,
        "risk_assessed_at": _iso(c.risk_assessed_at),
        "tags": sorted(c.tags),
        "windows": [w.describe() for w in c.windows],
        "timezone": c.timezone,
        "state": c.state,
    }


def facts_record(facts: Facts, zone: str, zone_source: str = "number") -> dict[str, Any]:
    """The facts as the decision log keeps them beside the decision (`zone`: the callee's zone it was
    expressed in; `customers`: every customer of the call, the owner first)."""
    customers = [_customer_record(c) for c in facts.customers]
    return {
        "phone": {"e164": facts.phone.e164, "valid": facts.phone.valid, "region": facts.phone.region, "time_zones": list(facts.phone.time_zones),
                  "kind": facts.phone.kind, "state": facts.phone.state},
        "zone": zone,
        "zone_source": zone_source,
        "customers": customers,
        "owner": facts.owner,
        "named_customer": facts.named_customer,
        "customer_mismatch": facts.customer_mismatch,
        "blacklist": [e.id for e in facts.blacklist],
        "mutes": [x.id for x in facts.mutes],
        "deferrals": [d.id for d in facts.deferrals],
        "attempts": {
            "number": [[_iso(a.at), a.disposition] for a in facts.number_attempts],
            "customers": {cid: [[_iso(a.at), a.disposition] for a in attempts] for cid, attempts in facts.customer_attempts.items()},
        },
        "campaign": None
        if facts.campaign is None
        else {"id": facts.campaign.id, "products": list(facts.campaign.products), "require_approved_script": facts.campaign.require_approved_script},
        "products": {k: {"type": p.type, "risk": p.risk, "needs_risk_assessment": p.needs_risk_assessment} for k, p in facts.products.items()},
        "has_approved_script": facts.has_approved_script,
        "consents": [_consent_record(c) for c in facts.consents],
    }


def _consent_record(c: Consent) -> dict[str, Any]:
    return {"id": c.id, "source": c.source, "given_at": _iso(c.given_at), "phone": c.phone, "customer_id": c.customer_id,
            "channels": sorted(c.channels), "product_types": sorted(c.product_types), "expires_at": _iso(c.expires_at),
            "withdrawn_at": _iso(c.withdrawn_at), "withdrawn_via": c.withdrawn_via, "text_version": c.text_version}
