"""POST /v1/calls/{decision_id}/outcome: each disposition's effect on the very next check."""

from __future__ import annotations

from tests.conftest import new_key
from tests.suppression.conftest import codes


def test_do_not_call_blacklists_the_number_and_every_number_of_the_customer(api):
    api.customer("C1", ["13800138000", "13900139000"])
    first = api.check("13800138000")
    assert first["allowed"] and first["customer_id"] == "C1"
    out = api.outcome(first["decision_id"], "do_not_call", note="客户表示没兴趣")
    assert out["duplicate"] is False and len(out["effects"]["blacklist"]) == 2
    for phone in ("13800138000", "13900139000"):
        d = api.check(phone)
        assert "DNC_OPT_OUT" in codes(d) and d["next_allowed_at"] is None
    # A number the customer gets later is covered too (the entry is on the customer).
    api.customer("C1", ["13800138000", "13900139000", "13700137000"])
    assert "DNC_OPT_OUT" in codes(api.check("13700137000"))


def test_reporting_the_same_outcome_twice_changes_nothing_and_a_different_one_conflicts(api, client):
    api.customer("C1", ["13800138000"])
    d = api.check()
    first = api.outcome(d["decision_id"], "do_not_call")
    again = api.outcome(d["decision_id"], "do_not_call", status=200)
    assert again["duplicate"] is True and again["effects"] == first["effects"]
    lookup = client.get("/v1/blacklist/13800138000", headers=client.operator).json
    assert len(lookup["entries"]) == 2  # the number's entry and the customer's, once each
    r = client.post(f"/v1/calls/{d['decision_id']}/outcome", json={"disposition": "answered"}, headers=client.dialer)
    assert r.status_code == 409 and r.json["error"]["details"]["disposition"] == "do_not_call"


def test_a_repeat_with_a_different_note_or_end_is_a_conflict_not_a_duplicate(api, client):
    # The first report said only "answered"; the agent's note, sent again with the same disposition,
    # asks to stop calling. Answered as a duplicate, the customer's request was dropped without a word
    # and the number stayed callable: a report that differs is not the same report.
    d = api.check("13800138000")
    api.outcome(d["decision_id"], "answered")
    r = client.post(f"/v1/calls/{d['decision_id']}/outcome", json={"disposition": "answered", "note": "客户说不要再打了"},
                    headers=client.dialer)
    assert r.status_code == 409 and r.json["error"]["details"]["differs"] == ["note"], r.json
    r = client.post(f"/v1/calls/{d['decision_id']}/outcome",
                    json={"disposition": "answered", "ended_at": "2026-11-23T10:20:00+08:00"}, headers=client.dialer)
    assert r.status_code == 409 and r.json["error"]["details"]["differs"] == ["ended_at"], r.json
    # The very same report again is still a duplicate (a retry), and so is one leaving out what it said before.
    d2 = api.check("13600136000")
    first = api.outcome(d2["decision_id"], "refused", note="暂时不需要", ended_at="2026-11-23T10:17:00+08:00")
    assert api.outcome(d2["decision_id"], "refused", status=200, note="暂时不需要",
                       ended_at="2026-11-23T02:17:00+00:00")["duplicate"] is True
    assert api.outcome(d2["decision_id"], "refused", status=200)["effects"] == first["effects"]


def test_a_complaint_reported_again_as_severe_is_a_conflict_not_a_light_duplicate(api, client):
    # A light complaint (the default) reported again as severe was a duplicate: the complaint stayed light and
    # the supervisor's 30-minute escalation was never due.
    d = api.check("13800138000")
    first = api.outcome(d["decision_id"], "complaint", note="推销太频繁")
    url = f"/v1/calls/{d['decision_id']}/outcome"
    r = client.post(url, json={"disposition": "complaint", "note": "推销太频繁", "severity": "severe"}, headers=client.dialer)
    assert r.status_code == 409 and r.json["error"]["details"]["differs"] == ["severity"], r.json
    r = client.post(url, json={"disposition": "complaint", "note": "推销太频繁", "category": "fraud"}, headers=client.dialer)
    assert r.status_code == 409 and r.json["error"]["details"]["differs"] == ["category"], r.json
    again = api.outcome(d["decision_id"], "complaint", status=200, note="推销太频繁", severity="light", category="outbound call")
    assert again["duplicate"] is True and again["effects"] == first["effects"]


