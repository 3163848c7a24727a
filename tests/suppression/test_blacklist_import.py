"""Importing a list into the blacklist over HTTP: every line of the file accounted for, the file's encoding
told from its bytes (or named), a header in any order and in Chinese, no listing that takes effect in the future."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path

import pytest

from tests.suppression.conftest import codes

URL = "/v1/blacklist/import"
README = Path(__file__).resolve().parents[2] / "README.md"


def post(client, body: bytes, url: str = URL, content_type: str = "text/csv"):
    return client.post(url, data=body, content_type=content_type, headers=client.operator)


def lookup(client, phone: str) -> dict:
    return client.get(f"/v1/blacklist/{phone}", headers=client.operator).json


def test_an_unclosed_quote_rejects_its_own_line_and_every_later_line_is_still_read(api, client):
    body = ('phone,source,reason\r\n'
            '13833000001,registry,ok1\r\n'
            '13833000003,registry,"未闭合的引号\r\n'
            '13833000004,registry,ok4\r\n'
            '13833000005,registry,"list 7, ""final"""\r\n'
            '13833000006,registry,"never closed').encode()
    r = post(client, body)
    assert r.status_code == 200, r.json
    report = r.json
    assert (report["rows"], report["accepted"], report["rejected"]) == (5, 3, 2)
    assert [{k: v for k, v in x.items() if k != "reason_messages"} for x in report["rejects"]] == [
        {"line": 3, "reason": "a quote opened in this line is not closed on it", "row": '13833000003,registry,"未闭合的引号'},
        {"line": 6, "reason": "a quote opened in this line is not closed on it", "row": '13833000006,registry,"never closed'},
    ]
    for phone in ("13833000001", "13833000004", "13833000005"):
        assert codes(api.check(phone)) == ["DNC_REGISTRY"], phone
    assert api.check("13833000003")["allowed"] and api.check("13833000006")["allowed"]
    # A properly quoted field keeps its commas and doubled quotes, and nothing of the next line.
    assert lookup(client, "13833000005")["entries"][0]["reason"] == 'list 7, "final"'
    assert lookup(client, "13833000004")["entries"][0]["reason"] == "ok4"


def test_a_stray_quote_early_in_a_long_list_loses_no_later_number(api, client):
    lines = [f"1380{i:07d},registry,list 2026-11" for i in range(6000)]
    lines[99] = '13999999999,registry,"stray quote'  # line 100
    r = post(client, ("\n".join(lines) + "\n").encode())
    assert r.status_code == 200, r.json
    report = r.json
    assert (report["rows"], report["accepted"], report["rejected"]) == (6000, 5999, 1)
    assert report["rejects"][0]["line"] == 100
    for phone in ("13800000100", "13800005000", "13800005999"):  # after the bad line, across batches
        assert codes(api.check(phone)) == ["DNC_REGISTRY"], phone


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)  # the numbers' reading, not the store, is under test
def test_a_us_registry_file_of_ten_digit_numbers_blocks_the_e164_numbers_dialled_and_never_a_chinese_one(client):
    # The FTC's registry files give each number as area code and 7 digits without the +1 (telemarketing.donotcall.gov,
    # "What kinds of files are downloaded?"). Read in the default pack's region (CN) they were mainland landlines
    # without their 0 (020 2555 0123): the US numbers stayed callable and Chinese ones were blocked.
    body = b"2025550123\n212,5550124\n(415) 555-0125\n"
    r = post(client, body)
    assert r.status_code == 200 and (r.json["accepted"], r.json["rejected"]) == (0, 3), r.json
    assert "+1 202-555-0123 in North America" in r.json["rejects"][0]["reason"]
    # Area code and number in two cells are named as such, not only as an unknown source.
    assert "join them into one number (2125550124)" in r.json["rejects"][1]["reason"]
    r = post(client, b"2025550123\n(415) 555-0125\n", url=URL + "?region=US")
    assert r.status_code == 200 and (r.json["accepted"], r.json["rejected"]) == (2, 0), r.json
    # The entries are on the E.164 numbers a dialer sends (a check matches on them), none on the Chinese reading.
    assert [e["source"] for e in lookup(client, "+12025550123")["entries"]] == ["registry"]
    assert [e["source"] for e in lookup(client, "+14155550125")["entries"]] == ["registry"]
    assert lookup(client, "+862025550123")["entries"] == []


