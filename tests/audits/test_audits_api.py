"""Audits over HTTP: upload (multipart, CSV, JSON Lines), progress, summary, violations pages and CSV, report."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest

from tests.conftest import new_key

LOG = (
    "call_id,phone,called_at,campaign,agent_id,disposition,decision_id,transcript\n"
    "a1,13800138000,2026-11-23T10:15:00+08:00,dep-2026q4,A1,answered,,\n"
    "a2,13800138000,2026-11-23T11:15:00+08:00,dep-2026q4,A1,answered,,\n"
    "a3,13900139000,2026-11-23T22:15:00+08:00,dep-2026q4,A2,answered,,\n"
    "a4,13700137000,not a time,dep-2026q4,A2,,,\n"
    "a5,13600136000,2026-11-23T10:15:00+08:00,dep-2026q4,A3,answered,,\"您好，名额有限，今天是最后一天\"\n"
)


@pytest.fixture
def client(make_app, tmp_path):
    app = make_app(GUARD_DATA_DIR=str(tmp_path / "data"))
    c = app.test_client()
    c.auditor = new_key(app, "auditor")
    c.operator = new_key(app, "operator")
    return c


def wait_done(client, audit_id: str) -> dict:
    for _ in range(200):
        r = client.get(f"/v1/audits/{audit_id}", headers=client.auditor)
        assert r.status_code == 200
        if r.json["status"] in ("done", "failed"):
            return r.json
        time.sleep(0.05)
    raise AssertionError("the audit did not finish")


def test_upload_follow_and_read_an_audit(client):
    r = client.post("/v1/audits", data={"file": (io.BytesIO(LOG.encode()), "calls.csv")}, headers=client.auditor)
    assert r.status_code == 202 and r.json["status"] == "queued" and r.headers["Location"].endswith(r.json["audit_id"])
    audit = wait_done(client, r.json["audit_id"])
    s = audit["summary"]
    assert audit["status"] == "done" and audit["source"] == "calls.csv"
    assert (s["calls_judged"], s["rows_rejected"]) == (4, 1) and audit["rejected_rows"][0]["line"] == 5
    assert s["by_code"]["UNCHECKED_CALL"] == 4 and s["by_code"]["FREQ_CAP"] == 1 and s["by_code"]["QUIET_HOURS"] == 1
    assert s["by_code"]["PRESSURE"] == 2 and s["by_agent"]["A1"] == 3 and s["by_hour"]["22"] == 2
    assert s["by_campaign"] == {"dep-2026q4": s["violations"]}
    url = f"/v1/audits/{audit['audit_id']}/violations"
    first = client.get(url + "?limit=3", headers=client.auditor).json
    assert len(first["violations"]) == 3 and first["next_after"]
    rest = client.get(f"{url}?limit=1000&after={first['next_after']}", headers=client.auditor).json
    assert rest["next_after"] is None and len(first["violations"]) + len(rest["violations"]) == s["violations"]
    # a page that ends on the last violation says it is the last (it sent a cursor to an empty page)
    exact = client.get(f"{url}?limit={len(rest['violations'])}&after={first['next_after']}", headers=client.auditor).json
    assert exact["violations"] == rest["violations"] and exact["next_after"] is None
    only = client.get(url + "?code=QUIET_HOURS", headers=client.auditor).json["violations"]
    assert [(v["call_id"], v["code"]) for v in only] == [("a3", "QUIET_HOURS")]
    as_csv = client.get(url + "?format=csv", headers=client.auditor)
    assert as_csv.status_code == 200 and as_csv.mimetype == "text/csv"
    body = as_csv.get_data(as_text=True)
    assert body.startswith("\ufeff")  # a BOM, for Excel
    table = list(csv.DictReader(io.StringIO(body[1:])))
    assert len(table) == s["violations"] and json.loads(table[0]["detail_json"]) is not None
    report = client.get(f"/v1/audits/{audit['audit_id']}/report", headers=client.auditor)
    html = report.get_data(as_text=True)
    assert report.status_code == 200 and report.mimetype == "text/html"
    assert html.count("<svg") == 3 and "QUIET_HOURS" in html and "a3" in html
    assert "src=" not in html and "http://" not in html and "https://" not in html  # self-contained


def test_raw_csv_and_json_lines_bodies(client):
    r = client.post("/v1/audits", data=LOG.encode(), content_type="text/csv", headers=client.auditor)
    assert r.status_code == 202 and wait_done(client, r.json["audit_id"])["summary"]["calls_judged"] == 4
    lines = "\n".join(json.dumps({"call_id": f"j{i}", "phone": "13800138000", "called_at": f"2026-11-2{3 + i}T10:00:00+08:00",
                                  "campaign": "dep-2026q4"}) for i in range(3)) + "\n{not json}\n"
    r = client.post("/v1/audits", data=lines.encode(), content_type="application/x-ndjson", headers=client.auditor)
    audit = wait_done(client, r.json["audit_id"])
    assert audit["summary"]["calls_judged"] == 3 and audit["rejected_rows"][0]["line"] == 4


def test_audit_errors(client):
    assert client.post("/v1/audits", json={"x": 1}, headers=client.auditor).status_code == 415
    assert client.post("/v1/audits", data=LOG.encode(), content_type="text/csv", headers=client.operator).status_code == 403
    r = client.post("/v1/audits", data=b"phone,when\n1,2\n", content_type="text/csv", headers=client.auditor)
    assert r.status_code == 400 and "call_id" in r.json["error"]["message"] and r.json["error"]["details"][0]["field"] == "file"
    r = client.post("/v1/audits", data=b"", content_type="text/csv", headers=client.auditor)
    assert r.status_code == 400
    # a header and no row: no call to judge, refused at once as an empty log is (not a "done" audit of 0 calls)
    r = client.post("/v1/audits", data=b"call_id,phone,called_at,campaign\n", content_type="text/csv", headers=client.auditor)
    assert r.status_code == 400 and "no call" in r.json["error"]["message"], r.json
    assert client.get("/v1/audits/nope", headers=client.auditor).status_code == 404
    assert client.get("/v1/audits/nope/report", headers=client.auditor).status_code == 404
    r = client.get("/v1/audits/nope/violations?limit=0", headers=client.auditor)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "limit"


def test_the_report_waits_until_the_audit_is_done(client, make_app):
    from guard.services import audits

    app = make_app()
    rt = app.extensions["guard"]
    audit_id = audits.create(rt.store, "call_log", "x.csv", 10, rt.clock(), "test")
    h = new_key(app, "auditor")
    r = app.test_client().get(f"/v1/audits/{audit_id}/report", headers=h)
    assert r.status_code == 409 and r.json["error"]["code"] == "AUDIT_NOT_DONE"


def test_text_a_store_cannot_hold_rejects_the_row_not_the_audit(client):
    log = ("call_id,phone,called_at,campaign,transcript\n"
           "c1,13800138000,2026-11-20T10:00:00+08:00,dep-2026q4,保本\x00保息\n"
           "c2,13800138001,2026-11-20T10:05:00+08:00,dep-2026q4,您好\n")
    r = client.post("/v1/audits", data={"file": (io.BytesIO(log.encode()), "calls.csv")}, headers=client.auditor)
    assert r.status_code == 202
    done = wait_done(client, r.json["audit_id"])
    assert done["status"] == "done"
    assert [(x["line"], x["reason"]) for x in done["rejected_rows"]] == [(2, "transcript: contains a NUL character (U+0000)")]
    jsonl = ('{"call_id": "j1", "phone": "13800138000", "called_at": "2026-11-20T10:00:00+08:00", "campaign": "dep\\ud800"}\n'
             '{"call_id": "j2", "phone": "13800138001", "called_at": "2026-11-20T10:05:00+08:00", "campaign": "dep-2026q4"}\n')
    r = client.post("/v1/audits", data=jsonl.encode(), content_type="application/x-ndjson", headers=client.auditor)
    done = wait_done(client, r.json["audit_id"])
    assert done["status"] == "done" and done["rejected_rows"][0]["reason"].startswith("campaign: contains an unpaired surrogate")
    assert done["summary"]["calls_judged"] == 1
    r = client.post("/v1/audits", data={"file": (io.BytesIO(log.encode()), "calls\x00.csv")}, headers=client.auditor)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "file"


def test_a_json_line_nested_too_deep_rejects_the_row_not_the_audit(client):
    """One line of 100,000 nested brackets raised json's RecursionError out of the reader: the whole audit failed
    ("maximum recursion depth exceeded") and the other calls went unjudged."""
    deep = '{"call_id": ' + "[" * 100_000 + "]" * 100_000 + "}"
    jsonl = ('{"call_id": "j1", "phone": "13800138000", "called_at": "2026-11-20T10:00:00+08:00", "campaign": "dep-2026q4"}\n'
             + deep + "\n"
             + '{"call_id": "j3", "phone": "13800138001", "called_at": "2026-11-20T10:05:00+08:00", "campaign": "dep-2026q4"}\n')
    r = client.post("/v1/audits", data=jsonl.encode(), content_type="application/x-ndjson", headers=client.auditor)
    done = wait_done(client, r.json["audit_id"])
    assert done["status"] == "done", done["error"]
    assert [x["line"] for x in done["rejected_rows"]] == [2] and "nested" in done["rejected_rows"][0]["reason"]
    assert done["summary"]["calls_judged"] == 2


def test_a_page_cursor_beyond_64_bits_is_a_400_not_a_500(client):
    """Found by schemathesis (seed 1): an `after` past the store's 32-bit ids reached the database."""
    r = client.post("/v1/audits", data={"file": (io.BytesIO(LOG.encode()), "calls.csv")}, headers=client.auditor)
    audit_id = wait_done(client, r.json["audit_id"])["audit_id"]
    r = client.get(f"/v1/audits/{audit_id}/violations?after=63640715416345894912", headers=client.auditor)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "after"
    ok = client.get(f"/v1/audits/{audit_id}/violations?after={2**31 - 1}", headers=client.auditor)
    assert ok.status_code == 200 and ok.json["violations"] == []


