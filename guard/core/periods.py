"""When a suppression a pack writes as a period (a mute's `for`, `deferral_default`) ends.

A period written in days is counted as 民法典 第二百零一条 and 第二百零三条 count one: "按照年、月、日计算期间的，开始的当日
不计入，自下一日开始计算" and "期间的最后一日的截止时间为二十四时". A mute of 365d from a complaint received at 15:00 on
2026-11-22 ends at 24:00 on 2027-11-22, not at 15:00; a 3d deferral from 15:02 on the 23rd ends at 24:00 on the 26th
(the articles as http://www.dandonglaw.com/news/618.html carries them).
The last day is the callee's (47 CFR 64.1200(c)(1) times a call by "local time at the called party's location"): where
the zone is not known to one, the day that ends last, so a suppression never ends before the law's count anywhere the
callee may be. A customer's callee may be wherever their profile says or any of their numbers rings (`customer_zones`):
a mute of a customer who records Pacific/Honolulu, filed by customer id alone under us-tcpa (zone New York), ends at
midnight in Honolulu, five hours after New York's. A period in hours or minutes runs from the instant ("按照小时计算期间的，自法律规定或者当事人约定的时间开始
计算", 第二百零一条). The law's move of a last day off to the next working day (第二百零三条) is not applied here: it
concerns the time left to act, and a suppression that ends on a day off ends on a day no call may be made in the
pack's calendar anyway when the pack blocks holidays.

A permission (a risk assessment's `risk_assessment_valid_for`, a consent's `max_age`) is not counted so: it runs for its
exact length from the instant it was given, which never lasts longer than the law's count of the same days, nor than
a year of 365 days or more (民法典 第二百零二条: a year ends on the corresponding day). See guard/core/suitability.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Iterable, Protocol
from zoneinfo import ZoneInfo

from guard.core.pack import Pack, PackSet
from guard.core.phones import parse_phone_once
from guard.core.zones import callee_day_zones, number_zones

DAY = timedelta(days=1)


def suppression_end(start: datetime, period: timedelta, in_days: bool, zones: tuple[str, ...]) -> datetime:
    """When a suppression of `period` from `start` ends (UTC): for a period in days, 24:00 of the period's last day
    (the day of `start` not counted) in the zone of `zones` where that day ends last; else `start + period`."""
    if not in_days or not zones or period % DAY:
        return start + period
    days = period // DAY
    ends = []
    for name in dict.fromkeys(zones):
        zone = ZoneInfo(name)
        last_day = start.astimezone(zone).date() + timedelta(days=days)
        ends.append(datetime.combine(last_day + DAY, time(0), tzinfo=zone).astimezone(UTC))
    return max(ends)


class Profile(Protocol):
    """What a customer's profile tells of where they are (a stored profile row, or `CustomerFacts` as of an instant)."""

    @property
    def phones(self) -> Iterable[str] | None: ...

    @property
    def timezone(self) -> str | None: ...


def customer_zones(packs: PackSet, at: datetime, profiles: Iterable[Profile | None]) -> tuple[str, ...]:
    """The zones the customers of a suppression may be in, as their profiles at `at` give them: each one's recorded zone
    and the zones of every number on file for them (read as a day alone for them is, `callee_day_zones`), all of them,
    so that the suppression ends where its last day ends last (fail closed). Unknown customers add nothing."""
    zones: list[str] = []
    for profile in profiles:
        if profile is None:
            continue
        if profile.timezone:
            zones.append(profile.timezone)
        phones = tuple(profile.phones or ())
        if phones:
            zones.extend(callee_day_zones(packs, at, phones, None))
    return tuple(dict.fromkeys(zones))


def callee_zones(pack: Pack, phone: str | None, recorded: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The zones whose days a suppression of the callee at `phone` (E.164, or None) ends in: the customers' recorded
    zones, the number's (the pack's `zone_overrides` first), and the pack's own, where one of them ends its day last."""
    zones: list[str] = list(recorded)
    if phone:
        info = parse_phone_once(phone, None, pack.number_ranges)
        zones.extend(number_zones(phone, info.time_zones if info.valid else (), pack.zone_overrides, pack.timezone))
    zones.append(pack.timezone)
    return tuple(dict.fromkeys(zones))
