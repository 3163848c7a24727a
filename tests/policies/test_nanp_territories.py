"""The North American Numbering Plan under the shipped us-tcpa pack: +1 numbers of the U.S. territories are judged
by the TCPA in their own zones; those of Canada and the plan's Caribbean countries are other countries' numbers.

Sources, each cited where the rule is tested:
- 47 U.S.C. § 227(b)(1), (c): the TCPA protects persons "within the United States"; 47 U.S.C. § 153 defines the
  United States as "the several States and Territories, the District of Columbia, and the possessions of the United
  States" (the section's text was not read in a stored copy here).
- 47 CFR 64.1200(c)(1): no solicitation before 8 a.m. or after 9 p.m. local time at the called party's location.
- Zones, from the phonenumbers library's own prefix data: Puerto Rico America/Puerto_Rico (UTC-4, no daylight
  saving), Guam Pacific/Guam (UTC+10), American Samoa Pacific/Pago_Pago (UTC-11).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from guard.core.decide import decide
from guard.core.facts import CheckInput, Facts
from guard.core.pack_schema import build_pack
from guard.core.phones import parse_phone
from policies.loader import read_document
from tests.conftest import PACKS

raw, issue = read_document(PACKS / "us-tcpa-2026.2.yaml")
assert issue is None, issue
US_TCPA = build_pack(raw, "us-tcpa-2026.2.yaml")

PR = "+17872345678"  # 787: Puerto Rico
GU = "+16713001234"  # 671: Guam
AS_MOBILE = "+16847331234"  # 684: American Samoa; the library types it mobile, not fixed_line_or_mobile
VI = "+13406421234"  # 340: U.S. Virgin Islands
MP = "+16702345678"  # 670: Northern Mariana Islands


def judge(phone: str, utc: datetime):
    info = parse_phone(phone, "US")
    f = Facts(phone=info, campaign=US_TCPA.campaigns.get("us-dep-2026"), products=US_TCPA.products)
    return decide(CheckInput(campaign="us-dep-2026"), f, US_TCPA, utc)


def codes(decision) -> list[str]:
    return [r.code for r in decision.reasons]


def local(hour: int, minute: int, offset: int) -> datetime:
    """2026-12-09 (a Wednesday) at hour:minute in a zone `offset` hours from UTC."""
    return datetime(2026, 12, 9, hour, minute, tzinfo=timezone(timedelta(hours=offset)))


@pytest.mark.parametrize("phone", [PR, GU, AS_MOBILE, VI, MP])
def test_a_us_territory_number_is_governed_by_the_tcpa(phone):
    # 47 U.S.C. § 153: the United States includes the Territories and possessions.
    noon_everywhere = {PR: -4, GU: 10, AS_MOBILE: -11, VI: -4, MP: 10}[phone]
    assert judge(phone, local(12, 0, noon_everywhere)).allowed


def test_territory_calls_are_judged_in_the_territorys_own_zone():
    # 47 CFR 64.1200(c)(1): 8 a.m.-9 p.m. at the called party's location.
    assert judge(PR, local(8, 30, -4)).allowed  # 07:30 in New York: Puerto Rico keeps no daylight time
    late = judge(PR, local(21, 0, -4))
    assert codes(late) == ["QUIET_HOURS"] and late.reasons[0].detail["timezone"] == "America/Puerto_Rico"
    assert judge(GU, local(8, 0, 10)).allowed and codes(judge(GU, local(7, 59, 10))) == ["QUIET_HOURS"]


def test_an_american_samoa_mobile_number_has_samoas_zone_not_the_whole_plans():
    # The library gives a +1 number it types mobile the zones of the whole country code (Guam to Pago Pago, whose
    # windows never all meet): such a number could never be called. Its area code's own zone is Pacific/Pago_Pago.
    assert parse_phone(AS_MOBILE, "US").time_zones == ("Pacific/Pago_Pago",)
    assert parse_phone("+18762101234", "US").time_zones == ("America/Jamaica",)  # a Jamaican mobile number
    assert judge(AS_MOBILE, local(20, 30, -11)).allowed
    late = judge(AS_MOBILE, local(21, 0, -11))
    assert codes(late) == ["QUIET_HOURS"] and late.next_allowed_at == local(8, 0, -11) + timedelta(days=1)
    # A non-geographic code still stands for every zone of the plan.
    assert len(parse_phone("+15002345678", "US").time_zones) > 30
    assert len(parse_phone("+18005550199", "US").time_zones) > 30


@pytest.mark.parametrize("phone,country", [("+14165550123", "CA"), ("+18762101234", "JM"), ("+18092345678", "DO")])
def test_canadian_and_caribbean_numbers_are_other_countries(phone, country):
    # +1 is shared by the plan's countries; the TCPA reaches persons within the United States only.
    d = judge(phone, local(12, 0, -5))
    assert codes(d) == ["OUT_OF_JURISDICTION"] and d.reasons[0].detail["number_country"] == country
    assert d.next_allowed_at is None
