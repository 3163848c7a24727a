"""The endpoints the console is built on: who am I, the customer overview with its audit trail,
lost-update protection, the complaints queue by deadline, the day's figures, local times."""

from __future__ import annotations


from datetime import timedelta

import pytest

from tests.conftest import new_key


def key_id(headers: dict) -> str:
    return headers["Authorization"].split("_")[1]


# --- /v1/me -------------------------------------------------------------------------------------

def test_me_names_the_key_and_what_it_may_do(app, client):
    r = client.get("/v1/me", headers=client.operator)
    assert r.status_code == 200
    assert r.json["roles"] == ["operator"] and r.json["can"] == ["operator"] and r.json["key_id"] == key_id(client.operator)
    admin = client.get("/v1/me", headers=client.admin).json
    assert admin["roles"] == ["admin"] and admin["can"] == ["admin", "auditor", "dialer", "operator", "reviewer"]
    assert client.get("/v1/me").status_code == 401
    assert client.get("/v1/me", headers={"Authorization": "Bearer gk_nope_nope"}).json["error"]["code"] == "UNAUTHORIZED"


def test_me_shows_the_keys_label(app, client):
    from guard.services.ops.keys import create_key

    rt = app.extensions["guard"]
    key = create_key(rt.store, ["auditor", "reviewer"], rt.clock(), label="张三 合规部")
    me = client.get("/v1/me", headers={"Authorization": f"Bearer {key}"}).json
    assert me["label"] == "张三 合规部" and me["can"] == ["auditor", "reviewer"]


# --- customer overview ------------------------------------------------------------------------------

def test_overview_gathers_state_decisions_and_an_audit_trail_with_who_did_what(api, client):
    api.customer("C9", ["13800138000", "13900139000"])
    allowed = api.check("13800138000", customer_id="C9")
    assert allowed["allowed"]
    api.later(minutes=5)
    r = client.post("/v1/blacklist", json={"customer_id": "C9", "source": "customer_request", "reason": "客户电话中明确拒绝"},
                    headers=client.operator)
    assert r.status_code == 201, r.json
    denied = api.check("13900139000")
    assert not denied["allowed"]
    api.later(minutes=5)
    filed = client.post("/v1/complaints", json={"customer_id": "C9", "severity": "medium", "category": "营销扰民"},
                        headers=client.operator).json
    o = client.get("/v1/customers/C9/overview", headers=client.operator)
    assert o.status_code == 200, o.json
    o = o.json
    assert o["profile"]["phones"] == ["+8613800138000", "+8613900139000"] and o["profile"]["tags"] == ["sensitive"]
    assert o["blacklist"]["blocked"] is True and [e["source"] for e in o["blacklist"]["entries"]] == ["customer_request"]
    assert [c["id"] for c in o["complaints"]] == [filed["id"]]
    assert [d["decision_id"] for d in o["decisions"]] == [denied["decision_id"], allowed["decision_id"]]
    assert o["decisions"][0]["reasons"][0]["code"] == "DNC_OPT_OUT"
    operator = key_id(client.operator)
    actions = [(e["action"], e["actor"]) for e in o["trail"]]
    # Newest first; the complaint's sensitive tag is a profile change made by the same key.
    assert ("complaint_filed", operator) in actions and ("blacklist_added", operator) in actions
    assert actions[-1] == ("profile_created", operator)
    tagged = next(e for e in o["trail"] if e["action"] == "profile_changed")
    assert tagged["detail"]["fields"] == ["tags"] and tagged["detail"]["tags"] == ["sensitive"]
    assert [e["at"] for e in o["trail"]] == sorted((e["at"] for e in o["trail"]), reverse=True)


def test_overview_risk_expiry_follows_the_packs_validity(api, client, clock):
    api.customer("C1", ["13800138000"], risk_assessed_at="2026-01-10T09:00:00+08:00")
    risk = client.get("/v1/customers/C1/overview", headers=client.operator).json["risk"]
    assert risk == {"level": "C3", "assessed_at": "2026-01-10T01:00:00+00:00", "expires_at": "2027-01-10T01:00:00+00:00", "expired": False}
    api.later(days=60)
    assert client.get("/v1/customers/C1/overview", headers=client.operator).json["risk"]["expired"] is True


