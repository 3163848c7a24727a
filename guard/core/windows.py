"""Calling windows in local time: parsing, membership, and the next open instant.

A window is `{days, from, to}` with `[from, to)` in local wall-clock time: `to: "20:00"` means
20:00 itself is outside. `to: "24:00"` reaches the end of the day. Windows never cross midnight;
write two windows instead (the validator says so).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, time, timedelta, timezone
from typing import Callable, Iterable, Sequence
from zoneinfo import ZoneInfo

from guard.core.messages import said

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_INDEX = {name: i for i, name in enumerate(DAY_NAMES)}
_DAY_ALIASES = {"daily": tuple(range(7)), "all": tuple(range(7)), "weekdays": tuple(range(5)), "weekends": (5, 6)}
MINUTES_PER_DAY = 24 * 60


class WindowError(ValueError):
    """A window or day specification is malformed; `path` names the offending key."""

    def __init__(self, message: str, path: str = ""):
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class Window:
    days: frozenset[int]
    start: int  # minutes after local midnight, inclusive
    end: int  # minutes after local midnight, exclusive (1..1440)

    def contains(self, weekday: int, minute: int) -> bool:
        return weekday in self.days and self.start <= minute < self.end

    def describe(self) -> dict[str, str]:
        return {"days": describe_days(self.days), "from": _hhmm(self.start), "to": _hhmm(self.end)}


def describe_windows(windows: Sequence[Window]) -> list[dict[str, str]]:
    """The windows as a decision's detail writes them (`[{days, from, to}]`): a new list of new dicts
    each call, so a caller may keep or change its detail; the text is made once per set of windows,
    since every denial under a pack's windows describes the same ones."""
    return [{"days": days, "from": start, "to": end} for days, start, end in _described(tuple(windows))]


@lru_cache(maxsize=1024)  # a pack's, a state's or a customer's windows: few distinct sets, each a few windows
def _described(windows: tuple[Window, ...]) -> tuple[tuple[str, str, str], ...]:
    return tuple((describe_days(w.days), _hhmm(w.start), _hhmm(w.end)) for w in windows)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def describe_days(days: Iterable[int]) -> str:
    """Write a day set compactly: `mon-fri`, `sat,sun`, `mon,wed-fri`."""
    ordered = sorted(set(days))
    if ordered == list(range(7)):
        return "mon-sun"
    parts: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{DAY_NAMES[ordered[i]]}-{DAY_NAMES[ordered[j]]}")
        else:
            parts.extend(DAY_NAMES[k] for k in ordered[i : j + 1])
        i = j + 1
    return ",".join(parts)


def parse_days(spec: object) -> frozenset[int]:
    """Parse `mon-fri`, `sat,sun`, `fri-mon` (wraps), `daily`, or a YAML list of those."""
    items: list[object]
    if isinstance(spec, str):
        items = [p for p in spec.split(",")]
    elif isinstance(spec, list) and spec:
        items = list(spec)
    else:
        raise WindowError(said("error.not_day_list", spec=repr(spec)))
    days: set[int] = set()
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise WindowError(said("error.not_day", item=repr(item)))
        token = item.strip().lower()
        if token in _DAY_ALIASES:
            days.update(_DAY_ALIASES[token])
            continue
        if "-" in token:
            first, _, last = token.partition("-")
            a, b = _DAY_INDEX.get(first.strip()), _DAY_INDEX.get(last.strip())
            if a is None or b is None:
                raise WindowError(said("error.not_day_range", item=repr(item)))
            k = a
            while True:
                days.add(k)
                if k == b:
                    break
                k = (k + 1) % 7
            continue
        if token not in _DAY_INDEX:
            raise WindowError(said("error.not_day", item=repr(item)))
        days.add(_DAY_INDEX[token])
    return frozenset(days)


def parse_clock(text: object, *, allow_24: bool) -> int:
    """Parse `HH:MM` into minutes after midnight; `24:00` only where allowed."""
    if not isinstance(text, str) or len(text) != 5 or text[2] != ":" or not (text[:2] + text[3:]).isdigit():
        raise WindowError(said("error.not_time_of_day", text=repr(text)))
    hours, minutes = int(text[:2]), int(text[3:])
    if allow_24 and hours == 24 and minutes == 0:
        return MINUTES_PER_DAY
    if hours > 23 or minutes > 59:
        raise WindowError(said("error.not_time_of_day_range", text=repr(text)))
    return hours * 60 + minutes


def parse_window(obj: object) -> Window:
    """Parse `{days, from, to}`; raise WindowError with the key that is wrong."""
    if not isinstance(obj, dict):
        raise WindowError(said("error.window_not_mapping"))
    unknown = sorted(set(obj) - {"days", "from", "to"})
    if unknown:
        raise WindowError(said("error.window_unknown_key"), path=str(unknown[0]))
    for key in ("days", "from", "to"):
        if key not in obj:
            raise WindowError(said("error.is_required"), path=key)
    try:
        days = parse_days(obj["days"])
    except WindowError as exc:
        raise WindowError(exc.args[0], path="days") from None
    try:
        start = parse_clock(obj["from"], allow_24=False)
    except WindowError as exc:
        raise WindowError(exc.args[0], path="from") from None
    try:
        end = parse_clock(obj["to"], allow_24=True)
    except WindowError as exc:
        raise WindowError(exc.args[0], path="to") from None
    if end <= start:
        raise WindowError(said("error.window_not_after", to=repr(obj["to"]), start=repr(obj["from"])), path="to")
    return Window(days=days, start=start, end=end)


