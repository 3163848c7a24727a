"""A body sent in chunks (Transfer-Encoding: chunked, no Content-Length) is held to GUARD_MAX_BODY_BYTES as one
with a Content-Length is: real gunicorn, which hands the app a stream whose end only the chunks tell."""

from __future__ import annotations

import http.client
import json

import pytest

from tests.e2e.servers import GuardServer, cli

pytestmark = pytest.mark.e2e

LIMIT = 4096


@pytest.fixture(scope="module")
def server(tmp_path_factory, sqlite_template):
    import shutil

    target = tmp_path_factory.mktemp("chunked") / "guard.db"
    shutil.copyfile(sqlite_template, target)
    env = {"DATABASE_URL": f"sqlite:///{target}", "GUARD_AUTO_MIGRATE": "0", "GUARD_MAX_BODY_BYTES": str(LIMIT)}
    s = GuardServer(env, workers=1, threads=2).start()
    s.key = cli(env, "keys", "create", "--role", "dialer").stdout.strip()
    yield s
    s.stop()


def _post_chunked(server, path: str, body: bytes) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        chunks = (body[i:i + 1000] for i in range(0, len(body), 1000))
        conn.request("POST", path, body=chunks, encode_chunked=True,
                     headers={"Authorization": f"Bearer {server.key}", "Content-Type": "application/json"})
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
