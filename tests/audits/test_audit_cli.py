"""`flask --app app guard audit`: a call log to JSON/CSV/HTML, and the decision log (--decisions)."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import create_engine, text

from tests.e2e.servers import GuardServer, cli, cli_on_a_terminal, request

LOG = ("call_id,phone,called_at,campaign,agent_id\n"
       "a1,13800138000,2026-11-23T10:15:00+08:00,dep-2026q4,A1\n"
       "a2,13800138000,2026-11-23T11:15:00+08:00,dep-2026q4,A1\n"
       "a3,13800138001,bad,dep-2026q4,A1\n")


@pytest.fixture
def env(sqlite_url, tmp_path):
    return {"DATABASE_URL": sqlite_url, "GUARD_LOG_LEVEL": "WARNING", "GUARD_DATA_DIR": str(tmp_path / "data")}


def test_a_call_log_to_json_csv_and_html(env, tmp_path):
    log = tmp_path / "calls.csv"
    log.write_text(LOG, encoding="utf-8")
    r = cli(env, "audit", str(log))
    assert r.returncode == 1, r.stderr  # violations found
    doc = json.loads(r.stdout)
    assert doc["audit"]["summary"]["by_code"] == {"UNCHECKED_CALL": 2, "FREQ_CAP": 1}
    assert f"{log}:4: rejected: called_at:" in r.stderr and "2 calls judged, 3 violations" in r.stderr
    out = tmp_path / "violations.csv"
    assert cli(env, "audit", str(log), "--out", str(out)).returncode == 1
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert sorted((x["call_id"], x["code"]) for x in rows) == [("a1", "UNCHECKED_CALL"), ("a2", "FREQ_CAP"), ("a2", "UNCHECKED_CALL")]
    html = tmp_path / "report.html"
    assert cli(env, "audit", str(log), "--out", str(html)).returncode == 1
    assert html.read_text(encoding="utf-8").count("<svg") == 3


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])  # (html: its table stops at its row limit, written at once)
def test_writing_the_report_shows_a_bar_on_a_terminal(env, tmp_path, fmt):
    """A million calls' violations take minutes to write after the judging bar ends: the CLI shows how far it is."""
    log = tmp_path / "calls.csv"  # no decision ids: each of the 12,000 calls is one UNCHECKED_CALL violation
    log.write_text("call_id,phone,called_at,campaign\n" + "".join(
        f"c{i},139{i:08d},2026-11-23T10:15:00+08:00,dep-2026q4\n" for i in range(12_000)), encoding="utf-8")
    out = tmp_path / f"report.{fmt}"
    proc, shown = cli_on_a_terminal(env, "audit", str(log), "--out", str(out))
    assert proc.returncode == 1 and out.stat().st_size > 0
    writing = [x for x in shown.decode("utf-8").split("\r") if x.startswith("writing")]
    assert f"5000 of 12000 violations ({fmt})" in writing[0] and "100.0%  12000 of 12000" in writing[-1], writing


def test_a_call_log_saved_as_excels_unicode_text_is_judged_as_its_csv(env, tmp_path):
    # Excel's "Unicode Text" save: UTF-16LE with a byte-order mark, CRLF, tab-separated. Read with commas, its header
    # named no column and the log was refused; it is the same log as the CSV, judged the same.
    log = tmp_path / "calls.txt"
    log.write_bytes(b"\xff\xfe" + LOG.replace(",", "\t").replace("\n", "\r\n").encode("utf-16-le"))
    r = cli(env, "audit", str(log))
    assert r.returncode == 1, r.stderr
    assert json.loads(r.stdout)["audit"]["summary"]["by_code"] == {"UNCHECKED_CALL": 2, "FREQ_CAP": 1}
    assert f"{log}:4: rejected: called_at:" in r.stderr and "read as UTF-16" in r.stderr


