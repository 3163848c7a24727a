"""The call log an auditor uploads: its columns and what makes a row a judgeable call (SPEC §3.8)."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo

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


# A local date-time as spreadsheets and banks' systems export it, without a UTC offset: 2026-11-30 09:05:00,
# 2026/11/30 9:05, 2026.11.30T09:05:07.250 (read only in a time zone the auditor names for the log).
_LOCAL_TIME = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?")


def local_instant(value: str, zone: tzinfo) -> datetime | str | None:
    """`value`, a date-time without a UTC offset, read in `zone`: the instant; a reason when the clock shows it twice
    or never there (a change of summer time); None when it is no such date-time."""
    m = _LOCAL_TIME.fullmatch(value)
    if m is None:
        return None
    y, _, mo, d, h, mi, sec, frac = m.groups()
    try:
        wall = datetime(int(y), int(mo), int(d), int(h), int(mi), int(sec or 0), int((frac or "0").ljust(6, "0")))
    except ValueError:
        return None
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        return f"{value!r} is shown twice or never by the clocks of {zone} (a change of summer time): give its UTC offset"
    return first


def check_row(line: int, row: dict[str, str], zone: tzinfo | None = None) -> tuple[Call | None, str | None]:
    """The call of one row, or (None, why it cannot be judged: `column: reason`). `zone`: the time zone the auditor
    named for the log, in which a `called_at` without a UTC offset is read (without one, such a row is rejected)."""
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
    raw = cells["called_at"]
    at = parse_instant(raw[:-1] + "Z" if raw.endswith("z") else raw)
    if at is None:
        local = local_instant(raw, zone) if zone is not None else None
        if isinstance(local, str):
            return None, f"called_at: {local}"
        if local is None:
            hint = ("; a time without one is read in the log's time zone when it is named (--timezone, or `timezone` on "
                    "POST /v1/audits)" if zone is None and _LOCAL_TIME.fullmatch(raw) else "")
            return None, f"called_at: {raw!r} is not an ISO 8601 date-time with a UTC offset{hint}"
        at = local
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