def test_a_header_may_name_the_columns_in_any_order(api, client):
    r = post(client, b"source,phone,reason\ncustomer_request,13800138000,asked\nregulator,+86 139 0013 9000,\n")
    assert r.status_code == 200 and (r.json["accepted"], r.json["rejected"]) == (2, 0), r.json
    assert codes(api.check("13800138000")) == ["DNC_OPT_OUT"] and codes(api.check("13900139000")) == ["DNC_REGISTRY"]
    r = post(client, "来源,联系电话,备注,失效日期\r\nmanual,13700137000,投诉,2027-06-01\r\n".encode())
    assert r.status_code == 200 and r.json["accepted"] == 1, r.json
    entry = lookup(client, "13700137000")["entries"][0]
    # 失效日期 2027-06-01: the list holds the number through that day, to its 24:00 in Shanghai (16:00Z)
    assert (entry["source"], entry["reason"], entry["expires_at"]) == ("manual", "投诉", "2027-06-01T16:00:00+00:00")
    r = post(client, "\ufeff号码\n13600136000\n".encode())  # a BOM, and the phone column alone
    assert r.status_code == 200 and r.json["accepted"] == 1 and r.json["rows"] == 1, r.json


def test_a_header_naming_an_unknown_column_or_no_phone_column_is_refused_before_anything_is_written(client):
    for header, said in [
        ("phone,colour", "'colour'"),
        ("mobile,remark", "'remark'"),
        ("手机号码,客户姓名", "'客户姓名'"),
        ("来源,原因", "no phone column"),
        ("电话,手机号", "phone column twice"),
    ]:
        r = post(client, f"{header}\n13800138000,x\n".encode())
        assert r.status_code == 400, (header, r.json)
        message = r.json["error"]["message"]
        assert message.startswith("line 1: ") and said in message, (header, message)
    assert lookup(client, "13800138000")["blocked"] is False


def test_a_future_added_at_is_refused_as_the_single_add_refuses_it(api, client):
    future = "2027-01-01T00:00:00+08:00"
    single = client.post("/v1/blacklist", json={"phone": "13712345681", "source": "registry", "added_at": future},
                         headers=client.operator)
    assert single.status_code == 400
    r = post(client, f"13712345681,registry,x,{future}\n13712345682,registry,y,2027-01-01\n13712345683,registry,z,2026-11-01\n".encode())
    assert r.status_code == 200, r.json
    assert (r.json["accepted"], r.json["rejected"]) == (1, 2)
    assert r.json["rejects"][0]["line"] == 1 and r.json["rejects"][0]["reason"] == single.json["error"]["message"]
    assert r.json["rejects"][1]["line"] == 2 and "after the server clock plus 300 s" in r.json["rejects"][1]["reason"]
    assert api.check("13712345681")["allowed"] and lookup(client, "13712345681")["blocked"] is False
    assert codes(api.check("13712345683")) == ["DNC_REGISTRY"]
    # Within the clock skew allowed it goes, as with the single add.
    soon = (api.clock.now + timedelta(minutes=4)).isoformat()
    r = post(client, f"13712345684,registry,,{soon}\n".encode())
    assert r.status_code == 200 and r.json["accepted"] == 1, r.json


GBK_LIST = ("手机号码,来源,原因,加入日期\r\n"
            "13800138000,customer_request,客户来电要求不再推销理财产品,2026-11-01\r\n"
            "13900139000,complaint,投诉后加入黑名单,2026-11-02\r\n"
            "13700137000,registry,,\r\n"
            "12345,registry,号码位数不对,\r\n")
BIG5_LIST = ("手機號碼,來源,備註\r\n"
             "13800138000,customer_request,客戶來電要求不再推銷理財產品\r\n"
             "13900139000,complaint,投訴後加入黑名單\r\n"
             "12345,registry,號碼位數不對\r\n")


