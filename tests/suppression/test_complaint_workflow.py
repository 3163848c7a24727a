"""The complaint workflow as one queue: stages and their counts, resolution with a note, escalation to a
supervisor, the satisfaction callback (its due date, its result, and that it is a service contact that
touches neither mutes nor caps), complaints and blacklist entries for a number with no customer profile.
Every test runs on SQLite and on PostgreSQL (the `client` fixture's store)."""

from __future__ import annotations

import base64
import shutil
from datetime import datetime, timedelta

import pytest
import yaml

from guard.services.ops.jobs import run_job
from tests.conftest import PACKS, new_key
from tests.suppression.conftest import codes


def file(client, status=201, **body):
    r = client.post("/v1/complaints", json=body, headers=client.operator)
    assert r.status_code == status, r.json
    return r.json


def event(client, complaint_id, status=201, **body):
    r = client.post(f"/v1/complaints/{complaint_id}/events", json=body, headers=client.operator)
    assert r.status_code == status, r.json
    return r.json


def field_of(r) -> str:
    return r.json["error"]["details"][0]["field"]


def counts(client) -> dict:
    r = client.get("/v1/complaints/counts", headers=client.operator)
    assert r.status_code == 200, r.json
    return r.json


def ids(client, **query) -> set[str]:
    r = client.get("/v1/complaints", query_string=query, headers=client.operator)
    assert r.status_code == 200, r.json
    return {c["id"] for c in r.json["complaints"]}


# --- resolution needs a note; the callback's due date ----------------------------------------------------

def test_resolving_requires_a_note_naming_the_field(client):
    c = file(client, phone="13800138000", severity="light", category="营销扰民")
    for body in ({"type": "resolved"}, {"type": "resolved", "note": "   "}):
        r = client.post(f"/v1/complaints/{c['id']}/events", json=body, headers=client.operator)
        assert r.status_code == 400 and field_of(r) == "note", r.json
    assert client.get(f"/v1/complaints/{c['id']}", headers=client.operator).json["resolved_at"] is None
    done = event(client, c["id"], type="resolved", note="已致歉，停止对该客户的营销外呼")
    assert done["status"] == "resolved" and done["events"][-1]["note"] == "已致歉，停止对该客户的营销外呼"


def test_resolution_sets_the_satisfaction_callback_due_one_week_later(client):
    c = file(client, phone="13800138000", severity="medium")
    assert c["stage"] == "new" and c["callback"] == {"due": None, "at": None, "result": None, "overdue_at": None}
    r = event(client, c["id"], type="resolved", note="已解释并致歉", at="2026-11-23T10:20:00+08:00")
    assert r["resolved_at"] == "2026-11-23T02:20:00+00:00"
    assert r["callback"]["due"] == "2026-11-30T02:20:00+00:00"  # resolved_at + 7 days (cn-bank: the default)
    assert r["stage"] == "awaiting_callback" and r["late"] is False
    assert r["next_due"] == {"kind": "callback", "at": "2026-11-30T02:20:00+00:00"}


@pytest.fixture
def packs_with_callback(tmp_path):
    def make(value):
        target = tmp_path / f"packs-{value}"
        shutil.copytree(PACKS, target)
        path = target / "cn-bank-2026.4.yaml"
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        raw["complaints"]["callback"] = value
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        return str(target)
    return make


@pytest.mark.parametrize("setting, due, stage", [("3d", "2026-11-26T02:15:00+00:00", "awaiting_callback"), ("none", None, "closed")])
def test_the_callback_period_is_a_pack_setting(make_app, clock, packs_with_callback, setting, due, stage):
    app = make_app(clock=clock, GUARD_POLICY_DIR=packs_with_callback(setting))
    c = app.test_client()
    key = new_key(app, "operator")
    filed = c.post("/v1/complaints", json={"phone": "13800138000", "severity": "light"}, headers=key).json
    r = c.post(f"/v1/complaints/{filed['id']}/events", json={"type": "resolved", "note": "已处理"}, headers=key)
    assert r.status_code == 201, r.json
    assert r.json["callback"]["due"] == due and r.json["stage"] == stage


