"""`POST /v1/simulations`: the what-if over HTTP, on the hand-checked small log of tests/services/test_whatif.py."""

from __future__ import annotations

import time

import pytest
import yaml

from tests.conftest import new_key
from tests.services.test_whatif import small_log, tightened  # noqa: F401 - small_log is a fixture

PERIOD = {"from": "2026-11-02T00:00:00+08:00", "to": "2026-11-07T00:00:00+08:00"}


def _wait(c, key, sim_id: str) -> dict:
    for _ in range(400):
        sim = c.get(f"/v1/simulations/{sim_id}", headers=key).json
        if sim["status"] in ("done", "failed"):
            return sim
        time.sleep(0.05)
    raise AssertionError(sim)


def test_a_simulation_started_over_http_reports_the_calls_the_draft_would_deny(small_log):  # noqa: F811
    app, ids = small_log
    c = app.test_client()
    key = new_key(app, "auditor")
    r = c.post("/v1/simulations", json={"draft": yaml.safe_dump(tightened(), allow_unicode=True), "draft_name": "cn-bank-2026.5.yaml",
                                        **PERIOD}, headers=key)
    assert r.status_code == 202, r.json
    assert r.headers["Location"] == f"/v1/simulations/{r.json['simulation_id']}"
    sim = _wait(c, key, r.json["simulation_id"])
    assert sim["status"] == "done", sim
    report = sim["report"]
    # The status says how far the judging is (while running too, every 1,000 decisions): all of them, once done.
    assert sim["progress"] == {"judged": report["judged"], "total": report["judged"]} and report["judged"] > 0
    assert sorted(ids[x["id"]] for x in report["changed"]) == ["d2", "d3", "d6"]
    assert report["changes"]["allowed_to_denied"] == 3 and report["replay"]["differs"] == 0 and report["scripts"] == []
    page = c.get(f"/v1/simulations/{sim['simulation_id']}/report", headers=key)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert "cn-bank 2026.5-draft (cn-bank-2026.5.yaml)" in page.get_data(as_text=True)
    listed = c.get("/v1/simulations", headers=key).json["simulations"]
    assert [s["simulation_id"] for s in listed] == [sim["simulation_id"]] and listed[0]["report"] is None
    # Simulations are kept apart from the audits list.
    assert c.get("/v1/audits", headers=key).json["audits"] == []


def test_a_draft_that_fails_validation_is_a_400_naming_each_problem(small_log):  # noqa: F811
    app, _ = small_log
    c = app.test_client()
    key = new_key(app, "auditor")
    raw = tightened()
    raw["caps"]["normal"][2]["window"] = "30x"
    r = c.post("/v1/simulations", json={"draft": yaml.safe_dump(raw), "draft_name": "mine.yaml", **PERIOD}, headers=key)
    assert r.status_code == 400, r.json
    assert r.json["error"]["details"] == [{"field": "mine.yaml:caps.normal[2].window",
                                           "reason": "'30x' is not a duration (<n>s|<n>m|<n>h|<n>d)"}]
    r = c.post("/v1/simulations", json={"draft": "id: [unclosed", **PERIOD}, headers=key)
    assert r.status_code == 400, r.json
    reason = r.json["error"]["details"][0]["reason"]
    # noticed at the end of the text; the bracket left open is named where it opens
    assert reason.startswith("YAML syntax error at line ") and "flow sequence opened at line 1, column 5" in reason, reason
    r = c.post("/v1/simulations", json={"draft": yaml.safe_dump(raw).replace("30x", "30d") + "typo: 2027-02-30\n", **PERIOD},
               headers=key)  # a date that does not exist: a 400 with its line, not a 500
    assert r.status_code == 400 and "'2027-02-30' is not a date or time that exists" in r.json["error"]["details"][0]["reason"]
    r = c.post("/v1/simulations", json={"draft": "id: x", "from": PERIOD["to"], "to": PERIOD["from"]}, headers=key)
    assert r.status_code == 400 and r.json["error"]["details"] == [{"field": "to", "reason": "must be after `from`"}]
    assert c.post("/v1/simulations", json={"draft": "x", **PERIOD}, headers=new_key(app, "dialer")).status_code == 403
    assert c.get("/v1/simulations/nope", headers=key).status_code == 404


