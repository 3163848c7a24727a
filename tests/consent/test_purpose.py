"""The purpose of a call: marketing (every rule, counted by the caps) or service (only the rules the
pack's `purposes.service` lists; never counted). cn-bank binds service calls by opt-outs, deferrals,
quiet hours, holidays and the customer's windows; not by mutes, caps, suitability, scripts or consent."""

from __future__ import annotations

import io

from tests.conftest import new_key
from tests.consent.conftest import codes, wait_done


def test_a_service_call_is_not_capped_and_does_not_count_against_the_marketing_caps(api):
    service = api.check(purpose="service")
    assert service["allowed"] and service["purpose"] == "service"
    again = api.check(purpose="service")
    assert again["allowed"], "service calls are not bound by the caps"
    marketing = api.check()
    assert marketing["allowed"] and marketing["purpose"] == "marketing", "service calls were not counted"
    assert codes(api.check()) == ["FREQ_CAP"]
    assert api.check(purpose="service")["allowed"], "the marketing cap does not bind a service call"


def test_opt_outs_and_quiet_hours_bind_service_calls(api, client):
    client.post("/v1/blacklist", json={"phone": "13600136000", "source": "customer_request"}, headers=client.operator)
    assert codes(api.check("13600136000", purpose="service")) == ["DNC_OPT_OUT"]
    api.later(hours=11)  # 21:15 in Shanghai
    d = api.check(purpose="service")
    assert codes(d) == ["QUIET_HOURS"] and d["next_allowed_at"] == "2026-11-24T09:00:00+08:00"


def test_a_mute_binds_marketing_but_not_a_service_call(api, client):
    api.customer("C9", ["13800138000"])
    for _ in range(2):  # cn-bank: two complaints within 180 days mute the customer
        r = client.post("/v1/complaints", json={"customer_id": "C9", "severity": "light", "category": "service", "text": "服务态度差"},
                        headers=client.operator)
        assert r.status_code == 201, r.json
    assert "MUTED" in codes(api.check())
    service = api.check(purpose="service")
    assert service["allowed"], service["reasons"]


def test_an_unknown_purpose_is_refused_naming_the_field(client):
    r = client.post("/v1/check", json={"phone": "13800138000", "campaign": "dep-2026q4", "purpose": "sales"}, headers=client.dialer)
    assert r.status_code == 400 and "purpose" in str(r.json["error"])


def test_the_scrub_judges_a_list_for_a_purpose(api, client):
    assert api.check()["allowed"]
    body = {"campaign": "dep-2026q4", "phones": ["13800138000"]}
    marketing = client.post("/v1/check/batch", json=body, headers=client.dialer).json["results"][0]
    service = client.post("/v1/check/batch", json={**body, "purpose": "service"}, headers=client.dialer).json["results"][0]
    assert [r["code"] for r in marketing["reasons"]] == ["FREQ_CAP"] and service["allowed"]


def test_the_decision_log_keeps_the_purpose(api, client):
    d = api.check(purpose="service")
    auditor = new_key(client.application, "auditor")
    logged = client.get(f"/v1/decisions/{d['decision_id']}", headers=auditor).json
    assert logged["request"]["purpose"] == "service"


LOG = (
    "call_id,phone,called_at,campaign,purpose\n"
    "m1,13800138000,2026-11-23T10:00:00+08:00,dep-2026q4,marketing\n"
    "s1,13800138000,2026-11-23T10:30:00+08:00,dep-2026q4,service\n"
    "s2,13800138000,2026-11-23T11:00:00+08:00,dep-2026q4,service\n"
    "m2,13800138000,2026-11-23T12:00:00+08:00,dep-2026q4,\n"
    "s3,13800138000,2026-11-23T21:30:00+08:00,dep-2026q4,service\n"
    "x1,13800138000,2026-11-23T12:30:00+08:00,dep-2026q4,sales\n"
)


