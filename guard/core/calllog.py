"""The call log an auditor uploads: its columns and what makes a row a judgeable call (SPEC §3.8)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime, timezone

from guard.core.facts import DISPOSITIONS
from guard.core.pack_schema import parse_instant
from guard.core.phones import PhoneInfo
from guard.core.text import unstorable
from guard.core.vocabularies import codes

PURPOSES = codes("call_purposes")

UTC = timezone.utc
COLUMNS = ("call_id", "phone", "called_at", "campaign", "product", "agent_id", "customer_id", "disposition", "decision_id", "transcript",
           "purpose")
REQUIRED = ("call_id", "phone", "called_at", "campaign")
MAX_FIELD = {"call_id": 100, "phone": 64, "campaign": 100, "product": 100, "agent_id": 100, "customer_id": 64, "decision_id": 100,
             "transcript": 100_000, "purpose": 20}


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
    region: str | None = None  # the governing pack's region: numbers without a country code are read in it
    ranges: tuple = ()  # the governing pack's extra number ranges (guard.core.phones.NumberRange)
    phone: PhoneInfo | None = None  # the number, parsed in `region`
    purpose: str = "marketing"  # marketing (the default) | service: which rules bind, whether the caps count it


def check_row(line: int, row: dict[str, str]) -> tuple[Call | None, str | None]:
    """The call of one row, or (None, why it cannot be judged: `column: reason`)."""
    get = row.get
    cells = {k: (get(k) or "").strip() for k in COLUMNS}
    for k in REQUIRED:
        if not cells[k]:
            return None, f"{k}: empty"
    joined = "".join(cells.values())
    if "\x00" in joined or not joined.isascii() and unstorable(joined):  # rare: say which column
        for k, value in cells.items():
            problem = unstorable(value)
            if problem:
                return None, f"{k}: {problem}"
    for k, limit in _LIMITS:
        if len(cells[k]) > limit:
            return None, f"{k}: longer than {limit} characters"
    at = parse_instant(cells["called_at"])
    if at is None:
        return None, f"called_at: {cells['called_at']!r} is not an ISO 8601 date-time with a UTC offset"
    disposition = cells["disposition"]
    if disposition and disposition not in DISPOSITIONS:
        return None, f"disposition: {disposition!r} is not one of {', '.join(DISPOSITIONS)}"
    purpose = cells["purpose"] or "marketing"
    if purpose not in PURPOSES:
        return None, f"purpose: {purpose!r} is not one of {', '.join(PURPOSES)}"
    # Campaigns, products, agents and dispositions repeat across a log: one string object each.
    product, agent = cells["product"], cells["agent_id"]
    return Call(line, cells["call_id"], cells["phone"], at.astimezone(UTC), intern(cells["campaign"]),
                intern(product) if product else None, intern(agent) if agent else None,
                cells["customer_id"] or None, intern(disposition) if disposition else None,
                cells["decision_id"] or None, None, purpose=intern(purpose)), None


_LIMITS = tuple(MAX_FIELD.items())
intern = sys.intern
