"""Every file reader's rejected rows carry `reason_messages` beside the English `reason` (real SQLite)."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from tests.conftest import Clock, dispose_apps, new_key

LIST = "phone,source,reason\n13800138000,registry,x\n12345,registry,x\n"
BAD_PHONE_ZH = "phone：'12345' 不是所属国家或地区的有效号码"


@pytest.fixture
def client(sqlite_url):
    from app import create_app

    app = create_app({"DATABASE_URL": sqlite_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "WARNING",
                      "GUARD_RELOAD_POLL_SECONDS": "0", "clock": Clock(datetime(2026, 11, 23, 2, 15, tzinfo=timezone.utc))})
    c = app.test_client()
    c.keys = new_key(app, "operator", "admin", "auditor")
    yield c
    dispose_apps([app])


def _post(client, url, text):
    r = client.post(url, data=text.encode(), headers={**client.keys, "Content-Type": "text/csv"})
    assert r.status_code in (200, 202), r.json
    return r.json


def test_a_blacklist_imports_rejected_row_reads_in_chinese(client):
    reject, = _post(client, "/v1/blacklist/import", LIST)["rejects"]
    assert reject["reason"] == "phone: '12345' not a valid number for its country"
    assert reject["reason_messages"]["zh-CN"] == BAD_PHONE_ZH


def test_a_removal_lists_rejected_row_reads_in_chinese(client):
    reject, = _post(client, "/v1/blacklist/removals?source=registry&reason=left%20the%20registry&dry_run=true", LIST)["rejects"]
    assert reject["reason_messages"]["zh-CN"] == BAD_PHONE_ZH


def test_a_consent_imports_rejected_row_reads_in_chinese(client):
    body = "phone,source,given_at\n13800138000,app,2026-11-01\n13800138001,app\n"
    reject, = _post(client, "/v1/consents/import", body)["rejects"]
    assert (reject["reason"], reject["reason_messages"]["zh-CN"]) == ("2 fields; the header has 3", "本行有 2 个字段，表头有 3 个")


def _audited(client, log, content_type="text/csv", url="/v1/audits"):
    r = client.post(url, data=log.encode(), headers={**client.keys, "Content-Type": content_type})
    assert r.status_code == 202, r.json
    for _ in range(200):
        audit = client.get(f"/v1/audits/{r.json['audit_id']}", headers=client.keys).json
        if audit["status"] in ("done", "failed"):
            return audit
        time.sleep(0.02)
    raise AssertionError(audit)


def test_an_audits_rejected_row_reads_in_chinese(client):
    log = ("call_id,phone,called_at,campaign\n1,13800138000,2026-11-20T10:00:00+08:00,dep-2026q4\n"
           "2,13800138000,2026-11-20T24:01:00+08:00,dep-2026q4\n")
    reject, = _audited(client, log)["rejected_rows"]
    assert reject["reason_messages"]["zh-CN"] == "called_at：'2026-11-20T24:01:00+08:00' 不是带 UTC 偏移的 ISO 8601 日期时间"


def test_a_failed_audits_rows_and_error_read_in_chinese(client):
    # a transcript's turn without words, 上午12 (noon or midnight: CLDR's 12-hour clock writes midnight 上午12:00), an
    # outcome no vocabulary knows: every row rejected, so the audit fails, its `error` naming the first rows
    row = '{{"call_id": "{}", "phone": "13800138000", "called_at": "{}", "campaign": "dep-2026q4"{}}}\n'
    log = (row.format(1, "2026-11-20T10:00:00+08:00", ', "transcript": [{"role": "客服", "words": "您好"}, {"role": "客户"}]')
           + row.format(2, "2026-11-20 上午12:05", "") + row.format(3, "2026-11-20T10:00:00+08:00", ', "disposition": "zz"'))
    audit = _audited(client, log, "application/x-ndjson", "/v1/audits?timezone=Asia/Shanghai")
    assert audit["status"] == "failed"
    assert [r["reason_messages"]["zh-CN"] for r in audit["rejected_rows"]] == [
        "transcript：第 2 轮没有话语（应为 text、words、Words、content、asr_text、sentence 之一下的字符串）",
        "called_at：'2026-11-20 上午12:05'：上午12 在 12 小时制中是午夜，读者却会读作中午；请用 24 小时制书写时间（00:xx 或 12:xx）",
        "disposition：'zz' 不是 no_answer（无人接听）、busy（占线）、answered（已接通）、refused（拒绝）、do_not_call（要求不再来电）、"
        "callback（要求稍后再联系）、complaint（投诉）、wrong_number（号码有误） 之一"]
    assert audit["error"].startswith("none of the log's 3 rows could be judged: every one was rejected (line 1: transcript: turn 2")
    assert audit["error_messages"]["en"] == audit["error"]
    assert audit["error_messages"]["zh-CN"].startswith("通话记录的 3 行都无法审计：每一行都被拒收（第 1 行：transcript：第 2 轮没有话语")


def test_a_log_in_no_known_encoding_is_refused_in_chinese(client):
    r = client.post("/v1/audits", data=b"call_id,phone,called_at,campaign\n1,13800138000,2026-11-20T10:00:00+08:00,\xff\xff\x80\n",
                    headers={**client.keys, "Content-Type": "text/csv"})
    assert r.status_code == 400 and r.json["error"]["message"].startswith("the log is not UTF-8, GB18030 (GBK) or Big5 text")
    assert r.json["error"]["messages"]["zh-CN"] == (
        "请求有误（字段：file）：通话记录不是 UTF-8、GB18030（GBK）或 Big5 文本：含非 ASCII 字节的 1 行，这几种编码都解不开；"
        "请指明编码（`guard audit --encoding …`，或 POST /v1/audits 的 `?encoding=…`）：utf-8、gb18030 或 big5")
    failed, = client.get("/v1/audits", headers=client.keys).json["audits"]
    assert failed["error_messages"]["zh-CN"].startswith("通话记录不是 UTF-8、GB18030（GBK）或 Big5 文本")


def test_a_blacklist_rows_expiry_before_its_listing_reads_in_chinese(client):
    body = ("phone,source,added_at,expires_at\n13800138000,registry,2026-11-10,2026-11-01\n"
            "13800138001,registry,,2026-11-01\n")
    not_after, passed = _post(client, "/v1/blacklist/import", body)["rejects"]
    assert not_after["reason_messages"]["zh-CN"].startswith("expires_at：'2026-11-01'（读作 2026-11-01T16:00:00+00:00）不晚于 added_at '2026-11-10'（读作 2026-11-09T16:00:00+00:00）")
    assert passed["reason_messages"]["zh-CN"].startswith("expires_at：'2026-11-01'（读作 2026-11-01T16:00:00+00:00）已经过去")


def test_a_removal_row_at_an_extension_reads_in_chinese(client):
    reject, = _post(client, "/v1/blacklist/removals?source=registry&reason=left%20the%20registry&dry_run=true",
                    "phone,source\n+8613800138000;ext=12,registry\n")["rejects"]
    assert reject["reason"].startswith("phone: '+8613800138000;ext=12' is extension 12 of the line +8613800138000")
    assert reject["reason_messages"]["zh-CN"].startswith("phone：'+8613800138000;ext=12' 是总机 +8613800138000 的分机 12")


def test_a_consent_imports_warning_and_unknown_channel_read_in_chinese(client):
    report = _post(client, "/v1/consents/import", "customer_id,source,given_at,channels\nC9,app,2026-11-01,phone\nC8,app,2026-11-01,fax\n")
    warning, = report["warnings"]
    assert warning["warning"].startswith("customer_id: 'C9' has no number or time zone on file: its given_at read in Asia/Shanghai")
    assert warning["warning_messages"]["zh-CN"].startswith("customer_id：'C9' 没有登记号码或时区：其 given_at 按 Asia/Shanghai")
    reject, = report["rejects"]
    assert (reject["reason"], reject["reason_messages"]["zh-CN"]) == ("channels[0]: 'fax' is not one of phone, sms",
                                                                      "channels[0]：'fax' 不是 phone（电话）、sms（短信） 之一")


def test_an_unknown_consent_source_is_answered_with_the_sources_chinese_names(client):
    r = client.post("/v1/consents", json={"phone": "13800138000", "source": "zzz", "given_at": "2026-11-01T00:00:00+08:00",
                                          "channels": ["phone"]}, headers=client.keys)
    assert r.status_code == 400 and r.json["error"]["message"].startswith("source: Input should be 'branch_form', 'app',")
    assert "应为 'branch_form'（网点纸质/电子表单）、'app'（手机银行/APP）、" in r.json["error"]["messages"]["zh-CN"]
    assert r.json["error"]["messages"]["zh-CN"].endswith("'purchased_list'（外购名单） 或 'other'（其他）")


def test_a_consent_rows_dates_out_of_order_read_in_chinese(client):
    body = ("phone,source,given_at,expires_at,withdrawn_at\n13800138000,app,2026-11-05,,2026-11-01\n"
            "13800138001,app,2026-11-01,2026-10-01,\n")
    withdrawn, expires = _post(client, "/v1/consents/import", body)["rejects"]
    assert (withdrawn["reason"], withdrawn["reason_messages"]["zh-CN"]) == ("withdrawn_at: must not be before given_at",
                                                                            "withdrawn_at：不得早于 given_at")
    assert (expires["reason"], expires["reason_messages"]["zh-CN"]) == ("expires_at: must be after given_at", "expires_at：必须晚于 given_at")