def test_the_decision_log_audit_counts_a_dial_once_however_often_its_refused_outcome_was_retried(sim_app):
    """A refused outcome (dry-run or unknown decision) is kept as evidence of a dial; a dialer retrying the report
    (outcomes are idempotent, SPEC §3.3) is still one dial: the audit's figures count it once."""
    from datetime import datetime, timedelta, timezone

    from guard.services import audits

    rt = sim_app.extensions["guard"]
    client = sim_app.test_client()
    dialer = new_key(sim_app, "dialer")
    cst = timezone(timedelta(hours=8))

    def check(phone, at, **extra):
        r = client.post("/v1/check", json={"phone": phone, "campaign": "dep-2026q4", "at": at, **extra}, headers=dialer)
        assert r.status_code == 200, r.json
        return r.json

    def outcome(decision_id):
        return client.post(f"/v1/calls/{decision_id}/outcome", json={"disposition": "answered"}, headers=dialer).status_code

    allowed = check("13800138301", "2026-11-23T10:00:00+08:00")
    denied = check("13800138302", "2026-11-23T22:00:00+08:00")
    dry = check("13800138303", "2026-11-23T22:00:00+08:00", dry_run=True, agent_id="A9")
    assert allowed["allowed"] and not denied["allowed"] and dry["dry_run"]
    assert [outcome(allowed["decision_id"]), outcome(denied["decision_id"]), outcome(denied["decision_id"])] == [201, 201, 200]
    assert [outcome(dry["decision_id"]), outcome(dry["decision_id"])] == [409, 409]  # one dial, reported twice
    assert [outcome("no-such-decision"), outcome("no-such-decision"), outcome("no-such-decision")] == [404, 404, 404]
    start, end = datetime(2026, 1, 1, tzinfo=cst), datetime(2030, 1, 1, tzinfo=cst)
    audit_id = audits.create(rt.store, "decision_log", "decisions", None, rt.clock(), "test")
    s = audits.audit_decision_log(rt.store, audit_id, start, end, rt.clock)
    # By hand: 2 real decisions; 1 call despite a deny (at 22:00: the rule it broke, QUIET_HOURS, and CALLED_DESPITE_DENY);
    # 2 dials with no real decision (the dry run's, the unknown one's).
    assert s["decisions_in_period"] == 2
    assert s["by_code"] == {"UNCHECKED_CALL": 2, "CALLED_DESPITE_DENY": 1, "QUIET_HOURS": 1}
    assert (s["calls_judged"], s["violations"], s["calls_breaking_rules"], s["calls_unchecked"]) == (4, 4, 1, 2)
    assert (s["calls_breaking_rules_pct"], s["calls_unchecked_pct"]) == (25.0, 50.0)
    # The dry run's dial is the campaign's and the agent's: it names them (an unknown decision names none). Figures count
    # violations, as a call-log audit's do: the call despite the deny is two under its campaign.
    assert s["by_campaign"] == {"dep-2026q4": 3, "(unknown)": 1} and s["by_agent"] == {"A9": 1, "(none)": 3}
    # `detail.why` speaks the `unchecked_whys` vocabulary a call-log audit uses for the same calls (the console and the
    # reports translate it), not the store's own words for a refused report (unknown_decision, dry_run).
    found = client.get(f"/v1/audits/{audit_id}/violations", headers=new_key(sim_app, "auditor")).json["violations"]
    assert sorted(v["detail"]["why"] for v in found if v["code"] == "UNCHECKED_CALL") == [
        "the decision was a dry run", "unknown decision"]


