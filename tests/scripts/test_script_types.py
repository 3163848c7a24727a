"""Which product types a script is linted under (both stores).

A lint with no type applies every rule; a stored script takes its types from its campaign's
products (a type it names must be one of them); approval lints the version again under every type
the campaign sells then, and /v1/check keeps answering SCRIPT_NOT_APPROVED while nothing passes.
"""

from __future__ import annotations


from guard.core.vocabularies import codes

EVERY_TYPE = list(codes("product_types"))
# The tester's script: banned for wealth, fund and insurance; a deposit script may say it (one warning).
BAO_BEN = "这款理财保本保息，零风险"
WEALTH = ("您好，我是XX银行理财经理，为保障您的权益，本次通话将被录音。这款理财产品风险等级R2，业绩比较基准为年化3.2%，"
          "业绩比较基准不代表未来表现和实际收益。理财非存款、产品有风险、投资须谨慎。")
WEALTH_AND_FUND = WEALTH + "基金有风险，投资须谨慎；基金过往业绩不代表其未来表现。"


def reasons(client, campaign: str) -> list[str]:
    r = client.post("/v1/check", json={"phone": "13800138000", "campaign": campaign, "at": "2026-11-23T10:15:00+08:00",
                                       "dry_run": True}, headers=client.dialer)
    assert r.status_code == 200, r.json
    return [x["code"] for x in r.json["reasons"]]


def store(client, **body):
    return client.post("/v1/scripts", json=body, headers=client.reviewer)


def rules(findings) -> set[str]:
    return {f["rule"] for f in findings}


def test_lint_without_a_type_applies_every_rule(client):
    typed = client.post("/v1/scripts/lint", json={"text": BAO_BEN, "product_type": "deposit"}, headers=client.reviewer)
    assert typed.status_code == 200 and typed.json["verdict"] == "warn" and typed.json["product_types"] == ["deposit"]
    r = client.post("/v1/scripts/lint", json={"text": BAO_BEN}, headers=client.reviewer)
    assert r.status_code == 200 and r.json["verdict"] == "fail", r.json
    assert r.json["product_types"] == EVERY_TYPE
    found = r.json["findings"]
    assert {"guarantee.principal_and_interest", "guarantee.zero_risk"} <= rules(found)
    # Disclosures of every type (wealth's, insurance's, loans'), each finding once although several types share it.
    assert {"disclosure.investment_risk", "disclosure.cooling_off", "disclosure.apr"} <= rules(found)
    keys = [(f["rule"], f["start"], f["end"]) for f in found]
    assert len(keys) == len(set(keys))
    for f in found:
        assert BAO_BEN[f["start"]:f["end"]] == f["matched"]
    # Phrase findings first, in text order, as the linter orders them.
    located = [f["start"] for f in found if f["code"] != "MISSING_DISCLOSURE"]
    assert located == sorted(located) and found[0]["matched"] == "保本保息"


def test_lint_as_a_campaigns_script_uses_its_types(client):
    r = client.post("/v1/scripts/lint", json={"text": BAO_BEN, "campaign": "dep-2026q4"}, headers=client.reviewer)
    assert r.status_code == 200 and r.json["product_types"] == ["deposit"] and r.json["verdict"] == "warn", r.json
    r = client.post("/v1/scripts/lint", json={"text": BAO_BEN, "campaign": "ins-2026q4"}, headers=client.reviewer)
    assert r.json["product_types"] == ["insurance"] and r.json["verdict"] == "fail"
    assert "disclosure.apr" not in rules(r.json["findings"])  # a loan's disclosure: not this campaign's
    bad = client.post("/v1/scripts/lint", json={"text": BAO_BEN, "campaign": "ins-2026q4", "product_type": "deposit"},
                      headers=client.reviewer)
    assert bad.status_code == 400 and bad.json["error"]["details"][0]["field"] == "product_type"