def inside(windows: Sequence[Window], local: datetime, weekday_of: Callable[[date], int] | None = None) -> bool:
    """Whether local wall-clock `local` is inside a window; `weekday_of` says which weekday a date
    counts as (a makeup working day counts as a weekday), by default its own."""
    minute = local.hour * 60 + local.minute
    weekday = weekday_of(local.date()) if weekday_of is not None else local.weekday()
    return any(w.contains(weekday, minute) for w in windows)


def _day_minutes(windows: Sequence[Window], weekday: int) -> list[tuple[int, int]]:
    spans = sorted((w.start, w.end) for w in windows if weekday in w.days)
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _intersect(a: list[tuple], b: list[tuple]) -> list[tuple]:
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        s, e = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if s < e:
            out.append((s, e))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _local_to_utc(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """The instant of local wall-clock `minute` on `day` in `zone` (fold=0 on DST overlaps)."""
    naive = datetime.combine(day, time()) + timedelta(minutes=minute)
    return naive.replace(tzinfo=zone).astimezone(timezone.utc)


def open_intervals(
    zone: ZoneInfo,
    first: date,
    last: date,
    pack_windows: Sequence[Window],
    customer_windows: Sequence[Sequence[Window]] | None,
    is_blocked_day: Callable[[date], object] | None,
    weekday_of: Callable[[date], int] | None = None,
) -> list[tuple[datetime, datetime]]:
    """UTC intervals in which calls are open in `zone`, for local dates first..last.

    `customer_windows` holds one set of windows per customer of the call: each one narrows the pack's."""
    out: list[tuple[datetime, datetime]] = []
    day = first
    while day <= last:
        if not (is_blocked_day and is_blocked_day(day)):
            weekday = weekday_of(day) if weekday_of is not None else day.weekday()
            spans = _day_minutes(pack_windows, weekday)
            for windows in customer_windows or ():
                spans = _intersect(spans, _day_minutes(windows, weekday))
            for s, e in spans:
                start, end = _local_to_utc(day, s, zone), _local_to_utc(day, e, zone)
                if out and start <= out[-1][1]:
                    out[-1] = (out[-1][0], max(out[-1][1], end))
                elif start < end:
                    out.append((start, end))
        day += timedelta(days=1)
    return out


def windows_ever_meet(pack_windows: Sequence[Window], *customer_windows: Sequence[Window]) -> bool:
    """Whether the customers' windows (one set each) all overlap the pack's on at least one weekday."""
    for d in range(7):
        spans = _day_minutes(pack_windows, d)
        for windows in customer_windows:
            spans = _intersect(spans, _day_minutes(windows, d))
        if spans:
            return True
    return False


_HORIZONS = (3, 16, 64, 400)


# How many distinct searches next_open_instant keeps the answer of. A list scrubbed at one instant asks the same
# search for every number denied for the same time-bound reasons in the same zones under the same pack (quiet hours on
# a holiday: each search walks 3, then 16 days of windows); the answer is a function of the arguments alone.
NEXT_OPEN_MEMO = 4096
_next_open_memo: dict[tuple, datetime | None] = {}


def next_open_instant(
    earliest: datetime,
    zones: Sequence[ZoneInfo],
    pack_windows: Sequence[Window],
    customer_windows: Sequence[Sequence[Window]] | None,
    is_blocked_day: Callable[[date], object] | None,
    weekday_of: Callable[[date], int] | None = None,
) -> datetime | None:
    """The first instant >= `earliest` open in every zone, or None within about 400 days (remembered per arguments:
    the calendars' answers are fixed once given, guard.core.calendar.DayCalendar)."""
    # The instant's own tzinfo is part of the key: the answer may be `earliest` itself, as given.
    key = (earliest, earliest.tzinfo, tuple(zones), pack_windows, customer_windows, is_blocked_day, weekday_of)
    try:
        found = _next_open_memo.get(key, _MISSING)
    except TypeError:  # an unhashable argument (a list of windows): search without remembering
        return search_next_open_instant(earliest, zones, pack_windows, customer_windows, is_blocked_day, weekday_of)
    if found is _MISSING:
        found = search_next_open_instant(earliest, zones, pack_windows, customer_windows, is_blocked_day, weekday_of)
        if len(_next_open_memo) >= NEXT_OPEN_MEMO:
            _next_open_memo.clear()
        _next_open_memo[key] = found
    return found


_MISSING = object()


def search_next_open_instant(
    earliest: datetime,
    zones: Sequence[ZoneInfo],
    pack_windows: Sequence[Window],
    customer_windows: Sequence[Sequence[Window]] | None,
    is_blocked_day: Callable[[date], object] | None,
    weekday_of: Callable[[date], int] | None = None,
) -> datetime | None:
    """The first instant >= `earliest` open in every zone, or None within about 400 days."""
    for horizon in _HORIZONS:
        common: list[tuple[datetime, datetime]] | None = None
        covered_until: datetime | None = None
        for zone in zones:
            local_day = earliest.astimezone(zone).date()
            last = local_day + timedelta(days=horizon)
            spans = open_intervals(zone, local_day, last, pack_windows, customer_windows, is_blocked_day, weekday_of)
            end_of_range = _local_to_utc(last + timedelta(days=1), 0, zone)
            covered_until = end_of_range if covered_until is None else min(covered_until, end_of_range)
            common = spans if common is None else _intersect(common, spans)
            if not common:
                break
        for start, end in common or ():
            if end > earliest and (covered_until is None or start < covered_until):
                return max(start, earliest)
    return None
