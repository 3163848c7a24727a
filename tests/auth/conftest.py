"""Sign-in fixtures: a private OpenLDAP server with a bank's people and groups, apps that sign in
against it, and a client that signs a person in and sends the CSRF token its changes need."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest

from tests.conftest import Clock
from tests.ldapserver import SERVICE_DN, SERVICE_PASSWORD, LdapServer

PEOPLE = {
    "zhang.san": ("Zhang-San-pass-2026", "张三"),
    "li.si": ("Li-Si-pass-2026-x", "李四"),
    "chen.qi": ("Chen-Qi-pass-2026", "陈七"),
    "wang.wu": ("Wang-Wu-pass-2026", "王五"),
    "zhao.liu": ("Zhao-Liu-pass-2026", "赵六"),
}
GROUPS = {
    "xiaobao-ops": ["zhang.san"],           # 消保 operations
    "script-review": ["li.si", "chen.qi"],  # 话术审核
    "compliance-audit": ["wang.wu", "zhang.san"],
    "canteen": ["zhao.liu"],                # mapped to nothing
}


@pytest.fixture(scope="session")
def ldap_server():
    server = LdapServer(PEOPLE, GROUPS)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def ldap_settings(server: LdapServer, **extra: str) -> dict[str, str]:
    role_map = {server.group_dn("xiaobao-ops"): ["operator"],
                "CN=Script-Review, OU=groups, DC=bank, DC=cn": "reviewer",  # case and spaces do not matter
                "compliance-audit": ["auditor"]}                          # a group's cn will do
    return {"GUARD_LDAP_URL": server.url, "GUARD_LDAP_BIND_DN": SERVICE_DN, "GUARD_LDAP_BIND_PASSWORD": SERVICE_PASSWORD,
            "GUARD_LDAP_USER_BASE": "ou=people,dc=bank,dc=cn", "GUARD_LDAP_GROUP_BASE": "ou=groups,dc=bank,dc=cn",
            "GUARD_LDAP_ROLE_MAP": json.dumps(role_map), "GUARD_LDAP_TIMEOUT": "2", **extra}


def sign_in(client: Any, username: str, password: str) -> Any:
    """POST /v1/session; on success the client keeps the cookie and remembers the CSRF token."""
    r = client.post("/v1/session", json={"username": username, "password": password})
    if r.status_code == 200:
        client.csrf = {"X-CSRF-Token": r.json["csrf_token"]}
    return r


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 12, 2, 7, 0, tzinfo=timezone.utc))


def add_account(app: Any, username: str, password: str, *roles: str, name: str | None = None) -> None:
    from guard.services.ops.accounts import create_account

    rt = app.extensions["guard"]
    create_account(rt.store, username, password, list(roles), name, rt.clock())