def test_a_call_log_to_xlsx_by_format_and_by_suffix(env, tmp_path):
    from tests.audits.xlsx_reader import read_xlsx

    log = tmp_path / "calls.csv"
    log.write_text(LOG.replace("A1\n", "=1+1\n", 1), encoding="utf-8")  # a1's agent: a formula
    named = tmp_path / "by-suffix.xlsx"
    r = cli(env, "audit", str(log), "--out", str(named))
    assert r.returncode == 1, r.stderr
    assert "(1 broke a rule, 2 unchecked)" in r.stderr
    explicit = tmp_path / "violations.bin"
    assert cli(env, "audit", str(log), "--format", "xlsx", "--out", str(explicit)).returncode == 1
    for path in (named, explicit):
        book = read_xlsx(path.read_bytes())
        header, *rows = book["violations"]
        cells = [dict(zip(header, row)) for row in rows]
        assert sorted((c["call_id"], c["code"]) for c in cells) == [("a1", "UNCHECKED_CALL"), ("a2", "FREQ_CAP"), ("a2", "UNCHECKED_CALL")]
        a1 = next(c for c in cells if c["call_id"] == "a1")
        assert a1["agent_id"] == "'=1+1" and a1["called_at_local"] == "2026-11-23T10:15:00+08:00" and a1["zone"] == "Asia/Shanghai"
        assert [row[0] for row in book["rejected rows"][1:]] == [4.0]