def test_a_call_log_simulated_over_http_reports_the_calls_the_draft_would_deny(small_log):  # noqa: F811
    # The small log's calls as a dialler's call log (every call was made), sent as text: the same
    # changes as `guard policies simulate DRAFT --against CALLS.csv` (tests/services/test_whatif.py).
    from tests.services.test_whatif import LOG

    app, _ = small_log
    c = app.test_client()
    key = new_key(app, "auditor")
    lines = ["call_id,phone,called_at,campaign,customer_id,disposition"]
    lines += [f"{name},{number},{at.isoformat()},dep-2026q4,{customer or ''},answered" for name, at, number, customer, dry in LOG if not dry]
    lines.append("bad,13800138000,not-a-time,dep-2026q4,,answered")
    draft = yaml.safe_dump(tightened(), allow_unicode=True)
    r = c.post("/v1/simulations", json={"draft": draft, "against": "calls", "calls": "\n".join(lines) + "\n"}, headers=key)
    assert r.status_code == 202, r.json
    sim = _wait(c, key, r.json["simulation_id"])
    assert sim["status"] == "done", sim
    report = sim["report"]
    assert report["kind"] == "call_log" and report["judged"] == 8 and report["rows_rejected"] == 1
    assert report["rejected_rows"][0]["line"] == len(lines) and "called_at" in report["rejected_rows"][0]["reason"]
    assert sorted((x["id"], x["change"]) for x in report["changed"]) == [
        ("d2", "allowed_to_denied"), ("d3", "allowed_to_denied"), ("d6", "allowed_to_denied")]
    assert c.get(f"/v1/simulations/{sim['simulation_id']}/report", headers=key).status_code == 200
    # Each kind takes its own fields, and says which is missing or out of place.
    # the log's local times without their offset, read in the zone named: the same calls change
    from zoneinfo import ZoneInfo

    local = lines[:1] + [f"{name},{number},{at.astimezone(ZoneInfo('Asia/Shanghai')):%Y-%m-%d %H:%M:%S},dep-2026q4,{customer or ''},"
                         "answered" for name, at, number, customer, dry in LOG if not dry]
    r = c.post("/v1/simulations", json={"draft": draft, "against": "calls", "calls": "\n".join(local) + "\n",
                                        "timezone": "Asia/Shanghai"}, headers=key)
    again = _wait(c, key, r.json["simulation_id"])["report"]
    assert again["judged"] == 8 and sorted((x["id"], x["change"]) for x in again["changed"]) == sorted(
        (x["id"], x["change"]) for x in report["changed"])
    for body, field in (({"against": "calls"}, "calls"), ({"against": "calls", "calls": "x", **PERIOD}, "from"),
                        ({"against": "decisions"}, "from"), ({"calls": "x", **PERIOD}, "calls"),
                        ({"against": "calls", "calls": "x", "timezone": "Mars/Olympus"}, "timezone"),
                        ({"timezone": "Asia/Shanghai", **PERIOD}, "timezone")):
        r = c.post("/v1/simulations", json={"draft": draft, **body}, headers=key)
        assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == field, (body, r.json)


# Accept-Language (RFC 9110 §12.5.4), as the audit report reads it (tests/audits/test_audits_api.py): the first Chinese
# of weight above 0 decides; without one, the Chinese of the draft's packs (cn-bank: simplified).
@pytest.mark.parametrize("accept, chinese", [(None, "zh-CN"), ("zh-TW", "zh-TW"), ("zh-CN;q=0.5, zh-HK;q=0.8", "zh-TW"),
                                             ("zh-Hant-CN", "zh-TW"), ("en, zh-CN;q=0", "zh-TW"), ("zh-Hans-HK", "zh-CN")])