def test_a_gbk_export_is_read_as_gb18030_told_from_its_bytes_and_its_rejects_read_as_written(api, client):
    r = post(client, GBK_LIST.encode("gbk"))
    assert r.status_code == 200, r.json
    assert (r.json["rows"], r.json["accepted"], r.json["rejected"], r.json["encoding"]) == (4, 3, 1, "gb18030")
    reject = r.json["rejects"][0]
    assert reject["line"] == 5 and reject["reason"].startswith("phone: '12345'") and reject["row"] == "12345,registry,号码位数不对,"
    entry = lookup(client, "13800138000")["entries"][0]
    assert entry["reason"] == "客户来电要求不再推销理财产品" and entry["source"] == "customer_request"
    assert entry["added_at"].startswith("2026-10-31T16:00:00")  # the date, read in the pack's time zone
    assert codes(api.check("13900139000")) == ["DNC_OPT_OUT"]


def test_a_big5_export_is_read_told_from_its_bytes_or_named(client):
    r = post(client, BIG5_LIST.encode("big5"))
    assert r.status_code == 200, r.json
    assert (r.json["accepted"], r.json["rejected"], r.json["encoding"]) == (2, 1, "big5hkscs")
    assert r.json["rejects"][0]["row"] == "12345,registry,號碼位數不對"
    assert lookup(client, "13800138000")["entries"][0]["reason"] == "客戶來電要求不再推銷理財產品"
    again = post(client, BIG5_LIST.encode("big5"), URL + "?encoding=big5")
    assert again.status_code == 200 and (again.json["unchanged"], again.json["rejected"]) == (2, 1)


def test_the_encoding_may_be_named_in_the_query_or_the_content_type_and_an_unknown_name_is_a_400(client):
    short = "13800138000,manual,退订\n13900139000,manual,\n".encode("gbk")  # too little Chinese to tell GBK from Big5
    r = post(client, short)
    assert r.status_code == 400 and "encoding" in r.json["error"]["message"], r.json
    assert lookup(client, "13900139000")["blocked"] is False  # nothing written
    r = post(client, short, URL + "?encoding=gbk")
    assert r.status_code == 200 and r.json["accepted"] == 2, r.json
    assert lookup(client, "13800138000")["entries"][0]["reason"] == "退订"
    r = post(client, "13600136000,manual,退订\n".encode("gbk"), content_type="text/csv; charset=GBK")
    assert r.status_code == 200 and r.json["accepted"] == 1, r.json
    assert lookup(client, "13600136000")["entries"][0]["reason"] == "退订"
    r = post(client, b"13800138000\n", URL + "?encoding=klingon")
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "encoding" and "klingon" in r.json["error"]["message"]
    r = post(client, b"13800138000\n", content_type="text/csv; charset=klingon")
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "charset"
    # A multipart upload is told from its bytes as well.
    r = client.post(URL, data={"file": (BytesIO(GBK_LIST.encode("gbk")), "黑名单.csv")}, headers=client.operator)
    assert r.status_code == 200 and r.json["accepted"] == 3, r.json


def test_an_encoding_named_that_misreads_the_file_is_refused_as_for_call_logs(client, tmp_path, sqlite_url):
    # GBK bytes named Big5 decode without an error, into other characters (客户要求不要再打 -> 諦誧猁А祥猁婬湖):
    # imported so, every reason would be kept garbled without a word. A call log named so is refused (README
    # "Encodings"); a list is too, before anything is written, and the message names the encoding its bytes tell.
    body = "13600136000,customer_request,客户要求不要再打\n13600136001,complaint,客户来电投诉\n".encode("gbk")
    r = post(client, body, URL + "?encoding=big5")
    assert r.status_code == 400 and "GB18030" in r.json["error"]["message"], r.json
    assert r.json["error"]["details"][0]["field"] == "encoding"
    assert lookup(client, "13600136000")["blocked"] is False  # nothing written
    r = post(client, body, content_type="text/csv; charset=big5")
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "charset", r.json
    r = post(client, body, URL + "?encoding=gbk")  # the right name, or none, reads it
    assert r.status_code == 200 and r.json["accepted"] == 2, r.json
    assert lookup(client, "13600136000")["entries"][0]["reason"] == "客户要求不要再打"
    # the command refuses it too, exit 1 (the file was not imported), naming the encoding its bytes tell
    path = tmp_path / "list.csv"
    path.write_bytes(body.replace(b"136001360", b"135001350"))
    from tests.e2e.servers import cli

    run = cli({"DATABASE_URL": sqlite_url}, "blacklist", "import", str(path), "--encoding", "big5")
    assert run.returncode == 1 and "GB18030" in run.stderr, (run.stdout, run.stderr)