# --- escalation to a supervisor -------------------------------------------------------------------------

def test_a_severe_complaint_is_escalated_to_a_named_supervisor_recorded_and_visible(client):
    severe = file(client, phone="13600136000", severity="severe", category="误导销售")
    assert severe["sla"]["escalation_due"] == "2026-11-23T02:45:00+00:00" and severe["escalated_to"] is None
    r = client.post(f"/v1/complaints/{severe['id']}/events", json={"type": "first_response", "to": "张主管"}, headers=client.operator)
    assert r.status_code == 400 and field_of(r) == "to"
    got = event(client, severe["id"], type="escalated", to="消保主管 张三", note="涉嫌误导销售")
    assert got["stage"] == "escalated" and got["escalated_to"] == "消保主管 张三" and got["escalated_at"]
    assert got["events"][-1]["type"] == "escalated" and got["events"][-1]["note"] == "→ 消保主管 张三: 涉嫌误导销售"
    assert got["sla"]["missed"] == [] and got["next_due"]["kind"] == "resolve"
    listed = client.get("/v1/complaints", query_string={"stage": "escalated"}, headers=client.operator).json["complaints"]
    assert [(c["id"], c["escalated_to"]) for c in listed] == [(severe["id"], "消保主管 张三")]


# --- the callback: a task in the queue, completed by its result ----------------------------------------

def test_the_callback_follows_the_resolution_once_with_a_result(client, api):
    c = file(client, phone="13800138000", severity="light")
    r = client.post(f"/v1/complaints/{c['id']}/events", json={"type": "callback", "result": "satisfied"}, headers=client.operator)
    assert r.status_code == 409  # not resolved yet
    r = client.post(f"/v1/complaints/{c['id']}/events", json={"type": "resolved", "note": "已处理", "result": "satisfied"},
                    headers=client.operator)
    assert r.status_code == 400 and field_of(r) == "result"
    event(client, c["id"], type="resolved", note="已处理")
    api.later(days=2)
    r = client.post(f"/v1/complaints/{c['id']}/events", json={"type": "callback"}, headers=client.operator)
    assert r.status_code == 400 and field_of(r) == "result"
    r = client.post(f"/v1/complaints/{c['id']}/events", json={"type": "callback", "result": "happy"}, headers=client.operator)
    assert r.status_code == 400 and field_of(r) == "result"
    r = client.post(f"/v1/complaints/{c['id']}/events", json={"type": "callback", "result": "satisfied", "at": "2026-11-22T10:00:00+08:00"},
                    headers=client.operator)
    assert r.status_code == 400 and field_of(r) == "at"  # before the resolution
    r = client.post(f"/v1/complaints/{c['id']}/events", json={"type": "first_response"}, headers=client.operator)
    assert r.status_code == 409  # resolved: only its callback may follow
    done = event(client, c["id"], type="callback", result="unsatisfied", note="客户认为致歉不够")
    assert done["stage"] == "callback_done" and done["callback"]["result"] == "unsatisfied" and done["callback"]["at"]
    assert done["next_due"] is None and done["late"] is False and done["status"] == "resolved"
    assert [e["type"] for e in done["events"]] == ["filed", "resolved", "callback"]
    assert done["events"][-1]["note"] == "unsatisfied: 客户认为致歉不够"
    assert client.post(f"/v1/complaints/{c['id']}/events", json={"type": "callback", "result": "satisfied"},
                       headers=client.operator).status_code == 409


def _attempts(app) -> int:
    from sqlalchemy import func, select

    from guard.store import models as m

    rt = app.extensions["guard"]
    with rt.store.read() as conn:
        return conn.execute(select(func.count()).select_from(m.Attempt.__table__)).scalar_one()


