"""Validate a policy-pack mapping (as read from YAML) into a `Pack`.

Every problem is reported with the file, the key path and the reason, e.g.
`cn-bank-2026.4.yaml: caps.normal[1].window: '30x' is not a duration (<n>s|<n>m|<n>h|<n>d)`.
All problems of a file are collected, not just the first. Unknown keys are errors: a
compliance officer's typo must not silently switch a rule off.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Callable
from guard.core.zones import zone_named

from guard.core.calendar import PERIOD_CALENDARS, supported_calendars
from guard.core.durations import DurationError, parse_duration
from guard.core.pack import (
    ALWAYS_BINDING,
    CONSENT_CHANNELS,
    PURPOSES,
    ConsentRule,
    COMPLAINT_SEVERITIES,
    DEFAULT_COMPLAINT_CALLBACK,
    DEFAULT_COMPLAINT_SLA,
    ComplaintSla,
    CAP_SCOPES,
    COUNT_MODES,
    CUSTOMER_LEVELS,
    MISMATCH_MODES,
    DEFAULT_SENSITIVE_TAGS,
    DEFAULT_SUITABILITY,
    LEVEL_WITHOUT_ASSESSMENT,
    LINT_CODES,
    PRODUCT_LEVELS,
    PRODUCT_TYPES,
    SEVERITIES,
    Campaign,
    Cap,
    DisclosureRule,
    HolidayRule,
    MuteRule,
    Pack,
    PhraseRule,
    Product,
    StateRules,
    level_number,
)
from guard.core.reasons import BY_CODE
from guard.core.phones import NON_GEOGRAPHIC, NUMBER_KINDS, NumberRange, is_known_region
from guard.core.lint_scorer import MAX_GRAM, Scorer
from guard.core.lint_patterns import DEFAULT_WITHIN, GAP_MARKS, SLOTS, PatternError, canonical, expand, parse_pattern
from guard.core.text import STOP_CALLING_PHRASES, normalize_phrase
from guard.core.windows import DAY_NAMES, Window, WindowError, parse_window


@dataclass(frozen=True)
class PackIssue:
    source: str
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.path}: {self.reason}" if self.path else f"{self.source}: {self.reason}"


class PackError(Exception):
    def __init__(self, issues: list[PackIssue]):
        super().__init__("\n".join(str(i) for i in issues))
        self.issues = issues


TOP_LEVEL_KEYS = {
    "id": "pack id; several files may share it as versions",
    "version": "version label, a quoted string",
    "effective_from": "instant from which this version applies (ISO 8601 with offset)",
    "extends": "id of a pack to start from",
    "description": "free text",
    "country": "ISO country code",
    "countries": "phone regions whose numbers this pack governs (default: [country]); a number of another is OUT_OF_JURISDICTION",
    "region": "default region for numbers without a country code",
    "timezone": "IANA zone used when neither number nor customer gives one",
    "calling_windows": "allowed windows in callee local time",
    "holidays": "{calendar, block, subdiv?, add?, remove?, workdays?, periods?, source?}: a country calendar with the pack's corrections",
    "caps": "{normal: [...], sensitive: [...]}",
    "count": "attempts | connected",
    "mute": "{complaints, within, for}: a `for` in days ends at 24:00 of its last day where the callee is",
    "deferral_default": "default callback deferral (in days: until 24:00 of its last day where the callee is)",
    "risk_assessment_valid_for": "how long a risk assessment stays valid",
    "decision_valid_for": "how long after its decision a call may be placed (audits: a later call is UNCHECKED_CALL)",
    "decision_clock_tolerance": "how far a logged call may lie before its decision (clock differences) before it is UNCHECKED_CALL",
    "suitability": "highest product level per customer level",
    "sensitive_tags": "customer tags that select the sensitive caps",
    "products": "product list",
    "campaigns": "campaign list",
    "phrases": "linter phrase rules",
    "disclosures": "linter mandatory disclosures",
    "lint": "linter settings {negation: true|false, scorer: {sizes, bias, threshold, script_sentences, weights, trained_on}}",
    "script_approval": "{four_eyes: true|false, review_grace: <duration>}: a script version is approved by another key than the one "
                       "that stored it; an approved script that a new version of the pack fails keeps counting as approved for "
                       "review_grace (default: none) after that version takes effect",
    "classes": "word classes of the linter's patterns {name: [words]}, used in a pattern as {name}",
    "complaints": "{sla: {light|medium|severe: {first_response?, resolve?, escalate?}}}",
    "customer_mismatch": "judge_all | deny: a request naming a customer who is not the number's recorded owner",
    "zone_overrides": "[{prefix, zones, source?}]: corrections to the time zones the library gives numbers, by E.164 prefix",
    "unknown_zone": "deny | pack_timezone: a valid number with no known zone (and no customer zone)",
    "numbers": "{deny_types?: [number types], ranges?: [{prefix, length, type?, zones, source?}]}: which numbers are targets",
    "states": "{CODE: {calling_windows?, caps?, holidays?, source?}}: rules of states (subdivisions) on top of the pack's",
    "purposes": "{service: {rules: [reason codes]}}: the rules that bind a call of that purpose (marketing: every rule; a purpose "
                "not listed: every rule)",
    "consent": "{required_for: [purposes], scopes: [channels], max_age?, source?}: calls of these purposes need a valid consent in "
               "scope (CONSENT_MISSING)",
    "stop_calling": "more phrases in a complaint or call note that ask to stop calling (they blacklist), added to the built-in list",
}
# Keys an extending pack must state itself rather than inherit.
OWN_KEYS = ("id", "version", "effective_from", "extends", "description")


class _Checker:
    def __init__(self, source: str):
        self.source = source
        self.issues: list[PackIssue] = []

    def fail(self, path: str, reason: str) -> None:
        self.issues.append(PackIssue(self.source, path, reason))

    def string(self, obj: dict, key: str, path: str, *, required: bool = True, choices=None) -> str | None:
        value = obj.get(key)
        where = f"{path}.{key}" if path else key
        if value is None:
            if required:
                self.fail(where, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, str) or not value.strip():
            hint = " (quote it in YAML)" if isinstance(value, (int, float, bool)) else ""
            self.fail(where, f"{value!r} is not a non-empty string{hint}")
            return None
        if choices is not None and value not in choices:
            self.fail(where, f"{value!r} is not one of {', '.join(choices)}")
            return None
        return value

    def boolean(self, obj: dict, key: str, path: str, default: bool) -> bool:
        value = obj.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"{path}.{key}" if path else key, f"{value!r} is not true or false")
            return default
        return value

    def duration(self, obj: dict, key: str, path: str, default: str | None = None) -> tuple[timedelta, str] | None:
        where = f"{path}.{key}" if path else key
        value = obj.get(key, default)
        if value is None:
            self.fail(where, "is required")
            return None
        try:
            parsed = parse_duration(value)
        except DurationError as exc:
            self.fail(where, str(exc))
            return None
        if parsed <= timedelta(0):
            self.fail(where, f"{value!r} must be longer than zero")
            return None
        return parsed, value

    def integer(self, obj: dict, key: str, path: str, minimum: int) -> int | None:
        where = f"{path}.{key}" if path else key
        value = obj.get(key)
        if value is None:
            self.fail(where, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(where, f"{value!r} is not a whole number >= {minimum}")
            return None
        return value

    def mapping(self, value: Any, path: str, allowed: set[str], required: tuple[str, ...] = ()) -> dict | None:
        if not isinstance(value, dict):
            self.fail(path, "is not a mapping")
            return None
        for key in value:
            if key not in allowed:
                self.fail(f"{path}.{key}" if path else str(key), f"unknown key (expected one of {', '.join(sorted(allowed))})")
        for key in required:
            if key not in value:
                self.fail(f"{path}.{key}" if path else key, "is required")
        return value

    def sequence(self, value: Any, path: str, *, allow_empty: bool = True) -> list:
        if not isinstance(value, list):
            self.fail(path, "is not a list")
            return []
        if not value and not allow_empty:
            self.fail(path, "must not be empty")
        return value

    def strings(self, value: Any, path: str, *, allow_empty: bool = False) -> tuple[str, ...]:
        items = self.sequence(value, path, allow_empty=allow_empty)
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{path}[{i}]", f"{item!r} is not a non-empty string")
            else:
                out.append(item)
        return tuple(out)


# The end of a day written as ISO 8601 writes it, 24:00 (ISO 8601-1:2019/Amd 1:2022, 5.3.2; ISO 8601:2004, 4.2.3:
# "2026-12-31T24:00:00" is the same instant as "2027-01-01T00:00:00"), with its offset; 24:00 and nothing past it.
_END_OF_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]24(?::00(?::00(?:[.,]0+)?)?|00(?:00(?:[.,]0+)?)?)((?:[+-].+)?)", re.ASCII)


def _in_days(text: str) -> bool:
    """Whether a duration is written in days (`3d`): such a suppression is counted by calendar days (guard/core/periods.py)."""
    return text.strip().endswith("d")


def parse_instant(value: Any) -> datetime | None:
    """Accept an aware datetime or an ISO 8601 string with an offset; a time of 24:00 is the next day's 00:00, the same
    instant (Python's `fromisoformat` refuses the hour 24)."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            end = _END_OF_DAY.fullmatch(text)
            try:
                parsed = datetime.fromisoformat(f"{end[1]}T00:00{end[2]}") + timedelta(days=1) if end else None
            except (ValueError, OverflowError):
                parsed = None
            if parsed is None:
                return None
    else:
        return None
    return parsed if parsed.tzinfo is not None and parsed.utcoffset() is not None else None


def _windows(ck: _Checker, value: Any, path: str) -> tuple[Window, ...]:
    out = []
    for i, item in enumerate(ck.sequence(value, path, allow_empty=False)):
        try:
            out.append(parse_window(item))
        except WindowError as exc:
            ck.fail(f"{path}[{i}]" + (f".{exc.path}" if exc.path else ""), str(exc))
    return tuple(out)


def _date(ck: _Checker, value: Any, path: str) -> date | None:
    """A calendar date: YAML's own (2027-01-01 unquoted) or an ISO string."""
    if isinstance(value, datetime):
        ck.fail(path, f"{value!r} is a date-time; give a date like 2027-01-01")
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    ck.fail(path, f"{value!r} is not a date like 2027-01-01")
    return None


def _holiday_rule(ck: _Checker, value: Any, path: str) -> HolidayRule | None:
    """`{calendar, block, subdiv?, add?, remove?, workdays?, source?}`: a calendar of the holidays
    package, corrected by the pack (a new year's notice, a day the package has wrong)."""
    h = ck.mapping(value, path, {"calendar", "block", "subdiv", "add", "remove", "workdays", "source", "periods"}, ("calendar",))
    if h is None:
        return None
    calendar = ck.string(h, "calendar", path)
    subdiv = ck.string(h, "subdiv", path, required=False)
    block = ck.boolean(h, "block", path, True)
    source = ck.string(h, "source", path, required=False)
    if calendar and calendar not in supported_calendars():
        ck.fail(f"{path}.calendar", f"{calendar!r} is not a calendar of the holidays package (country codes like CN, US)")
        return None
    if calendar and subdiv and subdiv not in supported_calendars()[calendar]:
        ck.fail(f"{path}.subdiv", f"{subdiv!r} is not a subdivision of {calendar}")
        return None
    added: dict[date, str] = {}
    for i, item in enumerate(ck.sequence(h.get("add", []), f"{path}.add")):
        where = f"{path}.add[{i}]"
        if isinstance(item, dict):
            if ck.mapping(item, where, {"date", "from", "to", "name"}) is None:
                continue
            name = ck.string(item, "name", where, required=False) or "holiday (pack)"
            if "date" in item and ("from" in item or "to" in item):
                ck.fail(where, "give either date or from/to, not both")
                continue
            if "date" in item:
                first = last = _date(ck, item["date"], f"{where}.date")
            elif "from" in item and "to" in item:
                first, last = _date(ck, item["from"], f"{where}.from"), _date(ck, item["to"], f"{where}.to")
            else:
                ck.fail(where, "needs date, or from and to")
                continue
            if first is None or last is None:
                continue
            if last < first:
                ck.fail(f"{where}.to", f"{last.isoformat()} is before from ({first.isoformat()})")
                continue
            if (last - first).days > 31:
                ck.fail(where, f"{first.isoformat()}..{last.isoformat()} is longer than a month: a holiday period is days, not months")
                continue
            day = first
            while day <= last:
                added[day] = name
                day += timedelta(days=1)
        else:
            day = _date(ck, item, where)
            if day is not None:
                added[day] = "holiday (pack)"
    removed: set[date] = set()
    for i, item in enumerate(ck.sequence(h.get("remove", []), f"{path}.remove")):
        day = _date(ck, item, f"{path}.remove[{i}]")
        if day is None:
            continue
        if day in added:
            ck.fail(f"{path}.remove[{i}]", f"{day.isoformat()} is also in add: a day is either a day off or not")
        removed.add(day)
    workdays: dict[date, int] = {}
    for i, item in enumerate(ck.sequence(h.get("workdays", []), f"{path}.workdays")):
        where = f"{path}.workdays[{i}]"
        weekday = 0
        if isinstance(item, dict):
            if ck.mapping(item, where, {"date", "as"}, ("date",)) is None:
                continue
            day = _date(ck, item["date"], f"{where}.date")
            as_ = ck.string(item, "as", where, required=False, choices=DAY_NAMES)
            weekday = DAY_NAMES.index(as_) if as_ else 0
            if as_ is not None and weekday >= 5:
                ck.fail(f"{where}.as", f"{as_!r} is a weekend day; a makeup working day counts as a weekday (mon..fri)")
        else:
            day = _date(ck, item, where)
        if day is None:
            continue
        if day in added:
            ck.fail(where, f"{day.isoformat()} is also in add: a day is either a day off or a working day")
            continue
        workdays[day] = weekday
    if not calendar:
        return None
    periods = ck.boolean(h, "periods", path, calendar in PERIOD_CALENDARS)
    return HolidayRule(calendar=calendar, block=block, subdiv=subdiv, add=tuple(sorted(added.items())), remove=frozenset(removed),
                       workdays=tuple(sorted(workdays.items())), source=source, periods=periods)


def _states(ck: _Checker, value: Any, country: str | None) -> dict[str, StateRules]:
    """`{FL: {calling_windows?, caps?, holidays?, source?}, ...}`: each state's rules, by its code."""
    states = ck.mapping(value, "states", set(value) if isinstance(value, dict) else set())
    out: dict[str, StateRules] = {}
    known = supported_calendars().get(country or "", ())
    for code, item in (states or {}).items():
        where = f"states.{code}"
        if not isinstance(code, str) or (known and code not in known):
            ck.fail(where, f"{code!r} is not a subdivision of {country} (the holidays package's codes, like FL)")
            continue
        if ck.mapping(item, where, {"calling_windows", "caps", "holidays", "source"}) is None:
            continue
        if not item:
            ck.fail(where, "needs at least one of calling_windows, caps, holidays")
            continue
        windows = _windows(ck, item["calling_windows"], f"{where}.calling_windows") if "calling_windows" in item else ()
        caps = _caps(ck, item["caps"], f"{where}.caps") if "caps" in item else ()
        holidays = _holiday_rule(ck, item["holidays"], f"{where}.holidays") if item.get("holidays") is not None else None
        source = ck.string(item, "source", where, required=False)
        out[code] = StateRules(code, windows, caps, holidays, source)
    return out


def _numbers(ck: _Checker, value: Any) -> tuple[frozenset[str], tuple[NumberRange, ...]]:
    n = ck.mapping(value, "numbers", {"deny_types", "ranges"})
    if n is None:
        return frozenset(), ()
    kinds = set(NUMBER_KINDS.values())
    deny = set()
    for i, kind in enumerate(ck.strings(n.get("deny_types", []), "numbers.deny_types", allow_empty=True)):
        if kind not in kinds:
            ck.fail(f"numbers.deny_types[{i}]", f"{kind!r} is not a number type ({', '.join(sorted(kinds))})")
        deny.add(kind)
    ranges = []
    for i, item in enumerate(ck.sequence(n.get("ranges", []), "numbers.ranges")):
        where = f"numbers.ranges[{i}]"
        if ck.mapping(item, where, {"prefix", "length", "type", "zones", "source"}, ("prefix", "length", "zones")) is None:
            continue
        prefix = ck.string(item, "prefix", where)
        length = ck.integer(item, "length", where, minimum=4)
        kind = ck.string(item, "type", where, required=False, choices=sorted(kinds)) or "mobile"
        zones = ck.strings(item.get("zones"), f"{where}.zones")
        ck.string(item, "source", where, required=False)
        if prefix and (not prefix.startswith("+") or not prefix[1:].isdigit()):
            ck.fail(f"{where}.prefix", f"{prefix!r} is not an E.164 prefix (a + and digits, like +86149)")
            continue
        bad_zone = False
        for j, zone in enumerate(zones):
            if zone_named(zone) is None:
                ck.fail(f"{where}.zones[{j}]", f"{zone!r} is not an IANA time zone (like Asia/Shanghai)")
                bad_zone = True
        if prefix and length and zones and not bad_zone:
            ranges.append(NumberRange(prefix, length, kind, zones))
    return frozenset(deny), tuple(ranges)


def _zone_overrides(ck: _Checker, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out: dict[str, tuple[str, ...]] = {}
    for i, item in enumerate(ck.sequence(value, "zone_overrides")):
        where = f"zone_overrides[{i}]"
        if ck.mapping(item, where, {"prefix", "zones", "source"}, ("prefix", "zones")) is None:
            continue
        prefix = ck.string(item, "prefix", where)
        ck.string(item, "source", where, required=False)
        zones = ck.strings(item.get("zones"), f"{where}.zones")
        if prefix and (not prefix.startswith("+") or not prefix[1:].isdigit() or len(prefix) < 2):
            ck.fail(f"{where}.prefix", f"{prefix!r} is not an E.164 prefix (a + and digits, like +74012)")
            continue
        if prefix in out:
            ck.fail(f"{where}.prefix", f"{prefix!r} is listed twice")
            continue
        good = True
        for j, zone in enumerate(zones):
            if zone_named(zone) is None:
                ck.fail(f"{where}.zones[{j}]", f"{zone!r} is not an IANA time zone (like Asia/Shanghai)")
                good = False
        if prefix and zones and good:
            out[prefix] = zones
    return tuple(sorted(out.items(), key=lambda kv: -len(kv[0])))


def _caps(ck: _Checker, value: Any, path: str) -> tuple[Cap, ...]:
    out = []
    for i, item in enumerate(ck.sequence(value, path, allow_empty=False)):
        where = f"{path}[{i}]"
        if ck.mapping(item, where, {"scope", "window", "max"}, ("scope", "window", "max")) is None:
            continue
        scope = ck.string(item, "scope", where, choices=CAP_SCOPES)
        window = ck.duration(item, "window", where)
        limit = ck.integer(item, "max", where, minimum=0)
        if scope and window and limit is not None:
            out.append(Cap(scope=scope, window=window[0], max=limit, window_text=window[1]))
    return tuple(out)


def _product_types(ck: _Checker, value: Any, path: str) -> frozenset[str] | None:
    if value is None:
        return None
    types = ck.strings(value, path)
    if "all" in types:
        return None
    for i, t in enumerate(types):
        if t not in PRODUCT_TYPES:
            ck.fail(f"{path}[{i}]", f"{t!r} is not a product type ({', '.join(PRODUCT_TYPES)}, or all)")
    return frozenset(types)


def parse_product(ck: _Checker, item: Any, where: str, code: str | None = None) -> Product | None:
    """Validate one product mapping; `code` is given when it comes from the URL, not the body."""
    keys = {"type", "risk", "needs_risk_assessment", "name"} | ({"code"} if code is None else set())
    if ck.mapping(item, where, keys, ("type", "risk") if code else ("code", "type", "risk")) is None:
        return None
    code = code if code is not None else ck.string(item, "code", where)
    ptype = ck.string(item, "type", where, choices=PRODUCT_TYPES)
    risk = ck.string(item, "risk", where, choices=PRODUCT_LEVELS)
    name = ck.string(item, "name", where, required=False)
    needs = ck.boolean(item, "needs_risk_assessment", where, True)
    if not needs and risk and level_number(risk) > level_number(LEVEL_WITHOUT_ASSESSMENT):
        ck.fail(f"{where}.needs_risk_assessment",
                f"false is allowed only for a product of risk level {LEVEL_WITHOUT_ASSESSMENT}: one of level {risk} is matched "
                "against the customer's assessed level")
    if code and ptype and risk:
        return Product(code=code, type=ptype, risk=risk, needs_risk_assessment=needs, name=name)
    return None


def parse_campaign(ck: _Checker, item: Any, where: str, campaign_id: str | None = None) -> Campaign | None:
    keys = {"products", "require_approved_script", "name", "packs", "purposes"} | ({"id"} if campaign_id is None else {"pack"})
    if ck.mapping(item, where, keys, () if campaign_id else ("id",)) is None:
        return None
    cid = campaign_id if campaign_id is not None else ck.string(item, "id", where)
    products = ck.strings(item.get("products", []), f"{where}.products", allow_empty=True)
    require = ck.boolean(item, "require_approved_script", where, False)
    name = ck.string(item, "name", where, required=False)
    pack = ck.string(item, "pack", where, required=False) if campaign_id is not None else None
    by_country: dict[str, str] = {}
    if item.get("packs") is not None:
        mapping = ck.mapping(item["packs"], f"{where}.packs", set(item["packs"]) if isinstance(item["packs"], dict) else set())
        for country, pack_id in (mapping or {}).items():
            if not isinstance(country, str) or not is_known_region(country):
                ck.fail(f"{where}.packs.{country}", f"{country!r} is not a known phone region (ISO 3166 code such as CN or US)")
            elif not isinstance(pack_id, str) or not pack_id.strip():
                ck.fail(f"{where}.packs.{country}", f"{pack_id!r} is not a pack id")
            else:
                by_country[country.upper()] = pack_id
    purposes = None
    if item.get("purposes") is not None:
        purposes = ck.strings(item["purposes"], f"{where}.purposes")
        for j, p in enumerate(purposes):
            if p not in PURPOSES:
                ck.fail(f"{where}.purposes[{j}]", f"{p!r} is not a purpose ({', '.join(PURPOSES)})")
        purposes = tuple(dict.fromkeys(purposes))
    if cid:
        return Campaign(id=cid, products=products, require_approved_script=require, name=name, pack=pack,
                        packs=tuple(sorted(by_country.items())), purposes=purposes)
    return None


def _matchable(ck: _Checker, where: str, lists: dict[str, tuple[str, ...]]) -> None:
    """Every phrase must keep some letters or digits once normalised (else it would match everywhere).

    `lists` maps a key path under `where` (e.g. `patterns`, `near.any_of`) to the phrases read from it.
    """
    for key, phrases in lists.items():
        for i, phrase in enumerate(phrases):
            if not normalize_phrase(phrase):
                ck.fail(f"{where}.{key}[{i}]" if where else f"{key}[{i}]", f"{phrase!r} has no letters or digits once normalised (spaces, punctuation and symbols are ignored)")


def _classes(ck: _Checker, value: Any) -> dict[str, tuple[str, ...]]:
    """`classes: {name: [words]}`: word classes for the linter's patterns (`{name}`)."""
    out: dict[str, tuple[str, ...]] = {}
    if value is None:
        return out
    if not isinstance(value, dict):
        ck.fail("classes", "is not a mapping of class name to a list of words")
        return out
    for name, words in value.items():
        where = f"classes.{name}"
        if not isinstance(name, str) or not name.strip() or any(c in name for c in "{}…"):
            ck.fail(where, f"{name!r} is not a usable class name (text without braces or …)")
            continue
        if name in SLOTS:
            ck.fail(where, f"{name!r} is a number slot ({SLOTS[name]}); choose another name")
            continue
        items = ck.strings(words, where)
        for i, word in enumerate(items):
            if "{" in word or "}" in word or any(m in word for m in GAP_MARKS):
                ck.fail(f"{where}[{i}]", f"{word!r}: a class word is plain text (no {{class}}, slot or …)")
            elif not normalize_phrase(word):
                ck.fail(f"{where}[{i}]", f"{word!r} has no letters or digits once normalised (spaces, punctuation and symbols are ignored)")
        out[name] = items
    return out


def _expandable(ck: _Checker, where: str, lists: dict[str, tuple[str, ...]], classes: dict[str, tuple[str, ...]]) -> None:
    """Phrase lists other than patterns may use classes ({name}) but no slots or gaps."""
    plain: dict[str, tuple[str, ...]] = {}
    for key, phrases in lists.items():
        keep = []
        for i, phrase in enumerate(phrases):
            if "{" in phrase or "}" in phrase or any(m in phrase for m in GAP_MARKS):
                try:
                    expand(phrase, classes)
                except PatternError as exc:
                    ck.fail(f"{where}.{key}[{i}]" if where else f"{key}[{i}]", str(exc))
                keep.append("x")  # checked; stands in for the phrase's position
            else:
                keep.append(phrase)
        plain[key] = tuple(keep)
    _matchable(ck, where, plain)


def _patterns(ck: _Checker, value: Any, where: str, classes: dict[str, tuple[str, ...]]) -> tuple[tuple[str, ...], tuple[int | None, ...]]:
    """A rule's patterns (strings, or `{all: [...], within: N}`), as canonical strings and their own limits."""
    items = ck.sequence(value, f"{where}.patterns", allow_empty=False)
    texts, limits = [], []
    for i, item in enumerate(items):
        try:
            seq = parse_pattern(item, classes, normalize_phrase)
        except PatternError as exc:
            ck.fail(f"{where}.patterns[{i}]", str(exc))
            continue
        texts.append(canonical(item))
        limits.append(seq.within)
    return tuple(texts), tuple(limits) if any(x is not None for x in limits) else ()


def _phrases(ck: _Checker, value: Any, classes: dict[str, tuple[str, ...]] | None = None) -> tuple[PhraseRule, ...]:
    classes = classes or {}
    allowed = {"id", "code", "severity", "patterns", "except", "product_types", "suggestion", "message", "rationale",
               "near", "unless_mentions", "within"}
    out, seen = [], set()
    for i, item in enumerate(ck.sequence(value, "phrases")):
        where = f"phrases[{i}]"
        if ck.mapping(item, where, allowed, ("id", "code", "severity", "patterns", "suggestion")) is None:
            continue
        rid = ck.string(item, "id", where)
        if rid in seen:
            ck.fail(f"{where}.id", f"{rid!r} is used by another rule")
        seen.add(rid)
        code = ck.string(item, "code", where, choices=LINT_CODES)
        severity = ck.string(item, "severity", where, choices=SEVERITIES)
        patterns, limits = _patterns(ck, item.get("patterns"), where, classes)
        excepts = ck.strings(item.get("except", []), f"{where}.except", allow_empty=True)
        types = _product_types(ck, item.get("product_types"), f"{where}.product_types")
        suggestion = ck.string(item, "suggestion", where)
        message = ck.string(item, "message", where, required=False)
        rationale = ck.string(item, "rationale", where, required=False)
        within = DEFAULT_WITHIN
        if item.get("within") is not None:
            within = ck.integer(item, "within", where, minimum=1) or DEFAULT_WITHIN
        near, near_within = (), 0
        if item.get("near") is not None:
            nr = ck.mapping(item["near"], f"{where}.near", {"any_of", "within"}, ("any_of", "within"))
            if nr is not None:
                near = ck.strings(nr.get("any_of"), f"{where}.near.any_of")
                near_within = ck.integer(nr, "within", f"{where}.near", minimum=1) or 0
        unless = ck.strings(item.get("unless_mentions", []), f"{where}.unless_mentions", allow_empty=True)
        _expandable(ck, where, {"except": excepts, "near.any_of": near, "unless_mentions": unless}, classes)
        if rid and code and severity and patterns and suggestion:
            out.append(
                PhraseRule(rid, code, severity, patterns, excepts, types, suggestion, message or f"{code}: {rid}", rationale,
                           near=near, near_within=near_within, unless_mentions=unless, within=within,
                           pattern_within=limits)
            )
    return tuple(out)


def _disclosures(ck: _Checker, value: Any, classes: dict[str, tuple[str, ...]] | None = None) -> tuple[DisclosureRule, ...]:
    allowed = {"id", "product_types", "any_of", "message", "severity", "suggestion", "rationale", "when_mentions"}
    out, seen = [], set()
    for i, item in enumerate(ck.sequence(value, "disclosures")):
        where = f"disclosures[{i}]"
        if ck.mapping(item, where, allowed, ("id", "product_types", "any_of", "message")) is None:
            continue
        rid = ck.string(item, "id", where)
        if rid in seen:
            ck.fail(f"{where}.id", f"{rid!r} is used by another rule")
        seen.add(rid)
        types = _product_types(ck, item.get("product_types"), f"{where}.product_types")
        any_of = ck.strings(item.get("any_of"), f"{where}.any_of")
        message = ck.string(item, "message", where)
        severity = ck.string(item, "severity", where, required=False, choices=SEVERITIES) or "error"
        suggestion = ck.string(item, "suggestion", where, required=False)
        rationale = ck.string(item, "rationale", where, required=False)
        when = ck.strings(item.get("when_mentions", []), f"{where}.when_mentions", allow_empty=True)
        _expandable(ck, where, {"any_of": any_of, "when_mentions": when}, classes or {})
        if rid and any_of and message:
            out.append(DisclosureRule(rid, types, any_of, message, severity, suggestion, rationale, when_mentions=when))
    return tuple(out)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _number(ck: Checker, value: Any, where: str) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        ck.fail(where, f"{value!r} is not a finite number")
        return None
    return float(value)


def _scorer(ck: Checker, value: Any) -> Scorer | None:
    """`lint.scorer`: the learned scorer's data (guard/core/lint_scorer.py), written by
    `python -m policies.lint_scorer_train --write`: n-gram sizes, bias, threshold, weights by n-gram."""
    path = "lint.scorer"
    sc = ck.mapping(value, path, {"sizes", "bias", "threshold", "weights", "trained_on", "script_sentences"},
                    required=("bias", "threshold", "weights"))
    if sc is None:
        return None
    before = len(ck.issues)
    sizes = sc.get("sizes", [1, 2, 3])
    if (not isinstance(sizes, list) or not sizes
            or any(isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_GRAM for k in sizes)):
        ck.fail(f"{path}.sizes", f"{sizes!r} is not a list of n-gram sizes from 1 to {MAX_GRAM}")
    bias = _number(ck, sc.get("bias"), f"{path}.bias")
    threshold = _number(ck, sc.get("threshold"), f"{path}.threshold")
    weights: dict[str, float] = {}
    raw = sc.get("weights")
    if not isinstance(raw, dict) or not raw:
        ck.fail(f"{path}.weights", "is not a non-empty mapping of n-gram to weight")
    else:
        for gram, weight in raw.items():
            where = f"{path}.weights.{gram}"
            if not isinstance(gram, str) or not gram or normalize_phrase(gram) != gram:
                ck.fail(where, "is not an n-gram of normalised text (simplified, half-width, no punctuation)")
            elif isinstance(sizes, list) and len(gram) not in sizes:
                ck.fail(where, f"is {len(gram)} characters long; the sizes are {sizes}")
            elif (w := _number(ck, weight, where)) is not None:
                weights[gram] = w
    if bias is not None and threshold is not None and threshold < bias:
        ck.fail(f"{path}.threshold", f"{threshold} is below the bias {bias}: every sentence of n-grams the weights "
                                     f"do not know would be flagged")
    trained_on = sc.get("trained_on") or ""
    if not isinstance(trained_on, str):
        ck.fail(f"{path}.trained_on", f"{trained_on!r} is not a string")
    script_sentences = sc.get("script_sentences")
    if script_sentences is not None and (isinstance(script_sentences, bool) or not isinstance(script_sentences, int)
                                         or script_sentences < 2):
        ck.fail(f"{path}.script_sentences", f"{script_sentences!r} is not a number of sentences of at least 2 (or null: "
                                            f"the scorer judges texts of any length)")
    if len(ck.issues) > before:
        return None
    return Scorer(weights=weights, bias=bias, threshold=threshold, sizes=tuple(sizes), trained_on=trained_on,
                  script_sentences=script_sentences)


def pack_hash(resolved: dict[str, Any]) -> str:
    """A stable hash of the resolved pack: decisions record it to name exactly what decided."""
    canonical = json.dumps(_jsonable(resolved), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge `overlay` onto `base`: mappings merge key by key, lists and scalars replace."""
    out = copy.deepcopy(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def build_pack(raw: Any, source: str, base: Pack | None = None) -> Pack:
    """Validate `raw` (with `base` applied when it extends one) into a Pack, or raise PackError."""
    ck = _Checker(source)
    if ck.mapping(raw, "", set(TOP_LEVEL_KEYS)) is None:
        raise PackError(ck.issues)
    resolved = raw
    if raw.get("extends") is not None:
        if base is None:
            ck.fail("extends", f"{raw['extends']!r}: no such pack is loaded")
            raise PackError(ck.issues)
        inherited = {k: v for k, v in base.resolved.items() if k not in OWN_KEYS}
        resolved = merge(inherited, {k: v for k, v in raw.items() if k not in ("extends",)})
        resolved["extends"] = raw["extends"]
    for key in ("calling_windows", "caps"):  # the other required keys are checked as they are read
        if key not in resolved:
            ck.fail(key, "is required")

    pack_id = ck.string(resolved, "id", "")
    version = ck.string(resolved, "version", "")
    effective_from = None
    if "effective_from" in resolved:
        effective_from = parse_instant(resolved["effective_from"])
        if effective_from is None:
            ck.fail("effective_from", f"{resolved['effective_from']!r} is not an ISO 8601 instant with a UTC offset")
    country = ck.string(resolved, "country", "")
    countries = frozenset([country.upper()]) if country else frozenset()
    if "countries" in resolved:
        listed = ck.strings(resolved["countries"], "countries")
        for i, code in enumerate(listed):
            if code != NON_GEOGRAPHIC and not is_known_region(code):
                ck.fail(f"countries[{i}]", f"{code!r} is not a known phone region (ISO 3166 code such as CN or US, or 001 for "
                                           "non-geographic numbers like +800)")
        countries = frozenset(c.upper() for c in listed)
    region = ck.string(resolved, "region", "")
    if region and not is_known_region(region):
        ck.fail("region", f"{region!r} is not a known phone region (ISO 3166 code such as CN or US)")
    tz = ck.string(resolved, "timezone", "")
    if tz:
        if zone_named(tz) is None:
            ck.fail("timezone", f"{tz!r} is not an IANA time zone (like Asia/Shanghai)")

    windows = _windows(ck, resolved.get("calling_windows"), "calling_windows") if "calling_windows" in resolved else ()

    holidays_rule = _holiday_rule(ck, resolved["holidays"], "holidays") if resolved.get("holidays") is not None else None

    caps_normal: tuple[Cap, ...] = ()
    caps_sensitive = None
    if "caps" in resolved:
        c = ck.mapping(resolved["caps"], "caps", {"normal", "sensitive"}, ("normal",))
        if c is not None:
            if "normal" in c:
                caps_normal = _caps(ck, c["normal"], "caps.normal")
            if c.get("sensitive") is not None:
                caps_sensitive = _caps(ck, c["sensitive"], "caps.sensitive")

    count = ck.string(resolved, "count", "", required=False, choices=COUNT_MODES) or "attempts"
    mismatch = ck.string(resolved, "customer_mismatch", "", required=False, choices=MISMATCH_MODES) or "judge_all"

    mute = None
    if resolved.get("mute") is not None:
        m = ck.mapping(resolved["mute"], "mute", {"complaints", "within", "for"}, ("complaints", "within", "for"))
        if m is not None:
            n = ck.integer(m, "complaints", "mute", minimum=1)
            within = ck.duration(m, "within", "mute")
            for_ = ck.duration(m, "for", "mute")
            if n and within and for_:
                mute = MuteRule(complaints=n, within=within[0], for_=for_[0], for_in_days=_in_days(for_[1]))

    deferral = ck.duration(resolved, "deferral_default", "", default="3d")
    validity = ck.duration(resolved, "risk_assessment_valid_for", "", default="365d")
    decision_valid_for = ck.duration(resolved, "decision_valid_for", "", default="5m")
    clock_tolerance = ck.duration(resolved, "decision_clock_tolerance", "", default="5s")

    suitability = dict(DEFAULT_SUITABILITY)
    if resolved.get("suitability") is not None:
        s = ck.mapping(resolved["suitability"], "suitability", set(CUSTOMER_LEVELS), CUSTOMER_LEVELS)
        if s is not None:
            for level in CUSTOMER_LEVELS:
                if level in s:
                    value = ck.string(s, level, "suitability", choices=PRODUCT_LEVELS)
                    if value:
                        suitability[level] = value
            ordered = [level_number(suitability[c]) for c in CUSTOMER_LEVELS]
            if ordered != sorted(ordered):
                ck.fail("suitability", "a higher customer level must not allow less than a lower one")

    sensitive_tags = frozenset(DEFAULT_SENSITIVE_TAGS)
    if "sensitive_tags" in resolved:
        sensitive_tags = frozenset(ck.strings(resolved["sensitive_tags"], "sensitive_tags"))

    products: dict[str, Product] = {}
    for i, item in enumerate(ck.sequence(resolved.get("products", []), "products")):
        product = parse_product(ck, item, f"products[{i}]")
        if product:
            if product.code in products:
                ck.fail(f"products[{i}].code", f"{product.code!r} is listed twice")
            products[product.code] = product

    campaigns: dict[str, Campaign] = {}
    for i, item in enumerate(ck.sequence(resolved.get("campaigns", []), "campaigns")):
        campaign = parse_campaign(ck, item, f"campaigns[{i}]")
        if campaign:
            if campaign.id in campaigns:
                ck.fail(f"campaigns[{i}].id", f"{campaign.id!r} is listed twice")
            for j, code in enumerate(campaign.products):
                if code not in products:
                    ck.fail(f"campaigns[{i}].products[{j}]", f"{code!r} is not a product of this pack")
            campaigns[campaign.id] = campaign

    lint_classes = _classes(ck, resolved.get("classes"))
    phrases = _phrases(ck, resolved.get("phrases", []), lint_classes)
    disclosures = _disclosures(ck, resolved.get("disclosures", []), lint_classes)
    four_eyes = False
    review_grace = timedelta(0)
    if resolved.get("script_approval") is not None:
        approval = ck.mapping(resolved["script_approval"], "script_approval", {"four_eyes", "review_grace"})
        if approval is not None:
            four_eyes = ck.boolean(approval, "four_eyes", "script_approval", False)
            grace = ck.duration(approval, "review_grace", "script_approval") if "review_grace" in approval else None
            review_grace = grace[0] if grace is not None else timedelta(0)

    lint_negation = True
    lint_scorer = None
    if resolved.get("lint") is not None:
        lint = ck.mapping(resolved["lint"], "lint", {"negation", "scorer"})
        if lint is not None:
            lint_negation = ck.boolean(lint, "negation", "lint", True)
            if lint.get("scorer") is not None:
                lint_scorer = _scorer(ck, lint["scorer"])

    complaint_sla = dict(DEFAULT_COMPLAINT_SLA)
    complaint_callback: timedelta | None = DEFAULT_COMPLAINT_CALLBACK
    if resolved.get("complaints") is not None:
        cm = ck.mapping(resolved["complaints"], "complaints", {"sla", "callback"})
        if cm is not None and "callback" in cm:
            if cm["callback"] == "none":
                complaint_callback = None
            else:
                parsed_callback = ck.duration(cm, "callback", "complaints")
                complaint_callback = parsed_callback[0] if parsed_callback else None
        if cm is not None and cm.get("sla") is not None:
            sla = ck.mapping(cm["sla"], "complaints.sla", set(COMPLAINT_SEVERITIES))
            for severity in COMPLAINT_SEVERITIES if sla is not None else ():
                if severity not in sla:
                    continue
                where = f"complaints.sla.{severity}"
                item = ck.mapping(sla[severity], where, {"first_response", "resolve", "escalate"})
                if item is None:
                    continue
                if not item:
                    ck.fail(where, "needs at least one of first_response, resolve, escalate")
                    continue
                parsed = {k: ck.duration(item, k, where) for k in ("first_response", "resolve", "escalate") if k in item}
                if all(parsed.values()):
                    complaint_sla[severity] = ComplaintSla(**{k: v[0] for k, v in parsed.items() if v},
                                                           in_days=frozenset(k for k, v in parsed.items() if v and v[1].strip().endswith("d")))

    zone_overrides = _zone_overrides(ck, resolved.get("zone_overrides", []))
    states = _states(ck, resolved["states"], country) if resolved.get("states") is not None else {}
    deny_kinds, ranges = _numbers(ck, resolved["numbers"]) if resolved.get("numbers") is not None else (frozenset(), ())
    unknown_zone = ck.string(resolved, "unknown_zone", "", required=False, choices=("deny", "pack_timezone")) or "deny"

    # The pack's phrases add to the built-in ones, never replace them: an officer who adds one wording must not
    # silently drop 不要再打 and the rest (a missed stop request is a call to someone who refused).
    stop_calling = STOP_CALLING_PHRASES
    if "stop_calling" in resolved:
        extra = ck.strings(resolved["stop_calling"], "stop_calling") or ()
        _matchable(ck, "", {"stop_calling": extra})
        stop_calling = STOP_CALLING_PHRASES + tuple(p for p in extra if p not in STOP_CALLING_PHRASES)

    purpose_rules = _purposes(ck, resolved["purposes"]) if resolved.get("purposes") is not None else {}
    consent = _consent(ck, resolved["consent"]) if resolved.get("consent") is not None else None

    description = ck.string(resolved, "description", "", required=False)
    if ck.issues:
        raise PackError(ck.issues)
    assert pack_id and version and effective_from and country and region and tz and deferral and validity
    assert decision_valid_for and clock_tolerance
    return Pack(
        id=pack_id,
        version=version,
        effective_from=effective_from,
        country=country,
        region=region.upper(),
        timezone=tz,
        calling_windows=windows,
        holidays=holidays_rule,
        caps_normal=caps_normal,
        caps_sensitive=caps_sensitive,
        count=count,
        mute=mute,
        deferral_default=deferral[0],
        deferral_default_in_days=_in_days(deferral[1]),
        risk_assessment_valid_for=validity[0],
        suitability=suitability,
        products=products,
        campaigns=campaigns,
        phrases=phrases,
        disclosures=disclosures,
        sensitive_tags=sensitive_tags,
        lint_negation=lint_negation,
        lint_scorer=lint_scorer,
        extends=resolved.get("extends"),
        description=description,
        source=source,
        hash=pack_hash(resolved),
        resolved=_jsonable(resolved),
        base=(base.id, base.version) if base is not None and raw.get("extends") is not None else None,
        complaint_sla=complaint_sla,
        complaint_callback=complaint_callback,
        customer_mismatch=mismatch,
        countries=countries,
        stop_calling=stop_calling,
        zone_overrides=zone_overrides,
        unknown_zone=unknown_zone,
        deny_number_kinds=deny_kinds,
        number_ranges=ranges,
        states=states,
        script_four_eyes=bool(four_eyes),
        script_review_grace=review_grace,
        decision_valid_for=decision_valid_for[0],
        decision_clock_tolerance=clock_tolerance[0],
        lint_classes=lint_classes,
        purpose_rules=purpose_rules,
        consent=consent,
    )


def _purposes(ck: _Checker, value: Any) -> dict[str, frozenset[str] | None]:
    out: dict[str, frozenset[str] | None] = {}
    others = tuple(p for p in PURPOSES if p != "marketing")
    table = ck.mapping(value, "purposes", set(others))
    if table is None:
        return out
    for purpose, item in table.items():
        if purpose not in others:  # marketing calls are bound by every rule: reported as an unknown key
            continue
        where = f"purposes.{purpose}"
        spec = ck.mapping(item, where, {"rules"}, ("rules",))
        if spec is None or "rules" not in spec:
            continue
        rules = ck.strings(spec["rules"], f"{where}.rules", allow_empty=True)
        for i, code in enumerate(rules):
            if code not in BY_CODE:
                ck.fail(f"{where}.rules[{i}]", f"{code!r} is not a registered reason code")
        out[purpose] = frozenset(rules) | ALWAYS_BINDING
    return out


def _consent(ck: _Checker, value: Any) -> ConsentRule | None:
    c = ck.mapping(value, "consent", {"required_for", "scopes", "max_age", "source"}, ("required_for",))
    if c is None or "required_for" not in c:
        return None
    required = ck.strings(c["required_for"], "consent.required_for", allow_empty=True)
    for i, purpose in enumerate(required):
        if purpose not in PURPOSES:
            ck.fail(f"consent.required_for[{i}]", f"{purpose!r} is not one of {', '.join(PURPOSES)}")
    scopes = ck.strings(c["scopes"], "consent.scopes") if "scopes" in c else ("phone",)
    for i, channel in enumerate(scopes):
        if channel not in CONSENT_CHANNELS:
            ck.fail(f"consent.scopes[{i}]", f"{channel!r} is not one of {', '.join(CONSENT_CHANNELS)}")
    max_age = ck.duration(c, "max_age", "consent") if "max_age" in c else None
    source = ck.string(c, "source", "consent", required=False)
    return ConsentRule(required_for=frozenset(required), scopes=frozenset(scopes), max_age=max_age[0] if max_age else None,
                       max_age_text=max_age[1] if max_age else None, source=source)


def check_with(ck_source: str, fn: Callable[[_Checker], Any]) -> Any:
    """Run one of the item parsers (products, campaigns) outside a pack; raise PackError on problems."""
    ck = _Checker(ck_source)
    result = fn(ck)
    if ck.issues:
        raise PackError(ck.issues)
    return result
