"""Call logs in GBK / GB18030 / Big5 are audited like UTF-8 ones (the same violations, the
transcripts' lint codes included), over HTTP (both stores) and the CLI; the encoding used is
recorded; a log whose encoding cannot be told, or that does not decode, fails loudly."""

from __future__ import annotations

import io
import json
import random

import pytest

from tests.audits.test_audits_api import wait_done
from tests.conftest import new_key
from tests.e2e.servers import cli

HEADER = "call_id,phone,called_at,campaign,agent_id,disposition,decision_id,transcript\n"
# Simplified (mainland) transcripts: GBK / GB18030 / UTF-8 hold them, Big5 does not.
SIMPLIFIED = HEADER + (
    "s1,13800138000,2026-11-23T10:15:00+08:00,wm-2026q4,A1,answered,,您好，我是银行的客户经理。这款理财保本保息，零风险\n"
    "s2,13900139000,2026-11-23T10:20:00+08:00,wm-2026q4,A2,answered,,我们这个产品预期年化收益百分之八，过往业绩很好，名额有限，今天是最后一天\n"
    "s3,13700137000,2026-11-23T22:15:00+08:00,dep-2026q4,A1,answered,,\n"
    "s4,13600136000,2026-11-23T11:00:00+08:00,dep-2026q4,A3,answered,,嗯，好的，谢谢，再见。\n"
    "s5,13500135000,2026-11-23T11:05:00+08:00,wm-2026q4,A3,answered,,阿姨您放心，这个产品稳赚不赔，机会难得，错过就没有了\n"
)
# Traditional (Taiwan / Hong Kong) transcripts: every encoding here holds them.
TRADITIONAL = HEADER + (
    "t1,13800138000,2026-11-23T10:15:00+08:00,wm-2026q4,A1,answered,,您好，這款理財保本保息，零風險，保證收益\n"
    "t2,13900139000,2026-11-23T10:20:00+08:00,wm-2026q4,A2,answered,,我們這個產品預期年化收益百分之八，過往業績很好，名額有限，今天是最後一天\n"
    "t3,13700137000,2026-11-23T22:15:00+08:00,dep-2026q4,A1,answered,,\n"
    "t4,13600136000,2026-11-23T11:00:00+08:00,dep-2026q4,A3,answered,,嗯，好的，謝謝，再見。\n"
)
ENCODINGS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "gbk": "gb18030", "gb18030": "gb18030", "big5": "big5hkscs"}
LINT = {"BANNED_PHRASE", "MISLEADING", "PRESSURE"}


def cases():
    for log_name, log in (("simplified", SIMPLIFIED), ("traditional", TRADITIONAL)):
        for enc in ENCODINGS:
            if log is SIMPLIFIED and enc == "big5":
                continue
            yield pytest.param(log, enc, id=f"{log_name}-{enc}")


def by_call(violations) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for v in violations:
        out.setdefault(v["call_id"], set()).add(v["code"])
    return out


@pytest.fixture
def client(make_app, tmp_path):
    app = make_app(GUARD_DATA_DIR=str(tmp_path / "data"))
    c = app.test_client()
    c.auditor = new_key(app, "auditor")
    return c


def upload(client, data: bytes, name: str = "calls.csv", query: str = "", **form) -> tuple[int, dict]:
    r = client.post(f"/v1/audits{query}", data={"file": (io.BytesIO(data), name), **form}, headers=client.auditor)
    return r.status_code, r.json


def audited(client, data: bytes, **kw) -> tuple[dict, dict[str, set[str]]]:
    status, body = upload(client, data, **kw)
    assert status == 202, body
    audit = wait_done(client, body["audit_id"])
    assert audit["status"] == "done", audit
    page = client.get(f"/v1/audits/{audit['audit_id']}/violations?limit=10000", headers=client.auditor).json
    return audit, by_call(page["violations"])


