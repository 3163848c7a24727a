"""Complaints: SLA deadlines from the pack, sensitive tag, mute after N, stop-calling texts, events, overdue."""

from __future__ import annotations

import pytest

from guard.services.ops.jobs import run_job
from tests.suppression.conftest import codes


def file(client, status=201, **body):
    r = client.post("/v1/complaints", json=body, headers=client.operator)
    assert r.status_code == status, r.json
    return r.json


@pytest.mark.parametrize("severity, first, resolve, escalate", [
    ("light", "2026-11-23T04:15:00+00:00", "2026-11-24T02:15:00+00:00", None),
    ("medium", "2026-11-23T03:15:00+00:00", "2026-11-25T02:15:00+00:00", None),
    # severe: the 15 days (written `15d`) end at 24:00 Shanghai of the 15th day after the day of receipt (民法典 第二百零一条,
    # 第二百零三条; the regulation's "自收到消费投诉之日起15日内"), not 15 × 24 h after 10:15
    ("severe", None, "2026-12-08T16:00:00+00:00", "2026-11-23T02:45:00+00:00"),
])
def test_deadlines_come_from_the_packs_sla_for_the_severity(client, severity, first, resolve, escalate):
    c = file(client, phone="13800138000", severity=severity, category="营销扰民")
    assert c["status"] == "open" and c["severity"] == severity and c["policy"]["pack"] == "cn-bank"
    assert (c["sla"]["first_response_due"], c["sla"]["resolution_due"], c["sla"]["escalation_due"]) == (first, resolve, escalate)
    assert [e["type"] for e in c["events"]] == ["filed"]


def test_a_complaint_tags_the_customer_sensitive_at_once(api, client):
    api.customer("C3", ["13800138000"], tags=["vip"])
    c = file(client, customer_id="C3", severity="light")
    assert c["effects"]["tagged_sensitive"] is True and c["customer_id"] == "C3"
    assert client.get("/v1/customers/C3", headers=client.operator).json["tags"] == ["sensitive", "vip"]
    d = api.check("13800138000")
    assert d["cap_tier"] == "sensitive"


def test_n_complaints_within_the_window_mute_even_a_number_with_no_customer(api, client):
    first = file(client, phone="13800138000", severity="light")
    assert first["effects"]["mute_id"] is None and first["customer_id"] is None
    assert api.check("13800138000")["allowed"]
    api.later(days=100)
    second = file(client, phone="13800138000", severity="light")
    assert second["effects"]["mute_id"]
    d = api.check("13800138000")
    assert codes(d) == ["MUTED"] and d["next_allowed_at"] is not None


@pytest.mark.parametrize("text, stops", [
    ("客户来电：请你们不要再打了", True),
    ("别 再 打 电 话 给 我！", True),
    ("以後別再打來了", True),
    ("不要再联系我", True),
    ("理财经理介绍的产品收益和宣传不一致", False),
    ("客户咨询存款利率", False),
])
def test_a_text_asking_to_stop_calling_blacklists(api, client, text, stops):
    c = file(client, phone="13800138000", severity="medium", text=text)
    assert bool(c["effects"]["blacklist"]) is stops
    assert ("DNC_OPT_OUT" in codes(api.check("13800138000"))) is stops


def test_a_stop_calling_complaint_entered_late_blacklists_from_its_receipt(api, client):
    # The customer refused further calls when the complaint was received (消费者权益保护法第二十九条: 消费者明确表示
    # 拒绝的，不得向其发送商业性信息): the entry takes effect then, as the consent it withdraws does, so an audit of
    # the calls made between receipt and entry (--basis known_now) finds them.
    api.customer("C9", ["13800138000"])
    received = "2026-11-20T16:00:00+08:00"  # a letter of Friday, entered on Monday
    c = file(client, phone="13800138000", severity="medium", text="客户来信：以后不要再打了", received_at=received)
    assert len(c["effects"]["blacklist"]) == 2
    entries = client.get("/v1/blacklist/13800138000", headers=client.operator).json["entries"]
    assert {e["source"] for e in entries} == {"complaint"} and len(entries) == 2
    assert {e["added_at"] for e in entries} == {"2026-11-20T08:00:00+00:00"}
    assert {e["recorded_at"] for e in entries} == {"2026-11-23T02:15:00+00:00"}


def test_an_event_a_key_records_for_a_named_person_keeps_both_the_person_and_the_key(client):
    """A ticket system's key may say which person acted (`by`); the history must still say which key recorded it."""
    c = file(client, phone="13800138000", severity="light")
    key_id = client.get("/v1/me", headers=client.operator).json["key_id"]
    r = client.post(f"/v1/complaints/{c['id']}/events", json={"type": "first_response", "note": "已致电", "by": "客服 李四"},
                    headers=client.operator)
    assert r.status_code == 201, r.json
    first = r.json["events"][-1]
    assert (first["actor"], first["recorded_by"]) == ("客服 李四", key_id)
    assert (r.json["events"][0]["actor"], r.json["events"][0]["recorded_by"]) == (key_id, key_id)  # filed by the key itself
    got = client.get(f"/v1/complaints/{c['id']}", headers=client.operator).json
    assert got["events"][-1]["recorded_by"] == key_id