def test_the_callback_is_not_blocked_by_a_mute_and_neither_lifts_it_nor_counts_against_caps(app, api, client):
    # Muted: cn-bank mutes a customer at the second complaint within 180 days.
    api.customer("C1", ["13800138000"])
    first = file(client, customer_id="C1", severity="light", category="营销扰民")
    file(client, customer_id="C1", severity="light", category="营销扰民")
    assert codes(api.check("13800138000")) == ["MUTED"]
    event(client, first["id"], type="resolved", note="已致歉")
    before = _attempts(app)
    done = event(client, first["id"], type="callback", result="satisfied")  # the mute does not stop the service contact
    assert done["stage"] == "callback_done"
    assert _attempts(app) == before  # no call attempt written
    assert codes(api.check("13800138000")) == ["MUTED"]  # the mute still holds
    overview = client.get("/v1/customers/C1/overview", headers=client.operator).json
    assert overview["mute"]["muted"] is True and all(m["lifted_at"] is None for m in overview["mute"]["mutes"])

    # Caps: the sensitive tier allows one call per 90 days; a callback made first leaves that call free.
    api.customer("C2", ["13900139000"])
    other = file(client, customer_id="C2", severity="light")
    event(client, other["id"], type="resolved", note="已处理")
    event(client, other["id"], type="callback", result="satisfied")
    allowed = api.check("13900139000")
    assert allowed["allowed"] is True and allowed["cap_tier"] == "sensitive"
    assert codes(api.check("13900139000")) == ["FREQ_CAP"]  # that one marketing call is what counted


# --- the queue: counts per stage, filters, lateness and the scheduler -------------------------------------

def test_the_queue_counts_every_stage_and_filters_by_it(client, api):
    assert counts(client)["stages"] == {s: 0 for s in ("new", "first_responded", "escalated", "awaiting_callback", "callback_done", "closed")}
    new = file(client, phone="13800138000", severity="light")
    answered = file(client, phone="13600136000", severity="medium")
    event(client, answered["id"], type="first_response", note="已回电")
    escalated = file(client, phone="13700137000", severity="severe")
    event(client, escalated["id"], type="escalated", to="主管")
    waiting = file(client, phone="13500135000", severity="light")
    event(client, waiting["id"], type="resolved", note="已处理")
    called = file(client, phone="13300133000", severity="light")
    event(client, called["id"], type="resolved", note="已处理")
    event(client, called["id"], type="callback", result="satisfied")
    got = counts(client)
    assert got["stages"] == {"new": 1, "first_responded": 1, "escalated": 1, "awaiting_callback": 1, "callback_done": 1, "closed": 0}
    assert got["late"] == 0
    assert ids(client, stage="new") == {new["id"]} and ids(client, stage="first_responded") == {answered["id"]}
    assert ids(client, stage="awaiting_callback") == {waiting["id"]} and ids(client, stage="callback_done") == {called["id"]}
    assert ids(client, status="resolved") == {waiting["id"], called["id"]}  # the resolved tab
    api.later(hours=3)  # the light one missed its first response (2 h), the medium one its... nothing yet
    assert ids(client, late="true") == {new["id"]} and counts(client)["late"] == 1
    r = client.get("/v1/complaints?stage=done", headers=client.operator)
    assert r.status_code == 400 and field_of(r) == "stage"