def test_a_type_the_campaign_does_not_sell_is_refused_and_nothing_is_stored(client):
    r = store(client, campaign="ins-2026q4", product_type="deposit", text=BAO_BEN)
    assert r.status_code == 400, r.json
    detail = r.json["error"]["details"][0]
    assert detail["field"] == "product_type" and detail["campaign_product_types"] == ["insurance"]
    assert "insurance" in r.json["error"]["message"] and "deposit" in r.json["error"]["message"]
    assert client.get("/v1/scripts?campaign=ins-2026q4", headers=client.reviewer).json["scripts"] == []
    # The type the campaign sells is accepted, and recorded.
    ok = store(client, campaign="ins-2026q4", product_type="insurance", text=BAO_BEN)
    assert ok.status_code == 201 and ok.json["product_type"] == "insurance" and ok.json["product_types"] == ["insurance"]


def test_a_script_for_a_campaign_configured_nowhere_is_refused_naming_the_campaign(client):
    # A reviewer's typo (Q4 for q4): the version would be approved for a campaign no check reads, while the real one
    # keeps answering SCRIPT_NOT_APPROVED.
    for path, body in (("/v1/scripts", {"campaign": "ins-2026Q4", "text": WEALTH}),
                       ("/v1/scripts/lint", {"campaign": "ins-2026Q4", "text": WEALTH})):
        r = client.post(path, json=body, headers=client.reviewer)
        assert r.status_code == 400, (path, r.json)
        assert r.json["error"]["details"][0]["field"] == "campaign" and "ins-2026Q4" in r.json["error"]["message"]
    assert client.get("/v1/scripts?campaign=ins-2026Q4", headers=client.reviewer).json["scripts"] == []
    # Without a campaign, a lint is still a lint by every rule.
    assert client.post("/v1/scripts/lint", json={"text": WEALTH}, headers=client.reviewer).status_code == 200


def test_the_insurance_campaigns_bao_ben_script_cannot_be_approved(client):
    assert "SCRIPT_NOT_APPROVED" in reasons(client, "ins-2026q4")
    assert store(client, campaign="ins-2026q4", product_type="deposit", text=BAO_BEN).status_code == 400
    saved = store(client, campaign="ins-2026q4", text=BAO_BEN)
    assert saved.status_code == 201, saved.json
    assert saved.json["product_type"] is None and saved.json["product_types"] == ["insurance"]
    assert saved.json["verdict"] == "fail"
    assert {"guarantee.principal_and_interest", "disclosure.cooling_off"} <= rules(saved.json["findings"])
    assert "disclosure.apr" not in rules(saved.json["findings"])
    refused = client.post(f"/v1/scripts/{saved.json['id']}/approve", headers=client.checker)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "SCRIPT_FAILS_LINT"
    [detail] = refused.json["error"]["details"]
    assert detail["product_type"] == "insurance" and detail["verdict"] == "fail"
    assert "guarantee.principal_and_interest" in rules(detail["findings"])
    assert client.get(f"/v1/scripts/{saved.json['id']}", headers=client.reviewer).json["approved_at"] is None
    assert "SCRIPT_NOT_APPROVED" in reasons(client, "ins-2026q4")


def test_approval_lints_under_the_types_the_campaign_sells_now(client):
    """Stored while the campaign sold deposits only (warn), approved after it took on an insurance product: refused."""
    put = client.put("/v1/campaigns/bundle", json={"products": ["DEP-001"], "require_approved_script": True},
                     headers=client.operator)
    assert put.status_code == 201, put.json
    saved = store(client, campaign="bundle", text=BAO_BEN)
    assert saved.status_code == 201 and saved.json["product_types"] == ["deposit"] and saved.json["verdict"] == "warn"
    client.put("/v1/campaigns/bundle", json={"products": ["DEP-001", "INS-R1-001"], "require_approved_script": True},
               headers=client.operator)
    refused = client.post(f"/v1/scripts/{saved.json['id']}/approve", headers=client.checker)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "SCRIPT_FAILS_LINT", refused.json
    per_type = {d["product_type"]: d for d in refused.json["error"]["details"]}
    assert set(per_type) == {"deposit", "insurance"}
    assert per_type["deposit"]["verdict"] == "warn" and per_type["insurance"]["verdict"] == "fail"
    assert "insurance" in refused.json["error"]["message"]
    assert "SCRIPT_NOT_APPROVED" in reasons(client, "bundle")


