"""A call log exported by a Chinese dialer names its columns in Chinese (呼叫ID, 被叫号码, 呼叫开始时间 …) and writes its
disposition as a Chinese label (已接通): it is audited exactly as the same log with the contract's English names.
The names are those of published call-detail export formats (the sources are cited next to HEADER_NAMES in
guard/core/calllog.py); the bank's own line, 主叫号码, is never read as the number called."""

from __future__ import annotations

import pytest

from guard.core.calllog import HEADER
from guard.services.audits.log_reader import LogError
from tests.audits.test_audit_encodings import audited, client, upload  # noqa: F401  (client: the fixture)

ENGLISH = (
    "call_id,phone,called_at,campaign,agent_id,disposition,transcript\n"
    "c1,13800138000,2026-11-23T10:15:00+08:00,wm-2026q4,A1,answered,您好，这款理财保本保息，零风险\n"
    "c2,13700137000,2026-11-23T22:15:00+08:00,dep-2026q4,A1,no_answer,\n"
    "c3,13600136000,2026-11-23T11:00:00+08:00,dep-2026q4,A3,answered,嗯，好的，谢谢，再见。\n"
)
# The same calls as a dialer's export: Chinese names in another order, the bank's line as 主叫号码 before the callee,
# the dispositions as the product's labels, a column the guard does not read (通话时长).
CHINESE = (
    "呼叫ID,主叫号码,被叫号码,呼叫开始时间,活动编号,坐席工号,呼叫结果,通话时长,通话文本\n"
    "c1,95555,13800138000,2026-11-23T10:15:00+08:00,wm-2026q4,A1,已接通,61,您好，这款理财保本保息，零风险\n"
    "c2,95555,13700137000,2026-11-23T22:15:00+08:00,dep-2026q4,A1,无人接听,0,\n"
    "c3,95555,13600136000,2026-11-23T11:00:00+08:00,dep-2026q4,A3,已接通,35,嗯，好的，谢谢，再见。\n"
)
# Taiwan/Hong Kong spellings, in Big5, with the English names written as people type them.
TRADITIONAL = (
    "Call ID,被叫號碼,呼叫開始時間,CAMPAIGN,Agent-ID,呼叫結果,通話文本\n"
    "c1,13800138000,2026-11-23T10:15:00+08:00,wm-2026q4,A1,已接通,您好，這款理財保本保息，零風險\n"
    "c2,13700137000,2026-11-23T22:15:00+08:00,dep-2026q4,A1,無人接聽,\n"
    "c3,13600136000,2026-11-23T11:00:00+08:00,dep-2026q4,A3,已接通,嗯，好的，謝謝，再見。\n"
)


@pytest.mark.parametrize("log,encoding", [(CHINESE, "gbk"), (CHINESE, "utf-8-sig"), (TRADITIONAL, "big5")],
                         ids=["gbk", "utf-8-bom", "big5-traditional"])
def test_a_log_with_chinese_column_names_is_audited_as_the_english_one(client, log, encoding):  # noqa: F811
    reference_summary, reference = audited(client, ENGLISH.encode("utf-8"))
    assert "BANNED_PHRASE" in reference["c1"] and "QUIET_HOURS" in reference["c2"]
    assert not {"BANNED_PHRASE", "QUIET_HOURS"} & reference["c3"]
    summary, found = audited(client, log.encode(encoding))
    assert found == reference
    for audit in (summary, reference_summary):
        assert audit["progress"]["rows_rejected"] == 0 and audit["progress"]["calls_judged"] == 3, audit["progress"]


def test_a_header_naming_the_number_called_twice_refuses_the_log_naming_both(client):  # noqa: F811
    status, body = upload(client, ("呼叫ID,被叫号码,手机号码,呼叫时间,活动编号\n"
                                   "c1,13800138000,13800138000,2026-11-23T10:15:00+08:00,wm-2026q4\n").encode("gbk"))
    assert status == 400, body
    assert body["error"]["details"][0]["field"] == "file"
    assert "phone column twice" in body["error"]["message"] and "被叫号码" in body["error"]["message"] \
        and "手机号码" in body["error"]["message"]


