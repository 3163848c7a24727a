"""Day sets, windows and the next open instant."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from guard.core.windows import WindowError, describe_days, describe_windows, next_open_instant, parse_days, parse_window

SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    "spec,days",
    [
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("sat,sun", {5, 6}),
        ("sat-sun", {5, 6}),
        ("fri-mon", {4, 5, 6, 0}),  # ranges wrap around the week
        (["mon", "wed"], {0, 2}),
        ("Mon, Tue", {0, 1}),
        ("daily", set(range(7))),
        ("weekends", {5, 6}),
    ],
)
def test_day_specs(spec, days):
    assert parse_days(spec) == frozenset(days)


@pytest.mark.parametrize("spec", ["", "monday", "mon-xyz", [], [1], "mon--fri", 5])
def test_bad_day_specs_are_refused(spec):
    with pytest.raises(WindowError):
        parse_days(spec)


def test_describe_days_round_trips():
    for spec in ("mon-fri", "sat,sun", "mon,wed-fri", "mon-sun", "tue"):
        assert describe_days(parse_days(spec)) == spec


def test_windows_are_half_open_and_may_reach_midnight():
    w = parse_window({"days": "mon", "from": "20:00", "to": "24:00"})
    assert w.contains(0, 20 * 60) and w.contains(0, 24 * 60 - 1) and not w.contains(0, 19 * 60 + 59)


@pytest.mark.parametrize(
    "window,path",
    [
        ({"days": "mon", "from": "9:00", "to": "20:00"}, "from"),
        ({"days": "mon", "from": "09:00", "to": "25:00"}, "to"),
        ({"days": "mon", "from": "22:00", "to": "02:00"}, "to"),  # crosses midnight: split it
        ({"days": "mon", "from": "09:00", "to": "09:00"}, "to"),
        ({"days": "mon", "from": "24:00", "to": "24:00"}, "from"),
        ({"days": "mon", "from": 900, "to": "20:00"}, "from"),
        ({"from": "09:00", "to": "20:00"}, "days"),
        ({"days": "mon", "from": "09:00", "to": "20:00", "extra": 1}, "extra"),
    ],
)
def test_bad_windows_name_the_key(window, path):
    with pytest.raises(WindowError) as exc:
        parse_window(window)
    assert exc.value.path == path


def test_next_open_instant_honours_blocked_days_and_gives_up_when_nothing_opens():
    windows = (parse_window({"days": "mon-fri", "from": "09:00", "to": "17:00"}),)
    start = datetime(2026, 11, 23, 18, 0, tzinfo=SH)
    blocked = {date(2026, 11, 24), date(2026, 11, 25)}
    found = next_open_instant(start, (SH,), windows, None, lambda d: d in blocked)
    assert found == datetime(2026, 11, 26, 9, 0, tzinfo=SH)
    assert next_open_instant(start, (SH,), windows, None, lambda d: True) is None


def test_zones_that_never_share_an_open_hour_give_none():
    windows = (parse_window({"days": "daily", "from": "09:00", "to": "10:00"}),)
    start = datetime(2026, 11, 23, 0, 0, tzinfo=SH)
    assert next_open_instant(start, (SH, ZoneInfo("America/New_York")), windows, None, None) is None


def test_described_windows_are_each_windows_own_description_and_a_new_list_every_time():
    sets = [
        tuple(parse_window(w) for w in ({"days": "mon-fri", "from": "09:00", "to": "12:00"}, {"days": "mon-fri", "from": "14:00", "to": "20:00"},
                                        {"days": "sat,sun", "from": "10:00", "to": "18:00"})),
        (parse_window({"days": "fri-mon", "from": "08:00", "to": "24:00"}),),
        (parse_window({"days": "mon,wed,thu,fri", "from": "00:00", "to": "00:30"}),),
        (),
    ]
    for windows in sets * 2:  # the second time from the memo
        assert describe_windows(windows) == [w.describe() for w in windows]
    first = describe_windows(sets[0])
    first[0]["days"] = "changed by its holder"
    first.append({})
    assert describe_windows(sets[0]) == [w.describe() for w in sets[0]]
    assert describe_windows(list(sets[1])) == [w.describe() for w in sets[1]]
