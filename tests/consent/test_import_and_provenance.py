"""Consent CSV import (API and CLI): line-level report, encodings, re-import changes nothing; the
provenance lookup: one line for the agent's screen, the history for operators."""

from __future__ import annotations

import json
from io import BytesIO

from tests.conftest import new_key
from tests.consent.conftest import codes
from tests.e2e.servers import cli

CSV = (
    "phone,customer_id,source,given_at,channels,product_types,text_version,evidence_ref,expires_at,withdrawn_at,withdrawn_via\n"
    "13800138000,,credit_card_application,2026-03-01,phone;sms,,v3,CC-0301-77,,,\n"
    ",C7,branch_form,2026-02-01T09:30:00+08:00,phone,wealth|fund,v2,BR-0201-3,,,\n"
    "13900139000,,app,2026-04-01,phone,,,APP-LOG-9,,2026-05-01,app\n"
    "not-a-number,,app,2026-04-01,,,,,,,\n"
    "13700137000,,telepathy,2026-04-01,,,,,,,\n"
    "13600136000,,app,yesterday,,,,,,,\n"
    "13500135000,,app,2026-04-01,fax,,,,,,\n"
    "13400134000,,app,2027-04-01,,,,,,,\n"
    ",Ｃ７,app,2026-04-01,,,,,,,\n"  # full-width C7: refused, not held as a customer of its own (guard/core/ids.py)
)


def post_csv(client, body: bytes, query: str = "", status: int = 200):
    r = client.post(f"/v1/consents/import{query}", data=body, content_type="text/csv", headers=client.operator)
    assert r.status_code == status, r.json
    return r.json


def test_the_import_reports_every_rejected_row_by_line_and_reimport_changes_nothing(api, client):
    report = post_csv(client, CSV.encode())
    assert (report["accepted"], report["unchanged"], report["rejected"], report["rows"]) == (3, 0, 6, 9)
    assert [(x["line"], x["reason"].split(":")[0]) for x in report["rejects"]] == [
        (5, "phone"), (6, "source"), (7, "given_at"), (8, "channels[0]"), (9, "given_at"), (10, "customer_id")]
    assert "in the future" in report["rejects"][-2]["reason"] and "NFKC" in report["rejects"][-1]["reason"]
    again = post_csv(client, CSV.encode())
    assert (again["accepted"], again["unchanged"]) == (0, 3)
    c7 = client.get("/v1/consents?customer_id=C7", headers=client.operator).json["consents"][0]
    assert c7["product_types"] == ["fund", "wealth"] and c7["given_at"] == "2026-02-01T01:30:00+00:00"
    withdrawn = client.get("/v1/consents?phone=13900139000", headers=client.operator).json["consents"][0]
    assert withdrawn["status"] == "withdrawn" and withdrawn["withdrawn_via"] == "app"
    assert codes(api.check("13900139000", dry_run=True)) == ["CONSENT_MISSING"], "an imported withdrawal is an opt-out"


def test_the_import_reads_gb18030_when_told_and_refuses_a_bad_header(client):
    body = "phone,source,given_at,evidence_ref\n13800138000,branch_form,2026-03-01,网点申请表 0301 号\n".encode("gb18030")
    untold = post_csv(client, body, status=400)  # too little Chinese to tell GB18030 from Big5
    assert "encoding" in untold["error"]["message"]
    report = post_csv(client, body, "?encoding=gbk")
    assert report["accepted"] == 1
    listed = client.get("/v1/consents?phone=13800138000", headers=client.operator).json["consents"][0]
    assert listed["evidence_ref"] == "网点申请表 0301 号"
    bad = client.post("/v1/consents/import", data=b"number,when\n1,2\n", content_type="text/csv", headers=client.operator)
    assert bad.status_code == 400 and "header" in bad.json["error"]["message"]
    assert post_csv(client, body, "?encoding=klingon", status=400)["error"]["details"][0]["field"] == "encoding"


def test_the_content_types_charset_names_the_encoding_as_on_the_blacklist_import(client):
    body = "phone,source,given_at,evidence_ref\n13700137000,branch_form,2026-03-01,网点申请表 0302 号\n".encode("gbk")
    r = client.post("/v1/consents/import", data=body, content_type="text/csv; charset=GBK", headers=client.operator)
    assert r.status_code == 200 and (r.json["accepted"], r.json["encoding"]) == (1, "gb18030"), r.json
    listed = client.get("/v1/consents?phone=13700137000", headers=client.operator).json["consents"][0]
    assert listed["evidence_ref"] == "网点申请表 0302 号"
    # in a multipart upload, the file's own part says it
    r = client.post("/v1/consents/import", headers=client.operator, content_type="multipart/form-data", data={
        "file": (BytesIO(body.replace(b"13700137000", b"13600136000")), "consents.csv", "text/csv; charset=gbk")})
    assert r.status_code == 200 and r.json["accepted"] == 1, r.json
    # ?encoding= wins over the charset; an unknown charset is a 400 naming it
    r = client.post("/v1/consents/import?encoding=gbk", data=body, content_type="text/csv; charset=big5", headers=client.operator)
    assert r.status_code == 200 and r.json["unchanged"] == 1, r.json
    r = client.post("/v1/consents/import", data=body, content_type="text/csv; charset=klingon", headers=client.operator)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "charset"


