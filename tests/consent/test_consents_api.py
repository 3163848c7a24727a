"""Consent records over HTTP (both stores): recorded, listed with their versions, withdrawn (a new
version, nothing overwritten); a withdrawal denies marketing calls from its instant; "不要再打了"
(an outcome or a complaint) withdraws marketing consent; the consent rule of a pack, for each why."""

from __future__ import annotations

import shutil

import pytest
import yaml

from tests.conftest import PACKS, new_key
from tests.consent.conftest import Api, codes

GIVEN = "2026-03-01T10:00:00+08:00"


def give(client, status=201, **body):
    r = client.post("/v1/consents", json={"source": "credit_card_application", "given_at": GIVEN, **body}, headers=client.operator)
    assert r.status_code == status, r.json
    return r.json


def consent_reason(d: dict) -> dict:
    return next(r for r in d["reasons"] if r["code"] == "CONSENT_MISSING")


def test_a_consent_is_recorded_listed_and_withdrawn_as_a_new_version(api, client):
    c = give(client, phone="138 0013 8000", text_version="v3", evidence_ref="CC-APP-2026-0301-77", consent_text="本人同意…电话营销")
    assert c["phone_e164"] == "+8613800138000" and c["status"] == "given" and c["channels"] == ["phone"]
    assert c["source_label"] == {"zh": "信用卡申请", "en": "credit-card application"} and len(c["versions"]) == 1
    api.later(hours=1)
    r = client.post(f"/v1/consents/{c['consent_id']}/withdraw", json={"via": "hotline", "note": "客户来电撤回"}, headers=client.operator)
    assert r.status_code == 200, r.json
    w = r.json
    assert w["status"] == "withdrawn" and w["withdrawn_via"] == "hotline" and w["withdrawn_at"] == "2026-11-23T03:15:00+00:00"
    first, second = w["versions"]
    assert first["withdrawn_at"] is None and first["superseded_at"] == second["recorded_at"], "the first version is kept as it was"
    again = client.post(f"/v1/consents/{c['consent_id']}/withdraw", json={"via": "app"}, headers=client.operator)
    assert again.status_code == 409
    missing = client.post("/v1/consents/0190aaaa-0000-7000-8000-000000000000/withdraw", json={"via": "app"}, headers=client.operator)
    assert missing.status_code == 404
    listed = client.get("/v1/consents?phone=13800138000", headers=client.operator).json
    assert [x["consent_id"] for x in listed["consents"]] == [c["consent_id"]] and len(listed["consents"][0]["versions"]) == 2


def test_a_customer_consent_covers_every_number_of_theirs_and_is_listed_by_customer(api, client):
    api.customer("C1", ["13800138000", "13900139000"])
    c = give(client, customer_id="C1", source="branch_form")
    assert c["phone_e164"] is None
    by_customer = client.get("/v1/consents?customer_id=C1", headers=client.operator).json["consents"]
    by_number = client.get("/v1/consents?phone=13900139000", headers=client.operator).json["consents"]
    assert [x["consent_id"] for x in by_customer] == [x["consent_id"] for x in by_number] == [c["consent_id"]]
    own = give(client, phone="13900139000", source="app", given_at="2026-04-01T10:00:00+08:00")
    by_customer = client.get("/v1/consents?customer_id=C1", headers=client.operator).json["consents"]
    assert [x["consent_id"] for x in by_customer] == [own["consent_id"], c["consent_id"]], "a customer's page shows their numbers' too"