def test_overview_of_a_customer_known_only_from_the_blacklist_and_of_a_stranger(client):
    r = client.post("/v1/blacklist", json={"customer_id": "C404", "source": "regulator"}, headers=client.operator)
    assert r.status_code == 201
    o = client.get("/v1/customers/C404/overview", headers=client.operator).json
    assert o["profile"] is None and o["blacklist"]["blocked"] is True and o["risk"]["level"] is None
    r = client.get("/v1/customers/nobody/overview", headers=client.operator)
    assert r.status_code == 404 and r.json["error"]["code"] == "NOT_FOUND"
    assert client.get("/v1/customers/C404/overview", headers=client.dialer).status_code == 403


def test_overview_shows_mutes_and_deferrals(api, client):
    api.customer("C2", ["13800138000"])
    d = api.check("13800138000")
    api.outcome(d["decision_id"], "callback", callback_at="2026-11-25T10:00:00+08:00")
    for _ in range(2):
        client.post("/v1/complaints", json={"customer_id": "C2", "severity": "light", "text": "推销太多"}, headers=client.operator)
    o = client.get("/v1/customers/C2/overview", headers=client.operator).json
    assert o["mute"]["muted"] is True and o["mute"]["until"] is not None
    assert [x["not_before"] for x in o["deferrals"] if x["active"]] == ["2026-11-25T02:00:00+00:00"]
    assert {"muted", "deferred"} <= {e["action"] for e in o["trail"]}


# --- If-Match on the profile ------------------------------------------------------------------------

def test_a_stale_if_match_is_refused_and_changes_nothing(api, client):
    api.customer("C5", ["13800138000"])
    got = client.get("/v1/customers/C5", headers=client.operator)
    assert got.headers["ETag"] == '"1"'
    body = {"phones": ["13800138000"], "windows": [{"days": "sat,sun", "from": "10:00", "to": "12:00"}]}
    first = client.put("/v1/customers/C5", json=body, headers={**client.operator, "If-Match": '"1"'})
    assert first.status_code == 200 and first.headers["ETag"] == '"2"'
    second = client.put("/v1/customers/C5", json={**body, "windows": []}, headers={**client.operator, "If-Match": '"1"'})
    assert second.status_code == 412
    assert second.json["error"]["code"] == "STALE_VERSION" and second.json["error"]["details"] == {"expected": 1, "current": 2}
    now = client.get("/v1/customers/C5", headers=client.operator).json
    assert now["version"] == 2 and now["windows"] == [{"days": "sat,sun", "from": "10:00", "to": "12:00"}]
    bad = client.put("/v1/customers/C5", json=body, headers={**client.operator, "If-Match": "yesterday"})
    assert bad.status_code == 400 and bad.json["error"]["details"][0]["field"] == "If-Match"
    new = client.put("/v1/customers/C6", json={**body, "phones": ["13900139000"]}, headers={**client.operator, "If-Match": '"0"'})
    assert new.status_code == 201 and new.headers["ETag"] == '"1"'


# --- complaints queue --------------------------------------------------------------------------------

