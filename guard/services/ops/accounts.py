"""People who sign in to the console: local accounts (argon2id), the directory (LDAP), the backoff
after failed sign-ins, and the server-side sessions they get.

Machines (dialers, batch jobs) keep using API keys (`guard.services.ops.keys`); a person signs in
with a user name and password and gets a session whose id lives only in an HttpOnly cookie. What
the audit trail records for a person is their actor name: `user:<name>` for a local account,
`ldap:<name>` for the directory.

Timing: a name with no local account is checked against a dummy argon2 hash, so an unknown name
costs as much as a wrong password, and the backoff counts failures per name whether or not it
exists (a lock says nothing about whether the account is real).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from guard.config import Settings
from guard.core.errors import GuardError
from guard.core.text import control_character
from guard.core.vocabularies import codes
from guard.services.ops import directory
from guard.services.ops.keys import UNATTRIBUTED, Principal
from guard.store import accounts as store_accounts
from guard.store.db import Store
from guard.core.messages import said

ROLES = codes("roles")
log = logging.getLogger(__name__)
# 27 characters: the audit columns hold 32, and `ldap:` / `user:` take five.
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,26}$")
MIN_PASSWORD = 12
LOCK_BASE = timedelta(minutes=1)
LOCK_MAX = timedelta(hours=1)
FORGET_FAILURES_AFTER = timedelta(days=1)
TOUCH_EVERY = timedelta(seconds=30)  # how stale `last_seen_at` may get before a request writes it (idle expiry)
# argon2-cffi's defaults: argon2id, RFC 9106's second recommended option (t=3, m=64 MiB, p=4).
HASHER = PasswordHasher()


class SignInFailed(GuardError):
    code = "SIGN_IN_FAILED"

    def __init__(self) -> None:
        super().__init__(said("error.sign_in_failed"))


class SignInLocked(GuardError):
    code = "SIGN_IN_LOCKED"

    def __init__(self, seconds: float):
        super().__init__(said("error.sign_in_locked", seconds=int(seconds) + 1), {"retry_after_seconds": int(seconds) + 1})
        self.seconds = seconds


class AccountDisabled(GuardError):
    code = "ACCOUNT_DISABLED"

    def __init__(self) -> None:
        super().__init__(said("error.account_disabled"))


class AccountError(GuardError, ValueError):
    """A `guard users` command that cannot be done (bad name, weak password, unknown role, no such account)."""


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return HASHER.hash(secrets.token_urlsafe(16))


def normalise_username(raw: str) -> str | None:
    name = raw.strip().lower()
    return name if USERNAME.match(name) else None


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password: at least {MIN_PASSWORD} characters")
    if len(password) > 1024:
        raise AccountError("password: at most 1024 characters")


def _roles(roles: list[str] | tuple[str, ...]) -> list[str]:
    unknown = sorted(set(roles) - set(ROLES))
    if unknown or not roles:
        raise AccountError(f"unknown role(s) {', '.join(unknown)}; choose from {', '.join(ROLES)}" if unknown else "at least one role")
    return sorted(set(roles))


def create_account(store: Store, username: str, password: str, roles: list[str], display_name: str | None, now: datetime,
                   by: str = UNATTRIBUTED) -> str:
    name = normalise_username(username)
    if name is None:
        raise AccountError(f"username {username!r}: 1-27 characters, lowercase letters, digits and . _ @ -, starting with a letter or digit")
    check_password(password)
    if display_name is not None and control_character(display_name):
        raise AccountError(f"name: contains a control character or line break ({control_character(display_name)})")
    if not store_accounts.create_account(store, name, HASHER.hash(password), _roles(roles), display_name, now, by):
        raise AccountError(f"an account {name!r} exists already (accounts are disabled, never deleted)")
    return name


def _existing(store: Store, username: str):
    row = store_accounts.account(store, normalise_username(username) or "")
    if row is None:
        raise AccountError(f"no account {username!r}")
    return row


def set_password(store: Store, username: str, password: str, now: datetime, by: str = UNATTRIBUTED) -> None:
    row = _existing(store, username)
    check_password(password)
    store_accounts.update_account(store, row.username, now, by, "user.password", None,
                                  password_hash=HASHER.hash(password), password_changed_at=now)
    store_accounts.end_sessions_of(store, "user:" + row.username, now)


def set_roles(store: Store, username: str, roles: list[str], now: datetime, by: str = UNATTRIBUTED) -> None:
    row = _existing(store, username)
    new = _roles(roles)
    store_accounts.update_account(store, row.username, now, by, "user.roles", {"from": row.roles.split(","), "to": new},
                                  roles=",".join(new))
    store_accounts.end_sessions_of(store, "user:" + row.username, now)


def set_disabled(store: Store, username: str, disabled: bool, now: datetime, by: str = UNATTRIBUTED) -> int:
    """Disable (ending every session of the account at once) or enable it again; the sessions ended."""
    row = _existing(store, username)
    store_accounts.update_account(store, row.username, now, by, "user.disable" if disabled else "user.enable", None,
                                  disabled_at=now if disabled else None)
    return store_accounts.end_sessions_of(store, "user:" + row.username, now) if disabled else 0


def list_accounts(store: Store) -> list[dict]:
    return [{"username": r.username, "roles": r.roles.split(","), "display_name": r.display_name,
             "created_at": r.created_at.isoformat(), "disabled_at": r.disabled_at.isoformat() if r.disabled_at else None,
             "last_sign_in_at": r.last_sign_in_at.isoformat() if r.last_sign_in_at else None}
            for r in store_accounts.all_accounts(store)]


# --- signing in -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewSession:
    session_id: str  # goes into the cookie, nowhere else
    csrf_token: str
    principal: Principal
    expires_at: datetime
    idle_expires_at: datetime


def _lock_until(settings: Settings, now: datetime):
    def lock_for(count: int) -> datetime | None:
        if count < settings.signin_max_failures:
            return None
        return now + min(LOCK_BASE * 2 ** (count - settings.signin_max_failures), LOCK_MAX)

    return lock_for


def _locked(row: Any, now: datetime) -> SignInLocked | None:
    if row is not None and row.locked_until is not None and row.locked_until > now:
        return SignInLocked((row.locked_until - now).total_seconds())
    return None


def _failed(store: Store, settings: Settings, name: str, now: datetime) -> GuardError:
    row, counted = store_accounts.record_failure(store, name, now, _lock_until(settings, now), now - FORGET_FAILURES_AFTER)
    # Locked by guesses checked while this one was: answered as a locked name is, not "wrong password", so
    # guesses sent together get no more answers than the lock allows.
    return SignInFailed() if counted else (_locked(row, now) or SignInFailed())


def _refuse_if_locked(store: Store, name: str, now: datetime) -> None:
    """429 while the name is locked: before its password is checked, and again after the right one, which is
    refused all the same when guesses checked meanwhile have locked the name (answering otherwise would tell a
    guesser which of the guesses sent together was right)."""
    locked = _locked(store_accounts.failures(store, name), now)
    if locked is not None:
        raise locked


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def sign_in(store: Store, settings: Settings, username: str, password: str, now: datetime) -> NewSession:
    """Check the person's password (local account first, then the directory) and open a session.

    :raise SignInFailed: wrong name or password (the same answer either way)
    :raise SignInLocked: too many failures for this name lately
    :raise AccountDisabled: the right password for a disabled local account
    :raise DirectoryUnavailable, NoRole: see `guard.services.ops.directory`
    """
    name = normalise_username(username)
    if name is None or not password or len(password) > 1024:
        _verify(_dummy_hash(), password[:1024])
        raise SignInFailed()
    _refuse_if_locked(store, name, now)
    row = store_accounts.account(store, name) if settings.local_accounts else None
    if row is not None:
        if not _verify(row.password_hash, password):
            raise _failed(store, settings, name, now)
        _refuse_if_locked(store, name, now)
        if row.disabled_at is not None:
            raise AccountDisabled()
        if HASHER.check_needs_rehash(row.password_hash):
            store_accounts.update_account(store, name, password_hash=HASHER.hash(password))
        principal = Principal(None, frozenset(row.roles.split(",")), person="user:" + name, name=row.display_name or name)
    elif settings.ldap_url:
        if settings.local_accounts:  # as long as a local account's check, so the answer's timing tells nothing
            _verify(_dummy_hash(), password)
        person = directory.authenticate(settings, name, password, now)
        if person is None:
            raise _failed(store, settings, name, now)
        _refuse_if_locked(store, name, now)
        if person.inactive is not None:  # the password was right: say so, as for a local account disabled
            log.warning("directory sign-in of %r refused: %s", name, person.inactive)
            raise AccountDisabled()
        principal = Principal(None, person.roles, person="ldap:" + name, name=person.display_name or name)
    else:
        _verify(_dummy_hash(), password)
        raise _failed(store, settings, name, now)
    return open_session(store, settings, principal, name, now)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session(store: Store, settings: Settings, principal: Principal, username: str | None, now: datetime) -> NewSession:
    session_id = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=settings.session_max_hours)
    store_accounts.start_session(store, {
        "id_hash": _digest(session_id), "actor": principal.actor, "display_name": principal.name, "roles": ",".join(sorted(principal.roles)),
        "csrf_token": csrf, "created_at": now, "last_seen_at": now, "expires_at": expires, "ended_at": None,
    }, username, now)
    return NewSession(session_id, csrf, principal, expires, min(expires, now + timedelta(minutes=settings.session_idle_minutes)))


@dataclass(frozen=True)
class LiveSession:
    principal: Principal
    csrf_token: str
    expires_at: datetime
    idle_expires_at: datetime

    def csrf_ok(self, token: str | None) -> bool:
        return token is not None and hmac.compare_digest(self.csrf_token.encode(), token.encode())


def session(store: Store, settings: Settings, session_id: str, now: datetime) -> LiveSession | None:
    """The live session behind a cookie's id (its idle time refreshed), or None: unknown, signed out or expired."""
    if not session_id or len(session_id) > 200:
        return None
    id_hash = _digest(session_id)
    row = store_accounts.live_session(store, id_hash)
    if row is None:
        return None
    idle = timedelta(minutes=settings.session_idle_minutes)
    # A local account's session ends once local accounts are switched off (GUARD_LOCAL_ACCOUNTS=0), as its sign-in would fail.
    if now >= row.expires_at or now >= row.last_seen_at + idle or (row.actor.startswith("user:") and not settings.local_accounts):
        store_accounts.end_session(store, id_hash, now)
        return None
    roles, name = row.roles, row.display_name
    if _directory_check_due(settings, row, now):
        confirmed = _confirmed(settings, row.actor.removeprefix("ldap:"), now)
        if confirmed is None:
            log.warning("session of %s ended: the directory no longer has them in a group mapped to a role", row.actor)
            store_accounts.end_session(store, id_hash, now)
            return None
        roles, name = ",".join(sorted(confirmed.roles)), confirmed.display_name
        store_accounts.confirm_session(store, id_hash, roles, name, now)
    if now - row.last_seen_at >= TOUCH_EVERY:
        store_accounts.touch_session(store, id_hash, now)
        seen = now
    else:
        seen = row.last_seen_at
    principal = Principal(None, frozenset(roles.split(",")), person=row.actor, name=name)
    return LiveSession(principal, row.csrf_token, row.expires_at, min(row.expires_at, seen + idle))


def _directory_check_due(settings: Settings, row: Any, now: datetime) -> bool:
    """A directory user's session is looked up again every GUARD_LDAP_RECHECK_MINUTES, when the guard can look them up."""
    if not row.actor.startswith("ldap:") or not settings.ldap_recheck_minutes or not directory.can_look_up(settings):
        return False
    return now - (row.directory_checked_at or row.created_at) >= timedelta(minutes=settings.ldap_recheck_minutes)


def _confirmed(settings: Settings, username: str, now: datetime) -> "directory.DirectoryPerson | None":
    """The person as the directory holds them now; None when it no longer has them, no mapped group does, or it holds the
    account as disabled or expired. A directory that cannot be asked raises DirectoryUnavailable (the request is refused,
    503: the session is kept for when it is back)."""
    try:
        person = directory.lookup(settings, username, now)
    except directory.NoRole:
        return None
    if person is not None and person.inactive is not None:
        log.warning("directory session of %r ended: %s", username, person.inactive)
        return None
    return person


def sign_out(store: Store, session_id: str, now: datetime) -> bool:
    return bool(session_id) and len(session_id) <= 200 and store_accounts.end_session(store, _digest(session_id), now)