@pytest.mark.parametrize("body, field", [
    ({}, "phone"),
    ({"phone": "13800138000", "source": "telepathy"}, "source"),
    ({"phone": "13800138000", "expires_at": "2026-01-01T00:00:00+08:00"}, "expires_at"),
    ({"phone": "13800138000", "given_at": "2027-01-01T00:00:00+08:00"}, "given_at"),
    ({"phone": "13800138000", "channels": ["fax"]}, "channels"),
    ({"phone": "not a number"}, "phone"),
])
def test_a_bad_consent_is_refused_naming_the_field(client, body, field):
    r = client.post("/v1/consents", json={"source": "app", "given_at": GIVEN, **body}, headers=client.operator)
    assert r.status_code == 400 and field in str(r.json["error"]), r.json


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)  # the reading of the days, not the store, is under test
def test_a_consent_sent_with_days_alone_means_what_an_imported_one_does(api, client):
    """A bank's CRM often keeps the day alone (授权日期 2026-11-20, 有效期至 2026-12-31): refused as no date-time, it had to be
    sent with an hour nobody recorded. Read as the import reads it, in the default pack's zone (Asia/Shanghai): given, from
    the day's end (民法典 第二百零一条); expiring at 24:00 of the last day (民法典 第二百零三条); withdrawn, from the day's 00:00."""
    c = give(client, phone="13800138000", given_at="2026-11-20", expires_at="2026-12-31")
    assert (c["given_at"], c["given_on"]) == ("2026-11-20T15:59:59.999999+00:00", "2026-11-20"), c
    assert (c["expires_at"], c["expires_on"], c["status"]) == ("2026-12-31T16:00:00+00:00", "2026-12-31", "given"), c
    r = client.post(f"/v1/consents/{c['consent_id']}/withdraw", json={"via": "hotline", "withdrawn_at": "2026-11-22"}, headers=client.operator)
    assert (r.json["withdrawn_at"], r.json["withdrawn_on"]) == ("2026-11-21T16:00:00+00:00", "2026-11-22"), r.json
    # Withdrawn on the day of a consent given at an hour that day: from the consent's own instant (never in effect).
    today = give(client, phone="13900139000", given_at="2026-11-23T10:15:00+08:00")
    r = client.post(f"/v1/consents/{today['consent_id']}/withdraw", json={"via": "app", "withdrawn_at": "2026-11-23"}, headers=client.operator)
    assert (r.json["withdrawn_at"], r.json["withdrawn_on"], r.json["status"]) == ("2026-11-23T02:15:00+00:00", "2026-11-23", "withdrawn")
    # An instant is an instant, even a day's last microsecond; an hour without an offset stays refused, as does no day.
    last = give(client, phone="13700137000", given_at="2026-11-20T23:59:59.999999+08:00")
    assert last["given_on"] is None, last
    for bad in ("2026-11-20T10:00:00", "2026-13-01", "20261120"):
        r = client.post("/v1/consents", json={"source": "app", "phone": "13800138000", "given_at": bad}, headers=client.operator)
        assert r.status_code == 400 and "given_at" in str(r.json["error"]), (bad, r.json)


def test_only_operators_record_consents(client):
    r = client.post("/v1/consents", json={"phone": "13800138000", "source": "app", "given_at": GIVEN}, headers=client.dialer)
    assert r.status_code == 403


def test_a_withdrawal_works_like_an_opt_out_from_its_instant_even_when_the_pack_requires_no_consent(api, client):
    c = give(client, phone="13800138000")
    assert api.check(dry_run=True)["allowed"]
    api.later(minutes=5)
    client.post(f"/v1/consents/{c['consent_id']}/withdraw", json={"via": "app"}, headers=client.operator)
    d = api.check(dry_run=True)
    assert codes(d) == ["CONSENT_MISSING"] and consent_reason(d)["detail"]["why"] == "withdrawn"
    assert consent_reason(d)["detail"]["withdrawn_via"] == "app" and d["next_allowed_at"] is None
    # Read by a person in each language with the specifics: when, and through which channel.
    messages = consent_reason(d)["messages"]
    assert "撤回" in messages["zh-CN"] and "2026年11月23日" in messages["zh-CN"] and "手机银行" in messages["zh-CN"]
    assert "撤回" in messages["zh-TW"] and "手機銀行" in messages["zh-TW"]
    assert "withdrawn at" in messages["en"] and d["reasons"][0]["message"] == messages["en"]
    assert api.check(dry_run=True, purpose="service")["allowed"], "a withdrawn marketing consent does not bar a service call"
    # Before the withdrawal the call was fine: a dry run at an earlier instant says so.
    assert api.check(dry_run=True, at="2026-11-23T10:16:00+08:00")["allowed"]
    give(client, phone="13800138000", source="app", given_at="2026-11-23T10:25:00+08:00")
    api.later(minutes=10)
    assert api.check(dry_run=True)["allowed"], "consent given again stands"