def test_excels_unicode_text_export_tab_separated_utf16_is_read_as_its_columns(client):
    # Excel's "Unicode Text (*.txt)" save is UTF-16LE with a byte-order mark, CRLF, its columns separated by tabs; a
    # European Excel's CSV separates them by semicolons. Read with commas, its header was one unknown column and the
    # whole file was refused; headerless, every row was rejected and every number stayed callable.
    text = "手机号\t来源\t原因\r\n13811000001\tcomplaint\t客户投诉后要求停止来电\r\n13811000002\tmanual\t\"备注, 含逗号\"\r\n"
    r = post(client, b"\xff\xfe" + text.encode("utf-16-le"))
    assert r.status_code == 200, r.json
    assert (r.json["rows"], r.json["accepted"], r.json["rejected"], r.json["encoding"]) == (2, 2, 0, "utf-16"), r.json
    entry = lookup(client, "13811000001")["entries"][0]
    assert (entry["source"], entry["reason"]) == ("complaint", "客户投诉后要求停止来电")
    assert lookup(client, "13811000002")["entries"][0]["reason"] == "备注, 含逗号"
    r = post(client, "13811000003\tmanual\t无表头\n13811000004\tmanual\n".encode())
    assert (r.json["accepted"], r.json["rejected"]) == (2, 0), r.json
    assert lookup(client, "13811000003")["entries"][0]["source"] == "manual"
    r = post(client, b"phone;source;reason\n13811000005;manual;semicolons\n")
    assert (r.json["accepted"], r.json["rejected"]) == (1, 0), r.json
    assert lookup(client, "13811000005")["entries"][0]["reason"] == "semicolons"


