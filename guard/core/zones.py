"""IANA time-zone names given from outside (a pack, a customer's profile, a query)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_named(name: str) -> ZoneInfo | None:
    """The zone of that IANA name, or None when it names none.

    zoneinfo reads the name as a path under its data: a directory of it ("America", "Asia/") raises
    IsADirectoryError, an OSError that neither ZoneInfoNotFoundError nor ValueError catches, so such a
    name reached the error handler as a 500. CPython's own bug, bpo-41530 / gh-85702 ("Unhandled exceptions in
    zoneinfo.ZoneInfo constructor": ZoneInfo("Europe") raises IsADirectoryError, PermissionError on Windows), is
    fixed only in interpreters newer than the 3.11 this runs on; OSError is caught here whichever runs it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def number_zones(e164: str | None, zones: tuple[str, ...], overrides: tuple[tuple[str, tuple[str, ...]], ...],
                 fallback: str) -> tuple[str, ...]:
    """The zones a number's callee may be in, as the check reads them (guard/core/decide.py `callee_zones`, less what a
    customer records): the pack's correction (`zone_overrides`, longest prefix first), else the number's own, else
    `fallback` (the pack's zone)."""
    if e164:
        for prefix, corrected in sorted(overrides, key=lambda o: -len(o[0])):
            if e164.startswith(prefix):
                return corrected
    return zones or (fallback,)


def zone_of_day(day: date, zones: tuple[str, ...], *, latest: bool) -> ZoneInfo:
    """Of the zones a callee may be in, the one where `day` begins latest (`latest`: the westmost that day) or earliest.

    A day written alone means that day where the callee is; where that is not known to one zone, the reading that fails
    closed: a block (a do-not-call entry's expiry) and a consent's start read where the day ends last, a block's start,
    a consent's expiry and a withdrawal where it begins first. 47 CFR 64.1200(c)(1) times a call by "local time at the
    called party's location"; README, Interpretations."""
    found = [(datetime.combine(day, time(0), ZoneInfo(z)).astimezone(UTC), z) for z in dict.fromkeys(zones)]
    return ZoneInfo((max if latest else min)(found)[1])
