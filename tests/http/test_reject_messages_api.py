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


def test_an_audits_rejected_row_reads_in_chinese(client):
    log = ("call_id,phone,called_at,campaign\n1,13800138000,2026-11-20T10:00:00+08:00,dep-2026q4\n"
           "2,13800138000,2026-11-20T24:01:00+08:00,dep-2026q4\n")
    audit_id = _post(client, "/v1/audits", log)["audit_id"]
    for _ in range(200):
        audit = client.get(f"/v1/audits/{audit_id}", headers=client.keys).json
        if audit["status"] in ("done", "failed"):
            break
        time.sleep(0.02)
    reject, = audit["rejected_rows"]
    assert reject["reason_messages"]["zh-CN"] == "called_at：'2026-11-20T24:01:00+08:00' 不是带 UTC 偏移的 ISO 8601 日期时间"