def test_an_encoding_named_that_misreads_the_consents_is_refused_before_anything_is_written(client, sqlite_url, tmp_path):
    # GBK bytes named Big5 decode without an error into other characters: the consent's own words, the evidence of
    # what the customer agreed to, would be stored garbled. Refused as a call log named so is (README "Encodings").
    body = ("phone,source,given_at,consent_text\n13700137000,branch_form,2026-10-01,客户要求不要再打\n"
            "13700137001,app,2026-10-01,客户来电投诉\n").encode("gbk")
    refused = post_csv(client, body, "?encoding=big5", status=400)
    assert refused["error"]["details"][0]["field"] == "encoding" and "GB18030" in refused["error"]["message"], refused
    assert client.get("/v1/consents?phone=13700137000", headers=client.operator).json["consents"] == []
    assert post_csv(client, body, "?encoding=gb18030")["accepted"] == 2
    assert client.get("/v1/consents?phone=13700137000", headers=client.operator).json["consents"][0]["consent_text"] == "客户要求不要再打"
    path = tmp_path / "consents.csv"
    path.write_bytes(body.replace(b"137001370", b"135001350"))
    run = cli({"DATABASE_URL": sqlite_url}, "consents", "import", str(path), "--encoding", "big5")
    assert run.returncode == 1 and "GB18030" in run.stderr, (run.stdout, run.stderr)


def test_a_consent_list_saved_as_excels_unicode_text_is_read_as_its_columns(client):
    # UTF-16LE with a byte-order mark, tab-separated (Excel's "Unicode Text" save): read with commas, its header was
    # one unknown column and the file was refused.
    text = ("phone\tsource\tgiven_at\tchannels\tconsent_text\r\n"
            "13711000001\tbranch_form\t2026-03-01\tphone;sms\t本人同意接收贵行理财产品电话推荐，可随时退订\r\n")
    report = post_csv(client, b"\xff\xfe" + text.encode("utf-16-le"))
    assert (report["accepted"], report["rejected"], report["encoding"]) == (1, 0, "utf-16"), report
    held = client.get("/v1/consents?phone=13711000001", headers=client.operator).json["consents"][0]
    assert held["channels"] == ["phone", "sms"] and held["consent_text"] == "本人同意接收贵行理财产品电话推荐，可随时退订"


def test_the_cli_import_prints_the_report_and_names_rejected_lines(sqlite_url, tmp_path):
    env = {"DATABASE_URL": sqlite_url}
    path = tmp_path / "consents.csv"
    path.write_text(CSV, encoding="utf-8")
    result = cli(env, "consents", "import", str(path))
    assert result.returncode == 1, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["accepted"], summary["rejected"], summary["rows"]) == (3, 6, 9)
    assert f"{path}:5: rejected: phone: 'not-a-number'" in result.stderr
    again = cli(env, "consents", "import", str(path))
    assert json.loads(again.stdout)["unchanged"] == 3


def test_the_provenance_lookup_answers_in_one_line_and_gives_operators_the_history(api, client):
    none = client.get("/v1/numbers/13800138000/provenance", headers=client.dialer).json
    assert none["status"] == "none" and "未登记" in none["answer"]["zh"] and "history" not in none
    r = client.post("/v1/consents", json={"phone": "13800138000", "source": "credit_card_application", "given_at": "2026-03-01T10:00:00+08:00",
                                          "text_version": "v3", "evidence_ref": "CC-0301-77"}, headers=client.operator)
    cid = r.json["consent_id"]
    p = client.get("/v1/numbers/138 0013 8000/provenance", headers=client.dialer).json
    assert p["answer"] == {
        "zh": "您的号码来自信用卡申请，您于 2026-03-01 同意我行通过电话联系您（授权书版本 v3）。",
        "en": "Where we got your number: credit-card application; you agreed on 2026-03-01 to be contacted by phone (consent text version v3).",
    }
    assert p["status"] == "given" and p["consent_id"] == cid and p.get("history") is None
    client.post(f"/v1/consents/{cid}/withdraw", json={"via": "branch"}, headers=client.operator)
    ops = client.get("/v1/numbers/13800138000/provenance", headers=client.operator).json
    assert ops["status"] == "withdrawn" and "2026-11-23 通过网点撤回" in ops["answer"]["zh"]
    assert [len(c["versions"]) for c in ops["history"]] == [2]
    assert client.get("/v1/numbers/13800138000/provenance", headers=new_key(client.application, "reviewer")).status_code == 403


