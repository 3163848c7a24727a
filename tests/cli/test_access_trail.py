"""Who gave or took access: every `guard keys` and `guard users` change is recorded with the OS user and host that ran
it (`guard access log`), in the change's own transaction, never with a secret; on PostgreSQL the trail refuses UPDATE
and DELETE. Run as an administrator runs the commands: the trail on both stores, how the listings print a label or a
name (the same code whatever the store) on SQLite."""

from __future__ import annotations

import getpass
import json
import socket

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from tests.e2e.servers import cli


def log(env, *args: str) -> list[dict]:
    r = cli(env, "access", "log", "--format", "json", *args)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_every_change_of_access_is_recorded_with_who_ran_it_and_no_secret(store_url):
    env = {"DATABASE_URL": store_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "WARNING", "SUDO_USER": "li.si"}
    key = cli(env, "keys", "create", "--role", "dialer", "--label", "外呼平台").stdout.strip()
    key_id = key.split("_")[1]
    assert cli(env, "users", "create", "wang.wu", "--role", "operator", "--password-stdin", input_="Wang-Wu-secret-1\n").returncode == 0
    assert cli(env, "users", "roles", "wang.wu", "--role", "operator", "--role", "admin").returncode == 0
    assert cli(env, "users", "passwd", "wang.wu", "--password-stdin", input_="Wang-Wu-secret-2\n").returncode == 0
    assert cli(env, "users", "disable", "wang.wu").returncode == 0
    assert cli(env, "users", "enable", "wang.wu").returncode == 0
    assert cli(env, "keys", "revoke", key_id).returncode == 0
    assert cli(env, "keys", "revoke", key_id).returncode != 0  # revoked already: nothing done, nothing recorded

    events = log(env)
    assert [(e["action"], e["subject"]) for e in events] == [
        ("key.create", key_id), ("user.create", "user:wang.wu"), ("user.roles", "user:wang.wu"), ("user.password", "user:wang.wu"),
        ("user.disable", "user:wang.wu"), ("user.enable", "user:wang.wu"), ("key.revoke", key_id)]
    me = f"cli:{getpass.getuser()}@{socket.gethostname()}"
    assert {e["by"] for e in events} == {f"{me} (sudo by li.si)"}  # the suite runs as another user than li.si
    assert events[0]["detail"] == {"roles": ["dialer"], "label": "外呼平台"}
    assert events[2]["detail"] == {"from": ["operator"], "to": ["admin", "operator"]}
    trail = json.dumps(events, ensure_ascii=False) + cli(env, "access", "log").stdout
    for secret in (key, key.split("_", 2)[2], "Wang-Wu-secret-1", "Wang-Wu-secret-2", "argon2"):
        assert secret not in trail
    assert [e["action"] for e in log(env, "--subject", "user:wang.wu", "--since", events[3]["at"])] == [
        "user.password", "user.disable", "user.enable"]
    bad = cli(env, "access", "log", "--since", "yesterday")
    assert bad.returncode == 2 and "--since" in bad.stderr

    if not store_url.startswith("postgresql"):
        return
    engine = create_engine(store_url, poolclass=NullPool)
    try:
        for sql in ("DELETE FROM access_events", "UPDATE access_events SET by = 'someone else'"):
            with pytest.raises(DBAPIError, match="append-only"):
                with engine.begin() as conn:
                    conn.execute(text(sql))
    finally:
        engine.dispose()
    assert len(log(env)) == 7


FORGED = "CTI\n000000000000\tadmin\tcreated 2026-01-01T00:00:00+00:00\tactive\tforged"


def test_a_label_or_a_name_cannot_forge_a_line_of_an_access_review(sqlite_url):
    # `keys list`, `users list` and `access log` print one record per line, tab-separated, for people reviewing who has
    # access. A key label or a display name holding a line break and tabs printed a line of its own: here an active
    # admin key 000000000000 that does not exist. Such text is now refused when given.
    env = {"DATABASE_URL": sqlite_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "WARNING"}
    r = cli(env, "keys", "create", "--role", "dialer", "--label", FORGED)
    assert r.returncode != 0 and r.stdout == "" and "--label" in r.stderr, (r.stdout, r.stderr)
    r = cli(env, "users", "create", "li.si", "--role", "operator", "--name", "李四\nfake.user\tadmin", "--password-stdin",
            input_="Li-Si-secret-123\n")
    assert r.returncode != 0 and "--name" in r.stderr, r.stderr
    for tail in ("\u2028x", "\tx", "\rx", "\x85x"):
        assert cli(env, "keys", "create", "--role", "dialer", "--label", "CTI" + tail).returncode != 0, repr(tail)
    # Chinese, spaces and punctuation stay welcome.
    assert cli(env, "keys", "create", "--role", "dialer", "--label", "外呼平台 A（CTI-1）").returncode == 0
    listed = cli(env, "keys", "list").stdout.splitlines()
    assert len(listed) == 1 and listed[0].endswith("\t外呼平台 A（CTI-1）"), listed
    assert [line.split("\t")[1] for line in cli(env, "access", "log").stdout.splitlines()] == ["key.create"]


