"""China's 2026 calendar, day by day, against the State Council's notice, through /v1/check.

Source: 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号，2025年11月4日）, as published
by Xinhua (https://politics.gmw.cn/2025-11/04/content_38391083.htm). The periods of days off
(放假调休) and the makeup working days (上班) below are typed from that text, not from the guard's
calendar data:
  一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
  二、春节：2月15日（周日）至23日（周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
  三、清明节：4月4日（周六）至6日（周一）放假，共3天。
  四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
  五、端午节：6月19日（周五）至21日（周日）放假，共3天。
  六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
  七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
cn-bank's windows: weekdays 09:00-20:00, weekends 10:00-18:00 (callee local time).
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from tests.conftest import PACKS, new_key

DAYS_OFF = [
    (date(2026, 1, 1), date(2026, 1, 3)), (date(2026, 2, 15), date(2026, 2, 23)), (date(2026, 4, 4), date(2026, 4, 6)),
    (date(2026, 5, 1), date(2026, 5, 5)), (date(2026, 6, 19), date(2026, 6, 21)), (date(2026, 9, 25), date(2026, 9, 27)),
    (date(2026, 10, 1), date(2026, 10, 7)),
]
MAKEUP_WORKDAYS = {date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10)}
TIMES = ("09:30", "11:00", "19:00")
INSIDE = {"workday": {"09:30", "11:00", "19:00"}, "weekend": {"11:00"}}  # 09:00-20:00 / 10:00-18:00


def official(day: date) -> str:
    if any(a <= day <= b for a, b in DAYS_OFF):
        return "blocked"
    if day in MAKEUP_WORKDAYS or day.weekday() < 5:
        return "workday"
    return "weekend"


def expected(day: date, hhmm: str) -> list[str]:
    """What a dry-run check must answer: the windows of the day (a makeup day takes the weekday's,
    a day off its own weekday's), and HOLIDAY on every day off."""
    windows = "workday" if day in MAKEUP_WORKDAYS or day.weekday() < 5 else "weekend"
    codes = [] if hhmm in INSIDE[windows] else ["QUIET_HOURS"]
    return codes + (["HOLIDAY"] if official(day) == "blocked" else [])


def test_the_notice_as_typed_here_has_its_33_days_off_and_6_makeup_days():
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]
    kinds = [official(d) for d in days]
    assert kinds.count("blocked") == 3 + 9 + 3 + 5 + 3 + 3 + 7 and all(d.weekday() >= 5 for d in MAKEUP_WORKDAYS)


@pytest.fixture
def client(make_app):
    app = make_app()
    c = app.test_client()
    c.h = new_key(app, "dialer")
    return c


def _codes(client, day: date, hhmm: str) -> list[str]:
    body = {"phone": "13900139000", "campaign": "dep-2026q4", "dry_run": True, "at": f"{day.isoformat()}T{hhmm}:00+08:00"}
    r = client.post("/v1/check", json=body, headers=client.h)
    assert r.status_code == 200, (day, r.json)
    return [x["code"] for x in r.json["reasons"]]


def test_every_day_of_2026_is_judged_as_the_notice_says(client):
    wrong = []
    for i in range(365):
        day = date(2026, 1, 1) + timedelta(days=i)
        for hhmm in TIMES:
            got = _codes(client, day, hhmm)
            if got != expected(day, hhmm):
                wrong.append((day.isoformat(), day.strftime("%a"), hhmm, official(day), got))
    assert wrong == []


def test_a_check_on_a_makeup_saturday_at_0930_is_allowed_and_next_allowed_skips_the_whole_period(client):
    assert _codes(client, date(2026, 2, 14), "09:30") == []
    r = client.post("/v1/check", json={"phone": "13900139000", "campaign": "dep-2026q4", "dry_run": True,
                                       "at": "2026-02-15T11:00:00+08:00"}, headers=client.h).json
    assert r["next_allowed_at"] == "2026-02-24T09:00:00+08:00"  # the first working day after 春节


