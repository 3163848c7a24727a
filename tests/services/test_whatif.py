"""What-if simulations (`guard policies simulate`): a draft judged against the decision log beside the
versions that judged it.

The small log below is hand-checked. cn-bank 2026.4 caps a customer at 1 call per 24 h and 3 per
30 days, a number at 1 per 24 h. The draft tightens the customer's 30-day cap to 1:

| id | when (Shanghai) | number | customer | logged | under the draft |
|---|---|---|---|---|---|
| d1 | Mon 11-02 10:30 | N1 | C1 | allowed | allowed |
| d2 | Tue 11-03 11:00 | N2 | C1 | allowed | **denied** FREQ_CAP (30d: 1 of 1) |
| d3 | Wed 11-04 11:30 | N3 | C1 | allowed | **denied** FREQ_CAP (30d: still 1: d2 was not dialled) |
| d4 | Thu 11-05 12:00 | N1 | C1 | denied FREQ_CAP (30d: 3 of 3) | denied FREQ_CAP (30d: 1 of 1): no change of answer |
| d5 | Mon 11-02 14:00 | N4 | C2 | allowed | allowed |
| d6 | Thu 11-05 14:00 | N4 | C2 | allowed | **denied** FREQ_CAP |
| d7 | Mon 11-02 15:00 | N5 | — | allowed | allowed (no customer: no customer cap) |
| d8 | Tue 11-03 15:30 | N5 | — | allowed | allowed |
| d9 | Fri 11-06 10:00, dry run | N2 | C1 | denied FREQ_CAP | denied FREQ_CAP |

So exactly d2, d3 and d6 go from allowed to denied, and none the other way.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from guard.services import whatif
from tests.conftest import PACKS, Clock, new_key
from tests.e2e.servers import cli
from tests.services.test_one_path import START, World, pack_dir  # noqa: F401 - pack_dir is a fixture

SH = timezone(timedelta(hours=8))
N1, N2, N3, N4, N5 = "13900130001", "13900130002", "13900130003", "13900130004", "13900130005"
LOG = [  # (name, instant, number, customer, dry run)
    ("d1", datetime(2026, 11, 2, 10, 30, tzinfo=SH), N1, "C1", False),
    ("d5", datetime(2026, 11, 2, 14, 0, tzinfo=SH), N4, "C2", False),
    ("d7", datetime(2026, 11, 2, 15, 0, tzinfo=SH), N5, None, False),
    ("d2", datetime(2026, 11, 3, 11, 0, tzinfo=SH), N2, "C1", False),
    ("d8", datetime(2026, 11, 3, 15, 30, tzinfo=SH), N5, None, False),
    ("d3", datetime(2026, 11, 4, 11, 30, tzinfo=SH), N3, "C1", False),
    ("d4", datetime(2026, 11, 5, 12, 0, tzinfo=SH), N1, "C1", False),
    ("d6", datetime(2026, 11, 5, 14, 0, tzinfo=SH), N4, "C2", False),
    ("d9", datetime(2026, 11, 6, 10, 0, tzinfo=SH), N2, "C1", True),
]


def cn_bank() -> dict:
    return yaml.safe_load((PACKS / "cn-bank-2026.4.yaml").read_text(encoding="utf-8"))


def write_draft(directory: Path, raw: dict, name: str = "cn-bank-draft.yaml") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def tightened() -> dict:
    raw = cn_bank()
    raw["version"] = "2026.5-draft"
    raw["effective_from"] = "2027-01-01T00:00:00+08:00"
    raw["caps"]["normal"] = [{"scope": "number", "window": "24h", "max": 1}, {"scope": "customer", "window": "24h", "max": 1},
                             {"scope": "customer", "window": "30d", "max": 1}]
    return raw


@pytest.fixture
def small_log(make_app):
    app = make_app(GUARD_ALLOW_CLIENT_TIME="1")
    c = app.test_client()
    key = new_key(app, "admin")
    for cid, phones in (("C1", [N1, N2, N3]), ("C2", [N4])):
        r = c.put(f"/v1/customers/{cid}", json={"phones": phones, "region": "CN"}, headers=key)
        assert r.status_code in (200, 201), r.json
    ids = {}
    for name, at, number, customer, dry in LOG:
        body = {"phone": number, "campaign": "dep-2026q4", "at": at.isoformat(), "dry_run": dry}
        if customer:
            body["customer_id"] = customer
        r = c.post("/v1/check", json=body, headers=key)
        assert r.status_code == 200, r.json
        ids[r.json["decision_id"]] = name
        assert r.json["allowed"] == (name not in ("d4", "d9")), (name, r.json["reasons"])
    return app, ids


def test_a_draft_tightening_the_customer_cap_reports_exactly_the_calls_it_would_deny(small_log, tmp_path):
    app, ids = small_log
    rt = app.extensions["guard"]
    draft = whatif.draft_packs(rt.registry.good_documents(), whatif.read_draft(write_draft(tmp_path / "draft", tightened())), "cn-bank")
    report = whatif.simulate_decisions(rt.store, rt.packs(), draft, datetime(2026, 11, 2, tzinfo=SH), datetime(2026, 11, 7, tzinfo=SH))
    changed = {ids[c["id"]]: c for c in report["changed"]}
    assert sorted(changed) == ["d2", "d3", "d6"]
    assert all(c["change"] == "allowed_to_denied" and c["after"] == ["FREQ_CAP"] for c in changed.values())
    assert report["changes"] == {"allowed_to_denied": 3, "denied_to_allowed": 0, "reasons_changed": 0}
    assert report["replay"] == {"reproduced": 9, "differs": 0, "examples": [], "schema_versions": {"2": 9}}
    assert report["judged"] == 9 and report["dry_runs"] == 1
    assert report["by_reason"]["allowed_to_denied"] == {"FREQ_CAP": 3}
    assert report["by_campaign"] == {"dep-2026q4": {"allowed_to_denied": 3}}
    assert report["by_tier"] == {"normal": {"allowed_to_denied": 3}}
    assert report["by_hour"]["11"] == {"allowed_to_denied": 2} and report["by_hour"]["14"] == {"allowed_to_denied": 1}
    # Caps replayed in order: d2, denied by the draft, was not dialled, so d3 counts d1 alone.
    d3 = next(e for e in report["examples"]["allowed_to_denied:FREQ_CAP"] if ids[e["id"]] == "d3")
    cap = next(r["detail"] for r in d3["after"]["reasons"] if r["code"] == "FREQ_CAP")
    assert (cap["scope"], cap["window"], cap["limit"], cap["count"]) == ("customer", "30d", 1, 1), cap
    # 7 real calls allowed in 5 days before, 4 after: 0.6 fewer calls a day.
    assert report["calls_per_day"] == {"before": 1.4, "after": 0.8, "expected_drop": 0.6, "expected_drop_pct": 42.86}
    assert report["draft"][0]["version"] == "2026.5-draft"


def test_a_draft_equal_to_the_serving_pack_reports_no_change(small_log, tmp_path):
    app, _ = small_log
    rt = app.extensions["guard"]
    target = tmp_path / "same"
    target.mkdir()
    shutil.copy(PACKS / "cn-bank-2026.4.yaml", target)
    draft = whatif.draft_packs(rt.registry.good_documents(), whatif.read_draft(target), "cn-bank")
    report = whatif.simulate_decisions(rt.store, rt.packs(), draft, datetime(2026, 11, 2, tzinfo=SH), datetime(2026, 11, 7, tzinfo=SH))
    assert report["changes"] == {"allowed_to_denied": 0, "denied_to_allowed": 0, "reasons_changed": 0}
    assert report["changed"] == [] and report["calls_per_day"]["expected_drop"] == 0


def test_a_draft_equal_to_the_serving_packs_changes_nothing_over_a_seeded_period(make_app, pack_dir, tmp_path):  # noqa: F811
    clock = Clock(START)
    app = make_app(GUARD_POLICY_DIR=str(pack_dir), GUARD_DATA_DIR=str(tmp_path / "data"), clock=clock)
    World(app, clock, 3).run(200)
    rt = app.extensions["guard"]
    # The same rules as a new version that would serve from next year: it judges the whole period, and
    # cn-strict (which extends cn-bank) is resolved against it throughout.
    raw = cn_bank()
    raw["version"], raw["effective_from"] = "2027.1", "2027-01-01T00:00:00+08:00"
    draft = whatif.draft_packs(rt.registry.good_documents(), whatif.read_draft(write_draft(tmp_path / "same", raw)), "cn-bank")
    assert draft.describe()[0]["effective_from"] == "2027-01-01T00:00:00+08:00"
    assert draft.packs.at("cn-strict", START) is not None
    report = whatif.simulate_decisions(rt.store, rt.packs(), draft, START, clock.now + timedelta(seconds=1))
    assert report["judged"] >= 100
    assert report["replay"]["differs"] == 0, report["replay"]
    assert report["changes"] == {"allowed_to_denied": 0, "denied_to_allowed": 0, "reasons_changed": 0}, report["examples"]


def test_an_invalid_draft_is_explained_as_validate_would(small_log, tmp_path):
    app, _ = small_log
    rt = app.extensions["guard"]
    raw = tightened()
    raw["caps"]["normal"][2]["window"] = "30x"
    with pytest.raises(whatif.DraftInvalid) as caught:
        whatif.draft_packs(rt.registry.good_documents(), whatif.read_draft(write_draft(tmp_path / "bad", raw)), "cn-bank")
    # The same line `guard policies validate cn-bank-draft.yaml` prints after "error  ".
    assert [str(i) for i in caught.value.issues] == ["cn-bank-draft.yaml: caps.normal[2].window: '30x' is not a duration (<n>s|<n>m|<n>h|<n>d)"]


def test_the_cli_writes_the_json_and_the_html_report_and_refuses_a_bad_draft(small_log, store_url, tmp_path):
    app, ids = small_log
    draft = write_draft(tmp_path / "draft", tightened())
    env = {"DATABASE_URL": store_url, "GUARD_LOG_LEVEL": "WARNING"}
    period = ["--from", "2026-11-02T00:00:00+08:00", "--to", "2026-11-07T00:00:00+08:00"]
    out = cli(env, "policies", "simulate", str(draft), "--against", "decisions", *period)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert sorted(ids[c["id"]] for c in report["changed"]) == ["d2", "d3", "d6"]
    html = tmp_path / "whatif.html"
    out = cli(env, "policies", "simulate", str(draft), "--against", "decisions", *period, "--out", str(html))
    assert out.returncode == 0 and "3 allowed → denied" in out.stderr, out.stderr
    page = html.read_text(encoding="utf-8")
    assert '<div class="n">3</div>Allowed → denied' in page and "<svg" in page and "http" not in page.split("<body>")[1]
    assert "1.4 → 0.8 a day (-42.86 %)" in page, "the change in calls a day, signed: a fall reads as one"
    raw = tightened()
    raw["caps"]["normal"][2]["max"] = "one"
    bad = write_draft(tmp_path / "bad", raw)
    out = cli(env, "policies", "simulate", str(bad), "--against", "decisions", *period)
    assert out.returncode == 1 and out.stdout == "" and "error  cn-bank-draft.yaml: caps.normal[2].max" in out.stderr, out.stderr
    renamed = tightened()
    renamed["id"] = "cn-bank-2026"
    out = cli(env, "policies", "simulate", str(write_draft(tmp_path / "renamed", renamed)), "--against", "decisions", *period)
    assert out.returncode == 0 and "warning  the draft (cn-bank-2026) governs none of the 9 decisions judged" in out.stderr, out.stderr


def test_a_call_log_under_the_tightened_draft_reports_the_calls_it_would_deny(small_log, store_url, tmp_path):
    # The same calls as the small log, as a dialler's call log (every call was made; d4 despite the cap).
    # Under the serving pack each call counts (as in an audit); under the draft d2 is not made, so d3
    # counts d1 alone; d4, denied by both, was dialled regardless and counts under both.
    lines = ["call_id,phone,called_at,campaign,customer_id,disposition"]
    for name, at, number, customer, dry in LOG:
        if not dry:
            lines.append(f"{name},{number},{at.isoformat()},dep-2026q4,{customer or ''},answered")
    log = tmp_path / "calls.csv"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {"DATABASE_URL": store_url, "GUARD_LOG_LEVEL": "WARNING"}
    out = cli(env, "policies", "simulate", str(write_draft(tmp_path / "draft", tightened())), "--against", str(log))
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["kind"] == "call_log" and report["judged"] == 8 and report["rows_rejected"] == 0
    assert sorted((c["id"], c["change"]) for c in report["changed"]) == [
        ("d2", "allowed_to_denied"), ("d3", "allowed_to_denied"), ("d6", "allowed_to_denied")]
    d3 = next(e for e in report["examples"]["allowed_to_denied:FREQ_CAP"] if e["id"] == "d3")
    cap = next(r["detail"] for r in d3["after"]["reasons"] if r["code"] == "FREQ_CAP")
    assert (cap["scope"], cap["window"], cap["limit"], cap["count"]) == ("customer", "30d", 1, 1), cap
    bad = cli(env, "policies", "simulate", str(write_draft(tmp_path / "draft", tightened())), "--against", str(tmp_path / "nope.csv"))
    assert bad.returncode == 2 and "neither `decisions` nor a call-log file" in bad.stderr
    # The same log as a spreadsheet exports it, Shanghai's wall-clock times without their offset: read in the zone named,
    # it changes the same calls; without a zone its rows are rejected
    from zoneinfo import ZoneInfo

    shanghai = ZoneInfo("Asia/Shanghai")
    local = tmp_path / "calls-local.csv"
    local.write_text("\n".join([lines[0], *(
        f"{name},{number},{at.astimezone(shanghai):%Y/%m/%d %H:%M:%S},dep-2026q4,{customer or ''},answered"
        for name, at, number, customer, dry in LOG if not dry)]) + "\n", encoding="utf-8")
    draft = str(write_draft(tmp_path / "draft", tightened()))
    out = cli(env, "policies", "simulate", draft, "--against", str(local), "--timezone", "Asia/Shanghai")
    assert out.returncode == 0, out.stderr
    again = json.loads(out.stdout)
    assert again["judged"] == 8 and sorted((c["id"], c["change"]) for c in again["changed"]) == sorted(
        (c["id"], c["change"]) for c in report["changed"])
    out = cli(env, "policies", "simulate", draft, "--against", str(local))
    assert out.returncode == 0 and json.loads(out.stdout)["rows_rejected"] == 8
    out = cli(env, "policies", "simulate", draft, "--against", str(local), "--timezone", "Mars/Olympus")
    assert out.returncode == 2 and "--timezone" in out.stderr


@pytest.mark.parametrize("before,after,drop_pct,shown", [(2, 3, -50.0, "2 → 3 a day (+50 %)"), (2, 1, 50.0, "2 → 1 a day (-50 %)"),
                                                          (2, 2, 0.0, "2 → 2 a day (0 %)")])
def test_the_report_signs_the_change_in_calls_a_day(before, after, drop_pct, shown):
    """A loosened draft (2 → 3 calls a day) showed "(-50 %)" beside the rise: the drop's figure, read as a fall."""
    from guard.services.whatif.report import render

    page = render({"kind": "decisions", "judged": 1, "changes": {}, "calls_per_day": {
        "before": before, "after": after, "expected_drop": before - after, "expected_drop_pct": drop_pct}})
    assert shown in page


