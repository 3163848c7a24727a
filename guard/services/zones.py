"""The time zone a day given alone is read in: the callee's, from the number, where one is named; else the pack's for the
region the input's numbers are read in. One lookup for every route and command."""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from guard.core.pack import PackSet
from guard.core.phones import parse_phone
from guard.core.zones import number_zones

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