def test_a_list_longer_than_a_statement_can_bind_is_imported_whole_and_reimported_unchanged(client):
    """70,000 consents: more numbers than one statement can bind (PostgreSQL's 65,535 parameters; SQLite's 32,766). The
    lookup of the numbers' current consents once named them all in one IN list, and the import answered 503 STORE_UNAVAILABLE
    ("do not dial") with the store up (bench/import_isolation.py --list consents found it)."""
    rows = 70_000
    body = "phone,source,given_at\n" + "".join(f"139{i:08d},branch_form,2026-03-01\n" for i in range(rows))
    report = post_csv(client, body.encode())
    assert (report["accepted"], report["rejected"], report["rows"]) == (rows, 0, rows)
    again = post_csv(client, body.encode())
    assert (again["accepted"], again["unchanged"]) == (0, rows)
    last = client.get(f"/v1/consents?phone=139{rows - 1:08d}", headers=client.operator).json["consents"]
    assert [c["source"] for c in last] == ["branch_form"]


def test_a_stray_quote_rejects_its_line_and_the_consents_after_it_are_imported(client):
    """A consent's text may run over lines inside its quotes; a quote never closed took every later row into that
    text before (those consents were neither imported nor rejected). Now its line alone is rejected, saying so."""
    header = "phone,source,given_at,channels,text_version,consent_text\n"
    body = (header
            + '13800138000,app,2026-03-01,phone,v3,"本人同意接收\n电话营销（第二行）"\n'  # a text over two lines: one row
            + '13900139000,app,2026-03-02,phone,v3,"本人同意\n'  # the quote is never closed
            + "13700137000,app,2026-03-03,phone,v3,同意\n"
            + "13600136000,branch_form,2026-03-04T10:00:00+08:00,phone,v3,同意\n")
    report = post_csv(client, body.encode())
    assert (report["accepted"], report["rejected"]) == (3, 1), report
    [reject] = report["rejects"]
    assert reject["line"] == 4 and "quote opened in this line is not closed" in reject["reason"] and "line 5" in reject["reason"]
    for phone in ("13700137000", "13600136000"):
        assert client.get(f"/v1/consents?phone={phone}", headers=client.operator).json["consents"], phone
    first = client.get("/v1/consents?phone=13800138000", headers=client.operator).json["consents"][0]
    assert first["given_at"] == "2026-03-01T15:59:59.999999+00:00"  # 2026-03-01 in Shanghai, counted from the end of that day


FUTURE = ("phone,source,given_at,withdrawn_at,withdrawn_via\n13400134000,app,2027-04-01T09:00:00+08:00,,\n"
          "13300133000,app,2026-04-01,2027-05-01T09:00:00+08:00,app\n")


def test_a_consent_given_after_the_server_clock_is_refused_naming_the_bound(api, client):
    report = post_csv(client, FUTURE.encode())
    assert report["rejected"] == 2
    bound = "after the server clock plus 300 s (2026-11-23T02:20:00+00:00)"
    assert [(x["line"], x["reason"].split(":")[0], bound in x["reason"]) for x in report["rejects"]] == [
        (2, "given_at", True), (3, "withdrawn_at", True)]


def test_a_simulation_imports_consents_at_its_own_dates(make_app):
    # SPEC §7: with GUARD_ALLOW_CLIENT_TIME every client instant is taken as given, as the single
    # POST /v1/consents and the blacklist import take them.
    app = make_app(GUARD_ALLOW_CLIENT_TIME="1")
    client = app.test_client()
    client.operator = new_key(app, "operator")
    report = post_csv(client, FUTURE.encode())
    assert (report["accepted"], report["rejected"]) == (2, 0), report["rejects"]


def test_a_crm_export_with_chinese_column_names_imports_as_the_english_one(api, client):
    # The same three consents as CSV's first rows, the columns named as a mainland CRM export names them (GBK), in
    # another order; then as a Taiwan/Hong Kong one (Big5, traditional spellings). docs/columns.md lists the names.
    chinese = ("客户号,手机号码,来源,授权时间,联系渠道,产品类型,授权书版本,凭证编号,到期日期,撤回日期,撤回方式\n"
               ",13800138000,credit_card_application,2026-03-01,phone;sms,,v3,CC-0301-77,,,\n"
               "C7,,branch_form,2026-02-01T09:30:00+08:00,phone,wealth|fund,v2,BR-0201-3,,,\n"
               ",13900139000,app,2026-04-01,phone,,,APP-LOG-9,,2026-05-01,app\n")
    report = post_csv(client, chinese.encode("gbk"), "?encoding=gbk")
    assert (report["accepted"], report["rejected"]) == (3, 0), report
    english = post_csv(client, CSV.encode())
    assert (english["accepted"], english["unchanged"]) == (0, 3), "the English export names the same consents"
    traditional = ("手機號碼,來源,授權時間,聯繫渠道,憑證編號,撤回日期,撤回方式\n"
                   "13900139000,app,2026-04-01,phone,APP-LOG-9,2026-05-01,app\n")
    assert post_csv(client, traditional.encode("big5"), "?encoding=big5")["unchanged"] == 1
    assert codes(api.check("13900139000", dry_run=True)) == ["CONSENT_MISSING"]
    unknown = post_csv(client, "手机号码,来源,授权时间,客户姓名\n13800138000,app,2026-03-01,张三\n".encode("gbk"), "?encoding=gbk",
                       status=400)
    assert "客户姓名" in unknown["error"]["message"], "a column the import does not know is named, and refuses the file"


