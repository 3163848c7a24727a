"""decide(): every reason code, all reasons in order, and next_allowed_at as the true earliest instant."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from guard.core.decide import decide
from guard.core.facts import Attempt, BlacklistEntry, CheckInput, Consent, CustomerFacts, Deferral, Facts, Mute
from guard.core.pack import Campaign, Product
from guard.core.phones import parse_phone
from guard.core.reasons import ORDER
from guard.core.windows import parse_window
from tests.core.packs import make_pack

SH = ZoneInfo("Asia/Shanghai")
PACK = make_pack()
PHONE = parse_phone("138 0013 8000", "CN")
OTHER = parse_phone("139 0013 9000", "CN")
MON_1015 = datetime(2026, 11, 23, 10, 15, tzinfo=SH)  # a Monday, no holiday


def at(y, mo, d, h, mi=0, tz=SH):
    return datetime(y, mo, d, h, mi, tzinfo=tz)


def customer(**kw) -> CustomerFacts:
    base = dict(id="C1", phones=(PHONE.e164, OTHER.e164), risk_level="C3", risk_assessed_at=at(2026, 6, 1, 9))
    base.update(kw)
    return CustomerFacts(**base)


def facts(campaign="wm", pack=PACK, **kw) -> Facts:
    """One call whose number belongs to one customer (`customer=None`: a number nobody owns)."""
    base = dict(phone=PHONE, customer=customer(), campaign=pack.campaigns.get(campaign), products=pack.products)
    base.update(kw)
    c = base.pop("customer")
    base["customers"] = (c,) if c is not None else ()
    base["owner"] = c.id if c is not None else None
    if not isinstance(base.get("customer_attempts", {}), dict):
        base["customer_attempts"] = {c.id: tuple(base["customer_attempts"])} if c is not None else {}
    return Facts(**base)


def run(f: Facts, now=MON_1015, pack=PACK, campaign="wm", product=None):
    return decide(CheckInput(campaign=campaign, product=product), f, pack, now)


def codes(decision) -> list[str]:
    return [r.code for r in decision.reasons]


def entry(source="customer_request", phone=PHONE.e164, customer_id=None, expires_at=None, ident="B1"):
    return BlacklistEntry(id=ident, source=source, added_at=at(2026, 1, 1, 9), phone=phone, customer_id=customer_id, expires_at=expires_at)


# --- allowed ------------------------------------------------------------------------------

def test_a_clean_call_inside_the_window_is_allowed_now():
    d = run(facts())
    assert d.allowed and d.reasons == () and d.next_allowed_at == MON_1015


# --- INVALID_NUMBER -------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["12345", "not a phone", "+86 138", ""])
def test_an_invalid_number_is_denied_with_no_time_that_will_do(raw):
    d = run(facts(campaign="dep", phone=parse_phone(raw, "CN"), customer=None), campaign="dep")
    assert codes(d) == ["INVALID_NUMBER"] and d.next_allowed_at is None
    assert d.reasons[0].detail["input"] == raw


# --- blacklist ----------------------------------------------------------------------------

def test_an_opt_out_on_the_number_denies_permanently():
    d = run(facts(blacklist=(entry(),)))
    assert codes(d) == ["DNC_OPT_OUT"] and d.next_allowed_at is None
    assert d.reasons[0].detail["scope"] == "number" and d.reasons[0].detail["source"] == "customer_request"


def test_a_customer_who_refused_on_one_number_is_blocked_on_every_number():
    d = run(facts(phone=OTHER, blacklist=(entry(phone=PHONE.e164),)))
    assert codes(d) == ["DNC_OPT_OUT"] and d.reasons[0].detail["scope"] == "customer"


def test_an_opt_out_recorded_on_the_customer_blocks_all_their_numbers():
    d = run(facts(phone=OTHER, blacklist=(entry(phone=None, customer_id="C1"),)))
    assert codes(d) == ["DNC_OPT_OUT"]


def test_an_external_registry_entry_denies_with_its_own_code_and_only_on_that_number():
    assert codes(run(facts(blacklist=(entry(source="registry"),)))) == ["DNC_REGISTRY"]
    # The registry lists a number, not a person: the customer's other number stays callable.
    assert run(facts(phone=OTHER, blacklist=(entry(source="registry", phone=PHONE.e164),))).allowed


def test_both_lists_at_once_give_both_codes_in_table_order():
    d = run(facts(blacklist=(entry(source="regulator", ident="B2"), entry(ident="B1"))))
    assert codes(d) == ["DNC_OPT_OUT", "DNC_REGISTRY"]


def test_an_expired_entry_no_longer_denies_and_an_expiring_one_gives_its_expiry():
    expired = entry(expires_at=at(2026, 11, 1, 0))
    assert run(facts(blacklist=(expired,))).allowed
    expiring = entry(expires_at=at(2026, 11, 25, 21, 0))  # Wednesday 21:00, after the window
    d = run(facts(blacklist=(expiring,)))
    assert codes(d) == ["DNC_OPT_OUT"]
    assert d.next_allowed_at == at(2026, 11, 26, 9, 0)  # the next window after expiry


def test_an_entry_for_someone_else_does_not_match():
    d = run(facts(blacklist=(entry(phone="+8613700137000"), entry(phone=None, customer_id="C9", ident="B2"))))
    assert d.allowed


# --- MUTED --------------------------------------------------------------------------------

def test_a_muted_customer_is_denied_until_the_mute_ends():
    mute = Mute(id="M1", customer_id="C1", starts_at=at(2026, 11, 1, 9), ends_at=at(2026, 12, 1, 12))
    d = run(facts(mutes=(mute,)))
    assert codes(d) == ["MUTED"] and d.next_allowed_at == at(2026, 12, 1, 12)  # Tue 12:00 is inside
    assert d.reasons[0].detail["until"] == at(2026, 12, 1, 12).isoformat()


def test_a_mute_that_ended_or_has_not_begun_does_not_deny():
    ended = Mute(id="M1", customer_id="C1", starts_at=at(2026, 1, 1, 9), ends_at=MON_1015)
    assert run(facts(mutes=(ended,))).allowed  # [starts, ends): the end instant is free


def test_a_mute_recorded_by_a_host_a_moment_ahead_already_denies_at_the_server_clock():
    # Host A files the complaint that mutes at 10:15:00; host B, 2 s behind (or A itself after an NTP step
    # back: RFC 5905 steps offsets over 128 ms), checks at 10:14:58. At its server clock the mute has begun.
    mute = Mute(id="M1", customer_id="C1", starts_at=MON_1015, ends_at=at(2026, 12, 1, 12))
    behind = MON_1015 - timedelta(seconds=2)
    d = decide(CheckInput(campaign="wm"), facts(mutes=(mute,)), PACK, behind, ahead=timedelta(minutes=5))
    assert codes(d) == ["MUTED"] and d.next_allowed_at == mute.ends_at
    # Judged at an instant the client chose (a dry run's `at`, the audit) a mute begins when it says.
    assert run(facts(mutes=(mute,)), now=behind).allowed


def test_a_consent_withdrawn_a_moment_ahead_of_the_server_clock_already_denies():
    consent = Consent(id="K1", source="app", given_at=at(2026, 1, 5, 9), phone=PHONE.e164, withdrawn_at=MON_1015,
                      withdrawn_via="call")
    behind = MON_1015 - timedelta(seconds=30)
    d = decide(CheckInput(campaign="wm"), facts(consents=(consent,)), PACK, behind, ahead=timedelta(minutes=5))
    assert codes(d) == ["CONSENT_MISSING"] and d.reasons[0].detail["why"] == "withdrawn"
    assert run(facts(consents=(consent,)), now=behind).allowed
    # Given and withdrawn at once by an operator whose clock ran a minute ahead: a refusal all the same.
    ahead_of_us = replace(consent, given_at=MON_1015 + timedelta(minutes=1), withdrawn_at=MON_1015 + timedelta(minutes=1))
    d = decide(CheckInput(campaign="wm"), facts(consents=(ahead_of_us,)), PACK, MON_1015, ahead=timedelta(minutes=5))
    assert codes(d) == ["CONSENT_MISSING"] and d.reasons[0].detail["why"] == "withdrawn"


# --- suitability ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "level,product,allowed",
    [("C1", "R2", False), ("C2", "R2", True), ("C2", "R3", False), ("C3", "R3", True), ("C4", "R5", False), ("C5", "R5", True)],
)
def test_the_default_matrix_allows_products_up_to_the_customer_level(level, product, allowed):
    campaign = "mix" if product in ("R2", "R3") else "wm"
    pack = PACK
    if product == "R5":
        pack = make_pack(campaigns=[{"id": "wm", "products": ["R5"]}])
    d = run(facts(campaign=campaign, pack=pack, customer=customer(risk_level=level)), pack=pack, campaign=campaign, product=product)
    assert d.allowed is allowed
    if not allowed:
        assert codes(d) == ["SUITABILITY"] and d.next_allowed_at is None
        assert d.reasons[0].detail == {"product": product, "product_risk": product, "customer_risk": level,
                                       "max_product_risk": f"R{level[1]}", "customer_id": "C1"}


def test_a_pack_matrix_overrides_the_default():
    pack = make_pack(suitability={"C1": "R2", "C2": "R2", "C3": "R3", "C4": "R4", "C5": "R5"})
    d = run(facts(campaign="mix", pack=pack, customer=customer(risk_level="C1")), pack=pack, campaign="mix", product="R2")
    assert d.allowed


def test_without_a_named_product_every_product_of_the_campaign_must_be_suitable():
    d = run(facts(campaign="mix", customer=customer(risk_level="C2")), campaign="mix")
    assert codes(d) == ["SUITABILITY"] and d.reasons[0].detail["product"] == "R3"


def test_a_product_that_needs_an_assessment_is_denied_without_one_or_after_it_expired():
    no_profile = run(facts(customer=customer(risk_level=None, risk_assessed_at=None)))
    assert codes(no_profile) == ["RISK_PROFILE_MISSING"] and no_profile.next_allowed_at is None
    expired = run(facts(customer=customer(risk_assessed_at=MON_1015 - timedelta(days=365))))
    assert codes(expired) == ["RISK_PROFILE_MISSING"]
    assert expired.reasons[0].detail["expired_at"] == MON_1015.isoformat()
    still_valid = run(facts(customer=customer(risk_assessed_at=MON_1015 - timedelta(days=364))))
    assert still_valid.allowed


def test_an_assessment_taken_after_the_instant_judged_does_not_count():
    # An assessment is valid from when it was taken (商业银行理财业务监督管理办法 第二十七条 as quoted by
    # 宁波银保监局, docs/research/cn-bank-sources.md R18: a customer is assessed before buying); a dry run or
    # what-if of an earlier instant must not borrow it.
    later = run(facts(customer=customer(risk_assessed_at=MON_1015 + timedelta(days=1))))
    assert codes(later) == ["RISK_PROFILE_MISSING"] and later.next_allowed_at is None
    assert later.reasons[0].detail["expired_at"] is None
    assert run(facts(customer=customer(risk_assessed_at=MON_1015))).allowed


def test_a_caller_with_no_known_customer_cannot_be_offered_an_assessed_product():
    assert codes(run(facts(customer=None))) == ["RISK_PROFILE_MISSING"]
    assert run(facts(campaign="dep", customer=None), campaign="dep").allowed


def test_a_deposit_needs_no_assessment():
    d = run(facts(campaign="dep", customer=customer(risk_level=None, risk_assessed_at=None)), campaign="dep")
    assert d.allowed


def test_a_product_above_r1_needs_an_assessment_even_when_stored_with_the_flag_off():
    # Matching a product above the lowest level needs the customer's level: 证券期货投资者适当性管理办法 第十八条
    # (judge which products suit each class of investor) and 第二十二条（三）(no 主动推介 above the investor's
    # tolerance); 商业银行理财业务监督管理办法 (R18, as quoted by 宁波银保监局): assessed before the first purchase
    # (docs/research/cn-bank-sources.md §4). A product stored with the flag off (before packs and the API refused
    # it) must not let a caller nobody assessed be offered an R4 fund while a known C1 customer is denied.
    old = Product(code="OLD-R4", type="fund", risk="R4", needs_risk_assessment=False)
    products = {**PACK.products, "OLD-R4": old}

    def about_old(who):
        f = replace(facts(customer=who), campaign=Campaign(id="old", products=("OLD-R4",)), products=products)
        return run(f, campaign="old")

    for nobody_assessed in (None, customer(risk_level=None, risk_assessed_at=None)):
        d = about_old(nobody_assessed)
        assert codes(d) == ["RISK_PROFILE_MISSING"] and d.next_allowed_at is None
    assert codes(about_old(customer(risk_level="C4", risk_assessed_at=MON_1015 - timedelta(days=400)))) == ["RISK_PROFILE_MISSING"]
    assert about_old(customer(risk_level="C4")).allowed
    # R1 products keep the pack's choice (a deposit, a card, a loan)
    assert run(facts(campaign="dep", customer=None), campaign="dep").allowed


# --- deferrals ----------------------------------------------------------------------------

def test_a_callback_deferral_denies_until_its_time_then_the_next_window():
    d = run(facts(deferrals=(Deferral(id="D1", not_before=at(2026, 11, 26, 15, 30), customer_id="C1"),)))
    assert codes(d) == ["CALLBACK_DEFERRED"] and d.next_allowed_at == at(2026, 11, 26, 15, 30)
    late = run(facts(deferrals=(Deferral(id="D1", not_before=at(2026, 11, 27, 22, 0), phone=PHONE.e164),)))
    assert late.next_allowed_at == at(2026, 11, 28, 10, 0)  # Friday night -> Saturday's window


def test_a_past_deferral_is_done():
    assert run(facts(deferrals=(Deferral(id="D1", not_before=MON_1015, customer_id="C1"),))).allowed


# --- quiet hours ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "when,allowed",
    [
        (at(2026, 11, 23, 8, 59), False),
        (at(2026, 11, 23, 9, 0), True),
        (at(2026, 11, 23, 19, 59), True),
        (at(2026, 11, 23, 20, 0), False),  # [from, to): 20:00 itself is outside
        (at(2026, 11, 28, 9, 30), False),  # Saturday opens at 10:00
        (at(2026, 11, 28, 17, 59), True),
    ],
)
def test_windows_are_half_open_in_local_time(when, allowed):
    d = run(facts(), now=when)
    assert d.allowed is allowed
    if not allowed:
        assert codes(d) == ["QUIET_HOURS"]


def test_quiet_hours_point_to_the_next_window():
    assert run(facts(), now=at(2026, 11, 23, 20, 0)).next_allowed_at == at(2026, 11, 24, 9, 0)
    assert run(facts(), now=at(2026, 11, 27, 20, 30)).next_allowed_at == at(2026, 11, 28, 10, 0)
    assert run(facts(), now=at(2026, 11, 23, 7, 0)).next_allowed_at == at(2026, 11, 23, 9, 0)


def test_the_callee_local_time_comes_from_the_number():
    us = make_pack(id="us", region="US", country="US", timezone="America/New_York",
                   calling_windows=[{"days": "mon-sun", "from": "08:00", "to": "21:00"}], holidays=None)
    la = parse_phone("+1 213 555 0123", None)
    # 10:30 in New York is 07:30 in Los Angeles: too early for the callee.
    now = datetime(2026, 11, 23, 10, 30, tzinfo=ZoneInfo("America/New_York"))
    d = run(facts(pack=us, phone=la, customer=None, campaign="dep"), now=now, pack=us, campaign="dep")
    assert codes(d) == ["QUIET_HOURS"] and d.reasons[0].detail["timezone"] == "America/Los_Angeles"
    assert d.next_allowed_at == datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("America/Los_Angeles"))


def test_a_number_spanning_several_zones_is_allowed_only_when_all_are_inside():
    us = make_pack(id="us", region="US", country="US", timezone="America/New_York",
                   calling_windows=[{"days": "mon-sun", "from": "08:00", "to": "21:00"}], holidays=None)
    idaho = parse_phone("+1 208 555 0199", None)
    assert set(idaho.time_zones) == {"America/Boise", "America/Los_Angeles"}
    boise = ZoneInfo("America/Boise")
    f = facts(pack=us, phone=idaho, customer=None, campaign="dep")
    # 08:30 Boise is 07:30 Los Angeles: one zone is outside.
    early = run(f, now=datetime(2026, 11, 23, 8, 30, tzinfo=boise), pack=us, campaign="dep")
    assert codes(early) == ["QUIET_HOURS"]
    assert early.next_allowed_at == datetime(2026, 11, 23, 9, 0, tzinfo=boise)  # 08:00 in Los Angeles
    # 20:30 Boise is 19:30 Los Angeles: both inside. 21:00 Boise: Boise is out.
    assert run(f, now=datetime(2026, 11, 23, 20, 30, tzinfo=boise), pack=us, campaign="dep").allowed
    late = run(f, now=datetime(2026, 11, 23, 21, 0, tzinfo=boise), pack=us, campaign="dep")
    assert late.next_allowed_at == datetime(2026, 11, 24, 9, 0, tzinfo=boise)


def test_the_customer_recorded_zone_wins_over_the_number():
    d = run(facts(customer=customer(timezone="Asia/Urumqi")), now=at(2026, 11, 23, 9, 30))  # 07:30 in Urumqi
    assert codes(d) == ["QUIET_HOURS"] and d.zone == "Asia/Urumqi"
    assert d.next_allowed_at == datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Urumqi"))


def test_next_window_across_a_daylight_saving_change():
    us = make_pack(id="us", region="US", country="US", timezone="America/New_York",
                   calling_windows=[{"days": "mon-sun", "from": "08:00", "to": "21:00"}], holidays=None)
    ny = ZoneInfo("America/New_York")
    nyc = parse_phone("+1 212 555 0123", None)
    d = run(facts(pack=us, phone=nyc, customer=None, campaign="dep"), now=datetime(2027, 3, 13, 22, 0, tzinfo=ny), pack=us, campaign="dep")
    assert d.next_allowed_at == datetime(2027, 3, 14, 8, 0, tzinfo=ny)
    assert d.next_allowed_at.astimezone(timezone.utc).hour == 12  # EDT (UTC-4) on the new day


# --- holidays -----------------------------------------------------------------------------

def test_a_blocked_public_holiday_denies_and_points_past_the_holiday_period():
    d = run(facts(), now=at(2026, 10, 1, 10, 0))
    assert codes(d) == ["HOLIDAY"] and d.reasons[0].detail["holiday"] == "National Day"
    # Oct 1-7 are off (Sunday Oct 4 included as part of the period); Thursday Oct 8 opens at 09:00.
    assert d.next_allowed_at == at(2026, 10, 8, 9, 0)


def test_the_weekend_inside_a_holiday_period_is_blocked_too():
    assert codes(run(facts(), now=at(2026, 10, 4, 11, 0))) == ["HOLIDAY"]


def test_holidays_are_not_blocked_when_the_pack_says_so():
    pack = make_pack(holidays={"calendar": "CN", "block": False})
    assert run(facts(pack=pack), now=at(2026, 10, 1, 10, 0), pack=pack).allowed


def test_holiday_and_quiet_hours_both_reported():
    assert codes(run(facts(), now=at(2026, 10, 1, 21, 0))) == ["QUIET_HOURS", "HOLIDAY"]


# --- customer windows -----------------------------------------------------------------------

def test_customer_windows_narrow_the_pack_windows():
    evenings = (parse_window({"days": "mon-fri", "from": "19:00", "to": "21:00"}),)
    f = facts(customer=customer(windows=evenings))
    d = run(f)
    assert codes(d) == ["CUSTOMER_WINDOW"] and d.next_allowed_at == at(2026, 11, 23, 19, 0)
    assert run(f, now=at(2026, 11, 23, 19, 30)).allowed
    # 20:30 is inside the customer's window but outside the pack's: the pack still wins.
    late = run(f, now=at(2026, 11, 23, 20, 30))
    assert codes(late) == ["QUIET_HOURS"] and late.next_allowed_at == at(2026, 11, 24, 19, 0)


def test_a_customer_window_that_never_meets_the_pack_is_denied_and_says_so():
    weekend_nights = (parse_window({"days": "sat,sun", "from": "19:00", "to": "22:00"}),)
    d = run(facts(customer=customer(windows=weekend_nights)))
    assert codes(d) == ["CUSTOMER_WINDOW"] and d.next_allowed_at is None
    assert d.reasons[0].detail["intersection_empty"] is True


def test_weekends_only():
    weekends = (parse_window({"days": "weekends", "from": "00:00", "to": "24:00"}),)
    d = run(facts(customer=customer(windows=weekends)))
    assert d.next_allowed_at == at(2026, 11, 28, 10, 0)


# --- caps ---------------------------------------------------------------------------------

def test_the_number_cap_counts_attempts_in_the_last_24_hours():
    one = (Attempt(at=MON_1015 - timedelta(hours=3)),)
    d = run(facts(number_attempts=one))
    assert codes(d) == ["FREQ_CAP"]
    assert d.reasons[0].detail == {"scope": "number", "window": "24h", "limit": 1, "count": 1, "tier": "normal",
                                   "clears_at": (MON_1015 + timedelta(hours=21)).isoformat()}
    # The cap clears Tuesday 07:15, before the window opens: the first allowed instant is 09:00.
    assert d.next_allowed_at == at(2026, 11, 24, 9, 0)


def test_an_attempt_exactly_one_window_ago_has_left_the_window():
    assert run(facts(number_attempts=(Attempt(at=MON_1015 - timedelta(hours=24)),))).allowed


def test_the_customer_cap_counts_calls_to_all_their_numbers():
    three = tuple(Attempt(at=MON_1015 - timedelta(days=d)) for d in (2, 10, 20))
    d = run(facts(phone=OTHER, customer_attempts=three))
    assert codes(d) == ["FREQ_CAP"] and d.reasons[0].detail["scope"] == "customer"
    # The oldest (20 days ago) leaves the 30-day window in 10 days.
    assert d.reasons[0].detail["clears_at"] == (MON_1015 + timedelta(days=10)).isoformat()


def test_sensitive_customers_get_the_stricter_90_day_cap():
    long_ago = (Attempt(at=MON_1015 - timedelta(days=60)),)
    assert run(facts(customer_attempts=long_ago)).allowed
    d = run(facts(customer=customer(tags=frozenset({"高敏感"})), customer_attempts=long_ago))
    assert codes(d) == ["FREQ_CAP"] and d.cap_tier == "sensitive"
    assert d.reasons[0].detail["window"] == "90d"
    assert d.next_allowed_at == MON_1015 + timedelta(days=30)


def test_every_breached_cap_is_reported():
    recent = (Attempt(at=MON_1015 - timedelta(hours=1)),)
    many = tuple(Attempt(at=MON_1015 - timedelta(hours=h)) for h in (1, 30, 60))
    d = run(facts(number_attempts=recent, customer_attempts=many))
    assert [r.detail["scope"] for r in d.reasons] == ["number", "customer"]


def test_connected_counting_ignores_attempts_that_never_connected_but_counts_pending_ones():
    pack = make_pack(count="connected")
    no_answer = (Attempt(at=MON_1015 - timedelta(hours=2), disposition="no_answer"),)
    assert run(facts(pack=pack, number_attempts=no_answer), pack=pack).allowed
    pending = (Attempt(at=MON_1015 - timedelta(hours=2), disposition=None),)
    assert codes(run(facts(pack=pack, number_attempts=pending), pack=pack)) == ["FREQ_CAP"]
    answered = (Attempt(at=MON_1015 - timedelta(hours=2), disposition="answered"),)
    assert codes(run(facts(pack=pack, number_attempts=answered), pack=pack)) == ["FREQ_CAP"]


def test_a_cap_of_zero_allows_no_call_at_all():
    pack = make_pack(caps={"normal": [{"scope": "number", "window": "1d", "max": 0}]})
    d = run(facts(pack=pack), pack=pack)
    assert codes(d) == ["FREQ_CAP"] and d.next_allowed_at is None


def test_attempts_recorded_a_little_after_now_still_count():
    ahead = (Attempt(at=MON_1015 + timedelta(milliseconds=5)),)
    assert codes(run(facts(number_attempts=ahead))) == ["FREQ_CAP"]


# --- scripts, campaigns, products ---------------------------------------------------------

def test_a_campaign_that_requires_an_approved_script_is_denied_until_one_is_approved():
    d = run(facts(campaign="scripted"), campaign="scripted")
    assert codes(d) == ["SCRIPT_NOT_APPROVED"] and d.next_allowed_at is None
    assert run(facts(campaign="scripted", has_approved_script=True), campaign="scripted").allowed


def test_an_unknown_campaign_is_denied():
    d = run(facts(campaign="nope"), campaign="nope")
    assert codes(d) == ["UNKNOWN_CAMPAIGN"] and d.next_allowed_at is None


def test_an_unknown_product_or_one_outside_the_campaign_is_denied():
    assert codes(run(facts(), product="NOPE")) == ["UNKNOWN_PRODUCT"]
    d = run(facts(), product="R2")  # configured, but campaign wm sells only R3
    assert codes(d) == ["UNKNOWN_PRODUCT"] and d.reasons[0].detail["why"] == "not part of the campaign"


def test_a_campaign_product_missing_from_the_catalog_denies_a_call_that_names_no_product():
    # A campaign's product unknown to the pack that judges the number (a country routed to another pack, a
    # product dropped from a newer version) has no risk level to match: skipping it let a C1 customer, or a
    # caller nobody assessed, be called about an R3 campaign (SPEC §2.6; 证券期货投资者适当性管理办法 第二十二条（三）),
    # while naming the same product was denied.
    camp = Campaign(id="gone", products=("R3", "GONE-1", "GONE-2"))
    for who in (customer(risk_level="C5"), customer(risk_level="C1"), None):
        d = run(replace(facts(customer=who), campaign=camp), campaign="gone")
        assert "UNKNOWN_PRODUCT" in codes(d) and d.next_allowed_at is None
        unknown = next(r for r in d.reasons if r.code == "UNKNOWN_PRODUCT")
        assert unknown.detail == {"product": "GONE-1", "campaign": "gone", "why": "not configured", "products": ["GONE-1", "GONE-2"]}
    # the products it does know are still judged
    assert codes(run(replace(facts(customer=customer(risk_level="C1")), campaign=camp), campaign="gone")) == ["SUITABILITY", "UNKNOWN_PRODUCT"]


# --- all together -------------------------------------------------------------------------

def test_every_denying_rule_is_listed_in_table_order():
    f = facts(
        campaign="scripted",
        customer=customer(risk_level="C1", windows=(parse_window({"days": "sat-sun", "from": "11:00", "to": "12:00"}),)),
        blacklist=(entry(source="registry", ident="B2"), entry(expires_at=at(2027, 1, 1, 0), ident="B1")),
        mutes=(Mute(id="M1", customer_id="C1", starts_at=at(2026, 1, 1, 0), ends_at=at(2027, 1, 1, 0)),),
        deferrals=(Deferral(id="D1", not_before=at(2026, 12, 1, 0), customer_id="C1"),),
        number_attempts=(Attempt(at=at(2026, 10, 1, 21, 30) - timedelta(hours=1)),),
    )
    pack = make_pack(campaigns=[{"id": "scripted", "products": ["R3"], "require_approved_script": True}])
    d = run(replace(f, campaign=pack.campaigns["scripted"]), now=at(2026, 10, 1, 21, 30), pack=pack, campaign="scripted")
    assert codes(d) == [
        "DNC_OPT_OUT", "DNC_REGISTRY", "MUTED", "SUITABILITY", "CALLBACK_DEFERRED", "QUIET_HOURS", "HOLIDAY",
        "CUSTOMER_WINDOW", "FREQ_CAP", "SCRIPT_NOT_APPROVED",
    ]
    assert codes(d) == sorted(codes(d), key=ORDER.__getitem__)
    assert d.next_allowed_at is None


def test_next_allowed_at_combines_every_time_bound_reason_with_the_windows():
    # Cap clears Tuesday 10:15; a deferral says not before Wednesday 19:30; the customer only
    # takes calls 19:00-21:00 on weekdays; the pack closes at 20:00. Earliest: Wednesday 19:30.
    f = facts(
        customer=customer(windows=(parse_window({"days": "mon-fri", "from": "19:00", "to": "21:00"}),)),
        number_attempts=(Attempt(at=MON_1015 - timedelta(hours=0, minutes=1)),),
        deferrals=(Deferral(id="D1", not_before=at(2026, 11, 25, 19, 30), customer_id="C1"),),
    )
    d = run(f)
    assert codes(d) == ["CALLBACK_DEFERRED", "CUSTOMER_WINDOW", "FREQ_CAP"]
    assert d.next_allowed_at == at(2026, 11, 25, 19, 30)
    # Asking again at that instant, with the same facts, is allowed: the answer was exact.
    assert run(f, now=d.next_allowed_at).allowed
    assert not run(f, now=d.next_allowed_at - timedelta(seconds=1)).allowed


def test_next_allowed_at_is_null_when_the_risk_assessment_expires_before_the_mute_ends():
    # Assessed 2026-06-01 (valid 365 days, to 2027-06-01); muted until 2027-11-01. When the mute ends
    # the assessment has expired, so no instant allows the same request: SPEC §3.1 wants null, not
    # the mute's end (where the same request is denied RISK_PROFILE_MISSING).
    mute = Mute(id="M1", customer_id="C1", starts_at=at(2026, 11, 1, 9), ends_at=at(2027, 11, 1, 12))
    f = facts(mutes=(mute,))
    d = run(f)
    assert codes(d) == ["MUTED"]
    assert d.next_allowed_at is None
    assert codes(run(f, now=at(2027, 11, 1, 12))) == ["RISK_PROFILE_MISSING"]


def test_next_allowed_at_is_null_when_the_risk_assessment_expires_during_a_deferral():
    expires = at(2026, 6, 1, 9) + timedelta(days=365)
    f = facts(deferrals=(Deferral(id="D1", not_before=expires + timedelta(days=1), customer_id="C1"),))
    d = run(f)
    assert codes(d) == ["CALLBACK_DEFERRED"] and d.next_allowed_at is None


def test_next_allowed_at_skips_a_mute_that_begins_before_the_cap_clears():
    # The cap clears Tuesday 10:14; a mute recorded to begin Tuesday 08:00 runs to 1 December 12:00.
    # Tuesday 10:14 is inside the mute: the earliest instant is the mute's end.
    mute = Mute(id="M1", customer_id="C1", starts_at=at(2026, 11, 24, 8), ends_at=at(2026, 12, 1, 12))
    f = facts(number_attempts=(Attempt(at=MON_1015 - timedelta(minutes=1)),), mutes=(mute,))
    d = run(f)
    assert codes(d) == ["FREQ_CAP"]
    assert d.next_allowed_at == at(2026, 12, 1, 12)
    assert run(f, now=d.next_allowed_at).allowed
    assert not run(f, now=d.next_allowed_at - timedelta(seconds=1)).allowed


def test_next_allowed_at_is_null_when_the_consent_lapses_before_the_deferral_ends():
    pack = make_pack(consent={"required_for": ["marketing"], "scopes": ["phone"]})
    consent = Consent(id="K1", source="app", given_at=at(2026, 1, 5, 9), phone=PHONE.e164, expires_at=at(2026, 11, 30, 0))
    f = facts(campaign="dep", pack=pack, consents=(consent,),
              deferrals=(Deferral(id="D1", not_before=at(2026, 12, 2, 10), customer_id="C1"),))
    d = run(f, pack=pack, campaign="dep")
    assert codes(d) == ["CALLBACK_DEFERRED"] and d.next_allowed_at is None


def test_decide_is_deterministic_and_does_not_mutate_its_inputs():
    f = facts(number_attempts=(Attempt(at=MON_1015 - timedelta(hours=1)),))
    assert run(f) == run(f)


def test_a_consent_given_by_date_alone_is_said_given_on_its_day_and_its_max_age_ending_is_named():
    """授权日期 2024-11-01 names a day, no hour: the import holds it from the day's last microsecond (民法典 第二百零一条), and
    the reply read "given Fri 1 Nov 2024 23:59", an hour the bank never recorded. A consent past the pack's max_age (no
    expires_at of its own) read "No marketing consent is recorded": there is one, and it expired. Now the day alone, and
    when it ended: 730 days from 24:00 of its day."""
    pack = make_pack(consent={"required_for": ["marketing"], "scopes": ["phone"], "max_age": "730d"})
    dated = Consent(id="K1", source="app", given_at=datetime(2024, 11, 1, 23, 59, 59, 999_999, tzinfo=SH), phone=PHONE.e164,
                    given_on=date(2024, 11, 1))
    [reason] = run(facts(consents=(dated,)), pack=pack).reasons
    assert reason.detail["why"] == "expired" and reason.detail["given_on"] == "2024-11-01"
    assert reason.detail["expired_at"] == "2026-11-02T00:00:00+08:00"
    assert reason.messages["en"] == ("The consent for this number (mobile app, given on 1 Nov 2024) expired at "
                                     "Mon 2 Nov 2026 00:00."), reason.messages
    assert reason.messages["zh-CN"] == "该号码的同意（手机银行/APP，2024年11月1日取得）已于 2026年11月2日（周一）00:00 到期。"
    assert "23:59" not in reason.messages["zh-TW"]
    timed = replace(dated, given_at=at(2024, 11, 1, 10), given_on=None)
    [reason] = run(facts(consents=(timed,)), pack=pack).reasons
    assert "given_on" not in reason.detail and "given Fri 1 Nov 2024 10:00" in reason.messages["en"], reason.messages
    # Given at exactly 23:59:59.999999 (a recorded instant, no day kept with it) is no date-only consent: it was read as one
    # from the instant alone, its 730 days counted a microsecond later and the hour left unsaid.
    last = replace(timed, given_at=dated.given_at)
    [reason] = run(facts(consents=(last,)), pack=pack).reasons
    assert "given_on" not in reason.detail and reason.detail["expired_at"] == "2026-11-01T23:59:59.999999+08:00", reason.detail