def test_the_what_if_report_reads_in_the_chinese_the_reader_asks_for(small_log, accept, chinese):  # noqa: F811
    app, _ = small_log
    c = app.test_client()
    key = new_key(app, "auditor")
    r = c.post("/v1/simulations", json={"draft": yaml.safe_dump(tightened(), allow_unicode=True), "draft_name": "cn-bank-2026.5.yaml",
                                        **PERIOD}, headers=key)
    sim = _wait(c, key, r.json["simulation_id"])
    page = c.get(f"/v1/simulations/{sim['simulation_id']}/report", headers={**key, **({"Accept-Language": accept} if accept else {})})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and f'<html lang="{chinese}">' in html
    assert page.headers["Content-Language"] == f"{chinese}, en" and "Accept-Language" in page.headers["Vary"]
    if chinese == "zh-TW":
        assert "策略變更預演" in html and "允許 → 拒絕" in html and "頻次" in html
        assert "策略变更预演" not in html and "允许" not in html
    else:
        assert "策略变更预演" in html and "允许 → 拒绝" in html and "频次" in html and "策略變更預演" not in html


def test_a_taiwan_drafts_what_if_report_reads_traditional_unless_simplified_is_asked_for(small_log):  # noqa: F811
    # A new Taiwan pack drafted (no version of it serves yet): its report reads as the pack's own Chinese, as a check's
    # message_zh and the audit report of a Taiwan pack's calls do.
    from tests.audits.test_audits_api import TW_PACK

    app, _ = small_log
    c = app.test_client()
    key = new_key(app, "auditor")
    r = c.post("/v1/simulations", json={"draft": TW_PACK, "draft_name": "tw-bank-2026.1.yaml", **PERIOD}, headers=key)
    assert r.status_code == 202, r.json
    sim = _wait(c, key, r.json["simulation_id"])
    assert sim["status"] == "done", sim
    page = c.get(f"/v1/simulations/{sim['simulation_id']}/report", headers=key)
    assert '<html lang="zh-TW">' in page.get_data(as_text=True) and "策略變更預演" in page.get_data(as_text=True)
    assert page.headers["Content-Language"] == "zh-TW, en"
    page = c.get(f"/v1/simulations/{sim['simulation_id']}/report", headers={**key, "Accept-Language": "zh-CN"})
    assert '<html lang="zh-CN">' in page.get_data(as_text=True) and "策略变更预演" in page.get_data(as_text=True)


@pytest.mark.parametrize("to,status", [("2026-12-02T00:00:00+08:00", 202), ("2026-12-02T00:00:01+08:00", 400),
                                       ("2026-12-02T23:59:00+08:00", 400), ("2026-12-03T00:00:00+08:00", 400)])
def test_a_period_of_decisions_is_at_most_92_days_to_the_second(small_log, to, status):  # noqa: F811
    """92 days and 23 hours were let through: the bound compared whole days only, not what the error says it allows."""
    app, _ = small_log
    c = app.test_client()
    key = new_key(app, "auditor")
    r = c.post("/v1/simulations", json={"draft": yaml.safe_dump(tightened(), allow_unicode=True), "from": "2026-09-01T00:00:00+08:00",
                                        "to": to}, headers=key)
    assert r.status_code == status, r.json
    if status == 400:
        assert r.json["error"]["details"] == [{"field": "to", "reason": "at most 92 days after `from`"}]
    else:
        assert _wait(c, key, r.json["simulation_id"])["status"] == "done"


def test_a_draft_whose_aliases_expand_a_long_text_is_refused_at_once(small_log):  # noqa: F811
    """A 1.4 MB draft (a 1 MB phrase pattern aliased 100,000 times: few values, 100 GB of text once expanded) held a
    worker normalizing patterns for hours (here under keys of its own); it is a 400 naming the draft, answered before
    any pattern is read.
    OWASP Denial of Service cheat sheet ("input validation": bound the size of what is parsed and expanded)."""
    app, _ = small_log
    c = app.test_client()
    draft = yaml.safe_dump(tightened(), allow_unicode=True) + (
        "x-pattern: &long '" + "x" * 1_000_000 + "'\nx-patterns: [" + ", ".join(["*long"] * 100_000) + "]\n")
    started = time.monotonic()
    r = c.post("/v1/simulations", json={"draft": draft, "draft_name": "long.yaml", **PERIOD}, headers=new_key(app, "auditor"))
    assert r.status_code == 400, r.json
    assert r.json["error"]["details"][0]["field"] == "long.yaml"
    assert "expand to more than 2,097,152 characters" in r.json["error"]["details"][0]["reason"]
    assert time.monotonic() - started < 10