def test_events_first_response_then_resolved_then_nothing_more(api, client):
    c = file(client, phone="13800138000", severity="light")
    url = f"/v1/complaints/{c['id']}/events"
    r = client.post(url, json={"type": "first_response", "note": "已致电客户致歉"}, headers=client.operator)
    assert r.status_code == 201 and r.json["first_response_at"] and r.json["status"] == "open"
    r = client.post(url, json={"type": "first_response"}, headers=client.operator)
    assert r.status_code == 409
    r = client.post(url, json={"type": "resolved", "note": "已致歉并说明", "by": "supervisor Wang"}, headers=client.operator)
    assert r.status_code == 201 and r.json["status"] == "resolved"
    assert [e["type"] for e in r.json["events"]] == ["filed", "first_response", "resolved"]
    assert r.json["events"][-1]["actor"] == "supervisor Wang"
    assert client.post(url, json={"type": "escalated"}, headers=client.operator).status_code == 409
    r = client.post("/v1/complaints/nope/events", json={"type": "resolved", "note": "已处理"}, headers=client.operator)
    assert r.status_code == 404 and r.json["error"]["code"] == "NOT_FOUND"
    r = client.post(url, json={"type": "reopened"}, headers=client.operator)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "type"
    c2 = file(client, phone="13600136000", severity="light")
    r = client.post(f"/v1/complaints/{c2['id']}/events", json={"type": "first_response", "at": "2026-11-20T10:00:00+08:00"},
                    headers=client.operator)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "at"


def test_listing_by_status_and_the_scheduler_job_marks_and_escalates_once(app, api, client, clock):
    light = file(client, phone="13800138000", severity="light")
    severe = file(client, phone="13600136000", severity="severe")
    done = file(client, phone="13700137000", severity="light")
    client.post(f"/v1/complaints/{done['id']}/events", json={"type": "resolved", "note": "已处理"}, headers=client.operator)

    def ids(status):
        r = client.get(f"/v1/complaints?status={status}", headers=client.operator)
        assert r.status_code == 200
        return {c["id"] for c in r.json["complaints"]}

    assert ids("open") == {light["id"], severe["id"]} and ids("resolved") == {done["id"]} and ids("overdue") == set()
    api.later(minutes=45)  # the severe one was not escalated within 30 minutes
    assert ids("overdue") == {severe["id"]} and ids("open") == {light["id"]}
    rt = app.extensions["guard"]
    assert run_job(rt.store, "complaint_sla", rt.clock) == {"overdue": 1, "escalated": 1, "callback_overdue": 0}
    assert run_job(rt.store, "complaint_sla", rt.clock) == {"overdue": 0, "escalated": 0, "callback_overdue": 0}
    s = client.get(f"/v1/complaints/{severe['id']}", headers=client.operator).json
    # Escalated late by the scheduler: the escalation deadline stays missed, with when it was due and done.
    assert s["status"] == "overdue" and s["escalated_at"] and s["sla"]["missed"] == ["escalate"]
    assert s["sla"]["breaches"] == [{"kind": "escalate", "due": severe["sla"]["escalation_due"], "done_at": s["escalated_at"]}]
    assert [e["type"] for e in s["events"]] == ["filed", "overdue", "escalated"]
    api.later(hours=2)  # the light one missed its first response
    assert run_job(rt.store, "complaint_sla", rt.clock) == {"overdue": 1, "escalated": 1, "callback_overdue": 0}
    assert ids("overdue") == {light["id"], severe["id"]} and ids("open") == set()


def test_a_scheduler_that_was_down_when_the_deadline_passed_escalates_once_and_says_it_is_late(app, api, client):
    """The scheduler was down for a day: its first run escalates the complaint once, now, and the `overdue` event is
    dated when the deadline fell due (recorded now), naming each deadline missed with its due instant."""
    c = file(client, phone="13800138000", severity="light")  # received 2026-11-23 02:15 UTC: first response due 04:15
    api.later(days=1, hours=6)
    rt = app.extensions["guard"]
    assert run_job(rt.store, "complaint_sla", rt.clock) == {"overdue": 1, "escalated": 1, "callback_overdue": 0}
    assert run_job(rt.store, "complaint_sla", rt.clock) == {"overdue": 0, "escalated": 0, "callback_overdue": 0}
    got = client.get(f"/v1/complaints/{c['id']}", headers=client.operator).json
    overdue, escalated = got["events"][1:]
    now = got["escalated_at"]
    assert (overdue["type"], overdue["at"], overdue["recorded_at"]) == ("overdue", c["sla"]["first_response_due"], now)
    assert got["overdue_at"] == c["sla"]["first_response_due"]
    assert overdue["note"] == (f"missed: first_response (due {c['sla']['first_response_due']}, not done), "
                               f"resolve (due {c['sla']['resolution_due']}, not done)")
    assert (escalated["type"], escalated["at"]) == ("escalated", now)