def test_do_not_call_withdraws_marketing_consent(api, client):
    c = give(client, phone="13800138000")
    d = api.check()
    api.outcome(d["decision_id"], "do_not_call")
    listed = client.get("/v1/consents?phone=13800138000", headers=client.operator).json["consents"][0]
    assert listed["consent_id"] == c["consent_id"] and listed["status"] == "withdrawn" and listed["withdrawn_via"] == "call"
    assert codes(api.check(dry_run=True)) == ["DNC_OPT_OUT", "CONSENT_MISSING", "FREQ_CAP"]


def test_a_complaint_asking_to_stop_calling_withdraws_marketing_consent(api, client):
    api.customer("C5", ["13800138000"])
    c = give(client, customer_id="C5")
    r = client.post("/v1/complaints", json={"customer_id": "C5", "severity": "light", "category": "marketing",
                                            "text": "你们不要再打了"}, headers=client.operator)
    assert r.status_code == 201 and r.json["effects"]["consents_withdrawn"] == [c["consent_id"]]
    listed = client.get("/v1/consents?customer_id=C5", headers=client.operator).json["consents"][0]
    assert listed["status"] == "withdrawn" and listed["withdrawn_via"] == "complaint"


@pytest.fixture
def consent_api(make_app, clock, tmp_path):
    """cn-bank with its consent rule on (the documented example): marketing by phone needs consent, at most 730 days old."""
    target = tmp_path / "packs"
    shutil.copytree(PACKS, target)
    path = target / "cn-bank-2026.4.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["consent"] = {"required_for": ["marketing"], "scopes": ["phone"], "max_age": "730d"}
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    app = make_app(clock=clock, GUARD_POLICY_DIR=str(target))
    c = app.test_client()
    c.dialer, c.operator, c.admin = new_key(app, "dialer"), new_key(app, "operator"), new_key(app, "admin")
    return Api(c, clock)


def why(d: dict) -> str:
    return consent_reason(d)["detail"]["why"]


def test_the_consent_rule_denies_without_consent_and_allows_with_one_in_scope(consent_api):
    api, client = consent_api, consent_api.c
    assert why(api.check(dry_run=True)) == "none"
    assert api.check(dry_run=True, purpose="service")["allowed"], "the rule is required for marketing only"
    give(client, phone="13800138000", channels=["sms"])
    assert why(api.check(dry_run=True)) == "out_of_scope"
    give(client, phone="13800138000", product_types=["wealth"])
    assert why(api.check(dry_run=True)) == "out_of_scope", "dep-2026q4 sells deposits"
    give(client, phone="13800138000", product_types=["deposit"])
    d = api.check(dry_run=True)
    assert d["allowed"], d["reasons"]


def test_the_consent_rule_judges_expiry_by_its_own_date_and_by_max_age(consent_api):
    api, client = consent_api, consent_api.c
    give(client, phone="13800138000", given_at="2026-01-01T00:00:00+08:00", expires_at="2026-06-01T00:00:00+08:00")
    d = api.check(dry_run=True)
    assert why(d) == "expired" and consent_reason(d)["detail"]["max_age"] == "730d"
    give(client, phone="13900139000", given_at="2024-11-01T00:00:00+08:00")  # older than 730 days
    assert why(api.check("13900139000", dry_run=True)) == "expired"
    give(client, phone="13700137000", given_at="2025-01-01T00:00:00+08:00")
    assert api.check("13700137000", dry_run=True)["allowed"]


def test_the_scrub_judges_consent_like_the_check(consent_api):
    api, client = consent_api, consent_api.c
    give(client, phone="13800138000")
    r = client.post("/v1/check/batch", json={"campaign": "dep-2026q4", "phones": ["13800138000", "13900139000"]}, headers=client.dialer)
    assert [[x["code"] for x in res["reasons"]] for res in r.json["results"]] == [[], ["CONSENT_MISSING"]]


def test_the_decision_log_keeps_the_consents_a_decision_was_made_from(consent_api):
    api, client = consent_api, consent_api.c
    c = give(client, phone="13800138000")
    d = api.check()
    assert d["allowed"]
    logged = client.get(f"/v1/decisions/{d['decision_id']}", headers=new_key(client.application, "auditor")).json
    assert [x["id"] for x in logged["facts"]["consents"]] == [c["consent_id"]]