def test_the_banks_own_line_alone_is_not_the_number_called(client):  # noqa: F811
    status, body = upload(client, ("呼叫ID,主叫号码,呼叫时间,活动编号\n"
                                   "c1,95555,2026-11-23T10:15:00+08:00,wm-2026q4\n").encode("gbk"))
    assert status == 400, body
    assert "missing: phone, or as exports name it: 被叫号码" in body["error"]["message"]


@pytest.mark.parametrize("cell,column", [
    ("call_id", "call_id"), ("CALL_ID", "call_id"), ("Call ID", "call_id"), ("\ufeffcall-id", "call_id"),
    ("被叫号码", "phone"), ("被叫號碼", "phone"), ("Phone", "phone"), ("座席工號", "agent_id"), ("外呼起始時間", "called_at"),
    ("主叫号码", None), ("通话时长", None), ("", None),
    # 天润融通 Clink, Huawei Cloud CEC, Amazon Connect, English dialer reports (sources next to HEADER_NAMES)
    ("通话记录唯一标识", "call_id"), ("座席号", "agent_id"), ("呼叫任务名称", "campaign"), ("callee_no", "phone"),
    ("call_begin", "called_at"), ("ContactId", "call_id"), ("CustomerEndpoint.Address", "phone"),
    ("InitiationTimestamp", "called_at"), ("Dialed Number", "phone"), ("Call Start Time", "called_at"),
    ("Start Time", "called_at"), ("Agent ID", "agent_id"), ("Campaign Name", "campaign"),
    ("Duration", None), ("Call Time", None), ("总时长", None)])
def test_header_cells_as_exports_write_them(cell, column):
    assert HEADER.column(cell) == column


def test_no_name_is_given_to_two_columns():
    from guard.core.headers import NameTable

    with pytest.raises(ValueError, match="號碼.*phone and to customer_id"):
        NameTable({"phone": ("号码",), "customer_id": ("號碼",)})


def test_log_error_is_what_the_reader_raises_for_a_header():
    import io

    from guard.services.audits.log_reader import read_log

    with pytest.raises(LogError, match="call_id column twice .*: keep the one that holds call_id and rename or remove the other"):
        list(read_log(io.BytesIO("Call ID,call_id,phone,called_at,campaign\nc,c,13800138000,2026-11-23T10:15:00+08:00,x\n"
                                 .encode()), None, "utf-8"))


@pytest.mark.parametrize("written,code", [("已接通", "answered"), ("無人接聽", "no_answer"), ("占线", "busy"), ("No Answer", "no_answer"),
                                          ("要求不再來電", "do_not_call")])
def test_a_disposition_written_as_its_chinese_label_is_read_as_its_code(written, code):
    from guard.core.calllog import check_row

    call, why = check_row(2, {"call_id": "c", "phone": "13800138000", "called_at": "2026-11-23T10:15:00+08:00",
                              "campaign": "x", "disposition": written, "purpose": "服务"})
    assert why is None and call.disposition == code and call.purpose == "service"


def test_a_disposition_that_is_no_label_is_still_rejected():
    from guard.core.calllog import check_row

    call, why = check_row(2, {"call_id": "c", "phone": "13800138000", "called_at": "2026-11-23T10:15:00+08:00",
                              "campaign": "x", "disposition": "接通了"})
    assert call is None and why.startswith("disposition: '接通了' is not one of")


@pytest.mark.parametrize("raw, says", [
    ("2026/13/6 10:00", "is no such date-time"), ("2026/2/30 9:05", "is no such date-time"), ("2026-11-23 25:00", "is no such date-time"),
    ("yesterday 9am", "nor a date and time like 2026/11/30 9:05 (read in Asia/Shanghai)"),
    # the date kept in a column whose name the guard does not read: the time alone says so, and how to name it
    ("10:15:00", "is a time of day without its date: if the log keeps the date in a column of its own, name that column 呼叫日期"),
])
def test_a_bad_time_in_a_log_read_in_a_named_zone_says_what_is_wrong_with_it(raw, says):
    # With the zone named, a time without an offset is welcome: a reason saying it "is not an ISO 8601 date-time with a
    # UTC offset" sent the auditor looking for an offset when the month (13) or the day (February 30) was wrong.
    from zoneinfo import ZoneInfo

    from guard.core.calllog import check_row

    call, why = check_row(2, {"call_id": "c", "phone": "13800138000", "called_at": raw, "campaign": "dep-2026q4"},
                          ZoneInfo("Asia/Shanghai"))
    assert call is None and why.startswith(f"called_at: {raw!r}") and says in why and "UTC offset" not in why.split(" nor ")[-1]
    # without a zone named, the reason still says how to have such times read
    call, why = check_row(2, {"call_id": "c", "phone": "13800138000", "called_at": "2026/11/30 9:05", "campaign": "dep-2026q4"})
    assert call is None and "UTC offset" in why and "--timezone" in why


