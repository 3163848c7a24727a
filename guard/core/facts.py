"""The plain values a decision is made from. The shell gathers them; the core only reads them.

All datetimes are timezone-aware. Facts are as of the decision's instant: the store hands over
what was recorded and not withdrawn then (a removed blacklist entry is simply absent), and the
core judges what depends on the instant itself (expiry, mute periods, deferrals, cap windows).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

from guard.core.pack import Campaign, Product
from guard.core.phones import PhoneInfo
from guard.core.windows import Window

INTERNAL_SOURCES = frozenset({"customer_request", "complaint", "manual"})
EXTERNAL_SOURCES = frozenset({"registry", "regulator", "litigator"})
BLACKLIST_SOURCES = tuple(sorted(INTERNAL_SOURCES | EXTERNAL_SOURCES))
DISPOSITIONS = ("no_answer", "busy", "answered", "refused", "do_not_call", "callback", "complaint", "wrong_number")
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
class Attempt:
    at: datetime
    disposition: str | None = None


@dataclass(frozen=True)
class CheckInput:
    """What the dialer asked, already parsed (the phone is in Facts)."""

    campaign: str
    product: str | None = None
    customer_id: str | None = None


@dataclass(frozen=True)
class Facts:
    phone: PhoneInfo
    customer: CustomerFacts | None = None
    blacklist: tuple[BlacklistEntry, ...] = ()
    mutes: tuple[Mute, ...] = ()
    deferrals: tuple[Deferral, ...] = ()
    number_attempts: tuple[Attempt, ...] = ()
    customer_attempts: tuple[Attempt, ...] = ()
    campaign: Campaign | None = None
    products: Mapping[str, Product] = field(default_factory=dict)
    has_approved_script: bool = False


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reasons: tuple[Reason, ...]
    next_allowed_at: datetime | None
    zone: str  # the callee's zone the answer is expressed in
    cap_tier: str  # "normal" or "sensitive"
