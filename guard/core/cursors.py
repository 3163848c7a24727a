"""Page cursors: where a list's next page starts (the last row's sort key), opaque to clients — base64url of a JSON
array, padding dropped. The complaints' queue and the blacklist's removals page this way; a key holds plain JSON values
(instants as ISO 8601 text), and the list that reads a cursor back checks what it holds."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from typing import Any


def encode(key: list[Any]) -> str:
    """A cursor for `key`."""
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(cursor: str) -> list[Any]:
    """The key a cursor holds; ValueError for anything that is not a cursor (its list then refuses it, naming `after`)."""
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (TypeError, UnicodeDecodeError) as e:
        raise ValueError(cursor) from e
    if not isinstance(key, list):
        raise ValueError(cursor)
    return key


def instant(value: Any) -> datetime:
    """An instant of a key, in UTC; ValueError when it is not ISO 8601 text with an offset, or names an instant UTC cannot
    hold (0001-01-01T00:00+05:00: no cursor the guard gave, and no store error either)."""
    if not isinstance(value, str):
        raise ValueError(value)
    at = datetime.fromisoformat(value)
    if at.utcoffset() is None:
        raise ValueError(value)
    try:
        return at.astimezone(timezone.utc)
    except OverflowError as e:
        raise ValueError(value) from e