def test_a_consent_export_whose_only_chinese_is_its_header_is_read_in_the_encoding_its_header_names_columns_in(client):
    # GBK: 手机号码, 来源, 授权时间 read as Big5 are no column names; the numbers and dates alone cannot tell the two apart
    body = ("手机号码,来源,授权时间\r\n13800138000,app,2026-04-01\r\n").encode("gbk")
    out = post_csv(client, body)
    assert (out["encoding"], out["accepted"]) == ("gb18030", 1), out


def test_a_reassigned_numbers_former_subscriber_consent_is_neither_the_new_owners_consent_nor_their_answer(api, client):
    """Consent follows the person (47 CFR 64.1200(m), the FCC's 2018 reassigned-numbers order: "the consent from the prior
    subscriber does not transfer when the phone number is reassigned", olshanlaw.com). C1 consented on the number, which
    now belongs to C2: the agent's line told C2 "you agreed", and a pack requiring consent let C2 be called on it."""
    client.post("/v1/consents", json={"phone": "13800138000", "customer_id": "C1", "source": "app",
                                      "given_at": "2026-03-01T10:00:00+08:00"}, headers=client.operator)
    api.customer("C2", ["13800138000"])
    p = client.get("/v1/numbers/13800138000/provenance", headers=client.operator).json
    assert p["status"] == "none" and "未登记" in p["answer"]["zh"]
    assert [c["customer_id"] for c in p["history"]] == ["C1"], "the former subscriber's consent stays on record"
    api.customer("C2", ["13900139000"])
    api.customer("C1", ["13800138000"])
    assert client.get("/v1/numbers/13800138000/provenance", headers=client.dialer).json["status"] == "given"


def test_sources_and_channels_are_read_as_exports_write_them_and_an_unknown_one_names_the_allowed(client):
    # A CRM export writes the values as its screens show them: SMS, APP, Hotline, or the Chinese labels 短信, 电话,
    # 手机银行, 网银 (docs/vocabularies.md); its Chinese column names were read, its values were rejected row by row.
    body = ("手机号码,来源,授权时间,联系渠道,产品类型,撤回日期,撤回方式\n"
            "13800138000,APP,2026-03-01,短信;电话,理财、基金,,\n"
            "13900139000,网银,2026-03-01,SMS|Phone,,2026-05-01,Hotline\n"
            "13700137000,手机银行,2026-03-01,電話,,,\n"
            "13600136000,app,2026-03-01,微信,,,\n")
    report = post_csv(client, body.encode("gb18030"), "?encoding=gb18030")
    assert (report["accepted"], report["rejected"]) == (3, 1), report
    assert report["rejects"][0]["line"] == 5 and "'微信'" in report["rejects"][0]["reason"] and "phone, sms" in report["rejects"][0]["reason"]
    got = {c["phone_e164"]: c for p in ("13800138000", "13900139000", "13700137000")
           for c in client.get(f"/v1/consents?phone={p}", headers=client.operator).json["consents"]}
    assert [(c["source"], c["channels"], c["product_types"], c["withdrawn_via"]) for c in got.values()] == [
        ("app", ["phone", "sms"], ["fund", "wealth"], None), ("online_banking", ["phone", "sms"], [], "hotline"),
        ("app", ["phone"], [], None)]


def test_a_date_only_expiry_counts_its_last_day_whole_in_the_packs_zone(api, client):
    """有效期至 2026-11-23 runs to 24:00 of that day (民法典 第二百零三条: "期间的最后一日的截止时间为二十四时"), in the
    default pack's zone (Asia/Shanghai): at 10:15 that day the consent was read as expired since 00:00."""
    body = "手机号码,来源,授权时间,有效期至\n13800138000,app,2026-03-01,2026-11-23\n".encode("gb18030")
    assert post_csv(client, body, "?encoding=gb18030")["accepted"] == 1
    c = client.get("/v1/consents?phone=13800138000", headers=client.operator).json["consents"][0]
    assert c["expires_at"] == "2026-11-23T16:00:00+00:00" and c["status"] == "given"
    api.later(hours=13, minutes=45)  # 2026-11-24 00:00 in Shanghai: expired, as fail-closed as before from then on
    assert client.get("/v1/consents?phone=13800138000", headers=client.operator).json["consents"][0]["status"] == "expired"
    # A consent held from an import that read the date as its 00:00 is the same consent, not one whose expiry is put off.
    client.post("/v1/consents", json={"phone": "13900139000", "source": "app", "given_at": "2026-03-01T00:00:00+08:00",
                                      "expires_at": "2026-12-31T00:00:00+08:00"}, headers=client.operator)
    again = post_csv(client, "phone,source,given_at,expires_at\n13900139000,app,2026-03-01,2026-12-31\n".encode())
    assert (again["unchanged"], again["rejected"]) == (1, 0), again