def test_the_queue_puts_the_nearest_pending_deadline_first(api, client):
    def file(sev, phone):
        return client.post("/v1/complaints", json={"phone": phone, "severity": sev, "text": "x"}, headers=client.operator).json

    light, severe, medium = file("light", "13800000001"), file("severe", "13800000002"), file("medium", "13800000003")
    queue = client.get("/v1/complaints?status=unresolved&sort=due", headers=client.operator).json["complaints"]
    assert [c["id"] for c in queue] == [severe["id"], medium["id"], light["id"]]
    assert [c["next_due"]["kind"] for c in queue] == ["escalate", "first_response", "first_response"]
    # The medium one answered: its next deadline is the 48 h solution, so it moves to the end.
    r = client.post(f"/v1/complaints/{medium['id']}/events", json={"type": "first_response"}, headers=client.operator)
    assert r.status_code == 201
    queue = client.get("/v1/complaints?status=unresolved&sort=due", headers=client.operator).json["complaints"]
    assert [c["id"] for c in queue] == [severe["id"], light["id"], medium["id"]]
    assert queue[2]["next_due"] == {"kind": "resolve", "at": "2026-11-25T02:15:00+00:00"}
    # Overdue ones stay in the unresolved queue, first; resolved ones leave it.
    api.later(hours=1)
    client.post(f"/v1/complaints/{light['id']}/events", json={"type": "resolved", "note": "已处理"}, headers=client.operator)
    queue = client.get("/v1/complaints?status=unresolved&sort=due&limit=1", headers=client.operator).json["complaints"]
    assert [(c["id"], c["status"]) for c in queue] == [(severe["id"], "overdue")]
    assert client.get("/v1/complaints?sort=soon", headers=client.operator).status_code == 400


# --- day figures ------------------------------------------------------------------------------------

def test_stats_count_the_days_checks_by_result_reason_and_campaign(api, client, app):
    api.customer("C1", ["13800138000"])
    api.check("13800138000")                                             # allowed
    api.check("13800138000")                                             # FREQ_CAP
    api.check("13800138000", campaign="wm-2026q4", product="WM-R3-001")  # FREQ_CAP (customer C3 may buy R3)
    api.check("13900139000", dry_run=True)                               # dry run: not in the ratios
    client.post("/v1/blacklist", json={"phone": "13700137000", "source": "registry"}, headers=client.operator)
    api.check("13700137000", campaign="wm-2026q4", product="WM-R3-001")  # DNC_REGISTRY + RISK_PROFILE_MISSING
    client.post("/v1/complaints", json={"phone": "13600136000", "severity": "severe"}, headers=client.operator)
    auditor = new_key(app, "auditor")
    st = client.get("/v1/stats", headers=auditor)
    assert st.status_code == 200, st.json
    st = st.json
    assert st["date"] == "2026-11-23" and st["timezone"] == "Asia/Shanghai" and st["from"] == "2026-11-23T00:00:00+08:00"
    assert st["checks"] == {"total": 4, "allowed": 1, "denied": 3, "dry_run": 1}
    assert {r["code"]: r["count"] for r in st["by_reason"]} == {"FREQ_CAP": 2, "DNC_REGISTRY": 1, "RISK_PROFILE_MISSING": 1}
    assert st["by_reason"][0] == {"code": "FREQ_CAP", "count": 2}
    assert {r["campaign"]: (r["allowed"], r["denied"]) for r in st["by_campaign"]} == {"dep-2026q4": (1, 1), "wm-2026q4": (0, 2)}
    severe = next(c for c in st["complaints"] if c["severity"] == "severe")
    assert severe == {"severity": "severe", "open": 1, "overdue": 0, "escalated": 0, "received_today": 1, "resolved_today": 0,
                      "breached": 0}
    api.later(hours=1)  # the 30-minute escalation deadline has passed
    severe = next(c for c in client.get("/v1/stats", headers=auditor).json["complaints"] if c["severity"] == "severe")
    assert (severe["open"], severe["overdue"]) == (0, 1)
    other = client.get("/v1/stats?date=2026-11-22", headers=client.operator).json
    assert other["checks"]["total"] == 0 and other["by_reason"] == [] and other["by_campaign"] == []
    # The same instants seen from New York fall on the evening of the 22nd.
    ny = client.get("/v1/stats?date=2026-11-22&timezone=America/New_York", headers=auditor).json
    assert ny["checks"]["total"] == 4


