"""The time zone a day given alone is read in, where the input names no callee: one lookup for every route and command."""

from __future__ import annotations

from datetime import datetime

from guard.core.pack import PackSet

# Where no pack is loaded for now at all (the guard then decides nothing; a day must still be read somewhere).
FALLBACK_ZONE = "Asia/Shanghai"


def day_zone(packs: PackSet, now: datetime, region: str | None = None) -> str:
    """The zone of the pack for `region` (the region a request or a file's numbers are read in), else the default pack's.

    A US list's "2026-12-31" ends at that day's 00:00 in the US, not 13 hours earlier at Shanghai's."""
    pack = packs.region_pack(region, now)
    return pack.timezone if pack is not None else FALLBACK_ZONE