def test_a_complaint_escalated_by_a_person_after_the_job_read_it_is_not_escalated_again(app, api, client):
    """The job reads the overdue complaints, then an operator escalates one (to a named supervisor) and commits before the
    job writes: the job judges it as it now is, marking it overdue without a second escalation (the person's escalation
    instant kept), once. Likewise a callback made meanwhile is not marked late."""
    from guard.services.suppression.complaints import mark_callback_overdue, mark_one_overdue
    from guard.store import complaints as complaint_store

    c = file(client, phone="13800138000", severity="light")
    done = file(client, phone="13600136000", severity="light")
    client.post(f"/v1/complaints/{done['id']}/events", json={"type": "resolved", "note": "已处理"}, headers=client.operator)
    api.later(days=8, hours=3)
    rt = app.extensions["guard"]
    now = rt.clock()
    with rt.store.read() as conn:  # what the job read
        (stale,) = complaint_store.to_mark_overdue(conn, now)
        (stale_callback,) = complaint_store.callbacks_to_mark_overdue(conn, now)
    by_hand = client.post(f"/v1/complaints/{c['id']}/events", json={"type": "escalated", "to": "消保主管 张三"},
                          headers=client.operator).json
    client.post(f"/v1/complaints/{done['id']}/events", json={"type": "callback", "result": "satisfied"}, headers=client.operator)
    with rt.store.locked() as conn:
        assert mark_one_overdue(conn, stale, now, "scheduler") == (True, False)
        assert mark_callback_overdue(conn, stale_callback, now, "scheduler") is False
    assert run_job(rt.store, "complaint_sla", rt.clock) == {"overdue": 0, "escalated": 0, "callback_overdue": 0}
    got = client.get(f"/v1/complaints/{c['id']}", headers=client.operator).json
    assert [e["type"] for e in got["events"]] == ["filed", "escalated", "overdue"] and got["escalated_at"] == by_hand["escalated_at"]
    assert got["escalated_to"] == "消保主管 张三" and got["stage"] == "escalated"


def test_complaint_input_errors(client):
    for body, field in [
        ({"severity": "light"}, "phone"),
        ({"phone": "13800138000", "severity": "critical"}, "severity"),
        ({"phone": "13800138000", "severity": "light", "received_at": "2027-01-01T00:00:00+08:00"}, "received_at"),
        ({"phone": "abc", "severity": "light"}, "phone"),
    ]:
        r = client.post("/v1/complaints", json=body, headers=client.operator)
        assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == field, (body, r.json)
    r = client.get("/v1/complaints?status=late", headers=client.operator)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "status"
    assert client.get("/v1/complaints", headers=client.dialer).status_code == 403


@pytest.mark.parametrize("kind, body", [
    ("first_response", {"note": "回访时客户表示以后不要再打电话推销了"}),
    ("resolved", {"note": "已致歉。客户要求不再以任何方式向他推销"}),
])
def test_a_stop_request_heard_while_handling_a_complaint_blacklists(api, client, kind, body):
    """The officer who answers a complaint is the one who hears "以后不要再打了" (the first contact, the resolution
    call): written in the event's note, it is a stop request as much as the complaint's own text (SPEC §3.6), from the
    event's time; dropped, the customer who said it is called again."""
    api.customer("C7", ["13800138000"])
    c = file(client, phone="13800138000", severity="light", text="理财经理介绍的产品收益和宣传不一致")
    assert c["effects"]["blacklist"] == [] and "DNC_OPT_OUT" not in codes(api.check("13800138000", dry_run=True))
    r = client.post(f"/v1/complaints/{c['id']}/events", json={"type": kind, **body}, headers=client.operator)
    assert r.status_code == 201, r.json
    assert "DNC_OPT_OUT" in codes(api.check("13800138000"))
    entries = client.get("/v1/blacklist/13800138000", headers=client.operator).json["entries"]
    assert {e["source"] for e in entries} == {"complaint"} and {e["customer_id"] for e in entries} == {None, "C7"}


def test_an_event_note_without_a_stop_request_blacklists_nothing(api, client):
    api.customer("C7", ["13800138000"])
    c = file(client, phone="13800138000", severity="light")
    r = client.post(f"/v1/complaints/{c['id']}/events", json={"type": "first_response", "note": "已致电客户致歉"},
                    headers=client.operator)
    assert r.status_code == 201
    assert "DNC_OPT_OUT" not in codes(api.check("13800138000"))


def test_a_severe_complaint_whose_15th_day_is_a_saturday_is_due_by_the_end_of_monday(client):
    """民法典 第二百零三条: a period whose last day is a day off (法定休假日) ends with the next working day. Received Friday
    20 November 2026 in Shanghai, the 15th day is Saturday 5 December, so the complaint is due by 24:00 on Monday 7 December."""
    c = file(client, phone="13800138000", severity="severe", category="误导销售", received_at="2026-11-20T10:00:00+08:00")
    assert c["sla"]["resolution_due"] == "2026-12-07T16:00:00+00:00", c["sla"]
