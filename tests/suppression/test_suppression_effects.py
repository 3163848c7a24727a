"""What a complaint leaves behind, whatever the order things are entered in: the mute after N complaints
within the window (counted wherever the window lies), the sensitive tag (held by the guard, not lost to a
profile update from the CRM), and a missed SLA deadline (still missed once the step is done late).
Every test runs on SQLite and on PostgreSQL (the `client` fixture's store)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from guard.services.ops.jobs import run_job
from tests.audits.test_audit_of_record import HEADER, audit
from tests.conftest import new_key
from tests.suppression.conftest import codes
from tests.suppression.test_complaint_workflow import event, file

CST = timezone(timedelta(hours=8))


def overview(client, customer_id):
    r = client.get(f"/v1/customers/{customer_id}/overview", headers=client.operator)
    assert r.status_code == 200, r.json
    return r.json


def dry_check(api, phone):
    return api.check(phone, dry_run=True)


# --- the mute after N complaints, whatever the order they are entered in --------------------------------

@pytest.mark.parametrize("order", ["now_then_late_letter", "late_letter_then_now"])
def test_two_complaints_within_the_window_mute_in_either_order_of_entry(api, client, clock, order):
    api.customer("CUST-4", ["13933334444"])
    now_body = {"customer_id": "CUST-4", "severity": "light", "text": "营销电话太多"}
    letter_body = {"customer_id": "CUST-4", "severity": "light", "text": "来信投诉", "received_at": "2026-11-01T10:00:00+08:00"}
    bodies = [now_body, letter_body] if order == "now_then_late_letter" else [letter_body, now_body]
    first = file(client, **bodies[0])
    assert first["effects"]["mute_id"] is None
    second = file(client, **bodies[1])
    assert second["effects"]["mute_id"], second["effects"]
    d = dry_check(api, "13933334444")
    assert not d["allowed"] and "MUTED" in codes(d)
    mute = overview(client, "CUST-4")["mute"]
    # Counted from the complaint that completed the count: the one received now (2026-11-23 10:15), for 365 days, the
    # day of receipt not counted and the last day ending at 24:00 (民法典 第二百零一条, 第二百零三条).
    assert mute["muted"] and mute["until"] == datetime(2027, 11, 24, 0, 0, tzinfo=CST).astimezone(timezone.utc).isoformat()
    (only,) = mute["mutes"]
    assert only["starts_at"] == clock.now.isoformat()


def test_a_back_dated_complaint_before_another_mutes_from_the_later_one(api, client, clock):
    api.customer("CUST-5", ["13933335555"])
    api.later(days=100)  # 2027-03-03
    file(client, customer_id="CUST-5", severity="light", received_at="2026-06-01T10:00:00+08:00")
    assert dry_check(api, "13933335555")["allowed"]
    late = file(client, customer_id="CUST-5", severity="medium", received_at="2026-05-01T10:00:00+08:00")
    assert late["effects"]["mute_id"]
    mute = overview(client, "CUST-5")["mute"]
    assert mute["until"] == datetime(2027, 6, 2, 0, 0, tzinfo=CST).astimezone(timezone.utc).isoformat()  # 24:00 of 2027-06-01
    assert "MUTED" in codes(dry_check(api, "13933335555"))


def test_a_back_dated_count_whose_mute_would_have_ended_is_recorded_but_mutes_nobody(api, client):
    api.customer("CUST-6", ["13933336666"])
    api.later(days=100)  # 2027-03-03: a mute from 2026-02-20 for 365 days ended on 2027-02-20
    file(client, customer_id="CUST-6", severity="light", received_at="2026-01-10T10:00:00+08:00")
    second = file(client, customer_id="CUST-6", severity="light", received_at="2026-02-20T10:00:00+08:00")
    assert second["effects"]["mute_id"] is None
    assert second["id"] and second["customer_id"] == "CUST-6"
    assert overview(client, "CUST-6")["mute"]["mutes"] == []
    assert dry_check(api, "13933336666")["allowed"]
    listed = client.get("/v1/complaints?customer_id=CUST-6", headers=client.operator).json["complaints"]
    assert len(listed) == 2


def test_complaints_further_apart_than_the_window_do_not_mute_in_either_order(api, client):
    api.customer("CUST-7", ["13933337777"])
    file(client, customer_id="CUST-7", severity="light")
    far = file(client, customer_id="CUST-7", severity="light", received_at="2026-05-01T10:00:00+08:00")  # 206 days before
    assert far["effects"]["mute_id"] is None
    assert dry_check(api, "13933337777")["allowed"]


def test_a_late_letter_about_a_number_with_no_customer_mutes_the_number(api, client):
    file(client, phone="13933338888", severity="light")
    late = file(client, phone="13933338888", severity="light", received_at="2026-11-01T10:00:00+08:00")
    assert late["customer_id"] is None and late["effects"]["mute_id"]
    assert "MUTED" in codes(dry_check(api, "13933338888"))


def test_a_late_letter_completing_the_count_earlier_mutes_from_then_though_a_later_mute_runs(api, client):
    """The mute runs from the receipt of the complaint that completed the count, the N-th by receipt (README,
    "When complaints mute"). Complaints of 10 and 20 November mute from the 20th; a letter received on
    5 November, entered after them, completes the count on the 10th: the customer was muted from the 10th.
    The mute from the 20th, which lasts longer, covered none of 10-20 November, yet was taken as the letter's."""
    api.customer("CUST-8", ["13933338889"])
    file(client, customer_id="CUST-8", severity="light", received_at="2026-11-10T10:00:00+08:00")
    assert file(client, customer_id="CUST-8", severity="light", received_at="2026-11-20T10:00:00+08:00")["effects"]["mute_id"]
    letter = file(client, customer_id="CUST-8", severity="light", received_at="2026-11-05T10:00:00+08:00")
    assert letter["effects"]["mute_id"]
    mutes = overview(client, "CUST-8")["mute"]["mutes"]
    completed = datetime(2026, 11, 10, 10, tzinfo=CST)
    assert letter["effects"]["mute_id"] in [m["id"] for m in mutes if m["starts_at"] == completed.astimezone(timezone.utc).isoformat()
                                            and m["ends_at"] == datetime(2027, 11, 11, 0, 0, tzinfo=CST).astimezone(timezone.utc).isoformat()], mutes
    # An auditor asking whether a call of 16 November was compliant, as the store knows it now, finds it was not.
    client.auditor = client.admin
    _, found = audit(client, HEADER + "c,13933338889,2026-11-16T10:00:00+08:00,dep-2026q4,CUST-8,\n", "known_now")
    assert "MUTED" in found.get("c", {}), found