def test_a_stop_request_about_the_customer_withdraws_their_consents_on_every_number_of_theirs(api, client):
    """PIPL 第十五条: "基于个人同意处理个人信息的，个人有权撤回其同意": the person withdraws their consent, and the blacklist
    the request adds blocks every number of theirs (SPEC §2.1). Consents naming C5's other number, or only that number,
    stayed "given" after C5 said 不要再打了; a complaint filed by customer id left the consents on C7's number given."""
    api.customer("C5", ["13800138000", "13900139000"])
    api.customer("C7", ["13600136000"])
    theirs = [give(client, phone="13800138000", customer_id="C5")["consent_id"],
              give(client, phone="13900139000", customer_id="C5")["consent_id"],
              give(client, phone="13900139000")["consent_id"]]
    former_owner = give(client, phone="13900139000", customer_id="C9", source="app")["consent_id"]
    d = api.check(customer_id="C5")
    effects = api.outcome(d["decision_id"], "do_not_call")["effects"]
    assert sorted(effects["consents_withdrawn"]) == sorted(theirs)
    listed = {c["consent_id"]: c["status"] for c in client.get("/v1/consents?customer_id=C5", headers=client.operator).json["consents"]}
    assert all(listed[c] == "withdrawn" for c in theirs), listed
    assert client.get("/v1/consents?phone=13900139000", headers=client.operator).json["consents"] and next(
        c for c in client.get("/v1/consents?customer_id=C9", headers=client.operator).json["consents"]
        if c["consent_id"] == former_owner)["status"] == "given", "another person's consent is theirs to withdraw"
    number_only = give(client, phone="13600136000")["consent_id"]
    r = client.post("/v1/complaints", json={"customer_id": "C7", "severity": "light", "category": "marketing",
                                            "text": "不要再打了"}, headers=client.operator)
    assert r.status_code == 201 and r.json["effects"]["consents_withdrawn"] == [number_only]


def test_an_operator_blacklisting_a_customers_own_request_withdraws_their_consent(api, client):
    """The customer phoned the hotline: 不要再打了. Entered as POST /v1/blacklist (source customer_request) it blocked the
    calls, but the consent stayed "given" (PIPL 第十五条: the person withdrew it); an operator's own entry leaves it."""
    api.customer("C5", ["13800138000"])
    c = give(client, customer_id="C5")["consent_id"]
    kept = give(client, phone="13900139000")["consent_id"]
    r = client.post("/v1/blacklist", json={"phone": "13900139000", "source": "manual", "reason": "bad list"}, headers=client.operator)
    assert r.status_code == 201
    r = client.post("/v1/blacklist", json={"customer_id": "C5", "source": "customer_request", "reason": "热线: 不要再打了"},
                    headers=client.operator)
    assert r.status_code == 201
    status = {x["consent_id"]: (x["status"], x["withdrawn_via"]) for p in ("13800138000", "13900139000")
              for x in client.get(f"/v1/consents?phone={p}", headers=client.operator).json["consents"]}
    assert status == {c: ("withdrawn", "operator"), kept: ("given", None)}


def test_an_imported_list_of_refusals_withdraws_consents_as_an_entry_added_alone_does(api, client):
    """A hotline's export of 不要再打了 requests, imported (POST /v1/blacklist/import, rows of source customer_request or
    complaint), blocked the numbers but left their consents "given" (PIPL 第十五条: the person withdrew it); a registry
    row says nothing of consent, and a re-import withdraws nothing more."""
    refused = give(client, phone="13800138000")["consent_id"]
    complained = give(client, phone="13700137000")["consent_id"]
    kept = give(client, phone="13900139000")["consent_id"]
    csv = "phone,source,reason\n13800138000,customer_request,热线: 不要再打了\n13700137000,complaint,投诉\n13900139000,registry,\n"
    r = client.post("/v1/blacklist/import", data=csv.encode(), content_type="text/csv", headers=client.operator)
    assert r.status_code == 200, r.json
    assert r.json["accepted"] == 3 and r.json["consents_withdrawn"] == 2
    status = {x["consent_id"]: (x["status"], x["withdrawn_via"]) for p in ("13800138000", "13700137000", "13900139000")
              for x in client.get(f"/v1/consents?phone={p}", headers=client.operator).json["consents"]}
    assert status == {refused: ("withdrawn", "operator"), complained: ("withdrawn", "complaint"), kept: ("given", None)}
    again = client.post("/v1/blacklist/import", data=csv.encode(), content_type="text/csv", headers=client.operator)
    assert again.json["unchanged"] == 3 and again.json["consents_withdrawn"] == 0


