"""API keys: `gk_<id>_<secret>`. Only a SHA-256 of the secret is stored; comparison is constant-time.

The secret is 256 random bits, so a fast hash is enough (there is nothing to brute-force the
way there is with a password). Verified keys are cached per process for a few seconds to keep
a store read off the hot path: a revoked key stops working within `CACHE_SECONDS`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from guard.core.text import control_character
from guard.core.vocabularies import codes
from guard.store import keys as key_store
from guard.store.db import Store

ROLES = codes("roles")
CACHE_SECONDS = 5.0
_PREFIX = "gk_"
# Who changed access when the caller did not say (a program calling the service directly; every command says).
UNATTRIBUTED = "(not said)"


@dataclass(frozen=True)
class Principal:
    """Who calls: an API key (a machine) or a signed-in person (a console session)."""

    key_id: str | None  # None for a person
    roles: frozenset[str]
    person: str | None = None  # `user:<name>` (local account) or `ldap:<name>` (directory)
    name: str | None = None  # how a person is shown

    @property
    def actor(self) -> str:
        """Who the audit trail names: the person, else the key's id."""
        return self.person or self.key_id or ""

    def has(self, role: str) -> bool:
        # An admin may do everything; every other role grants only itself.
        return role in self.roles or "admin" in self.roles


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(store: Store, roles: list[str], now: datetime, label: str | None = None, by: str = UNATTRIBUTED) -> str:
    unknown = sorted(set(roles) - set(ROLES))
    if unknown or not roles:
        raise ValueError(f"unknown role(s) {', '.join(unknown)}; choose from {', '.join(ROLES)}" if unknown else "at least one role")
    if label is not None and control_character(label):
        raise ValueError(f"label: contains a control character or line break ({control_character(label)})")
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key_store.create(store, key_id, _digest(secret), roles, label, now, by)
    return f"{_PREFIX}{key_id}_{secret}"


def revoke_key(store: Store, key_id: str, now: datetime, by: str = UNATTRIBUTED) -> bool:
    return key_store.revoke(store, key_id, now, by)


def list_keys(store: Store) -> list[dict]:
    return [
        {"id": r.id, "roles": r.roles.split(","), "label": r.label, "created_at": r.created_at.isoformat(),
         "revoked_at": r.revoked_at.isoformat() if r.revoked_at else None}
        for r in key_store.all_keys(store)
    ]


class KeyVerifier:
    def __init__(self, store: Store):
        self.store = store
        self._cache: dict[str, tuple[float, str, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def verify(self, token: str) -> Principal | None:
        """The key's principal, or None for a malformed, unknown or revoked key."""
        if not token.startswith(_PREFIX) or len(token) > 200:
            return None
        key_id, sep, secret = token[len(_PREFIX) :].partition("_")
        if not sep or not key_id or not secret:
            return None
        now = time.monotonic()
        cached = self._cache.get(key_id)
        if cached is None or cached[0] < now:
            row = key_store.live(self.store, key_id)
            if row is None:
                with self._lock:
                    self._cache.pop(key_id, None)
                return None
            cached = (now + CACHE_SECONDS, row.secret_hash, frozenset(row.roles.split(",")))
            with self._lock:
                self._cache[key_id] = cached
        if not hmac.compare_digest(cached[1], _digest(secret)):
            return None
        return Principal(key_id, cached[2])


def key_label(store: Store, key_id: str) -> str | None:
    return key_store.labels(store, [key_id]).get(key_id)