def _pack_dir(tmp_path: Path, holidays: dict) -> Path:
    target = tmp_path / "packs"
    if not target.exists():
        shutil.copytree(PACKS, target)
    path = target / "cn-bank-2026.4.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["holidays"] = holidays
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return target


def test_a_new_notice_entered_in_the_pack_takes_effect_on_reload(make_app, tmp_path):
    """2027 (the package's guess until the notice is out): a pack adds a period, removes a day and
    names a makeup working day; `guard policies reload` makes every process serve it."""
    packs = _pack_dir(tmp_path, {"calendar": "CN", "block": True})
    app = make_app(GUARD_POLICY_DIR=str(packs))
    c = app.test_client()
    c.h = new_key(app, "dialer")
    before = {d: _codes(c, date.fromisoformat(d), "11:00") for d in ("2027-03-03", "2027-01-01", "2027-03-06")}
    assert before == {"2027-03-03": [], "2027-01-01": ["HOLIDAY"], "2027-03-06": []}
    _pack_dir(tmp_path, {"calendar": "CN", "block": True, "source": "a made-up notice for 2027, for this test",
                         "add": [{"from": "2027-03-03", "to": "2027-03-05", "name": "测试假期"}],
                         "remove": ["2027-01-01"], "workdays": [{"date": "2027-03-07", "as": "fri"}]})
    rt = app.extensions["guard"]
    report = rt.registry.load()
    assert report.ok, report.issues
    rt.request_reload("test")
    after = {d: _codes(c, date.fromisoformat(d), t) for d, t in (("2027-03-03", "11:00"), ("2027-01-01", "11:00"),
                                                                ("2027-03-06", "11:00"), ("2027-03-07", "09:30"))}
    # 03-06 is the Saturday right after the added days: part of the period now; 03-07 a makeup working day.
    assert after == {"2027-03-03": ["HOLIDAY"], "2027-01-01": [], "2027-03-06": ["HOLIDAY"], "2027-03-07": []}
    d = c.post("/v1/check", json={"phone": "13900139000", "campaign": "dep-2026q4", "dry_run": True,
                                  "at": "2027-03-04T11:00:00+08:00"}, headers=c.h).json
    assert d["reasons"][0]["detail"]["holiday"] == "测试假期"


@pytest.mark.parametrize("holidays, path, reason", [
    ({"calendar": "CN", "add": ["2027-02-30"]}, "holidays.add[0]", "not a date"),
    ({"calendar": "CN", "add": [{"from": "2027-02-10", "to": "2027-02-01"}]}, "holidays.add[0].to", "before from"),
    ({"calendar": "CN", "add": [{"date": "2027-02-10", "from": "2027-02-10"}]}, "holidays.add[0]", "not both"),
    ({"calendar": "CN", "add": ["2027-02-10"], "remove": ["2027-02-10"]}, "holidays.remove[0]", "also in add"),
    ({"calendar": "CN", "add": ["2027-02-10"], "workdays": ["2027-02-10"]}, "holidays.workdays[0]", "also in add"),
    ({"calendar": "CN", "workdays": [{"date": "2027-02-13", "as": "sat"}]}, "holidays.workdays[0].as", "weekend day"),
    ({"calendar": "CN", "add": [{"from": "2027-01-01", "to": "2027-03-01"}]}, "holidays.add[0]", "longer than a month"),
    ({"calendar": "CN", "added": []}, "holidays.added", "unknown key"),
])
def test_guard_policies_validate_explains_each_mistake_in_the_holiday_keys(tmp_path, holidays, path, reason):
    from policies.loader import validate_path

    packs = _pack_dir(tmp_path, holidays)
    issues = validate_path(packs / "cn-bank-2026.4.yaml", "cn-bank").issues
    assert any(i.path == path and reason in i.reason for i in issues), [str(i) for i in issues]
