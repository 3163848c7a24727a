"""What the rules and the use cases refuse with. Each error carries its code from the error
registry (`guard/core/vocabularies.py`, `error_codes`); the HTTP layer maps every one of them in
one place (`guard/http/errors.py`: status from the registry, body `{code, message, details}`),
the CLI prints the message.

A message made by `guard.core.messages.said` (a `Said`: the English text, carrying its rendering in every
language) reaches the reader in their language: `error.messages` of the HTTP answer, the console."""

from __future__ import annotations

from typing import Any

from guard.core.i18n import field_said


class GuardError(Exception):
    code = "INVALID_REQUEST"

    def __init__(self, message: str, details: Any = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.details = details
        # {lang: text} when the message was made from a registered template, else None (English only)
        self.messages: dict[str, str] | None = getattr(message, "messages", None)
        if code is not None:
            self.code = code


class NotFound(GuardError):
    """The thing asked for does not exist."""

    code = "NOT_FOUND"

    def __init__(self, what: str, ident: str):
        from guard.core.messages import not_found_said

        super().__init__(not_found_said(what, ident))
        self.what, self.ident = what, ident


class Conflict(GuardError):
    """The request contradicts what is stored; `details` says what is there."""

    code = "CONFLICT"


class NotYours(GuardError):
    """The caller may not act on a thing another caller owns (an outcome on another dialer's decision)."""

    code = "NOT_YOUR_DECISION"


class Stale(GuardError):
    """The caller edited a version that is no longer the current one (an If-Match that failed)."""

    code = "STALE_VERSION"

    def __init__(self, expected: int, current: int):
        from guard.core.messages import said

        super().__init__(said("error.stale_version", current=current, expected=expected),
                         {"expected": expected, "current": current})
        self.expected = expected
        self.current = current


class InvalidField(GuardError, ValueError):
    """A value the schema let through but the rules refuse; `field` names it (a key path)."""

    code = "INVALID_REQUEST"

    def __init__(self, field: str, reason: str, message: str | None = None):
        # `reason` may be a `Said`: the message then reads "field: reason" in every language; `details` keeps the English.
        super().__init__(message or field_said(field, reason), [{"field": field, "reason": str(reason)}])
        self.field = field
        self.reason = reason


class JobsBusy(GuardError):
    """As many audits and simulations as allowed are queued or running already; `retry_after`: seconds to wait."""

    code = "JOBS_BUSY"

    def __init__(self, message: str, details: Any = None, retry_after: int = 30):
        super().__init__(message, details)
        self.retry_after = retry_after


class TooLarge(GuardError):
    code = "PAYLOAD_TOO_LARGE"