def test_a_campaign_of_two_types_lints_and_approves_under_both(client):
    put = client.put("/v1/campaigns/wm-fund", json={"products": ["WM-R3-001", "FUND-R4-001"], "require_approved_script": True},
                     headers=client.operator)
    assert put.status_code == 201, put.json
    assert "SCRIPT_NOT_APPROVED" in reasons(client, "wm-fund")
    # Clean for wealth but without the fund risk warning: fails when linted as the campaign's (both types) …
    wealth_only = store(client, campaign="wm-fund", text=WEALTH)
    assert wealth_only.json["product_types"] == ["fund", "wealth"] and wealth_only.json["verdict"] == "fail"
    assert rules(wealth_only.json["findings"]) == {"disclosure.fund_risk"}
    # … passes when stored as a wealth script, but approval lints it as a fund script too.
    as_wealth = store(client, campaign="wm-fund", product_type="wealth", text=WEALTH)
    assert as_wealth.status_code == 201 and as_wealth.json["verdict"] == "pass" and as_wealth.json["product_types"] == ["wealth"]
    refused = client.post(f"/v1/scripts/{as_wealth.json['id']}/approve", headers=client.checker)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "SCRIPT_FAILS_LINT"
    per_type = {d["product_type"]: d for d in refused.json["error"]["details"]}
    assert per_type["wealth"]["verdict"] == "pass" and per_type["fund"]["verdict"] == "fail"
    assert rules(per_type["fund"]["findings"]) == {"disclosure.fund_risk"}
    assert "SCRIPT_NOT_APPROVED" in reasons(client, "wm-fund")
    # With both disclosures it passes under both and is approved.
    both = store(client, campaign="wm-fund", text=WEALTH_AND_FUND)
    assert both.json["product_types"] == ["fund", "wealth"] and both.json["verdict"] == "pass", both.json["findings"]
    ok = client.post(f"/v1/scripts/{both.json['id']}/approve", headers=client.checker)
    assert ok.status_code == 200 and ok.json["approved_at"], ok.json
    assert "SCRIPT_NOT_APPROVED" not in reasons(client, "wm-fund")
    listed = client.get("/v1/scripts?campaign=wm-fund", headers=client.reviewer).json["scripts"]
    assert [(s["product_type"], s["product_types"], bool(s["approved_at"])) for s in listed] == [
        (None, ["fund", "wealth"], False), ("wealth", ["wealth"], False), (None, ["fund", "wealth"], True)]


def test_a_campaign_with_no_known_product_is_linted_by_every_rule(client):
    put = client.put("/v1/campaigns/bare", json={"products": [], "require_approved_script": True}, headers=client.operator)
    assert put.status_code == 201, put.json
    saved = store(client, campaign="bare", text=WEALTH_AND_FUND)
    assert saved.json["product_types"] == EVERY_TYPE and saved.json["verdict"] == "fail"
    assert {"disclosure.cooling_off", "disclosure.apr"} <= rules(saved.json["findings"])
    # A type named for such a campaign is taken as given when stored; approval still applies every rule.
    named = store(client, campaign="bare", product_type="wealth", text=WEALTH)
    assert named.status_code == 201 and named.json["verdict"] == "pass"
    refused = client.post(f"/v1/scripts/{named.json['id']}/approve", headers=client.checker)
    assert refused.status_code == 409 and [d["product_type"] for d in refused.json["error"]["details"]] == EVERY_TYPE


