"""Policy packs as typed values, and the timeline that picks the version in effect at an instant.

Parsing and validation of the YAML mapping live in `pack_schema.py`; this module holds what
the rules read. A `Pack` is fully resolved (any `extends` already applied) and immutable.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime, timedelta
from typing import Any, Sequence
from zoneinfo import ZoneInfo

from guard.core.calendar import DayCalendar, DayRules, day_calendar, notice_missing, notice_years, package_version
from guard.core.lint_scorer import Scorer
from guard.core.phones import NumberRange
from guard.core.vocabularies import VOCABULARIES, codes
from guard.core.windows import Window

PRODUCT_TYPES = codes("product_types")
CUSTOMER_LEVELS = codes("customer_levels")
PRODUCT_LEVELS = codes("product_levels")
LINT_CODES = VOCABULARIES["lint_codes"].where_extra("rule", "phrase")  # the codes a phrase rule may give
SEVERITIES = codes("lint_severities")
CAP_SCOPES = codes("cap_scopes")
COUNT_MODES = codes("count_modes")
PURPOSES = codes("call_purposes")
CONSENT_CHANNELS = codes("consent_channels")
# Rules that bind a call whatever its purpose: without them no other rule can be judged (which
# number, whose rules, which campaign), so a pack's `purposes` cannot switch them off.
ALWAYS_BINDING = frozenset({"INVALID_NUMBER", "OUT_OF_JURISDICTION", "NUMBER_TYPE", "CUSTOMER_MISMATCH", "ZONE_UNKNOWN",
                            "UNKNOWN_CAMPAIGN", "UNKNOWN_PRODUCT"})
# When the request names a customer and the number is recorded as someone else's: judge the call by
# every customer of it (the default), or deny it outright (CUSTOMER_MISMATCH).
MISMATCH_MODES = ("judge_all", "deny")
DEFAULT_SENSITIVE_TAGS = ("sensitive", "高敏感", "低信任")
DEFAULT_SUITABILITY = {"C1": "R1", "C2": "R2", "C3": "R3", "C4": "R4", "C5": "R5"}


def level_number(level: str) -> int:
    """`C3` -> 3, `R2` -> 2."""
    return int(level[1:])


@dataclass(frozen=True)
class Cap:
    scope: str
    window: timedelta
    max: int
    window_text: str

    def describe(self) -> dict[str, Any]:
        return {"scope": self.scope, "window": self.window_text, "limit": self.max}


# The only product level that may be sold without assessing the customer (a deposit, a card, a loan):
# any other is matched against the customer's assessed level (证券期货投资者适当性管理办法 第十八条, 第二十二条（三）;
# 商业银行理财业务监督管理办法, assessed before the first purchase; docs/research/cn-bank-sources.md §4).
LEVEL_WITHOUT_ASSESSMENT = PRODUCT_LEVELS[0]


@dataclass(frozen=True)
class Product:
    code: str
    type: str
    risk: str
    needs_risk_assessment: bool = True
    name: str | None = None

    @property
    def assessment_required(self) -> bool:
        """Whether a call about it needs the customer's valid assessment: always above the lowest level."""
        return self.needs_risk_assessment or level_number(self.risk) > level_number(LEVEL_WITHOUT_ASSESSMENT)


@dataclass(frozen=True)
class Campaign:
    id: str
    products: tuple[str, ...] = ()
    require_approved_script: bool = False
    name: str | None = None
    pack: str | None = None
    # Numbers of these countries are governed by another pack: ((country, pack id), ...).
    packs: tuple[tuple[str, str], ...] = ()
    # The purposes its calls may have (call_purposes); None: any. A call claiming another purpose is judged as a
    # marketing call: a dialer cannot lift the mutes, caps and suitability of a marketing campaign by saying "service".
    purposes: tuple[str, ...] | None = None

    def pack_for_country(self, country: str | None) -> str | None:
        return dict(self.packs).get(country) if country else None

    def judged_purpose(self, purpose: str) -> str:
        """The purpose a call of this campaign that claims `purpose` is judged as."""
        return purpose if self.purposes is None or purpose in self.purposes else "marketing"


