"""A customer's recorded state puts its time zones on the call, beside the number's.

Sources:
- 47 CFR 64.1200(c)(1): no solicitation before 8 a.m. or after 9 p.m. "local time at the called party's location".
- Fla. Stat. § 501.616(6)(a) (Ch. 2021-185): 8 a.m.-8 p.m. at the called person's location (the us-tcpa pack's FL rule).
- Where the called party is, when the number and the address disagree: J. Sanscrainte (Bryan Cave), "Telemarketing to
  portable numbers", DMNews (also the DNC.com Compliance Guide, "Area Code vs. Address", July 2008): since mobile
  numbers and number portability, an area code no longer ties a number to a place; numbers that do not match their
  addresses should be called only in hours acceptable at both places.
- Which zones a state has: the phone-number library's own zones of the area codes tied to the state, as the pack
  corrects them (zone_overrides, 49 CFR Part 71): Florida is Eastern and Central (71.5), Texas Central and Mountain
  (71.7, El Paso).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from guard.core.decide import decide
from guard.core.facts import CheckInput, CustomerFacts, Facts
from guard.core.pack_schema import build_pack
from guard.core.phones import parse_phone, state_zones
from policies.loader import read_document
from tests.conftest import PACKS

raw, issue = read_document(PACKS / "us-tcpa-2026.2.yaml")
assert issue is None, issue
US_TCPA = build_pack(raw, "us-tcpa-2026.2.yaml")

SAN_FRANCISCO = "+14155550123"  # 415: California, Pacific time
MIAMI = "+13055550123"  # 305: Florida, Eastern time


def judge(phone: str, utc: datetime, *customers: CustomerFacts, info=None):
    info = info or parse_phone(phone, "US")
    f = Facts(phone=info, customers=customers, campaign=US_TCPA.campaigns.get("us-dep-2026"), products=US_TCPA.products)
    return decide(CheckInput(campaign="us-dep-2026"), f, US_TCPA, utc)


def at(hour: int, minute: int, offset: int) -> datetime:
    """2026-12-09, a Wednesday, at hour:minute in a zone `offset` hours from UTC (December: no daylight time)."""
    return datetime(2026, 12, 9, hour, minute, tzinfo=timezone(timedelta(hours=offset)))


def test_a_florida_resident_on_a_california_number_is_not_called_after_8_pm_in_florida():
    resident = CustomerFacts(id="c1", phones=(SAN_FRANCISCO,), state="FL")
    late = judge(SAN_FRANCISCO, at(20, 30, -5), resident)  # 20:30 in Miami, 17:30 in San Francisco
    assert not late.allowed
    quiet = [r for r in late.reasons if r.code == "QUIET_HOURS"]
    assert quiet and quiet[0].detail["timezone"] == "America/New_York" and quiet[0].detail["zone_source"] == "state"
    assert any(r.detail.get("state") == "FL" for r in quiet)
    assert late.zone == "America/Los_Angeles" and late.zone_source == "number"  # times are still written in the number's
    # Allowed where both places are inside their windows: 11:30 in Miami is 08:30 in San Francisco.
    assert judge(SAN_FRANCISCO, at(8, 30, -8), resident).allowed
    # The next allowed instant is the first both places allow: 08:00 in Florida (Eastern) is 05:00 in San Francisco,
    # so 08:00 in San Francisco, 11:00 in Miami, the next day.
    assert late.next_allowed_at == at(8, 0, -8) + timedelta(days=1)


def test_a_california_resident_on_a_miami_number_is_not_called_before_8_am_in_california():
    resident = CustomerFacts(id="c2", phones=(MIAMI,), state="CA")
    early = judge(MIAMI, at(7, 30, -8), resident)  # 10:30 in Miami
    assert {r.code for r in early.reasons} == {"QUIET_HOURS"}  # the federal windows, and Florida's (the number's state)
    assert all(r.detail["timezone"] == "America/Los_Angeles" and r.detail["zone_source"] == "state" for r in early.reasons)
    # Without the recorded state the number's zone alone judged it, and allowed it.
    assert judge(MIAMI, at(7, 30, -8), replace(resident, state=None)).allowed


def test_a_recorded_zone_is_more_precise_than_a_recorded_state():
    # A Pensacola resident: Florida, Central time. The recorded zone says where in Florida; Eastern is not added.
    pensacola = CustomerFacts(id="c3", phones=(SAN_FRANCISCO,), state="FL", timezone="America/Chicago")
    d = judge(SAN_FRANCISCO, at(19, 30, -6), pensacola)  # 19:30 in Pensacola, 20:30 in Miami
    assert d.allowed and d.zone == "America/Chicago" and d.zone_source == "customer"


def test_every_customer_of_the_call_counts():
    # The number's owner records a zone; the customer the dialer names records only a state: both places count.
    owner = CustomerFacts(id="owner", phones=(SAN_FRANCISCO,), timezone="America/Los_Angeles")
    named = CustomerFacts(id="named", state="FL")
    d = judge(SAN_FRANCISCO, at(20, 30, -5), owner, named)
    assert not d.allowed and d.zone_source == "customer"
    assert {r.detail["zone_source"] for r in d.reasons if r.code == "QUIET_HOURS"} == {"state"}


def test_a_recorded_state_tells_the_zone_of_a_number_that_gives_none():
    # A valid number the library places in no zone: us-tcpa denies ZONE_UNKNOWN, unless a customer's state tells it.
    info = replace(parse_phone(MIAMI, "US"), time_zones=())
    assert "ZONE_UNKNOWN" in [r.code for r in judge(MIAMI, at(12, 0, -5), info=info).reasons]
    d = judge(MIAMI, at(12, 0, -5), CustomerFacts(id="c4", state="NY"), info=info)
    assert d.allowed and d.zone == "America/New_York" and d.zone_source == "state"


def test_the_zones_of_a_state_come_from_the_librarys_area_codes_as_the_pack_corrects_them():
    overrides = US_TCPA.zone_overrides
    assert set(state_zones("FL", overrides)) == {"America/New_York", "America/Chicago"}  # 49 CFR 71.5
    assert set(state_zones("TX", overrides)) == {"America/Chicago", "America/Denver"}  # 49 CFR 71.7: El Paso
    assert state_zones("NY", overrides) == ("America/New_York",)
    assert state_zones("CA", overrides) == ("America/Los_Angeles",)
    assert state_zones("PR", overrides) == ("America/Puerto_Rico",)  # a territory: its numbers' region
    assert state_zones("GU", overrides) == ("Pacific/Guam",)
    # Alaska's one area code, 907, as the pack corrects it (the library also names Juneau's and a stray Honolulu).
    assert set(state_zones("AK", overrides)) == {"America/Anchorage", "America/Adak"}
    assert state_zones("UM", overrides) == ()  # no area code: nothing added, the number's zones stand


def test_a_recorded_us_state_places_no_callee_for_a_pack_that_judges_no_us_number():
    # cn-bank judges mainland numbers by the number's zone or a recorded zone (SPEC §2.4); a US `state` on the profile
    # of a customer called on a mainland mobile adds nothing there.
    raw_cn, problem = read_document(PACKS / "cn-bank-2026.4.yaml")
    assert problem is None, problem
    cn_bank = build_pack(raw_cn, "cn-bank-2026.4.yaml")
    info = parse_phone("13900139000", "CN")
    customer = CustomerFacts(id="C100", phones=("+8613900139000",), state="NY")
    f = Facts(phone=info, customers=(customer,), campaign=cn_bank.campaigns.get("dep-2026q4"), products=cn_bank.products)
    d = decide(CheckInput(campaign="dep-2026q4"), f, cn_bank, datetime(2026, 11, 23, 10, 15, tzinfo=timezone(timedelta(hours=8))))
    assert d.zone == "Asia/Shanghai" and d.zone_source == "number"
    assert "QUIET_HOURS" not in [r.code for r in d.reasons]
