"""Keyset paging of the newest-first lists (the decision log, audits, simulations): a page ends on a row's
(instant, id), and the next page starts after that row in the order (instant desc, id desc)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Callable, Sequence

from sqlalchemy import and_, or_


def older_than(at: Any, id_: Any, before: datetime | None, before_id: str | None) -> list[Any]:
    """The WHERE terms of a page that starts after (before, before_id); `before` alone: before that instant.
    Rows made at one instant (a dialer's `at` to the second, audits started together) sort by id, so
    `at < before` alone would skip the rest of the instant a page ended in."""
    if before is None:
        return []
    if before_id is None:
        return [at < before]
    return [or_(at < before, and_(at == before, id_ < before_id))]


def newest_page(rows: Sequence[Any], limit: int, at_of: Callable[[Any], datetime]) -> tuple[list[Any], dict[str, str] | None]:
    """The page out of `limit + 1` rows read, and the `next` cursor ({before, before_id} of its last row;
    None when no row is left): the one row more tells a full last page from one with a page after it."""
    more, page = len(rows) > limit, list(rows[:limit])
    return page, ({"before": cursor_instant(at_of(page[-1])), "before_id": page[-1].id} if more else None)


def cursor_instant(at: datetime) -> str:
    """A cursor's instant in UTC with `Z` (2026-11-23T02:15:00Z): no `+` in it, which a client that pastes the cursor
    into a URL unencoded would send as a space (application/x-www-form-urlencoded reads `+` as a space)."""
    at = at if at.tzinfo is not None else at.replace(tzinfo=UTC)  # SQLite hands the stored UTC instant back naive
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")