def test_callback_defers_until_callback_at_and_by_default_by_the_packs_deferral(api):
    d = api.check("13800138000")
    out = api.outcome(d["decision_id"], "callback", callback_at="2026-11-26T15:00:00+08:00")
    assert out["effects"]["deferral"]["not_before"] == "2026-11-26T07:00:00+00:00"
    api.later(days=1, hours=1)  # past the 24 h cap
    nxt = api.check("13800138000")
    assert codes(nxt) == ["CALLBACK_DEFERRED"] and nxt["next_allowed_at"] == "2026-11-26T15:00:00+08:00"
    # No callback_at: the pack's deferral_default (3 days) after the call, counted in the callee's days: the day of the
    # call not counted, the third day ending at 24:00 (民法典 第二百零一条, 第二百零三条), not at 11:18 72 hours later.
    d2 = api.check("13600136000")
    out2 = api.outcome(d2["decision_id"], "callback", ended_at="2026-11-24T11:18:00+08:00")
    assert out2["effects"]["deferral"]["not_before"] == "2026-11-27T16:00:00+00:00"
    api.later(days=3, hours=12)  # 2026-11-27 23:15+08:00: 72 hours after the call, before 24:00 of the 27th
    assert "CALLBACK_DEFERRED" in codes(api.check("13600136000", dry_run=True))


def test_check_then_two_complaints_then_the_check_is_muted(api, client):
    api.customer("C7", ["13800138000"])
    first = api.check()
    assert first["allowed"] and first["cap_tier"] == "normal"
    out = api.outcome(first["decision_id"], "complaint", note="推销太频繁", severity="medium")
    complaint = out["effects"]["complaint"]
    assert complaint["effects"]["tagged_sensitive"] is True and complaint["effects"]["mute_id"] is None
    api.later(days=91)  # past the sensitive cap (1 per 90 days)
    second = api.check()
    assert second["allowed"] and second["cap_tier"] == "sensitive"
    out2 = api.outcome(second["decision_id"], "complaint")
    assert out2["effects"]["complaint"]["effects"]["mute_id"]
    third = api.check()
    assert codes(third)[0] == "MUTED" and not third["allowed"]
    assert client.get("/v1/customers/C7", headers=client.operator).json["tags"] == ["sensitive"]


def test_a_note_asking_to_stop_calling_blacklists_whatever_the_disposition(api):
    d = api.check("13800138000")
    out = api.outcome(d["decision_id"], "refused", note="客户说：不 要 再 打 了！")
    assert len(out["effects"]["blacklist"]) == 1
    assert "DNC_OPT_OUT" in codes(api.check("13800138000"))
    d2 = api.check("13600136000")
    out2 = api.outcome(d2["decision_id"], "refused", note="客户暂时不需要，下季度可再联系")
    assert "blacklist" not in out2["effects"]


def test_an_outcome_for_a_denied_decision_is_kept_counted_and_flagged(api, client):
    api.check("13800138000")
    denied = api.check("13800138000")
    assert not denied["allowed"]
    out = api.outcome(denied["decision_id"], "answered")
    assert out["called_despite_deny"] is True


def test_outcome_errors(api, client):
    r = client.post("/v1/calls/nope/outcome", json={"disposition": "busy"}, headers=client.dialer)
    assert r.status_code == 404 and r.json["error"]["code"] == "NOT_FOUND"
    dry = api.check(dry_run=True)
    r = client.post(f"/v1/calls/{dry['decision_id']}/outcome", json={"disposition": "busy"}, headers=client.dialer)
    assert r.status_code == 409
    d = api.check()
    url = f"/v1/calls/{d['decision_id']}/outcome"
    for body, field in [
        ({"disposition": "hung_up"}, "disposition"),
        ({"disposition": "answered", "callback_at": "2026-11-30T10:00:00+08:00"}, "callback_at"),
        ({"disposition": "answered", "ended_at": "2027-01-01T10:00:00+08:00"}, "ended_at"),
        ({"disposition": "answered", "severity": "light"}, "severity"),
        ({"disposition": "callback", "callback_at": "2026-11-01T10:00:00+08:00"}, "callback_at"),
        ({"disposition": "answered", "extra": 1}, "extra"),
        ({}, "disposition"),
    ]:
        r = client.post(url, json=body, headers=client.dialer)
        assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == field, (body, r.json)
    assert client.post(url, json={"disposition": "busy"}, headers=client.operator).status_code == 403
    assert client.post(url, data="disposition=busy", headers=client.dialer).status_code == 415
    # None of the refused reports left a mark: the first valid one is still the first.
    assert api.outcome(d["decision_id"], "busy")["duplicate"] is False


def _labelled_key(app, label):
    from guard.services.ops.keys import create_key

    rt = app.extensions["guard"]
    return {"Authorization": "Bearer " + create_key(rt.store, ["dialer"], rt.clock(), label)}


