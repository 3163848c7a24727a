"""Local accounts: sign-in, the same refusal for a wrong password and an unknown name, disabled
accounts, the backoff after repeated failures, and the session cookie's attributes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from guard.services.ops.accounts import AccountError, set_disabled
from tests.auth.conftest import add_account, sign_in


@pytest.fixture
def app(make_app, clock):
    app = make_app(clock=clock)
    add_account(app, "zhang.san", "Zhang-San-local-1", "operator", "auditor", name="张三")
    return app


def test_a_person_signs_in_and_the_session_cookie_is_httponly_strict_and_not_readable(app):
    client = app.test_client()
    r = sign_in(client, "Zhang.San ", "Zhang-San-local-1")  # names are compared without case or spaces around
    assert r.status_code == 200, r.json
    assert r.json["actor"] == "user:zhang.san" and r.json["name"] == "张三" and r.json["roles"] == ["auditor", "operator"]
    assert r.headers["Cache-Control"] == "no-store"
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("guard_session=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain HTTP and GUARD_COOKIE_SECURE=auto
    session_id = cookie.split(";")[0].split("=", 1)[1]
    assert len(session_id) >= 43 and session_id not in r.get_data(as_text=True)  # the id is in the cookie only
    me = client.get("/v1/me")
    assert me.status_code == 200 and me.json["actor"] == "user:zhang.san" and me.json["key_id"] is None and me.json["label"] == "张三"
    assert client.get("/v1/session").json["csrf_token"] == r.json["csrf_token"]


def test_the_store_keeps_only_a_hash_of_the_session_id(app):
    from sqlalchemy import select

    from guard.store import models as m

    client = app.test_client()
    r = sign_in(client, "zhang.san", "Zhang-San-local-1")
    session_id = r.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    with app.extensions["guard"].store.read() as conn:
        rows = conn.execute(select(m.WebSession.__table__)).all()
    assert len(rows) == 1 and rows[0].id_hash != session_id and len(rows[0].id_hash) == 64


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(app):
    client = app.test_client()
    wrong = sign_in(client, "zhang.san", "not-the-password")
    unknown = sign_in(client, "nobody.here", "not-the-password")
    malformed = sign_in(client, "no spaces allowed", "not-the-password")
    for r in (wrong, unknown, malformed):
        assert r.status_code == 401 and r.json["error"]["code"] == "SIGN_IN_FAILED", r.json
        assert "Set-Cookie" not in r.headers
    assert wrong.json["error"]["message"] == unknown.json["error"]["message"] == malformed.json["error"]["message"]
    assert client.get("/v1/me").status_code == 401


def test_an_unknown_name_takes_as_long_as_a_wrong_password(make_app, clock):
    # The answer's timing must not tell whether an account exists: an unknown name is checked against a
    # dummy argon2 hash (~0.1-0.3 s here). Without it the answer comes in a few milliseconds.
    import time

    app = make_app(clock=clock, GUARD_SIGNIN_MAX_FAILURES="100")
    add_account(app, "zhang.san", "Zhang-San-local-1", "operator")

    def took(name: str) -> float:
        started = time.perf_counter()
        assert sign_in(app.test_client(), name, "not-the-password").status_code == 401
        return time.perf_counter() - started

    took("zhang.san"), took("nobody.here")  # warm up (the dummy hash is made once)
    # The two kinds taken in turn, the fastest of each: a neighbour's load (the suite runs on two workers) falls on both
    # alike, where three of one kind and then three of the other could each meet a different load.
    times: dict[str, list[float]] = {"zhang.san": [], "nobody.here": []}
    for _ in range(4):
        for name in times:
            times[name].append(took(name))
    wrong, unknown = min(times["zhang.san"]), min(times["nobody.here"])
    assert unknown > 0.5 * wrong and wrong > 0.5 * unknown, (wrong, unknown)


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end_at_once(app):
    client = app.test_client()
    assert sign_in(client, "zhang.san", "Zhang-San-local-1").status_code == 200
    rt = app.extensions["guard"]
    assert set_disabled(rt.store, "zhang.san", True, rt.clock()) == 1
    assert client.get("/v1/me").status_code == 401
    r = sign_in(app.test_client(), "zhang.san", "Zhang-San-local-1")
    assert r.status_code == 403 and r.json["error"]["code"] == "ACCOUNT_DISABLED"
    # A wrong password for a disabled account says nothing about its state.
    assert sign_in(app.test_client(), "zhang.san", "wrong-password").json["error"]["code"] == "SIGN_IN_FAILED"
    set_disabled(rt.store, "zhang.san", False, rt.clock())
    assert sign_in(app.test_client(), "zhang.san", "Zhang-San-local-1").status_code == 200


def test_repeated_failures_lock_the_name_with_a_growing_backoff_whether_or_not_it_exists(app, clock):
    client = app.test_client()
    for name in ("zhang.san", "ghost"):
        for _ in range(5):  # GUARD_SIGNIN_MAX_FAILURES
            assert sign_in(client, name, "wrong-password").status_code == 401
        locked = sign_in(client, name, "wrong-password")
        assert locked.status_code == 429 and locked.json["error"]["code"] == "SIGN_IN_LOCKED", locked.json
        assert 55 <= int(locked.headers["Retry-After"]) <= 61
    # Locked: even the right password is refused, and says no more than for the made-up name.
    r = sign_in(client, "zhang.san", "Zhang-San-local-1")
    assert r.status_code == 429 and "Set-Cookie" not in r.headers
    clock.now += timedelta(seconds=61)
    assert sign_in(client, "zhang.san", "wrong-password").status_code == 401  # the 6th failure: locked for 2 minutes
    clock.now += timedelta(seconds=61)
    assert sign_in(client, "zhang.san", "Zhang-San-local-1").status_code == 429
    clock.now += timedelta(seconds=60)
    assert sign_in(client, "zhang.san", "Zhang-San-local-1").status_code == 200
    # A success clears the count: one more failure does not lock.
    assert sign_in(app.test_client(), "zhang.san", "wrong-password").status_code == 401
    assert sign_in(app.test_client(), "zhang.san", "Zhang-San-local-1").status_code == 200


def test_guesses_made_at_once_get_no_more_answers_than_the_lock_allows(app):
    # The lock was read before the password was checked and the failure counted after, so guesses sent together
    # all passed the lock: 40 at once got 12 answers "wrong password" on a 2-core server instead of 5. Now a guess
    # that finds the name locked by then is answered 429 whatever its password, the right one too (a different
    # answer for it would tell the guesser which one was right).
    from concurrent.futures import ThreadPoolExecutor

    passwords = [f"wrong-password-{i}" for i in range(23)] + ["Zhang-San-local-1"]
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda pw: sign_in(app.test_client(), "zhang.san", pw).status_code, passwords))
    assert statuses.count(401) == 5 and set(statuses) == {401, 429}, statuses  # GUARD_SIGNIN_MAX_FAILURES
    assert statuses[-1] == 429  # the right password, tried after the name was locked


def test_signing_in_again_rotates_the_session_id_and_ends_the_old_one(app):
    client = app.test_client()
    first = sign_in(client, "zhang.san", "Zhang-San-local-1").headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    second = sign_in(client, "zhang.san", "Zhang-San-local-1").headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    assert first != second
    stale = app.test_client()
    stale.set_cookie("guard_session", first)
    assert stale.get("/v1/me").status_code == 401
    assert client.get("/v1/me").status_code == 200


def test_a_planted_session_id_is_not_adopted_at_sign_in(app):
    client = app.test_client()
    client.set_cookie("guard_session", "planted-by-someone-else")
    r = sign_in(client, "zhang.san", "Zhang-San-local-1")
    assert r.status_code == 200 and "planted-by-someone-else" not in r.headers["Set-Cookie"]


def test_local_accounts_can_be_switched_off(make_app, clock):
    app = make_app(clock=clock, GUARD_LOCAL_ACCOUNTS="0")
    add_account(app, "zhang.san", "Zhang-San-local-1", "operator")
    assert sign_in(app.test_client(), "zhang.san", "Zhang-San-local-1").json["error"]["code"] == "SIGN_IN_FAILED"


def test_switching_local_accounts_off_ends_the_sessions_they_signed_in(app, make_app, clock):
    client = app.test_client()
    assert sign_in(client, "zhang.san", "Zhang-San-local-1").status_code == 200
    cookie = client.get_cookie("guard_session").value
    restarted = make_app(clock=clock, GUARD_LOCAL_ACCOUNTS="0").test_client()  # the guard restarted with the setting off
    restarted.set_cookie("guard_session", cookie)
    assert restarted.get("/v1/me").status_code == 401
    assert client.get("/v1/me").status_code == 401, "ended, not only refused while the setting is off"


def test_accounts_refuse_bad_names_short_passwords_unknown_roles_and_duplicates(app):
    with pytest.raises(AccountError, match="username"):
        add_account(app, "张三", "Zhang-San-local-1", "operator")
    with pytest.raises(AccountError, match="username"):
        add_account(app, "a" * 28, "Zhang-San-local-1", "operator")
    with pytest.raises(AccountError, match="12 characters"):
        add_account(app, "li.si", "short", "operator")
    with pytest.raises(AccountError, match="unknown role"):
        add_account(app, "li.si", "Li-Si-local-pass", "superuser")
    with pytest.raises(AccountError, match="exists already"):
        add_account(app, "ZHANG.SAN", "Zhang-San-local-2", "operator")


def test_the_password_hash_is_argon2id(app):
    from guard.store.accounts import account

    row = account(app.extensions["guard"].store, "zhang.san")
    assert row.password_hash.startswith("$argon2id$") and "Zhang-San-local-1" not in row.password_hash
