"""Per-key rate limit: a token bucket per key; over it, 429 RATE_LIMITED with Retry-After, nothing recorded."""

from __future__ import annotations

from sqlalchemy import func, select

from guard.ratelimit import RateLimiter, retry_after
from guard.store import models as m
from tests.conftest import new_key


class Ticks:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def test_the_bucket_allows_a_two_second_burst_then_the_rate():
    clock = Ticks()
    limiter = RateLimiter(5, clock=clock)
    assert [limiter.take("k") for _ in range(10)] == [0.0] * 10
    wait = limiter.take("k")
    assert 0.19 < wait <= 0.2 and retry_after(wait) == "1"
    assert limiter.take("other") == 0.0  # keys do not share a bucket
    clock.t += 0.2
    assert limiter.take("k") == 0.0 and limiter.take("k") > 0
    assert RateLimiter(0).take("k") == 0.0  # 0: no limit


def test_over_the_limit_a_key_gets_429_with_retry_after_and_nothing_is_recorded(make_app):
    app = make_app(GUARD_RATE_LIMIT="2", GUARD_ALLOW_CLIENT_TIME="1", GUARD_WORKERS="1")
    # The app's own limiter settings, on a clock that does not move: however slow this machine is,
    # no token comes back between the requests.
    limiter = app.extensions["guard"].limiter
    app.extensions["guard"].limiter = RateLimiter(limiter.rate, clock=Ticks())
    client = app.test_client()
    dialer, other = new_key(app, "dialer"), new_key(app, "dialer")
    body = {"phone": "13800138000", "campaign": "dep-2026q4", "dry_run": True, "at": "2026-11-23T10:15:00+08:00"}
    statuses = [client.post("/v1/check", json=body, headers=dialer).status_code for _ in range(6)]
    assert statuses[:4] == [200] * 4 and statuses[4:] == [429, 429]
    r = client.post("/v1/check", json=body, headers=dialer)
    assert r.status_code == 429 and r.headers["Retry-After"] == "1"
    assert r.json["error"]["code"] == "RATE_LIMITED" and r.json["error"]["details"]["retry_after_seconds"] > 0
    assert client.post("/v1/check", json=body, headers=other).status_code == 200
    with app.extensions["guard"].store.read() as conn:
        assert conn.execute(select(func.count()).select_from(m.Decision.__table__)).scalar_one() == 5
