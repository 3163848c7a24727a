"""What a person reads in the API answers, in zh-CN, zh-TW and en with the same specifics, over HTTP on
SQLite and PostgreSQL: denial reasons of /v1/check and of the decision log, holidays named by the
`holidays` package's own translations, mute and blacklist reasons the guard writes, error answers,
and traditional Chinese as `message_zh` for a Taiwan pack."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import new_key

PACKS = Path(__file__).resolve().parents[2] / "policies" / "packs"


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    """The shipped packs, plus `tw-bank`: cn-bank's rules for Taiwan (its calendar, zone and numbers)."""
    target = tmp_path / "packs"
    shutil.copytree(PACKS, target)
    tw = {"id": "tw-bank", "version": "2026.1", "effective_from": "2026-01-01T00:00:00+08:00", "extends": "cn-bank", "country": "TW",
          "region": "TW", "timezone": "Asia/Taipei", "holidays": {"calendar": "TW", "block": True},
          "campaigns": [{"id": "tw-dep", "products": ["DEP-001"], "require_approved_script": False}]}
    (target / "tw-bank-2026.1.yaml").write_text(yaml.safe_dump(tw, allow_unicode=True), encoding="utf-8")
    return target


@pytest.fixture
def client(make_app, pack_dir, tmp_path):
    app = make_app(GUARD_ALLOW_CLIENT_TIME="1", GUARD_POLICY_DIR=str(pack_dir), GUARD_DATA_DIR=str(tmp_path / "data"))
    c = app.test_client()
    c.h = new_key(app, "dialer", "operator", "auditor")
    return c


def check(client, **body) -> dict:
    body.setdefault("phone", "138 0013 8000")
    body.setdefault("campaign", "dep-2026q4")
    r = client.post("/v1/check", json=body, headers=client.h)
    assert r.status_code == 200, r.json
    return r.json


def reason(answer: dict, code: str) -> dict:
    return next(r for r in answer["reasons"] if r["code"] == code)


def test_a_quiet_hours_denial_reads_with_the_callees_local_time_the_windows_and_the_pack_in_each_language(client):
    denied = check(client, at="2026-12-02T01:55:00+08:00", dry_run=True)  # a Wednesday, 01:55 in Shanghai
    r = reason(denied, "QUIET_HOURS")
    assert r["message"] == ("It is Wed 01:55 in Asia/Shanghai, outside the calling windows of pack cn-bank "
                            "(mon-fri 09:00–20:00; sat,sun 10:00–18:00).")
    assert r["messages"]["en"] == r["message"]
    assert r["message_zh"] == r["messages"]["zh-CN"] == ("被叫方当地时间（Asia/Shanghai）为 周三 01:55，不在策略包 cn-bank 允许的呼叫时段内"
                                                        "（周一至周五 09:00–20:00；周六、周日 10:00–18:00）。")
    assert r["messages"]["zh-TW"] == ("被叫方當地時間（Asia/Shanghai）為 週三 01:55，不在策略包 cn-bank 允許的呼叫時段內"
                                      "（週一至週五 09:00–20:00；週六、週日 10:00–18:00）。")
    # The decision log reads the same, rendered from the stored detail.
    logged = client.get(f"/v1/decisions/{denied['decision_id']}", headers=client.h).json
    assert logged["reasons"][0]["messages"] == r["messages"] and logged["reasons"][0]["message_zh"] == r["message_zh"]


def test_a_cap_denial_says_the_cap_the_count_and_when_it_clears(client):
    assert check(client, at="2026-11-23T10:15:00+08:00")["allowed"]
    again = check(client, at="2026-11-23T11:00:00+08:00")
    r = reason(again, "FREQ_CAP")
    assert r["message_zh"] == "每个号码24小时内最多呼叫 1 次（策略包 cn-bank 的普通频次上限），已计 1 次；2026年11月24日（周二）10:15 后解除。"
    assert r["message"] == ("At most 1 call per 24 hours per number (normal caps of pack cn-bank); 1 already counted; "
                            "clears at Tue 24 Nov 2026 10:15.")
    assert "已計 1 次" in r["messages"]["zh-TW"]


