"""An app on a settable clock (Monday 2026-11-23 10:15 Shanghai, inside the default windows) with keys."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import Clock, new_key

MON = datetime(2026, 11, 23, 2, 15, tzinfo=timezone.utc)  # 10:15 in Shanghai


@pytest.fixture
def clock() -> Clock:
    return Clock(MON)


@pytest.fixture
def app(make_app, clock):
    return make_app(clock=clock)


@pytest.fixture
def client(app):
    c = app.test_client()
    c.dialer = new_key(app, "dialer")
    c.operator = new_key(app, "operator")
    c.admin = new_key(app, "admin")
    return c


class Api:
    """Small helpers over the test client, asserting the status each call must have."""

    def __init__(self, client, clock):
        self.c = client
        self.clock = clock

    def check(self, phone="13800138000", campaign="dep-2026q4", status=200, **extra):
        r = self.c.post("/v1/check", json={"phone": phone, "campaign": campaign, **extra}, headers=self.c.dialer)
        assert r.status_code == status, r.json
        return r.json

    def outcome(self, decision_id, disposition, status=201, **extra):
        r = self.c.post(f"/v1/calls/{decision_id}/outcome", json={"disposition": disposition, **extra}, headers=self.c.dialer)
        assert r.status_code == status, r.json
        return r.json

    def customer(self, cid, phones, **extra):
        r = self.c.put(f"/v1/customers/{cid}", json={"phones": phones, "risk_level": "C3",
                                                     "risk_assessed_at": "2026-06-01T00:00:00+08:00", **extra},
                       headers=self.c.operator)
        assert r.status_code in (200, 201), r.json
        return r.json

    def later(self, **delta):
        self.clock.now = self.clock.now + timedelta(**delta)


@pytest.fixture
def api(client, clock) -> Api:
    return Api(client, clock)


def codes(decision: dict) -> list[str]:
    return [r["code"] for r in decision["reasons"]]