@pytest.mark.parametrize("log,enc", list(cases()))
def test_the_same_violations_in_every_encoding_over_http(client, log, enc):
    reference, want = audited(client, log.encode("utf-8"))
    first = log.splitlines()[1].split(",")[0][0]  # s… or t…
    # the transcripts' lint codes are among them (so a lost transcript would show)
    assert "BANNED_PHRASE" in want[f"{first}1"] and "MISLEADING" in want[f"{first}2"] and "PRESSURE" in want[f"{first}2"]
    assert not want[f"{first}4"] & LINT and "QUIET_HOURS" in want[f"{first}3"]
    audit, got = audited(client, log.encode(enc))
    assert got == want
    assert audit["encoding"] == ENCODINGS[enc] and reference["encoding"] == "utf-8"
    assert audit["summary"]["rows_rejected"] == 0 and audit["rejected_rows"] == []
    report = client.get(f"/v1/audits/{audit['audit_id']}/report", headers=client.auditor).get_data(as_text=True)
    assert f"read as {'UTF-8' if enc.startswith('utf') else 'GB18030' if enc.startswith('gb') else 'Big5-HKSCS'}" in report


def test_a_character_only_gb18030_has_is_read_right(client):
    # '€' (A2E3) and '𠀀' (four bytes, 95 32 82 36) are in GB18030 but not in GBK
    log = SIMPLIFIED.replace("s5,13500135000,2026-11-23T11:05:00+08:00,wm-2026q4,A3,", "s5,13500135000,2026-11-23T11:05:00+08:00,wm-2026q4,王𠀀€,")
    audit, got = audited(client, log.encode("gb18030"))
    assert audit["encoding"] == "gb18030" and audit["summary"]["rows_rejected"] == 0
    agents = {v["agent_id"] for v in client.get(f"/v1/audits/{audit['audit_id']}/violations?code=PRESSURE",
                                                headers=client.auditor).json["violations"]}
    assert "王𠀀€" in agents


def test_an_explicit_encoding_wins_and_is_validated(client):
    data = TRADITIONAL.encode("big5")
    _, want = audited(client, TRADITIONAL.encode("utf-8"))
    for kw in ({"query": "?encoding=big5"}, {"encoding": "BIG5"}, {"query": "?encoding=cp950"}):
        audit, got = audited(client, data, **kw)
        assert got == want and audit["encoding"] in ("big5hkscs", "cp950")
    # the Content-Type's charset, on a raw body
    r = client.post("/v1/audits", data=SIMPLIFIED.encode("gbk"), content_type="text/csv; charset=GBK", headers=client.auditor)
    assert r.status_code == 202 and wait_done(client, r.json["audit_id"])["encoding"] == "gb18030"
    # an unknown name is refused at once, naming the field
    status, body = upload(client, data, query="?encoding=klingon")
    assert status == 400 and body["error"]["details"][0]["field"] == "encoding" and "klingon" in body["error"]["message"]
    status, body = upload(client, data, encoding="base64")
    assert status == 400 and body["error"]["details"][0]["field"] == "encoding"
    r = client.post("/v1/audits", data=data, content_type="text/csv; charset=nope", headers=client.auditor)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "charset"


def test_a_log_read_in_the_wrong_encoding_fails_instead_of_losing_rows(client):
    # The case: GBK read as UTF-8 lost every Chinese row without a word. Named wrongly now,
    # the rows that do not decode are more than 1%: the audit fails and says why.
    status, body = upload(client, SIMPLIFIED.encode("gbk"), query="?encoding=utf-8")
    assert status == 202
    audit = wait_done(client, body["audit_id"])
    assert audit["status"] == "failed" and audit["summary"] is None
    assert "4 of the log's 5 rows are not valid UTF-8" in audit["error"] and "encoding" in audit["error"]


def test_a_few_undecodable_rows_are_rejected_one_by_one(client):
    rows = [f"r{i},138{i:08d},2026-11-23T10:{i % 60:02d}:00+08:00,dep-2026q4,A1,answered,,您好\n" for i in range(150)]
    data = (HEADER + "".join(rows)).encode("gbk").replace("r7,".encode() + b"138", b"r7,\xff138")  # one corrupt row
    audit, _ = audited(client, data)
    assert audit["encoding"] == "gb18030"
    assert [(r["line"], r["reason"]) for r in audit["rejected_rows"]] == [(9, "not valid GB18030")]


