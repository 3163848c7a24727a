"""Audits an auditor can sign: when a decision covers a call, outcomes on the client's timeline,
when what an outcome creates takes effect, and the two readings of history (known_then / known_now).

The rules under test are SPEC §3.8 ("each call is judged … against the blacklist, mutes,
deferrals and customer data as they were then") and §7 ("Client time", "When an outcome takes
effect"). Each scenario is hand-built so that exactly the expected rule codes change.
"""

from __future__ import annotations

import io
import json
import time
from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import Clock, new_key
from tests.e2e.servers import cli

MON = datetime(2026, 11, 23, 2, 15, tzinfo=timezone.utc)  # Monday 10:15 in Shanghai, inside cn-bank's weekday window
HEADER = "call_id,phone,called_at,campaign,customer_id,decision_id\n"


def _keys(app):
    c = app.test_client()
    c.dialer = new_key(app, "dialer")
    c.operator = new_key(app, "operator")
    c.auditor = new_key(app, "auditor")
    return c


@pytest.fixture
def clock() -> Clock:
    return Clock(MON)


@pytest.fixture
def client(make_app, clock, tmp_path):
    """The guard on a settable server clock (client instants must be plausible against it)."""
    return _keys(make_app(clock=clock, GUARD_DATA_DIR=str(tmp_path / "data")))


@pytest.fixture
def sim(make_app, tmp_path):
    """The guard as simulations run it: every client instant taken as given (GUARD_ALLOW_CLIENT_TIME)."""
    return _keys(make_app(GUARD_ALLOW_CLIENT_TIME="1", GUARD_DATA_DIR=str(tmp_path / "data")))


def check(c, phone: str, at: str | None = None, campaign: str = "dep-2026q4", **extra) -> dict:
    body = {"phone": phone, "campaign": campaign, **extra}
    if at is not None:
        body["at"] = at
    r = c.post("/v1/check", json=body, headers=c.dialer)
    assert r.status_code == 200, r.json
    return r.json


def audit(c, log: str, basis: str | None = None) -> tuple[dict, dict[str, dict[str, dict]]]:
    """Upload a log and wait: (the audit, {call_id: {code: detail}})."""
    url = "/v1/audits" + (f"?basis={basis}" if basis else "")
    r = c.post(url, data={"file": (io.BytesIO(log.encode()), "calls.csv")}, headers=c.auditor)
    assert r.status_code == 202, r.json
    audit_id = r.json["audit_id"]
    for _ in range(400):
        view = c.get(f"/v1/audits/{audit_id}", headers=c.auditor).json
        if view["status"] in ("done", "failed"):
            break
        time.sleep(0.05)
    assert view["status"] == "done", view
    found: dict[str, dict[str, dict]] = {}
    for v in c.get(f"/v1/audits/{audit_id}/violations?limit=1000", headers=c.auditor).json["violations"]:
        found.setdefault(v["call_id"], {})[v["code"]] = v["detail"]
    return view, found


# --- a decision must come before its call, and not long before -----------------------------------

def test_a_call_placed_before_its_decision_or_long_after_it_is_unchecked(client, store_url, tmp_path):
    d = {p: check(client, p)["decision_id"] for p in ("13800138000", "13900139000", "13700137000", "13600136000")}
    assert all(d.values())
    log = HEADER + "".join([
        f"early,13800138000,2026-11-23T10:14:05+08:00,dep-2026q4,,{d['13800138000']}\n",  # 55 s before the decision
        f"skew,13900139000,2026-11-23T10:14:57+08:00,dep-2026q4,,{d['13900139000']}\n",  # 3 s before: the clock tolerance (5 s)
        f"stale,13700137000,2026-11-23T10:21:00+08:00,dep-2026q4,,{d['13700137000']}\n",  # 6 min after: past decision_valid_for (5 m)
        f"good,13600136000,2026-11-23T10:16:00+08:00,dep-2026q4,,{d['13600136000']}\n",
    ])
    view, found = audit(client, log)
    assert view["summary"]["calls_judged"] == 4
    assert {k: sorted(v) for k, v in found.items()} == {"early": ["UNCHECKED_CALL"], "stale": ["UNCHECKED_CALL"]}
    early, stale = found["early"]["UNCHECKED_CALL"], found["stale"]["UNCHECKED_CALL"]
    assert early["why"] == "the call was placed before its decision" and early["seconds_before"] == 55
    assert early["decision_id"] == d["13800138000"] and early["decision_at"].startswith("2026-11-23T02:15:00")
    assert stale["why"] == "the decision had expired when the call was placed" and stale["seconds_after"] == 360
    assert stale["valid_for_seconds"] == 300
    # The CLI judges the same log the same way.
    path = tmp_path / "calls.csv"
    path.write_text(log, encoding="utf-8")
    r = cli({"DATABASE_URL": store_url, "GUARD_LOG_LEVEL": "WARNING", "GUARD_DATA_DIR": str(tmp_path / "cli")}, "audit", str(path))
    assert r.returncode == 1, r.stderr
    assert sorted((v["call_id"], v["detail"]["why"]) for v in json.loads(r.stdout)["violations"]) == [
        ("early", "the call was placed before its decision"), ("stale", "the decision had expired when the call was placed")]