def test_a_draft_that_governs_none_of_the_judged_calls_says_so(small_log, tmp_path):
    """A draft under another pack id (a typo, or a new pack that extends the serving one) governs no campaign: it
    replaced nothing, and reported "no change" beside its stricter cap as if the cap changed nothing."""
    app, _ = small_log
    rt = app.extensions["guard"]
    period = datetime(2026, 11, 2, tzinfo=SH), datetime(2026, 11, 7, tzinfo=SH)
    renamed = tightened()
    renamed["id"] = "cn-bank-2026"
    draft = whatif.draft_packs(rt.registry.good_documents(), whatif.read_draft(write_draft(tmp_path / "renamed", renamed)), "cn-bank")
    report = whatif.simulate_decisions(rt.store, rt.packs(), draft, *period)
    assert report["judged"] == 9 and report["draft_governs"] == 0
    assert report["warnings"] == ["the draft (cn-bank-2026) governs none of the 9 decisions judged: a draft replaces the serving "
                                  "versions of its own pack id (the serving packs: cn-bank, us-tcpa)"]
    from guard.services.whatif.report import render

    assert '<p class="bad-text warning"><b>the draft (cn-bank-2026) governs none' in render(report)
    draft = whatif.draft_packs(rt.registry.good_documents(), whatif.read_draft(write_draft(tmp_path / "draft", tightened())), "cn-bank")
    report = whatif.simulate_decisions(rt.store, rt.packs(), draft, *period)
    assert report["draft_governs"] == 9 and report["warnings"] == []
    assert 'class="bad-text warning"' not in render(report)


