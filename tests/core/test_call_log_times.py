"""Times a Chinese bank's call-detail export writes without a UTC offset, read in the zone the auditor names: the forms a
Chinese locale writes (CLDR zh: long date yyyy年M月d日, long time HH时mm分ss秒, the 12-hour time "ah:mm" with the day
period 上午 / 下午 and the hour 1-12, https://unicode.org/reports/tr35/tr35-dates.html#Date_Field_Symbol_Table); what a
reader could take two ways is refused with the reason, never guessed."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from guard.core.calllog import check_row, local_instant

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("written, wall", [
    ("2026年12月1日 22:00", (22, 0, 0)),
    ("2026年12月1日22:00", (22, 0, 0)),
    ("2026年12月01日 22时05分", (22, 5, 0)),
    ("2026年12月1日 22時05分30秒", (22, 5, 30)),  # traditional 時
    ("2026年12月1号 22点05分", (22, 5, 0)),
    ("2026-12-01 上午9:05", (9, 5, 0)),
    ("2026-12-01 下午9:05", (21, 5, 0)),
    ("2026/12/1 下午 9:05:07", (21, 5, 7)),
    ("2026年12月1日 下午9时05分", (21, 5, 0)),
    ("2026-12-01 下午12:30", (12, 30, 0)),  # noon on every reading
    ("2026-12-01 上午11:59", (11, 59, 0)),
    ("2026.12.01 22:00", (22, 0, 0)),
    # a switch's call-detail record (话单) keeps the time as fourteen digits, YYYYMMDDhhmmss, as in China Unicom's
    # records (date and time 20160415 161819: https://qiao.dev/2016/04/11/%E8%AF%9D%E5%8D%95.html) written together
    ("20261201220507", (22, 5, 7)),
    ("20261201T220507", (22, 5, 7)),  # ISO 8601 basic format, no offset
])
def test_a_chinese_export_time_is_read_as_its_wall_clock_in_the_zone_named(written, wall):
    assert local_instant(written, SHANGHAI) == datetime(2026, 12, 1, *wall, tzinfo=SHANGHAI)


@pytest.mark.parametrize("written, why", [
    ("2026-12-01 上午12:30", "上午12 is midnight on a 12-hour clock and noon to a reader"),
    ("2026年12月1日 上午12时30分", "上午12 is midnight on a 12-hour clock and noon to a reader"),
    ("2026-12-01 下午13:05", "with 下午 the hour is 1-12"),
    ("2026-12-01 上午0:05", "with 上午 the hour is 1-12"),
])
def test_a_day_period_that_leaves_the_hour_in_doubt_is_refused_with_the_reason(written, why):
    assert why in local_instant(written, SHANGHAI)


@pytest.mark.parametrize("written", ["2026年2月30日 10:00", "2026年12月1日 24时00分", "2026-12-0110:00", "2026年12月1日",
                                     "2026年12月1日 22时", "12月1日 22:00", "2026-12-01 晚上9:05"])
def test_no_such_date_time_is_not_read(written):
    assert local_instant(written, SHANGHAI) is None


def test_a_row_names_the_zone_its_chinese_time_would_be_read_in_when_none_is_named():
    row = {"call_id": "c1", "phone": "13800138000", "called_at": "2026年12月1日 22:00", "campaign": "wm-2026q4"}
    call, why = check_row(2, row)
    assert call is None and "--timezone" in why and "UTC offset" in why
    call, why = check_row(2, row, SHANGHAI)
    assert why is None and call.at.isoformat() == "2026-12-01T14:00:00+00:00"
    call, why = check_row(2, dict(row, called_at="2026-12-01 上午12:30"), SHANGHAI)
    assert call is None and why.startswith("called_at: '2026-12-01 上午12:30': 上午12 is midnight")


def test_a_compact_time_that_names_no_day_is_refused_with_the_reason_and_one_without_a_zone_says_how_to_read_it():
    row = {"call_id": "c1", "phone": "13800138000", "campaign": "dep-2026q4"}
    _, why = check_row(2, {**row, "called_at": "20261301090500"}, SHANGHAI)  # month 13
    assert why == "called_at: '20261301090500' is no such date-time (a month 1-12, a day of that month, an hour 0-23, minutes 0-59, or 24:00 for the end of the day)"
    _, why = check_row(2, {**row, "called_at": "20261201090500"}, None)
    assert "read in the log's time zone when it is named" in why
    call, why = check_row(2, {**row, "called_at": "20261201090500"}, SHANGHAI)
    assert why is None and call.at == datetime(2026, 12, 1, 1, 5, tzinfo=ZoneInfo("UTC"))