def test_one_decision_used_for_several_calls_covers_the_first_only(client, store_url, tmp_path):
    """The dialer asks before every call (SPEC §1): a decision allows one call. Two more calls placed on it within its five
    minutes were never asked about; a duplicated row of the same call is not a second use (it is rejected as a repeat)."""
    d = check(client, "13800138000")["decision_id"]
    log = HEADER + "".join([
        f"first,13800138000,2026-11-23T10:15:20+08:00,dep-2026q4,,{d}\n",
        f"first,13800138000,2026-11-23T10:15:20+08:00,dep-2026q4,,{d}\n",  # the same call exported twice
        f"again,13800138000,2026-11-23T10:17:00+08:00,dep-2026q4,,{d}\n",
        f"third,13800138000,2026-11-23T10:19:00+08:00,dep-2026q4,,{d}\n",
    ])
    view, found = audit(client, log)
    reused = {k: v["UNCHECKED_CALL"] for k, v in found.items() if "UNCHECKED_CALL" in v}
    assert sorted(reused) == ["again", "third"], found
    assert {(v["why"], v["first_call_id"], v["decision_id"]) for v in reused.values()} == {
        ("the decision was used by an earlier call", "first", d)}
    assert (view["summary"]["calls_unchecked"], view["summary"]["rows_rejected"]) == (2, 1)
    path = tmp_path / "calls.csv"
    path.write_text(log, encoding="utf-8")
    r = cli({"DATABASE_URL": store_url, "GUARD_LOG_LEVEL": "WARNING", "GUARD_DATA_DIR": str(tmp_path / "cli")}, "audit", str(path))
    # (the CLI judges in one process per core, the calls of one number in one of them)
    assert sorted((v["call_id"], v["detail"].get("why")) for v in json.loads(r.stdout)["violations"]
                  if v["code"] == "UNCHECKED_CALL") == [("again", "the decision was used by an earlier call"),
                                                       ("third", "the decision was used by an earlier call")], r.stderr


# --- outcomes on the client's timeline, and their bounds on the server's ---------------------------

def test_a_simulation_reports_outcomes_at_its_own_dates(sim):
    d = check(sim, "13800138000", at="2030-11-12T10:00:00+08:00")
    assert d["allowed"], d
    r = sim.post(f"/v1/calls/{d['decision_id']}/outcome", json={"disposition": "answered", "ended_at": "2030-11-12T10:03:00+08:00"},
                 headers=sim.dialer)
    assert r.status_code == 201, r.json


def test_outside_simulations_ended_at_lies_between_the_decision_and_now_and_the_error_names_the_bound(client, clock):
    d = check(client, "13800138000")["decision_id"]
    url = f"/v1/calls/{d}/outcome"
    before = client.post(url, json={"disposition": "answered", "ended_at": "2026-11-23T10:09:59+08:00"}, headers=client.dialer)
    assert before.status_code == 400 and before.json["error"]["details"][0]["field"] == "ended_at"
    assert "before the call's decision (2026-11-23T02:15:00+00:00) by more than the 300 s" in before.json["error"]["message"]
    future = client.post(url, json={"disposition": "answered", "ended_at": "2026-11-23T11:15:00+08:00"}, headers=client.dialer)
    assert future.status_code == 400 and "in the future: after the server clock plus 300 s" in future.json["error"]["message"]
    ok = client.post(url, json={"disposition": "answered", "ended_at": "2026-11-23T10:19:00+08:00"}, headers=client.dialer)
    assert ok.status_code == 201, ok.json  # within the 5 minutes a dialer's clock may be ahead


def test_a_simulation_records_a_risk_assessment_at_its_own_date(sim):
    # SPEC §7: with GUARD_ALLOW_CLIENT_TIME every instant a client gives is taken as given, so a
    # simulation of 2030 can enter a customer assessed in 2030 and call them that year.
    r = sim.put("/v1/customers/C30", json={"phones": ["13800138000"], "risk_level": "C3", "risk_assessed_at": "2030-11-01T09:00:00+08:00"},
                headers=sim.operator)
    assert r.status_code == 201, r.json
    assert check(sim, "13800138000", at="2030-11-12T10:00:00+08:00", campaign="wm-2026q4")["allowed"]