def test_the_queue_pages_by_next_each_complaint_once_while_complaints_are_filed_and_resolved(client):
    """The list held at most 1,000 complaints, oldest first, and no way past them: the newest resolved ones were out
    of reach (the console's resolved tab showed the 500 oldest). Pages follow `next`, keyed on the sort, so complaints
    received at one instant each come once, and a complaint filed or resolved between pages moves no other one."""
    made = [file(client, phone=p, severity="light")["id"] for p in ("13800138000", "13600136000", "13700137000", "13500135000")]
    resolved: list[str] = []
    for sort in ("received", "due"):
        seen, after = [], None
        while True:
            r = client.get("/v1/complaints", query_string={"sort": sort, "limit": 1, **({"after": after} if after else {})},
                           headers=client.operator)
            assert r.status_code == 200, r.json
            seen += [c["id"] for c in r.json["complaints"]]
            if len(seen) == 1:  # between pages: one not read yet resolved (its deadline now the callback's), one more filed
                resolved.append(next(c for c in made if c not in seen and c not in resolved))
                event(client, resolved[-1], type="resolved", note="已处理")
                made.append(file(client, phone="1330013300" + str(len(made)), severity="light")["id"])
            after = r.json["next"]
            if after is None:
                break
        assert len(seen) == len(set(seen)) and set(made[:4]) <= set(seen), (sort, seen)
    other = client.get("/v1/complaints?sort=received&limit=1", headers=client.operator).json["next"]
    beyond = base64.urlsafe_b64encode(b'["due","0001-01-01T00:00:00+05:00","2026-01-01T00:00:00+00:00","a"]').decode()  # before UTC's year 1
    for cursor, said in ((other, "sort"), ("bm90IGEgY3Vyc29y", "cursor"), ("%%", "cursor"), (beyond, "cursor")):
        r = client.get("/v1/complaints", query_string={"sort": "due", "after": cursor}, headers=client.operator)
        assert r.status_code == 400 and field_of(r) == "after" and said in r.json["error"]["message"], r.json


def test_a_late_callback_is_late_in_the_queue_and_the_scheduler_records_it_once(app, client, api):
    c = file(client, phone="13800138000", severity="light")
    event(client, c["id"], type="resolved", note="已处理")
    rt = app.extensions["guard"]
    assert run_job(rt.store, "complaint_sla", rt.clock) == {"overdue": 0, "escalated": 0, "callback_overdue": 0}
    api.later(days=7, minutes=1)
    got = client.get(f"/v1/complaints/{c['id']}", headers=client.operator).json
    assert got["late"] is True and got["sla"]["missed"] == ["callback"] and got["status"] == "resolved"
    assert ids(client, late="true") == {c["id"]} and counts(client)["late"] == 1
    assert run_job(rt.store, "complaint_sla", rt.clock) == {"overdue": 0, "escalated": 0, "callback_overdue": 1}
    assert run_job(rt.store, "complaint_sla", rt.clock) == {"overdue": 0, "escalated": 0, "callback_overdue": 0}
    got = client.get(f"/v1/complaints/{c['id']}", headers=client.operator).json
    # late from its due date, as a callback recorded late marks it, not from when the job ran (a minute later here)
    assert got["callback"]["overdue_at"] == got["callback"]["due"]
    assert [e["type"] for e in got["events"]] == ["filed", "resolved", "callback_overdue"]
    assert got["stage"] == "awaiting_callback"
    done = event(client, c["id"], type="callback", result="unreachable", note="三次未接通")
    assert done["late"] is False and done["stage"] == "callback_done" and counts(client)["late"] == 0


# --- a number with no customer profile ------------------------------------------------------------------

def test_a_number_with_no_profile_takes_a_complaint_and_a_blacklist_entry_and_has_an_overview(client):
    r = client.get("/v1/numbers/132 0013 2000/overview", headers=client.operator)  # never seen: an empty overview, not a 404
    assert r.status_code == 200 and r.json["phone_e164"] == "+8613200132000" and r.json["customer_id"] is None
    assert r.json["complaints"] == [] and r.json["blacklist"]["blocked"] is False
    c = file(client, phone="+86 132 0013 2000", severity="medium", category="营销扰民")
    assert c["customer_id"] is None and c["phone_e164"] == "+8613200132000"
    b = client.post("/v1/blacklist", json={"phone": "13200132000", "source": "customer_request", "reason": "来电要求不再营销"},
                    headers=client.operator)
    assert b.status_code == 201 and b.json["phone_e164"] == "+8613200132000"
    o = client.get("/v1/numbers/13200132000/overview", headers=client.operator).json
    assert [x["id"] for x in o["complaints"]] == [c["id"]] and o["blacklist"]["blocked"] is True
    assert {t["action"] for t in o["trail"]} == {"complaint_filed", "blacklist_added"}
    assert ids(client, phone="132-0013-2000") == {c["id"]}
    r = client.get("/v1/numbers/12345/overview", headers=client.operator)
    assert r.status_code == 400 and field_of(r) == "phone"
    assert client.get("/v1/numbers/13200132000/overview", headers=client.dialer).status_code == 403


