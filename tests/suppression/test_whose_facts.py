"""Whose facts count (SPEC §7): the customers of a call are the customer the request names and the
number's recorded owner. A dialer that names the wrong customer, by mistake or to get round a
suppression, gets the owner's blacklist entries, mutes, deferrals, tags and caps all the same,
at /v1/check, in the scrub and in the audit."""

from __future__ import annotations

import shutil
import time

import pytest
import yaml

from tests.conftest import PACKS, new_key
from tests.suppression.conftest import codes

B_PHONE = "13900139011"


def owned_by_b(api) -> None:
    api.customer("B", [B_PHONE, "13900139012"])


def test_naming_someone_else_does_not_lift_the_owners_opt_out(api, client):
    owned_by_b(api)
    first = api.check(B_PHONE)
    api.outcome(first["decision_id"], "do_not_call")
    api.later(days=2)
    plain = api.check(B_PHONE)
    spoofed = api.check(B_PHONE, customer_id="someone-else")
    assert "DNC_OPT_OUT" in codes(plain) and "DNC_OPT_OUT" in codes(spoofed)
    assert spoofed["allowed"] is False and spoofed["customer_id"] == "B"
    assert spoofed["customers"] == ["B", "someone-else"] and spoofed["customer_mismatch"] is True
    # B's other number too: the opt-out is on the customer.
    assert "DNC_OPT_OUT" in codes(api.check("13900139012", customer_id="someone-else"))
    logged = client.get(f"/v1/decisions/{spoofed['decision_id']}", headers=client.operator).json
    assert logged["facts"]["owner"] == "B" and logged["facts"]["named_customer"] == "someone-else"
    assert logged["facts"]["customer_mismatch"] is True


def test_naming_someone_else_does_not_lift_a_mute_or_the_sensitive_caps(api, client):
    owned_by_b(api)
    for _ in range(2):  # cn-bank mutes after 2 complaints within 180 days
        r = client.post("/v1/complaints", json={"customer_id": "B", "severity": "light"}, headers=client.operator)
        assert r.status_code == 201
    d = api.check(B_PHONE, customer_id="C-elsewhere")
    assert "MUTED" in codes(d) and d["cap_tier"] == "sensitive"


def test_the_named_customers_own_suppressions_count_as_well(api, client):
    owned_by_b(api)
    api.customer("Y", ["13700137011"])
    r = client.post("/v1/blacklist", json={"customer_id": "Y", "source": "customer_request"}, headers=client.operator)
    assert r.status_code == 201
    d = api.check(B_PHONE, customer_id="Y")
    assert codes(d) == ["DNC_OPT_OUT"] and d["reasons"][0]["detail"]["customer_id"] == "Y"


def test_every_customers_cap_counts_the_call(api):
    owned_by_b(api)
    assert api.check(B_PHONE, customer_id="Y")["allowed"]
    api.later(hours=25)  # past the number's 24 h cap and the customers' 24 h caps
    # The call counted for B (the owner) and for Y (named): each one's 24 h cap clears, the 30 d ones count it.
    api.later(days=1)
    assert api.check("13900139012")["allowed"]  # B's second call in 30 days
    api.later(days=1)
    assert api.check("13700137099", customer_id="B")["allowed"]  # B's third, on a number nobody owns
    api.later(days=1)
    over = api.check(B_PHONE)
    assert codes(over) == ["FREQ_CAP"] and over["reasons"][0]["detail"] == {
        **over["reasons"][0]["detail"], "scope": "customer", "window": "30d", "count": 3, "customer_id": "B"}
    # Y was named once: Y's own cap has room.
    assert api.check("13700137011", customer_id="Y")["allowed"]


def test_the_strictest_risk_profile_of_the_calls_customers_decides(api):
    api.customer("B", [B_PHONE], risk_level="C5")
    api.customer("Y", [], risk_level="C1")
    assert api.check(B_PHONE, campaign="wm-2026q4", dry_run=True, at=api.clock.now.isoformat())["allowed"]
    d = api.check(B_PHONE, campaign="wm-2026q4", customer_id="Y", dry_run=True, at=api.clock.now.isoformat())
    assert codes(d) == ["SUITABILITY"] and d["reasons"][0]["detail"]["customer_id"] == "Y"


def test_the_scrub_judges_a_number_by_its_owner(api, client):
    owned_by_b(api)
    api.outcome(api.check(B_PHONE)["decision_id"], "do_not_call")
    api.later(days=2)
    r = client.post("/v1/check/batch", json={"campaign": "dep-2026q4", "phones": [B_PHONE, "13700137055"]}, headers=client.dialer)
    assert r.status_code == 200
    assert [codes(x) for x in r.json["results"]] == [["DNC_OPT_OUT"], []]