def test_outside_simulations_a_risk_assessment_in_the_future_is_refused_naming_the_bound(client):
    r = client.put("/v1/customers/C31", json={"phones": ["13800138000"], "risk_level": "C3", "risk_assessed_at": "2026-11-23T11:15:00+08:00"},
                   headers=client.operator)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "risk_assessed_at"
    assert "in the future: after the server clock plus 300 s (2026-11-23T02:20:00+00:00)" in r.json["error"]["message"]
    ok = client.put("/v1/customers/C31", json={"phones": ["13800138000"], "risk_level": "C3", "risk_assessed_at": "2026-11-23T10:19:00+08:00"},
                    headers=client.operator)
    assert ok.status_code == 201, ok.json  # within the 5 minutes a clock may be ahead


# --- what an outcome creates takes effect at its ended_at, never before the call ---------------------

@pytest.mark.parametrize("basis", ["known_then", "known_now"])
def test_a_callback_defers_the_calls_after_it_not_the_call_it_came_from(sim, basis):
    d = check(sim, "13800138000", at="2030-11-12T10:00:00+08:00")
    r = sim.post(f"/v1/calls/{d['decision_id']}/outcome",
                 json={"disposition": "callback", "ended_at": "2030-11-12T10:03:00+08:00", "callback_at": "2030-11-14T15:00:00+08:00"},
                 headers=sim.dialer)
    assert r.status_code == 201, r.json
    log = HEADER + (f"origin,13800138000,2030-11-12T10:00:00+08:00,dep-2026q4,,{d['decision_id']}\n"
                    "next,13800138000,2030-11-13T11:00:00+08:00,dep-2026q4,,\n")
    view, found = audit(sim, log, basis)
    assert view["basis"] == basis and view["summary"]["basis"] == basis
    assert "origin" not in found  # the deferral it caused is not held against it
    assert sorted(found["next"]) == ["CALLBACK_DEFERRED", "UNCHECKED_CALL"]


def test_a_do_not_call_outcome_takes_effect_at_the_calls_end(sim):
    d = check(sim, "13800138000", at="2030-11-12T10:00:00+08:00")
    r = sim.post(f"/v1/calls/{d['decision_id']}/outcome", json={"disposition": "do_not_call", "ended_at": "2030-11-12T10:02:00+08:00"},
                 headers=sim.dialer)
    assert r.status_code == 201
    lookup = sim.get("/v1/blacklist/13800138000", headers=sim.operator).json
    entry = (lookup["entries"] + lookup["history"])[0]  # a 2030 entry is not active on the real clock yet
    assert entry["added_at"] == "2030-11-12T02:02:00+00:00" and entry["recorded_at"] == "2030-11-12T02:02:00+00:00"
    log = HEADER + (f"origin,13800138000,2030-11-12T10:00:00+08:00,dep-2026q4,,{d['decision_id']}\n"
                    "after,13800138000,2030-11-13T11:00:00+08:00,dep-2026q4,,\n")
    _, found = audit(sim, log)
    assert "origin" not in found and "DNC_OPT_OUT" in found["after"]


# --- two readings of history ---------------------------------------------------------------------

def _late_facts(client) -> None:
    """Entered in the guard on Monday 2026-11-23: a customer assessed in March, an opt-out of 16 November."""
    r = client.put("/v1/customers/C9", json={"phones": ["13800138000"], "risk_level": "C3", "risk_assessed_at": "2026-03-01T00:00:00+08:00"},
                   headers=client.operator)
    assert r.status_code in (200, 201), r.json
    r = client.post("/v1/blacklist", json={"phone": "13500135000", "source": "customer_request", "reason": "opted out at the branch",
                                           "added_at": "2026-11-16T09:00:00+08:00"}, headers=client.operator)
    assert r.status_code in (200, 201), r.json


LATE_LOG = HEADER + ("wealth,13800138000,2026-11-20T10:00:00+08:00,wm-2026q4,C9,\n"  # Friday, before the profile was entered
                     "optout,13500135000,2026-11-18T10:00:00+08:00,dep-2026q4,,\n"  # Wednesday, after the opt-out, before it was known
                     "plain,13700137000,2026-11-20T10:00:00+08:00,dep-2026q4,,\n")


def test_known_then_and_known_now_differ_exactly_on_the_facts_entered_late(client):
    _late_facts(client)
    then_view, then = audit(client, LATE_LOG, "known_then")
    now_view, now = audit(client, LATE_LOG)  # the default…
    assert now_view["basis"] == "known_then"  # …is known_then
    assert then == now
    now_view, now = audit(client, LATE_LOG, "known_now")
    assert (then_view["basis"], now_view["basis"]) == ("known_then", "known_now")
    assert {c: sorted(v) for c, v in then.items()} == {"wealth": ["RISK_PROFILE_MISSING", "UNCHECKED_CALL"], "optout": ["UNCHECKED_CALL"],
                                                       "plain": ["UNCHECKED_CALL"]}
    assert {c: sorted(v) for c, v in now.items()} == {"wealth": ["UNCHECKED_CALL"], "optout": ["DNC_OPT_OUT", "UNCHECKED_CALL"],
                                                      "plain": ["UNCHECKED_CALL"]}
    for view, basis in ((then_view, "known_then"), (now_view, "known_now")):
        html = client.get(f"/v1/audits/{view['audit_id']}/report", headers=client.auditor).get_data(as_text=True)
        assert f"basis <b>{basis}</b>" in html