def test_a_date_only_consent_counts_from_the_end_of_its_day_not_its_midnight(api, client):
    """授权日期 2026-11-23 says the day, not the hour: read as 00:00 it made a call at 10:15 that day consented though the
    person may have signed at 17:00. 民法典 第二百零一条 ("按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算"):
    the consent counts from 24:00 of its day in the pack's zone; withdrawn the same day, it was never in effect."""
    body = "phone,source,given_at,withdrawn_at,withdrawn_via\n13800138000,app,2026-11-23,,\n13900139000,app,2026-11-22,2026-11-22,app\n"
    report = post_csv(client, body.encode())
    assert (report["accepted"], report["rejected"]) == (2, 0), report
    c = client.get("/v1/consents?phone=13800138000", headers=client.operator).json["consents"][0]
    # its day's last microsecond in Shanghai: still that day when the answer names the day it was given
    assert c["given_at"] == "2026-11-23T15:59:59.999999+00:00" and c["status"] == "not_yet_given"
    w = client.get("/v1/consents?phone=13900139000", headers=client.operator).json["consents"][0]
    assert w["given_at"] == "2026-11-22T15:59:59.999999+00:00" and w["status"] == "withdrawn"
    assert w["withdrawn_at"] == "2026-11-21T16:00:00+00:00"  # the withdrawal's day from its 00:00, as any date-only one
    assert post_csv(client, body.encode())["unchanged"] == 2, "re-importing changes nothing"
    from zoneinfo import ZoneInfo

    from guard.services.consent.provenance import answer
    said = answer(w, ZoneInfo("Asia/Shanghai"))
    assert "您于 2026-11-22 同意" in said["zh"] and "已于 2026-11-22 通过" in said["zh"], said


def test_the_answer_names_the_last_day_a_consent_was_in_effect_not_the_day_after():
    """有效期至 2026-11-30 is read to 24:00 of that day (expires_at 2026-12-01 00:00 in the zone, 民法典 第二百零三条): the
    person on the line is told it was valid until 11-30, the day their consent names."""
    from zoneinfo import ZoneInfo

    from guard.services.consent.provenance import answer
    consent = {"source_label": {"zh": "手机银行", "en": "mobile banking"}, "given_at": "2026-01-05T02:00:00+00:00",
               "text_version": None, "status": "expired", "expires_at": "2026-11-30T16:00:00+00:00"}
    said = answer(consent, ZoneInfo("Asia/Shanghai"))
    assert "有效期至 2026-11-30" in said["zh"] and "end of 2026-11-30" in said["en"], said
    assert "2026-12-01" not in said["zh"] + said["en"]


def test_a_gbk_export_mixing_dates_and_instants_names_every_rows_outcome(api, client):
    """A bank's GBK export with Chinese headers, some instants with their time, some dates alone. 撤回日期 2026-11-20 of a
    consent given at 10:00 that day was read from 00:00 and refused as before the consent: it is read from the consent's
    instant (never in effect). A date-only given_at counts from the end of its day (民法典 第二百零一条: "开始的当日不计入"),
    so an expiry at 18:00 that day would leave the consent never in effect: refused, saying what to send instead. A
    date-only expiry runs to 24:00 of its day (民法典 第二百零三条: "期间的最后一日的截止时间为二十四时")."""
    body = ("手机号码,来源,授权时间,有效期至,撤回日期,撤回方式\n"
            "13800138000,手机银行,2026-11-20T10:00:00+08:00,,2026-11-20,手机银行\n"
            "13900139000,app,2026-11-20,2026-11-20T18:00:00+08:00,,\n"
            "13700137000,app,2026-11-20,2026-11-20,,\n"
            "13600136000,app,2026-11-19T09:00:00+08:00,2026-11-20,,\n").encode("gbk")
    report = post_csv(client, body, "?encoding=gbk")
    assert (report["accepted"], report["rejected"], report["rows"]) == (3, 1, 4), report
    [why] = report["rejects"]
    assert why["line"] == 3 and why["reason"].startswith("expires_at:") and "第二百零一条" in why["reason"], why
    assert "2026-11-20T10:15:00+08:00" in why["reason"], "it says what to send instead"
    w = client.get("/v1/consents?phone=13800138000", headers=client.operator).json["consents"][0]
    assert w["given_at"] == w["withdrawn_at"] == "2026-11-20T02:00:00+00:00" and w["status"] == "withdrawn"
    assert codes(api.check("13800138000", dry_run=True)) == ["CONSENT_MISSING"], "an imported withdrawal is an opt-out"
    same_day = client.get("/v1/consents?phone=13700137000", headers=client.operator).json["consents"][0]
    assert same_day["expires_at"] == "2026-11-20T16:00:00+00:00" and same_day["status"] == "expired"
    again = post_csv(client, body, "?encoding=gbk")
    assert (again["accepted"], again["unchanged"], again["rejected"]) == (0, 3, 1), "re-importing changes nothing"