@pytest.mark.parametrize("phone", ["138****8000", "138 **** 8000", "138＊＊＊＊8000", "138●●●●8000", "138XXXX8000", "1380013****"])
def test_a_masked_number_rejects_its_row_instead_of_reading_as_a_rule_the_dialer_broke(phone):
    # CRMs export numbers masked (脱敏); judged, such a call read as INVALID_NUMBER, counted among the calls that broke a
    # rule, with no blacklist, cap or consent looked at. It is a row nobody can judge: rejected, with the reason.
    from guard.core.calllog import check_row

    call, why = check_row(2, {"call_id": "c", "phone": phone, "called_at": "2026-11-23T10:15:00+08:00", "campaign": "dep-2026q4"})
    assert call is None and why.startswith("phone:") and "masked" in why
    for whole in ("138 0013 8000", "010-88881234 x 801", "13800138000#123"):  # a number with an extension is no masked one
        call, why = check_row(2, {"call_id": "c", "phone": whole, "called_at": "2026-11-23T10:15:00+08:00", "campaign": "dep-2026q4"})
        assert call is not None, why


def test_masked_numbers_are_rejected_rows_over_http(client):  # noqa: F811
    log = ("call_id,phone,called_at,campaign\n"
           "m1,138****8000,2026-11-23T10:15:00+08:00,dep-2026q4\n"
           "m2,13900139000,2026-11-23T10:15:00+08:00,dep-2026q4\n")
    audit, got = audited(client, log.encode())
    assert audit["summary"]["rows_rejected"] == 1 and audit["summary"]["calls_judged"] == 1
    assert "INVALID_NUMBER" not in audit["summary"]["by_code"] and "m1" not in got
    assert [r["line"] for r in audit["rejected_rows"]] == [2] and "masked" in audit["rejected_rows"][0]["reason"]


@pytest.mark.parametrize("phone", ["1.38001E+10", "1.38001381E+10", "１.３８E+10"])
def test_a_number_a_spreadsheet_wrote_in_scientific_notation_rejects_its_row(phone):
    # Excel saves a long number of a "General" column as 1.38001E+10: its last digits are gone. Judged, the call read as
    # INVALID_NUMBER, a rule the dialer broke; it is a row no one can judge, rejected with the reason.
    from guard.core.calllog import check_row

    call, why = check_row(2, {"call_id": "c", "phone": phone, "called_at": "2026-11-23T10:15:00+08:00", "campaign": "dep-2026q4"})
    assert call is None and why.startswith("phone:") and "scientific notation" in why and "export the column as text" in why


def _as_json_lines(log: str) -> str:
    import csv
    import io
    import json
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in csv.DictReader(io.StringIO(log)))


@pytest.mark.parametrize("log,encoding", [(CHINESE, "utf-8"), (TRADITIONAL, "big5")], ids=["simplified", "big5-traditional"])
def test_a_json_lines_log_with_chinese_keys_is_audited_as_the_english_one(client, log, encoding):  # noqa: F811
    # a dialer's JSON export names its fields as its CSV export names its columns: the same table reads both
    _, reference = audited(client, ENGLISH.encode("utf-8"))
    summary, found = audited(client, _as_json_lines(log).encode(encoding))
    assert found == reference
    assert summary["progress"]["rows_rejected"] == 0 and summary["progress"]["calls_judged"] == 3, summary["progress"]


