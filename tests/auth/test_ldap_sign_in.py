"""Directory sign-in against a real OpenLDAP server (tests/ldapserver.py): people, groups mapped to
roles at each sign-in, refusals, and a directory that is down or hangs (fail closed, never a 500)."""

from __future__ import annotations

import subprocess
import time
from datetime import date, datetime, timedelta, timezone

import pytest

from guard.config import Settings, SettingsError
from guard.services.ops import directory
from tests.auth.conftest import PEOPLE, add_account, ldap_settings, sign_in
from tests.ldapserver import SERVICE_PASSWORD, SUFFIX
from tests.pgserver import free_port

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def app(make_app, clock, ldap_server):
    return make_app(clock=clock, **ldap_settings(ldap_server))


def test_a_directory_user_signs_in_with_the_roles_of_their_groups(app):
    client = app.test_client()
    r = sign_in(client, "zhang.san", PEOPLE["zhang.san"][0])
    assert r.status_code == 200, r.json
    assert r.json["actor"] == "ldap:zhang.san" and r.json["name"] == "张三"  # displayName
    assert r.json["roles"] == ["auditor", "operator"]  # xiaobao-ops by DN, compliance-audit by cn
    assert client.get("/v1/me").json["actor"] == "ldap:zhang.san"
    li = sign_in(app.test_client(), "li.si", PEOPLE["li.si"][0])
    assert li.status_code == 200 and li.json["roles"] == ["reviewer"]  # mapped with another case and spacing of the DN


def test_a_wrong_password_and_an_unknown_user_are_refused_alike(app):
    wrong = sign_in(app.test_client(), "zhang.san", "not-his-password")
    unknown = sign_in(app.test_client(), "nobody", "whatever-password")
    injected = sign_in(app.test_client(), "zhang*", PEOPLE["zhang.san"][0])  # not a name: never reaches a filter
    for r in (wrong, unknown, injected):
        assert r.status_code == 401 and r.json["error"]["code"] == "SIGN_IN_FAILED", r.json


def test_a_filter_metacharacter_in_a_name_is_escaped(ldap_server):
    settings = Settings.from_env({}, ldap_settings(ldap_server, GUARD_LDAP_USER_FILTER="(|(uid={username})(cn=nobody))"))
    assert directory.authenticate(settings, "*)(uid=zhang.san", PEOPLE["zhang.san"][0], NOW) is None


def test_an_empty_password_never_binds(ldap_server):
    # LDAP accepts a bind with a DN and no password as an unauthenticated (anonymous) bind: it must not sign anyone in.
    settings = Settings.from_env({}, ldap_settings(ldap_server, GUARD_LDAP_USER_DN_TEMPLATE="uid={username},ou=people," + SUFFIX))
    assert directory.authenticate(settings, "zhang.san", "", NOW) is None
    assert directory.authenticate(settings, "zhang.san", PEOPLE["zhang.san"][0], NOW).roles == {"operator", "auditor"}


def test_a_person_in_no_mapped_group_is_refused(app):
    r = sign_in(app.test_client(), "zhao.liu", PEOPLE["zhao.liu"][0])
    assert r.status_code == 403 and r.json["error"]["code"] == "NO_ROLE", r.json
    assert "Set-Cookie" not in r.headers and "GUARD_LDAP_ROLE_MAP" in r.json["error"]["message"]


def test_roles_are_read_from_the_groups_at_each_sign_in(app, ldap_server):
    first = sign_in(app.test_client(), "wang.wu", PEOPLE["wang.wu"][0])
    assert first.json["roles"] == ["auditor"]
    change = f"dn: {ldap_server.group_dn('compliance-audit')}\nchangetype: modify\ndelete: member\nmember: {ldap_server.person_dn('wang.wu')}\n"
    try:
        subprocess.run(["ldapmodify", "-x", "-H", ldap_server.url, "-D", f"cn=admin,{SUFFIX}", "-w", "admin-" + SERVICE_PASSWORD],
                       input=change, text=True, check=True, capture_output=True)
        again = sign_in(app.test_client(), "wang.wu", PEOPLE["wang.wu"][0])
        assert again.status_code == 403 and again.json["error"]["code"] == "NO_ROLE"
    finally:
        subprocess.run(["ldapmodify", "-x", "-H", ldap_server.url, "-D", f"cn=admin,{SUFFIX}", "-w", "admin-" + SERVICE_PASSWORD],
                       input=change.replace("delete: member", "add: member"), text=True, capture_output=True)


