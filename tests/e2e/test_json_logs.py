"""GUARD_LOG_FORMAT=json under gunicorn: every line the server writes is one JSON object, gunicorn's own too."""

from __future__ import annotations

import json
import os
import signal
import time

import pytest

from tests.e2e.servers import GuardServer


@pytest.mark.e2e
def test_every_line_of_a_json_logging_server_is_one_json_object(tmp_path):
    """A log shipper reads the service's output line by line: gunicorn's start, a worker killed and replaced
    (the lines an on-call engineer alerts on) and its shutdown must arrive as JSON objects like the guard's own."""
    from guard.store.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'guard.db'}"
    upgrade(url)
    env = {"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_FORMAT": "json", "GUARD_LOG_LEVEL": "INFO",
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")}
    server = GuardServer(env, workers=2, threads=2).start()
    try:
        assert server.request("GET", "/healthz")[0] == 200
        before = server.workers()
        os.kill(min(before), signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (len(server.workers()) < 2 or server.workers() == before):
            time.sleep(0.1)
        assert server.workers() != before
    finally:
        server.stop()
    lines = server.log.read_text(encoding="utf-8").splitlines()
    not_json = []
    for line in lines:
        try:
            if not isinstance(json.loads(line), dict):
                not_json.append(line)
        except ValueError:
            not_json.append(line)
    assert not_json == []
    records = [json.loads(line) for line in lines]
    gunicorn = [r for r in records if r["logger"].startswith("gunicorn")]
    assert any("Listening at" in r["msg"] for r in gunicorn)
    assert any(r["level"] == "ERROR" and "SIGKILL" in r["msg"] for r in gunicorn), gunicorn


@pytest.mark.e2e
def test_the_scheduler_service_writes_json_lines_only(sqlite_url, tmp_path):
    """deploy/guard-scheduler.service runs `guard scheduler` with GUARD_LOG_FORMAT=json: its start line, and the one line
    it writes when the store cannot be reached (systemd restarts it every 5 s meanwhile), are JSON objects too."""
    import subprocess
    import sys
    from pathlib import Path

    from tests.e2e.servers import ROOT, cli
    from tests.pgserver import free_port

    env = {"DATABASE_URL": sqlite_url, "GUARD_LOG_FORMAT": "json", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "flask"), "--app", "app", "guard", "scheduler", "--interval", "60"],
                            cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stderr.readline()
    finally:
        proc.send_signal(signal.SIGTERM)
        out, rest = proc.communicate(timeout=60)
    assert proc.returncode == 0, rest
    record = json.loads(first)
    assert record["logger"] == "guard.scheduler" and "complaint_sla" in record["msg"]
    assert [json.loads(line) for line in rest.splitlines()] is not None

    down = cli({**env, "DATABASE_URL": f"postgresql://guard@127.0.0.1:{free_port()}/nowhere"}, "scheduler", "--once")
    assert down.returncode == 2
    lines = down.stderr.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["level"] == "ERROR" and record["msg"].startswith("store unavailable: ")