TW_PACK = """id: tw-bank
version: "2026.1"
extends: cn-bank
effective_from: "2026-01-01T00:00:00+08:00"
country: TW
region: TW
timezone: Asia/Taipei
holidays: {calendar: TW, block: true}
campaigns:
  - {id: tw-dep, products: [DEP-001], require_approved_script: false}
"""


@pytest.fixture
def tw_client(make_app, tmp_path):
    import shutil

    from tests.e2e.servers import ROOT

    packs = tmp_path / "packs"
    shutil.copytree(ROOT / "policies" / "packs", packs)
    (packs / "tw-bank-2026.1.yaml").write_text(TW_PACK, encoding="utf-8")
    app = make_app(GUARD_DATA_DIR=str(tmp_path / "data"), GUARD_POLICY_DIR=str(packs))
    c = app.test_client()
    c.auditor = new_key(app, "auditor")
    return c


def _audited(client, log: str) -> str:
    r = client.post("/v1/audits", data={"file": (io.BytesIO(log.encode()), "calls.csv")}, headers=client.auditor)
    assert r.status_code == 202, r.json
    return wait_done(client, r.json["audit_id"])["audit_id"]


# Accept-Language (RFC 9110 §12.5.4): languages by weight, q=0 "not acceptable"; the first Chinese decides, a script
# subtag outweighing the region (zh-Hans-HK is simplified). Without one, the report reads in the Chinese of the packs
# that judged its calls (a Taiwan pack: traditional, as a check's message_zh).
@pytest.mark.parametrize("accept, chinese", [
    (None, "zh-TW"),
    ("zh-CN", "zh-CN"),
    ("zh-CN;q=0.5, zh-HK;q=0.8, en;q=0.9", "zh-TW"),
    ("zh-Hans-HK", "zh-CN"),
    ("en, zh-TW;q=0", "zh-CN"),
    ("en-US, *;q=0.5", "zh-TW"),
])
def test_the_report_reads_in_the_chinese_the_reader_asks_for_else_in_its_packs(tw_client, accept, chinese):
    audit_id = _audited(tw_client, "call_id,phone,called_at,campaign\n"
                                   "t1,0223456789,2026-12-07T21:30:00+08:00,tw-dep\n")
    headers = {**tw_client.auditor, **({"Accept-Language": accept} if accept else {})}
    r = tw_client.get(f"/v1/audits/{audit_id}/report", headers=headers)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and f'<html lang="{chinese}">' in html
    assert r.headers["Content-Language"] == f"{chinese}, en" and "Accept-Language" in r.headers["Vary"]
    if chinese == "zh-TW":
        assert "外呼合規審計報告" in html and "非允許呼叫時段" in html and "被叫方當地時間（Asia/Taipei）為 週一 21:30" in html
    else:
        assert "外呼合规审计报告" in html and "非允许呼叫时段" in html and "被叫方当地时间（Asia/Taipei）为 周一 21:30" in html


