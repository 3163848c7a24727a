"""A hand-checked call log: every violation code, window edges, a blacklist removal, two pack versions.

The store is set up through the services at controlled instants (customers, complaints → mute,
a blacklist entry added then removed, a registry entry, a callback deferral, a script approved
mid-month, decisions allowed / denied / dry run). Each row of the log states the codes it must
get, worked out by hand from the rules; the test asserts the exact set of (call_id, code).
"""

from __future__ import annotations

import csv
import io
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from blacklist import service as blacklist
from guard.services import audits
from guard.services.suppression import complaints
from guard.services.suppression import outcomes
from guard.services.catalog import scripts
from guard.services.calls.check import CheckCommand, check
from guard.services.suppression.customers import normalise_profile, put_customer
from tests.conftest import PACKS, Clock

CST = timezone(timedelta(hours=8))


def t(s: str) -> datetime:
    return datetime.fromisoformat(s).replace(tzinfo=CST) if "+" not in s else datetime.fromisoformat(s)


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    """The shipped packs plus cn-bank 2026.5 from 2026-11-15: weekday calls end at 18:00 instead of 20:00."""
    target = tmp_path / "packs"
    shutil.copytree(PACKS, target)
    raw = yaml.safe_load((target / "cn-bank-2026.4.yaml").read_text(encoding="utf-8"))
    raw.update(version="2026.5", effective_from="2026-11-15T00:00:00+08:00")
    raw["calling_windows"] = [{"days": "mon-fri", "from": "09:00", "to": "18:00"}, {"days": "sat-sun", "from": "10:00", "to": "18:00"}]
    (target / "cn-bank-2026.5.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return target


@pytest.fixture
def world(make_app, pack_dir):
    clock = Clock(t("2026-11-01T09:00:00"))
    app = make_app(clock=clock, GUARD_POLICY_DIR=str(pack_dir), GUARD_ALLOW_CLIENT_TIME="1")
    rt = app.extensions["guard"]
    store, packs = rt.store, rt.packs()

    def customer(cid, phones, level="C3", **extra):
        body = {"phones": phones, "risk_level": level, "risk_assessed_at": t("2026-06-01T00:00:00"), **extra}
        put_customer(store, cid, normalise_profile(body, "CN", clock()), clock(), "setup")

    customer("C1", ["13800000001"], level="C1")
    customer("C4", ["13800000004"])
    customer("C5", ["13800000005"], level="C5")
    customer("C6", ["13800000006"], windows=[{"days": "mon-fri", "from": "19:00", "to": "20:00"}])
    customer("C7", ["13800000007", "13800000077"])
    for _ in range(2):  # two complaints: C4 muted from now, for a year
        complaints.file(store, packs, complaints.NewComplaint(phone=None, customer_id="C4", severity="light", received_at=clock()),
                        clock(), "setup")
    blacklist.add(store, blacklist.NewEntry(phone="+8613800000003", customer_id=None, source="registry"), clock(), "setup")
    clock.now = t("2026-11-03T10:00:00")
    blacklist.add(store, blacklist.NewEntry(phone="+8613800000002", customer_id=None, source="customer_request"), clock(), "setup")
    clock.now = t("2026-11-10T10:00:00")
    blacklist.remove(store, phone="+8613800000002", reason="entered by mistake", source=None, now=clock(), key_id="admin")

    def decide_at(phone, at, dry=False):
        return check(rt.guard, CheckCommand(phone=phone, campaign="dep-2026q4", at=t(at), dry_run=dry), "setup", {}).decision_id

    decisions = {
        "allowed": decide_at("13800000008", "2026-11-04T10:00:00"),
        "denied": decide_at("13800000009", "2026-11-04T22:00:00"),
        "dry": decide_at("13800000010", "2026-11-04T10:00:00", dry=True),
        "other": decide_at("13800000011", "2026-11-04T10:00:00"),
    }
    callback = decide_at("13800000013", "2026-11-05T10:00:00")
    clock.now = t("2026-11-05T10:05:00")
    outcomes.report(store, packs, callback, outcomes.OutcomeIn(disposition="callback", callback_at=t("2026-11-09T10:00:00")), clock(), "setup")
    clock.now = t("2026-11-11T12:00:00")
    good = "您好，本次通话将被录音。基金有风险，投资须谨慎。过往业绩不代表未来表现。"
    script = scripts.store_script(store, packs, "fund-2026q4", "fund", good, None, clock(), "setup")
    assert script["verdict"] != "fail", script["findings"]
    scripts.approve(store, packs, script["id"], clock(), "checker")  # four eyes: not the key that stored it
    clock.now = t("2027-02-01T00:00:00")
    return app, decisions


# (call_id, phone, called_at (+08:00), campaign, product, customer_id, decision, transcript, expected codes besides UNCHECKED_CALL)
ROWS = [
    ("q1", "13900000101", "2026-11-02T08:59:59", "dep-2026q4", "", "", None, "", {"QUIET_HOURS"}),
    ("q2", "13900000102", "2026-11-02T09:00:00", "dep-2026q4", "", "", None, "", set()),
    ("q3", "13900000103", "2026-11-02T19:59:59", "dep-2026q4", "", "", None, "", set()),
    ("q4", "13900000104", "2026-11-02T20:00:00", "dep-2026q4", "", "", None, "", {"QUIET_HOURS"}),
    ("q5", "13900000105", "2026-11-16T19:00:00", "dep-2026q4", "", "", None, "", {"QUIET_HOURS"}),  # 2026.5: until 18:00
    ("q6", "13900000106", "2026-11-09T19:00:00", "dep-2026q4", "", "", None, "", set()),  # 2026.4: until 20:00
    ("w1", "13900000107", "2026-11-07T10:00:00", "dep-2026q4", "", "", None, "", set()),  # Saturday 10-18
    ("w2", "13900000108", "2026-11-07T09:30:00", "dep-2026q4", "", "", None, "", {"QUIET_HOURS"}),
    ("h1", "13900000109", "2027-01-01T10:00:00", "dep-2026q4", "", "", None, "", {"HOLIDAY"}),  # New Year's Day
    ("f1", "13900000110", "2026-11-03T10:00:00", "dep-2026q4", "", "", None, "", set()),
    ("f2", "13900000110", "2026-11-04T09:59:00", "dep-2026q4", "", "", None, "", {"FREQ_CAP"}),  # 23 h 59 min later
    ("f3", "13900000110", "2026-11-05T09:59:00", "dep-2026q4", "", "", None, "", set()),  # exactly 24 h after f2
    ("c7a", "13800000007", "2026-11-03T10:00:00", "dep-2026q4", "", "", None, "", set()),
    ("c7b", "13800000077", "2026-11-03T11:00:00", "dep-2026q4", "", "", None, "", {"FREQ_CAP"}),  # the customer's second today
    ("s1", "13800000001", "2026-11-03T10:00:00", "wm-2026q4", "", "", None, "", {"SUITABILITY"}),  # C1 offered R3
    ("r1", "13900000111", "2026-11-03T10:00:00", "wm-2026q4", "", "", None, "", {"RISK_PROFILE_MISSING"}),
    ("b1", "13800000002", "2026-11-05T10:00:00", "dep-2026q4", "", "", None, "", {"DNC_OPT_OUT"}),  # listed 11-03
    ("b2", "13800000002", "2026-11-12T10:00:00", "dep-2026q4", "", "", None, "", set()),  # removed 11-10
    ("b0", "13800000002", "2026-11-02T10:00:00", "dep-2026q4", "", "", None, "", set()),  # before it was listed
    ("b3", "13800000003", "2026-11-05T10:00:00", "dep-2026q4", "", "", None, "", {"DNC_REGISTRY"}),
    ("m1", "13800000004", "2026-11-04T10:00:00", "dep-2026q4", "", "", None, "", {"MUTED"}),
    ("d1", "13800000013", "2026-11-06T10:00:00", "dep-2026q4", "", "", None, "", {"CALLBACK_DEFERRED"}),
    ("d2", "13800000013", "2026-11-09T10:30:00", "dep-2026q4", "", "", None, "", set()),
    ("cw1", "13800000006", "2026-11-04T10:00:00", "dep-2026q4", "", "", None, "", {"CUSTOMER_WINDOW"}),
    ("cw2", "13800000006", "2026-11-05T19:30:00", "dep-2026q4", "", "", None, "", set()),
    ("sc1", "13800000005", "2026-11-10T10:00:00", "fund-2026q4", "", "", None, "", {"SCRIPT_NOT_APPROVED"}),
    ("sc2", "13800000005", "2026-11-12T10:00:00", "fund-2026q4", "", "", None, "", set()),  # approved 11-11
    ("u1", "13900000112", "2026-11-03T10:00:00", "nope", "", "", None, "", {"UNKNOWN_CAMPAIGN"}),
    ("u2", "13900000113", "2026-11-03T10:00:00", "dep-2026q4", "NOPE", "", None, "", {"UNKNOWN_PRODUCT"}),
    ("i1", "12345", "2026-11-03T10:00:00", "dep-2026q4", "", "", None, "", {"INVALID_NUMBER"}),
    ("id1", "13900000114", "2026-11-05T10:00:00", "dep-2026q4", "", "C1", None, "", set()),  # C1, deposit: suitable
    ("t1", "13900000115", "2026-11-03T10:00:00", "dep-2026q4", "", "", None, "您好，本次通话将被录音。名额有限，今天是最后一天。",
     {"PRESSURE"}),
    ("t2", "13900000116", "2026-11-03T10:00:00", "dep-2026q4", "", "", None, "您好，这款存款保本保息。", {"MISSING_DISCLOSURE"}),
    # a transcript with speaker labels: the customer's question (保本保息的吗？会不会亏？) is no claim of the
    # agent's (guard/core/turns.py); the agent's 保本保息 in t4 is
    ("t3", "13900000117", "2026-11-03T10:00:00", "wm-2026q4", "", "", None,
     "坐席：您好，本次通话将被录音。理财非存款，产品有风险，投资须谨慎。\n客户：你们这个理财是保本保息的吗？会不会亏？\n"
     "坐席：不保本，过往业绩不代表未来表现。", {"RISK_PROFILE_MISSING"}),
    ("t4", "13900000118", "2026-11-03T10:00:00", "wm-2026q4", "", "", None,
     "坐席：您好，本次通话将被录音。理财非存款，产品有风险，投资须谨慎。\n客户：会不会亏？\n坐席：放心，这款理财保本保息。",
     {"RISK_PROFILE_MISSING", "BANNED_PHRASE"}),
    ("dc1", "13800000008", "2026-11-04T10:00:00", "dep-2026q4", "", "", "allowed", "", set()),
    ("dc2", "13800000009", "2026-11-04T22:00:00", "dep-2026q4", "", "", "denied", "", {"QUIET_HOURS", "CALLED_DESPITE_DENY"}),
    ("dc3", "13800000010", "2026-11-04T10:00:00", "dep-2026q4", "", "", "dry", "", {"UNCHECKED_CALL"}),
    ("dc4", "13800000012", "2026-11-04T10:00:00", "dep-2026q4", "", "", "other", "", {"UNCHECKED_CALL"}),
    ("dc5", "13800000014", "2026-11-04T10:00:00", "dep-2026q4", "", "", "01a2bad0-0000-7000-8000-000000000000", "", {"UNCHECKED_CALL"}),
]
BAD = [  # (row as CSV fields, reason prefix)
    (["", "13900000200", "2026-11-03T10:00:00+08:00", "dep-2026q4"], "call_id: empty"),
    (["x2", "13900000201", "yesterday", "dep-2026q4"], "called_at:"),
    (["q2", "13900000202", "2026-11-03T10:00:00+08:00", "dep-2026q4"], "call_id: 'q2' repeats line"),
    (["x4", "13900000203", "2026-11-03T10:00:00", "dep-2026q4"], "called_at:"),  # no UTC offset
    (["x5", "13900000204", "2026-11-03T10:00:00+08:00", "dep-2026q4", "", "", "", "hung_up"], "disposition:"),
    (["x6", "13900000205", "2026-11-03T10:00:00+08:00"], "3 fields; the header has 10"),
]
FILLERS = 220  # ordinary calls on weekdays 16-20 Nov, 10:00-17:59 (inside 2026.5), no decision id


def build_log(decisions: dict) -> tuple[str, set[tuple[str, str]], dict[int, str]]:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["call_id", "phone", "called_at", "campaign", "product", "agent_id", "customer_id", "disposition", "decision_id", "transcript"])
    expected: set[tuple[str, str]] = set()
    bad_lines: dict[int, str] = {}
    line = 1  # the physical line a record ends on (a transcript's line breaks are lines of the file too)
    for i, (cid, phone, at, campaign, product, customer, decision, transcript, codes) in enumerate(ROWS):
        line += 1 + transcript.count("\n")
        decision_id = decisions.get(decision, decision) if decision else ""
        w.writerow([cid, phone, at + "+08:00", campaign, product, f"A{i % 5}", customer, "answered", decision_id, transcript])
        expected |= {(cid, c) for c in codes}
        if not decision:
            expected.add((cid, "UNCHECKED_CALL"))
    for fields, why in BAD:
        line += 1
        w.writerow(fields if why.endswith("the header has 10") else fields + [""] * (10 - len(fields)))
        bad_lines[line] = why
    for i in range(FILLERS):
        line += 1
        day = 16 + i % 5
        at = f"2026-11-{day:02d}T{10 + i % 8:02d}:{i % 60:02d}:00+08:00"
        w.writerow([f"n{i:03d}", f"137{i:08d}", at, "dep-2026q4", "", f"A{i % 7}", "", "no_answer", "", ""])
        expected.add((f"n{i:03d}", "UNCHECKED_CALL"))
    return out.getvalue(), expected, bad_lines