def test_a_holiday_is_named_in_chinese_from_the_holidays_package(client):
    denied = check(client, at="2026-10-01T10:00:00+08:00", dry_run=True)  # National Day
    r = reason(denied, "HOLIDAY")
    assert r["detail"]["holiday"] == "National Day"
    assert r["detail"]["holiday_names"] == {"zh-CN": "国庆节", "zh-TW": "國慶節", "en": "National Day"}
    assert r["message_zh"] == "2026年10月1日为 CN 法定节假日（国庆节），禁止营销呼叫。"
    assert r["messages"]["zh-TW"] == "2026年10月1日為 CN 法定節假日（國慶節），禁止營銷呼叫。"
    assert r["message"] == "1 Oct 2026 is a public holiday in CN (National Day): no marketing calls."
    # A weekend day inside the Spring Festival period names the holiday that makes it one.
    period = reason(check(client, at="2026-02-15T11:00:00+08:00", dry_run=True), "HOLIDAY")
    assert period["message_zh"] == "2026年2月15日为 CN 法定节假日（农历除夕（连休假期）），禁止营销呼叫。"


def test_a_taiwan_pack_answers_message_zh_in_traditional_chinese_with_taiwans_holiday_names(client):
    denied = check(client, phone="+886 912 345 678", campaign="tw-dep", at="2026-02-17T10:00:00+08:00", dry_run=True)
    assert denied["policy"]["pack"] == "tw-bank"
    r = reason(denied, "HOLIDAY")
    assert r["message_zh"] == r["messages"]["zh-TW"] == "2026年2月17日為 TW 法定節假日（春節），禁止營銷呼叫。"
    assert r["messages"]["zh-CN"] == "2026年2月17日为 TW 法定节假日（春节），禁止营销呼叫。"
    logged = client.get(f"/v1/decisions/{denied['decision_id']}", headers=client.h).json
    assert logged["reasons"][0]["message_zh"] == r["message_zh"]


def test_complaints_mute_and_blacklist_with_reasons_in_chinese(client):
    client.put("/v1/customers/C7", json={"phones": ["13700137000"]}, headers=client.h)
    for i, text in enumerate(("态度不好", "我说了不要再打了")):
        r = client.post("/v1/complaints", json={"customer_id": "C7", "severity": "light", "text": text,
                                                "received_at": f"2026-11-2{i + 3}T10:00:00+08:00"}, headers=client.h)
        assert r.status_code == 201, r.json
    complaint_id = r.json["id"]
    # The mute and the blacklist entry take effect when recorded (the server's clock): check after that.
    denied = check(client, phone="13700137000", dry_run=True)
    muted = reason(denied, "MUTED")
    assert muted["detail"]["reason"] == "2 complaints within 180 days (pack cn-bank 2026.4)"
    assert re.fullmatch(r"客户因投诉处于静音营销期，至 \d{4}年\d+月\d+日（周.）\d\d:\d\d 止：180天内投诉 2 次（策略包 cn-bank 2026.4）。"
                        r"期间禁止任何营销呼叫。", muted["message_zh"]), muted["message_zh"]
    assert re.fullmatch(r"The customer is muted after complaints until \w{3} \d+ \w{3} \d{4} \d\d:\d\d: 2 complaints within 180 days "
                        r"\(pack cn-bank 2026.4\)\. No marketing calls at all until then\.", muted["message"]), muted["message"]
    dnc = reason(denied, "DNC_OPT_OUT")
    assert dnc["message_zh"].startswith("在内部营销黑名单中（范围：客户 C7 的所有号码；来源：投诉），自 ")
    assert dnc["message"].startswith("On the internal do-not-call list (every number of customer C7; source: complaint) since ")
    entries = client.get("/v1/blacklist/customers/C7", headers=client.h).json["entries"]
    assert {e["reason"] for e in entries} == {f"complaint {complaint_id}: asked to stop calling"}
    assert {e["reason_messages"]["zh-CN"] for e in entries} == {f"投诉 {complaint_id}：要求停止来电"}
    assert {e["reason_messages"]["zh-TW"] for e in entries} == {f"投訴 {complaint_id}：要求停止來電"}
    overview = client.get("/v1/customers/C7/overview", headers=client.h)  # what the console's customer page reads
    assert overview.status_code == 200, overview.json
    assert overview.json["mute"]["mutes"][0]["reason_messages"]["zh-CN"] == "180天内投诉 2 次（策略包 cn-bank 2026.4）"
    assert {e["reason_messages"]["zh-CN"] for e in overview.json["blacklist"]["entries"]} == {f"投诉 {complaint_id}：要求停止来电"}


def test_an_error_answer_names_its_code_and_field_in_chinese(client):
    r = client.post("/v1/check", json={"phone": "13800138000"}, headers=client.h)
    assert r.status_code == 400
    e = r.json["error"]
    assert e["code"] == "INVALID_REQUEST" and e["message"]
    assert e["messages"]["zh-CN"].startswith("请求有误（字段：campaign）：")
    assert e["messages"]["zh-TW"].startswith("請求有誤（欄位：campaign）：")
    assert e["messages"]["en"].startswith("Invalid request (campaign): ")
    unauth = client.post("/v1/check", json={"phone": "13800138000", "campaign": "dep-2026q4"})
    assert unauth.status_code == 401 and unauth.json["error"]["messages"]["zh-CN"].startswith("未认证：")


