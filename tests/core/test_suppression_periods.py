"""guard.core.periods: a mute or a deferral written in days ends at 24:00 of its last day where the callee is.

民法典 第二百零一条: "按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。按照小时计算期间的，自法律规定或者当事人约定的
时间开始计算。" 第二百零三条: "期间的最后一日的截止时间为二十四时。"
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from guard.core.arrivals import deferral_until, mute_for
from guard.core.pack import PackSet, PackTimeline
from guard.core.periods import callee_zones, customer_zones, suppression_end
from guard.core.suitability import judge_product
from guard.core.facts import CustomerFacts
from tests.core.packs import make_pack

SH = ZoneInfo("Asia/Shanghai")
LA = ZoneInfo("America/Los_Angeles")
NY = ZoneInfo("America/New_York")
HNL = ZoneInfo("Pacific/Honolulu")


def test_a_three_day_deferral_at_15_00_ends_at_24_00_of_the_third_day_after_in_shanghai():
    pack = make_pack(deferral_default="3d")
    call_end = datetime(2026, 11, 23, 15, 2, tzinfo=SH)
    assert deferral_until(pack, call_end, None, callee_zones(pack, "+8613800138000")) == datetime(2026, 11, 27, 0, 0, tzinfo=SH)


def test_a_mute_of_365_days_from_a_complaint_at_15_00_ends_at_24_00_of_its_last_day_in_a_leap_year():
    pack = make_pack(mute={"complaints": 2, "within": "180d", "for": "365d"})
    first, second = datetime(2027, 2, 1, 9, tzinfo=SH), datetime(2027, 3, 1, 15, tzinfo=SH)
    start, end, count = mute_for(pack.mute, [first, second], second, second, callee_zones(pack, "+8613800138000"))
    # 2028 is a leap year: the 365th day after 2027-03-01 is 2028-02-29, and the mute ends as that day does.
    assert (start, end, count) == (second, datetime(2028, 3, 1, 0, 0, tzinfo=SH), 2)


def test_a_seven_day_deferral_across_the_march_change_ends_at_local_24_00_in_los_angeles():
    pack = make_pack(id="us", country="US", region="US", timezone="America/New_York", holidays=None, deferral_default="7d")
    call_end = datetime(2027, 3, 10, 15, 0, tzinfo=LA)  # DST starts on 2027-03-14
    end = deferral_until(pack, call_end, None, callee_zones(pack, "+12135550123"))
    assert end == datetime(2027, 3, 18, 0, 0, tzinfo=LA)
    assert end.astimezone(LA).hour == 0  # not 23:00 or 01:00: counted in local days, not 168 hours


def test_a_number_whose_zone_is_unsure_ends_the_suppression_where_the_day_ends_last():
    start = datetime(2026, 11, 23, 15, 0, tzinfo=NY)
    assert suppression_end(start, timedelta(days=1), True, ("America/New_York", "America/Los_Angeles")) == \
        datetime(2026, 11, 25, 0, 0, tzinfo=LA)


def test_a_period_written_in_hours_runs_from_the_instant():
    pack = make_pack(deferral_default="72h")
    call_end = datetime(2026, 11, 23, 15, 2, tzinfo=SH)
    assert deferral_until(pack, call_end, None, callee_zones(pack, "+8613800138000")) == call_end + timedelta(hours=72)


def test_a_risk_assessment_stays_valid_365_times_24_hours_never_to_the_end_of_the_calendar_day():
    # A permission keeps the stricter reading: 商业银行理财业务监督管理办法 "超过一年未进行风险承受能力评估" allows at most one
    # year to the corresponding day (民法典 第二百零二条); 365 days from the instant ends before that, leap year or not.
    pack = make_pack(risk_assessment_valid_for="365d")
    assessed = datetime(2027, 3, 1, 10, 0, tzinfo=SH)
    customer = CustomerFacts(id="C", risk_level="C5", risk_assessed_at=assessed)
    late = datetime(2028, 2, 29, 10, 0, tzinfo=SH)
    assert [f.code for f in judge_product(pack.products["R3"], customer, pack, late)] == ["RISK_PROFILE_MISSING"]
    assert judge_product(pack.products["R3"], customer, pack, late - timedelta(seconds=1)) == []


def _us_packs():
    pack = make_pack(id="us", country="US", region="US", timezone="America/New_York", holidays=None,
                     mute={"complaints": 2, "within": "365d", "for": "365d"}, deferral_default="1d")
    return pack, PackSet({"us": PackTimeline([pack])}, "us")


def test_a_mute_of_a_customer_filed_without_a_number_ends_at_midnight_where_the_customer_records_living():
    # 47 CFR 64.1200(c)(1): the called party's local time. The customer records Pacific/Honolulu; the pack's zone is
    # New York's, where the last day ends five hours earlier (at 19:00 in Honolulu, when calls would resume).
    pack, packs = _us_packs()
    first, second = datetime(2026, 12, 7, 10, tzinfo=HNL), datetime(2026, 12, 7, 11, tzinfo=HNL)
    zones = callee_zones(pack, None, customer_zones(packs, second, [CustomerFacts(id="C", timezone="Pacific/Honolulu")]))
    assert mute_for(pack.mute, [first, second], second, second, zones)[1] == datetime(2027, 12, 8, 0, 0, tzinfo=HNL)


def test_a_deferral_of_a_customer_with_numbers_in_several_zones_ends_where_the_last_of_them_ends_its_day():
    pack, packs = _us_packs()
    customer = CustomerFacts(id="C", phones=("+12125550123", "+12135550123"))  # New York, Los Angeles
    call_end = datetime(2026, 12, 7, 15, 0, tzinfo=NY)
    zones = callee_zones(pack, "+12125550123", customer_zones(packs, call_end, [customer, None]))
    assert deferral_until(pack, call_end, None, zones) == datetime(2026, 12, 9, 0, 0, tzinfo=LA)
