"""What-if against the live guard, decision by decision.

A seeded script of events over days (customer profiles with risk levels and sensitive tags, checks of deposit and
wealth campaigns on owned numbers, naming the owner, another customer or nobody, some dry runs, some calls dialled
despite a deny, blacklist entries added and removed, complaints that tag and mute) is run through the live guard on a
store under the serving packs, then again on a fresh store whose cn-bank differs in one rule (the 30-day customer cap
3 -> 1, the weekday window from 09:00 -> 10:00, WM-R3-001's risk R3 -> R4). The simulation of that draft over the first
store's decision log must change exactly the decisions the second run answered differently, with both runs' reason
codes; the same pack as a draft changes none. A call dialled despite a deny is dialled in the second run only when the
first denied it too (as the what-if has it: a call the draft denies is not made, unless it was dialled regardless).
"""

from __future__ import annotations

import random
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from guard.services import whatif
from tests.conftest import PACKS, Clock, new_key

START = datetime(2026, 11, 2, 0, 30, tzinfo=timezone.utc)
NUMBERS = [f"1390099{i:04d}" for i in range(8)]
CUSTOMERS = [f"D{i}" for i in range(5)]
STOP_WORDS = "把我号码删了"  # not a built-in stop-calling phrase: the `stop` draft adds it
# What the dialler reports: the outcome's body (its ended_at added) by name. All but the first three make something
# when they arrive (a deferral, blacklist entries).
OUTCOMES = {
    "no_answer": {"disposition": "no_answer"}, "answered": {"disposition": "answered"}, "busy": {"disposition": "busy"},
    "callback": {"disposition": "callback"}, "callback_at": {"disposition": "callback", "callback_in": 5},
    "do_not_call": {"disposition": "do_not_call"}, "note_stop": {"disposition": "answered", "note": "客户说以后别再打了"},
    "note_words": {"disposition": "answered", "note": f"客户说{STOP_WORDS}"},
}


