"""What an auditor works from: the violations CSV (BOM, local times, messages, cells neutralised
against formula injection), the .xlsx, the rejected rows, and unchecked calls counted apart from
rule violations. On both stores; the .xlsx is read back with the standard library."""

from __future__ import annotations

import csv
import io
import json
import re
import time

import pytest

from guard.services import audits
from guard.services.audits.exports import FORMULA_TRIGGERS, excel_safe
from tests.audits.xlsx_reader import read_xlsx
from tests.conftest import new_key

HYPERLINK = '=HYPERLINK("http://x","y")'
LOG = (
    "call_id,phone,called_at,campaign,product,agent_id,customer_id,disposition,decision_id,transcript\n"
    'bj1,13800138000,2026-11-27T10:00:00+08:00,dep-2026q4,,"=HYPERLINK(""http://x"",""y"")",+1,answered,,\n'
    "bj2,13900139000,2026-11-27T22:00:00+08:00,dep-2026q4,,A1,,answered,,\n"
    "ny1,+12125550123,2026-11-27T10:00:00-05:00,us-dep-2026,,A2,,answered,,\n"  # a Friday, 10:00 in New York
    "-2,13700137000,2026-11-27T11:00:00+08:00,@SUM(1+1),,A3,,answered,,\n"
    "bad,13600136000,yesterday,dep-2026q4,,A4,,,,\n"
)
UNCHECKED = "无有效决策即拨打 / dialled without a decision"


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(GUARD_DATA_DIR=str(tmp_path / "data"))


def run(app, text: str) -> str:
    rt = app.extensions["guard"]
    audit_id = audits.create(rt.store, "call_log", "calls.csv", len(text), rt.clock(), "test")
    audits.run_call_log(rt.store, rt.packs(), audit_id, io.BytesIO(text.encode()), len(text), rt.clock)
    return audit_id


def csv_rows(text: str) -> list[dict]:
    assert text.startswith("\ufeff"), "no BOM: Excel reads the file as ANSI and shows mojibake"
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_the_csv_has_a_bom_local_times_messages_and_no_live_formulas(app):
    audit_id = run(app, LOG)
    rt = app.extensions["guard"]
    text = "".join(audits.violations_csv(rt.store, audit_id))
    rows = csv_rows(text)
    by = {(r["call_id"], r["code"]): r for r in rows}
    assert ("bj1", "UNCHECKED_CALL") in by and ("bj2", "QUIET_HOURS") in by and ("ny1", "UNCHECKED_CALL") in by
    assert ("'-2", "UNKNOWN_CAMPAIGN") in by  # call_id "-2", neutralised

    bj = by[("bj1", "UNCHECKED_CALL")]
    assert bj["agent_id"] == "'" + HYPERLINK
    assert bj["called_at_local"] == "2026-11-27T10:00:00+08:00" and bj["zone"] == "Asia/Shanghai"
    assert bj["called_at"].startswith("2026-11-27T02:00:00")
    assert bj["phone_e164"] == "'+8613800138000"
    assert bj["message"] == UNCHECKED and bj["detail"] == "why: no decision_id" and json.loads(bj["detail_json"]) == {"why": "no decision_id"}

    ny = by[("ny1", "UNCHECKED_CALL")]
    assert ny["called_at_local"] == "2026-11-27T10:00:00-05:00" and ny["zone"] == "America/New_York"
    assert ny["called_at"].startswith("2026-11-27T15:00:00") and ny["message"] == UNCHECKED

    quiet = by[("bj2", "QUIET_HOURS")]
    assert quiet["called_at_local"] == "2026-11-27T22:00:00+08:00"
    assert quiet["message"] == "非允许呼叫时段 / Outside calling hours"
    assert "timezone: Asia/Shanghai" in quiet["detail"] and not quiet["detail"].startswith("{")
    assert json.loads(quiet["detail_json"])["timezone"] == "Asia/Shanghai"

    odd = by[("'-2", "UNKNOWN_CAMPAIGN")]
    assert odd["campaign"] == "'@SUM(1+1)" and odd["message"] == "营销活动未配置 / Unknown campaign"
    for r in rows:  # no cell of the file can start a formula
        for name, cell in r.items():
            assert not cell.startswith(FORMULA_TRIGGERS), (name, cell)
    # The JSON pages carry the local time and the zone too, unneutralised.
    page = audits.violations_page(rt.store, audit_id, 0, 100, None)["violations"]
    first = next(v for v in page if v["call_id"] == "bj1")
    assert first["agent_id"] == HYPERLINK and first["called_at_local"] == "2026-11-27T10:00:00+08:00" and first["zone"] == "Asia/Shanghai"