# --- the sensitive tag a complaint sets is the guard's: a profile PUT keeps it ------------------------------

K1 = {"phones": ["136 1111 0001"], "risk_level": "C4", "risk_assessed_at": "2026-11-01T00:00:00+08:00"}


def put(client, customer_id, body, status=200):
    r = client.put(f"/v1/customers/{customer_id}", json=body, headers=client.operator)
    assert r.status_code == status, r.json
    return r.json


def test_a_profile_put_without_tags_keeps_the_sensitive_tag_a_complaint_set(api, client):
    put(client, "K1", {**K1, "tags": ["vip"]}, status=201)
    c = file(client, phone="136 1111 0001", severity="light", text="推销电话太频繁")
    assert c["customer_id"] == "K1" and c["effects"]["tagged_sensitive"] is True
    after = put(client, "K1", K1)  # a routine CRM update that says nothing of tags
    assert after["tags"] == ["sensitive"] and after["guard_tags"] == ["sensitive"]  # the CRM's vip is gone: PUT replaces
    assert dry_check(api, "13611110001")["cap_tier"] == "sensitive"
    changed = put(client, "K1", {**K1, "tags": ["高净值"]})  # nor does a PUT that changes the tags drop it
    assert changed["tags"] == ["sensitive", "高净值"] and changed["guard_tags"] == ["sensitive"]
    got = client.get("/v1/customers/K1", headers=client.operator).json
    assert got["tags"] == ["sensitive", "高净值"] and got["guard_tags"] == ["sensitive"]
    again = put(client, "K1", {**K1, "tags": ["高净值"]})
    assert again["version"] == changed["version"]  # the same profile again makes no new version
    assert dry_check(api, "13611110001")["cap_tier"] == "sensitive"


