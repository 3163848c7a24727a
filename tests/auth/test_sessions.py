"""Sessions: idle and absolute expiry, the CSRF token every change made with a session needs, sign-out,
the cookie's Secure flag, and API keys untouched by all of it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.auth.conftest import add_account, sign_in
from tests.conftest import new_key

BLACKLIST = {"phone": "13800138000", "source": "manual", "reason": "客户要求"}


@pytest.fixture
def app(make_app, clock):
    app = make_app(clock=clock, GUARD_SESSION_IDLE_MINUTES="30", GUARD_SESSION_MAX_HOURS="2")
    add_account(app, "zhang.san", "Zhang-San-local-1", "operator", name="张三")
    return app


@pytest.fixture
def client(app):
    client = app.test_client()
    assert sign_in(client, "zhang.san", "Zhang-San-local-1").status_code == 200
    return client


def test_a_session_ends_after_the_idle_time_without_requests(client, clock):
    clock.now += timedelta(minutes=29)
    assert client.get("/v1/me").status_code == 200  # activity: the idle time starts again
    clock.now += timedelta(minutes=29)
    assert client.get("/v1/me").status_code == 200
    clock.now += timedelta(minutes=30, seconds=1)
    r = client.get("/v1/me")
    assert r.status_code == 401 and r.json["error"]["code"] == "UNAUTHORIZED" and "sign in again" in r.json["error"]["message"]
    clock.now -= timedelta(minutes=31)  # ended is ended: turning back does not revive it
    assert client.get("/v1/me").status_code == 401


def test_a_session_ends_at_its_absolute_expiry_however_active(client, clock):
    for _ in range(7):
        clock.now += timedelta(minutes=17)
        assert client.get("/v1/me").status_code == 200
    clock.now += timedelta(minutes=2 * 60 - 7 * 17)
    assert client.get("/v1/me").status_code == 401


def test_the_session_says_when_it_ends(client, clock):
    s = client.get("/v1/session").json
    assert s["expires_at"] == (clock.now + timedelta(hours=2)).isoformat()
    assert s["idle_expires_at"] == (clock.now + timedelta(minutes=30)).isoformat()


def test_a_change_without_the_csrf_token_is_refused_and_changes_nothing(client):
    for headers in ({}, {"X-CSRF-Token": "forged"}, {"X-CSRF-Token": ""}):
        r = client.post("/v1/blacklist", json=BLACKLIST, headers=headers)
        assert r.status_code == 403 and r.json["error"]["code"] == "CSRF_FAILED", r.json
    assert client.get("/v1/blacklist/13800138000").json["entries"] == []
    ok = client.post("/v1/blacklist", json=BLACKLIST, headers=client.csrf)
    assert ok.status_code == 201 and ok.json["added_by"] == "user:zhang.san"


def test_every_unsafe_method_needs_the_token(client):
    assert client.post("/v1/blacklist", json=BLACKLIST, headers=client.csrf).status_code == 201
    put = client.put("/v1/customers/C9", json={"phones": ["13900139000"], "risk_level": "C3"})
    assert put.status_code == 403 and put.json["error"]["code"] == "CSRF_FAILED"
    delete = client.delete("/v1/session")
    assert delete.status_code == 403 and client.get("/v1/me").status_code == 200


def test_another_sessions_token_does_not_do(app, client):
    other = app.test_client()
    sign_in(other, "zhang.san", "Zhang-San-local-1")
    r = client.post("/v1/blacklist", json=BLACKLIST, headers=other.csrf)
    assert r.status_code == 403


def test_an_api_key_needs_no_csrf_token_and_a_key_wins_over_a_cookie(app, client):
    key = new_key(app, "operator")
    r = client.post("/v1/blacklist", json=BLACKLIST, headers=key)  # the cookie is sent too; the key is who calls
    assert r.status_code == 201 and r.json["added_by"] not in (None, "user:zhang.san")
    assert client.get("/v1/me", headers=key).json["key_id"] == r.json["added_by"]
    bad = client.get("/v1/me", headers={"Authorization": "Bearer gk_nope_nope"})
    assert bad.status_code == 401  # a bad key is not rescued by the cookie


def test_a_person_without_the_role_is_refused(client):
    r = client.post("/v1/scripts/lint", json={"text": "你好", "product_type": "wealth"}, headers=client.csrf)
    assert r.status_code == 403 and r.json["error"]["code"] == "FORBIDDEN" and "person" in r.json["error"]["message"]


def test_sign_out_ends_the_session_and_clears_the_cookie(app, client):
    cookie = client.get_cookie("guard_session").value
    r = client.delete("/v1/session", headers=client.csrf)
    assert r.status_code == 204 and "guard_session=;" in r.headers["Set-Cookie"] and "Max-Age=0" in r.headers["Set-Cookie"]
    assert client.get("/v1/me").status_code == 401
    replay = app.test_client()
    replay.set_cookie("guard_session", cookie)  # a copy of the cookie is worth nothing after sign-out
    assert replay.get("/v1/me").status_code == 401
    assert replay.post("/v1/blacklist", json=BLACKLIST, headers=client.csrf).status_code == 401
    assert app.test_client().delete("/v1/session").status_code == 204  # signing out twice is harmless


def test_the_cookie_is_secure_when_configured_or_over_https(make_app, clock):
    always = make_app(clock=clock, GUARD_COOKIE_SECURE="1")
    add_account(always, "zhang.san", "Zhang-San-local-1", "operator")
    assert "Secure" in sign_in(always.test_client(), "zhang.san", "Zhang-San-local-1").headers["Set-Cookie"]
    auto = make_app(clock=clock)
    https = auto.test_client()
    r = https.post("/v1/session", json={"username": "zhang.san", "password": "Zhang-San-local-1"},
                   headers={"X-Forwarded-Proto": "https"})
    assert r.status_code == 200 and "Secure" in r.headers["Set-Cookie"]


def test_sign_in_bodies_are_checked(app):
    c = app.test_client()
    for body in ({}, {"username": "zhang.san"}, {"username": "zhang.san", "password": ""}, {"username": 1, "password": "x"},
                 {"username": "zhang.san", "password": "Zhang-San-local-1", "role": "admin"}):
        r = c.post("/v1/session", json=body)
        assert r.status_code == 400, (body, r.json)
    assert c.get("/v1/session").status_code == 401


def test_another_sites_form_cannot_sign_the_browser_in(app):
    # Login CSRF: a page elsewhere can post a form (urlencoded, multipart or text/plain) but not JSON
    # without a preflight the guard never grants; only application/json is read.
    c = app.test_client()
    body = '{"username": "zhang.san", "password": "Zhang-San-local-1"}'
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        r = c.post("/v1/session", data=body, headers={"Content-Type": content_type})
        assert r.status_code == 415 and "Set-Cookie" not in r.headers, (content_type, r.status_code)
    assert c.get("/v1/session").status_code == 401