@pytest.mark.parametrize("value, safe", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("A=1", "A=1"), ("", ""), (12, 12),
])
def test_every_formula_trigger_is_neutralised(value, safe):
    assert excel_safe(value) == safe


def test_unchecked_calls_are_counted_apart_from_rule_violations(app):
    # 4 calls, none with a decision id: all unchecked; two broke a rule (22:00, and the 2nd call in a day).
    log = ("call_id,phone,called_at,campaign,agent_id\n"
           "u1,13800138000,2026-11-23T10:15:00+08:00,dep-2026q4,A1\n"
           "u2,13800138000,2026-11-23T11:15:00+08:00,dep-2026q4,A1\n"
           "u3,13900139000,2026-11-23T22:15:00+08:00,dep-2026q4,A2\n"
           "u4,13700137000,2026-11-23T10:15:00+08:00,dep-2026q4,A3\n")
    audit_id = run(app, log)
    s = audits.view(app.extensions["guard"].store, audit_id)["summary"]
    assert s["calls_judged"] == 4 and s["calls_with_violations"] == 4  # the old figure: every call "broke a rule"
    assert (s["calls_unchecked"], s["calls_unchecked_pct"]) == (4, 100.0)
    assert (s["calls_breaking_rules"], s["calls_breaking_rules_pct"]) == (2, 50.0)
    assert s["rule_violations"] == 2 and s["violations"] == 6 and s["by_code"]["UNCHECKED_CALL"] == 4


def wait_done(client, headers, audit_id: str) -> dict:
    for _ in range(200):
        r = client.get(f"/v1/audits/{audit_id}", headers=headers)
        if r.json["status"] in ("done", "failed"):
            return r.json
        time.sleep(0.05)
    raise AssertionError("the audit did not finish")


def test_the_xlsx_export_and_the_rejected_rows_over_http(app):
    client, h = app.test_client(), new_key(app, "auditor")
    r = client.post("/v1/audits", data={"file": (io.BytesIO(LOG.encode()), "calls.csv")}, headers=h)
    audit_id = r.json["audit_id"]
    audit = wait_done(client, h, audit_id)
    assert audit["status"] == "done" and [x["line"] for x in audit["rejected_rows"]] == [6]
    url = f"/v1/audits/{audit_id}/violations"
    as_csv = client.get(url + "?format=csv", headers=h)
    assert as_csv.mimetype == "text/csv" and as_csv.get_data().startswith(b"\xef\xbb\xbf")
    table = csv_rows(as_csv.get_data(as_text=True))
    got = client.get(url + "?format=xlsx", headers=h)
    assert got.status_code == 200 and got.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert got.headers["Content-Disposition"].endswith('.xlsx"') and int(got.headers["Content-Length"]) == len(got.get_data())
    book = read_xlsx(got.get_data())
    assert list(book) == ["violations", "rejected rows"]
    header, *cells = book["violations"]
    assert header == list(table[0].keys())
    assert len(cells) == len(table) == audit["summary"]["violations"]
    for row, expected in zip(cells, table):  # the same cells as the CSV; line numbers as numbers
        as_text = ["" if c is None else str(int(c)) if isinstance(c, float) else c for c in row + [None] * (len(header) - len(row))]
        assert as_text == list(expected.values())
    bj = dict(zip(header, next(c for c in cells if c[1] == "bj1")))
    assert bj["agent_id"] == "'" + HYPERLINK and bj["called_at_local"] == "2026-11-27T10:00:00+08:00" and bj["line"] == 2.0
    assert not any(isinstance(c, tuple) for row in cells for c in row)  # no formula cells
    assert book["rejected rows"][0] == ["line", "reason"] and book["rejected rows"][1][0] == 6.0
    assert book["rejected rows"][1][1].startswith("called_at:")
    rejects = client.get(f"/v1/audits/{audit_id}/rejects", headers=h)
    assert rejects.status_code == 200 and rejects.mimetype == "text/csv"
    assert [(x["line"], x["reason"][:10]) for x in csv_rows(rejects.get_data(as_text=True))] == [("6", "called_at:")]
    assert client.get("/v1/audits/nope/rejects", headers=h).status_code == 404
    assert client.get(url + "?format=pdf", headers=h).status_code == 400


