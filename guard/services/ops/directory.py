"""Staff sign-in against the bank's directory (LDAP, with ldap3): who the person is, and which of the
guard's roles their directory groups give them, read afresh at every sign-in.

Two ways to find the person: bind directly as a DN built from a template (`uid={username},ou=people,…`),
or search for them under a base with a service account (GUARD_LDAP_BIND_DN) and then bind as the DN
found, which checks the password. Groups come from the entry's `memberOf` and, when a group base is
set, from a search for groups that name the person (`member`, `uniqueMember`, `memberUid`).

Fail closed: a directory that cannot be reached, times out or answers anything but success or
"invalid credentials" is `DirectoryUnavailable` (503, nobody signs in through it); a person in no
group mapped to a role is refused (`NoRole`). An empty password is refused before any bind: LDAP
treats a bind with a DN and no password as an anonymous ("unauthenticated") bind that succeeds
(RFC 4513 §5.1.2), which would let anyone in.
"""

from __future__ import annotations

import logging
import math
import ssl
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import warnings

# ldap3 2.9.1 (its latest release) imports pyasn1 names that pyasn1 0.6.1+ has renamed and warns
# about (tagMap -> TAG_MAP); the newest pyasn1 is kept for its fixes, and only that warning is hushed.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"pyasn1\..*")
    warnings.filterwarnings("ignore", message=r".* is deprecated\. Please use .* instead\.", category=DeprecationWarning)
    from ldap3 import BASE, NONE, SUBTREE, Connection, Server, Tls
    from ldap3.core.exceptions import LDAPException
    from ldap3.utils.conv import escape_filter_chars
    from ldap3.utils.dn import escape_rdn

from guard.config import Settings, normalise_group
from guard.core.errors import GuardError
from guard.core.messages import said

log = logging.getLogger(__name__)
INVALID_CREDENTIALS = 49  # RFC 4511 resultCode invalidCredentials


class DirectoryUnavailable(GuardError):
    """The directory cannot be asked now (down, slow, refusing the service account): nobody signs in through it."""

    code = "DIRECTORY_UNAVAILABLE"


class NoRole(GuardError):
    """The person signed in, but none of their groups is mapped to a role of the guard."""

    code = "NO_ROLE"


@dataclass(frozen=True)
class DirectoryPerson:
    username: str
    dn: str
    display_name: str | None
    groups: tuple[str, ...]
    roles: frozenset[str]
    inactive: str | None = None  # why the directory holds the account as disabled or expired (`inactive_reason`)


# What directories say of an account that may no longer be used, read at sign-in and at every look-up again. A
# leaver's account is disabled or given an end date, and often keeps its groups; the directory may still answer a
# bind for it (OpenLDAP does not enforce shadowExpire), and a signed-in session would run on until it ends.
#   Active Directory: userAccountControl bit ACCOUNTDISABLE 0x0002, and accountExpires (100 ns intervals since
#     1601-01-01 UTC; 0 and 0x7FFFFFFFFFFFFFFF: never): https://learn.microsoft.com/en-us/troubleshoot/windows-server/
#     active-directory/useraccountcontrol-manipulate-account-properties, https://learn.microsoft.com/en-us/windows/
#     win32/adschema/a-accountexpires
#   389 Directory Server, Red Hat IdM / FreeIPA: nsAccountLock TRUE.
#   OpenLDAP password policy (slapo-ppolicy): pwdAccountLockedTime 000001010000Z, locked by an administrator until
#     unlocked; another value is a lockout after failed passwords, which ends by itself and is not read here (anyone
#     typing wrong passwords would otherwise sign a colleague out).
#   RFC 2307 shadowAccount: shadowExpire, the day (since 1970-01-01) from which the account is expired; -1 or
#     absent: never (shadow(5)).
INACTIVE_ATTRIBUTES = ["userAccountControl", "accountExpires", "nsAccountLock", "pwdAccountLockedTime", "shadowExpire"]
_ACCOUNTDISABLE = 0x0002
_AD_NEVER = (0, 0x7FFFFFFFFFFFFFFF)
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=timezone.utc)
_PERMANENT_LOCK = "000001010000Z"


