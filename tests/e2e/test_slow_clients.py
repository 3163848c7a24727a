"""Stalled clients cannot starve a worker: real gunicorn, one worker with two threads, GUARD_CLIENT_TIMEOUT=1."""

from __future__ import annotations

import socket
import time

import pytest

from tests.e2e.servers import GuardServer, cli

pytestmark = pytest.mark.e2e


@pytest.fixture
def server(sqlite_url: str):
    env = {"DATABASE_URL": sqlite_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_CLIENT_TIMEOUT": "1", "GUARD_ALLOW_CLIENT_TIME": "1"}
    s = GuardServer(env, workers=1, threads=2).start()
    s.key = cli(env, "keys", "create", "--role", "dialer", "--role", "auditor").stdout.strip()
    yield s
    s.stop()


def _read_all(sock: socket.socket, limit: float) -> tuple[float, bytes]:
    started = time.monotonic()
    sock.settimeout(limit)
    data = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            return time.monotonic() - started, data
        data += chunk


def test_clients_stalled_in_headers_or_body_are_cut_off_and_others_are_served(server):
    stalled = []
    for _ in range(3):  # more stalled clients than the worker has threads
        c = socket.create_connection((server.host, server.port))
        c.sendall(b"POST /v1/check HTTP/1.1\r\nHost: guard\r\nX-Half: ")
        stalled.append(("headers", c))
    for _ in range(3):
        c = socket.create_connection((server.host, server.port))
        c.sendall(b"POST /v1/check HTTP/1.1\r\nHost: guard\r\nContent-Type: application/json\r\nContent-Length: 200\r\n"
                  b"Authorization: Bearer " + server.key.encode() + b"\r\n\r\n{\"phone\": \"138")
        stalled.append(("body", c))
    time.sleep(0.2)
    started = time.monotonic()
    status, body = server.request("POST", "/v1/check", {"phone": "13800138000", "campaign": "dep-2026q4",
                                                         "at": "2026-11-23T10:15:00+08:00"}, server.key)
    waited = time.monotonic() - started
    assert status == 200 and body["allowed"] is True
    # Six stalls of one second each on two threads: served within a few seconds, not never.
    assert waited < 6, f"a normal check waited {waited:.1f} s behind stalled clients"
    for kind, c in stalled:
        try:
            took, data = _read_all(c, 10)
        finally:
            c.close()
        if kind == "headers":
            assert data == b"", data  # dropped: nothing to answer yet
        else:
            assert data.startswith(b"HTTP/1.1 408"), data[:80]
            assert b"REQUEST_TIMEOUT" in data
    log = server.log.read_text(errors="replace")
    assert "client stalled for 1s mid-request" in log and "Traceback" not in log
    # Nothing was decided for the stalled checks: one decision, the normal one.
    status, found = server.request("GET", "/v1/decisions?phone=13800138000", None, server.key)
    assert status == 200 and len(found["decisions"]) == 1 and found["decisions"][0]["decision_id"] == body["decision_id"]
