"""Which days are days off, and which weekday a day counts as, by a pack's holiday rule.

The country calendars come from the `holidays` package (a pure library that tracks the official
notices); a pack corrects and extends them (`holidays: {add, remove, workdays}`), so a compliance
officer can enter a new year's notice the day it is published, without a code release.

China (国务院办公厅 每年的《关于部分节假日安排的通知》, e.g. 国办发明电〔2025〕7号 for 2026) declares
each holiday as a *period* of consecutive days off (放假调休), which takes in the weekend days next
to the holidays, and names *makeup working days* (调休上班): weekend days that are working days.
So a day is off when it is a listed holiday, or a weekend day that is not a makeup working day;
a day is **blocked** when it is off and its run of consecutive days off contains a listed holiday
(an ordinary weekend, with no holiday next to it, is not blocked). A makeup working day is judged
with the windows of a weekday (`workdays: [{date, as}]`, default Monday): it is not a weekend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays as _holidays

from guard.core.i18n import LANGS, to_traditional

# A period of days off is never longer than this (China's longest, Spring Festival, is 9 days).
_MAX_RUN = 16


@lru_cache(maxsize=1)
def supported_calendars() -> dict[str, tuple[str, ...]]:
    return {code: tuple(subdivs) for code, subdivs in _holidays.list_supported_countries().items()}


@dataclass(frozen=True)
class DayRules:
    """A pack's corrections to a country calendar (all hashable, so calendars are cached by them)."""

    calendar: str
    subdiv: str | None = None
    add: tuple[tuple[date, str], ...] = ()  # days off the package does not list (a new notice)
    remove: frozenset[date] = frozenset()  # days the package lists that are not days off
    workdays: tuple[tuple[date, int], ...] = ()  # makeup working days, with the weekday each counts as
    # Holidays come as periods of days off that take in the weekend next to them (China's notices);
    # elsewhere a holiday is the listed day alone.
    periods: bool = False


@lru_cache(maxsize=256)
def _package_year(calendar: str, subdiv: str | None, year: int) -> tuple[dict[date, str], frozenset[date], frozenset[int]]:
    """(holidays by date, makeup working days, weekend weekdays) of one calendar year, from the package."""
    cal = _holidays.country_holidays(calendar, subdiv=subdiv, years=year)
    workdays = frozenset(d for d in getattr(cal, "weekend_workdays", ()) if d.year == year)
    return dict(cal.items()), workdays, frozenset(getattr(cal, "weekend", (5, 6)))


# The package's translations to ask for, per language, best first (holidays' `supported_languages`:
# CN and TW have zh_CN and zh_TW, HK has zh_CN and zh_HK, US has English only).
_PACKAGE_LANGUAGES = {"zh-CN": ("zh_CN",), "zh-TW": ("zh_TW", "zh_HK"), "en": ("en_US", "en_HK", "en_GB")}


@lru_cache(maxsize=512)
def _localized_year(calendar: str, subdiv: str | None, year: int, language: str) -> dict[date, str]:
    return dict(_holidays.country_holidays(calendar, subdiv=subdiv, years=year, language=language).items())


@lru_cache(maxsize=64)
def _supported_languages(calendar: str, subdiv: str | None) -> tuple[str, ...]:
    return tuple(getattr(_holidays.country_holidays(calendar, subdiv=subdiv, years=()), "supported_languages", ()))


def localized_holiday(calendar: str, subdiv: str | None, day: date, lang: str) -> str | None:
    """The package's name of the holiday on `day` in `lang`; zh-TW falls back to the zh-CN name converted,
    and a calendar the package has no Chinese for (US) gives None (the caller keeps the English)."""
    supported = _supported_languages(calendar, subdiv)
    for language in _PACKAGE_LANGUAGES[lang]:
        if language in supported:
            return _localized_year(calendar, subdiv, day.year, language).get(day)
    if lang == "zh-TW":
        simplified = localized_holiday(calendar, subdiv, day, "zh-CN")
        return to_traditional(simplified) if simplified else None
    return None