def script(seed: int, steps: int) -> list[tuple]:
    rnd = random.Random(seed)
    events: list[tuple] = [("profile", 0, {
        cid: {"phones": NUMBERS[i * 3 // 2:(i + 1) * 3 // 2], "region": "CN",
              "risk_level": rnd.choice(["C2", "C3", "C4"]),
              "risk_assessed_at": (START - timedelta(days=rnd.choice([10, 200]))).isoformat(),
              **({"tags": ["sensitive"]} if rnd.random() < 0.2 else {})}
        for i, cid in enumerate(CUSTOMERS)})]
    for _ in range(steps):
        gap = rnd.choice([7, 23, 41, 95, 180])
        kind = rnd.choices(["check", "blacklist", "unblacklist", "complaint"], weights=[40, 2, 2, 2])[0]
        if kind == "check":
            number = rnd.choice(NUMBERS)
            campaign, product = rnd.choice([("dep-2026q4", None), ("wm-2026q4", "WM-R3-001"), ("wm-2026q4", None)])
            named = rnd.choice([None, "owner", rnd.choice(CUSTOMERS)])
            events.append(("check", gap, {"number": number, "campaign": campaign, "product": product, "named": named,
                                          "dry": rnd.random() < 0.1, "despite": rnd.random() < 0.3,
                                          "disposition": rnd.choices(list(OUTCOMES), weights=[3, 3, 2, 6, 2, 1, 1, 1])[0]}))
        elif kind == "blacklist":
            events.append(("blacklist", gap, {"phone": rnd.choice(NUMBERS)}))
        elif kind == "unblacklist":
            events.append(("unblacklist", gap, {"phone": rnd.choice(NUMBERS)}))
        else:
            who = {"phone": rnd.choice(NUMBERS)} if rnd.random() < 0.3 else {"customer_id": rnd.choice(CUSTOMERS)}
            events.append(("complaint", gap, {**who, "text": rnd.choice([None, None, "服务态度差", "以后别再打了", STOP_WORDS])}))
    return events


def run(app, clock: Clock, events, first: list[tuple] | None = None) -> list[tuple]:
    c = app.test_client()
    key = new_key(app, "admin")
    out = []
    owner = {}
    for kind, gap, body in events:
        clock.now += timedelta(minutes=gap)
        if kind == "profile":
            for cid, p in body.items():
                r = c.put(f"/v1/customers/{cid}", json=p, headers=key)
                assert r.status_code in (200, 201), r.json
                owner.update({n: cid for n in p["phones"]})
        elif kind == "blacklist":
            r = c.post("/v1/blacklist", json={"phone": body["phone"], "source": "manual", "region": "CN", "reason": "误加号码"}, headers=key)
            assert r.status_code in (200, 201), r.json
        elif kind == "unblacklist":
            r = c.delete(f"/v1/blacklist/+86{body['phone']}", json={"reason": "误加号码", "source": "manual"}, headers=key)
            assert r.status_code in (200, 404), r.json
        elif kind == "complaint":
            r = c.post("/v1/complaints", json={**{k: v for k, v in body.items() if v is not None}, "severity": "light", "region": "CN"},
                       headers=key)
            assert r.status_code in (200, 201), r.json
        else:
            req = {"phone": body["number"], "campaign": body["campaign"], "dry_run": body["dry"]}
            if body["product"]:
                req["product"] = body["product"]
            named = owner.get(body["number"]) if body["named"] == "owner" else body["named"]
            if named:
                req["customer_id"] = named
            r = c.post("/v1/check", json=req, headers=key)
            assert r.status_code == 200, r.json
            d = r.json
            clock.now += timedelta(minutes=2)
            denied_first = not (first[len(out)][1] if first is not None else d["allowed"])
            dialled = not body["dry"] and (d["allowed"] or (body["despite"] and denied_first))
            outcome = dict(OUTCOMES[body["disposition"]])
            if first is not None and (outcome["disposition"] not in ("no_answer", "answered", "busy") or outcome.get("note")):
                # An outcome that makes something is one the first run reported: the what-if replays the outcomes
                # reported, and a call nobody dialled under the serving packs has none.
                dialled = dialled and (first is None or first[len(out)][3])
            out.append((d["decision_id"], d["allowed"], [x["code"] for x in d["reasons"]], dialled))
            if dialled:
                if "callback_in" in outcome:
                    outcome["callback_at"] = (clock.now + timedelta(hours=outcome.pop("callback_in"))).isoformat()
                r = c.post(f"/v1/calls/{d['decision_id']}/outcome", json={**outcome, "ended_at": clock.now.isoformat()}, headers=key)
                assert r.status_code in (200, 201), r.json
    return out


def cap(raw):
    raw["caps"]["normal"][2]["max"] = 1


def window(raw):
    raw["calling_windows"][0]["from"] = "10:00"


def risk(raw):
    next(p for p in raw["products"] if p["code"] == "WM-R3-001")["risk"] = "R4"


def mute(raw):
    raw["mute"]["complaints"] = 1


def mute_within(raw):
    raw["mute"]["within"] = "12h"


def mute_for(raw):
    raw["mute"]["for"] = "1d"


def deferral(raw):
    raw["deferral_default"] = "10d"


def stop(raw):
    raw["stop_calling"] = [STOP_WORDS]


def same(raw):
    pass


# The mutes, deferrals and stop-calling entries of the draft's run are derived again by the what-if from the complaints
# and outcomes themselves (guard.core.arrivals, one derivation for the live services and the replay): SPEC §2.2 (mute
# after N complaints in a window, for a period), §3.3 (callback defers until callback_at, default from the pack), §3.6
# (a text asking to stop calling blacklists).
@pytest.mark.parametrize("change", [same, cap, window, risk, mute, mute_within, mute_for, deferral, stop])
@pytest.mark.parametrize("seed", [3, 6])
def test_the_what_if_changes_exactly_what_a_live_run_under_the_draft_answers_differently(make_app, sqlite_template, tmp_path, seed, change):
    events = script(seed, 160)
    raw = yaml.safe_load((PACKS / "cn-bank-2026.4.yaml").read_text(encoding="utf-8"))
    change(raw)
    raw["version"] = "2026.5-draft"
    drafted = tmp_path / "packs-b"
    shutil.copytree(PACKS, drafted)
    (drafted / "cn-bank-2026.4.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    clock_a = Clock(START)
    app_a = make_app(GUARD_DATA_DIR=str(tmp_path / "a"), clock=clock_a)
    live_a = run(app_a, clock_a, events)
    b_db = tmp_path / "b.db"
    shutil.copyfile(sqlite_template, b_db)
    clock_b = Clock(START)
    app_b = make_app(DATABASE_URL=f"sqlite:///{b_db}", GUARD_POLICY_DIR=str(drafted), GUARD_DATA_DIR=str(tmp_path / "b"), clock=clock_b)
    live_b = run(app_b, clock_b, events, live_a)
    expected = {}
    for (ida, aa, ca, _), (_, ab, cb, _) in zip(live_a, live_b):
        if aa != ab or (not aa and sorted(set(ca)) != sorted(set(cb))):
            expected[ida] = ("allowed_to_denied" if aa and not ab else "denied_to_allowed" if ab and not aa else "reasons_changed", ca, cb)
    rt = app_a.extensions["guard"]
    d = tmp_path / "draft"
    d.mkdir()
    (d / "cn-bank-draft.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    draft = whatif.draft_packs(rt.registry.good_documents(), whatif.read_draft(d), "cn-bank")
    report = whatif.simulate_decisions(rt.store, rt.packs(), draft, START, clock_a.now + timedelta(seconds=1))
    assert report["not_replayed"] == [] and not report["warnings"], report["warnings"]
    assert report["replay"]["differs"] == 0, report["replay"]
    got = {c["id"]: (c["change"], c["before"], c["after"]) for c in report["changed"]}
    assert report["judged"] == len(live_a)
    wrong = {k: (got.get(k), expected.get(k)) for k in set(got) | set(expected) if (got.get(k) or (None,))[0] != (expected.get(k) or (None,))[0]}
    assert not wrong, "\n".join(f"{k}: what-if {g} live {e}" for k, (g, e) in sorted(wrong.items()))
    for k, v in got.items():
        assert sorted(v[1]) == sorted(expected[k][1]) and sorted(v[2]) == sorted(expected[k][2]), (k, v, expected[k])
    assert sum(report["changes"].values()) == len(report["changed"])
    assert change is same or expected, "the draft changed no live answer: the script proves nothing for it"