def inactive_reason(attributes: dict[str, list[str]], now: datetime) -> str | None:
    """Why an entry's attributes (name -> values, names in any case) say its account is disabled or expired at `now`;
    None when they do not. A value that cannot be read is not taken to say either."""
    values = {name.lower(): vs for name, vs in attributes.items() if vs}

    def first_int(name: str) -> int | None:
        try:
            return int(str(values[name.lower()][0]).strip())
        except (KeyError, ValueError):
            return None

    control = first_int("userAccountControl")
    if control is not None and control & _ACCOUNTDISABLE:
        return "disabled in the directory (userAccountControl ACCOUNTDISABLE)"
    expires = first_int("accountExpires")
    if expires is not None and expires not in _AD_NEVER and expires > 0:
        at = _FILETIME_EPOCH + timedelta(microseconds=expires // 10)
        if at <= now:
            return f"expired in the directory on {at.isoformat()} (accountExpires)"
    if any(str(v).strip().lower() == "true" for v in values.get("nsaccountlock", ())):
        return "locked in the directory (nsAccountLock)"
    if any(str(v).strip().upper() == _PERMANENT_LOCK for v in values.get("pwdaccountlockedtime", ())):
        return "locked by an administrator in the directory (pwdAccountLockedTime)"
    day = first_int("shadowExpire")
    if day is not None and day > 0 and date(1970, 1, 1) + timedelta(days=day) <= now.astimezone(timezone.utc).date():
        return f"expired in the directory on {date(1970, 1, 1) + timedelta(days=day)} (shadowExpire)"
    return None


def _server(settings: Settings) -> Server:
    tls = None
    if settings.ldap_url.lower().startswith("ldaps://") or settings.ldap_start_tls:
        tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=settings.ldap_ca_file or None)
    return Server(settings.ldap_url, connect_timeout=settings.ldap_timeout, get_info=NONE, tls=tls)


def _bind(server: Server, settings: Settings, user: str | None, password: str | None) -> Connection | None:
    """A bound connection; None when the directory says the credentials are wrong. Anything else raises."""
    # ldap3 packs the receive timeout as whole seconds.
    conn = Connection(server, user=user or None, password=password or None, receive_timeout=max(1, math.ceil(settings.ldap_timeout)),
                      raise_exceptions=False, read_only=True)
    try:
        conn.open()
        if settings.ldap_start_tls and not settings.ldap_url.lower().startswith("ldaps://"):
            if not conn.start_tls():
                raise DirectoryUnavailable(said("error.directory_starttls"))
        if conn.bind():
            return conn
        code = conn.result.get("result") if conn.result else None
    except LDAPException as exc:
        _close(conn)
        log.error("directory unreachable at %s: %s", settings.ldap_url, exc)
        raise DirectoryUnavailable(said("error.directory_unreachable", url=settings.ldap_url)) from None
    _close(conn)
    if code == INVALID_CREDENTIALS:
        return None
    log.error("directory bind as %r refused with %s", user, conn.result)
    raise DirectoryUnavailable(said("error.directory_bind_refused", why=(conn.result or {}).get("description", code)))


def _close(conn: Connection) -> None:
    try:
        conn.unbind()
    except LDAPException:
        pass
    # ldap3 leaves the socket of a failed connect open: close it here, or every refused sign-in leaks one.
    if getattr(conn, "socket", None) is not None:
        try:
            conn.socket.close()
        except OSError:
            pass


def _search(conn: Connection, settings: Settings, base: str, flt: str, scope: str, attributes: list[str]) -> list:
    try:
        ok = conn.search(base, flt, search_scope=scope, attributes=attributes, size_limit=1000, time_limit=int(settings.ldap_timeout) or 1)
    except LDAPException as exc:
        log.error("directory search failed at %s: %s", settings.ldap_url, exc)
        raise DirectoryUnavailable(said("error.directory_stopped", url=settings.ldap_url)) from None
    code = (conn.result or {}).get("result")
    if not ok and code not in (0, 32):  # 32 noSuchObject: nothing there
        log.error("directory search under %r refused: %s", base, conn.result)
        raise DirectoryUnavailable(said("error.directory_search_refused", why=(conn.result or {}).get("description", code)))
    return list(conn.entries)


def _values(entry, name: str) -> list[str]:
    if name in entry.entry_attributes:
        return [str(v) for v in entry[name].values]
    return []


def authenticate(settings: Settings, username: str, password: str, now: datetime) -> DirectoryPerson | None:
    """The person behind `username`/`password` with the roles their groups map to; None when the directory
    does not know them or the password is wrong. Raises DirectoryUnavailable, NoRole."""
    if not password:
        return None
    try:
        return _authenticate(settings, username, password, now)
    except GuardError:
        raise
    except Exception:  # anything the client library raises: nobody signs in, and the cause is logged
        log.exception("directory sign-in failed unexpectedly at %s", settings.ldap_url)
        raise DirectoryUnavailable(said("error.directory_unreadable_signin", url=settings.ldap_url)) from None


