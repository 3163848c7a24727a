"""A year judged by China's calendar without its official holiday notice is warned of, by `guard policies
validate` and `reload`, /readyz and /metrics.

Sources. The statute (全国年节及纪念日放假办法, 2024 revision) fixes the holidays themselves; each year's notice
(国务院办公厅关于XXXX年部分节假日安排的通知) adds the rest of each period of days off and the makeup working days,
which no rule computes. The 2026 notice (国办发明电〔2025〕7号, published 2025-11-04, Xinhua:
https://politics.gmw.cn/2025-11/04/content_38391083.htm) made six weekdays days off beyond the statute's days
(1月2日, 2月20日, 2月23日, 5月5日, 10月6日, 10月7日) and named six makeup working days (1月4日, 2月14日, 2月28日,
5月9日, 9月20日, 10月10日): without it the guard would allow marketing calls on six official days off and judge
six working Saturdays and Sundays by the weekend windows. The 2017 notice (国办发明电〔2016〕17号) came out on
2016-12-01. The holidays package, pinned in requirements.txt, carries the notices through 2026 (its China module
cites them up to the 2026 one).
"""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from guard.core.calendar import DayRules, notice_missing, notice_years, package_days_off, package_version
from tests.conftest import PACKS, Clock
from tests.e2e.servers import cli

CN = DayRules("CN", periods=True)
NOTICE_2026_MAKEUP_DAYS = {date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9), date(2026, 9, 20),
                           date(2026, 10, 10)}


def test_every_year_whose_notice_the_package_carries_has_makeup_working_days():
    """The sign the guard reads (a makeup working day listed in the year) holds for every notice the package carries,
    2001 to 2026; 2026's are the notice's own six."""
    from guard.core.calendar import _package_year

    assert all(_package_year("CN", None, year)[1] for year in range(2001, 2027))
    assert set(_package_year("CN", None, 2026)[1]) == NOTICE_2026_MAKEUP_DAYS
    assert [notice_missing(CN, year) for year in range(2001, 2027)] == [False] * 26


def test_2027_is_judged_without_its_notice_by_the_pinned_package():
    # holidays 0.108 (and 0.109) compute 2027 from the statute alone. When a release carries the 2027 notice and the
    # pin moves to it, this fails: check that release's 2027 days against the notice's text, then change this year.
    assert package_version() == "0.108"
    assert notice_missing(CN, 2027)


@pytest.mark.parametrize("rules", [
    DayRules("CN", periods=True, workdays=((date(2027, 2, 20), 0),)),
    DayRules("CN", periods=True, add=((date(2027, 2, 11), "春节"),)),
])
def test_a_notice_entered_in_the_pack_clears_its_year_and_no_other(rules):
    assert not notice_missing(rules, 2027)
    assert notice_missing(rules, 2028)


@pytest.mark.parametrize("rules", [DayRules("TW"), DayRules("HK"), DayRules("US", "NY"), DayRules("CN", periods=False)])
def test_a_calendar_whose_listed_days_are_the_whole_holidays_needs_no_notice(rules):
    assert not notice_missing(rules, 2027)


@pytest.mark.parametrize("today, years", [
    (date(2026, 1, 1), (2026,)),
    (date(2026, 10, 31), (2026,)),
    (date(2026, 11, 1), (2026, 2027)),  # 61 days before 2027 begins: the autumn the notice is published in
    (date(2026, 12, 31), (2026, 2027)),
    (date(2027, 1, 1), (2027,)),
])
def test_the_next_years_notice_is_asked_for_from_november_first(today, years):
    assert notice_years(today) == years


# --- over the packs loaded -----------------------------------------------------------------------------------------

