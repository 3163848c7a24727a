"""Call logs as banks' spreadsheets export them: times without a UTC offset (2026/11/23 22:15) are read in the zone
the auditor names for the log, and judged exactly as the same calls with their offsets; a log none of whose rows can
be judged fails instead of reading as a clean audit; an encoding named wrongly that still decodes every line is
refused instead of garbling the transcripts; an audit that is not done exports nothing."""

from __future__ import annotations

import json

import pytest

from tests.audits.test_audit_encodings import SIMPLIFIED, TRADITIONAL, audited, by_call, client, env, upload  # noqa: F401
from tests.audits.test_audits_api import wait_done
from tests.conftest import new_key
from tests.e2e.servers import cli

# SIMPLIFIED with each time as a spreadsheet shows it in Shanghai: no offset, slashes, an hour of one digit.
SPREADSHEET = (SIMPLIFIED.replace("2026-11-23T10:15:00+08:00", "2026/11/23 10:15")
               .replace("2026-11-23T10:20:00+08:00", "2026/11/23 10:20:00")
               .replace("2026-11-23T22:15:00+08:00", "2026/11/23 22:15")
               .replace("2026-11-23T11:00:00+08:00", "2026-11-23 11:00:00")
               .replace("2026-11-23T11:05:00+08:00", "2026/11/23 11:05"))


def test_the_spreadsheet_log_holds_no_offset():
    assert "+08:00" not in SPREADSHEET and SPREADSHEET.count("2026/11/23") == 4


def test_times_without_an_offset_are_read_in_the_zone_named_and_judged_as_with_it(client):  # noqa: F811
    _, want = audited(client, SIMPLIFIED.encode("utf-8"))
    assert "QUIET_HOURS" in want["s3"]  # 22:15 in Shanghai
    for kw in ({"query": "?timezone=Asia/Shanghai"}, {"timezone": "Asia/Shanghai"}):
        audit, got = audited(client, SPREADSHEET.encode("gbk"), **kw)
        assert got == want
        assert audit["summary"]["timezone"] == "Asia/Shanghai" and audit["summary"]["rows_rejected"] == 0
    # read in another zone the same wall-clock times are other instants: 22:15 in Hong Kong is 22:15 in Shanghai too,
    # but 10:15 in UTC is 18:15 in Shanghai, inside the window, and 22:15 UTC is 06:15 the next morning, outside it
    audit, got = audited(client, SPREADSHEET.encode("utf-8"), query="?timezone=UTC")
    assert "QUIET_HOURS" in got["s3"] and audit["summary"]["timezone"] == "UTC"
    page = client.get(f"/v1/audits/{audit['audit_id']}/violations?code=QUIET_HOURS", headers=client.auditor).json
    assert {v["called_at"] for v in page["violations"] if v["call_id"] == "s3"} == {"2026-11-23T22:15:00+00:00"}


def test_an_unknown_zone_is_refused_naming_the_field(client):  # noqa: F811
    status, body = upload(client, SPREADSHEET.encode("utf-8"), query="?timezone=Mars/Olympus")
    assert status == 400 and body["error"]["details"][0]["field"] == "timezone" and "Mars/Olympus" in body["error"]["message"]
    status, body = upload(client, SPREADSHEET.encode("utf-8"), timezone="+08:00")
    assert status == 400 and body["error"]["details"][0]["field"] == "timezone"


def test_a_log_none_of_whose_rows_can_be_judged_fails_and_says_how_to_read_its_times(client):  # noqa: F811
    status, body = upload(client, SPREADSHEET.encode("utf-8"))
    assert status == 202
    audit = wait_done(client, body["audit_id"])
    assert audit["status"] == "failed" and audit["summary"] is None
    assert "none of the log's 5 rows could be judged" in audit["error"] and "timezone" in audit["error"]
    assert [r["line"] for r in audit["rejected_rows"]] == [2, 3, 4, 5, 6]
    assert all("UTC offset" in r["reason"] for r in audit["rejected_rows"])
    # nothing to export from it: a header without rows would read as a clean audit
    for fmt in ("csv", "xlsx"):
        r = client.get(f"/v1/audits/{audit['audit_id']}/violations?format={fmt}", headers=client.auditor)
        assert r.status_code == 409 and r.json["error"]["code"] == "AUDIT_NOT_DONE"
    # one row judged is an audit: the rest are its rejected rows
    one = SPREADSHEET.replace("2026/11/23 10:15", "2026-11-23T10:15:00+08:00")
    audit, got = audited(client, one.encode("utf-8"))
    assert audit["summary"]["calls_judged"] == 1 and audit["summary"]["rows_rejected"] == 4 and set(got) == {"s1"}


def test_a_time_the_clocks_show_twice_is_rejected_not_guessed(client):  # noqa: F811
    log = SPREADSHEET.replace("2026/11/23 10:15", "2026-11-01 01:30")  # New York's clocks go back at 02:00 that night
    audit, _ = audited(client, log.encode("utf-8"), query="?timezone=America/New_York")
    assert [(r["line"], r["reason"]) for r in audit["rejected_rows"]] == [
        (2, "called_at: '2026-11-01 01:30' is shown twice or never by the clocks of America/New_York (a change of summer "
            "time): give its UTC offset")]


