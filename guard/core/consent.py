"""Consent to marketing: does a call have a valid consent in its scope, and if not, why not.

A consent counts for a call when it names the call's number (and, if it names a customer too, the
call is not another person's: a reassigned number), or names one of the call's customers without a
number (it then covers every number of theirs), and was given by the call's instant. It
is valid when it covers the channels the pack's rule asks for (phone) and every product type the
call may pitch, has not expired (its own `expires_at`, and the rule's `max_age` after it was
given) and has not been withdrawn by then.

Two ways a call is denied (CONSENT_MISSING):
- the pack requires consent for the call's purpose (`consent.required_for`) and no valid one is
  found: `why` is `withdrawn`, `expired`, `out_of_scope` or `none`, in that order of precedence;
- whatever the pack requires, a marketing call with a consent in scope withdrawn and none standing (every
  other one withdrawn or past its own `expires_at`): a
  withdrawal works like an opt-out from its instant (PIPL art. 15: withdrawal must be as easy as
  consent, and art. 24: a person may refuse marketing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable

from guard.core.facts import Consent
from guard.core.pack import ConsentRule


@dataclass(frozen=True)
class ConsentFinding:
    why: str  # none | expired | withdrawn | out_of_scope
    consent: Consent | None  # the consent the finding is about (None: none recorded)


def of_call(consents: Iterable[Consent], number: str | None, customer_ids: Iterable[str], now: datetime | None,
            anyones: bool = False) -> list[Consent]:
    """The consents that bear on a call at `now` (None: whenever given), newest given first.

    A consent of that number of that customer bears on a call that is theirs, or whose person nobody names; not on
    a call to the number's next owner (a reassigned number: consent follows the person). `anyones`: every consent
    naming the number, whoever gave it (for withdrawals, which deny whoever owns the number now)."""
    ids = set(customer_ids)

    def bears(c: Consent) -> bool:
        if c.phone is None:
            return c.customer_id in ids
        return c.phone == number and (anyones or c.customer_id is None or not ids or c.customer_id in ids)

    out = [c for c in consents if (now is None or c.given_at <= now) and bears(c)]
    return sorted(out, key=lambda c: (c.given_at, c.id), reverse=True)


def in_scope(c: Consent, channels: frozenset[str], product_types: frozenset[str]) -> bool:
    if not channels <= c.channels:
        return False
    if not c.product_types:
        return True
    # A call whose products cannot be told may pitch anything: a consent limited to some products does not cover it.
    return bool(product_types) and product_types <= c.product_types


def dated_only(c: Consent) -> bool:
    """Whether a consent was given by date alone (a day, no hour: it counts from the day's end, 民法典 第二百零一条; its
    given_at is that day's last microsecond). Told by the day kept with it (`given_on`), never by the instant: a consent
    recorded at 23:59:59.999999 was given then. (Consents recorded before the day was kept had it read once from that
    instant, by the migration that added it: guard/store/migrations/versions/0034_consent_given_on.py.)"""
    return c.given_on is not None


def given_on(c: Consent) -> date | None:
    """The day a consent given by date alone names (None: it was given at a recorded instant).

    Its given_at is the day's last microsecond, an instant nobody recorded: a person reads "given 23:59" as the hour
    they signed, so a message names the day alone."""
    return c.given_on


def expired_at(c: Consent, rule: ConsentRule | None) -> datetime | None:
    """When the consent expires: its own `expires_at`, or the rule's `max_age` after it counts from, the earlier.

    A consent given by date alone counts from 24:00 of its day, so its max_age ends at 24:00 too, not a microsecond before.
    One given at an instant lasts exactly max_age from it, not to 24:00 of a last day as a suppression does
    (guard/core/periods.py): a permission never lasts longer than the pack's period."""
    ends = [c.expires_at] if c.expires_at is not None else []
    if rule is not None and rule.max_age is not None:
        start = c.given_at + timedelta(microseconds=1) if dated_only(c) else c.given_at
        ends.append(start + rule.max_age)
    return min(ends) if ends else None


def expired(c: Consent, rule: ConsentRule | None, now: datetime) -> bool:
    end = expired_at(c, rule)
    return end is not None and end <= now


def withdrawn(c: Consent, now: datetime) -> bool:
    return c.withdrawn_at is not None and c.withdrawn_at <= now


def judge(consents: Iterable[Consent], number: str | None, customer_ids: Iterable[str], product_types: frozenset[str],
          rule: ConsentRule | None, purpose: str, now: datetime, withdrawn_by: datetime | None = None) -> ConsentFinding | None:
    """Why the call lacks consent, or None when it may go ahead as far as consent goes. A withdrawal counts from
    `withdrawn_by` on (`now` when not given; later when another host's clock may have recorded it: decide's `ahead`)."""
    by = now if withdrawn_by is None else max(now, withdrawn_by)
    required = rule is not None and purpose in rule.required_for
    if not required and purpose != "marketing":
        return None
    channels = rule.scopes if rule is not None else frozenset({"phone"})
    mine = of_call(consents, number, customer_ids, now)
    scoped = [c for c in mine if in_scope(c, channels, product_types)]
    if any(not withdrawn(c, by) and not expired(c, rule if required else None, now) for c in scoped):
        return None
    # A consent withdrawn by `by` is a refusal even when another host's clock dated it after `now`, and whenever it was
    # given (one given by date alone is held from its day's end: withdrawn earlier that day, it was never in effect and
    # is a refusal from the withdrawal on); only a consent given by `now` stands for the call.
    gone = [c for c in of_call(consents, number, customer_ids, None, anyones=True)
            if in_scope(c, channels, product_types) and withdrawn(c, by)]
    if not required:
        # No consent needed, but one in scope was withdrawn and none stands: the person said no. A consent past its own
        # expiry stands no more than a withdrawn one (the pack's max_age binds only where consent is required).
        live = [c for c in scoped if not withdrawn(c, by) and not expired(c, None, now)]
        return ConsentFinding("withdrawn", gone[0]) if gone and not live else None
    if gone:
        return ConsentFinding("withdrawn", gone[0])
    if scoped:
        return ConsentFinding("expired", scoped[0])
    if mine:
        return ConsentFinding("out_of_scope", mine[0])
    return ConsentFinding("none", None)
