"""The decision-log audit and the call-log audit of the same calls: the same codes per call and the same figures.

Both ask the same decide() at the same instant on the same facts (CONVENTIONS §10): a call made despite a deny is,
in either audit, the rules it broke (the decision's reasons, each with its detail) and CALLED_DESPITE_DENY. Figures
recomputed by hand from the small log below.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import datetime, timedelta, timezone

from guard.services import audits
from tests.conftest import new_key

CST = timezone(timedelta(hours=8))
# (phone, at, agent, disposition reported or None: not dialled)
CALLS = [
    ("13800138001", "2026-12-01T10:00:00+08:00", "A1", "answered"),   # allowed
    ("13800138001", "2026-12-01T11:00:00+08:00", "A1", "answered"),   # denied: the number's 24 h cap; called anyway
    ("13800138002", "2026-12-01T20:30:00+08:00", "A2", "answered"),   # denied: after 20:00; called anyway
    ("13800138003", "2026-12-01T14:00:00+08:00", "A2", "no_answer"),  # allowed
    ("13800138004", "2026-12-01T08:30:00+08:00", "A1", None),         # denied and, rightly, not dialled: no call
]


def _figures(s: dict) -> dict:
    return {k: s[k] for k in ("by_code", "by_agent", "by_campaign", "by_hour", "calls_with_violations", "calls_breaking_rules",
                              "rule_violations", "violations", "packs")} | {
        "worst_agents": {a["agent_id"]: a["by_code"] for a in s["worst_agents"]}}


def test_a_call_despite_a_deny_counts_under_the_rules_it_broke_in_both_audits(sim_app):
    rt = sim_app.extensions["guard"]
    client = sim_app.test_client()
    dialer = new_key(sim_app, "dialer")
    rows = ["call_id,phone,called_at,campaign,product,agent_id,disposition,decision_id"]
    for phone, at, agent, disposition in sorted(CALLS, key=lambda c: c[1]):
        d = client.post("/v1/check", json={"phone": phone, "campaign": "dep-2026q4", "product": "DEP-001", "agent_id": agent, "at": at},
                        headers=dialer).json
        if disposition:
            ended = (datetime.fromisoformat(at) + timedelta(minutes=2)).isoformat()
            assert client.post(f"/v1/calls/{d['decision_id']}/outcome", json={"disposition": disposition, "ended_at": ended},
                               headers=dialer).status_code == 201
            rows.append(f"{d['decision_id']},{phone},{at},dep-2026q4,DEP-001,{agent},{disposition},{d['decision_id']}")

    log_id = audits.create(rt.store, "decision_log", "decisions", None, rt.clock(), "test")
    from_log = audits.audit_decision_log(rt.store, log_id, datetime(2026, 12, 1, tzinfo=CST), datetime(2026, 12, 2, tzinfo=CST), rt.clock)
    calls_id = audits.create(rt.store, "call_log", "calls.csv", None, rt.clock(), "test")
    from_calls = audits.run_call_log(rt.store, rt.packs(), calls_id, io.BytesIO("\n".join(rows).encode()), None, rt.clock)

    def verdicts(audit_id):
        return sorted((v["call_id"], v["code"], str(v["detail"].get("window", v["detail"].get("local_time", ""))), v["policy"])
                      for v in audits.iter_violations(rt.store, audit_id))

    assert verdicts(log_id) == verdicts(calls_id)
    # each violation names the version that judged its call, the same in both audits (the decision's own, the one in effect)
    assert {(v[3]["pack"], v[3]["version"]) for v in verdicts(log_id)} == {("cn-bank", rt.packs().at("cn-bank", datetime(2026, 12, 1, 12, tzinfo=CST)).version)}
    # By hand: four calls dialled; two broke a rule, each one rule and CALLED_DESPITE_DENY.
    hand = {"by_code": {"CALLED_DESPITE_DENY": 2, "FREQ_CAP": 1, "QUIET_HOURS": 1}, "by_agent": {"A1": 2, "A2": 2},
            "by_campaign": {"dep-2026q4": 4}, "calls_with_violations": 2, "calls_breaking_rules": 2, "rule_violations": 4,
            "violations": 4, "packs": {"cn-bank 2026.4": 4},
            "by_hour": {str(h): {11: 2, 20: 2}.get(h, 0) for h in range(24)},
            "worst_agents": {"A1": {"FREQ_CAP": 1, "CALLED_DESPITE_DENY": 1}, "A2": {"QUIET_HOURS": 1, "CALLED_DESPITE_DENY": 1}}}
    assert _figures(from_log) == hand
    assert _figures(from_calls) == hand
    assert Counter(from_log["by_code"]) == Counter(from_calls["by_code"])
    assert (from_log["calls_judged"], from_log["calls_breaking_rules_pct"]) == (4, 50.0)


def test_a_decision_log_audit_states_its_basis(sim_app):
    """Every audit states its basis (README, Audits): the decision log holds what the guard knew at each decision."""
    from guard.services.audits import report

    rt = sim_app.extensions["guard"]
    audit_id = audits.create(rt.store, "decision_log", "decisions", None, rt.clock(), "test")
    audits.audit_decision_log(rt.store, audit_id, datetime(2026, 12, 1, tzinfo=CST), datetime(2026, 12, 2, tzinfo=CST), rt.clock)
    audit = audits.view(rt.store, audit_id)
    assert audit["basis"] == "known_then"
    html = report.render(audit, [])
    assert "basis not recorded" not in html and "known_then" in html


def test_a_dial_with_no_decision_is_counted_at_its_hour_in_the_default_packs_zone(sim_app):
    """A dial reported for an unknown decision names no number and no customer: like a check with neither, it is placed
    in the pack's `timezone` (SPEC §5: "used when neither the number nor the customer gives one"), not in UTC, where a
    15:00 Shanghai dial read as a 07:00 one in the report's hours and the export's local time."""
    rt = sim_app.extensions["guard"]
    client = sim_app.test_client()
    dialer = new_key(sim_app, "dialer")
    assert client.post("/v1/calls/no-such-decision/outcome", json={"disposition": "busy", "ended_at": "2026-12-01T15:00:00+08:00"},
                       headers=dialer).status_code == 404
    audit_id = audits.create(rt.store, "decision_log", "decisions", None, rt.clock(), "test")
    s = audits.audit_decision_log(rt.store, audit_id, datetime(2026, 12, 1, tzinfo=CST), datetime(2026, 12, 2, tzinfo=CST), rt.clock,
                                  rt.packs())
    assert s["by_code"] == {"UNCHECKED_CALL": 1} and {h: n for h, n in s["by_hour"].items() if n} == {"15": 1}
    [v] = list(audits.iter_violations(rt.store, audit_id))
    assert (v["zone"], v["called_at_local"]) == ("Asia/Shanghai", "2026-12-01T15:00:00+08:00")
