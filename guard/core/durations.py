"""Durations as policy packs write them: `<n>m`, `<n>h` or `<n>d` (and `<n>s` where seconds matter, e.g. a clock tolerance)."""

from __future__ import annotations

import re
from datetime import timedelta

_DURATION = re.compile(r"^([0-9]{1,6})([smhd])$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class DurationError(ValueError):
    pass


def parse_duration(text: object) -> timedelta:
    """Parse `30s`, `30m`, `24h`, `90d` into a timedelta; raise DurationError otherwise."""
    if not isinstance(text, str):
        raise DurationError(f"{text!r} is not a duration (<n>s|<n>m|<n>h|<n>d)")
    m = _DURATION.match(text.strip())
    if not m:
        raise DurationError(f"{text!r} is not a duration (<n>s|<n>m|<n>h|<n>d)")
    return timedelta(seconds=int(m.group(1)) * _UNIT[m.group(2)])


def format_duration(value: timedelta) -> str:
    """Write a timedelta back in the largest unit that divides it exactly."""
    seconds = int(value.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