def test_a_complaint_asking_to_stop_calling_opts_out_from_when_it_was_received(client):
    # A complaint received on Monday 16 November (不要再打了) is entered on Monday 23 November. The
    # customer asked to stop on the 16th: the opt-out takes effect then (as the complaint's mute and
    # its withdrawal of consent do), and the guard learnt it on the 23rd (recorded_at). Read as known
    # now, Wednesday's call was made after the customer refused; read as known then, it was not yet known.
    r = client.post("/v1/complaints", json={"phone": "13500135000", "severity": "medium", "category": "营销扰民",
                                            "text": "客户表示不要再打了", "received_at": "2026-11-16T09:00:00+08:00"},
                    headers=client.operator)
    assert r.status_code == 201, r.json
    assert r.json["effects"]["blacklist"]
    entry = client.get("/v1/blacklist/13500135000", headers=client.operator).json["entries"][0]
    assert entry["added_at"] == "2026-11-16T01:00:00+00:00" and entry["recorded_at"] == MON.isoformat()
    log = HEADER + "optout,13500135000,2026-11-18T10:00:00+08:00,dep-2026q4,,\n"
    _, then = audit(client, log, "known_then")
    _, now = audit(client, log, "known_now")
    assert sorted(then["optout"]) == ["UNCHECKED_CALL"]
    assert sorted(now["optout"]) == ["DNC_OPT_OUT", "UNCHECKED_CALL"]


def test_the_cli_audits_on_either_basis(client, store_url, tmp_path):
    _late_facts(client)
    log = tmp_path / "calls.csv"
    log.write_text(LATE_LOG, encoding="utf-8")
    env = {"DATABASE_URL": store_url, "GUARD_LOG_LEVEL": "WARNING", "GUARD_DATA_DIR": str(tmp_path / "cli")}
    codes = {}
    for basis in ("known_then", "known_now"):
        r = cli(env, "audit", str(log), "--basis", basis)
        assert r.returncode == 1, r.stderr
        doc = json.loads(r.stdout)
        assert doc["audit"]["basis"] == basis and f"({basis})" in r.stderr
        codes[basis] = {(v["call_id"], v["code"]) for v in doc["violations"]}
    assert codes["known_then"] - codes["known_now"] == {("wealth", "RISK_PROFILE_MISSING")}
    assert codes["known_now"] - codes["known_then"] == {("optout", "DNC_OPT_OUT")}
    assert cli(env, "audit", str(log), "--basis", "whenever").returncode == 2


def test_an_unknown_basis_is_refused(client):
    r = client.post("/v1/audits?basis=whenever", data={"file": (io.BytesIO(LATE_LOG.encode()), "calls.csv")}, headers=client.auditor)
    assert r.status_code == 400 and "basis" in json.dumps(r.json)


def test_a_customer_corrected_later_is_judged_by_each_version_in_its_own_time():
    """The known_now axis of a customer's versions (pure): a version bringing a new assessment counts
    from the assessment's date, and the versions before it end there."""
    from guard.core.facts import CustomerFacts
    from guard.core.history import Held, assessed_versions, held_at

    t = lambda d: datetime(2026, d[0], d[1], tzinfo=timezone.utc)  # noqa: E731
    v1 = Held(CustomerFacts(id="C", risk_level=None), t((11, 20)), t((11, 25)))  # entered with no profile
    v2 = Held(CustomerFacts(id="C", risk_level="C3", risk_assessed_at=t((3, 1))), t((11, 25)), t((11, 28)))
    v3 = Held(CustomerFacts(id="C", risk_level="C3", risk_assessed_at=t((3, 1)), tags=frozenset({"sensitive"})), t((11, 28)))
    rows = assessed_versions([v3, v1, v2])
    assert [(r.since, r.until) for r in rows] == [(t((3, 1)), t((11, 28))), (t((11, 28)), None)]  # v1 is superseded entirely
    assert held_at(rows, t((6, 1))).value.risk_level == "C3" and held_at(rows, t((2, 1))) is None
    assert held_at(rows, t((11, 29))).value.tags == frozenset({"sensitive"})  # a later change without a new assessment keeps its date
    assert held_at(rows, t((11, 27))).value.tags == frozenset()
    assert held_at([v1, v2, v3], t((11, 22))).value.risk_level is None  # known_then: the profile as entered then
