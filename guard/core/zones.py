"""IANA time-zone names given from outside (a pack, a customer's profile, a query)."""

from __future__ import annotations

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