def test_a_withdrawal_by_sms_or_hotline_and_a_branch_source_are_read_as_banks_exports_label_them(client):
    """撤回方式 短信 (a 退订 reply) was rejected though 短信 is read as sms in the same file's 联系渠道, and 热线 / 客服电话, 柜面
    and 来源 网点 too: the row and its withdrawal were lost from the import (个人信息保护法 第十五条: withdrawal must be
    as convenient as consent, and one recorded must hold)."""
    body = ("手机号码,来源,授权日期,联系渠道,撤回日期,撤回方式\n"
            "13800138000,网点,2026-03-01,电话、短信,2026-05-01,短信\n"
            "13900139000,柜面,2026-03-01,电话,2026-05-01,热线\n"
            "13700137000,营业网点,2026-03-01,电话,2026-05-01,客服电话\n"
            "13600136000,app,2026-03-01,电话,2026-05-01,信函\n").encode("gbk")
    report = post_csv(client, body, "?encoding=gbk")
    assert (report["accepted"], report["rejected"]) == (4, 0), report
    got = [client.get(f"/v1/consents?phone={p}", headers=client.operator).json["consents"][0]
           for p in ("13800138000", "13900139000", "13700137000", "13600136000")]
    assert [(c["source"], c["withdrawn_via"], c["status"]) for c in got] == [
        ("branch_form", "sms", "withdrawn"), ("branch_form", "hotline", "withdrawn"), ("branch_form", "hotline", "withdrawn"),
        ("app", "letter", "withdrawn")]


def test_a_consent_dated_today_is_named_as_the_numbers_source_with_the_day_it_counts_from(api, client):
    """授权日期 of today counts from the end of its day (民法典 第二百零一条), but the person did consent today: the provenance
    answer said "未登记该号码的来源和授权记录" (no source recorded, tell operations) to a person who had just consented."""
    body = "手机号码,来源,授权日期,撤回日期,撤回方式\n13800138000,手机银行,2026-11-23,,\n13900139000,app,2026-11-23,2026-11-23,短信回复\n"
    assert post_csv(client, body.encode("gbk"), "?encoding=gbk")["accepted"] == 2  # the clock: 2026-11-23 10:15 in Shanghai
    fresh = client.get("/v1/numbers/13800138000/provenance", headers=client.operator).json
    assert fresh["status"] == "not_yet_given" and fresh["source"] == "app", fresh
    assert "您于 2026-11-23 同意" in fresh["answer"]["zh"] and "自 2026-11-24 起生效" in fresh["answer"]["zh"], fresh["answer"]
    gone = client.get("/v1/numbers/13900139000/provenance", headers=client.operator).json["answer"]
    assert "已于 2026-11-23 通过短信回复撤回" in gone["zh"], gone


def test_a_consent_dated_today_can_be_withdrawn_today_by_the_hotline_or_a_stop_request(api, client):
    """A consent imported with today's 授权日期 is held from the day's end (民法典 第二百零一条): withdrawing it that day
    ("我撤回同意" on the hotline, 个人信息保护法 第十五条) was refused as "before the consent was given", and a stop request
    left it standing. Either now withdraws it from the instant it counts from: never in effect."""
    body = "phone,source,given_at\n13800138000,app,2026-11-23\n13900139000,app,2026-11-23\n"  # the clock: 2026-11-23 10:15
    assert post_csv(client, body.encode())["accepted"] == 2
    cid = client.get("/v1/consents?phone=13800138000", headers=client.operator).json["consents"][0]["consent_id"]
    r = client.post(f"/v1/consents/{cid}/withdraw", json={"via": "hotline"}, headers=client.operator)
    assert r.status_code == 200, r.json
    assert r.json["status"] == "withdrawn" and r.json["withdrawn_at"] == "2026-11-23T02:15:00+00:00", r.json
    assert codes(api.check("13800138000", dry_run=True)) == ["CONSENT_MISSING"], "withdrawn today: a refusal from now on"
    stop = client.post("/v1/blacklist", json={"phone": "13900139000", "source": "customer_request", "reason": "不要再打了"},
                       headers=client.operator)
    assert stop.status_code in (200, 201), stop.json
    assert client.get("/v1/consents?phone=13900139000", headers=client.operator).json["consents"][0]["status"] == "withdrawn"


def test_a_consent_given_at_an_extension_is_refused_and_a_withdrawal_at_one_is_kept_for_the_line(api, client):
    # A check judges a call by its line (phonenumbers drops "ext. 45", "x45", "#45" as the guard drops 转 8001 and 內線 8001):
    # a consent kept on the line would allow a call to every extension of it, the extensions of people who never consented.
    r = client.post("/v1/consents", json={"phone": "010-65521234 转 8001", "source": "branch_form", "given_at": "2026-03-01T09:00:00+08:00",
                                          "channels": ["phone"]}, headers=client.operator)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "phone", r.json
    assert "extension 8001 of the line +861065521234" in r.json["error"]["message"]
    report = post_csv(client, (
        "phone,customer_id,source,given_at,channels,product_types,text_version,evidence_ref,expires_at,withdrawn_at,withdrawn_via\n"
        "+886 2 2345 6789 內線 123,,app,2026-04-01,phone,,,,,,\n"
        "010-65521234-8001,,app,2026-04-01,phone,,,,,2026-05-01,app\n").encode())
    assert (report["accepted"], report["rejected"]) == (1, 1) and report["rejects"][0]["line"] == 2, report
    assert "extension 123 of the line +886223456789" in report["rejects"][0]["reason"]
    listed = client.get("/v1/consents?phone=010-65521234", headers=client.operator).json["consents"]
    assert len(listed) == 1 and listed[0]["withdrawn_at"] is not None, listed