def test_direct_bind_with_a_user_dn_template(make_app, clock, ldap_server):
    app = make_app(clock=clock, **ldap_settings(ldap_server, GUARD_LDAP_USER_DN_TEMPLATE="uid={username},ou=people," + SUFFIX,
                                                GUARD_LDAP_BIND_DN="", GUARD_LDAP_BIND_PASSWORD=""))
    r = sign_in(app.test_client(), "chen.qi", PEOPLE["chen.qi"][0])
    assert r.status_code == 200 and r.json["roles"] == ["reviewer"] and r.json["name"] == "陈七"
    assert sign_in(app.test_client(), "chen.qi", "wrong-password").json["error"]["code"] == "SIGN_IN_FAILED"


def test_a_directory_that_is_down_refuses_every_sign_in_with_503(make_app, clock, ldap_server):
    down = ldap_settings(ldap_server, GUARD_LDAP_URL=f"ldap://127.0.0.1:{free_port()}")
    app = make_app(clock=clock, **down)
    r = sign_in(app.test_client(), "zhang.san", PEOPLE["zhang.san"][0])
    assert r.status_code == 503 and r.json["error"]["code"] == "DIRECTORY_UNAVAILABLE", r.json
    assert "cannot be reached" in r.json["error"]["message"] and "Set-Cookie" not in r.headers
    zh = r.json["error"]["messages"]["zh-CN"]
    assert "目录服务" in zh and "无法连接" in zh and "cannot" not in zh, "read wholly in Chinese by a Chinese reader"
    # A local account (an administrator's way in) still works while the directory is down.
    add_account(app, "admin.local", "Admin-local-pass-1", "admin")
    assert sign_in(app.test_client(), "admin.local", "Admin-local-pass-1").status_code == 200


def test_a_directory_that_hangs_is_given_up_on_within_the_timeout(app, ldap_server):
    ldap_server.pause()
    try:
        started = time.monotonic()
        r = sign_in(app.test_client(), "zhang.san", PEOPLE["zhang.san"][0])
        elapsed = time.monotonic() - started
    finally:
        ldap_server.resume()
    assert r.status_code == 503 and r.json["error"]["code"] == "DIRECTORY_UNAVAILABLE", r.json
    assert elapsed < 2 * 2 + 1.5  # GUARD_LDAP_TIMEOUT=2: the connect succeeds (the kernel accepts), the bind waits
    assert sign_in(app.test_client(), "zhang.san", PEOPLE["zhang.san"][0]).status_code == 200  # back once it answers


def test_a_refused_service_account_is_the_directory_being_unavailable_not_a_wrong_password(make_app, clock, ldap_server):
    app = make_app(clock=clock, **ldap_settings(ldap_server, GUARD_LDAP_BIND_PASSWORD="wrong"))
    r = sign_in(app.test_client(), "zhang.san", PEOPLE["zhang.san"][0])
    assert r.status_code == 503 and r.json["error"]["code"] == "DIRECTORY_UNAVAILABLE"


def test_directory_failures_count_toward_the_lock(app):
    for _ in range(5):
        assert sign_in(app.test_client(), "li.si", "wrong-password").status_code == 401
    assert sign_in(app.test_client(), "li.si", PEOPLE["li.si"][0]).status_code == 429


def test_a_local_account_of_the_same_name_is_tried_first(app):
    add_account(app, "zhang.san", "Local-Zhang-pass-1", "reviewer")
    r = sign_in(app.test_client(), "zhang.san", "Local-Zhang-pass-1")
    assert r.json["actor"] == "user:zhang.san" and r.json["roles"] == ["reviewer"]
    # With a local account of that name, the directory's password is not accepted for it.
    assert sign_in(app.test_client(), "zhang.san", PEOPLE["zhang.san"][0]).status_code == 401