def test_only_the_dialer_that_obtained_a_decision_reports_its_outcome(app, api, client):
    # An outcome is reported once. Another dialer's key reporting "answered" on this decision stood in for
    # the real report: the customer's do_not_call, sent next by the dialer that made the call, was a 409
    # and the customer stayed callable.
    client.dialer = _labelled_key(app, "CTI cluster A")
    vendor_b = _labelled_key(app, "outsourced vendor B")
    d = api.check("13800138000")
    url = f"/v1/calls/{d['decision_id']}/outcome"
    r = client.post(url, json={"disposition": "answered"}, headers=vendor_b)
    assert r.status_code == 403 and r.json["error"]["code"] == "NOT_YOUR_DECISION", r.json
    api.outcome(d["decision_id"], "do_not_call")
    assert "DNC_OPT_OUT" in codes(api.check("13800138000"))
    # Nor does another dialer read the report back as a duplicate (its effects name the numbers blocked).
    r = client.post(url, json={"disposition": "do_not_call"}, headers=vendor_b)
    assert r.status_code == 403, r.json


def test_another_dialers_refused_report_is_kept_as_a_dial_the_decision_log_audit_counts(app, api, client):
    # Vendor B reporting on vendor A's decision dialled the number on a decision that allowed one call, A's. The 403
    # was the whole record of it: the decision-log audit saw A's call only. The refused report is kept, as a report on
    # an unknown decision is, and the audit counts B's dial as UNCHECKED_CALL naming the number, the decision and B's key.
    from datetime import datetime, timezone

    from guard.services import audits

    client.dialer = _labelled_key(app, "CTI cluster A")
    vendor_b = _labelled_key(app, "outsourced vendor B")
    d = api.check("13800138000")
    url = f"/v1/calls/{d['decision_id']}/outcome"
    for _ in range(2):  # a retried report is one dial
        assert client.post(url, json={"disposition": "answered"}, headers=vendor_b).status_code == 403
    api.outcome(d["decision_id"], "answered")
    rt = app.extensions["guard"]
    audit_id = audits.create(rt.store, "decision_log", "decisions", None, rt.clock(), "test")
    s = audits.audit_decision_log(rt.store, audit_id, datetime(2020, 1, 1, tzinfo=timezone.utc),
                                  datetime(2100, 1, 1, tzinfo=timezone.utc), rt.clock)
    assert (s["calls_judged"], s["by_code"], s["calls_unchecked"]) == (2, {"UNCHECKED_CALL": 1}, 1), s
    page = client.get(f"/v1/audits/{audit_id}/violations", headers=new_key(app, "auditor")).json["violations"]
    (v,) = page
    assert (v["phone_e164"], v["campaign"]) == ("+8613800138000", "dep-2026q4"), v
    assert v["detail"]["why"] == "the decision was obtained by another dialer" and v["detail"]["decision_id"] == d["decision_id"]
    assert v["detail"]["key_id"] == vendor_b["Authorization"].removeprefix("Bearer gk_").split("_")[0], v


def test_a_rotated_key_of_the_same_dialer_and_an_admin_report_outcomes(app, api, client):
    client.dialer = _labelled_key(app, "CTI cluster A")
    first, second = api.check("13800138000"), api.check("13900139000")
    successor = _labelled_key(app, "CTI cluster A")  # the key that replaces the dialer's, same label
    r = client.post(f"/v1/calls/{first['decision_id']}/outcome", json={"disposition": "answered"}, headers=successor)
    assert r.status_code == 201, r.json
    r = client.post(f"/v1/calls/{second['decision_id']}/outcome", json={"disposition": "busy"}, headers=client.admin)
    assert r.status_code == 201, r.json
    # A key with no label is its own dialer only.
    unlabelled = new_key(app, "dialer")
    third = api.check("13700137000")
    r = client.post(f"/v1/calls/{third['decision_id']}/outcome", json={"disposition": "busy"}, headers=unlabelled)
    assert r.status_code == 403, r.json


def test_a_different_disposition_is_named_in_differs(api, client):
    # The 409's `details.differs` names what the repeat gives otherwise (OpenAPI: "a different one is 409 …
    # `details.differs`"); a different disposition answered `differs: []`, so a client reading it learned nothing.
    d = api.check("13800138000")
    api.outcome(d["decision_id"], "answered")
    r = client.post(f"/v1/calls/{d['decision_id']}/outcome", json={"disposition": "busy", "note": "线路忙"}, headers=client.dialer)
    assert r.status_code == 409, r.json
    details = r.json["error"]["details"]
    assert details["disposition"] == "answered" and details["differs"] == ["disposition", "note"], details