def _packs(tmp_path: Path, *later: tuple[str, str, dict | None]) -> Path:
    """The shipped packs, and later versions of cn-bank: (version, effective_from, holidays or None to keep)."""
    target = tmp_path / "packs"
    shutil.copytree(PACKS, target)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load((target / "cn-bank-2026.4.yaml").read_text(encoding="utf-8"), Loader=loader)
    for version, effective, holidays in later:
        doc = {**raw, "version": version, "effective_from": effective}
        if holidays is not None:
            doc["holidays"] = holidays
        (target / f"cn-bank-{version}.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return target


def _missing(packs: Path, today: date) -> list[tuple[str, str, int]]:
    from guard.core.pack import missing_notices
    from policies.loader import validate_path

    report = validate_path(packs, "cn-bank")
    assert not report.issues, report.issues
    return [(g.pack, g.version, g.year) for g in missing_notices(report.packs, today)]


NOTICE_2027 = {"calendar": "CN", "block": True, "workdays": ["2027-02-20"]}  # a stand-in: the notice is not out


def test_the_version_that_will_judge_the_year_is_the_one_warned_of(tmp_path):
    today = date(2026, 12, 6)
    shipped = PACKS
    assert _missing(shipped, today) == [("cn-bank", "2026.4", 2027)]  # us-tcpa's calendar needs no notice
    assert _missing(shipped, date(2026, 6, 1)) == []
    # a version from 2027-01-01 carrying the notice: the shipped one never judges 2027
    assert _missing(_packs(tmp_path / "a", ("2027.1", "2027-01-01T00:00:00+08:00", NOTICE_2027)), today) == []
    # from 2027-03-01: the shipped version judges January and February without it
    assert _missing(_packs(tmp_path / "b", ("2027.1", "2027-03-01T00:00:00+08:00", NOTICE_2027)), today) == [
        ("cn-bank", "2026.4", 2027)]
    # from 2027-01-01 without the notice: that version is the one warned of
    assert _missing(_packs(tmp_path / "c", ("2027.1", "2027-01-01T00:00:00+08:00", None)), today) == [
        ("cn-bank", "2027.1", 2027)]


def test_an_instant_is_read_as_the_day_of_each_packs_own_zone():
    # 00:30 on 1 November in Shanghai is still 31 October at UTC: China's calendar asks for the next year's notice from
    # its own November (the 2026 notice came out on 2025-11-04, Beijing time), as /v1/stats reads the day.
    at = datetime(2026, 10, 31, 16, 30, tzinfo=timezone.utc)
    assert _missing(PACKS, at) == [("cn-bank", "2026.4", 2027)]
    assert _missing(PACKS, at.date()) == []  # a day named is taken as named


def test_guard_policies_validate_warns_and_exits_0(sqlite_url, tmp_path):
    env = {"DATABASE_URL": sqlite_url, "GUARD_LOG_LEVEL": "WARNING"}
    december = cli(env, "policies", "validate", "--on", "2026-12-06")
    assert december.returncode == 0, december.stderr
    warnings = [line for line in december.stderr.splitlines() if line.startswith("warning  ")]
    assert len(warnings) == 1 and warnings[0].startswith("warning  cn-bank-2026.4.yaml: cn-bank 2026.4: ")
    assert "no official holiday notice for 2027" in warnings[0] and "国务院办公厅关于2027年部分节假日安排的通知" in warnings[0]
    june = cli(env, "policies", "validate", "--on", "2026-06-01")
    assert june.returncode == 0 and "warning" not in june.stderr
    entered = _packs(tmp_path, ("2027.1", "2027-01-01T00:00:00+08:00", NOTICE_2027))
    ready = cli(env, "policies", "validate", str(entered), "--on", "2026-12-06")
    assert ready.returncode == 0 and "warning" not in ready.stderr and "cn-bank 2027.1 effective 2027-01-01" in ready.stdout
    bad = cli(env, "policies", "validate", "--on", "2026-12-32")
    assert bad.returncode == 2 and "--on" in bad.stderr


def test_readyz_and_metrics_name_the_year(make_app):
    from tests.http.test_metrics import scrape

    clock = Clock(datetime(2026, 12, 6, 2, 0, tzinfo=timezone.utc))
    app = make_app(clock=clock)
    c = app.test_client()
    detail = c.get("/readyz").json["detail"]
    assert [(g["pack"], g["version"], g["calendar"], g["year"]) for g in detail["holiday_notices_missing"]] == [
        ("cn-bank", "2026.4", "CN", 2027)]
    assert scrape(c)[("guard_holiday_notice_missing", (("calendar", "CN"), ("pack", "cn-bank"), ("version", "2026.4"),
                                                       ("year", "2027")))] == 1
    clock.now = datetime(2026, 7, 1, tzinfo=timezone.utc)
    assert c.get("/readyz").json["detail"]["holiday_notices_missing"] == []
    assert not [k for k in scrape(c) if k[0] == "guard_holiday_notice_missing"]
    clock.now = datetime(2026, 10, 31, 16, 30, tzinfo=timezone.utc)  # 1 November 00:30 in Shanghai: its pack's day
    assert [g["year"] for g in c.get("/readyz").json["detail"]["holiday_notices_missing"]] == [2027]


# --- entering a notice from its own text (guard policies notice) ---------------------------------------------------

NOTICES = Path(__file__).parent / "notices"  # the notices as published: notices/README.md gives each one's source


def _notice_days_off(days_off: frozenset[date], workdays: frozenset[date], day: date) -> bool:
    """Off by the notice: a day it gives off, or a weekend day (not a makeup working day) whose run of weekend days
    touches one (与周末连休, 1月2日补休 after a Sunday: the notice counts the weekend into the holiday)."""
    if day in days_off:
        return True
    if day.weekday() < 5 or day in workdays:
        return False
    for step in (-1, 1):
        d = day + timedelta(days=step)
        while d.weekday() >= 5 and d not in workdays and d not in days_off:
            d += timedelta(days=step)
        if d in days_off:
            return True
    return False


@pytest.mark.parametrize("name", ["2017.txt", "2023.txt", "2023-traditional.txt", "2025.txt", "2026.txt"])
def test_a_notice_read_from_its_text_gives_the_calendar_the_package_has_from_it(name):
    """The package's maintainers read the same notices: every day of the year is off (blocked) in the package's
    calendar exactly when the notice as read here gives it off, and the makeup working days are the same."""
    from guard.core.calendar import _package_year, day_calendar
    from guard.core.holiday_notice import parse_notice

    notice = parse_notice((NOTICES / name).read_text(encoding="utf-8"))
    assert notice.year == int(name[:4]) and 6 <= len(notice.items) <= 7
    assert notice.workdays == _package_year("CN", None, notice.year)[1]
    assert set(package_days_off("CN", None, notice.year)) <= notice.days_off  # no day the block would leave off wrongly
    package = day_calendar(CN)
    first = min(min(notice.days_off), date(notice.year, 1, 1))  # 2023's 元旦 begins on 2022-12-31
    # to Christmas: the last weekend of December may belong to the next year's 元旦 (2024's took in 2023-12-30/31)
    days = [first + timedelta(days=i) for i in range((date(notice.year, 12, 24) - first).days + 1)]
    differ = [d for d in days if bool(package.blocked(d)) != _notice_days_off(notice.days_off, notice.workdays, d)]
    assert differ == []


def test_the_traditional_repost_reads_as_the_simplified_text():
    from guard.core.holiday_notice import parse_notice

    simplified = parse_notice((NOTICES / "2023.txt").read_text(encoding="utf-8"))
    traditional = parse_notice((NOTICES / "2023-traditional.txt").read_text(encoding="utf-8"))
    assert simplified == traditional
    assert [item.name for item in simplified.items] == ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节、国庆节"]
    assert simplified.items[0].periods == ((date(2022, 12, 31), date(2023, 1, 2)),)


@pytest.mark.parametrize("text, year, problem", [
    ("一、春节：2月1日至3日放假调休，共4天。", 2028, "is 3 days, the notice says 共4天"),
    ("一、春节：2月1日至3日放假调休，共3天。2月7日（周一）上班。", 2028, "2028-02-07 is a weekday, named a makeup working day"),
    ("一、春节：2月30日放假。", 2028, "2月30日 is no date"),
    ("一、春节：2月5日至1日放假。", 2028, "is no period of days off"),
    ("一、春节：另行通知。", 2028, "no day off read"),
    ("一、春节：2月1日至3日放假调休，共3天。", None, "the year is not in the text"),
    ("国务院办公厅关于2028年部分节假日安排的通知\n经研究，另行通知。", None, "no item"),
])
def test_a_text_not_read_as_a_notice_is_refused_naming_the_item(text, year, problem):
    from guard.core.holiday_notice import NoticeError, parse_notice

    with pytest.raises(NoticeError) as caught:
        parse_notice(text, year)
    assert any(problem in p for p in caught.value.problems), caught.value.problems


def test_guard_policies_notice_prints_a_holidays_block_the_pack_takes(sqlite_url, tmp_path):
    """From the 2026 notice as published (GB18030, as a Windows desktop saves it) to a pack that validates and whose
    calendar needs no notice for 2026 from the package; a traditional repost in Big5; a text that is no notice."""
    from policies.loader import validate_path

    env = {"DATABASE_URL": sqlite_url, "GUARD_LOG_LEVEL": "WARNING"}
    notice = tmp_path / "notice.txt"
    notice.write_bytes((NOTICES / "2026.txt").read_text(encoding="utf-8").encode("gb18030"))
    out = cli(env, "policies", "notice", str(notice))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("# 国务院办公厅关于2026年部分节假日安排的通知: 7 holidays, 33 days off, 6 makeup working days")
    block = yaml.safe_load(out.stdout)["holidays"]
    assert block["add"][1] == {"from": date(2026, 2, 15), "to": date(2026, 2, 23), "name": "春节"}
    assert block["workdays"] == sorted(NOTICE_2026_MAKEUP_DAYS)
    packs = _packs(tmp_path)
    path = packs / "cn-bank-2026.4.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["holidays"] = block
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    report = validate_path(packs, "cn-bank")
    assert not report.issues, report.issues
    rules = report.packs.at("cn-bank", datetime(2026, 6, 1, tzinfo=timezone.utc)).holidays.day_rules
    assert len(rules.add) == 33 and len(rules.workdays) == 6 and not notice_missing(DayRules("CN", periods=True, add=rules.add), 2026)
    # the traditional repost saved as Big5 (Hong Kong's encoding): told from its bytes, as `guard lint` tells a script's
    big5 = tmp_path / "notice-big5.txt"
    big5.write_bytes((NOTICES / "2023-traditional.txt").read_text(encoding="utf-8").encode("big5hkscs"))
    read = cli(env, "policies", "notice", str(big5))
    assert read.returncode == 0 and "read as Big5-HKSCS (told from its bytes)" in read.stderr, read.stderr
    assert yaml.safe_load(read.stdout)["holidays"]["add"][0] == {"from": date(2022, 12, 31), "to": date(2023, 1, 2), "name": "元旦"}
    assert "warning" not in out.stderr and "warning" not in read.stderr
    # a text holding one item of 2027's: the package's 2027 days off it does not give are named, not removed
    part = tmp_path / "part.txt"
    part.write_text("国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n", encoding="utf-8")
    partial = cli(env, "policies", "notice", str(part))
    assert partial.returncode == 0 and "remove" not in yaml.safe_load(partial.stdout)["holidays"]
    named = [line.split(" lists ")[1][:10] for line in partial.stderr.splitlines() if line.startswith("warning  ")]
    assert "2027-02-06" in named and "2027-10-01" in named and "2027-01-01" not in named
    bad = tmp_path / "bad.txt"
    bad.write_text("一、春节：2月1日至3日放假调休，共4天。", encoding="utf-8")
    refused = cli(env, "policies", "notice", str(bad), "--year", "2028")
    assert refused.returncode == 1 and refused.stdout == ""
    assert f"error  {bad}: item 春节: 2028-02-01 to 2028-02-03 is 3 days, the notice says 共4天" in refused.stderr