@dataclass(frozen=True)
class PhraseRule:
    id: str
    code: str
    severity: str
    patterns: tuple[str, ...]
    except_: tuple[str, ...]
    product_types: frozenset[str] | None  # None: every product type
    suggestion: str
    message: str
    rationale: str | None = None
    # Proximity: a pattern counts only with one of `near` within `near_within` normalised characters.
    near: tuple[str, ...] = ()
    near_within: int = 0
    # The rule is cleared for a script that mentions any of these anywhere (e.g. 年化利率).
    unless_mentions: tuple[str, ...] = ()
    # Gapped patterns (… or {all: [...]}) span at most this many normalised characters; a structured
    # pattern's own `within` is in `pattern_within` (aligned with `patterns`; None: the rule's).
    within: int = 20
    pattern_within: tuple[int | None, ...] = ()


@dataclass(frozen=True)
class DisclosureRule:
    id: str
    product_types: frozenset[str] | None
    any_of: tuple[str, ...]
    message: str
    severity: str = "error"
    suggestion: str | None = None
    rationale: str | None = None
    # Required only of a script that mentions one of these (empty: always required).
    when_mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConsentRule:
    """`consent:` of a pack: calls of these purposes need a consent in scope that is given, not
    expired (its own `expires_at`, and `max_age` after it was given) and not withdrawn."""

    required_for: frozenset[str]  # purposes that need consent
    scopes: frozenset[str]  # channels the consent must cover (phone)
    max_age: timedelta | None = None
    max_age_text: str | None = None
    source: str | None = None  # where the rule comes from (a law, a regulator's rule)


@dataclass(frozen=True)
class MuteRule:
    complaints: int
    within: timedelta
    for_: timedelta
    for_in_days: bool = False  # `for` written in days: the mute ends at 24:00 of its last day (guard/core/periods.py)


@dataclass(frozen=True)
class ComplaintSla:
    """Deadlines from a complaint's receipt; None where the severity has no such deadline.

    `in_days` names the deadlines the pack wrote in days (`15d`): those are periods of days, counted as the 民法典 counts
    them (第二百零一条: the day of receipt is not counted; 第二百零三条: the last day ends at 24:00, and a last day that is a
    day off by the pack's calendar gives way to the next working day), in the pack's time
    zone, as the regulation's "自收到消费投诉之日起15日内" is; one written in minutes or hours (`24h`) runs from the instant."""

    first_response: timedelta | None = None
    resolve: timedelta | None = None
    escalate: timedelta | None = None
    in_days: frozenset[str] = frozenset()


COMPLAINT_SEVERITIES = codes("complaint_severities")
# The satisfaction callback (满意度回访) after resolution: within one week, internal policy. No rule
# sets the period; banks' callback practice is 1-2 working days after a simple complaint is closed and
# 3-5 working days after a complex one (a bank callback standard described at
# https://mip.alkdhj.cn/article/72613.html), which one calendar week covers.
DEFAULT_COMPLAINT_CALLBACK = timedelta(days=7)
# SPEC §3.6: light 2 h / 24 h, medium 1 h / 48 h, severe escalated to a supervisor within 30 min
# (and, like every complaint, decided within 15 days: 银行业保险业消费投诉处理管理办法).
DEFAULT_COMPLAINT_SLA = {
    "light": ComplaintSla(first_response=timedelta(hours=2), resolve=timedelta(hours=24)),
    "medium": ComplaintSla(first_response=timedelta(hours=1), resolve=timedelta(hours=48)),
    "severe": ComplaintSla(escalate=timedelta(minutes=30), resolve=timedelta(days=15), in_days=frozenset({"resolve"})),
}