def test_a_complaint_takes_over_a_sensitive_tag_the_crm_had_set(api, client):
    put(client, "K2", {**K1, "phones": ["13611110002"], "tags": ["sensitive"]}, status=201)
    c = file(client, customer_id="K2", severity="light")
    assert c["effects"]["tagged_sensitive"] is True
    assert put(client, "K2", {**K1, "phones": ["13611110002"]})["tags"] == ["sensitive"]


def test_only_an_admin_removes_the_guards_tag_with_a_reason_and_the_trail_keeps_it(api, client):
    put(client, "K3", {**K1, "phones": ["13611110003"]}, status=201)
    file(client, customer_id="K3", severity="light")
    url = "/v1/customers/K3/guard-tags/sensitive"
    assert client.delete(url, json={"reason": "投诉已核实为误登记"}, headers=client.operator).status_code == 403
    r = client.delete(url, json={}, headers=client.admin)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "reason"
    r = client.delete(url, json={"reason": "投诉已核实为误登记"}, headers=client.admin)
    assert r.status_code == 200, r.json
    assert r.json["tags"] == [] and r.json["guard_tags"] == []
    assert dry_check(api, "13611110003")["cap_tier"] == "normal"
    assert client.delete(url, json={"reason": "again"}, headers=client.admin).status_code == 409
    assert client.delete("/v1/customers/NOBODY/guard-tags/sensitive", json={"reason": "x"}, headers=client.admin).status_code == 404
    trail = overview(client, "K3")["trail"]
    removed = next(t for t in trail if t["action"] == "guard_tag_removed")
    assert removed["detail"]["reason"] == "投诉已核实为误登记" and removed["detail"]["guard_tags_removed"] == ["sensitive"]
    assert removed["actor"] == client.get("/v1/me", headers=client.admin).json["actor"]


# --- a missed SLA deadline stays missed once its step is done late ------------------------------------------

@pytest.mark.parametrize("scheduler_first", [False, True])
def test_a_severe_complaint_escalated_late_stays_a_missed_escalation(app, api, client, clock, scheduler_first):
    received = clock.now - timedelta(hours=1)
    c = file(client, phone="13966667777", severity="severe", text="严重投诉", received_at=received.isoformat())
    assert c["status"] == "overdue" and c["sla"]["missed"] == ["escalate"] and c["late"] is True
    if scheduler_first:
        rt = app.extensions["guard"]
        assert run_job(rt.store, "complaint_sla", rt.clock)["overdue"] == 1
        c = client.get(f"/v1/complaints/{c['id']}", headers=client.operator).json
    due = c["sla"]["escalation_due"]
    api.later(minutes=5)
    done = event(client, c["id"], type="escalated", to="李主管")
    assert done["sla"]["missed"] == ["escalate"], done["sla"]
    (breach,) = done["sla"]["breaches"]
    assert breach["kind"] == "escalate" and breach["due"] == due and breach["done_at"] == done["escalated_at"]
    assert done["late"] is True and done["status"] == "overdue" and done["overdue_at"] is not None
    if not scheduler_first:  # recorded as the scheduler would have: overdue from when the escalation fell due
        assert done["overdue_at"] == due
        assert [e["type"] for e in done["events"]] == ["filed", "overdue", "escalated"]
        assert "escalate" in done["events"][1]["note"]
    # The queue and its counts agree with the complaint.
    listed = client.get("/v1/complaints?status=overdue", headers=client.operator).json["complaints"]
    assert [x["id"] for x in listed] == [c["id"]]
    assert client.get("/v1/complaints/counts", headers=client.operator).json["late"] == 1
    # The scheduler finds nothing more to mark, and the breach is still there.
    rt = app.extensions["guard"]
    assert run_job(rt.store, "complaint_sla", rt.clock)["overdue"] == 0
    again = client.get(f"/v1/complaints/{c['id']}", headers=client.operator).json
    assert again["sla"]["missed"] == ["escalate"] and again["late"] is True
    # Resolved in time for its 15 days: resolved, and the escalation still counted as missed.
    closed = event(client, c["id"], type="resolved", note="已致歉并停止营销")
    assert closed["status"] == "resolved" and closed["sla"]["missed"] == ["escalate"]


