"""Audits that die with their process, and audits cancelled: the heartbeat, the reaper (job, CLI),
and POST /v1/audits/{id}/cancel. Both stores."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bench.gen_calls import generate
from guard.services import audits
from guard.services.audits.liveness import AuditStopped, Liveness
from guard.services.ops.jobs import run_job
from guard.store import audits as audit_store
from tests.conftest import Clock, new_key
from tests.e2e.servers import cli

HOST = socket.gethostname()
LOG = ("call_id,phone,called_at,campaign,agent_id\n"
       "a1,13800138000,2026-11-23T10:15:00+08:00,dep-2026q4,A1\n"
       "a2,13800138000,2026-11-23T11:15:00+08:00,dep-2026q4,A1\n")


def dead_pid() -> int:
    proc = subprocess.Popen(["sleep", "0"])
    proc.wait()
    return proc.pid


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(GUARD_DATA_DIR=str(tmp_path / "data"))


@pytest.fixture
def client(app):
    c = app.test_client()
    c.auditor = new_key(app, "auditor")
    c.operator = new_key(app, "operator")
    return c


def upload_file(app, audit_id: str) -> Path:
    """An upload waiting in GUARD_DATA_DIR/audits, as POST /v1/audits leaves it."""
    path = app.extensions["guard"].settings.data_dir / "audits" / f"{audit_id}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(LOG, encoding="utf-8")
    return path


def running(rt, runner: str | None, heartbeat: datetime | None, created: datetime | None = None) -> str:
    audit_id = audits.create(rt.store, "call_log", "calls.csv", len(LOG), created or rt.clock(), "test")
    if runner is not None:
        assert audit_store.begin(rt.store, audit_id, runner, heartbeat)
    return audit_id


def status(rt, audit_id: str) -> dict:
    return audits.view(rt.store, audit_id)


def test_the_reaper_fails_stale_and_dead_audits_removes_their_uploads_and_leaves_live_ones(app):
    rt = app.extensions["guard"]
    now = rt.clock()
    stale = running(rt, "elsewhere:4242", now - timedelta(seconds=300))
    dead = running(rt, f"{HOST}:{dead_pid()}", now)  # beat just now, but its process is gone
    never = running(rt, None, None, created=now - timedelta(seconds=300))  # queued, never started
    alive = running(rt, f"{HOST}:{os.getpid()}", now - timedelta(seconds=60))  # within GUARD_AUDIT_STALE_AFTER (120 s)
    other_host = running(rt, "elsewhere:4243", now - timedelta(seconds=10))
    fresh_queued = running(rt, None, None)
    done = running(rt, "elsewhere:1", now - timedelta(days=1))
    audit_store.set_status(rt.store, done, status="done")
    files = {a: upload_file(app, a) for a in (stale, dead, never, alive, other_host, fresh_queued, done, "not-an-audit")}

    result = run_job(rt.store, "audit_reaper", rt.clock, settings=rt.settings)

    assert sorted(result["reaped"]) == sorted([stale, dead, never]) and result["checked"] == 6
    assert result["uploads_removed"] == 1 and not files[done].exists()  # an ended audit's leftover (reaped on another host)
    assert files["not-an-audit"].exists()  # not ours to judge
    for a in (stale, dead, never):
        view = status(rt, a)
        assert view["status"] == "failed" and view["finished_at"] and "upload the log again" in view["error"]
        assert not files[a].exists()
    assert "its process elsewhere:4242 stopped reporting at " + (now - timedelta(seconds=300)).isoformat() in status(rt, stale)["error"]
    assert f"its process {status(rt, dead)['runner']} is gone" in status(rt, dead)["error"]
    assert "no process started it" in status(rt, never)["error"]
    for a, s in ((alive, "running"), (other_host, "running"), (fresh_queued, "queued")):
        assert status(rt, a)["status"] == s and status(rt, a)["error"] is None and files[a].exists()
    assert status(rt, done)["status"] == "done"
    assert run_job(rt.store, "audit_reaper", rt.clock, settings=rt.settings)["reaped"] == []


def test_a_dead_cli_audit_is_reaped_with_the_advice_to_run_the_command_again(app):
    # `guard audit` reads its file itself (nothing was uploaded): what its user can do is run the command again.
    rt = app.extensions["guard"]
    now = rt.clock()
    from_cli = audits.create(rt.store, "call_log", "calls.csv", len(LOG), now, "cli")
    decisions = audits.create(rt.store, "decision_log", "decisions 2026-11-01 .. 2026-12-01", None, now, "cli")
    for a in (from_cli, decisions):
        assert audit_store.begin(rt.store, a, f"{HOST}:{dead_pid()}", now)
    assert sorted(run_job(rt.store, "audit_reaper", rt.clock, settings=rt.settings)["reaped"]) == sorted([from_cli, decisions])
    for a in (from_cli, decisions):
        error = status(rt, a)["error"]
        assert error.endswith("; run the command again") and "upload" not in error


def test_a_running_audit_records_its_process_and_beats(app):
    rt = app.extensions["guard"]
    clock = Clock(datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc))
    audit_id = running(rt, None, None)
    r = audits.run_call_log(rt.store, rt.packs(), audit_id, io.BytesIO(LOG.encode()), len(LOG), clock)
    view = status(rt, audit_id)
    assert r["calls_judged"] == 2 and view["status"] == "done"
    assert view["runner"] == f"{HOST}:{os.getpid()}" and view["heartbeat_at"] == clock.now.isoformat()
    # Between progress writes the heartbeat thread beats on its own.
    later = running(rt, None, None)
    assert audit_store.begin(rt.store, later, f"{HOST}:{os.getpid()}", clock())
    with Liveness(rt.store, later, clock, beat_every=0.05, poll_every=0.05) as live:
        clock.now += timedelta(minutes=7)
        deadline = time.monotonic() + 10
        while status(rt, later)["heartbeat_at"] != clock.now.isoformat():
            assert time.monotonic() < deadline, "no heartbeat"
            time.sleep(0.05)
        live.check()  # neither cancelled nor reaped: carries on
        # A reaper that fails it meanwhile makes it stop at its next progress point.
        with rt.store.locked() as conn:
            assert audit_store.mark_failed(conn, later, clock(), "test: reaped")
        deadline = time.monotonic() + 10
        while True:
            try:
                live.check()
            except AuditStopped as exc:
                assert exc.status == "failed"
                break
            assert time.monotonic() < deadline, "the audit did not notice it was reaped"
            time.sleep(0.05)


def test_the_scheduler_and_the_cli_run_the_reaper(app, store_url, tmp_path):
    rt = app.extensions["guard"]
    env = {"DATABASE_URL": store_url, "GUARD_LOG_LEVEL": "WARNING", "GUARD_AUTO_MIGRATE": "0",
           "GUARD_DATA_DIR": str(rt.settings.data_dir)}
    first = running(rt, f"{HOST}:{dead_pid()}", rt.clock())
    path = upload_file(app, first)
    r = cli(env, "scheduler", "--once")
    assert r.returncode == 0, r.stderr
    runs = {doc["job"]: doc for doc in map(json.loads, r.stdout.splitlines())}
    assert set(runs) == {"complaint_sla", "decision_chain", "audit_reaper", "idempotency_keys", "script_review"}
    assert runs["audit_reaper"]["result"]["reaped"] == [first] and not path.exists() and status(rt, first)["status"] == "failed"

    second = running(rt, "elsewhere:77", rt.clock() - timedelta(seconds=90))
    r = cli({**env, "GUARD_AUDIT_STALE_AFTER": "60"}, "audit", "--reap")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["reaped"] == [second]
    assert "stopped reporting" in status(rt, second)["error"] and "more than 60 s" in status(rt, second)["error"]
    assert json.loads(cli(env, "audit", "--reap").stdout)["reaped"] == []
    assert cli(env, "audit", "--reap", "--decisions").returncode == 2


# --- cancel -------------------------------------------------------------------------------------

def test_cancel_a_queued_audit(client, app):
    rt = app.extensions["guard"]
    audit_id = running(rt, None, None)
    path = upload_file(app, audit_id)
    r = client.post(f"/v1/audits/{audit_id}/cancel", headers=client.auditor)
    assert r.status_code == 200, r.json
    assert r.json["status"] == "cancelled" and r.json["cancel_requested_at"] and r.json["summary"] is None
    assert not path.exists()
    again = client.post(f"/v1/audits/{audit_id}/cancel", headers=client.auditor)
    assert again.status_code == 409 and again.json["error"]["code"] == "CONFLICT" and "cancelled already" in again.json["error"]["message"]
    assert client.get(f"/v1/audits/{audit_id}/report", headers=client.auditor).status_code == 409
    # The background thread that would have judged it finds it cancelled and judges nothing.
    with pytest.raises(AuditStopped):
        audits.run_call_log(rt.store, rt.packs(), audit_id, io.BytesIO(LOG.encode()), len(LOG), rt.clock)
    view = status(rt, audit_id)
    assert view["status"] == "cancelled" and view["started_at"] is None and view["progress"]["calls_judged"] == 0


def test_cancel_unknown_finished_and_forbidden(client, app):
    rt = app.extensions["guard"]
    assert client.post("/v1/audits/nope/cancel", headers=client.auditor).status_code == 404
    audit_id = running(rt, None, None)
    assert client.post(f"/v1/audits/{audit_id}/cancel", headers=client.operator).status_code == 403
    assert client.post(f"/v1/audits/{audit_id}/cancel").status_code == 401
    audits.run_call_log(rt.store, rt.packs(), audit_id, io.BytesIO(LOG.encode()), len(LOG), rt.clock)
    r = client.post(f"/v1/audits/{audit_id}/cancel", headers=client.auditor)
    assert r.status_code == 409 and r.json["error"]["details"] == {"status": "done"} and status(rt, audit_id)["status"] == "done"


@pytest.fixture(scope="module")
def big_log(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("logs") / "calls.csv"
    generate(300_000, path)
    return path.read_bytes()


def _post(client, url, **kwargs):
    """POST, again while the store answers 503 (busy: on SQLite the running audit's own writes may hold
    the write lock past a writer's bounded wait on a loaded machine; 503 means "try again")."""
    deadline = time.monotonic() + 30
    while True:
        r = client.post(url, **kwargs)
        if r.status_code != 503 or time.monotonic() > deadline:
            return r
        time.sleep(0.2)


def test_cancel_a_running_audit_over_http(client, app, big_log):
    rt = app.extensions["guard"]
    r = _post(client, "/v1/audits", data=big_log, content_type="text/csv", headers=client.auditor)
    assert r.status_code == 202
    audit_id = r.json["audit_id"]
    deadline = time.monotonic() + 30
    while (view := client.get(f"/v1/audits/{audit_id}", headers=client.auditor).json)["status"] == "queued":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert view["status"] == "running" and view["runner"] == f"{HOST}:{os.getpid()}"
    r = _post(client, f"/v1/audits/{audit_id}/cancel", headers=client.auditor)
    assert r.status_code == 202 and r.json["status"] == "running" and r.json["cancel_requested_at"]
    assert _post(client, f"/v1/audits/{audit_id}/cancel", headers=client.auditor).status_code == 409  # pending already
    deadline = time.monotonic() + 60
    while (view := client.get(f"/v1/audits/{audit_id}", headers=client.auditor).json)["status"] == "running":
        assert time.monotonic() < deadline, "the audit did not stop"
        time.sleep(0.05)
    assert view["status"] == "cancelled", view
    assert view["summary"] is None and view["finished_at"] and "cancelled on request" in view["error"]
    assert "incomplete" in view["error"] and view["progress"]["calls_judged"] < 300_000
    report = client.get(f"/v1/audits/{audit_id}/report", headers=client.auditor)
    assert report.status_code == 409 and report.json["error"]["details"]["status"] == "cancelled"
    assert not (rt.settings.data_dir / "audits" / f"{audit_id}.log").exists()
    assert client.post(f"/v1/audits/{audit_id}/cancel", headers=client.auditor).status_code == 409