@dataclass(frozen=True)
class HolidayRule:
    calendar: str
    block: bool
    subdiv: str | None = None
    # The pack's corrections to the package's calendar (see guard.core.calendar).
    add: tuple[tuple[date, str], ...] = ()
    remove: frozenset[date] = frozenset()
    workdays: tuple[tuple[date, int], ...] = ()
    source: str | None = None
    periods: bool = False  # holidays are periods of days off with their weekend (China)

    @property
    def day_rules(self) -> DayRules:
        return DayRules(self.calendar, self.subdiv, self.add, self.remove, self.workdays, self.periods)


@dataclass(frozen=True)
class StateRules:
    """Rules of one state (or other subdivision) of the pack's country, on top of the pack's own:
    its windows narrow the pack's, its caps apply too, its calendar's days off are blocked."""

    code: str
    calling_windows: tuple[Window, ...] = ()
    caps: tuple[Cap, ...] = ()
    holidays: HolidayRule | None = None
    source: str | None = None


@dataclass(frozen=True)
class Pack:
    id: str
    version: str
    effective_from: datetime
    country: str
    region: str
    timezone: str
    calling_windows: tuple[Window, ...]
    holidays: HolidayRule | None
    caps_normal: tuple[Cap, ...]
    caps_sensitive: tuple[Cap, ...] | None
    count: str
    mute: MuteRule | None
    deferral_default: timedelta
    risk_assessment_valid_for: timedelta
    suitability: dict[str, str]
    products: dict[str, Product]
    campaigns: dict[str, Campaign]
    phrases: tuple[PhraseRule, ...]
    disclosures: tuple[DisclosureRule, ...]
    sensitive_tags: frozenset[str]
    lint_negation: bool
    extends: str | None
    description: str | None
    source: str
    hash: str
    resolved: dict[str, Any] = field(repr=False, compare=False)
    base: tuple[str, str] | None = None  # (id, version) of the base when `extends` was used
    complaint_sla: dict[str, ComplaintSla] = field(default_factory=lambda: dict(DEFAULT_COMPLAINT_SLA))
    # The satisfaction callback after a complaint is resolved (pack `complaints.callback`; `none`: no callback).
    complaint_callback: timedelta | None = DEFAULT_COMPLAINT_CALLBACK
    customer_mismatch: str = "judge_all"
    countries: frozenset[str] = frozenset()  # the numbers this pack's rules cover (default: `country`)
    # Corrections to the library's zones of numbers, by E.164 prefix: ((prefix, zones), ...), longest first.
    zone_overrides: tuple[tuple[str, tuple[str, ...]], ...] = ()
    unknown_zone: str = "deny"  # a valid number with no known zone: deny (ZONE_UNKNOWN) or use `timezone`
    deny_number_kinds: frozenset[str] = frozenset()  # number types that are no marketing target (NUMBER_TYPE)
    number_ranges: tuple[NumberRange, ...] = ()  # numbers valid here that the library does not know yet
    states: dict[str, StateRules] = field(default_factory=dict)  # by subdivision code (US: FL, OK, …)
    # A logged call names the decision it was placed on: it must come after the decision (less a
    # tolerance for the dialer's clock) and within `decision_valid_for` of it, else it is unchecked.
    script_four_eyes: bool = False  # a script version is approved by another key than its author's
    # An approved script this version fails counts as approved for this long after the version takes effect.
    script_review_grace: timedelta = timedelta(0)
    decision_valid_for: timedelta = timedelta(minutes=5)
    decision_clock_tolerance: timedelta = timedelta(seconds=5)
    # The rules that bind a call of each purpose other than marketing (None: every rule).
    purpose_rules: dict[str, frozenset[str] | None] = field(default_factory=dict)
    consent: ConsentRule | None = None
    # `deferral_default` written in days: the deferral ends at 24:00 of its last day (guard/core/periods.py).
    deferral_default_in_days: bool = False

    def binding(self, purpose: str) -> frozenset[str] | None:
        """The reason codes that bind a call of `purpose`; None: every one (marketing, and any purpose
        the pack says nothing of: fail closed)."""
        if purpose == "marketing":
            return None
        rules = self.purpose_rules.get(purpose)
        if rules is not None and self.consent is not None and purpose in self.consent.required_for:
            rules = rules | {"CONSENT_MISSING"}  # the consent rule names the purposes it binds itself
        return rules

    def zones_for_number(self, e164: str) -> tuple[str, ...] | None:
        """The pack's correction of a number's zones, or None (longest matching prefix wins)."""
        for prefix, zones in self.zone_overrides:
            if e164.startswith(prefix):
                return zones
        return None
    # Phrases in a complaint or call note that ask to stop calling (不要再打 …): they blacklist.
    stop_calling: tuple[str, ...] = ()
    # Word classes of the linter's patterns ({名字} in a pattern): name -> words.
    lint_classes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The linter's learned scorer (`lint.scorer`), None when the pack has none.
    lint_scorer: Scorer | None = None

    @cached_property
    def longest_cap_window(self) -> timedelta:
        """The longest window any cap of this version counts: normal, sensitive and every state's (a state's
        cap may count a longer window than the pack's own). A call's caps need the attempts after its
        instant less this."""
        caps = (*self.caps_normal, *(self.caps_sensitive or ()), *(c for st in self.states.values() for c in st.caps))
        return max((c.window for c in caps), default=timedelta(0))

    @cached_property
    def calendar(self) -> "DayCalendar | None":
        """The pack's day calendar (its holiday rule's), built once per pack version."""
        return day_calendar(self.holidays.day_rules) if self.holidays is not None else None

    def max_product_level(self, customer_level: str) -> str | None:
        return self.suitability.get(customer_level)

    def ref(self) -> dict[str, str]:
        return {"pack": self.id, "version": self.version, "hash": self.hash}


