"""A date written alone is read in the zones of the number's callee, on the side that fails closed."""

from __future__ import annotations

from datetime import date

from guard.core.phones import parse_phone
from guard.core.zones import number_zones, zone_of_day


def test_a_day_alone_is_read_where_it_begins_last_or_first_of_the_callees_zones():
    # 47 CFR 64.1200(c)(1) times a call by "local time at the called party's location": a Los Angeles number's day is Los
    # Angeles's, not the us-tcpa pack's New York one; of several zones, the latest (a block's expiry, a consent's start) or
    # the earliest (a consent's expiry, a withdrawal), never the pack's zone when the number has its own.
    la = parse_phone("+12135550123", None)
    assert number_zones(la.e164, la.time_zones, (), "America/New_York") == ("America/Los_Angeles",)
    both = ("America/New_York", "America/Chicago")
    day = date(2026, 12, 31)
    assert str(zone_of_day(day, both, latest=True)) == "America/Chicago"
    assert str(zone_of_day(day, both, latest=False)) == "America/New_York"
    # the pack's correction wins (us-tcpa's 850 overlay: Eastern and Central); a number without a zone reads the pack's
    assert number_zones("+18505550123", ("America/Chicago",), (("+1850", both),), "America/New_York") == both
    assert number_zones(None, (), (), "America/New_York") == ("America/New_York",)
    # mainland and Taiwan numbers keep the one zone their packs read a day in
    assert parse_phone("+8613800138000", None).time_zones == ("Asia/Shanghai",)
    assert parse_phone("+886912345678", None).time_zones == ("Asia/Taipei",)
