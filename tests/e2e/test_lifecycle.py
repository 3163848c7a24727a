"""The suppression loop over real HTTP: gunicorn, both stores. What customers say stops the next call."""

from __future__ import annotations

import pytest

from tests.e2e.servers import GuardServer, cli, next_workday_at, request

pytestmark = pytest.mark.e2e
MON = next_workday_at()  # after the mutes this test files at the server clock


@pytest.fixture
def server(store_url: str):
    env = {"DATABASE_URL": store_url, "GUARD_ALLOW_CLIENT_TIME": "1", "GUARD_AUTO_MIGRATE": "0"}
    keys = {role: cli(env, "keys", "create", "--role", role).stdout.strip() for role in ("dialer", "operator")}
    s = GuardServer(env).start()
    s.keys = keys
    yield s
    s.stop()


def _check(server, phone: str) -> dict:
    status, body = request(server.port, "POST", "/v1/check", {"phone": phone, "campaign": "dep-2026q4", "at": MON}, server.keys["dialer"])
    assert status == 200, body
    return body


def test_check_then_complaint_twice_then_the_next_check_is_muted(server):
    status, _ = request(server.port, "PUT", "/v1/customers/E1", {"phones": ["13800138000", "13900139000"]}, server.keys["operator"])
    assert status == 201
    first = _check(server, "13800138000")
    assert first["allowed"] is True
    status, out = request(server.port, "POST", f"/v1/calls/{first['decision_id']}/outcome",
                          {"disposition": "complaint", "note": "理财经理介绍的收益和宣传不一致"}, server.keys["dialer"])
    assert status == 201 and out["effects"]["complaint"]["effects"]["tagged_sensitive"] is True
    # The agent dials the customer's other number although the guard says no (sensitive cap):
    second = _check(server, "13900139000")
    assert second["allowed"] is False and second["reasons"][0]["code"] == "FREQ_CAP"
    status, out = request(server.port, "POST", f"/v1/calls/{second['decision_id']}/outcome",
                          {"disposition": "complaint", "severity": "medium"}, server.keys["dialer"])
    assert status == 201 and out["called_despite_deny"] is True and out["effects"]["complaint"]["effects"]["mute_id"]
    third = _check(server, "13800138000")
    assert third["allowed"] is False and [r["code"] for r in third["reasons"]][0] == "MUTED"
    status, listed = request(server.port, "GET", "/v1/complaints?customer_id=E1", None, server.keys["operator"])
    assert status == 200 and len(listed["complaints"]) == 2


def test_do_not_call_over_http_blocks_every_number_of_the_customer_at_once(server):
    request(server.port, "PUT", "/v1/customers/E2", {"phones": ["13600136000", "13700137000"]}, server.keys["operator"])
    first = _check(server, "13600136000")
    status, out = request(server.port, "POST", f"/v1/calls/{first['decision_id']}/outcome", {"disposition": "do_not_call"},
                          server.keys["dialer"])
    assert status == 201
    status, again = request(server.port, "POST", f"/v1/calls/{first['decision_id']}/outcome", {"disposition": "do_not_call"},
                            server.keys["dialer"])
    assert status == 200 and again["duplicate"] is True
    other = _check(server, "13700137000")
    assert "DNC_OPT_OUT" in [r["code"] for r in other["reasons"]] and other["next_allowed_at"] is None