class DayCalendar:
    """Days off and weekdays of one calendar with a pack's corrections; pure, memoised per day."""

    def __init__(self, rules: DayRules):
        self.rules = rules
        self._added = dict(rules.add)
        self._workdays = dict(rules.workdays)
        self._blocked: dict[date, str | None] = {}
        self._names: dict[date, dict[str, str] | None] = {}
        self._weekdays: dict[date, int] = {}

    def listed(self, day: date) -> str | None:
        """The name of the holiday on `day` (the package's, corrected by the pack), else None."""
        if day in self._added:
            return self._added[day]
        if day in self.rules.remove:
            return None
        return _package_year(self.rules.calendar, self.rules.subdiv, day.year)[0].get(day)

    def is_makeup_workday(self, day: date) -> bool:
        if day in self._workdays:
            return True
        return day in _package_year(self.rules.calendar, self.rules.subdiv, day.year)[1] and day not in self.rules.remove

    def weekday(self, day: date) -> int:
        """The weekday `day` is judged as: a makeup working day counts as a weekday."""
        weekday = self._weekdays.get(day)
        if weekday is None:
            weekday = self._workdays.get(day, 0) if self.is_makeup_workday(day) else day.weekday()
            self._weekdays[day] = weekday
        return weekday

    def is_weekend(self, day: date) -> bool:
        return day.weekday() in _package_year(self.rules.calendar, self.rules.subdiv, day.year)[2]

    def is_off(self, day: date) -> bool:
        return self.listed(day) is not None or (self.is_weekend(day) and not self.is_makeup_workday(day))

    def blocked(self, day: date) -> str | None:
        """The holiday's name when `day` lies in an official period of days off, else None."""
        if day in self._blocked:
            return self._blocked[day]
        name = self._blocked_uncached(day)
        self._blocked[day] = name
        return name

    def _blocked_uncached(self, day: date) -> str | None:
        found = self._holiday_of(day)
        if found is None:
            return None
        source, name = found
        return name if source == day else f"{name} (holiday period)"

    def _holiday_of(self, day: date) -> tuple[date, str] | None:
        """(the listed holiday's day, its name) that blocks `day`, else None."""
        if not self.is_off(day):
            return None
        own = self.listed(day)
        if own is not None or not self.rules.periods:
            return (day, own) if own is not None else None
        # A weekend day: part of a holiday period when its run of days off holds a listed holiday.
        for step in (-1, 1):
            cursor = day
            for _ in range(_MAX_RUN):
                cursor += timedelta(days=step)
                if not self.is_off(cursor):
                    break
                name = self.listed(cursor)
                if name is not None:
                    return cursor, name
        return None

    def blocked_names(self, day: date) -> dict[str, str] | None:
        """The blocking holiday's name in zh-CN, zh-TW and en (the package's own translations), else None.

        A day the pack adds reads as the pack names it (converted to traditional for zh-TW).
        """
        if day not in self._names:
            self._names[day] = self._blocked_names(day)
        return self._names[day]

    def _blocked_names(self, day: date) -> dict[str, str] | None:
        found = self._holiday_of(day)
        if found is None:
            return None
        source, name = found
        if source in self._added:
            names = {"zh-CN": name, "zh-TW": to_traditional(name), "en": name}
        else:
            names = {lang: localized_holiday(self.rules.calendar, self.rules.subdiv, source, lang) or name for lang in LANGS}
        if source != day:
            names = {"en": f"{names['en']} (holiday period)", "zh-CN": f"{names['zh-CN']}（连休假期）",
                     "zh-TW": f"{names['zh-TW']}（連休假期）"}
        return names


@lru_cache(maxsize=64)
def day_calendar(rules: DayRules) -> DayCalendar:
    return DayCalendar(rules)


PERIOD_CALENDARS = frozenset({"CN"})  # calendars whose holidays are declared as periods by default


# China's State Council publishes the next year's 《关于部分节假日安排的通知》 in the autumn: the 2026 notice
# (国办发明电〔2025〕7号) on 2025-11-04, the 2017 one (国办发明电〔2016〕17号) on 2016-12-01. From this many days
# before a year begins its notice is asked for (November 1st on).
NOTICE_LEAD_DAYS = 61


def notice_years(today: date) -> tuple[int, ...]:
    """The years whose official holiday notice should be known on `today`: its own, and the next from
    NOTICE_LEAD_DAYS before that begins."""
    if date(today.year + 1, 1, 1) - today <= timedelta(days=NOTICE_LEAD_DAYS):
        return today.year, today.year + 1
    return (today.year,)


def package_days_off(calendar: str, subdiv: str | None, year: int) -> dict[date, str]:
    """The days off the package lists in `year` (its English names), without a pack's corrections."""
    return dict(_package_year(calendar, subdiv, year)[0])


def package_version() -> str:
    """The version of the holidays package the calendars come from."""
    return _holidays.__version__


def notice_missing(rules: DayRules, year: int) -> bool:
    """Whether a calendar of official periods (China's) judges `year` without the year's notice.

    The statute (全国年节及纪念日放假办法) fixes the holidays themselves, and the package computes them
    for any year; the notice adds the rest of each period (days off moved from weekends, 放假调休) and
    the makeup working days (调休上班), which no rule computes. Every notice since 2001 names makeup
    working days, and the package lists them for the years whose notice it carries (holidays 0.108:
    through 2026). So a year is judged without its notice when the package lists no makeup working
    day in it and the pack neither adds a day off nor names a working day in it (the pack's
    `holidays: {add, workdays}` is where a compliance officer enters a notice). Other calendars
    (a listed day is the whole holiday) need no notice: always False."""
    if not rules.periods:
        return False
    if any(d.year == year for d, _ in rules.add) or any(d.year == year for d, _ in rules.workdays):
        return False
    return not _package_year(rules.calendar, rules.subdiv, year)[1]


def holiday_name(calendar: str, subdiv: str | None, day: date) -> str | None:
    """The holiday's name if `day` is blocked in the calendar (no corrections)."""
    return day_calendar(DayRules(calendar, subdiv, periods=calendar in PERIOD_CALENDARS)).blocked(day)