def test_a_past_days_complaints_are_counted_as_they_stood_at_its_end(api, client, app):
    # Sunday 22 November, 10:15 Shanghai: a medium complaint answered at once, and a severe one escalated at once.
    api.clock.now -= timedelta(days=1)
    medium = client.post("/v1/complaints", json={"phone": "13600136001", "severity": "medium"}, headers=client.operator).json
    severe = client.post("/v1/complaints", json={"phone": "13600136002", "severity": "severe"}, headers=client.operator).json
    for c, event in ((medium, {"type": "first_response", "note": "已致电客户"}), (severe, {"type": "escalated", "to": "李主管"})):
        r = client.post(f"/v1/complaints/{c['id']}/events", json=event, headers=client.operator)
        assert r.status_code == 201, r.json
    # Monday 23 November: the medium one is resolved, the severe one too, and a new severe one comes in.
    api.later(days=1)
    for c in (medium, severe):
        r = client.post(f"/v1/complaints/{c['id']}/events", json={"type": "resolved", "note": "已处理"}, headers=client.operator)
        assert r.status_code == 201, r.json
    client.post("/v1/complaints", json={"phone": "13600136003", "severity": "severe"}, headers=client.operator)

    def by_severity(day):
        st = client.get(f"/v1/stats?date={day}", headers=client.operator)
        assert st.status_code == 200, st.json
        return {c["severity"]: {k: v for k, v in c.items() if k != "severity" and v} for c in st.json["complaints"]}

    # At the end of the 22nd both were open, the severe one escalated within its 30 minutes; Monday's was not received.
    sunday = by_severity("2026-11-22")
    assert sunday["medium"] == {"open": 1, "received_today": 1} and sunday["severe"] == {"open": 1, "escalated": 1, "received_today": 1}
    monday = by_severity("2026-11-23")
    assert monday["medium"] == {"resolved_today": 1}
    assert monday["severe"] == {"open": 1, "resolved_today": 1, "received_today": 1}
    assert by_severity("2026-11-21")["severe"] == {}


@pytest.mark.parametrize("query, field", [("date=2026-13-01", "date"), ("timezone=Mars/Olympus", "timezone"),
                                          ("timezone=America", "timezone"), ("timezone=Asia/", "timezone"),  # folders: were a 500
                                          ("date=yesterday", "date"), ("day=2026-11-23", "day")])
def test_stats_refuse_bad_input_by_name(client, query, field):
    r = client.get(f"/v1/stats?{query}", headers=client.operator)
    assert r.status_code == 400 and field in r.json["error"]["message"]


# The first and last days a date can name were a 500: the day's bounds in UTC, or the next new year the holiday notice
# check looks at, fall outside what a datetime holds. Instants are bounded the same way (years 1970-9998).
@pytest.mark.parametrize("query", ["date=9999-12-31", "date=9999-12-30", "date=0001-01-01", "date=0001-01-01&timezone=America/Adak",
                                   "date=1969-12-31"])
def test_stats_refuse_a_day_out_of_range_by_name(client, query):
    r = client.get(f"/v1/stats?{query}", headers=client.operator)
    assert r.status_code == 400, r.data
    assert r.json["error"]["details"][0]["field"] == "date"


def test_stats_need_auditor_or_operator(client):
    assert client.get("/v1/stats", headers=client.dialer).status_code == 403


# --- decisions in the callee's local time --------------------------------------------------------------

def test_a_decision_reads_back_in_the_callees_local_time(api, client):
    # A Chinese number whose customer lives in New York (the profile records the zone).
    api.customer("C1", ["13900139077"], timezone="America/New_York")
    d = api.check("13900139077", customer_id="C1")
    assert not d["allowed"] and d["timezone_source"] == "customer"  # 21:15 in New York: outside the windows
    got = client.get(f"/v1/decisions/{d['decision_id']}", headers=client.operator)
    assert got.status_code == 200
    local = got.json["local"]
    assert local["timezone"] == "America/New_York" and local["at"] == "2026-11-22T21:15:00-05:00"
    assert local["next_allowed_at"] == d["next_allowed_at"] and local["next_allowed_at"].endswith("-05:00")
    plain = api.check("13800138000")
    assert client.get(f"/v1/decisions/{plain['decision_id']}", headers=client.operator).json["local"]["timezone"] == "Asia/Shanghai"
