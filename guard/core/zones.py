"""IANA time-zone names given from outside (a pack, a customer's profile, a query), and the zones a day given alone for a
number or a customer is read in (one lookup for every route, command and the what-if replay)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from guard.core.pack import PackSet
from guard.core.phones import parse_phone


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


# Where no pack is loaded for now at all (the guard then decides nothing; a day must still be read somewhere).
FALLBACK_ZONE = "Asia/Shanghai"


def day_zone(packs: PackSet, now: datetime, region: str | None = None) -> str:
    """The zone of the pack for `region` (the region a request or a file's numbers are read in), else the default pack's.

    A US list's "2026-12-31" ends at that day's 00:00 in the US, not 13 hours earlier at Shanghai's."""
    pack = packs.region_pack(region, now)
    return pack.timezone if pack is not None else FALLBACK_ZONE


def number_day_zones(packs: PackSet, now: datetime, region: str | None = None) -> Callable[[str | None], tuple[str, ...]]:
    """A lookup: an E.164 number -> the zones its callee may be in, where a day written alone for it is read (the pack of
    the number's own region corrects them, `zone_overrides`); no number, or one without a zone: the zone of `day_zone`.

    The us-tcpa pack has one zone, New York's, but its numbers span six: a Los Angeles number's "2026-12-31" ends at
    midnight in Los Angeles, not at New York's, three hours earlier."""
    fallback = day_zone(packs, now, region)

    def zones_of(e164: str | None) -> tuple[str, ...]:
        if not e164:
            return (fallback,)
        info = parse_phone(e164, None)
        pack = packs.region_pack(info.region, now) if info.valid and info.region else None
        return number_zones(info.e164, info.time_zones if info.valid else (), pack.zone_overrides if pack else (), fallback)

    return zones_of


def callee_day_zones(packs: PackSet, now: datetime, numbers: tuple[str, ...], recorded: str | None,
                     region: str | None = None) -> tuple[str, ...]:
    """The zones a day written alone for a number or a customer is read in: a customer's recorded zone, else the zones of
    the numbers (`number_day_zones`), else the zone of `day_zone`. A consent and a single blacklist entry read it alike."""
    if recorded:
        return (recorded,)
    zones_of = number_day_zones(packs, now, region)
    return tuple(dict.fromkeys(z for n in numbers for z in zones_of(n))) or (day_zone(packs, now, region),)
