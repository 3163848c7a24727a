"""Public-holiday calendars by country code (the `holidays` package, a pure library)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays as _holidays


@lru_cache(maxsize=1)
def supported_calendars() -> dict[str, tuple[str, ...]]:
    return {code: tuple(subdivs) for code, subdivs in _holidays.list_supported_countries().items()}


@lru_cache(maxsize=512)
def _year(calendar: str, subdiv: str | None, year: int) -> dict[date, str]:
    return dict(_holidays.country_holidays(calendar, subdiv=subdiv, years=year).items())


def _listed(calendar: str, subdiv: str | None, day: date) -> str | None:
    return _year(calendar, subdiv, day.year).get(day)


def holiday_name(calendar: str, subdiv: str | None, day: date) -> str | None:
    """The holiday's name if `day` is a public holiday in the calendar, else None.

    A weekend day inside a holiday period counts as part of it: calendars list only the
    holidays themselves, so in a week such as China's National Day (Oct 1-7) the Sunday between
    two listed holidays would otherwise look like an ordinary weekend day.
    """
    name = _listed(calendar, subdiv, day)
    if name is not None or day.weekday() < 5:
        return name
    before = _off_run_holiday(calendar, subdiv, day, -1)
    after = _off_run_holiday(calendar, subdiv, day, +1)
    return f"{before} (holiday period)" if before and after else None


def _off_run_holiday(calendar: str, subdiv: str | None, day: date, step: int) -> str | None:
    """The nearest listed holiday in the run of days off (weekends and holidays) next to `day`."""
    cursor = day
    for _ in range(10):
        cursor = cursor + timedelta(days=step)
        name = _listed(calendar, subdiv, cursor)
        if name is not None:
            return name
        if cursor.weekday() < 5:
            return None
    return None