def test_a_violation_code_that_does_not_exist_is_a_400(client):  # noqa: F811
    audit, _ = audited(client, SIMPLIFIED.encode("utf-8"))
    r = client.get(f"/v1/audits/{audit['audit_id']}/violations?code=NOPE", headers=client.auditor)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "code"
    r = client.get(f"/v1/audits/{audit['audit_id']}/violations?code=QUIET_HOURS", headers=client.auditor)
    assert r.status_code == 200 and {v["call_id"] for v in r.json["violations"]} == {"s3"}


def test_an_encoding_named_wrongly_that_decodes_every_line_is_refused(client):  # noqa: F811
    """GBK bytes read as Big5 decode without an error into bopomofo and rare characters: the transcripts' claims would be
    lost without a word (3 BANNED_PHRASE and a PRESSURE gone, a phone number garbled into an INVALID_NUMBER)."""
    data = SIMPLIFIED.encode("gbk")
    status, body = upload(client, data, query="?encoding=big5")
    assert status == 400
    message = body["error"]["message"]
    assert "does not read as Big5-HKSCS" in message and "GB18030" in message
    # the same log named rightly, and Big5 named for a Big5 log, are read
    audit, got = audited(client, data, query="?encoding=gbk")
    assert "BANNED_PHRASE" in got["s1"]
    audit, got = audited(client, TRADITIONAL.encode("big5"), query="?encoding=big5")
    assert "BANNED_PHRASE" in got["t1"]


# --- the CLI ------------------------------------------------------------------------------------


def test_the_cli_reads_a_spreadsheet_log_in_the_zone_named_and_fails_without_one(env, tmp_path):  # noqa: F811
    path = tmp_path / "calls.csv"
    path.write_bytes(SIMPLIFIED.encode("utf-8"))
    r = cli(env, "audit", str(path))
    assert r.returncode == 1
    want = by_call(json.loads(r.stdout)["violations"])
    path.write_bytes(SPREADSHEET.encode("gbk"))
    r = cli(env, "audit", str(path))
    assert r.returncode == 2 and "none of the log's 5 rows could be judged" in r.stderr and "--timezone" in r.stderr
    r = cli(env, "audit", str(path), "--timezone", "Asia/Shanghai")
    assert r.returncode == 1 and "times without an offset read in Asia/Shanghai" in r.stderr
    assert by_call(json.loads(r.stdout)["violations"]) == want
    r = cli(env, "audit", str(path), "--timezone", "Mars/Olympus")
    assert r.returncode == 2 and "--timezone" in r.stderr and "Mars/Olympus" in r.stderr


def test_the_cli_exits_1_when_rows_were_rejected_though_no_call_broke_a_rule(make_app, store_url, tmp_path):
    app = make_app(GUARD_ALLOW_CLIENT_TIME="1")
    decision = app.test_client().post("/v1/check", json={"phone": "13800138000", "campaign": "dep-2026q4",
                                                          "at": "2026-11-23T10:15:00+08:00"}, headers=new_key(app, "dialer")).json
    assert decision["allowed"], decision
    env = {"DATABASE_URL": store_url, "GUARD_LOG_LEVEL": "WARNING", "GUARD_AUTO_MIGRATE": "0",
           "GUARD_DATA_DIR": str(tmp_path / "data")}
    path = tmp_path / "calls.csv"
    clean = ("call_id,phone,called_at,campaign,decision_id\n"
             f"c1,13800138000,2026-11-23T10:16:00+08:00,dep-2026q4,{decision['decision_id']}\n")
    path.write_text(clean, encoding="utf-8")
    r = cli(env, "audit", str(path))
    assert r.returncode == 0 and "0 violations" in r.stderr, r.stderr
    path.write_text(clean + "c2,13800138001,not a time,dep-2026q4,\n", encoding="utf-8")
    r = cli(env, "audit", str(path))
    assert r.returncode == 1 and "0 violations" in r.stderr and "1 rows rejected" in r.stderr
    assert ":3: rejected: called_at" in r.stderr


def test_the_cli_refuses_an_encoding_named_wrongly(env, tmp_path):  # noqa: F811
    path = tmp_path / "calls.csv"
    path.write_bytes(SIMPLIFIED.encode("gbk"))
    r = cli(env, "audit", str(path), "--encoding", "big5")
    assert r.returncode == 2 and "does not read as Big5-HKSCS" in r.stderr and r.stdout == ""


# --- a stray quote -----------------------------------------------------------------------------------------------