def test_a_light_complaints_first_response_recorded_late_stays_missed(api, client, clock):
    c = file(client, phone="13966668888", severity="light")
    api.later(hours=3)  # the first response was due within 2 hours
    r = event(client, c["id"], type="first_response", note="已回电致歉")
    assert r["sla"]["missed"] == ["first_response"] and r["late"] is True and r["status"] == "overdue"
    assert r["sla"]["breaches"][0]["done_at"] == r["first_response_at"]
    on_time = file(client, phone="13966669999", severity="light")
    ok = event(client, on_time["id"], type="first_response")
    assert ok["sla"]["missed"] == [] and ok["late"] is False and ok["status"] == "open" and ok["overdue_at"] is None


def test_a_complaint_found_overdue_when_its_step_was_recorded_late_is_still_escalated_by_the_scheduler(app, api, client):
    """A late first response marks the complaint overdue as the scheduler would have; the scheduler must still
    escalate it (it escalates every overdue complaint), above all once its resolution is missed as well."""
    c = file(client, phone="13966665555", severity="light")
    api.later(hours=3)  # the first response was due within 2 hours
    late = event(client, c["id"], type="first_response", note="已回电致歉")
    assert late["status"] == "overdue" and late["overdue_at"] is not None and late["escalated_at"] is None
    api.later(days=2)  # and the resolution (24 h) is missed too
    rt = app.extensions["guard"]
    assert run_job(rt.store, "complaint_sla", rt.clock) == {"overdue": 0, "escalated": 1, "callback_overdue": 0}
    got = client.get(f"/v1/complaints/{c['id']}", headers=client.operator).json
    assert got["stage"] == "escalated" and got["escalated_at"] is not None and got["overdue_at"] == late["overdue_at"]
    assert [e["type"] for e in got["events"]] == ["filed", "overdue", "first_response", "escalated"]
    assert run_job(rt.store, "complaint_sla", rt.clock) == {"overdue": 0, "escalated": 0, "callback_overdue": 0}


def test_the_scheduler_marks_a_complaint_overdue_from_its_deadline_not_from_when_it_ran(app, api, client):
    """A scheduler that was down for hours must not move the breach: overdue from when the first response fell due,
    as a step recorded late marks it (README: Complaint SLAs); the events say when it was noticed."""
    c = file(client, phone="13966664444", severity="light")
    api.later(hours=5)  # due after 2 hours; the scheduler was not running
    rt = app.extensions["guard"]
    assert run_job(rt.store, "complaint_sla", rt.clock) == {"overdue": 1, "escalated": 1, "callback_overdue": 0}
    got = client.get(f"/v1/complaints/{c['id']}", headers=client.operator).json
    assert got["overdue_at"] == c["sla"]["first_response_due"] and got["escalated_at"] == api.clock.now.isoformat()


