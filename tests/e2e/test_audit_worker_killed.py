"""An audit whose gunicorn worker is killed mid-way does not stay `running` forever: the worker
gunicorn starts in its place fails it (its runner's pid is gone), with the reason, and deletes the upload."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import time

import pytest

from bench.gen_calls import generate
from tests.e2e.servers import GuardServer, cli


def _wait(server: GuardServer, key: str, audit_id: str, until, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        status, audit = server.request("GET", f"/v1/audits/{audit_id}", key=key)
        assert status == 200, audit
        if until(audit):
            return audit
        assert time.monotonic() < deadline, audit
        time.sleep(0.05)


@pytest.mark.e2e
@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_an_audit_whose_worker_is_killed_is_failed_with_the_reason_and_its_upload_removed(store, request, tmp_path):
    if store == "sqlite":
        url = request.getfixturevalue("sqlite_url")
    else:
        from tests.conftest import _truncate_all

        url = request.getfixturevalue("pg_template_url")
        _truncate_all(url)
    data = tmp_path / "data"
    env = {"DATABASE_URL": url, "GUARD_DATA_DIR": str(data), "GUARD_LOG_LEVEL": "WARNING", "GUARD_AUTO_MIGRATE": "0"}
    key = cli(env, "keys", "create", "--role", "auditor").stdout.strip()
    log = tmp_path / "calls.csv"
    generate(200_000, log)
    server = GuardServer(env, workers=1).start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        conn.request("POST", "/v1/audits", body=log.read_bytes(), headers={"Content-Type": "text/csv", "Authorization": f"Bearer {key}"})
        response = conn.getresponse()
        started = json.loads(response.read())
        conn.close()
        assert response.status == 202, started
        audit_id = started["audit_id"]
        audit = _wait(server, key, audit_id, lambda a: a["status"] != "queued")
        assert audit["status"] == "running", audit
        host, _, pid = audit["runner"].rpartition(":")
        assert host == socket.gethostname() and int(pid) in server.workers()
        upload = data / "audits" / f"{audit_id}.log"
        assert upload.exists()

        os.kill(int(pid), signal.SIGKILL)
        audit = _wait(server, key, audit_id, lambda a: a["status"] != "running")

        assert audit["status"] == "failed" and audit["summary"] is None and audit["finished_at"]
        assert f"its process {audit['runner']} is gone" in audit["error"] and "upload the log again" in audit["error"]
        assert not upload.exists()
        assert int(pid) not in server.workers()  # the worker that failed it is the new one
        r = cli(env, "audit", "--reap")
        assert r.returncode == 0 and json.loads(r.stdout)["reaped"] == []
    finally:
        server.stop()
