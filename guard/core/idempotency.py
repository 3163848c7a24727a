"""Idempotency keys (the `Idempotency-Key` request header of a check): the key's syntax and the request's fingerprint.

Sources: IETF draft-ietf-httpapi-idempotency-key-header-07 ("The Idempotency-Key HTTP Header Field", §2: the
value is a Structured Field sf-string, a key is unique per client, the server fingerprints the request; §2.7:
a key reused for another request is refused with 422), and Stripe's "Idempotent requests" (keys up to 255
characters; the first answer kept and replayed; keys purged after 24 hours; parameters compared with the first
request's). https://datatracker.ietf.org/doc/html/draft-ietf-httpapi-idempotency-key-header ·
https://docs.stripe.com/api/idempotent_requests
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from typing import Any

from guard.core.errors import GuardError, InvalidField
from guard.core.messages import said

HEADER = "Idempotency-Key"
# How long a key's first answer is kept: a dialer retries within seconds or minutes; a day covers a retry queue
# drained the next morning without keeping a key for ever (Stripe: 24 hours).
RETENTION = timedelta(hours=24)


def retention(lets_dial: bool, decision_valid_for: timedelta) -> timedelta:
    """How long a key answers its first answer again. An answer that lets a call be dialled (allowed, not a dry run) is
    kept only while the decision is good to dial on, the pack's `decision_valid_for` (5 minutes in the shipped packs):
    replayed later, an allow would send the dialer to a number that may have been blacklisted, muted or left its
    calling window since, and a call made on it is an UNCHECKED_CALL to the audit (the decision too old). Past that, a
    retry is a new check. Any other answer (a denial, a dry run) cannot put a call through and is kept RETENTION."""
    return min(decision_valid_for, RETENTION) if lets_dial else RETENTION
MAX_LENGTH = 255
_PRINTABLE = re.compile(r"[\x20-\x7e]+")


class KeyReused(GuardError):
    """The key already answered another request (another body, or another endpoint) within its retention."""

    code = "IDEMPOTENCY_KEY_REUSED"


def parse_key(raw: str) -> str:
    """The key a header carries: an sf-string (`"…"`, as the draft writes it) or the bare token payment APIs take.
    :raise InvalidField: empty, several values, longer than 255 characters, or not printable ASCII"""
    value = raw.strip(" \t")
    several = False
    if value.startswith('"'):
        end = _string_end(value)
        several = end is not None and value[end + 1:].strip(" \t") != ""
        if end is not None and not several:
            value = value[1:end].replace('\\"', '"').replace("\\\\", "\\")
    else:
        several = "," in value
    if several:
        # The header sent twice reaches the app as one value joined by a comma (RFC 9110 §5.3), an sf-string Item
        # followed by more is no Item (RFC 8941 §4.2): which key was meant cannot be told, so neither is used.
        why = "several values (the header sent more than once, or a list): send one key"
    elif not value:
        why = "empty"
    elif len(value) > MAX_LENGTH:
        why = f"{len(value)} characters, more than {MAX_LENGTH}"
    elif not _PRINTABLE.fullmatch(value):
        why = "not printable ASCII"
    else:
        return value
    raise InvalidField(HEADER, said("error.idempotency_key_syntax", why=why))


def _string_end(value: str) -> int | None:
    """The index of the quote closing the sf-string `value` opens (None when it is never closed)."""
    i = 1
    while i < len(value):
        if value[i] == "\\":
            i += 2
            continue
        if value[i] == '"':
            return i
        i += 1
    return None


def fingerprint(operation: str, request: dict[str, Any]) -> str:
    """SHA-256 of the operation and the request as validated (defaults filled in, keys sorted)."""
    canonical = json.dumps([operation, request], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