@pytest.mark.parametrize("env, problem", [
    ({"GUARD_LDAP_URL": "http://dir"}, "GUARD_LDAP_URL"),
    ({"GUARD_LDAP_URL": "ldap://dir"}, "GUARD_LDAP_USER_DN_TEMPLATE or GUARD_LDAP_USER_BASE"),
    ({"GUARD_LDAP_URL": "ldap://dir", "GUARD_LDAP_USER_BASE": "ou=p"}, "GUARD_LDAP_ROLE_MAP must map"),
    ({"GUARD_LDAP_ROLE_MAP": "[1]"}, "expected a JSON object"),
    ({"GUARD_LDAP_ROLE_MAP": '{"g": "root"}'}, "unknown role"),
    ({"GUARD_LDAP_ROLE_MAP": '{"g": '}, "not JSON"),
    ({"GUARD_LDAP_USER_DN_TEMPLATE": "uid=x,ou=p"}, "{username}"),
])
def test_directory_settings_are_checked_at_start(env, problem):
    with pytest.raises(SettingsError, match=problem.replace("{", r"\{").replace("}", r"\}")):
        Settings.from_env({}, env)


def _ldapmodify(ldap_server, change: str) -> None:
    subprocess.run(["ldapmodify", "-x", "-H", ldap_server.url, "-D", f"cn=admin,{SUFFIX}", "-w", "admin-" + SERVICE_PASSWORD],
                   input=change, text=True, check=True, capture_output=True)


def test_a_session_ends_once_the_directory_no_longer_has_the_person_in_a_mapped_group(app, ldap_server, clock):
    """Someone who leaves, or is moved out of the groups that give the guard's roles, is signed out at their next request
    after GUARD_LDAP_RECHECK_MINUTES (5), not at the session's end up to 10 hours later; changed groups change the roles."""
    from datetime import timedelta

    wang, zhang = app.test_client(), app.test_client()
    assert sign_in(wang, "wang.wu", PEOPLE["wang.wu"][0]).json["roles"] == ["auditor"]
    assert sign_in(zhang, "zhang.san", PEOPLE["zhang.san"][0]).json["roles"] == ["auditor", "operator"]
    audit_group, wang_dn, zhang_dn = ldap_server.group_dn("compliance-audit"), ldap_server.person_dn("wang.wu"), ldap_server.person_dn("zhang.san")
    zhao_dn = ldap_server.person_dn("zhao.liu")  # a group of names keeps one member at least
    removal = (f"dn: {audit_group}\nchangetype: modify\nadd: member\nmember: {zhao_dn}\n-\n"
               f"delete: member\nmember: {wang_dn}\nmember: {zhang_dn}\n")
    restore = (f"dn: {audit_group}\nchangetype: modify\nadd: member\nmember: {wang_dn}\nmember: {zhang_dn}\n-\n"
               f"delete: member\nmember: {zhao_dn}\n")
    _ldapmodify(ldap_server, removal)
    try:
        clock.now += timedelta(minutes=4)  # not due yet: the roles the sign-in gave
        assert wang.get("/v1/me").status_code == 200 and zhang.get("/v1/me").json["roles"] == ["auditor", "operator"]
        clock.now += timedelta(minutes=2)
        gone = wang.get("/v1/me")
        assert gone.status_code == 401 and "sign in again" in gone.json["error"]["message"], gone.json
        assert wang.get("/v1/me").status_code == 401, "the session is ended, not only refused once"
        assert zhang.get("/v1/me").json["roles"] == ["operator"]  # still in xiaobao-ops: an operator, no longer an auditor
        assert zhang.get("/v1/audits", headers={}).status_code == 403
        ldap_server.pause()  # the directory does not answer when the next look-up is due: refused, not let through
        clock.now += timedelta(minutes=6)
        try:
            down = zhang.get("/v1/me")
        finally:
            ldap_server.resume()
        assert down.status_code == 503 and down.json["error"]["code"] == "DIRECTORY_UNAVAILABLE", down.json
        assert zhang.get("/v1/me").json["roles"] == ["operator"], "kept for when the directory is back"
    finally:
        _ldapmodify(ldap_server, restore)


def test_sessions_are_not_looked_up_again_when_switched_off(make_app, clock, ldap_server):
    from datetime import timedelta

    app = make_app(clock=clock, **ldap_settings(ldap_server, GUARD_LDAP_RECHECK_MINUTES="0"))
    client = app.test_client()
    assert sign_in(client, "wang.wu", PEOPLE["wang.wu"][0]).status_code == 200
    ldap_server.pause()
    try:
        clock.now += timedelta(minutes=20)
        assert client.get("/v1/me").status_code == 200  # no look-up, so a directory that hangs does not matter
    finally:
        ldap_server.resume()