def test_a_numbers_overview_names_the_customer_holding_it(client, api):
    api.customer("C7", ["13800138000"])
    o = client.get("/v1/numbers/+8613800138000/overview", headers=client.operator).json
    assert o["customer_id"] == "C7"


def test_filing_then_resolving_keeps_the_stage_in_step_in_the_store(app, client):
    from sqlalchemy import select

    from guard.store import models as m

    c = file(client, phone="13800138000", severity="light")
    event(client, c["id"], type="first_response", note="已回电")
    rt = app.extensions["guard"]
    with rt.store.read() as conn:
        row = conn.execute(select(m.Complaint.__table__).where(m.Complaint.__table__.c.id == c["id"])).first()
    assert row.stage == "first_responded" and isinstance(row.next_due_at, datetime)
    assert row.next_due_at == row.resolution_due and row.resolution_due - row.received_at == timedelta(hours=24)


def test_every_trail_action_of_the_workflow_is_a_registered_word(client, api):
    from guard.core.vocabularies import codes as vocabulary

    api.customer("C8", ["13800138000"])
    c = file(client, customer_id="C8", severity="severe")
    event(client, c["id"], type="first_response", note="已回电")
    event(client, c["id"], type="escalated", to="主管")
    event(client, c["id"], type="resolved", note="已处理")
    event(client, c["id"], type="callback", result="satisfied")
    trail = client.get("/v1/customers/C8/overview", headers=client.operator).json["trail"]
    actions = {t["action"] for t in trail}
    assert {"complaint_first_response", "complaint_escalated", "complaint_resolved", "complaint_callback"} <= actions
    assert actions <= set(vocabulary("trail_actions"))
    callback = next(t for t in trail if t["action"] == "complaint_callback")
    assert callback["detail"]["note"] == "satisfied"


# --- the same complaint entered twice -------------------------------------------------------------------------

def test_the_same_complaint_entered_twice_is_recorded_once_and_does_not_mute(client):
    """A letter entered again (a form sent twice, a retry after a timeout, two colleagues opening the same post)
    is one complaint: cn-bank mutes after 2 complaints within 180 days, and one letter must not mute a customer
    for a year. Same number or customer, severity, category, text and received_at: the first one, `duplicate: true`."""
    client.put("/v1/customers/C61", json={"phones": ["13800138061"]}, headers=client.operator)
    body = dict(customer_id="C61", severity="light", category="来信", text="营销电话太多", received_at="2026-11-20T10:00:00+08:00")
    first = file(client, **body)
    again = file(client, status=200, **body)
    assert again["id"] == first["id"] and again["duplicate"] is True and first["duplicate"] is False
    assert again["effects"]["mute_id"] is None
    assert len(client.get("/v1/complaints", query_string={"customer_id": "C61"}, headers=client.operator).json["complaints"]) == 1
    # Another complaint of the same customer (another day, or other words) is one more, and mutes.
    other = file(client, **{**body, "received_at": "2026-11-21T10:00:00+08:00"})
    assert other["id"] != first["id"] and other["effects"]["mute_id"] is not None


# --- a complex complaint extended (《银行业保险业消费投诉处理管理办法》, wording as 财新 reports it, article number unconfirmed: 15 days; complex, to 30;
# particularly complex, with approval, a further 30) -----------------------------------------------------------------

