"""decide(request, facts, pack, now) -> Decision: every rule of SPEC §2 (1-6) in one pure function.

Every denying rule is reported (not just the first), sorted by the registry order. When the
call is denied, `next_allowed_at` is the earliest instant at which the same request would be
allowed given the same facts: every time-bound reason must have cleared (blacklist expiry, mute
end, deferral, caps) and the instant must then be inside the pack's windows, the customer's
windows and off blocked holidays, in every possible zone of the callee. It is None when no
time will do (an unexpiring blacklist entry, unsuitable product, unknown campaign, ...).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from guard.core import caps as caps_mod
from guard.core import consent as consent_mod
from guard.core.calendar import day_calendar
from guard.core.facts import EXTERNAL_SOURCES, CheckInput, Decision, Facts, Reason
from guard.core.pack import Pack, PackSet, Product
from guard.core.phones import state_zones
from guard.core.reasons import ORDER
from guard.core.suitability import judge_product
from guard.core.windows import Window, describe_windows, inside, next_open_instant, windows_ever_meet

_NEVER = object()  # no instant will clear this reason
_BY_WINDOW = object()  # cleared by the window search itself, no lower bound of its own
_ANY_TIME = (Window(days=frozenset(range(7)), start=0, end=1440),)  # when a purpose is not bound by the calling windows
_NO_AHEAD = timedelta(0)


def _iso(value: datetime | None, zone: ZoneInfo) -> str | None:
    return value.astimezone(zone).isoformat() if value is not None else None


def callee_zones(facts: Facts, pack: Pack) -> tuple[tuple[ZoneInfo, ...], str, dict[str, str]]:
    """The callee's possible zones, where the first came from, and where each came from (by zone name).

    The customers' recorded zones (every one of them), else the pack's correction for the number
    (`zone_overrides`), else the number's own (from the library), else the pack's `timezone`. Then every zone of a
    state some customer records without recording a zone, under a pack whose rules cover US numbers (a `state` is a
    US state or territory): a number does not prove where its owner lives, nor does a recorded address prove where
    the phone is, so a call must be inside the windows in both (47 CFR 64.1200(c)(1),
    "local time at the called party's location"; README, Interpretations). A recorded state's zones replace the
    pack's default: the callee's zone is known then."""
    recorded = [c.timezone for c in facts.customers if c.timezone]
    if recorded:
        base, source = tuple(dict.fromkeys(recorded)), "customer"
    else:
        base, source = (pack.timezone,), "pack"
        if facts.phone.valid:
            corrected = pack.zones_for_number(facts.phone.e164) if pack.zone_overrides else None
            if corrected:
                base, source = tuple(corrected), "override"
            elif facts.phone.time_zones:
                base, source = tuple(facts.phone.time_zones), "number"
    from_state: dict[str, None] = {}
    if "US" in pack.countries:  # a recorded `state` is a US state or territory: it places the callee for a pack of US law
        for c in facts.customers:
            if c.state and not c.timezone:
                from_state.update(dict.fromkeys(state_zones(c.state, pack.zone_overrides)))
    if from_state and source == "pack":
        base, source = (), "state"
    sources = dict.fromkeys(base, source)
    for zone in from_state:
        sources.setdefault(zone, "state")
    return tuple(ZoneInfo(z) for z in sources), source, sources


def callee_states(facts: Facts) -> tuple[str, ...]:
    """Where the callee may be: every customer's recorded state, and the number's (an area code
    does not prove residence, and a recorded residence does not prove where the phone is)."""
    states = [c.state for c in facts.customers if c.state]
    if facts.phone.state:
        states.append(facts.phone.state)
    return tuple(dict.fromkeys(states))


class _Collector:
    """Reasons found so far, and the bound each puts on `next_allowed_at` (a reason's message is
    rendered from its detail when read, guard.core.facts.Reason)."""

    def __init__(self, pack_id: str, binding: frozenset[str] | None = None) -> None:
        self.pack_id = pack_id
        self.reasons: list[Reason] = []
        self.never = False
        self.lower_bounds: list[datetime] = []
        self.binding = binding  # the codes that bind the call's purpose (None: every one)

    def binds(self, code: str) -> bool:
        return self.binding is None or code in self.binding

    def deny(self, code: str, detail: dict, clears_at: datetime | object) -> None:
        if self.binding is not None and code not in self.binding:
            return  # a rule that does not bind this purpose (pack `purposes`)
        self.reasons.append(Reason(code, detail, self.pack_id))
        if clears_at is _NEVER:
            self.never = True
        elif isinstance(clears_at, datetime):
            self.lower_bounds.append(clears_at)


def _products_to_judge(request: CheckInput, facts: Facts, out: _Collector) -> list[Product]:
    campaign = facts.campaign
    if request.product is not None:
        product = facts.products.get(request.product)
        if product is None:
            out.deny("UNKNOWN_PRODUCT", {"product": request.product, "campaign": request.campaign, "why": "not configured"}, _NEVER)
            return []
        if campaign is not None and campaign.products and product.code not in campaign.products:
            out.deny(
                "UNKNOWN_PRODUCT",
                {"product": request.product, "campaign": request.campaign, "why": "not part of the campaign"},
                _NEVER,
            )
            return []
        return [product]
    # No product named: the call may pitch any product of the campaign, so all must be suitable. A product the
    # catalog does not hold (a country routed to another pack, a product dropped from a newer version) has no
    # risk level to match: it denies as it would if named, instead of leaving the call unjudged.
    listed = campaign.products if campaign else ()
    missing = [c for c in listed if c not in facts.products]
    if missing:
        detail = {"product": missing[0], "campaign": request.campaign, "why": "not configured"}
        if len(missing) > 1:
            detail["products"] = missing
        out.deny("UNKNOWN_PRODUCT", detail, _NEVER)
    return [facts.products[c] for c in listed if c in facts.products]


# How many later instants decide() judges the same request at before it settles on next_allowed_at.
# Each one is the earliest instant after a rule that begins to deny later (an assessment or a consent
# expiring, a mute recorded to begin) and is strictly later than the one before, so a handful suffices.
_MAX_CONFIRMATIONS = 8


def decide(request: CheckInput, facts: Facts, pack: Pack, now: datetime, want_next: bool = True,
           later: Callable[[], Sequence[tuple[Pack, Facts]]] | Sequence[tuple[Pack, Facts]] = (),
           ahead: timedelta = _NO_AHEAD) -> Decision:
    """Judge one call at `now` against `pack` and `facts`; pure and deterministic.

    `want_next=False` skips the search for `next_allowed_at` (None then): audits judge past calls
    and only need the reasons.

    `later`: the versions of the pack loaded to take effect after `now` (`later_versions`), in order, each with
    the facts resolved under it (or a function giving them, asked only when the call is denied). `next_allowed_at` is the earliest instant the version *in effect then* allows:
    an instant from a later version's `effective_from` on is judged by that version, not by the one in effect
    at `now` (SPEC §3.1: "given everything known now"; us-tcpa 2026.2 opens Texas at 09:00 from 2026-12-08, so a
    check at 21:00 Central on the 7th is told 09:00, not 2026.1's 08:00).

    The instant where every present reason has cleared is judged again with the same facts: a rule
    that begins to deny only later (a risk assessment or a consent that expires meanwhile, a mute
    that begins) may deny it there, and then the answer is that judgement's own next instant, or
    None when no time will do. After _MAX_CONFIRMATIONS such instants the last one is answered:
    no earlier instant is allowed.

    `ahead`: how far after `now` a suppression may begin and still count at `now` (a mute's start, a
    consent's withdrawal). `now` is one host's clock, and the suppression's instant another's: a host
    a second behind the one that recorded a mute, or a clock stepped back by NTP (RFC 5905 steps an
    offset over 128 ms; chrony's `makestep`), would otherwise see a mute recorded a moment ago as not
    begun and allow the call. The live check and the scrub, judging at the server clock, pass the
    skew the guard allows any client instant (core.clock.MAX_CLOCK_SKEW): nothing recorded without
    GUARD_ALLOW_CLIENT_TIME begins later than that after the clock that recorded it. A judgement at an
    instant the client chose (a dry run's `at`, the audit, a replay) passes nothing: there a
    suppression begins when it says. Attempts need no such margin: the caps count them all (core.caps).
    """
    decision = _decide_under(request, facts, pack, now, want_next, ahead)
    if decision.allowed or not want_next:
        return decision
    if callable(later):
        later = later()
    if not later:
        return decision
    successor, successor_facts = later[0]
    start = successor.effective_from
    if start <= now or (decision.next_allowed_at is not None and decision.next_allowed_at < start):
        return decision  # allowed again before the next version takes effect
    there = decide(request, successor_facts, successor, start, True, later[1:], ahead)
    return replace(decision, next_allowed_at=start if there.allowed else there.next_allowed_at)


def later_versions(packs: PackSet, pack: Pack, now: datetime,
                   judged_at: Callable[[datetime], tuple[Pack, Facts] | None]) -> tuple[tuple[Pack, Facts], ...]:
    """The versions of `pack`'s id loaded to take effect after `now`, in order, each as `judged_at(start)` resolves
    the call at that version's start (its pack and facts), for `decide(later=...)`; they end at the first start
    that `judged_at` finds ungoverned (None)."""
    timeline = packs.timelines.get(pack.id)
    out: list[tuple[Pack, Facts]] = []
    for version in timeline.versions if timeline is not None else ():
        if version.effective_from <= now:
            continue
        judged = judged_at(version.effective_from)
        if judged is None:
            break
        out.append(judged)
    return tuple(out)


def _decide_under(request: CheckInput, facts: Facts, pack: Pack, now: datetime, want_next: bool, ahead: timedelta) -> Decision:
    """decide() under one version: the instants it searches are all judged by `pack`."""
    decision = _judge(request, facts, pack, now, want_next, ahead)
    candidate = decision.next_allowed_at
    if decision.allowed or candidate is None:
        return decision
    for _ in range(_MAX_CONFIRMATIONS):
        later = _judge(request, facts, pack, candidate, True, ahead)
        if later.allowed:
            break
        if later.next_allowed_at is None:
            candidate = None
            break
        if later.next_allowed_at <= candidate:  # cannot happen: a reason at `candidate` clears after it
            break
        candidate = later.next_allowed_at
    return replace(decision, next_allowed_at=candidate)


def _judge(request: CheckInput, facts: Facts, pack: Pack, now: datetime, want_next: bool, ahead: timedelta = _NO_AHEAD) -> Decision:
    """Judge one call at `now`; `next_allowed_at` is where every reason found at `now` has cleared."""
    # A purpose the campaign does not declare is judged as marketing (pack campaigns[].purposes): every rule binds.
    purpose = facts.campaign.judged_purpose(request.purpose) if facts.campaign is not None else request.purpose
    if purpose != request.purpose:
        request = replace(request, purpose=purpose)
    out = _Collector(pack.id, pack.binding(purpose))
    zones, zone_source, zone_sources = callee_zones(facts, pack)
    display = zones[0]
    customers = facts.customers

    if not facts.phone.valid:
        out.deny("INVALID_NUMBER", {"input": facts.phone.raw, "region": facts.phone.region, "why": facts.phone.why}, _NEVER)

    if facts.phone.valid and pack.countries and facts.phone.region not in pack.countries:
        out.deny("OUT_OF_JURISDICTION", {"number_country": facts.phone.region, "pack": pack.id, "countries": sorted(pack.countries)}, _NEVER)

    if facts.phone.valid and facts.phone.kind in pack.deny_number_kinds:
        out.deny("NUMBER_TYPE", {"phone": facts.phone.e164, "type": facts.phone.kind}, _NEVER)

    if facts.customer_mismatch and pack.customer_mismatch == "deny":
        out.deny("CUSTOMER_MISMATCH", {"named_customer": facts.named_customer, "owner": facts.owner}, _NEVER)

    _blacklist(facts, now, display, out)

    active_mutes = _active_mutes(facts, now, ahead)
    if active_mutes:
        m = max(active_mutes, key=lambda x: x.ends_at)
        out.deny(
            "MUTED",
            {"mute_id": m.id, "since": _iso(m.starts_at, display), "until": _iso(m.ends_at, display), "reason": m.reason},
            m.ends_at,
        )

    products = _products_to_judge(request, facts, out)
    by_code: dict[str, list] = {}
    for product in products:
        # Every customer of the call must be suitable: the strictest profile decides.
        for customer in customers or (None,):
            for finding in judge_product(product, customer, pack, now):
                by_code.setdefault(finding.code, []).append((finding, customer))
    for code in ("SUITABILITY", "RISK_PROFILE_MISSING"):
        if code in by_code:
            first, who = by_code[code][0]
            detail = {k: (_iso(v, display) if isinstance(v, datetime) else v) for k, v in first.detail.items()}
            if who is not None:
                detail["customer_id"] = who.id
            codes = list(dict.fromkeys(f.product.code for f, _ in by_code[code]))
            if len(codes) > 1:
                detail["products"] = codes
            out.deny(code, detail, _NEVER)

    _consent(request, facts, pack, products, now, display, out, ahead)

    pending = [d for d in facts.deferrals if d.not_before > now]
    if pending:
        d = max(pending, key=lambda x: x.not_before)
        out.deny(
            "CALLBACK_DEFERRED",
            {"not_before": _iso(d.not_before, display), "deferral_id": d.id},
            d.not_before,
        )

    if zone_source == "pack" and facts.phone.valid and pack.unknown_zone == "deny":
        out.deny("ZONE_UNKNOWN", {"phone": facts.phone.e164, "region": facts.phone.region, "pack_timezone": pack.timezone}, _NEVER)

    locals_ = [(z, now.astimezone(z)) for z in zones]
    calendar = pack.calendar
    weekday_of = calendar.weekday if calendar is not None else None  # a makeup working day counts as a weekday
    outside = [(z, t) for z, t in locals_ if not inside(pack.calling_windows, t, weekday_of)]
    if outside:
        z, t = outside[0]
        out.deny(
            "QUIET_HOURS",
            {"local_time": t.isoformat(), "timezone": z.key, "zone_source": zone_sources[z.key],
             "windows": describe_windows(pack.calling_windows)},
            _BY_WINDOW,
        )

    # The callee's states (the customers' recorded ones and the number's): each one's rules apply too.
    states = [pack.states[s] for s in callee_states(facts) if s in pack.states] if pack.states else ()
    for st in states:
        if st.calling_windows:
            miss = [(z, t) for z, t in locals_ if not inside(st.calling_windows, t, weekday_of)]
            if miss:
                z, t = miss[0]
                out.deny("QUIET_HOURS", {"local_time": t.isoformat(), "timezone": z.key, "zone_source": zone_sources[z.key],
                                         "windows": describe_windows(st.calling_windows), "state": st.code},
                         _BY_WINDOW)

    calendars = [(calendar, pack.holidays, None)] if calendar is not None and pack.holidays.block else []
    for st in states:
        if st.holidays is not None and st.holidays.block:
            calendars.append((day_calendar(st.holidays.day_rules), st.holidays, st.code))
    blocked_day = None
    if len(calendars) == 1:
        blocked_day = calendars[0][0].blocked
    elif calendars:
        def blocked_day(day):  # noqa: E306 - any of the blocking calendars
            for cal, _, _ in calendars:
                name = cal.blocked(day)
                if name:
                    return name
            return None
    for cal, rule, state in calendars:
        hit = None
        for z, t in locals_:
            name = cal.blocked(t.date())
            if name:
                hit = (z, t, name)
                break
        if hit is None:
            continue
        z, t, name = hit
        detail = {"date": t.date().isoformat(), "holiday": name, "calendar": rule.calendar, "timezone": z.key,
                  "holiday_names": cal.blocked_names(t.date())}
        if state is not None:
            detail["state"] = state
        out.deny("HOLIDAY", detail, _BY_WINDOW)
        break

    # Each customer's own windows narrow the pack's: the call must be inside all of them.
    with_windows = [c for c in customers if c.windows] if customers else ()
    customer_windows = tuple(c.windows for c in with_windows) or None
    state_windows = tuple(st.calling_windows for st in states if st.calling_windows) if states else ()
    if customer_windows:
        if not windows_ever_meet(pack.calling_windows, *customer_windows):
            described = [d for c in with_windows for d in describe_windows(c.windows)]
            detail = {"local_time": locals_[0][1].isoformat(), "timezone": display.key, "windows": described, "intersection_empty": True}
            if len(with_windows) > 1:
                detail["customers"] = [c.id for c in with_windows]
            out.deny("CUSTOMER_WINDOW", detail, _NEVER)
        else:
            miss = [(c, z, t) for c in with_windows for z, t in locals_ if not inside(c.windows, t, weekday_of)]
            if miss:
                c, z, t = miss[0]
                detail = {"local_time": t.isoformat(), "timezone": z.key, "windows": describe_windows(c.windows),
                          "intersection_empty": False}
                if len(with_windows) > 1:
                    detail["customer_id"] = c.id
                out.deny("CUSTOMER_WINDOW", detail, _BY_WINDOW)

    tier = "normal"
    caps = pack.caps_normal if out.binds("FREQ_CAP") else ()
    if pack.caps_sensitive is not None and any(c.tags & pack.sensitive_tags for c in customers):
        tier, caps = "sensitive", pack.caps_sensitive
    number_times = caps_mod.counted(facts.number_attempts, pack.count) if facts.phone.valid else []
    # No customer known: only the number's caps can be judged.
    customer_times = [(c.id, caps_mod.counted(facts.customer_attempts.get(c.id, ()), pack.count)) for c in customers]
    all_caps = [(c, None) for c in caps]
    if states:
        all_caps += [(cap, st.code) for st in states for cap in st.caps if out.binds("FREQ_CAP")]
    for cap, state in all_caps:
        for who, times in [(None, number_times)] if cap.scope == "number" else customer_times:
            breach = caps_mod.check_cap(cap, times, now)
            if breach is None:
                continue
            detail = {
                "scope": cap.scope,
                "window": cap.window_text,
                "limit": cap.max,
                "count": breach.count,
                "tier": tier,
                "clears_at": _iso(breach.clears_at, display),
            }
            if who is not None:
                detail["customer_id"] = who
            if state is not None:
                detail["state"] = state
            out.deny(
                "FREQ_CAP",
                detail,
                breach.clears_at if breach.clears_at is not None else _NEVER,
            )

    if facts.campaign is not None and facts.campaign.require_approved_script and not facts.has_approved_script:
        out.deny("SCRIPT_NOT_APPROVED", {"campaign": request.campaign}, _NEVER)
    if facts.campaign is None:
        out.deny("UNKNOWN_CAMPAIGN", {"campaign": request.campaign}, _NEVER)

    if not out.reasons:
        return Decision(True, (), now, display.key, tier, zone_source, purpose)
    reasons = tuple(sorted(out.reasons, key=lambda r: ORDER[r.code]))
    next_at = None
    if want_next and not out.never:
        earliest = max([now, *out.lower_bounds])
        # Only the windows and holidays that bind the call's purpose narrow the search.
        narrowing = ((customer_windows or ()) if out.binds("CUSTOMER_WINDOW") else ()) + (state_windows if out.binds("QUIET_HOURS") else ())
        next_at = next_open_instant(earliest, zones, pack.calling_windows if out.binds("QUIET_HOURS") else _ANY_TIME, narrowing or None,
                                    blocked_day if out.binds("HOLIDAY") else None, weekday_of)
    return Decision(False, reasons, next_at, display.key, tier, zone_source, purpose)


def suppressions(facts: Facts, now: datetime, ahead: timedelta = timedelta(0)) -> list[str]:
    """The codes of what holds the call back for good or for a while whatever the pack: the blacklist entries
    (DNC_OPT_OUT, DNC_REGISTRY: the number's own, its customers', a customer's refusal on another of their numbers)
    and a mute (MUTED), as the check reads them. A list removal tells with it which numbers stay blocked."""
    codes = [code for code, entries in _blacklist_hits(facts, now).items() if entries]
    return codes + (["MUTED"] if _active_mutes(facts, now, ahead) else [])


def _active_mutes(facts: Facts, now: datetime, ahead: timedelta) -> list:
    # A mute recorded to begin up to `ahead` after `now` has begun: another host's clock recorded it.
    return [m for m in facts.mutes if m.starts_at <= now + ahead and now < m.ends_at]


def _blacklist_hits(facts: Facts, now: datetime) -> dict[str, list]:
    """The live entries that block the call, with their scope, by code."""
    ids = set(facts.customer_ids)
    own_phones = {p for c in facts.customers for p in c.phones}
    number = facts.phone.e164 if facts.phone.valid else None
    hits: dict[str, list] = {"DNC_OPT_OUT": [], "DNC_REGISTRY": []}
    for entry in facts.blacklist:
        if entry.expires_at is not None and entry.expires_at <= now:
            continue
        external = entry.source in EXTERNAL_SOURCES
        if entry.phone is not None and entry.phone == number:
            scope = "number"
        elif entry.customer_id is not None and entry.customer_id in ids:
            scope = "customer"
        elif not external and entry.phone is not None and entry.phone in own_phones:
            # A customer who refused on one number is refused on every number they have.
            scope = "customer"
        else:
            continue
        hits["DNC_REGISTRY" if external else "DNC_OPT_OUT"].append((entry, scope))
    return hits


def _blacklist(facts: Facts, now: datetime, display: ZoneInfo, out: _Collector) -> None:
    for code, entries in _blacklist_hits(facts, now).items():
        if not entries:
            continue
        entry, scope = min(entries, key=lambda e: e[0].added_at)
        detail = {
            "entry_id": entry.id,
            "scope": scope,
            "source": entry.source,
            "added_at": _iso(entry.added_at, display),
            "expires_at": _iso(entry.expires_at, display),
            "phone": entry.phone,
            "customer_id": entry.customer_id,
        }
        if code == "DNC_REGISTRY":
            detail.pop("scope")
            detail.pop("customer_id")
        if len(entries) > 1:
            detail["entries"] = len(entries)
        clears = None if any(e.expires_at is None for e, _ in entries) else max(e.expires_at for e, _ in entries)
        out.deny(code, detail, clears if clears is not None else _NEVER)


def _consent(request: CheckInput, facts: Facts, pack: Pack, products: list[Product], now: datetime, display: ZoneInfo,
             out: _Collector, ahead: timedelta) -> None:
    types = frozenset(p.type for p in products)
    number = facts.phone.e164 if facts.phone.valid else None
    finding = consent_mod.judge(facts.consents, number, facts.customer_ids, types, pack.consent, request.purpose, now,
                                withdrawn_by=now + ahead)
    if finding is None:
        return
    detail: dict = {"why": finding.why, "purpose": request.purpose}
    rule = pack.consent
    if rule is not None:
        detail["scopes"] = sorted(rule.scopes)
        if rule.max_age_text:
            detail["max_age"] = rule.max_age_text
    c = finding.consent
    if c is not None:
        day = consent_mod.given_on(c)
        if day is not None:
            detail["given_on"] = day.isoformat()  # given by date alone: given_at is its day's end, no hour anyone recorded
        if finding.why == "expired":
            detail["expired_at"] = _iso(consent_mod.expired_at(c, rule), display)
        detail.update({"consent_id": c.id, "source": c.source, "given_at": _iso(c.given_at, display),
                       "expires_at": _iso(c.expires_at, display), "withdrawn_at": _iso(c.withdrawn_at, display),
                       "withdrawn_via": c.withdrawn_via, "product_types": sorted(c.product_types)})
        # Withdrawn or expiring on a day the list gave without an hour: the day as written (the instants above are its 00:00
        # and the next day's 00:00, hours nobody recorded).
        if c.withdrawn_on is not None:
            detail["withdrawn_on"] = c.withdrawn_on.isoformat()
        if c.expires_on is not None:
            detail["expires_on"] = c.expires_on.isoformat()
    out.deny("CONSENT_MISSING", detail, _NEVER)