def test_a_json_lines_row_naming_the_number_called_twice_is_rejected_naming_both():
    import io

    from guard.services.audits.log_reader import read_log
    log = ('{"呼叫ID": "c1", "被叫号码": "13800138000", "手机号码": "13900139000", "呼叫时间": "2026-11-23T10:15:00+08:00", '
           '"活动编号": "wm-2026q4"}\n'
           '{"呼叫ID": "c2", "主叫号码": "95555", "被叫号码": "13800138000", "呼叫时间": "2026-11-23T10:15:00+08:00", '
           '"活动编号": "wm-2026q4", "通话时长": 61}\n')
    rows = list(read_log(io.BytesIO(log.encode("utf-8"))))
    assert rows[0] == (1, None, "phone: given twice ('被叫号码' and '手机号码')")
    assert rows[1] == (2, {"call_id": "c2", "phone": "13800138000", "called_at": "2026-11-23T10:15:00+08:00",
                           "campaign": "wm-2026q4"}, None)


def test_a_cell_of_two_numbers_rejects_its_row_instead_of_reading_as_a_rule_the_dialer_broke(client):  # noqa: F811
    # CRMs join a customer's numbers in one cell (13800138000;13900139000), and the blacklist and list imports refuse such
    # a cell; a call goes to one number and the log does not say which. Judged, it read as INVALID_NUMBER (a rule the
    # dialer broke, neither number's blacklist or caps looked at): a row nobody can judge, rejected with the reason.
    # By hand: t2 (13800138000;123, an extension) and t3 (13900139000) are judged, UNCHECKED_CALL each, and 12345 is a
    # number no dialer can have called: INVALID_NUMBER, as ever.
    log = ("call_id,phone,called_at,campaign\n"
           "t1,13800138000;13900139000,2026-11-23T10:15:00+08:00,dep-2026q4\n"
           "t2,13800138000;123,2026-11-23T10:20:00+08:00,dep-2026q4\n"
           "t3,13900139000,2026-11-23T10:25:00+08:00,dep-2026q4\n"
           "t4,12345,2026-11-23T10:30:00+08:00,dep-2026q4\n")
    audit, got = audited(client, log.encode())
    s = audit["summary"]
    assert (s["calls_judged"], s["rows_rejected"]) == (3, 1)
    assert got == {"t2": {"UNCHECKED_CALL"}, "t3": {"UNCHECKED_CALL"}, "t4": {"INVALID_NUMBER", "UNCHECKED_CALL"}}
    assert s["by_code"] == {"UNCHECKED_CALL": 3, "INVALID_NUMBER": 1} and s["calls_breaking_rules"] == 1
    assert audit["rejected_rows"][0]["reason_messages"]["zh-CN"].startswith("phone：'13800138000;13900139000' 含两个号码")
    assert [{k: x[k] for k in ("line", "reason")} for x in audit["rejected_rows"]] == [{"line": 2, "reason": "phone: '13800138000;13900139000' holds two numbers (one after ;): "
                                                           "a call goes to one number; export the log with the number called alone"}]