def test_a_mainland_packs_report_reads_simplified_unless_traditional_is_asked_for(client):
    audit_id = _audited(client, LOG)
    plain = client.get(f"/v1/audits/{audit_id}/report", headers=client.auditor).get_data(as_text=True)
    assert '<html lang="zh-CN">' in plain and "非允许呼叫时段" in plain
    tw = client.get(f"/v1/audits/{audit_id}/report", headers={**client.auditor, "Accept-Language": "zh-TW,zh;q=0.9"})
    assert '<html lang="zh-TW">' in tw.get_data(as_text=True) and "非允許呼叫時段" in tw.get_data(as_text=True)


def test_the_summary_says_which_clock_its_hours_and_period_are_in(client):
    # LOG by hand: judged a1 10:15, a2 11:15, a3 22:15, a5 10:15 (Shanghai, +08:00); a4 rejected. Violations: a1
    # UNCHECKED_CALL; a2 UNCHECKED_CALL, FREQ_CAP (a1's number an hour before); a3 UNCHECKED_CALL, QUIET_HOURS; a5
    # UNCHECKED_CALL, PRESSURE twice (名额有限, 最后一天), MISSING_DISCLOSURE (no recording notice): hours 10 → 5, 11 → 2,
    # 22 → 2.
    r = client.post("/v1/audits", data={"file": (io.BytesIO(LOG.encode()), "calls.csv")}, headers=client.auditor)
    audit = wait_done(client, r.json["audit_id"])
    s = audit["summary"]
    assert {h: n for h, n in s["by_hour"].items() if n} == {"10": 5, "11": 2, "22": 2} and s["violations"] == 9
    assert s["by_hour_clock"] == "callee_local"
    assert s["period"] == {"from": "2026-11-23T02:15:00+00:00", "to": "2026-11-23T14:15:00+00:00", "zone": "Asia/Shanghai",
                           "from_local": "2026-11-23T10:15:00+08:00", "to_local": "2026-11-23T22:15:00+08:00"}
    report = client.get(f"/v1/audits/{audit['audit_id']}/report", headers=client.auditor).get_data(as_text=True)
    assert ('calls from <span class="when" id="period-from" title="2026-11-23T02:15:00+00:00">2026-11-23 10:15:00 +08:00 '
            'Asia/Shanghai</span> to <span class="when" id="period-to" title="2026-11-23T14:15:00+00:00">2026-11-23 22:15:00 '
            '+08:00 Asia/Shanghai</span>') in report


def test_the_report_says_when_it_finished_in_the_banks_zone(client):
    # The period was shown in the bank's zone and the finishing instant as a raw UTC ISO string with microseconds
    # (2026-12-07T04:06:26.397070+00:00) beside it: a reader in Shanghai read a report finished at 12:06 as 04:06.
    from datetime import datetime
    from zoneinfo import ZoneInfo

    r = client.post("/v1/audits", data={"file": (io.BytesIO(LOG.encode()), "calls.csv")}, headers=client.auditor)
    audit = wait_done(client, r.json["audit_id"])
    local = datetime.fromisoformat(audit["finished_at"]).astimezone(ZoneInfo("Asia/Shanghai"))
    report = client.get(f"/v1/audits/{audit['audit_id']}/report", headers=client.auditor).get_data(as_text=True)
    assert (f'finished <span class="when" id="finished-at" title="{audit["finished_at"]}">{local:%Y-%m-%d %H:%M:%S} +08:00 '
            'Asia/Shanghai</span>') in report
