"""A body sent in chunks (Transfer-Encoding: chunked, no Content-Length) is held to GUARD_MAX_BODY_BYTES as one
with a Content-Length is: real gunicorn, which hands the app a stream whose end only the chunks tell."""

from __future__ import annotations

import http.client
import json

import pytest

from tests.e2e.servers import GuardServer, cli

pytestmark = pytest.mark.e2e

LIMIT = 4096
UPLOAD_LIMIT = 8192


@pytest.fixture(scope="module")
def server(tmp_path_factory, sqlite_template):
    import shutil

    target = tmp_path_factory.mktemp("chunked") / "guard.db"
    shutil.copyfile(sqlite_template, target)
    env = {"DATABASE_URL": f"sqlite:///{target}", "GUARD_AUTO_MIGRATE": "0", "GUARD_MAX_BODY_BYTES": str(LIMIT),
           "GUARD_MAX_UPLOAD_BYTES": str(UPLOAD_LIMIT), "GUARD_DATA_DIR": str(target.parent / "data")}
    s = GuardServer(env, workers=1, threads=2).start()
    s.key = cli(env, "keys", "create", "--role", "dialer", "--role", "auditor").stdout.strip()
    s.data_dir = target.parent / "data"
    yield s
    s.stop()


def _post_chunked(server, path: str, body: bytes, content_type: str = "application/json") -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        chunks = (body[i:i + 1000] for i in range(0, len(body), 1000))
        conn.request("POST", path, body=chunks, encode_chunked=True,
                     headers={"Authorization": f"Bearer {server.key}", "Content-Type": content_type})
        r = conn.getresponse()
        return r.status, json.loads(r.read() or b"null")
    finally:
        conn.close()


def _batch(n: int) -> bytes:
    return json.dumps({"campaign": "dep-2026q4", "phones": [f"1380013{i:04d}" for i in range(n)]}).encode()


def test_a_chunked_body_within_the_limit_is_read_whole(server):
    status, answer = _post_chunked(server, "/v1/check/batch", _batch(10))
    assert status == 200, answer
    assert len(answer["results"]) == 10


def test_a_chunked_body_over_the_limit_is_413_not_a_truncated_body(server):
    # It was read up to the limit and parsed: a 400 "Unterminated string" about text the client never sent.
    body = _batch(400)
    assert len(body) > LIMIT
    status, answer = _post_chunked(server, "/v1/check/batch", body)
    assert status == 413, answer
    assert answer["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert answer["error"]["details"][0]["field"] == "(body)"


def test_a_chunked_body_whose_first_bytes_parse_is_still_413(server):
    # Cut at the limit, a request followed by padding read as valid JSON and was judged (200), while the very same
    # bytes with a Content-Length are refused as too large.
    body = _batch(1) + b" " * (2 * LIMIT)
    status, answer = _post_chunked(server, "/v1/check/batch", body)
    assert status == 413, answer
    assert answer["error"]["code"] == "PAYLOAD_TOO_LARGE"


def test_a_chunked_body_of_exactly_the_limit_is_accepted(server):
    body = _batch(1)
    body += b" " * (LIMIT - len(body))
    assert len(body) == LIMIT
    status, answer = _post_chunked(server, "/v1/check/batch", body)
    assert status == 200, answer


def test_a_chunked_call_log_over_the_upload_limit_leaves_no_audit_waiting_and_no_file(server):
    # The 413 came while the log was being saved: the audit stayed `queued` (for the reaper to find, if a scheduler
    # runs), and the part of the log read so far, personal data, stayed on disk.
    log = "call_id,phone,called_at,campaign\n" + "".join(
        f"c{i},1390000{i:04d},2026-11-23T10:15:00+08:00,dep-2026q4\n" for i in range(400))
    assert len(log) > UPLOAD_LIMIT
    status, answer = _post_chunked(server, "/v1/audits", log.encode(), "text/csv")
    assert status == 413, answer
    assert answer["error"]["code"] == "PAYLOAD_TOO_LARGE"
    status, listed = server.request("GET", "/v1/audits", key=server.key)
    assert status == 200
    assert [a for a in listed["audits"] if a["status"] in ("queued", "running")] == [], listed
    assert [a["error"] for a in listed["audits"]] == [f"the upload is larger than {UPLOAD_LIMIT} bytes"], listed
    assert list((server.data_dir / "audits").glob("*")) == []


def _raw(server, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are (http.client refuses to send what these tests send) and read the whole answer."""
    import socket

    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


@pytest.mark.parametrize("request_bytes,status", [
    # a control character in a header value (RFC 9110 5.5: field values carry no CTLs but HTAB)
    (b"POST /v1/check HTTP/1.1\r\nHost: x\r\nX-Dialer: a\x01b\r\nContent-Length: 0\r\n\r\n", 400),
    (b"GET /v1/check HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400),  # a request line that is not one
    (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),  # past gunicorn.conf.py's limit_request_line
    (b"GET /v1/check HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 9000 + b"\r\n\r\n", 431),  # a header past the field limit
])
def test_a_request_gunicorn_cannot_read_is_answered_in_the_apis_json_not_html(server, request_bytes, status):
    # SPEC §3: every error body is {"error": {"code", "message", "details"}}. gunicorn answers these itself, before the
    # application sees them, and wrote an HTML page (Content-Type: text/html) that a dialer's JSON client fails on.
    got, headers, body = _raw(server, request_bytes)
    assert got == status
    assert headers["content-type"] == "application/json" and int(headers["content-length"]) == len(body)
    error = json.loads(body)["error"]
    assert error["code"] == "BAD_REQUEST" and error["message"] and error["details"] is None
    assert set(error["messages"]) == {"zh-CN", "zh-TW", "en"} and "请求有误" in error["messages"]["zh-CN"]