def test_an_unusable_log_exits_2(env, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("phone,when\n1,2\n", encoding="utf-8")
    r = cli(env, "audit", str(bad))
    assert r.returncode == 2 and "call_id" in r.stderr and r.stdout == ""
    assert cli(env, "audit").returncode == 2
    assert cli(env, "audit", "--decisions", "--from", "2026-11-01T00:00:00+08:00").returncode == 2


def test_a_log_with_a_header_and_no_call_exits_2_like_an_empty_one(env, tmp_path):
    # An export cut short after its header holds no call: read as "0 calls, 0 violations, exit 0" it would pass
    # a pipeline as a clean log. Like an empty file, it is unusable input (exit 2), blank lines or not.
    only_header = tmp_path / "calls.csv"
    only_header.write_text("call_id,phone,called_at,campaign\r\n\r\n", encoding="utf-8", newline="")
    r = cli(env, "audit", str(only_header))
    assert r.returncode == 2 and "no call" in r.stderr and r.stdout == "", (r.returncode, r.stderr)


@pytest.mark.e2e
def test_the_decision_log_audit_finds_calls_despite_a_deny_and_dials_without_a_decision(env):
    env = {**env, "GUARD_ALLOW_CLIENT_TIME": "1"}
    key = cli(env, "keys", "create", "--role", "dialer").stdout.strip()
    server = GuardServer(env).start()
    try:
        def post(path, body):
            return request(server.port, "POST", path, body, key)

        allowed = post("/v1/check", {"phone": "13800138000", "campaign": "dep-2026q4", "at": "2026-11-23T10:15:00+08:00"})[1]
        denied = post("/v1/check", {"phone": "13800138000", "campaign": "dep-2026q4", "at": "2026-11-23T10:20:00+08:00"})[1]
        assert allowed["allowed"] and not denied["allowed"]
        assert post(f"/v1/calls/{allowed['decision_id']}/outcome", {"disposition": "answered"})[0] == 201
        assert post(f"/v1/calls/{denied['decision_id']}/outcome", {"disposition": "answered"})[0] == 201
        assert post("/v1/calls/no-such-decision/outcome", {"disposition": "busy"})[0] == 404
        # denied and, as the dialer should, not called: no outcome, so not a call
        assert not post("/v1/check", {"phone": "13800138000", "campaign": "dep-2026q4", "at": "2026-11-23T10:25:00+08:00"})[1]["allowed"]
    finally:
        server.stop()
    r = cli(env, "audit", "--decisions", "--from", "2026-01-01T00:00:00+08:00", "--to", "2030-01-01T00:00:00+08:00")
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    got = sorted((v["code"], v["detail"].get("decision_id")) for v in doc["violations"])
    assert got == sorted([("CALLED_DESPITE_DENY", denied["decision_id"]), ("FREQ_CAP", None), ("UNCHECKED_CALL", "no-such-decision")])
    summary = doc["audit"]["summary"]
    assert (summary["decisions_in_period"], summary["decisions_denied"], summary["decisions_with_outcome"]) == (3, 2, 2)
    # the calls the log shows: two decisions called, one dial with no decision; one of the three broke a rule
    assert (summary["calls_judged"], summary["calls_breaking_rules"], summary["calls_unchecked"]) == (3, 1, 1)
    assert (summary["calls_breaking_rules_pct"], summary["calls_unchecked_pct"]) == (33.33, 33.33)
    assert summary["chains"]["intact"] is True
    # An outcome deleted afterwards hides the call made despite the deny from the figures: the audit says the log is not intact.
    assert cli(env, "decisions", "seal").returncode == 0
    engine = create_engine(env["DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM outcomes WHERE decision_id = :d"), {"d": denied["decision_id"]})
    engine.dispose()
    r = cli(env, "audit", "--decisions", "--from", "2026-01-01T00:00:00+08:00", "--to", "2030-01-01T00:00:00+08:00", "--format", "html")
    assert r.returncode == 1 and "NOT intact" in r.stderr and "outcomes {'altered': 0, 'missing': 1" in r.stderr, r.stderr
    assert 'id="chains"' in r.stdout and "The decision log is NOT intact" in r.stdout and "outcomes: 1 missing" in r.stdout


def test_each_violation_names_the_pack_version_that_judged_its_call(env, tmp_path):
    # us-tcpa 2026.2 takes effect 2026-12-08T00:00-05:00 and opens Texas at 09:00 (Tex. Bus. & Com. Code § 301.051); 2026.1
    # keeps the federal 08:00 (47 CFR 64.1200(c)(1)). An Austin call at 08:30 on the 7th broke no hour rule, the same call on
    # the 8th did. The summary counted calls per version; a violation row did not say which version found it, so an auditor
    # could not tell the call judged just before the change from the one just after it.
    log = tmp_path / "calls.csv"
    log.write_text("call_id,phone,called_at,campaign\n"
                   "tx1,+15125550101,2026-12-07T08:30:00-06:00,us-dep-2026\n"
                   "tx2,+15125550102,2026-12-08T08:30:00-06:00,us-dep-2026\n", encoding="utf-8")
    r = cli(env, "audit", str(log))
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    assert doc["audit"]["summary"]["packs"] == {"us-tcpa 2026.1": 1, "us-tcpa 2026.2": 1}
    named = sorted((v["call_id"], v["code"], v["policy"]["version"]) for v in doc["violations"])
    assert named == [("tx1", "UNCHECKED_CALL", "2026.1"), ("tx2", "QUIET_HOURS", "2026.2"), ("tx2", "UNCHECKED_CALL", "2026.2")]
    assert {v["policy"]["pack"] for v in doc["violations"]} == {"us-tcpa"}
    out = tmp_path / "violations.csv"
    assert cli(env, "audit", str(log), "--out", str(out)).returncode == 1
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert sorted((x["call_id"], x["code"], x["policy"]) for x in rows) == [
        ("tx1", "UNCHECKED_CALL", "us-tcpa 2026.1"), ("tx2", "QUIET_HOURS", "us-tcpa 2026.2"), ("tx2", "UNCHECKED_CALL", "us-tcpa 2026.2")]
    # the report names the version on each row when more than one judged the log
    html = tmp_path / "report.html"
    assert cli(env, "audit", str(log), "--out", str(html)).returncode == 1
    page = html.read_text(encoding="utf-8")
    assert "<th>Policy version</th>" in page
    assert page.count('<td class="policy">us-tcpa 2026.2</td>') == 2 and page.count('<td class="policy">us-tcpa 2026.1</td>') == 1