def test_a_directional_control_in_a_label_or_a_name_is_shown_as_an_escape_in_the_listings(sqlite_url):
    # A terminal cannot isolate a field: an override (U+202E, Unicode UAX #9 §2.2) in a key label or a person's name
    # lays out the rest of its line right to left where the terminal applies the bidi algorithm (the "Trojan Source"
    # spoofing, CVE-2021-42574). The listings write each control out as <U+XXXX>; the record keeps the text as given.
    env = {"DATABASE_URL": sqlite_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "WARNING"}
    label = "CTI \u202e1 nimda"
    assert cli(env, "keys", "create", "--role", "dialer", "--label", label).returncode == 0
    r = cli(env, "users", "create", "li.si", "--role", "operator", "--name", "李四\u2067x", "--password-stdin", input_="Li-Si-secret-123\n")
    assert r.returncode == 0, r.stderr
    keys = cli(env, "keys", "list").stdout
    assert keys.rstrip("\n").endswith("\tCTI <U+202E>1 nimda") and "\u202e" not in keys, keys
    users = cli(env, "users", "list").stdout
    assert "李四<U+2067>x" in users and "\u2067" not in users, users
    trail = cli(env, "access", "log").stdout
    assert "\u202e" not in trail and "\u2067" not in trail and "<U+202E>" in trail, trail
    assert [e["detail"].get("label") for e in log(env) if e["action"] == "key.create"] == [label]  # kept as given


def test_a_label_or_a_name_written_before_the_check_still_prints_on_one_line(sqlite_url):
    # Labels and names holding a line break or a tab are refused since the check above; rows written before it keep
    # them. The listings write every control out as <U+XXXX>, so such a row still prints as one line of five fields.
    env = {"DATABASE_URL": sqlite_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "WARNING"}
    key_id = cli(env, "keys", "create", "--role", "dialer", "--label", "CTI").stdout.strip().split("_")[1]
    r = cli(env, "users", "create", "li.si", "--role", "operator", "--name", "李四", "--password-stdin", input_="Li-Si-secret-123\n")
    assert r.returncode == 0, r.stderr
    engine = create_engine(sqlite_url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE api_keys SET label = :label WHERE id = :id"), {"label": FORGED, "id": key_id})
            conn.execute(text("UPDATE accounts SET display_name = :name WHERE username = 'li.si'"), {"name": "李四\nfake.user\tadmin"})
            at = conn.execute(text("SELECT at FROM access_events ORDER BY id LIMIT 1")).scalar()
            conn.execute(text("INSERT INTO access_events (at, by, action, subject, detail) VALUES (:at, 'cli:old', 'key.create', :id, :detail)"),
                         {"at": at, "id": key_id, "detail": json.dumps({"label": FORGED, "roles": ["dialer"]})})
    finally:
        engine.dispose()
    keys = cli(env, "keys", "list").stdout.splitlines()
    assert len(keys) == 1 and keys[0].split("\t")[0] == key_id, keys
    assert keys[0].endswith("\tCTI<U+000A>000000000000<U+0009>admin<U+0009>created 2026-01-01T00:00:00+00:00<U+0009>active<U+0009>forged")
    users = cli(env, "users", "list").stdout.splitlines()
    assert len(users) == 1 and users[0].split("\t")[3] == "李四<U+000A>fake.user<U+0009>admin", users
    trail = cli(env, "access", "log").stdout.splitlines()
    assert len(trail) == 3 and all(len(line.split("\t")) == 5 for line in trail), trail
    assert [line.split("\t")[3] for line in trail].count("cli:old") == 1
    assert [e["detail"]["label"] for e in log(env) if e["by"] == "cli:old"] == [FORGED]  # the JSON keeps the text as stored