def test_the_answer_lists_the_first_1000_rejects_and_the_docs_say_so(client):
    body = "".join(f"not-a-number-{i}\n" for i in range(1005)).encode()
    r = post(client, body)
    assert r.status_code == 200 and r.json["rejected"] == 1005
    assert len(r.json["rejects"]) == 1000 and r.json["rejects_truncated"] is True
    doc = client.get("/openapi.json").json
    description = doc["paths"]["/v1/blacklist/import"]["post"]["description"]
    assert "first 1000" in description and "--rejects" in description
    row = next(line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| `POST /v1/blacklist/import`"))
    assert "first 1,000" in row and "--rejects" in row and "every rejected row with its line" not in row


def test_header_names_are_read_in_any_case_spacing_and_script(api, client):
    # Typed headers (`Phone`, `Added At`) and Taiwan's word for a contact number (聯絡電話 = 联络电话, which OpenCC's
    # character table does not turn into 联系电话) name their columns; docs/columns.md lists every name.
    body = "聯絡電話,Source,Added At\r\n13800138000,customer_request,2026-11-01\r\n".encode("big5")
    r = post(client, body, URL + "?encoding=big5")
    assert r.status_code == 200 and r.json["accepted"] == 1, r.json
    assert lookup(client, "13800138000")["entries"][0]["added_at"].startswith("2026-10-31T16:00:00")
    r = post(client, "PHONE,SOURCE\n13900139000,manual\n".encode())
    assert r.status_code == 200 and r.json["accepted"] == 1, r.json


@pytest.mark.parametrize("codec, header", [("gbk", "手机号码,原因"), ("big5", "手機號碼,原因")])
def test_a_list_whose_only_chinese_is_its_header_is_read_in_the_encoding_its_header_names_columns_in(client, codec, header):
    # A list of numbers under a Chinese header has too little Chinese to tell GB18030 from Big5 by its characters, and
    # was refused asking for the encoding; the header names the import's columns in one reading only, and that tells it.
    body = (header + "\r\n13800138000,\r\n13900139000,\r\n").encode(codec)
    r = post(client, body)
    assert r.status_code == 200, r.json
    assert (r.json["accepted"], r.json["encoding"]) == (2, "gb18030" if codec == "gbk" else "big5hkscs"), r.json
    # a header whose Chinese names no column of the import tells nothing: still refused, asking for the encoding
    r = post(client, ("甲,乙\r\n13800138000,\r\n").encode(codec))
    assert r.status_code == 400 and "name the encoding" in r.json["error"]["message"], r.json


def test_a_workbook_imported_as_saved_is_refused_as_a_workbook_not_asked_for_its_encoding(client):
    # An operator imports the .xlsx the CRM exported: a ZIP archive (ECMA-376 Part 2, Open Packaging Conventions), text
    # in no encoding. It was refused with "line 1: not valid UTF-8; name the file's encoding", and naming one read its
    # bytes as rows. The list imports (blacklist, consents, a scrubbed list: guard.services.imports) say what it is.
    import xlsxwriter

    data = BytesIO()
    book = xlsxwriter.Workbook(data, {"in_memory": True})
    book.add_worksheet().write_row(0, 0, ["手机号", "来源", "原因"])
    book.close()
    old_excel = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # [MS-CFB] 2.2: an OLE2 compound file's signature
    for workbook, what in ((data.getvalue(), "an Excel workbook (.xlsx)"), (old_excel, "an Excel 97-2003 workbook (.xls)")):
        for url in (URL, URL + "?encoding=gbk"):
            r = post(client, workbook, url)
            assert r.status_code == 400, r.json
            assert r.json["error"]["message"].startswith(f"the file is {what}"), r.json
            assert "另存为 CSV" in r.json["error"]["messages"]["zh-CN"]

    from guard.services.imports import told  # the consent import and a scrubbed list read their files through it too
    from blacklist.importer import ImportError_

    with pytest.raises(ImportError_, match="the file is an Excel workbook"):
        told(BytesIO(data.getvalue()), "name it")


def test_a_list_names_its_number_column_as_a_list_scrub_reads_it():
    # 电话号码 or Mobile Phone, under which `guard scrub` finds a list's numbers, refused a blacklist of the same CRM
    # (客户号码, which a bank may give its customer number, and 被叫号码, a call log's word, are left to the scrub)
    from blacklist.importer import HEADER_NAMES
    from guard.core.headers import NameTable
    from guard.services.calls.scrub_file import HEADER_NAMES as LISTS

    table = NameTable(HEADER_NAMES)
    assert {name for name in LISTS["phone"] if table.column(name) != "phone"} == {"客户号码", "被叫号码"}


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_readyz_warns_while_the_us_registry_list_is_older_than_31_days_and_a_reimport_that_changes_nothing_renews_it(
        client, clock):
    # 16 CFR 310.4(b)(3)(iv), 47 CFR 64.1200(c)(2)(i)(D): a registry version obtained no more than 31 days before the call.
    def stale() -> list[dict]:
        r = client.get("/readyz")
        assert r.status_code == 200, r.json
        return r.json["detail"]["registry_lists_stale"]

    assert [(s["pack"], s["region"], s["last_imported_at"]) for s in stale()] == [("us-tcpa", "US", None)]
    body = b"2025550123\n4155550125\n"
    assert post(client, body, url=URL + "?region=US").json["accepted"] == 2
    assert stale() == []
    clock.now += timedelta(days=32)
    (warning,) = stale()
    assert warning["days"] == 32 and "31 days" in warning["message"]
    assert post(client, body, url=URL + "?region=US").json["unchanged"] == 2  # the list obtained again, nothing new in it
    assert stale() == []


def test_a_us_lists_dates_are_read_in_the_us_packs_zone_not_the_default_packs(api, client, clock):
    # A date alone in a list read as US numbers (?region=US) is a US day: the last day 2026-11-24 ends at its 24:00 in
    # New York (the us-tcpa pack's zone), 2026-11-25 05:00Z. Read in Shanghai's zone the entry ended 13 hours early, and
    # the afternoon of the last day in New York was callable for a number the list still blocks.
    r = post(client, b"phone,reason,added_at,expires_at\n2025550123,national list,2026-11-01,2026-11-24\n", url=URL + "?region=US")
    assert r.json["accepted"] == 1, r.json
    (entry,) = lookup(client, "+12025550123")["entries"]
    assert (entry["added_at"], entry["expires_at"]) == ("2026-11-01T04:00:00+00:00", "2026-11-25T05:00:00+00:00")
    clock.now = datetime(2026, 11, 24, 19, 0, tzinfo=timezone.utc)  # 14:00 of the last day in New York, inside us-tcpa's hours
    assert codes(api.check("+12025550123", campaign="us-dep-2026")) == ["DNC_REGISTRY"]


def test_a_lists_last_day_alone_holds_the_number_through_that_whole_day(api, client, clock):
    # 到期日期 2026-12-31, as a bank's export writes a listing's end: the number stays blocked through the 31st, to its
    # 24:00 (民法典 第二百零三条: 期间的最后一日的截止时间为二十四时, as a consent's last day is read). Read as the day's 00:00, the
    # listing lifted a day early and a call on 12-31 was allowed. A day alone in `added_at` still counts from its 00:00.
    r = post(client, "手机号码,来源,加入日期,到期日期\n13900001111,registry,2026-11-01,2026-12-31\n".encode())
    assert r.json["accepted"] == 1, r.json
    (entry,) = lookup(client, "13900001111")["entries"]
    assert (entry["added_at"], entry["expires_at"]) == ("2026-10-31T16:00:00+00:00", "2026-12-31T16:00:00+00:00")
    clock.now = datetime(2026, 12, 31, 2, 0, tzinfo=timezone.utc)  # 10:00 of the last day in Shanghai, a working day
    assert "DNC_REGISTRY" in codes(api.check("13900001111"))
    clock.now = datetime(2027, 1, 4, 2, 0, tzinfo=timezone.utc)  # the next working day
    assert "DNC_REGISTRY" not in codes(api.check("13900001111"))


def test_a_row_whose_listing_ended_says_when_it_ended_and_not_an_added_at_it_never_gave(client):
    # Now is 2026-11-23 10:15 in Shanghai: a row without added_at is listed from now, so a last day already over (to its
    # 24:00, 民法典 第二百零三条) rejects it; the reason used to name an added_at the row never gave.
    r = post(client, b"phone,added_at,expires_at\n13900001112,,2026-11-22\n13900001113,2026-11-20,2026-11-19\n")
    why = {x["line"]: x["reason"] for x in r.json["rejects"]}
    assert why[2].startswith("expires_at: '2026-11-22' (read as 2026-11-22T16:00:00+00:00) has passed"), why
    assert why[3] == ("expires_at: '2026-11-19' (read as 2026-11-19T16:00:00+00:00) is not after added_at '2026-11-20' "
                      "(read as 2026-11-19T16:00:00+00:00)"), why


def test_a_us_lists_dates_are_read_in_the_callees_zone_not_new_yorks(api, client, clock):
    # A Los Angeles number (213) on a US list: the last day "2026-11-24" ends at its 24:00 in Los Angeles (11-25 08:00Z),
    # not at New York's midnight, when it is still 21:00 of the 24th at the callee's and the list still blocks the number
    # (47 CFR 64.1200(c)(1): the called party's local time).
    r = post(client, b"phone,reason,added_at,expires_at\n2135550123,national list,2026-11-01,2026-11-24\n", url=URL + "?region=US")
    assert r.json["accepted"] == 1, r.json
    (entry,) = lookup(client, "+12135550123")["entries"]
    assert (entry["added_at"], entry["expires_at"]) == ("2026-11-01T07:00:00+00:00", "2026-11-25T08:00:00+00:00")
    clock.now = datetime(2026, 11, 25, 5, 30, tzinfo=timezone.utc)  # 21:30 on the 24th in Los Angeles
    assert "DNC_REGISTRY" in codes(api.check("+12135550123", campaign="us-dep-2026", dry_run=True))