def test_breaches_are_counted_in_the_days_figures(api, client):
    c = file(client, phone="13966667777", severity="severe", received_at=(api.clock.now - timedelta(hours=1)).isoformat())
    event(client, c["id"], type="escalated", to="李主管")
    event(client, c["id"], type="resolved", note="已处理")
    file(client, phone="13966668888", severity="severe")  # on time so far
    stats = client.get("/v1/stats", headers=client.operator).json
    severe = next(s for s in stats["complaints"] if s["severity"] == "severe")
    assert severe["breached"] == 1 and severe["resolved_today"] == 1
    assert client.get("/v1/complaints/counts", headers=client.operator).json["breached"] == 1


# --- an escalation names whom; a complaint about a customer with no profile says so -------------------------

def test_an_escalation_must_name_the_supervisor(client):
    c = file(client, phone="13966667777", severity="severe")
    for body in ({"type": "escalated"}, {"type": "escalated", "to": "  "}):
        r = client.post(f"/v1/complaints/{c['id']}/events", json=body, headers=client.operator)
        assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "to", r.json
    got = client.get(f"/v1/complaints/{c['id']}", headers=client.operator).json
    assert got["escalated_at"] is None and [e["type"] for e in got["events"]] == ["filed"]
    assert event(client, c["id"], type="escalated", to="李主管")["escalated_to"] == "李主管"


def test_a_complaint_about_a_customer_with_no_profile_is_taken_and_says_so(api, client):
    unknown = file(client, customer_id="NEW-1", severity="light")
    assert unknown["customer_id"] == "NEW-1" and unknown["effects"]["customer_known"] is False
    assert unknown["effects"]["tagged_sensitive"] is True
    api.customer("KNOWN-1", ["13966660000"])
    assert file(client, customer_id="KNOWN-1", severity="light")["effects"]["customer_known"] is True


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_mute_of_a_customer_in_honolulu_filed_by_customer_id_holds_to_midnight_in_honolulu(make_app):
    # 47 CFR 64.1200(c)(1): a call's time is "local time at the called party's location"; 民法典 第二百零三条: the last day
    # ends at 24:00. The us-tcpa pack's zone is New York's: the mute ended at 19:00 in Honolulu and let the 20:30 call in.
    app = make_app(GUARD_ALLOW_CLIENT_TIME="1", GUARD_DEFAULT_PACK="us-tcpa")
    client, dialer_operator = app.test_client(), new_key(app, "dialer", "operator")
    assert client.put("/v1/customers/HNL1", json={"phones": ["+18085550123"], "timezone": "Pacific/Honolulu"},
                      headers=dialer_operator).status_code == 201
    for at in ("2026-12-07T10:00:00-10:00", "2026-12-07T11:00:00-10:00"):
        r = client.post("/v1/complaints", json={"customer_id": "HNL1", "severity": "light", "received_at": at},
                        headers=dialer_operator)
        assert r.status_code == 201 and r.json["effects"]["mute_id"], r.json

    def check(at):
        r = client.post("/v1/check", json={"phone": "+18085550123", "customer_id": "HNL1", "campaign": "us-dep-2026",
                                           "at": at, "dry_run": True}, headers=dialer_operator)
        assert r.status_code == 200, r.json
        return r.json

    last_evening = check("2027-12-07T20:30:00-10:00")
    assert codes(last_evening) == ["MUTED"] and last_evening["next_allowed_at"] == "2027-12-08T08:00:00-10:00", last_evening
    assert check("2027-12-08T08:00:00-10:00")["allowed"]


