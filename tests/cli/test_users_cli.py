"""`guard users`: local accounts managed from the command line, as an administrator runs it."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.e2e.servers import BIN, ROOT


@pytest.fixture
def env(sqlite_url: str) -> dict[str, str]:
    return {"DATABASE_URL": sqlite_url, "GUARD_LOG_LEVEL": "WARNING"}


def users(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "flask"), "--app", "app", "guard", "users", *args], cwd=ROOT, env={**os.environ, **env},
                          input=stdin, capture_output=True, text=True, timeout=120)


def sign_in(env, username: str, password: str):
    from app import create_app

    app = create_app({**env, "GUARD_AUTO_MIGRATE": "0"})
    try:
        return app.test_client().post("/v1/session", json={"username": username, "password": password})
    finally:
        app.extensions["guard"].store.dispose()


def test_create_list_passwd_disable_enable(env):
    created = users(env, "create", "zhang.san", "--role", "operator", "--role", "auditor", "--name", "张三", "--password-stdin",
                    stdin="Zhang-San-cli-pass\n")
    assert created.returncode == 0, created.stderr
    assert "user:zhang.san" in created.stderr and created.stdout == ""
    listed = json.loads(users(env, "list", "--format", "json").stdout)
    assert [(u["username"], u["roles"], u["display_name"], u["disabled_at"]) for u in listed] == [
        ("zhang.san", ["auditor", "operator"], "张三", None)]
    assert "Zhang-San-cli-pass" not in users(env, "list").stdout
    assert sign_in(env, "zhang.san", "Zhang-San-cli-pass").status_code == 200

    assert users(env, "passwd", "zhang.san", "--password-stdin", stdin="Another-cli-pass-2\n").returncode == 0
    assert sign_in(env, "zhang.san", "Zhang-San-cli-pass").status_code == 401
    assert sign_in(env, "zhang.san", "Another-cli-pass-2").status_code == 200

    assert users(env, "roles", "zhang.san", "--role", "reviewer").returncode == 0
    assert sign_in(env, "zhang.san", "Another-cli-pass-2").json["roles"] == ["reviewer"]

    disabled = users(env, "disable", "zhang.san")
    assert disabled.returncode == 0 and "disabled zhang.san" in disabled.stderr
    assert sign_in(env, "zhang.san", "Another-cli-pass-2").json["error"]["code"] == "ACCOUNT_DISABLED"
    assert "disabled" in users(env, "list").stdout
    enabled = users(env, "enable", "zhang.san")
    assert enabled.returncode == 0, enabled.stderr
    r = sign_in(env, "zhang.san", "Another-cli-pass-2")
    assert r.status_code == 200, r.json


def test_refusals_name_the_problem_and_change_nothing(env):
    weak = users(env, "create", "li.si", "--role", "operator", "--password-stdin", stdin="short\n")
    assert weak.returncode == 1 and "12 characters" in weak.stderr
    bad_role = users(env, "create", "li.si", "--role", "root", "--password-stdin", stdin="Li-Si-cli-password\n")
    assert bad_role.returncode == 2 and "root" in bad_role.stderr
    bad_name = users(env, "create", "李四", "--role", "operator", "--password-stdin", stdin="Li-Si-cli-password\n")
    assert bad_name.returncode == 1 and "username" in bad_name.stderr
    assert users(env, "list").stdout == ""
    assert users(env, "create", "li.si", "--role", "operator", "--password-stdin", stdin="Li-Si-cli-password\n").returncode == 0
    again = users(env, "create", "li.si", "--role", "operator", "--password-stdin", stdin="Li-Si-cli-password\n")
    assert again.returncode == 1 and "exists already" in again.stderr
    missing = users(env, "disable", "nobody")
    assert missing.returncode == 1 and "no account 'nobody'" in missing.stderr


def test_the_password_is_asked_twice_on_a_terminal_prompt(env):
    mismatch = users(env, "create", "wang.wu", "--role", "auditor", stdin="Wang-Wu-cli-pass-1\nsomething-else-22\n")
    assert mismatch.returncode != 0 and users(env, "list").stdout == ""
    ok = users(env, "create", "wang.wu", "--role", "auditor", stdin="Wang-Wu-cli-pass-1\nWang-Wu-cli-pass-1\n")
    assert ok.returncode == 0, ok.stderr