def test_a_complex_complaint_is_extended_with_a_reason_and_the_scheduler_honours_the_new_deadline(app, client, api):
    c = file(client, phone="13800138000", severity="light", category="理财销售纠纷")
    event(client, c["id"], type="first_response", note="已联系客户")
    received = datetime.fromisoformat(c["received_at"])
    until = received + timedelta(days=15)
    for body, field in (({"type": "extended", "note": "需调取双录"}, "until"),
                        ({"type": "extended", "until": until.isoformat()}, "note"),
                        ({"type": "first_response", "until": until.isoformat()}, "until")):
        r = client.post(f"/v1/complaints/{c['id']}/events", json=body, headers=client.operator)
        assert r.status_code == 400 and field_of(r) == field, r.json
    assert c["sla"]["extended"] is False
    got = event(client, c["id"], type="extended", until=until.isoformat(), note="需调取录音与双录资料核实销售过程")
    assert datetime.fromisoformat(got["sla"]["resolution_due"]) == until
    # the queue, the complaint and the customer's page each say the deadline was moved
    assert got["sla"]["extended"] is True
    queue = client.get("/v1/complaints?status=unresolved&sort=due", headers=client.operator).json["complaints"]
    assert [x["sla"]["extended"] for x in queue if x["id"] == c["id"]] == [True]
    number = client.get("/v1/numbers/13800138000/overview", headers=client.operator)
    assert [x["sla"]["extended"] for x in number.json["complaints"] if x["id"] == c["id"]] == [True], number.json
    assert got["next_due"] == {"kind": "resolve", "at": got["sla"]["resolution_due"]}
    assert got["events"][-1]["type"] == "extended" and "需调取录音与双录资料核实销售过程" in got["events"][-1]["note"]
    # the bank's own 24 h has passed: without the extension the scheduler would mark it overdue and escalate it
    api.later(days=2)
    rt = app.extensions["guard"]
    assert run_job(rt.store, "complaint_sla", rt.clock) == {"overdue": 0, "escalated": 0, "callback_overdue": 0}
    got = client.get(f"/v1/complaints/{c['id']}", headers=client.operator).json
    assert got["late"] is False and got["status"] == "open" and got["sla"]["missed"] == []
    assert c["id"] not in ids(client, late="true")
    # and once the extended deadline passes, it is late like any other
    api.later(days=14)
    assert run_job(rt.store, "complaint_sla", rt.clock)["overdue"] == 1
    got = client.get(f"/v1/complaints/{c['id']}", headers=client.operator).json
    assert got["status"] == "overdue" and got["sla"]["missed"] == ["resolve"]


def test_an_extension_past_30_days_needs_an_approver_and_none_goes_past_60(client):
    c = file(client, phone="13800138000", severity="medium", category="保险理赔纠纷")
    received = datetime.fromisoformat(c["received_at"])
    r = client.post(f"/v1/complaints/{c['id']}/events", headers=client.operator,
                    json={"type": "extended", "until": (received + timedelta(days=45)).isoformat(), "note": "涉及多家机构"})
    assert r.status_code == 400 and field_of(r) == "approved_by", r.json
    r = client.post(f"/v1/complaints/{c['id']}/events", headers=client.operator,
                    json={"type": "extended", "until": (received + timedelta(days=61)).isoformat(), "note": "涉及多家机构",
                          "approved_by": "总行消保部 王总"})
    assert r.status_code == 400 and field_of(r) == "until" and "60 days" in r.json["error"]["message"], r.json
    got = event(client, c["id"], type="extended", until=(received + timedelta(days=45)).isoformat(), note="涉及多家机构",
                approved_by="总行消保部 王总")
    assert "总行消保部 王总" in got["events"][-1]["note"]
    # an extension never shortens the deadline
    r = client.post(f"/v1/complaints/{c['id']}/events", headers=client.operator,
                    json={"type": "extended", "until": (received + timedelta(days=20)).isoformat(), "note": "再次延期"})
    assert r.status_code == 400 and field_of(r) == "until", r.json