@pytest.mark.parametrize("data", [
    pytest.param(HEADER.encode() + random.Random(7).randbytes(4000), id="random-bytes"),
    pytest.param((HEADER + "j1,13800138000,2026-11-23T10:15:00+08:00,dep-2026q4,A1,answered,,お客様、この商品は元本保証です。"
                  "今日が最後のチャンスです。\n").encode("shift_jis"), id="shift-jis"),
    pytest.param((HEADER + "u1,13800138000,2026-11-23T10:15:00+08:00,dep-2026q4,A1,answered,,这款理财保本保息\n").encode("utf-16-le"),
                 id="utf-16-without-bom"),
])
def test_a_log_no_supported_encoding_reads_is_refused_at_once(client, data):
    status, body = upload(client, data)
    assert status == 400 and body["error"]["details"][0]["field"] == "file"
    assert "--encoding" in body["error"]["message"] and "?encoding=" in body["error"]["message"]
    listed = client.get("/v1/audits", headers=client.auditor).json["audits"]
    assert listed[0]["status"] == "failed" and listed[0]["error"] == body["error"]["message"]


def test_json_lines_in_gbk_are_detected_too(client):
    lines = "".join(json.dumps({"call_id": f"j{i}", "phone": "13800138000", "called_at": f"2026-11-2{3 + i}T10:00:00+08:00",
                                "campaign": "wm-2026q4", "transcript": "您好，这款理财保本保息，零风险"}, ensure_ascii=False) + "\n"
                    for i in range(3))
    r = client.post("/v1/audits", data=lines.encode("gbk"), content_type="application/x-ndjson", headers=client.auditor)
    audit = wait_done(client, r.json["audit_id"])
    assert audit["status"] == "done" and audit["encoding"] == "gb18030" and audit["summary"]["calls_judged"] == 3
    assert audit["summary"]["by_code"]["BANNED_PHRASE"] >= 3


# --- the CLI ------------------------------------------------------------------------------------

@pytest.fixture
def env(sqlite_url, tmp_path):
    return {"DATABASE_URL": sqlite_url, "GUARD_LOG_LEVEL": "WARNING", "GUARD_DATA_DIR": str(tmp_path / "data")}


def cli_codes(env, path, *args) -> tuple[dict[str, set[str]], dict, str]:
    r = cli(env, "audit", str(path), *args)
    assert r.returncode == 1, r.stderr  # violations found
    doc = json.loads(r.stdout)
    return by_call(doc["violations"]), doc["audit"], r.stderr


def test_the_cli_finds_the_same_violations_in_every_encoding(env, tmp_path):
    path = tmp_path / "calls.csv"
    path.write_bytes(TRADITIONAL.encode("utf-8"))
    want, _, _ = cli_codes(env, path)
    assert "BANNED_PHRASE" in want["t1"] and {"MISLEADING", "PRESSURE"} <= want["t2"]
    for enc in ("utf-8-sig", "gbk", "gb18030", "big5"):
        path.write_bytes(TRADITIONAL.encode(enc))
        got, audit, stderr = cli_codes(env, path)
        assert got == want, enc
        assert audit["encoding"] == ENCODINGS[enc] and audit["summary"]["rows_rejected"] == 0
        label = {"utf-8": "UTF-8", "gb18030": "GB18030", "big5hkscs": "Big5-HKSCS"}[ENCODINGS[enc]]
        assert f"read as {label}" in stderr
    path.write_bytes(SIMPLIFIED.encode("gbk"))
    got, audit, _ = cli_codes(env, path, "--encoding", "GBK")
    assert audit["encoding"] == "gb18030" and "BANNED_PHRASE" in got["s1"] and "PRESSURE" in got["s5"]