def reasons_now(client, campaign: str) -> list[str]:
    """A dry run judged at the server's clock (a mark made now counts from now, not at a fixed `at` before it)."""
    r = client.post("/v1/check", json={"phone": "13800138000", "campaign": campaign, "dry_run": True}, headers=client.dialer)
    assert r.status_code == 200, r.json
    return [x["code"] for x in r.json["reasons"]]


def test_an_approved_script_stops_counting_when_its_campaign_takes_on_a_type_it_fails(client):
    """Approved while the campaign sold deposits only (warn); the campaign then sells insurance too, or its product
    becomes a wealth product: the approval, which 保本保息/零风险 would not get now, stops counting at once, not at the
    scheduler's next script_review run."""
    put = client.put("/v1/campaigns/bundle", json={"products": ["DEP-001"], "require_approved_script": True},
                     headers=client.operator)
    assert put.status_code == 201, put.json
    saved = store(client, campaign="bundle", text=BAO_BEN)
    assert saved.json["verdict"] == "warn"
    ok = client.post(f"/v1/scripts/{saved.json['id']}/approve", headers=client.checker)
    assert ok.status_code == 200, ok.json
    assert "SCRIPT_NOT_APPROVED" not in reasons_now(client, "bundle")
    changed = client.put("/v1/campaigns/bundle", json={"products": ["DEP-001", "INS-R1-001"], "require_approved_script": True},
                         headers=client.operator)
    assert changed.status_code == 200, changed.json
    assert "SCRIPT_NOT_APPROVED" in reasons_now(client, "bundle")
    marked = client.get(f"/v1/scripts/{saved.json['id']}", headers=client.reviewer).json
    assert marked["needs_review"] and {f["product_type"] for f in marked["review_findings"]} == {"insurance"}

    # The same through a product: a deposit campaign's product re-typed as wealth.
    client.put("/v1/campaigns/dep-only", json={"products": ["DEP-001"], "require_approved_script": True}, headers=client.operator)
    again = store(client, campaign="dep-only", text=BAO_BEN)
    assert client.post(f"/v1/scripts/{again.json['id']}/approve", headers=client.checker).status_code == 200
    assert "SCRIPT_NOT_APPROVED" not in reasons_now(client, "dep-only")
    retyped = client.put("/v1/products/DEP-001", json={"type": "wealth", "risk": "R1", "needs_risk_assessment": False},
                         headers=client.operator)
    assert retyped.status_code in (200, 201), retyped.json
    assert "SCRIPT_NOT_APPROVED" in reasons_now(client, "dep-only")


def test_a_script_hiding_a_banned_phrase_behind_a_directional_override_cannot_be_approved(client):
    """零风险 stored as 险风零 behind U+202E is laid out as 零风险 for the reviewer and the seller, while the rules read
    险风零 (Unicode UAX #9 §2.2; CVE-2021-42574): the version fails on the control and cannot be approved."""
    plain = store(client, campaign="wm-2026q4", text=WEALTH)
    assert plain.status_code == 201 and plain.json["verdict"] != "fail", plain.json
    hidden = WEALTH.replace("这款理财产品", "这款理财产品\u202e险风零\u202c，")
    saved = store(client, campaign="wm-2026q4", text=hidden)
    assert saved.status_code == 201 and saved.json["verdict"] == "fail", saved.json
    [found] = [f for f in saved.json["findings"] if f["rule"] == "text.directional_control"]
    assert hidden[found["start"]:found["end"]] == "\u202e" and found["severity"] == "error"
    assert "<U+202E>" in found["messages"]["en"] and "\u202e" not in found["messages"]["zh-CN"]
    refused = client.post(f"/v1/scripts/{saved.json['id']}/approve", headers=client.checker)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "SCRIPT_FAILS_LINT", refused.json