def test_a_call_centre_export_rejects_what_it_cannot_judge_each_with_its_reason(client):  # noqa: F811
    # A month of a Chinese call centre's CDRs as its system exports them (GBK, CRLF, the bank's line as 主叫号码, the
    # duration as 00:01:23), two daily exports joined (the second's header mid-file), a blank line and the 合计 row a
    # report ends with; one number kept with the switchboard's outside-line 9, one time saved by Excel as its serial
    # number. By hand: 9 rows after the header (the blank line is none), c1 c3 c5 judged (UNCHECKED_CALL each, c5
    # QUIET_HOURS at 21:05 too), 5 rejected, each with the reason a reader can act on.
    log = ("呼叫ID,主叫号码,被叫号码,呼叫时间,通话时长,坐席工号,活动编号,呼叫结果\r\n"
           "c1,02195588,13800138000,2026/11/23 10:15,00:01:23,A1,dep-2026q4,已接通\r\n"
           "c2,02195588,913800138001,2026/11/23 10:16,00:00:40,A1,dep-2026q4,已接通\r\n"
           "c3,02195588,+86 138 0013 8002,2026-11-23 10:17:00.000,00:00:00,A2,dep-2026q4,无人接听\r\n"
           "c4,02195588,13800138003,46349.42847,00:00:12,A2,dep-2026q4,已接通\r\n"
           "\r\n"
           "呼叫ID,主叫号码,被叫号码,呼叫时间,通话时长,坐席工号,活动编号,呼叫结果\r\n"
           "c5,02195588,13800138004,2026/11/23 21:05,00:00:30,A3,dep-2026q4,已接通\r\n"
           "c6,02195588,0013800138005,2026/11/23 10:18,00:00:30,A3,dep-2026q4,已接通\r\n"
           "合计,,,,00:02:45,,,\r\n")
    audit, got = audited(client, log.encode("gbk"), query="?timezone=Asia/Shanghai")
    s = audit["summary"]
    assert (s["rows"], s["calls_judged"], s["rows_rejected"]) == (8, 3, 5), s
    assert got == {"c1": {"UNCHECKED_CALL"}, "c3": {"UNCHECKED_CALL"}, "c5": {"QUIET_HOURS", "UNCHECKED_CALL"}}
    assert "INVALID_NUMBER" not in s["by_code"]
    reasons = {r["line"]: r["reason"] for r in audit["rejected_rows"]}
    assert sorted(reasons) == [3, 5, 7, 9, 10], reasons
    assert "outside-line prefix" in reasons[3] and "'913800138001'" in reasons[3]
    assert "date serial number" in reasons[5]
    assert reasons[7] == "repeats the header of line 1: two exports joined into one file"
    assert "outside-line prefix" in reasons[9] and reasons[10] == "a totals row (合计), no call"


def test_a_json_lines_value_of_true_or_false_is_rejected_not_read_as_the_text_true():
    import io

    from guard.services.audits.log_reader import read_log
    log = ('{"call_id": true, "phone": "13800138000", "called_at": "2026-11-23T10:15:00+08:00", "campaign": "wm-2026q4"}\n'
           '{"call_id": 7, "phone": false, "called_at": "2026-11-23T10:15:00+08:00", "campaign": "wm-2026q4"}\n'
           '{"call_id": 8, "phone": 13800138000, "called_at": "2026-11-23T10:15:00+08:00", "campaign": "wm-2026q4"}\n')
    rows = list(read_log(io.BytesIO(log.encode())))
    assert rows[0] == (1, None, "call_id: must be a string") and rows[1] == (2, None, "phone: must be a string")
    assert rows[2][1] == {"call_id": "8", "phone": "13800138000", "called_at": "2026-11-23T10:15:00+08:00", "campaign": "wm-2026q4"}


def test_a_byte_order_mark_mid_file_stays_out_of_the_call_id():
    # UTF-8 exports appended to one another (copy /b a.csv+b.csv): the second's byte-order mark starts a row. Kept in
    # the call_id, it hid a repeated call_id and read as the text of a row of JSON Lines.
    import io

    from guard.services.audits.log_reader import read_log
    head = "call_id,phone,called_at,campaign\r\n"
    row = "c1,13800138000,2026-11-23T10:15:00+08:00,wm-2026q4\r\n"
    rows = list(read_log(io.BytesIO((head + row).encode("utf-8-sig") + row.encode("utf-8-sig") + (head + row).encode("utf-8-sig"))))
    assert [r[1]["call_id"] if r[1] else r[2] for r in rows] == [
        "c1", "c1", "repeats the header of line 1: two exports joined into one file", "c1"]
    line = '{"call_id": "c1", "phone": "13800138000", "called_at": "2026-11-23T10:15:00+08:00", "campaign": "wm-2026q4"}\n'
    rows = list(read_log(io.BytesIO(line.encode("utf-8-sig") * 2)))
    assert [r[1]["call_id"] for r in rows] == ["c1", "c1"]


