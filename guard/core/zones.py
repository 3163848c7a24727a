"""IANA time-zone names given from outside (a pack, a customer's profile, a query)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_named(name: str) -> ZoneInfo | None:
    """The zone of that IANA name, or None when it names none.

    zoneinfo reads the name as a path under its data: a directory of it ("America", "Asia/") raises
    IsADirectoryError, an OSError that neither ZoneInfoNotFoundError nor ValueError catches, so such a
    name reached the error handler as a 500 (Python docs, zoneinfo.ZoneInfo: "If no file matching key is
    found, the constructor will raise ZoneInfoNotFoundError"; other failures of the file system pass through)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