class PackTimeline:
    """All versions of one pack id, ordered by `effective_from`."""

    def __init__(self, versions: list[Pack], refused: Sequence[tuple[datetime, str]] = ()):
        self.versions = sorted(versions, key=lambda p: p.effective_from)
        self._starts = [p.effective_from.timestamp() for p in self.versions]
        # Versions whose file was refused (its content invalid, no last good content to serve instead): from its
        # `effective_from` to the next version, no version judges. The one before it must not go on judging the
        # calls the refused version was written to judge by other rules (fail closed: NoPolicy, a 503 for now).
        self.refused = sorted(refused)

    def at(self, instant: datetime) -> Pack | None:
        """The latest version whose `effective_from` is not after `instant` (None inside a refused version's time)."""
        i = bisect.bisect_right(self._starts, instant.timestamp())
        if self.refused and self.refused_at(instant) is not None:
            return None
        return self.versions[i - 1] if i else None

    def refused_at(self, instant: datetime) -> tuple[datetime, str] | None:
        """The refused version (its start and file) that would be in effect at `instant`, if one would be."""
        stamp = instant.timestamp()
        gaps = [g for g in self.refused if g[0].timestamp() <= stamp]
        if not gaps:
            return None
        gap = gaps[-1]
        i = bisect.bisect_right(self._starts, stamp)
        if i and self._starts[i - 1] >= gap[0].timestamp():
            return None  # a later valid version took over
        return gap

    def before(self, instant: datetime) -> Pack | None:
        """The latest valid version starting before `instant`."""
        i = bisect.bisect_left(self._starts, instant.timestamp())
        return self.versions[i - 1] if i else None

    def newest(self) -> Pack:
        return self.versions[-1]