def _complain_by_customer_id(client, key, customer_id, at, severity="severe"):
    r = client.post("/v1/complaints", json={"customer_id": customer_id, "severity": severity, "received_at": at}, headers=key)
    assert r.status_code == 201, r.json
    return r.json


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_us_customers_complaint_filed_by_customer_id_is_judged_by_us_tcpa_and_mutes_after_its_count(make_app):
    # Filed by customer_id alone, the complaint fell to the default pack (cn-bank): its severe resolution ran to 24:00 in
    # Shanghai and a mute needed 2 complaints in 180 days. The customer's number on file is a US number, routed to us-tcpa
    # as the number itself is (policies/packs/us-tcpa-2026.2.yaml `mute: {complaints: 1, within: 365d, for: 365d}`;
    # a consumer's do-not-call request is honoured for years, 47 CFR 64.1200(d)(3)), days ending in its own zone.
    app = make_app(GUARD_ALLOW_CLIENT_TIME="1", GUARD_DEFAULT_PACK="cn-bank")
    client, key = app.test_client(), new_key(app, "dialer", "operator")
    assert client.put("/v1/customers/LA1", json={"phones": ["+13105550123"], "timezone": "America/Los_Angeles"},
                      headers=key).status_code == 201
    filed = _complain_by_customer_id(client, key, "LA1", "2026-12-09T10:00:00-08:00")
    assert filed["policy"]["pack"] == "us-tcpa" and "packs" not in filed["effects"], filed
    # 15 days from the day after receipt, to 24:00 of 24 December in New York (the pack's zone), not in Shanghai
    assert filed["sla"]["resolution_due"] == "2026-12-25T05:00:00+00:00", filed["sla"]
    assert filed["effects"]["mute_id"], filed["effects"]
    r = client.post("/v1/check", json={"phone": "+13105550123", "customer_id": "LA1", "campaign": "us-dep-2026",
                                       "at": "2026-12-10T11:00:00-08:00", "dry_run": True}, headers=key)
    assert r.status_code == 200 and codes(r.json) == ["MUTED"], r.json


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_complaint_by_customer_id_of_a_customer_with_cn_and_us_numbers_takes_the_strictest_of_both_packs(make_app):
    # Both packs judge it, failing closed: each deadline the earliest either sets, and a mute when either's count is
    # complete (us-tcpa mutes after one complaint, cn-bank after two). With no number on file: the default pack.
    app = make_app(GUARD_ALLOW_CLIENT_TIME="1", GUARD_DEFAULT_PACK="cn-bank")
    client, key = app.test_client(), new_key(app, "dialer", "operator")
    assert client.put("/v1/customers/MIX1", json={"phones": ["13800138000", "+13105550123"]}, headers=key).status_code == 201
    filed = _complain_by_customer_id(client, key, "MIX1", "2026-12-09T10:00:00-08:00")
    assert [p["pack"] for p in filed["effects"]["packs"]] == ["cn-bank", "us-tcpa"], filed["effects"]
    # cn-bank's 15 days end at 24:00 of 25 December in Shanghai (16:00 UTC), us-tcpa's at 24:00 of 24 December in New York
    assert filed["sla"]["resolution_due"] == "2026-12-25T05:00:00+00:00", filed["sla"]
    assert filed["effects"]["mute_id"], filed["effects"]
    r = client.post("/v1/check", json={"phone": "13800138000", "customer_id": "MIX1", "campaign": "dep-2026q4",
                                       "at": "2026-12-11T10:15:00+08:00", "dry_run": True}, headers=key)
    assert r.status_code == 200 and "MUTED" in codes(r.json), r.json
    assert client.put("/v1/customers/NONE1", json={"phones": []}, headers=key).status_code == 201
    assert _complain_by_customer_id(client, key, "NONE1", "2026-12-09T10:00:00-08:00")["policy"]["pack"] == "cn-bank"


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_complaint_about_a_number_no_pack_covers_is_judged_by_every_pack_and_says_so(make_app):
    # +1 is shared: phonenumbers' metadata gives 416 and 604 to Canada (CA) and 876 to Jamaica (JM), countries of the
    # North American Numbering Plan that us-tcpa does not govern (its header: 47 U.S.C. § 227 protects persons "within
    # the United States", § 153; Canada and the Caribbean countries of the plan are OUT_OF_JURISDICTION). Such a
    # complaint fell silently to the default pack (cn-bank): Shanghai deadlines and no mute after one complaint. No
    # pack is the caller's, so every pack in effect judges it, failing closed (the earliest deadline, us-tcpa's mute
    # after one complaint), and `effects.uncovered_regions` says why.
    app = make_app(GUARD_ALLOW_CLIENT_TIME="1", GUARD_DEFAULT_PACK="cn-bank")
    client, key = app.test_client(), new_key(app, "dialer", "operator")
    r = client.post("/v1/complaints", json={"phone": "+1 416 555 0123", "severity": "severe",
                                            "received_at": "2026-12-09T10:00:00-05:00"}, headers=key)
    assert r.status_code == 201, r.json
    filed = r.json
    assert [p["pack"] for p in filed["effects"]["packs"]] == ["cn-bank", "us-tcpa"], filed["effects"]
    assert filed["effects"]["uncovered_regions"] == ["CA"] and filed["policy"]["pack"] == "cn-bank", filed
    # cn-bank's 15 days end at 24:00 of 24 December in Shanghai (16:00 UTC), before us-tcpa's in New York
    assert filed["sla"]["resolution_due"] == "2026-12-24T16:00:00+00:00", filed["sla"]
    assert filed["effects"]["mute_id"], filed["effects"]
    r = client.post("/v1/check", json={"phone": "+1 416 555 0123", "campaign": "us-dep-2026",
                                       "at": "2026-12-10T11:00:00-05:00", "dry_run": True}, headers=key)
    assert r.status_code == 200 and codes(r.json) == ["OUT_OF_JURISDICTION", "MUTED"], r.json
    assert client.put("/v1/customers/JM1", json={"phones": ["+1 876 555 0123"]}, headers=key).status_code == 201
    jm = _complain_by_customer_id(client, key, "JM1", "2026-12-09T10:00:00-05:00", severity="light")
    assert jm["effects"]["uncovered_regions"] == ["JM"] and len(jm["effects"]["packs"]) == 2, jm["effects"]
    us = client.post("/v1/complaints", json={"phone": "+1 212 555 0123", "severity": "light",
                                             "received_at": "2026-12-09T10:00:00-05:00"}, headers=key).json
    assert us["policy"]["pack"] == "us-tcpa" and not {"packs", "uncovered_regions"} & set(us["effects"]), us["effects"]


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_complaint_reported_after_a_call_to_a_number_its_pack_does_not_cover_is_judged_by_every_pack_too(make_app):
    # A call to a Vancouver number (phonenumbers: 604 is CA) in a cn-bank campaign is denied OUT_OF_JURISDICTION; made
    # anyway, the complaint reported with its outcome was judged by cn-bank alone (no mute after one complaint), though
    # no pack is the callee's: it takes every pack in effect, failing closed, as one filed directly does.
    app = make_app(GUARD_ALLOW_CLIENT_TIME="1", GUARD_DEFAULT_PACK="cn-bank")
    client, key = app.test_client(), new_key(app, "dialer", "operator")
    r = client.post("/v1/check", json={"phone": "+1 604 555 0123", "campaign": "dep-2026q4",
                                       "at": "2026-12-09T10:00:00-08:00"}, headers=key)
    assert r.status_code == 200 and codes(r.json) == ["OUT_OF_JURISDICTION"], r.json
    r = client.post(f"/v1/calls/{r.json['decision_id']}/outcome",
                    json={"disposition": "complaint", "ended_at": "2026-12-09T10:02:00-08:00"}, headers=key)
    assert r.status_code in (200, 201), r.json
    filed = r.json["effects"]["complaint"]["effects"]
    assert [p["pack"] for p in filed["packs"]] == ["cn-bank", "us-tcpa"] and filed["uncovered_regions"] == ["CA"], filed
    assert filed["mute_id"], filed