@pytest.fixture
def strict_app(make_app, clock, tmp_path):
    """The shipped packs with cn-bank set to deny a request naming someone other than the owner."""
    target = tmp_path / "packs"
    shutil.copytree(PACKS, target)
    path = target / "cn-bank-2026.4.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["customer_mismatch"] = "deny"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return make_app(clock=clock, GUARD_POLICY_DIR=str(target))


def test_a_pack_can_deny_a_mismatch_outright(strict_app):
    c = strict_app.test_client()
    key = new_key(strict_app, "dialer", "operator")
    assert c.put("/v1/customers/B", json={"phones": [B_PHONE]}, headers=key).status_code == 201
    d = c.post("/v1/check", json={"phone": B_PHONE, "campaign": "dep-2026q4", "customer_id": "X"}, headers=key).json
    assert codes(d) == ["CUSTOMER_MISMATCH"] and d["next_allowed_at"] is None
    assert d["reasons"][0]["detail"] == {"named_customer": "X", "owner": "B"}
    # Naming the owner, or nobody, or anyone on a number nobody owns is no mismatch.
    for body in ({"customer_id": "B"}, {}, {"customer_id": "X", "phone": "13700137055"}):
        d = c.post("/v1/check", json={"phone": B_PHONE, "campaign": "dep-2026q4", "dry_run": True, **body}, headers=key).json
        assert "CUSTOMER_MISMATCH" not in codes(d)


def _audit(client, key, log: str) -> dict[str, list[str]]:
    r = client.post("/v1/audits", data=log.encode(), headers={**key, "Content-Type": "text/csv"})
    assert r.status_code == 202, r.json
    audit_id = r.json["audit_id"]
    for _ in range(200):
        status = client.get(f"/v1/audits/{audit_id}", headers=key).json
        if status["status"] in ("done", "failed"):
            break
        time.sleep(0.05)
    assert status["status"] == "done", status
    found: dict[str, list[str]] = {}
    for v in client.get(f"/v1/audits/{audit_id}/violations?limit=1000", headers=key).json["violations"]:
        found.setdefault(v["call_id"], []).append(v["code"])
    return found


def test_the_audit_judges_a_logged_call_by_every_customer_too(make_app, clock, tmp_path):
    app = make_app(clock=clock, GUARD_DATA_DIR=str(tmp_path / "data"))
    c = app.test_client()
    key = new_key(app, "admin")
    assert c.put("/v1/customers/B", json={"phones": [B_PHONE]}, headers=key).status_code == 201
    for _ in range(2):
        assert c.post("/v1/complaints", json={"customer_id": "B", "severity": "light"}, headers=key).status_code == 201
    clock.now = clock.now.replace(minute=40)
    at = clock.now.isoformat()
    log = ("call_id,phone,called_at,campaign,customer_id\n"
           f"spoofed,{B_PHONE},{at},dep-2026q4,someone-else\n"
           f"plain,{B_PHONE},{at},dep-2026q4,\n")
    found = _audit(c, key, log)
    assert sorted(found["spoofed"]) == ["MUTED", "UNCHECKED_CALL"]
    assert sorted(found["plain"]) == ["FREQ_CAP", "MUTED", "UNCHECKED_CALL"]  # the same customer, called twice at once


def test_audit_and_check_use_the_pack_a_configured_campaign_names(make_app, clock, tmp_path):
    """A campaign configured to be governed by us-tcpa: Monday 20:30 in New York is inside us-tcpa's
    08:00-21:00, so the check allows it, and the audit of the same call finds nothing but the log's
    own missing decision."""
    app = make_app(clock=clock, GUARD_DATA_DIR=str(tmp_path / "data"))
    c = app.test_client()
    key = new_key(app, "admin")
    r = c.put("/v1/campaigns/probe", json={"pack": "us-tcpa", "products": ["US-DEP-001"]}, headers=key)
    assert r.status_code == 201
    clock.now = clock.now.replace(day=24, hour=1, minute=30)  # Mon 2026-11-23 20:30 in New York
    d = c.post("/v1/check", json={"phone": "+12125550123", "campaign": "probe"}, headers=key).json
    assert d["allowed"] and d["policy"]["pack"] == "us-tcpa"
    log = f"call_id,phone,called_at,campaign,decision_id\nny,+12125550123,{clock.now.isoformat()},probe,{d['decision_id']}\n"
    assert _audit(c, key, log) == {}