def test_the_openapi_document_names_the_export_formats(app):
    doc = app.test_client().get("/openapi.json").json
    op = doc["paths"]["/v1/audits/{audit_id}/violations"]["get"]
    content = op["responses"]["200"]["content"]
    assert set(content) == {"application/json", "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    fmt = next(p for p in op["parameters"] if p["name"] == "format")
    assert fmt["schema"]["enum"] == ["json", "csv", "xlsx"]
    assert "text/csv" in doc["paths"]["/v1/audits/{audit_id}/rejects"]["get"]["responses"]["200"]["content"]


def test_the_report_lists_the_first_1000_rejected_rows_and_says_how_many_more(app):
    from guard.services.audits import report

    log = ("call_id,phone,called_at,campaign\n" + "ok,13800138000,2026-11-23T10:15:00+08:00,dep-2026q4\n"
           + "".join(f"x{i},13800138000,not a time,dep-2026q4\n" for i in range(1005)))
    audit_id = run(app, log)
    rt = app.extensions["guard"]
    view = audits.view(rt.store, audit_id)
    assert view["summary"]["rows_rejected"] == 1005 and len(view["rejected_rows"]) == 1000
    html = report.render(view, audits.iter_violations(rt.store, audit_id))
    table = html[html.index('<table id="rejects">'):]
    assert table.count("<tr><td>") == 1000 and "<tr><td>3</td><td>called_at:" in table and "<tr><td>1002</td>" in table
    assert "Showing the first 1000 of 1005 rejected rows; 5 more are in the rejected-rows CSV" in html
    every = csv_rows("".join(audits.rejects_csv(rt.store, audit_id)))
    assert [int(r["line"]) for r in every] == list(range(3, 1008))


def test_the_report_gives_every_agents_and_every_campaigns_figure(app):
    """Twelve agents, each with one unchecked call: the report's per-agent figures add up to the total, none left out
    unsaid (the JSON summary's `by_agent` has all twelve; the report listed the ten worst and dropped the rest)."""
    from guard.services.audits import report

    log = "call_id,phone,called_at,campaign,agent_id\n" + "".join(
        f"c{i},1380013{i:04d},2026-11-23T10:15:00+08:00,{'dep-2026q4' if i % 2 else 'cc-2026q4'},AGENT{i:02d}\n" for i in range(12))
    audit_id = run(app, log)
    rt = app.extensions["guard"]
    view = audits.view(rt.store, audit_id)
    assert len(view["summary"]["by_agent"]) == 12
    html = report.render(view, audits.iter_violations(rt.store, audit_id))
    # the agents' table rows (the violations table's rows start with the line number)
    assert sorted(re.findall(r"<tr><td>(AGENT\d\d)</td><td>(\d+)</td>", html)) == [(f"AGENT{i:02d}", "1") for i in range(12)]
    assert sorted(re.findall(r"<tr><td>((?:cc|dep)-2026q4)</td><td>(\d+)</td>", html)) == [("cc-2026q4", "6"), ("dep-2026q4", "6")]


def test_a_report_charts_bar_names_are_whole_and_start_inside_the_figure():
    # The what-if report names each reason by its code, Chinese and English (up to ~520 px at 12 px): set right-aligned in
    # the 184 px left of the bars, a name was cut at 28 characters ("QUIET_HOURS 非允许呼叫时段 · Outsid") and its start ran off
    # the figure's left edge ("_HOURS …" was all a reader saw).
    from guard.services.audits.report import _label, bar_chart

    name = f"RISK_PROFILE_MISSING {_label('RISK_PROFILE_MISSING')}"
    svg = bar_chart("Allowed → denied by reason", [(name, 3), ("A17", 1)], "chart-x")
    texts = re.findall(r'<text x="([\d.]+)"[^>]*>([^<]*)</text>', svg)
    assert ("0", name) in texts and ("0", "A17") in texts, texts
    assert 'text-anchor="end"' not in svg