def test_the_html_report_lists_every_changed_decision_as_the_json_does(small_log, tmp_path):
    """The HTML showed at most 5 examples per change and code: a reader of the HTML alone could not see every call the draft
    changes, which the JSON's `changed` lists."""
    from html.parser import HTMLParser

    from guard.services.whatif.report import render

    app, ids = small_log
    rt = app.extensions["guard"]
    draft = whatif.draft_packs(rt.registry.good_documents(), whatif.read_draft(write_draft(tmp_path / "draft", tightened())), "cn-bank")
    report = whatif.simulate_decisions(rt.store, rt.packs(), draft, datetime(2026, 11, 2, tzinfo=SH), datetime(2026, 11, 7, tzinfo=SH))
    report["examples"] = {}  # the list must not lean on the examples

    class Rows(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside, self.rows, self.cell = False, [], None

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.inside = dict(attrs).get("id") == "changed"
            elif self.inside and tag == "tr":
                self.rows.append([])
            elif self.inside and tag == "td":
                self.cell = ""

        def handle_endtag(self, tag):
            if self.inside and tag == "td":
                self.rows[-1].append(self.cell.strip())
                self.cell = None
            elif tag == "table":
                self.inside = False

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    parser = Rows()
    parser.feed(render(report))
    rows = [r for r in parser.rows if r]
    assert len(rows) == len(report["changed"]) == 3
    for row, change in zip(rows, report["changed"]):
        assert row[0] == change["id"] and "FREQ_CAP" in row[-1] and row[-2] == "allowed", row


def test_a_draft_changing_what_complaints_and_outcomes_make_is_replayed_and_only_the_callback_due_is_said_not_shown(small_log, tmp_path):
    """Mutes, deferrals and stop-calling blacklist entries are derived again under the draft from the complaints and
    outcomes themselves (tests/services/test_whatif_live.py holds each to a live run under such a draft), so a draft
    changing `mute`, `deferral_default` or `stop_calling` leaves nothing unreplayed. `complaints.callback` sets only
    when a satisfaction callback falls due, which no check reads: the report says the change is not shown."""
    app, _ = small_log
    rt = app.extensions["guard"]
    period = datetime(2026, 11, 2, tzinfo=SH), datetime(2026, 11, 7, tzinfo=SH)
    raw = tightened()
    raw["mute"] = {"complaints": 1, "within": "180d", "for": "365d"}
    raw["deferral_default"] = "7d"
    raw["stop_calling"] = ["不要再打", "别再打了"]
    draft = whatif.draft_packs(rt.registry.good_documents(), whatif.read_draft(write_draft(tmp_path / "mute", raw)), "cn-bank")
    report = whatif.simulate_decisions(rt.store, rt.packs(), draft, *period)
    assert report["not_replayed"] == [] and report["warnings"] == []
    raw = tightened()
    raw["complaints"] = {**(raw.get("complaints") or {}), "callback": "3d"}
    draft = whatif.draft_packs(rt.registry.good_documents(), whatif.read_draft(write_draft(tmp_path / "callback", raw)), "cn-bank")
    report = whatif.simulate_decisions(rt.store, rt.packs(), draft, *period)
    assert report["not_replayed"] == ["complaints.callback"]
    assert report["warnings"] == [
        "the draft changes complaints.callback: no check reads what this rule sets (when a complaint's satisfaction callback "
        "falls due), so this report does not show what the change would do"]
    draft = whatif.draft_packs(rt.registry.good_documents(), whatif.read_draft(write_draft(tmp_path / "draft", tightened())), "cn-bank")
    report = whatif.simulate_decisions(rt.store, rt.packs(), draft, *period)
    assert report["not_replayed"] == [] and report["warnings"] == []


def test_a_simulation_reports_its_progress_from_none_to_every_decision_of_the_period(small_log, tmp_path):
    """The CLI's bar and the HTTP status read it: (judged, total) before the first decision, every 1,000, after the last."""
    app, _ = small_log
    rt = app.extensions["guard"]
    period = datetime(2026, 11, 2, tzinfo=SH), datetime(2026, 11, 7, tzinfo=SH)
    draft = whatif.draft_packs(rt.registry.good_documents(), whatif.read_draft(write_draft(tmp_path / "draft", tightened())), "cn-bank")
    seen: list[tuple[int, int]] = []
    report = whatif.simulate_decisions(rt.store, rt.packs(), draft, *period, on_progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, report["judged"]), (report["judged"], report["judged"])] and report["judged"] == 9