def test_an_ambiguous_call_time_beside_a_start_column_is_the_calls_length_not_a_second_start():
    """通话时间 is the call's start in some exports and its length in others: beside 开始时间 it is the length (ignored, as
    通话时长 is), where the log was refused as naming called_at twice; alone it is still the start."""
    import io

    from guard.services.audits.log_reader import read_log
    both = "呼叫ID,被叫号码,开始时间,通话时间,活动编号\nc1,13800138000,2026-11-23 10:15:00,00:01:02,wm\n"
    assert list(read_log(io.BytesIO(both.encode()))) == [
        (2, {"call_id": "c1", "phone": "13800138000", "called_at": "2026-11-23 10:15:00", "campaign": "wm"}, None)]
    alone = "呼叫ID,被叫号码,通话时间,活动编号\nc1,13800138000,2026-11-23 10:15:00,wm\n"
    assert list(read_log(io.BytesIO(alone.encode())))[0][1]["called_at"] == "2026-11-23 10:15:00"
    keys = ('{"呼叫ID": "c1", "被叫号码": "13800138000", "开始时间": "2026-11-23 10:15:00", "通话时间": "00:01:02", '
            '"活动编号": "wm"}\n')
    assert list(read_log(io.BytesIO(keys.encode())))[0][1:] == (
        {"call_id": "c1", "phone": "13800138000", "called_at": "2026-11-23 10:15:00", "campaign": "wm"}, None)
    # an agent's or a campaign's name beside its code (Agent ID and Agent Name) is ignored, not a second agent_id
    named = ("Call ID,Dialed Number,Start Time,Campaign ID,Campaign Name,Agent ID,Agent Name\n"
             "c1,13800138000,2026-11-23 10:15:00,wm,Wealth Q4,a1,Li Lei\n")
    assert list(read_log(io.BytesIO(named.encode())))[0][1] == {
        "call_id": "c1", "phone": "13800138000", "called_at": "2026-11-23 10:15:00", "campaign": "wm", "agent_id": "a1"}
    zh = "呼叫ID,被叫号码,开始时间,活动编号,坐席,坐席工号,产品,产品代码\nc1,13800138000,2026-11-23 10:15:00,wm,李雷,A1,稳健理财,P1\n"
    assert list(read_log(io.BytesIO(zh.encode())))[0][1] == {
        "call_id": "c1", "phone": "13800138000", "called_at": "2026-11-23 10:15:00", "campaign": "wm", "agent_id": "A1",
        "product": "P1"}


@pytest.mark.parametrize("log,called_at", [
    # Five9's call log report keeps the date and the time of day in two columns (DATE, TIME); its CALL TIME is a length
    ("CALL ID,DATE,TIME,CAMPAIGN,Dialed Number,CALL TIME\nc1,2026/11/23,10:15:00,wm,13800138000,00:01:02\n",
     "2026/11/23 10:15:00"),
    ("呼叫ID,被叫号码,呼叫日期,呼叫时间,活动编号\nc1,13800138000,2026年11月23日,下午3:05,wm\n", "2026年11月23日 下午3:05"),
    # a date column beside a called_at that holds the whole date-time changes nothing
    ("呼叫ID,被叫号码,日期,呼叫时间,活动编号\nc1,13800138000,2026-11-23,2026-11-23 10:15:00,wm\n", "2026-11-23 10:15:00"),
    # JSON Lines with the same keys: read as the CSV's header cells are, the date key joined the same way
    ('{"CALL ID": "c1", "DATE": "2026/11/23", "TIME": "10:15:00", "CAMPAIGN": "wm", "Dialed Number": "13800138000", '
     '"CALL TIME": "00:01:02"}\n', "2026/11/23 10:15:00"),
    ('{"呼叫ID": "c1", "被叫号码": "13800138000", "呼叫日期": "2026年11月23日", "呼叫时间": "下午3:05", "活动编号": "wm"}\n',
     "2026年11月23日 下午3:05"),
    ('{"呼叫ID": "c1", "被叫号码": "13800138000", "日期": "2026-11-23", "呼叫时间": "2026-11-23 10:15:00", "活动编号": "wm"}\n',
     "2026-11-23 10:15:00")])
def test_a_log_keeping_the_date_and_the_time_of_a_call_in_two_columns_is_read_joined(log, called_at):
    import io

    from guard.core.calllog import local_instant
    from guard.services.audits.log_reader import read_log
    (line, row, why), = read_log(io.BytesIO(log.encode()))
    assert why is None and row["called_at"] == called_at and row["call_id"] == "c1" and row["phone"] == "13800138000"
    from zoneinfo import ZoneInfo
    assert local_instant(called_at, ZoneInfo("Asia/Shanghai")) is not None