def _filetime(at: datetime) -> int:
    """An instant as Active Directory's accountExpires holds it: 100 ns intervals since 1601-01-01 UTC."""
    return (at - datetime(1601, 1, 1, tzinfo=timezone.utc)) // timedelta(microseconds=1) * 10


@pytest.mark.parametrize("attribute,value", [
    ("userAccountControl", lambda now: "514"),  # NORMAL_ACCOUNT 0x200 | ACCOUNTDISABLE 0x2: how AD disables a leaver
    ("accountExpires", lambda now: str(_filetime(now - timedelta(hours=1)))),
    ("nsAccountLock", lambda now: "TRUE"),  # 389 Directory Server / FreeIPA
    ("shadowExpire", lambda now: str((now.date() - date(1970, 1, 1)).days)),  # RFC 2307: expired from that day
], ids=["ad-disabled", "ad-expired", "389-locked", "shadow-expired"])
def test_an_account_disabled_or_expired_in_the_directory_is_signed_out_and_refused(app, ldap_server, clock, attribute, value):
    """A leaver's account is disabled or given an end date and often keeps its groups. The session ends at the next look-up
    (GUARD_LDAP_RECHECK_MINUTES), and the right password no longer signs in: 403 ACCOUNT_DISABLED, as for a local account."""
    client = app.test_client()
    assert sign_in(client, "wang.wu", PEOPLE["wang.wu"][0]).status_code == 200
    dn = ldap_server.person_dn("wang.wu")
    _ldapmodify(ldap_server, f"dn: {dn}\nchangetype: modify\nadd: objectClass\nobjectClass: extensibleObject\n-\n"
                             f"add: {attribute}\n{attribute}: {value(clock.now)}\n")
    try:
        clock.now += timedelta(minutes=6)
        gone = client.get("/v1/me")
        assert gone.status_code == 401, gone.json
        again = sign_in(app.test_client(), "wang.wu", PEOPLE["wang.wu"][0])
        assert again.status_code == 403 and again.json["error"]["code"] == "ACCOUNT_DISABLED", again.json
    finally:
        _ldapmodify(ldap_server, f"dn: {dn}\nchangetype: modify\ndelete: {attribute}\n-\ndelete: objectClass\n"
                                 "objectClass: extensibleObject\n")
    assert sign_in(app.test_client(), "wang.wu", PEOPLE["wang.wu"][0]).status_code == 200, "enabled again: signs in"


@pytest.mark.parametrize("attributes,why", [
    ({"userAccountControl": ["512"]}, None),  # NORMAL_ACCOUNT
    ({"userAccountControl": ["66050"]}, "ACCOUNTDISABLE"),  # 0x10202: DONT_EXPIRE_PASSWORD | NORMAL_ACCOUNT | ACCOUNTDISABLE
    ({"accountExpires": ["0"]}, None), ({"accountExpires": ["9223372036854775807"]}, None),  # never
    ({"accountExpires": [str(_filetime(NOW + timedelta(days=1)))]}, None),
    ({"accountExpires": [str(_filetime(NOW - timedelta(seconds=1)))]}, "accountExpires"),
    ({"nsAccountLock": ["false"]}, None), ({"NSACCOUNTLOCK": ["True"]}, "nsAccountLock"),
    ({"pwdAccountLockedTime": ["000001010000Z"]}, "pwdAccountLockedTime"),
    ({"pwdAccountLockedTime": ["20261206075500Z"]}, None),  # locked out after wrong passwords: ends by itself
    ({"shadowExpire": ["-1"]}, None), ({"shadowExpire": [str((NOW.date() - date(1970, 1, 1)).days + 1)]}, None),
    ({"shadowExpire": [str((NOW.date() - date(1970, 1, 1)).days)]}, "shadowExpire"),
    ({"userAccountControl": ["not a number"], "accountExpires": [""]}, None),
])
def test_what_each_directory_says_of_an_account_that_may_no_longer_be_used(attributes, why):
    reason = directory.inactive_reason(attributes, NOW)
    assert (reason is None) if why is None else (why in reason), reason
