"""The shipped cn-bank pack against the outside sources its settings rest on.

Each test names the source it holds the pack to; a pack edit that goes past what a source allows fails here.
The pack's comments say where a setting is the bank's own choice (stricter than a source) rather than law.

- R01 人身保险电话销售业务管理办法（原保监会，2013）: "除客户主动要求外，每日21时至次日9时不得呼出销售" (人民日报 2013-05-05,
  as mirrored at http://m.aigou888.cn/dfpd/2013-05/05/content_16477000.htm; 广州日报 2013-05-03). The pack's windows
  are the bank's, and must stay inside 09:00-21:00.
- R14 银行业保险业消费投诉处理管理办法（银保监会令2020年第3号，2020-03-01 施行）: 事实清楚、争议情况简单的消费投诉，应当
  自收到消费投诉之日起15日内作出处理决定并告知投诉人，情况复杂的可以延长至30日; 特别复杂的经审批可以再延长30日
  (财新 2020-01-17, http://finance.caixin.com/2020-01-17/101505443.html). The pack's tiers resolve within 15 days.
- R18 商业银行理财业务监督管理办法（银保监会令2018年第6号）: 超过一年未进行风险承受能力评估……的客户，再次购买理财产品时，
  应当重新评估 (宁波银保监局 in 宁波晚报 2020-08-14, http://daily.cnnb.com.cn/nbwb/html/2020-08/14/content_1234346.htm).
  365 days never exceed one calendar year.
- R17 证券期货投资者适当性管理办法 第二十二条（三）（五）: no active promotion to an ordinary investor of a product above
  their risk tolerance, and none above it to the lowest category (C1). An outbound call is active promotion.
- R21 商业银行理财产品销售管理办法（银监会令2011年第5号）第九条: 风险匹配原则是指商业银行只能向客户销售风险评级等于或低于其
  风险承受能力评级的理财产品 (https://liuxuequn.com/topic/3064286).
- 国务院办公厅关于2026年部分节假日安排的通知（2025-11-04, https://politics.gmw.cn/2025-11/04/content_38391083.htm):
  checked day by day in tests/policies/test_cn_calendar.py.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import yaml

from guard.core.calendar import day_calendar
from guard.core.facts import CustomerFacts
from guard.core.pack_schema import build_pack
from guard.core.suitability import judge_product
from tests.conftest import PACKS

PACK = build_pack(yaml.safe_load((PACKS / "cn-bank-2026.4.yaml").read_text(encoding="utf-8")), "cn-bank-2026.4.yaml")


def minute(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def open_at(weekday: int, hhmm: str) -> bool:
    return any(w.contains(weekday, minute(hhmm)) for w in PACK.calling_windows)


def test_no_window_reaches_into_r01s_banned_hours_21_to_9():
    for w in PACK.calling_windows:
        assert w.start >= minute("09:00") and w.end <= minute("21:00"), w.describe()


def test_the_weekday_window_edges_in_callee_local_time():
    for weekday in range(5):
        assert not open_at(weekday, "08:59") and open_at(weekday, "09:00")
        assert open_at(weekday, "19:59") and not open_at(weekday, "20:00")  # the bank's 20:00, stricter than R01's 21:00
        assert not open_at(weekday, "20:59") and not open_at(weekday, "21:00")
    for weekday in (5, 6):
        assert not open_at(weekday, "09:00") and open_at(weekday, "10:00") and not open_at(weekday, "18:00")


def test_every_complaint_tier_resolves_within_r14s_15_days():
    for severity, sla in PACK.complaint_sla.items():
        assert sla.resolve is not None and sla.resolve <= timedelta(days=15), severity


def test_a_risk_assessment_never_outlives_r18s_one_year():
    # the shortest calendar year (none with a 29 February in it) has 365 days
    assert PACK.risk_assessment_valid_for <= timedelta(days=365)


def test_the_suitability_matrix_never_offers_above_the_customers_level():
    assert PACK.suitability == {"C1": "R1", "C2": "R2", "C3": "R3", "C4": "R4", "C5": "R5"}


def test_makeup_working_saturday_takes_the_weekday_window_and_holidays_are_blocked():
    assert PACK.holidays is not None and PACK.holidays.block and PACK.holidays.calendar == "CN"
    cal = day_calendar(PACK.holidays.day_rules)
    assert cal.weekday(date(2026, 10, 10)) < 5 and cal.blocked(date(2026, 10, 10)) is None   # 10月10日（周六）上班
    assert cal.blocked(date(2026, 10, 4)) is not None                                       # 国庆节 10月1日至7日


def _codes(product: str, level: str, assessed: datetime, at: datetime) -> list[str]:
    customer = CustomerFacts(id="C", risk_level=level, risk_assessed_at=assessed)
    return [f.code for f in judge_product(PACK.products[product], customer, PACK, at)]


def test_each_customer_level_is_offered_its_own_product_level_and_never_the_one_above():
    # R21 第九条 (等于或低于) and R17 第二十二条（三）（五）, at the boundary, with the shipped products.
    at = datetime(2026, 6, 1, 2, tzinfo=timezone.utc)
    assessed = at - timedelta(days=30)
    by_level = {p.risk: p.code for p in PACK.products.values() if p.type in ("wealth", "fund")}  # R2, R3, R4
    for n in (2, 3, 4):
        assert _codes(by_level[f"R{n}"], f"C{n}", assessed, at) == []
        assert _codes(by_level[f"R{n}"], f"C{n - 1}", assessed, at) == ["SUITABILITY"]  # one level above: denied
    assert _codes("INS-R1-001", "C1", assessed, at) == []


def test_a_risk_assessment_is_valid_up_to_its_last_instant_and_not_past_one_year():
    # R18: 超过一年未进行风险承受能力评估……应当重新评估. Assessed 10:00 on 2 March 2026: valid on 1 March 2027, gone at
    # 10:00 on 2 March 2027 (365 days, which is one year here: no 29 February between).
    assessed = datetime(2026, 3, 2, 2, tzinfo=timezone.utc)
    last = assessed + timedelta(days=365) - timedelta(seconds=1)
    assert _codes("WM-R3-001", "C3", assessed, last) == []
    assert _codes("WM-R3-001", "C3", assessed, last + timedelta(seconds=1)) == ["RISK_PROFILE_MISSING"]
