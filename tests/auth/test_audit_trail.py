"""Every change made in a session is recorded under the person's name (user:<name> / ldap:<name>), not a
key id, and the pack's four eyes compare persons: a reviewer cannot approve the script they stored."""

from __future__ import annotations

import pytest

from tests.auth.conftest import PEOPLE, add_account, ldap_settings, sign_in
from tests.conftest import new_key
from tests.scripts.test_scripts_api import GOOD

FUND_SCRIPT = GOOD.replace("这款理财产品", "这只基金").replace("理财非存款、产品有风险、投资须谨慎", "基金有风险，投资须谨慎")


@pytest.fixture
def app(make_app, clock, ldap_server):
    app = make_app(clock=clock, **ldap_settings(ldap_server))
    add_account(app, "admin.wang", "Admin-Wang-pass-1", "admin", name="王管理")
    return app


def person(app, username: str, password: str | None = None):
    client = app.test_client()
    r = sign_in(client, username, password or PEOPLE[username][0])
    assert r.status_code == 200, r.json
    return client


def test_blacklist_complaints_and_customer_changes_name_the_person(app):
    zhang = person(app, "zhang.san")
    added = zhang.post("/v1/blacklist", json={"phone": "13800138000", "source": "customer_request", "reason": "客户要求"},
                       headers=zhang.csrf)
    assert added.status_code == 201 and added.json["added_by"] == "ldap:zhang.san"
    put = zhang.put("/v1/customers/C001", json={"phones": ["13900139000"], "risk_level": "C3"}, headers=zhang.csrf)
    assert put.status_code in (200, 201), put.json
    filed = zhang.post("/v1/complaints", json={"customer_id": "C001", "severity": "light", "category": "营销骚扰",
                                               "text": "一天打了三次"}, headers=zhang.csrf)
    assert filed.status_code == 201 and filed.json["created_by"] == "ldap:zhang.san", filed.json
    event = zhang.post(f"/v1/complaints/{filed.json['id']}/events", json={"type": "first_response", "by": "someone.else"},
                       headers=zhang.csrf)
    assert event.status_code == 201
    assert [e["actor"] for e in event.json["events"]] == ["ldap:zhang.san", "ldap:zhang.san"]  # a person cannot act as another

    admin = person(app, "admin.wang", "Admin-Wang-pass-1")
    removed = admin.delete("/v1/blacklist/13800138000", json={"reason": "客户撤回"}, headers=admin.csrf)
    assert removed.status_code == 200 and {e["removed_by"] for e in removed.json["removed"]} == {"user:admin.wang"}
    bl = admin.get("/v1/blacklist/13800138000").json
    assert [(e["added_by"], e["removed_by"]) for e in bl["entries"] + bl.get("history", [])] == [("ldap:zhang.san", "user:admin.wang")]

    trail = zhang.get("/v1/customers/C001/overview").json["trail"]
    actors = {(t["action"], t["actor"]) for t in trail}
    assert ("complaint_filed", "ldap:zhang.san") in actors and ("complaint_first_response", "ldap:zhang.san") in actors
    assert all(t["actor"] in ("ldap:zhang.san", "user:admin.wang") for t in trail), trail
    labels = {t["actor"]: t["actor_label"] for t in trail}
    assert labels == {"ldap:zhang.san": "张三"}  # as the directory's displayName gave it at sign-in
    admin_trail = admin.get("/v1/customers/C001/overview").json["trail"]
    assert admin_trail == trail  # reading changes nothing


def test_four_eyes_compare_persons(app):
    li, chen = person(app, "li.si"), person(app, "chen.qi")
    stored = li.post("/v1/scripts", json={"campaign": "fund-2026q4", "product_type": "fund", "text": FUND_SCRIPT}, headers=li.csrf)
    assert stored.status_code == 201 and stored.json["created_by"] == "ldap:li.si", stored.json
    # The same person signed in again (a new session) is still the same person.
    li_again = person(app, "li.si")
    own = li_again.post(f"/v1/scripts/{stored.json['id']}/approve", headers=li_again.csrf)
    assert own.status_code == 409 and own.json["error"]["code"] == "FOUR_EYES_REQUIRED" and "ldap:li.si" in own.json["error"]["message"]
    ok = chen.post(f"/v1/scripts/{stored.json['id']}/approve", headers=chen.csrf)
    assert ok.status_code == 200 and ok.json["approved_by"] == "ldap:chen.qi" and ok.json["created_by"] == "ldap:li.si"


def test_an_api_key_is_still_recorded_by_its_id(app):
    key = new_key(app, "operator")
    client = app.test_client()
    key_id = client.get("/v1/me", headers=key).json["key_id"]
    added = client.post("/v1/blacklist", json={"phone": "13800138001", "source": "manual", "reason": "x"}, headers=key)
    assert added.json["added_by"] == key_id and not key_id.startswith(("user:", "ldap:"))