def test_a_list_scrub_carries_the_messages_too(client):
    r = client.post("/v1/check/batch", json={"campaign": "dep-2026q4", "phones": ["13800138000", "12"],
                                             "at": "2026-12-02T01:55:00+08:00"}, headers=client.h)
    assert r.status_code == 200, r.json
    first, bad = r.json["results"]
    assert reason(first, "QUIET_HOURS")["message_zh"].startswith("被叫方当地时间（Asia/Shanghai）为 周三 01:55")
    invalid = reason(bad, "INVALID_NUMBER")
    assert invalid["message_zh"] == "号码“12”无效：不是所属国家或地区的有效号码。"
    assert invalid["message"] == "“12” is not a valid phone number: not a valid number for its country."


def test_the_notes_the_guard_writes_on_complaint_events_read_in_each_language(client):
    """The scheduler's escalation, an overdue found when a step is recorded late and a callback's result are
    notes the guard writes: the customer's audit trail shows them to 消保 staff in their language, with the
    deadlines named (首次响应, 办结), never an English sentence or a code such as first_response."""
    from guard.services.ops.jobs import run_job

    client.put("/v1/customers/C8", json={"phones": ["13700137008"]}, headers=client.h)
    letter = client.post("/v1/complaints", json={"customer_id": "C8", "severity": "medium", "category": "来信",
                                                 "received_at": "2026-11-02T10:00:00+08:00"}, headers=client.h).json
    rt = client.application.extensions["guard"]
    run_job(rt.store, "complaint_sla", rt.clock)
    late = client.post("/v1/complaints", json={"customer_id": "C8", "severity": "light", "category": "来电",
                                               "received_at": "2026-11-03T10:00:00+08:00"}, headers=client.h).json
    r = client.post(f"/v1/complaints/{letter['id']}/events", json={"type": "resolved", "note": "已致电解释并道歉"}, headers=client.h)
    assert r.status_code == 201, r.json
    r = client.post(f"/v1/complaints/{letter['id']}/events", json={"type": "callback", "result": "satisfied"}, headers=client.h)
    assert r.status_code == 201, r.json
    events = {e["type"]: e for e in r.json["events"]}
    assert events["escalated"]["note"] == "SLA missed (first_response, resolve): escalated to a supervisor"  # as stored
    assert events["escalated"]["note_messages"] == {
        "zh-CN": "超过处理时限（首次响应、办结），已升级至主管", "zh-TW": "超過處理時限（首次響應、辦結），已升級至主管",
        "en": "SLA missed (first response, resolution): escalated to a supervisor"}
    assert re.fullmatch(r"超过时限：首次响应（时限 \S+ \S+ UTC，未完成）、办结（时限 \S+ \S+ UTC，未完成）",
                        events["overdue"]["note_messages"]["zh-CN"]), events["overdue"]
    assert events["callback"]["note_messages"]["zh-CN"] == "满意"
    # A step recorded late names each deadline with when it was due and done (the instants in UTC, said so).
    r = client.post(f"/v1/complaints/{late['id']}/events", json={"type": "resolved", "note": "已处理"}, headers=client.h)
    trail = client.get("/v1/customers/C8/overview", headers=client.h).json["trail"]
    notes = [e["detail"].get("note_messages", {}).get("zh-CN") for e in trail if e["action"].startswith("complaint_")]
    assert "超过处理时限（首次响应、办结），已升级至主管" in notes
    for e in trail:
        text = (e["detail"].get("note_messages") or {}).get("zh-CN") or ""
        assert not re.search(r"[a-z]{3,}|_", text.replace("UTC", "")), (e["action"], text)
    (overdue,) = [e for e in r.json["events"] if e["type"] == "overdue"]
    assert overdue["note"].startswith("missed: first_response (due 2026-11-03T04:00:00+00:00, done ")
    assert re.fullmatch(r"超过时限：首次响应（时限 2026-11-03 04:00 UTC，完成于 \d{4}-\d\d-\d\d \d\d:\d\d UTC）、"
                        r"办结（时限 2026-11-04 02:00 UTC，完成于 \d{4}-\d\d-\d\d \d\d:\d\d UTC）", overdue["note_messages"]["zh-CN"]), overdue