def _authenticate(settings: Settings, username: str, password: str, now: datetime) -> DirectoryPerson | None:
    server = _server(settings)
    attributes = sorted({settings.ldap_display_attr or "cn", "cn", "memberOf", *INACTIVE_ATTRIBUTES})
    searcher: Connection | None = None
    user_conn: Connection | None = None
    try:
        if settings.ldap_user_dn_template:
            dn = settings.ldap_user_dn_template.replace("{username}", escape_rdn(username))
            user_conn = _bind(server, settings, dn, password)
            if user_conn is None:
                return None
            entries = _search(user_conn, settings, dn, "(objectClass=*)", BASE, attributes)
            if not entries:
                return None
            searcher = user_conn
        else:
            searcher = _bind(server, settings, settings.ldap_bind_dn or None, settings.ldap_bind_password or None)
            if searcher is None:
                log.error("directory: the service account GUARD_LDAP_BIND_DN was refused (invalid credentials)")
                raise DirectoryUnavailable(said("error.directory_service_refused"))
            flt = settings.ldap_user_filter.replace("{username}", escape_filter_chars(username))
            entries = _search(searcher, settings, settings.ldap_user_base, flt, SUBTREE, attributes)
            if len(entries) != 1:
                if len(entries) > 1:
                    log.warning("directory: %d entries match user %r; refusing the sign-in", len(entries), username)
                return None
            dn = entries[0].entry_dn
            user_conn = _bind(server, settings, dn, password)
            if user_conn is None:
                return None
        return _person(settings, searcher, entries[0], dn, username, now)
    finally:
        for conn in {id(c): c for c in (searcher, user_conn) if c is not None}.values():
            _close(conn)


def _person(settings: Settings, searcher: Connection, entry, dn: str, username: str, now: datetime) -> DirectoryPerson:
    """The person of a directory entry with the roles their groups map to, and whether the account is disabled or
    expired (`inactive`); NoRole when no group maps to a role."""
    groups = set(_values(entry, "memberOf"))
    if settings.ldap_group_base:
        flt = (settings.ldap_group_filter.replace("{dn}", escape_filter_chars(dn))
               .replace("{username}", escape_filter_chars(username)))
        for group in _search(searcher, settings, settings.ldap_group_base, flt, SUBTREE, ["cn"]):
            groups.add(group.entry_dn)
    names = {normalise_group(g) for g in groups}
    names |= {n.split(",", 1)[0].split("=", 1)[1] for n in list(names) if n.startswith("cn=")}
    role_map = dict(settings.ldap_role_map)
    roles = frozenset(r for name in names for r in role_map.get(name, ()))
    display = (_values(entry, settings.ldap_display_attr or "cn") or _values(entry, "cn") or [None])[0]
    inactive = inactive_reason({name: _values(entry, name) for name in INACTIVE_ATTRIBUTES}, now)
    person = DirectoryPerson(username, dn, display, tuple(sorted(groups)), roles, inactive)
    if not roles:
        raise NoRole(said("error.directory_no_role", username=username), {"groups": list(person.groups)})
    return person


def can_look_up(settings: Settings) -> bool:
    """Whether a signed-in person can be looked up again without their password: the guard searches for users (under
    GUARD_LDAP_USER_BASE) or has a service account (GUARD_LDAP_BIND_DN) to read the entry a DN template names."""
    return bool(settings.ldap_url) and bool(settings.ldap_user_base or settings.ldap_bind_dn)


def lookup(settings: Settings, username: str, now: datetime) -> DirectoryPerson | None:
    """The person as the directory holds them now, with the roles their groups map to, read without their password
    (the service account's bind, or an anonymous one when none is set); None when the directory no longer has them.
    Raises NoRole (no mapped group any more), DirectoryUnavailable. For re-checking a signed-in session."""
    try:
        return _lookup(settings, username, now)
    except GuardError:
        raise
    except Exception:
        log.exception("directory look-up failed unexpectedly at %s", settings.ldap_url)
        raise DirectoryUnavailable(said("error.directory_unreadable", url=settings.ldap_url)) from None


def _lookup(settings: Settings, username: str, now: datetime) -> DirectoryPerson | None:
    server = _server(settings)
    attributes = sorted({settings.ldap_display_attr or "cn", "cn", "memberOf", *INACTIVE_ATTRIBUTES})
    searcher = _bind(server, settings, settings.ldap_bind_dn or None, settings.ldap_bind_password or None)
    if searcher is None:
        log.error("directory: the service account GUARD_LDAP_BIND_DN was refused (invalid credentials)")
        raise DirectoryUnavailable(said("error.directory_service_refused"))
    try:
        if settings.ldap_user_dn_template:
            dn = settings.ldap_user_dn_template.replace("{username}", escape_rdn(username))
            entries = _search(searcher, settings, dn, "(objectClass=*)", BASE, attributes)
        else:
            flt = settings.ldap_user_filter.replace("{username}", escape_filter_chars(username))
            entries = _search(searcher, settings, settings.ldap_user_base, flt, SUBTREE, attributes)
        if len(entries) != 1:
            return None
        return _person(settings, searcher, entries[0], entries[0].entry_dn, username, now)
    finally:
        _close(searcher)