class PackSet:
    """Every loaded pack id with its timeline; immutable, swapped whole on reload."""

    def __init__(self, timelines: dict[str, PackTimeline], default_id: str):
        self.timelines = timelines
        self.default_id = default_id

    def at(self, pack_id: str, instant: datetime) -> Pack | None:
        timeline = self.timelines.get(pack_id)
        return timeline.at(instant) if timeline else None

    def ids(self) -> list[str]:
        return sorted(self.timelines)

    def all_versions(self) -> list[Pack]:
        return [p for t in self.timelines.values() for p in t.versions]

    def region_pack(self, region: str | None, instant: datetime) -> Pack | None:
        """The pack, in effect at `instant`, whose default region is `region` (the default pack first), else the default
        pack: the one whose time zone a day of that region's numbers is read in."""
        order = [self.default_id] + [i for i in sorted(self.timelines) if i != self.default_id]
        for pack_id in order if region else ():
            pack = self.at(pack_id, instant)
            if pack is not None and pack.region.upper() == region.upper():  # type: ignore[union-attr]
                return pack
        return self.at(self.default_id, instant)

    def campaign_pack(self, campaign_id: str, instant: datetime) -> Pack | None:
        """The pack, in effect at `instant`, that configures `campaign_id` (default pack first)."""
        order = [self.default_id] + [i for i in sorted(self.timelines) if i != self.default_id]
        for pack_id in order:
            pack = self.at(pack_id, instant)
            if pack is not None and campaign_id in pack.campaigns:
                return pack
        return None


@dataclass(frozen=True)
class MissingNotice:
    """A year a pack version will judge by a calendar of official periods (China's) without that year's
    notice (guard.core.calendar.notice_missing): its extra days off pass as working days, its makeup
    working days as weekend days."""

    pack: str
    version: str
    source: str | None
    calendar: str
    year: int
    state: str | None = None  # the state whose calendar it is, None for the pack's own

    def message(self) -> str:
        whose = f"state {self.state}'s calendar ({self.calendar})" if self.state else f"its calendar ({self.calendar})"
        return (f"{self.pack} {self.version}: {whose} has no official holiday notice for {self.year}: holidays "
                f"{package_version()} lists no makeup working day (调休上班) in {self.year} and the pack adds no day of it, "
                f"so from {self.year}-01-01 only the statute's holidays are blocked, the notice's other days off are "
                f"judged as working days and its makeup working days as weekend days. Enter the notice "
                f"(国务院办公厅关于{self.year}年部分节假日安排的通知) under holidays: add / workdays "
                f"(docs/policy-packs.md), or upgrade the holidays package once a release lists it")

    def to_dict(self) -> dict[str, Any]:
        return {"pack": self.pack, "version": self.version, "calendar": self.calendar, "state": self.state,
                "year": self.year, "message": self.message()}


def missing_notices(packs: PackSet, at: date | datetime) -> list[MissingNotice]:
    """The years whose notice should be known on the day `at` (guard.core.calendar.notice_years) that a pack
    version in effect on some day of them, from that day on, judges without it: by pack, then year. An instant is each
    pack's own day, in its zone (1 November, or 1 January, comes eight hours sooner in Shanghai than at UTC); a date is
    taken as named."""
    out: list[MissingNotice] = []
    for pack_id in packs.ids():
        versions = packs.timelines[pack_id].versions
        today = at.astimezone(ZoneInfo(versions[-1].timezone)).date() if isinstance(at, datetime) else at
        for year in notice_years(today):
            start, end = max(today, date(year, 1, 1)), date(year + 1, 1, 1)
            for i, pack in enumerate(versions):
                following = versions[i + 1].effective_from.date() if i + 1 < len(versions) else None
                if pack.effective_from.date() >= end or (following is not None and following <= start):
                    continue  # not in effect on any day of the year from today on
                calendars = [(None, pack.holidays), *((code, st.holidays) for code, st in sorted(pack.states.items()))]
                for state, rule in calendars:
                    if rule is not None and notice_missing(rule.day_rules, year):
                        out.append(MissingNotice(pack.id, pack.version, pack.source, rule.calendar, year, state))
    return out