ROWS = [
    "c1,13800138000,2026-11-23T10:15:00+08:00,wm-2026q4,A1,answered,,您好，这款理财保本保息",
    'c2,13900139000,2026-11-23T10:20:00+08:00,wm-2026q4,A2,answered,,"客户说：那就是保本的咯',  # the quote is never closed
    "c3,13700137000,2026-11-23T22:15:00+08:00,dep-2026q4,A1,answered,,",
    "c4,13600136000,2026-11-23T11:00:00+08:00,dep-2026q4,A3,answered,,嗯，好的，谢谢，再见。",
    "c5,13500135000,2026-11-23T11:05:00+08:00,wm-2026q4,A3,answered,,这个产品稳赚不赔，机会难得",
]


def test_a_stray_quote_rejects_its_line_and_the_rows_after_it_are_read(client):  # noqa: F811
    """An opening quote never closed made the CSV reader take every later row into that transcript: those calls were
    neither judged nor rejected (the audit said 2 rows). Now the line with the quote is rejected, saying so, and the
    rows after it are judged as if it were not there."""
    header = SIMPLIFIED.splitlines()[0]
    with_stray = "\n".join([header, *ROWS]) + "\n"
    without = "\n".join([header, ROWS[0], *ROWS[2:]]) + "\n"
    _, want = audited(client, without.encode("utf-8"))
    assert set(want) == {"c1", "c3", "c4", "c5"} and "QUIET_HOURS" in want["c3"] and "PRESSURE" in want["c5"]
    audit, got = audited(client, with_stray.encode("gbk"))
    assert got == want
    assert audit["summary"]["calls_judged"] == 4 and audit["summary"]["rows_rejected"] == 1
    [reject] = audit["rejected_rows"]
    assert reject["line"] == 3 and "quote opened in this line is not closed" in reject["reason"] and "line 4" in reject["reason"]


def test_a_transcript_with_line_breaks_in_its_quotes_is_one_row_at_the_line_it_starts_on(client):  # noqa: F811
    header = SIMPLIFIED.splitlines()[0]
    log = "\n\n" + "\n".join([header, ROWS[0],  # two blank lines before the header: line numbers still count them
                              'c2,13900139000,2026-11-23T10:20:00+08:00,wm-2026q4,A2,answered,,"坐席：您好\n客户：嗯\n坐席：这款理财零风险，2026-11-23 10:20,您放心"',
                              ROWS[3], "c9,not-a-number,2026-11-23T11:10:00+08:00,dep-2026q4,A3,answered,,"]) + "\n"
    audit, got = audited(client, log.encode("utf-8"))
    assert audit["summary"]["rows_rejected"] == 0 and audit["summary"]["calls_judged"] == 4
    assert "BANNED_PHRASE" in got["c2"]
    page = client.get(f"/v1/audits/{audit['audit_id']}/violations?limit=1000", headers=client.auditor).json["violations"]
    lines = {v["call_id"]: v["line"] for v in page}
    assert lines["c1"] == 4 and lines["c2"] == 5 and lines["c4"] == 8 and lines["c9"] == 9


def test_the_report_states_the_zone_times_without_an_offset_were_read_in(client):  # noqa: F811
    # The HTML report is what a regulator is handed: each call's instant, and so its quiet hours, rests on the zone the
    # auditor named for a log of wall-clock times, and the report said nothing of it (only the JSON summary did).
    audit, _ = audited(client, SPREADSHEET.encode("utf-8"), query="?timezone=Asia/Shanghai")
    report = client.get(f"/v1/audits/{audit['audit_id']}/report", headers=client.auditor).get_data(as_text=True)
    assert "times without a UTC offset read as Asia/Shanghai time" in report and "无时区的呼叫时间按 Asia/Shanghai 读取" in report
    # a log whose times all carry their offset was read in no assumed zone, and the report does not pretend one
    audit, _ = audited(client, SIMPLIFIED.encode("utf-8"))
    report = client.get(f"/v1/audits/{audit['audit_id']}/report", headers=client.auditor).get_data(as_text=True)
    assert "times without a UTC offset" not in report



def test_a_workbook_uploaded_as_saved_is_refused_as_a_workbook_not_for_its_encoding(tmp_path):
    # An auditor uploads the .xlsx the call-centre system exported: a ZIP archive, text in no encoding. "Name the
    # encoding" sent them looking for one; the refusal (a 400 at upload, exit 2 on the CLI) says what the file is.
    import io

    import xlsxwriter

    from guard.services.audits import LogError, check_header

    data = io.BytesIO()
    book = xlsxwriter.Workbook(data, {"in_memory": True})
    book.add_worksheet().write_row(0, 0, ["呼叫ID", "被叫号码", "呼叫时间", "营销活动"])
    book.close()
    path = tmp_path / "calls.xlsx"
    for workbook, what in ((data.getvalue(), "an Excel workbook (.xlsx) or another ZIP archive"),
                           (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
                            "an Excel 97-2003 workbook (.xls) or another Office 97-2003 file")):
        path.write_bytes(workbook)
        for encoding in (None, "gb18030"):
            with pytest.raises(LogError) as refused:
                check_header(path, None, encoding)
            assert str(refused.value.reason).startswith(f"the log is {what}, not CSV"), refused.value
