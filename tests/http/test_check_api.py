"""POST /v1/check and GET /v1/decisions over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import Clock, new_key

MON = "2026-11-23T10:15:00+08:00"


@pytest.fixture
def client(sim_app):
    c = sim_app.test_client()
    c.h = new_key(sim_app, "dialer", "operator", "auditor")
    return c


def check(client, **body):
    body.setdefault("phone", "138 0013 8000")
    body.setdefault("campaign", "dep-2026q4")
    body.setdefault("at", MON)
    r = client.post("/v1/check", json=body, headers=client.h)
    assert r.status_code == 200, r.json
    return r.json


def test_an_allowed_check_records_one_attempt_so_the_next_is_capped(client):
    first = check(client)
    assert first["allowed"] is True and first["reasons"] == [] and first["phone_e164"] == "+8613800138000"
    assert first["policy"]["pack"] == "cn-bank" and first["policy"]["version"] == "2026.4"
    assert first["evaluated_at"] == MON and first["next_allowed_at"] == MON
    second = check(client)
    assert second["allowed"] is False
    assert [r["code"] for r in second["reasons"]] == ["FREQ_CAP"]
    assert second["reasons"][0]["detail"]["window"] == "24h" and second["reasons"][0]["detail"]["count"] == 1
    assert second["reasons"][0]["message_zh"]
    assert second["next_allowed_at"] == "2026-11-24T10:15:00+08:00"


def test_a_dry_run_records_nothing_for_the_caps_but_is_logged(client):
    dry = check(client, dry_run=True)
    assert dry["allowed"] and dry["dry_run"]
    assert check(client)["allowed"]  # the dry run did not count
    logged = client.get(f"/v1/decisions/{dry['decision_id']}", headers=client.h).json
    assert logged["dry_run"] is True and logged["allowed"] is True


def test_the_decision_log_keeps_inputs_facts_reasons_and_policy(client):
    check(client)
    denied = check(client, agent_id="A17")
    logged = client.get(f"/v1/decisions/{denied['decision_id']}", headers=client.h)
    assert logged.status_code == 200
    d = logged.json
    assert d["allowed"] is False and d["agent_id"] == "A17" and d["campaign"] == "dep-2026q4"
    assert d["request"] == {"phone": "138 0013 8000", "campaign": "dep-2026q4", "agent_id": "A17", "at": MON, "dry_run": False,
                            "purpose": "marketing"}  # the purpose is recorded even when the default
    assert d["policy"] == denied["policy"] and d["reasons"][0]["code"] == "FREQ_CAP"
    assert d["next_allowed_at"] is not None and d["key_id"]
    assert len(d["facts"]["attempts"]["number"]) == 1
    assert client.get("/v1/decisions/no-such-id", headers=client.h).status_code == 404


def test_customer_profile_feeds_suitability_windows_and_customer_caps(client):
    put = client.put("/v1/customers/C001", headers=client.h, json={
        "phones": ["138 0013 8000", "139-0013-9000"], "risk_level": "C2", "risk_assessed_at": "2026-06-01T00:00:00+08:00",
    })
    assert put.status_code == 201 and put.json["phones"] == ["+8613800138000", "+8613900139000"]
    unsuitable = check(client, campaign="wm-2026q4")  # an R3 product for a C2 customer
    assert [r["code"] for r in unsuitable["reasons"]] == ["SUITABILITY"] and unsuitable["customer_id"] == "C001"
    assert unsuitable["next_allowed_at"] is None
    assert check(client, campaign="wm-r2-2026q4")["allowed"]
    # The cap on the customer holds across their numbers (24 h, 1 call).
    other = check(client, phone="13900139000", campaign="wm-r2-2026q4")
    assert [r["detail"]["scope"] for r in other["reasons"]] == ["customer"]


def test_a_sensitive_customer_gets_the_stricter_cap_at_the_next_check(client):
    client.put("/v1/customers/C9", headers=client.h, json={"phones": ["13700137000"]})
    assert check(client, phone="13700137000")["allowed"]
    later = "2026-11-27T10:15:00+08:00"  # 4 days later: normal caps allow it
    assert check(client, phone="13700137000", at=later, dry_run=True)["allowed"]
    client.put("/v1/customers/C9", headers=client.h, json={"phones": ["13700137000"], "tags": ["sensitive"]})
    d = check(client, phone="13700137000", at=later, dry_run=True)
    assert not d["allowed"] and d["cap_tier"] == "sensitive" and d["reasons"][0]["detail"]["window"] == "90d"


def test_a_us_number_is_judged_in_its_own_zones(client):
    d = check(client, phone="+1 208 555 0199", campaign="us-cc-2026", at="2026-11-23T08:30:00-07:00")
    assert [r["code"] for r in d["reasons"]] == ["QUIET_HOURS"]
    assert d["next_allowed_at"] == "2026-11-23T09:00:00-07:00" and d["timezone"] == "America/Boise"
    assert d["policy"]["pack"] == "us-tcpa"


def test_unknown_campaign_and_product_are_reasons_not_errors(client):
    d = check(client, campaign="nope")
    assert [r["code"] for r in d["reasons"]] == ["UNKNOWN_CAMPAIGN"]
    d = check(client, product="NOPE")
    assert [r["code"] for r in d["reasons"]] == ["UNKNOWN_PRODUCT"]


def test_a_campaign_requiring_an_approved_script_is_denied_until_one_exists(client):
    client.put("/v1/customers/C9", headers=client.h, json={"phones": ["13900139000"], "risk_level": "C2",
                                                           "risk_assessed_at": "2026-06-01T00:00:00+08:00"})
    d = check(client, phone="13900139000", campaign="ins-2026q4")
    assert [r["code"] for r in d["reasons"]] == ["SCRIPT_NOT_APPROVED"] and d["next_allowed_at"] is None
    # Bank-channel insurance needs a risk assessment: a stranger lacks one as well.
    d = check(client, campaign="ins-2026q4")
    assert [r["code"] for r in d["reasons"]] == ["RISK_PROFILE_MISSING", "SCRIPT_NOT_APPROVED"]


def test_products_and_campaigns_configured_over_the_api_feed_the_check(client):
    r = client.put("/v1/products/API-R5", headers=client.h, json={"type": "fund", "risk": "R5"})
    assert r.status_code == 201 and r.json["source"] == "api"
    r = client.put("/v1/campaigns/api-camp", headers=client.h, json={"products": ["API-R5"], "pack": "cn-bank"})
    assert r.status_code == 201 and r.json["pack"] == "cn-bank"
    client.put("/v1/customers/C5", headers=client.h, json={"phones": ["13600136000"], "risk_level": "C4",
                                                           "risk_assessed_at": "2026-06-01T00:00:00+08:00"})
    d = check(client, phone="13600136000", campaign="api-camp")
    assert [r["code"] for r in d["reasons"]] == ["SUITABILITY"] and d["reasons"][0]["detail"]["product_risk"] == "R5"
    bad = client.put("/v1/campaigns/api-camp2", headers=client.h, json={"products": ["NOPE"]})
    assert bad.status_code == 400 and bad.json["error"]["details"][0]["field"] == "products[0]"


def test_a_product_above_r1_cannot_be_configured_to_skip_the_risk_assessment(client):
    # The pack validator's rule (证券期货投资者适当性管理办法 第十八条, 第二十二条（三）): a product above R1 is matched
    # against the customer's assessed level, so an unassessed caller must never be offered it.
    bad = client.put("/v1/products/API-R4", headers=client.h, json={"type": "fund", "risk": "R4", "needs_risk_assessment": False})
    assert bad.status_code == 400 and bad.json["error"]["details"][0]["field"] == "needs_risk_assessment"
    assert client.get("/v1/products/API-R4", headers=client.h).status_code == 404
    ok = client.put("/v1/products/API-DEP", headers=client.h, json={"type": "deposit", "risk": "R1", "needs_risk_assessment": False})
    assert ok.status_code == 201 and ok.json["needs_risk_assessment"] is False


def test_the_clock_rule_refuses_a_dialer_clock_off_by_more_than_five_minutes(make_app):
    clock = Clock(datetime(2026, 11, 23, 2, 15, tzinfo=timezone.utc))  # 10:15 in Shanghai
    app = make_app(clock=clock)
    c = app.test_client()
    h = new_key(app, "dialer")
    body = {"phone": "13800138000", "campaign": "dep-2026q4"}
    skewed = (clock.now + timedelta(minutes=6)).isoformat()
    r = c.post("/v1/check", json={**body, "at": skewed}, headers=h)
    assert r.status_code == 400 and r.json["error"]["code"] == "CLOCK_SKEW" and r.json["error"]["details"][0]["field"] == "at"
    # Within 5 minutes the call is judged at the server clock, not the client's.
    close = (clock.now + timedelta(minutes=4)).isoformat()
    ok = c.post("/v1/check", json={**body, "at": close}, headers=h)
    assert ok.status_code == 200 and ok.json["evaluated_at"] == "2026-11-23T10:15:00+08:00"
    # A dry run may ask about any time, and is judged at that time.
    night = c.post("/v1/check", json={"phone": "13700137000", "campaign": "dep-2026q4", "at": "2026-11-23T23:00:00+08:00", "dry_run": True}, headers=h)
    assert night.status_code == 200 and [r["code"] for r in night.json["reasons"]] == ["QUIET_HOURS"]
    # Without `at`, the server clock decides.
    clock.now = datetime(2026, 11, 23, 13, 0, tzinfo=timezone.utc)  # 21:00 in Shanghai
    late = c.post("/v1/check", json={"phone": "13900139000", "campaign": "dep-2026q4"}, headers=h)
    assert [r["code"] for r in late.json["reasons"]] == ["QUIET_HOURS"]


def test_decisions_are_found_by_phone_or_customer_newest_first_with_their_outcome(client):
    client.put("/v1/customers/C8", headers=client.h, json={"phones": ["13700137000"]})
    first = check(client, phone="137 0013 7000")
    second = check(client, phone="13700137000", at="2026-11-23T10:20:00+08:00")
    assert first["allowed"] and not second["allowed"]
    r = client.post(f"/v1/calls/{first['decision_id']}/outcome", json={"disposition": "answered", "ended_at": "2026-11-23T10:16:30+08:00"},
                    headers=client.h)
    assert r.status_code == 201
    found = client.get("/v1/decisions?phone=%2B8613700137000", headers=client.h).json["decisions"]
    assert [d["decision_id"] for d in found] == [second["decision_id"], first["decision_id"]]
    assert found[1]["outcome"]["disposition"] == "answered" and found[0]["outcome"] is None
    # when the call ended, as reported, beside when it was reported (the console shows the first)
    assert datetime.fromisoformat(found[1]["outcome"]["ended_at"]) == datetime(2026, 11, 23, 2, 16, 30, tzinfo=timezone.utc)
    # and the decision read by its id says the same (the console's lookup by decision id shows whether the call was made)
    one = client.get(f"/v1/decisions/{first['decision_id']}", headers=client.h).json
    assert one["outcome"] == found[1]["outcome"]
    assert client.get(f"/v1/decisions/{second['decision_id']}", headers=client.h).json["outcome"] is None
    assert found[0]["reasons"][0]["code"] == "FREQ_CAP"
    by_customer = client.get("/v1/decisions?customer_id=C8&limit=1", headers=client.h).json["decisions"]
    assert [d["decision_id"] for d in by_customer] == [second["decision_id"]]
    older = client.get(f"/v1/decisions?customer_id=C8&before={second['evaluated_at'].replace('+', '%2B')}", headers=client.h).json
    assert [d["decision_id"] for d in older["decisions"]] == [first["decision_id"]]
    for url, field in [("/v1/decisions", "phone"), ("/v1/decisions?phone=1&customer_id=C8", "phone"),
                       ("/v1/decisions?phone=12", "phone"), ("/v1/decisions?customer_id=C8&limit=0", "limit")]:
        r = client.get(url, headers=client.h)
        assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == field, (url, r.json)


def test_paging_the_decision_log_by_next_skips_no_decision_of_the_same_instant(client):
    """Decisions judged at one instant (a dialer's `at` to the second, a dry run asked again) all come back,
    once each: paging by `before` alone (the last decision's `at`) skipped the rest of that instant."""
    made = {check(client, dry_run=True)["decision_id"] for _ in range(3)}
    later = check(client, dry_run=True, at="2026-11-23T10:16:00+08:00")["decision_id"]
    url, seen, pages = "/v1/decisions?phone=%2B8613800138000&limit=1", [], 0
    query = url
    while True:
        page = client.get(query, headers=client.h).json
        seen += [d["decision_id"] for d in page["decisions"]]
        pages += 1
        if page["next"] is None:
            break
        # pasted into the URL as it comes, unencoded: a cursor with a `+` in it would arrive with a space
        query = url + f"&before={page['next']['before']}&before_id={page['next']['before_id']}"
    assert seen[0] == later and sorted(seen[1:]) == sorted(made) and pages == 4  # the last page is full and says so
    r = client.get(url + "&before_id=" + later, headers=client.h)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "before_id"


def test_a_dialer_reads_what_it_sent_and_the_answer_not_the_customers_profile(client, sim_app):
    """Found in an adversarial review: a dialer key read any customer's phones, risk level and tags through
    the decision log (a dry run naming the customer, then GET /v1/decisions) while GET /v1/customers answers 403."""
    operator = new_key(sim_app, "operator")
    r = client.put("/v1/customers/cust-A", json={"phones": ["13800138000", "13900139000"], "risk_level": "C2",
                                                 "risk_assessed_at": "2026-06-01T00:00:00+08:00", "tags": ["sensitive"]}, headers=operator)
    assert r.status_code in (200, 201)
    dialer, other_dialer, auditor = new_key(sim_app, "dialer"), new_key(sim_app, "dialer"), new_key(sim_app, "auditor")
    assert client.get("/v1/customers/cust-A", headers=dialer).status_code == 403
    mine = client.post("/v1/check", json={"phone": "13900139000", "campaign": "dep-2026q4", "customer_id": "cust-A", "dry_run": True,
                                          "at": "2026-11-23T10:15:00+08:00"}, headers=dialer).json
    own = client.get(f"/v1/decisions/{mine['decision_id']}", headers=dialer).json
    assert own["facts"] is None and own["phone_e164"] == "+8613900139000" and own["request"]["customer_id"] == "cust-A"
    assert [x["code"] for x in own["reasons"]] == [x["code"] for x in mine["reasons"]]
    theirs = client.get(f"/v1/decisions/{mine['decision_id']}", headers=other_dialer).json
    assert theirs["facts"] is None and theirs["request"] is None
    assert (theirs["phone_e164"], theirs["phone_input"]) == ("+86139****9000", "139****9000")
    listed = client.get("/v1/decisions?customer_id=cust-A", headers=other_dialer).json["decisions"]
    assert listed and all(d["facts"] is None and "****" in d["phone_e164"] for d in listed)
    assert "C2" not in str(listed) and "sensitive" not in str(theirs)
    full = client.get(f"/v1/decisions/{mine['decision_id']}", headers=auditor).json
    assert full["facts"]["customers"][0]["risk_level"] == "C2" and full["phone_e164"] == "+8613900139000"


def test_another_keys_decision_masks_the_number_in_its_reasons_too(client, sim_app):
    """The number was masked in `phone_e164` and `phone_input` but given in full by the reasons' messages and
    details (DNC_OPT_OUT names the entry's number), so another dialer read it from GET /v1/decisions/{id} and
    from a search by customer."""
    operator = new_key(sim_app, "operator")
    assert client.put("/v1/customers/cust-B", json={"phones": ["13900139000"]}, headers=operator).status_code in (200, 201)
    assert client.post("/v1/blacklist", json={"phone": "13900139000", "source": "customer_request", "reason": "客户要求"},
                       headers=operator).status_code == 201
    dialer, other_dialer = new_key(sim_app, "dialer"), new_key(sim_app, "dialer")
    mine = client.post("/v1/check", json={"phone": "139 0013 9000", "campaign": "dep-2026q4", "at": MON}, headers=dialer).json
    assert "DNC_OPT_OUT" in [x["code"] for x in mine["reasons"]] and "+8613900139000" in str(mine["reasons"])
    own = client.get(f"/v1/decisions/{mine['decision_id']}", headers=dialer).json
    assert "+8613900139000" in str(own["reasons"])  # its own decision: as answered
    theirs = client.get(f"/v1/decisions/{mine['decision_id']}", headers=other_dialer).json
    listed = client.get("/v1/decisions?customer_id=cust-B", headers=other_dialer).json["decisions"]
    assert listed and theirs["reasons"]
    for shown in (theirs, *listed):
        assert [x["code"] for x in shown["reasons"]] == [x["code"] for x in mine["reasons"]]
        text = str(shown)
        assert "13900139000" not in text and "139 0013 9000" not in text, text
        assert "+86139****9000" in str(shown["reasons"])


def test_an_invalid_number_names_the_region_it_was_read_in(client):
    for region, expected in [("HK", "HK"), ("cn", "CN"), (None, "CN")]:  # None: the pack's region
        body = {"phone": "12345"} | ({"region": region} if region else {})
        d = check(client, **body)
        assert [r["code"] for r in d["reasons"]] == ["INVALID_NUMBER"] and d["phone_e164"] is None
        assert d["reasons"][0]["detail"] == {"input": "12345", "region": expected, "why": "not a valid number for its country"}, d
    r = client.post("/v1/check/batch", json={"campaign": "dep-2026q4", "phones": ["12345", "not a number"], "region": "HK", "at": MON},
                    headers=client.h)
    assert [x["reasons"][0]["detail"]["region"] for x in r.json["results"]] == ["HK", "HK"]


def test_a_number_written_with_an_extension_is_judged_as_its_line_and_the_reply_says_the_extension_was_dropped(client):
    """010-12345678转123 and (212) 555-0123 x45 were judged as their lines (+861012345678, +12125550123) and the reply
    said nothing of the extension: a dialer read an answer about a number it had not sent. RFC 3966 §5.1.5 (";ext="):
    the extension is not part of the number dialled, so the reply names it beside the line judged."""
    d = check(client, phone="010-12345678转123", dry_run=True)
    assert (d["phone_e164"], d["phone_extension"]) == ("+861012345678", "123"), d
    us = check(client, phone="(212) 555-0123 x45", region="US", dry_run=True)
    assert (us["phone_e164"], us["phone_extension"]) == ("+12125550123", "45"), us
    assert check(client, dry_run=True)["phone_extension"] is None


def test_a_batch_entry_written_with_an_extension_says_the_extension_was_dropped_as_the_check_does(client):
    """/v1/check/batch judged 010-12345678转123 as +861012345678 and said nothing of the 123 (RFC 3966 §5.1.5: an
    extension is not part of the number dialled); each result names it as /v1/check's phone_extension does."""
    r = client.post("/v1/check/batch", json={"campaign": "dep-2026q4", "phones": ["010-12345678转123", "13800138000"], "at": MON},
                    headers=client.h)
    assert [(x["phone_e164"], x["phone_extension"]) for x in r.json["results"]] == [("+861012345678", "123"),
                                                                                    ("+8613800138000", None)]