def test_the_audit_judges_each_call_for_its_purpose_and_counts_service_calls_apart(client):
    auditor = new_key(client.application, "auditor")
    r = client.post("/v1/audits", data={"file": (io.BytesIO(LOG.encode()), "calls.csv")}, headers=auditor)
    assert r.status_code == 202, r.json
    audit = wait_done(client, auditor, r.json["audit_id"])
    assert audit["status"] == "done", audit
    s = audit["summary"]
    assert s["rows_rejected"] == 1 and "purpose" in audit["rejected_rows"][0]["reason"]
    # Every call lacks a decision (UNCHECKED_CALL), so each has a violation; the rule violations follow.
    assert s["by_purpose"] == {"marketing": {"calls": 2, "calls_with_violations": 2}, "service": {"calls": 3, "calls_with_violations": 3}}
    rows = client.get(f"/v1/audits/{audit['audit_id']}/violations?limit=100", headers=auditor).json["violations"]
    rule_codes = {(v["call_id"], v["code"]) for v in rows if v["code"] != "UNCHECKED_CALL"}
    # m2 is capped by m1 alone (the service calls between them did not count); s3 is after 21:00.
    assert rule_codes == {("m2", "FREQ_CAP"), ("s3", "QUIET_HOURS")}


def test_a_marketing_campaigns_call_labelled_service_is_judged_and_counted_as_marketing(api, client):
    """cn-bank's 理财季度营销 (wm-2026q4) declares `purposes: [marketing]`: a dialer that labels its call `service` lifts
    neither the mute nor the caps nor suitability. Before, the label alone allowed a muted customer's call."""
    api.customer("C9", ["13800138000"])
    for _ in range(2):  # two complaints within 180 days mute the customer
        r = client.post("/v1/complaints", json={"customer_id": "C9", "severity": "light", "category": "service", "text": "服务态度差"},
                        headers=client.operator)
        assert r.status_code == 201, r.json
    d = api.check(campaign="wm-2026q4", purpose="service")
    assert not d["allowed"] and "MUTED" in codes(d), d
    assert d["purpose"] == "marketing" and d["purpose_requested"] == "service"
    # the deposit follow-up declares service: the same customer's service call is allowed, as a service call
    d = api.check(campaign="dep-2026q4", purpose="service")
    assert d["allowed"] and d["purpose"] == "service" and d["purpose_requested"] == "service"


def test_an_allowed_call_labelled_service_on_a_marketing_campaign_counts_against_the_caps(api):
    api.customer("C8", ["13800138000"], risk_level="C5")
    first = api.check(campaign="wm-2026q4", purpose="service")
    assert first["allowed"] and first["purpose"] == "marketing", first
    second = api.check(campaign="wm-2026q4", purpose="service")
    assert set(codes(second)) == {"FREQ_CAP"}, "the first was recorded as a marketing attempt"


def test_the_audit_judges_a_marketing_campaigns_service_label_as_marketing(client):
    auditor = new_key(client.application, "auditor")
    log = ("call_id,phone,called_at,campaign,purpose\n"
           "w1,13800138000,2026-11-23T10:00:00+08:00,wm-r2-2026q4,service\n"
           "w2,13800138000,2026-11-23T10:30:00+08:00,wm-r2-2026q4,service\n")
    r = client.post("/v1/audits", data={"file": (io.BytesIO(log.encode()), "calls.csv")}, headers=auditor)
    audit = wait_done(client, auditor, r.json["audit_id"])
    assert audit["status"] == "done", audit
    assert audit["summary"]["by_purpose"] == {"marketing": {"calls": 2, "calls_with_violations": 2}}
    rows = client.get(f"/v1/audits/{audit['audit_id']}/violations?limit=100", headers=auditor).json["violations"]
    assert ("w2", "FREQ_CAP") in {(v["call_id"], v["code"]) for v in rows}


def test_a_campaigns_purposes_are_validated_and_shown(client):
    r = client.put("/v1/campaigns/svc-only", json={"products": ["DEP-001"], "purposes": ["sales"]}, headers=client.operator)
    assert r.status_code == 400 and "purposes" in str(r.json["error"])
    r = client.put("/v1/campaigns/mkt-only", json={"products": ["DEP-001"], "purposes": ["marketing"]}, headers=client.operator)
    assert r.status_code in (200, 201), r.json
    assert client.get("/v1/campaigns/mkt-only", headers=client.operator).json["purposes"] == ["marketing"]
    d = client.post("/v1/check", json={"phone": "13800138000", "campaign": "mkt-only", "purpose": "service", "dry_run": True},
                    headers=client.dialer).json
    assert d["purpose"] == "marketing" and d["purpose_requested"] == "service"
    assert client.get("/v1/campaigns/wm-2026q4", headers=client.operator).json["purposes"] == ["marketing"]