def test_a_replay_mutes_a_customer_as_the_live_complaint_judged_by_the_packs_of_their_numbers_did(make_app, tmp_path):
    """A complaint filed by customer_id of a customer with a mainland and a US number is judged by both packs (the
    strictest: us-tcpa mutes after one complaint); the replay under packs equal to the serving ones mutes as live did."""
    app = make_app(GUARD_ALLOW_CLIENT_TIME="1")
    c, key = app.test_client(), new_key(app, "admin")
    assert c.put("/v1/customers/MIX2", json={"phones": [N1, "+13105550123"]}, headers=key).status_code == 201
    r = c.post("/v1/complaints", json={"customer_id": "MIX2", "severity": "light", "received_at": "2026-12-09T10:00:00+08:00"},
               headers=key)
    assert r.status_code == 201 and r.json["effects"]["mute_id"] and len(r.json["effects"]["packs"]) == 2, r.json
    r = c.post("/v1/check", json={"phone": N1, "customer_id": "MIX2", "campaign": "dep-2026q4",
                                  "at": "2026-12-10T10:15:00+08:00"}, headers=key)
    assert r.status_code == 200 and [x["code"] for x in r.json["reasons"]] == ["MUTED"], r.json
    target = tmp_path / "same"
    target.mkdir()
    shutil.copy(PACKS / "cn-bank-2026.4.yaml", target)
    rt = app.extensions["guard"]
    draft = whatif.draft_packs(rt.registry.good_documents(), whatif.read_draft(target), "cn-bank")
    report = whatif.simulate_decisions(rt.store, rt.packs(), draft, datetime(2026, 12, 10, tzinfo=SH), datetime(2026, 12, 11, tzinfo=SH))
    assert report["judged"] == 1 and report["changed"] == [], report["changed"]
    assert report["replay"]["differs"] == 0, report["replay"]
