"""What the services raise for the HTTP and CLI layers to translate (404, 409)."""

from __future__ import annotations

from typing import Any


class NotFound(Exception):
    """The thing asked for does not exist (its id is the message)."""


class Conflict(Exception):
    """The request contradicts what is stored; `details` says what is there."""

    def __init__(self, message: str, details: Any = None):
        super().__init__(message)
        self.details = details


class Stale(Exception):
    """The caller edited a version that is no longer the current one (an If-Match that failed)."""

    def __init__(self, expected: int, current: int):
        super().__init__(f"the profile is at version {current}, not {expected}: reload it and apply the change again")
        self.expected = expected
        self.current = current