def test_the_30_and_60_days_run_to_24_00_of_their_last_day_in_the_bank_s_time_zone(client):
    """The regulation's days count from the day after the receipt and end at 24:00 of the last one (民法典 第二百零一条,
    第二百零三条), in cn-bank's Asia/Shanghai: a complaint received at 10:15 on 23 November may be extended without approval
    to the evening of 23 December (the 30th day), and with approval to the evening of 22 January (the 60th), not past."""
    c = file(client, phone="13800138000", severity="medium", category="保险理赔纠纷")  # received Monday 2026-11-23 10:15 Shanghai
    got = event(client, c["id"], type="extended", until="2026-12-23T20:00:00+08:00", note="需调取双录资料")
    assert datetime.fromisoformat(got["sla"]["resolution_due"]) == datetime.fromisoformat("2026-12-23T20:00:00+08:00")
    r = client.post(f"/v1/complaints/{c['id']}/events", headers=client.operator,
                    json={"type": "extended", "until": "2026-12-24T00:00:01+08:00", "note": "涉及多家机构"})
    assert r.status_code == 400 and field_of(r) == "approved_by" and "2026-12-24T00:00:00+08:00" in r.json["error"]["message"], r.json
    got = event(client, c["id"], type="extended", until="2027-01-22T22:00:00+08:00", note="涉及多家机构", approved_by="总行消保部 王总")
    assert datetime.fromisoformat(got["sla"]["resolution_due"]) == datetime.fromisoformat("2027-01-22T22:00:00+08:00")
    r = client.post(f"/v1/complaints/{c['id']}/events", headers=client.operator,
                    json={"type": "extended", "until": "2027-01-23T00:00:01+08:00", "note": "再延期", "approved_by": "总行消保部 王总"})
    assert r.status_code == 400 and field_of(r) == "until", r.json


def test_a_severe_complaint_resolved_on_the_evening_of_the_15th_day_met_the_regulation_s_15_days(client, api):
    """cn-bank resolves severe complaints within the regulation's 15 days ("自收到消费投诉之日起15日内", R14), which end at 24:00
    of the 15th day after the day of receipt (民法典 第二百零一条, 第二百零三条), Shanghai time: received Monday 23 November 10:15,
    due by the end of 8 December; resolved at 20:00 that day it is no breach, and nothing counts it as one."""
    c = file(client, phone="13600136001", severity="severe", category="误导销售")
    assert datetime.fromisoformat(c["sla"]["resolution_due"]) == datetime.fromisoformat("2026-12-09T00:00:00+08:00")
    event(client, c["id"], type="escalated", to="消保主管 张三")
    api.later(days=15, hours=9, minutes=45)  # 2026-12-08 20:00 Shanghai
    got = event(client, c["id"], type="resolved", note="已退还手续费并致歉")
    assert got["sla"]["missed"] == [] and got["sla"]["breaches"] == [] and got["status"] == "resolved", got["sla"]
    assert counts(client)["breached"] == 0


def test_a_missed_resolution_deadline_cannot_be_extended_afterwards(client, api):
    c = file(client, phone="13800138000", severity="light")
    api.later(days=1, minutes=1)
    received = datetime.fromisoformat(c["received_at"])
    r = client.post(f"/v1/complaints/{c['id']}/events", headers=client.operator,
                    json={"type": "extended", "until": (received + timedelta(days=10)).isoformat(), "note": "情况复杂",
                          "at": (received + timedelta(hours=12)).isoformat()})  # backdated before the deadline: still refused
    assert r.status_code == 400 and field_of(r) == "at", r.json
    got = client.get(f"/v1/complaints/{c['id']}", headers=client.operator).json
    assert got["late"] is True and "resolve" in got["sla"]["missed"]