@pytest.mark.parametrize("workers", [1, 2])
def test_the_hand_checked_log_gives_exactly_the_expected_violations(world, workers, monkeypatch):
    import guard.services.audits.runner as engine

    monkeypatch.setattr(engine, "PARALLEL_FROM", 0)  # judge in forked workers even a small log (workers=2)
    app, decisions = world
    rt = app.extensions["guard"]
    text, expected, bad_lines = build_log(decisions)
    audit_id = audits.create(rt.store, "call_log", "hand-checked.csv", len(text), rt.clock(), "test")
    summary = audits.run_call_log(rt.store, rt.packs(), audit_id, io.BytesIO(text.encode()), len(text), rt.clock, workers=workers)
    rows = list(audits.iter_violations(rt.store, audit_id))
    got = {(v["call_id"], v["code"]) for v in rows}
    assert got - expected == set(), "unexpected violations"
    assert expected - got == set(), "missed violations"
    view = audits.view(rt.store, audit_id)
    assert {r["line"]: r["reason"] for r in view["rejected_rows"]}.keys() == bad_lines.keys()
    for r in view["rejected_rows"]:
        assert r["reason"].startswith(bad_lines[r["line"]]), r
    assert summary["calls_judged"] == len(ROWS) + FILLERS and summary["rows_rejected"] == len(BAD)
    assert set(summary["packs"]) == {"cn-bank 2026.4", "cn-bank 2026.5"}
    assert summary["by_code"]["UNCHECKED_CALL"] == sum(1 for _, c in expected if c == "UNCHECKED_CALL")
    assert sum(summary["by_hour"].values()) == summary["violations"] == len(rows) == len(expected) + 1  # t1 has two PRESSURE findings
    assert [v["detail"]["rule"] for v in rows if v["call_id"] == "t1" and v["code"] == "PRESSURE"] == ["pressure.scarcity", "pressure.stop_sale_other"]