def test_a_consent_dated_today_and_withdrawn_today_in_an_import_is_a_refusal_from_the_days_start(api, client):
    """授权日期 and 撤回日期 both today: the consent is held from the day's end (民法典 第二百零一条) and the withdrawal from
    the day's 00:00, as any date-only withdrawn_at is. It was moved to the consent's last microsecond, so until midnight
    the person's no counted for nothing where a pack asks no consent (个人信息保护法 第十五条: a withdrawal binds from when
    it is made). The clock: 2026-11-23 10:15 in Shanghai."""
    body = "phone,source,given_at,withdrawn_at,withdrawn_via\n13800138000,app,2026-11-23,2026-11-23,hotline\n"
    assert post_csv(client, body.encode())["accepted"] == 1
    held = client.get("/v1/consents?phone=13800138000", headers=client.operator).json["consents"][0]
    assert held["status"] == "withdrawn" and held["withdrawn_at"] == "2026-11-22T16:00:00+00:00", held
    assert post_csv(client, body.encode())["unchanged"] == 1  # re-importing changes nothing


def test_a_consent_given_by_date_alone_is_listed_with_its_day_not_an_hour(client):
    """授权日期 2026-11-03 is held from the day's last microsecond (民法典 第二百零一条); the list gave only that instant, and the
    console showed "2026-11-03 23:59", an hour the bank never recorded. `given_on` names the day; null for a timed one."""
    body = "phone,source,given_at\n13800138000,app,2026-11-03\n13900139000,app,2026-11-03T10:00:00+08:00\n"
    assert post_csv(client, body.encode())["accepted"] == 2
    dated = client.get("/v1/consents?phone=13800138000", headers=client.operator).json["consents"][0]
    assert dated["given_on"] == "2026-11-03" and dated["versions"][0]["given_on"] == "2026-11-03", dated
    timed = client.get("/v1/consents?phone=13900139000", headers=client.operator).json["consents"][0]
    assert timed["given_on"] is None


def test_a_withdrawal_and_an_expiry_given_as_dates_alone_are_shown_as_the_days_written(api, client):
    """撤回日期 2026-11-20 is held from that day's 00:00 (the whole day withdrawn, fail closed), yet the check said "withdrawn
    at 2026-11-20 00:00", an hour the bank never recorded; 有效期至 2026-12-31 ends at 24:00 (民法典 第二百零三条) and was
    listed as expiring 2027-01-01. The days as written are kept and shown; the instants stay as they were."""
    body = ("手机号码,来源,授权时间,有效期至,撤回日期,撤回方式\n"
            "13800138000,手机银行,2026-11-01T10:00:00+08:00,2026-12-31,2026-11-20,手机银行\n").encode("gbk")
    assert post_csv(client, body, "?encoding=gbk")["accepted"] == 1
    held = client.get("/v1/consents?phone=13800138000", headers=client.operator).json["consents"][0]
    assert held["withdrawn_at"] == "2026-11-19T16:00:00+00:00" and held["expires_at"] == "2026-12-31T16:00:00+00:00", held
    assert (held["withdrawn_on"], held["expires_on"]) == ("2026-11-20", "2026-12-31"), held
    reason = api.check(dry_run=True)["reasons"][0]
    assert reason["detail"]["withdrawn_at"].startswith("2026-11-20T00:00") and reason["detail"]["withdrawn_on"] == "2026-11-20"
    said = reason["messages"]
    assert "withdrawn on" in said["en"] and "2026" in said["en"] and "00:00" not in said["en"], said
    assert "2026年11月20日撤回" in said["zh-CN"] and "00:00" not in said["zh-CN"], said
    assert "撤回" in said["zh-TW"] and "00:00" not in said["zh-TW"], said
    assert post_csv(client, body, "?encoding=gbk")["unchanged"] == 1, "re-importing changes nothing"


def test_an_expiry_given_as_a_date_alone_names_its_last_day_in_a_check_message():
    """有效期至 2026-12-31 ends at 24:00 that day (民法典 第二百零三条: 期间的最后一日的截止时间为二十四时), held as 2027-01-01 00:00:
    the message names the day the bank wrote; a max_age ending sooner still names its instant."""
    from guard.core.messages import reason_messages
    detail = {"why": "expired", "source": "app", "given_at": "2026-11-01T10:00:00+08:00", "expires_at": "2027-01-01T00:00:00+08:00",
              "expired_at": "2027-01-01T00:00:00+08:00", "expires_on": "2026-12-31"}
    said = reason_messages("CONSENT_MISSING", detail)
    assert "until the end of" in said["en"] and "2027" not in said["en"], said
    assert "有效期至 2026年12月31日" in said["zh-CN"] and "2027" not in said["zh-CN"], said
    assert "有效期至" in said["zh-TW"] and "2027" not in said["zh-TW"], said
    dated = reason_messages("CONSENT_MISSING", {**detail, "given_on": "2026-11-01"})
    assert "given on" in dated["en"] and "2027" not in dated["en"], dated
    sooner = reason_messages("CONSENT_MISSING", {**detail, "expired_at": "2026-12-01T10:00:00+08:00"})
    assert "expired at" in sooner["en"] and "2026" in sooner["en"], sooner