def test_a_long_list_of_refusals_is_written_in_parts_each_holding_a_bounded_number_of_locks(api, client, monkeypatch):
    """Each refusal's entry is written under its number's lock, and PostgreSQL's shared lock table is small (64 locks per
    connection by default): an import writes the refusals in parts of blacklist.importer.REFUSAL_LOCKS rows. Here the
    parts hold two, so five refusals and a registry row take three transactions; every row counts once, every
    refusal withdraws its consent."""
    import blacklist.importer

    monkeypatch.setattr(blacklist.importer, "REFUSAL_LOCKS", 2)
    phones = [f"1380013800{i}" for i in range(5)]
    consents = [give(client, phone=p)["consent_id"] for p in phones]
    csv = "phone,source,reason\n" + "".join(f"{p},customer_request,不要再打了\n" for p in phones) + "13900139000,registry,\n"
    r = client.post("/v1/blacklist/import", data=csv.encode(), content_type="text/csv", headers=client.operator)
    assert r.status_code == 200, r.json
    assert (r.json["accepted"], r.json["unchanged"], r.json["consents_withdrawn"]) == (6, 0, 5), r.json
    withdrawn = {x["consent_id"] for p in phones for x in client.get(f"/v1/consents?phone={p}", headers=client.operator).json["consents"]
                 if x["status"] == "withdrawn"}
    assert withdrawn == set(consents)


def test_a_withdrawal_dated_alone_is_read_in_the_zone_of_the_consents_own_number(api, client):
    # The body names no region: the day is the consent's number's callee's. A Los Angeles number withdrawn "2026-11-20" is
    # withdrawn from 00:00 there (08:00Z), not from Shanghai's midnight (the default pack's) the evening before; a
    # mainland number's day is Shanghai's, as before (47 CFR 64.1200(c)(1), the called party's local time;
    # 47 CFR 64.1200(a)(10), FCC 24-24 (2024): a revocation by any reasonable means is honoured, so it is read from its earliest).
    for phone, region, withdrawn in (("2135550123", "US", "2026-11-20T08:00:00+00:00"),
                                     ("13800138000", "CN", "2026-11-19T16:00:00+00:00")):
        c = give(client, phone=phone, region=region, source="branch_form", given_at="2026-03-01T10:00:00+00:00")
        r = client.post(f"/v1/consents/{c['consent_id']}/withdraw", json={"via": "hotline", "withdrawn_at": "2026-11-20"},
                        headers=client.operator)
        assert r.status_code == 200 and r.json["withdrawn_at"] == withdrawn and r.json["withdrawn_on"] == "2026-11-20", r.json
    # a customer's consent, naming no number: their numbers' zones (Los Angeles), or the zone they record (Chicago), for its
    # expiry as for its withdrawal
    api.customer("LA1", ["+12135550125"])
    api.customer("CH1", ["+12135550126"], timezone="America/Chicago")
    for cid, withdrawn, expires in (("LA1", "2026-11-20T08:00:00+00:00", "2027-01-01T08:00:00+00:00"),
                                    ("CH1", "2026-11-20T06:00:00+00:00", "2027-01-01T06:00:00+00:00")):
        c = give(client, customer_id=cid, source="branch_form", given_at="2026-03-01T10:00:00+00:00", expires_at="2026-12-31")
        assert c["expires_at"] == expires, c
        r = client.post(f"/v1/consents/{c['consent_id']}/withdraw", json={"via": "hotline", "withdrawn_at": "2026-11-20"},
                        headers=client.operator)
        assert r.status_code == 200 and r.json["withdrawn_at"] == withdrawn, r.json