def test_the_cli_exits_2_on_a_log_it_cannot_decode(env, tmp_path):
    path = tmp_path / "calls.csv"
    path.write_bytes(HEADER.encode() + random.Random(7).randbytes(4000))
    r = cli(env, "audit", str(path))
    assert r.returncode == 2 and "--encoding" in r.stderr and r.stdout == ""
    path.write_bytes(SIMPLIFIED.encode("gbk"))
    r = cli(env, "audit", str(path), "--encoding", "utf-8")  # the case, named wrongly: fails, not "0 violations"
    assert r.returncode == 2 and "rows are not valid UTF-8" in r.stderr
    r = cli(env, "audit", str(path), "--encoding", "klingon")
    assert r.returncode == 2 and "--encoding" in r.stderr and "klingon" in r.stderr


def test_a_record_spanning_lines_is_reported_at_the_line_it_starts_on(client):
    # Transcripts exported with their line breaks: a record runs over several physical lines.
    data = (HEADER
            + 'm1,13800138000,2026-11-23T10:15:00+08:00,wm-2026q4,A1,answered,,"您好。\n这款理财保本保息"\n'  # lines 2-3
            + 'm2,13900139000,not a time,wm-2026q4,A2,answered,,"第一行\r\n第二行\r\n第三行"\n'  # lines 4-6
            + "m3,13700137000,2026-11-23T10:20:00+08:00,wm-2026q4,A3,answered,,零风险\n").encode()  # line 7
    audit, _ = audited(client, data)
    assert [(r["line"], r["reason"][:10]) for r in audit["rejected_rows"]] == [(4, "called_at:")]
    page = client.get(f"/v1/audits/{audit['audit_id']}/violations?limit=10000", headers=client.auditor).json["violations"]
    lines = {v["call_id"]: v["line"] for v in page if v["code"] == "BANNED_PHRASE"}
    assert lines == {"m1": 2, "m3": 7}
    # The lines a refused log names are where its undecodable records start.
    bad = (HEADER.encode()
           + 'u1,13800138000,2026-11-23T10:15:00+08:00,wm-2026q4,A1,answered,,"ok\n\xff"\n'.encode("latin-1")  # lines 2-3
           + 'u2,13900139000,2026-11-23T10:16:00+08:00,wm-2026q4,A1,answered,,"ok\n\xfe"\n'.encode("latin-1"))  # lines 4-5
    status, body = upload(client, bad, query="?encoding=utf-8")
    assert status == 202
    failed = wait_done(client, body["audit_id"])
    assert failed["status"] == "failed" and "not valid UTF-8 text (lines 2, 4)" in failed["error"], failed["error"]


@pytest.mark.parametrize("codec, header, told", [
    ("gbk", "呼叫ID,手机号码,called_at,campaign", "gb18030"),
    ("big5", "呼叫ID,手機號碼,called_at,campaign", "big5hkscs"),
    ("gbk", "call_id,号码,called_at,campaign", "gb18030"),
])
def test_a_log_whose_only_chinese_is_its_header_is_read_in_the_encoding_its_header_names_columns_in(client, codec, header, told):
    # A dialer's export with Chinese column names over rows of ASCII has too little Chinese to tell GB18030 from Big5 by
    # its characters, and the log was refused asking for the encoding (the list imports already read such a header);
    # the header names the call log's columns in one reading only, and that tells it.
    data = (header + "\r\nh1,13800138000,2026-11-23T22:15:00+08:00,dep-2026q4\r\n").encode(codec)
    audit, got = audited(client, data)
    assert audit["encoding"] == told and audit["summary"]["calls_judged"] == 1 and "QUIET_HOURS" in got["h1"]
    # a header whose Chinese names no column tells nothing: still refused, asking for the encoding
    status, body = upload(client, ("call_id,phone,called_at,campaign,甲\r\nh1,13800138000,2026-11-23T10:15:00+08:00,"
                                   "dep-2026q4,x\r\n").encode(codec))
    assert status == 400 and "name the encoding" in body["error"]["message"], body