def test_a_us_consents_dates_are_read_in_the_us_packs_zone_on_import_and_when_given(client):
    # ?region=US: a day alone is a New York day (the us-tcpa pack's zone), so "2026-12-31" expires at 24:00 there
    # (2027-01-01T05:00Z), not at Shanghai's 24:00, 13 hours early.
    body = b"phone,source,given_at,expires_at\n2025550123,branch_form,2026-03-01T10:00:00-05:00,2026-12-31\n"
    report = post_csv(client, body, "?region=US")
    assert report["accepted"] == 1, report
    listed = client.get("/v1/consents?phone=2025550123&region=US", headers=client.operator).json["consents"][0]
    assert listed["expires_at"] == "2027-01-01T05:00:00+00:00"
    # A San Francisco number's (415, America/Los_Angeles) day is its callee's: 24:00 in Los Angeles, 08:00Z; read at New York's
    # midnight the consent ended at 21:00 the day before at the callee's (47 CFR 64.1200(c)(1): the called party's local time).
    r = client.post("/v1/consents", json={"phone": "4155550125", "region": "US", "source": "branch_form",
                                          "given_at": "2026-03-01T10:00:00-08:00", "expires_at": "2026-12-31"}, headers=client.operator)
    assert r.status_code == 201 and r.json["expires_at"] == "2027-01-01T08:00:00+00:00", r.json


def test_a_us_numbers_provenance_names_the_days_at_the_callees_not_shanghais(client):
    # "You agreed on …" is said to the person on the line: a Los Angeles consent given at 20:00 on 1 March there (04:00Z on
    # the 2nd) was named as given on 03-02, Shanghai's day (the default pack's); a day sent alone is named as written.
    for phone, given_at in (("2135550123", "2026-03-01T20:00:00-08:00"), ("2135550124", "2026-03-01")):
        r = client.post("/v1/consents", json={"phone": phone, "region": "US", "source": "branch_form", "given_at": given_at},
                        headers=client.operator)
        assert r.status_code == 201, r.json
        p = client.get(f"/v1/numbers/{phone}/provenance?region=US", headers=client.dialer).json
        assert "agreed on 2026-03-01" in p["answer"]["en"], p["answer"]


def test_a_customers_consent_imported_by_file_reads_its_days_where_the_customers_numbers_are(app, client, tmp_path):
    # A consent naming only a customer read its day-alone dates at the file region's pack zone (Shanghai), while a check
    # judges it at the callee's (47 CFR 64.1200(c)(1): "local time at the called party's location"; 民法典 第二百零三条: the
    # last day ends at 24:00). Now as POST /v1/consents reads one (guard/services/zones.py `callee_day_zones`): the
    # customer's numbers' zones, failing closed (the expiry at the earliest 24:00, the given day from the latest 00:00);
    # a customer with no number on file: the pack's zone, and the report warns, naming the row.
    for cid, phones in (("CLA", ["+12135550130"]), ("CBOTH", ["+12135550131", "+12125550131"])):
        assert client.put(f"/v1/customers/{cid}", json={"phones": phones}, headers=client.operator).status_code == 201
    path = tmp_path / "consents.csv"
    path.write_text("customer_id,source,given_at,expires_at\nCLA,branch_form,2026-10-20,2026-12-31\n"
                    "CBOTH,branch_form,2026-10-20,2026-12-31\nCNONE,branch_form,2026-10-20,2026-12-31\n", encoding="utf-8")
    with app.app_context():  # as `flask --app app guard …` runs it
        done = app.test_cli_runner().invoke(args=["guard", "consents", "import", str(path)])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["accepted"] == 3
    held = {cid: client.get(f"/v1/consents?customer_id={cid}", headers=client.operator).json["consents"][0]
            for cid in ("CLA", "CBOTH", "CNONE")}
    got = {cid: (c["given_at"], c["expires_at"]) for cid, c in held.items()}
    assert got == {"CLA": ("2026-10-21T06:59:59.999999+00:00", "2027-01-01T08:00:00+00:00"),  # Los Angeles
                   "CBOTH": ("2026-10-21T06:59:59.999999+00:00", "2027-01-01T05:00:00+00:00"),  # LA's day end, NY's 24:00
                   "CNONE": ("2026-10-20T15:59:59.999999+00:00", "2026-12-31T16:00:00+00:00")}, got  # the pack's zone
    assert [w["line"] for w in json.loads(done.stdout)["warnings"]] == [4]
    assert f"{path}:4: warning: customer_id: 'CNONE'" in done.stderr and "Asia/Shanghai" in done.stderr, done.stderr
