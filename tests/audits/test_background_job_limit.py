"""GUARD_MAX_BACKGROUND_JOBS: audits and simulations queued or running at once are bounded.

Each runs in a thread of the worker that took it, beside the checks. Unbounded, five 30,000-row audits started at
once on one SQLite-backed gunicorn (2 workers, 2 CPUs) made half the dialers' checks 503 (do not dial) and failed
audits with `database is locked`; twenty took the checks' p99 from 12 ms to a second. One start over the limit is
refused (429 JOBS_BUSY with Retry-After, RFC 9110 §10.2.3 and RFC 6585 §4), and nothing is left behind."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from guard.services import audits
from guard.store import audits as audit_store
from tests.conftest import new_key

LOG = "call_id,phone,called_at,campaign\na1,13800138000,2026-11-23T10:15:00+08:00,dep-2026q4\n"
DRAFT = (Path(__file__).resolve().parents[2] / "policies" / "packs" / "cn-bank-2026.4.yaml").read_text(encoding="utf-8")


@pytest.fixture
def app(sqlite_url, tmp_path):
    from app import create_app

    app = create_app({"DATABASE_URL": sqlite_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "WARNING",
                      "GUARD_MAX_BACKGROUND_JOBS": "1", "GUARD_DATA_DIR": str(tmp_path / "data")})
    yield app
    import threading

    for thread in threading.enumerate():  # an audit started here finishes before its store goes away
        if thread.name.startswith("audit-"):
            thread.join(30)
    app.extensions["guard"].store.dispose()


def _running(rt, runner: str) -> str:
    """An audit held `running` by process `runner` (as a worker busy judging a long log leaves it)."""
    audit_id = audits.create(rt.store, "call_log", "calls.csv", len(LOG), rt.clock(), "test")
    audit_store.begin(rt.store, audit_id, runner, rt.clock())
    return audit_id


def test_an_audit_or_simulation_over_the_limit_is_refused_with_retry_after_and_nothing_is_started(app):
    rt = app.extensions["guard"]
    busy = _running(rt, f"{socket.gethostname()}:1")  # pid 1 lives: the job is really running
    client, key = app.test_client(), new_key(app, "auditor")
    before = len(audit_store.recent(rt.store, 100)) + len(audit_store.recent(rt.store, 100, "simulation"))

    r = client.post("/v1/audits", data=LOG, headers={**key, "Content-Type": "text/csv"})
    assert r.status_code == 429, r.get_json()
    assert r.headers["Retry-After"] == "30"
    error = r.get_json()["error"]
    assert error["code"] == "JOBS_BUSY" and "GUARD_MAX_BACKGROUND_JOBS" in error["message"]
    assert error["details"]["limit"] == 1 and [b["id"] for b in error["details"]["busy"]] == [busy]

    r = client.post("/v1/simulations", json={"draft": DRAFT, "draft_name": "cn-bank-2026.4.yaml", "against": "calls", "calls": LOG},
                    headers=key)
    assert r.status_code == 429 and r.get_json()["error"]["code"] == "JOBS_BUSY" and r.headers["Retry-After"] == "30"

    after = len(audit_store.recent(rt.store, 100)) + len(audit_store.recent(rt.store, 100, "simulation"))
    assert after == before  # no row left queued
    assert not list(rt.settings.data_dir.glob("audits/*.log"))  # no upload kept


def test_a_job_whose_process_died_does_not_hold_its_place(app):
    rt = app.extensions["guard"]
    proc = subprocess.Popen(["sleep", "0"])
    proc.wait()
    dead = _running(rt, f"{socket.gethostname()}:{proc.pid}")  # the worker was killed mid-audit

    r = app.test_client().post("/v1/audits", data=LOG, headers={**new_key(app, "auditor"), "Content-Type": "text/csv"})
    assert r.status_code == 202, r.get_json()
    gone = audits.view(rt.store, dead)
    assert gone["status"] == "failed" and "is gone" in gone["error"]


def test_an_audit_shows_rows_read_and_calls_judged_while_it_runs_not_only_at_its_end(app, tmp_path):
    """`GET /v1/audits/{id}` read 0 rows for the whole reading of a 1.5-million-row log and 0 calls judged until it ended."""
    from bench.gen_calls import generate
    from guard.services.audits.runner import Auditor

    rt = app.extensions["guard"]
    log = tmp_path / "calls.csv"
    generate(2500, log)
    audit_id = audits.create(rt.store, "call_log", "calls.csv", log.stat().st_size, rt.clock(), "test")
    seen: list[tuple[str, int, int]] = []  # (stage, rows read, calls judged) as a follower reads them from the store

    def follow(progress) -> None:
        stored = audits.view(rt.store, audit_id)["progress"]
        seen.append((progress.stage, stored["rows_done"], stored["calls_judged"]))

    with log.open("rb") as handle:
        summary = Auditor(rt.store, rt.packs(), audit_id, follow, progress_every=0.0).run(handle, log.stat().st_size)
    assert ("reading", 2000, 0) in seen
    assert any(stage == "judging" and 0 < judged < summary["calls_judged"] for stage, _, judged in seen), seen


def test_a_simulation_whose_worker_died_is_failed_asking_to_start_it_again_not_to_upload_a_log(app):
    rt = app.extensions["guard"]
    proc = subprocess.Popen(["sleep", "0"])
    proc.wait()
    sim_id = audits.create(rt.store, "simulation", "cn-bank-2026.5.yaml", None, rt.clock(), "test")
    audit_store.begin(rt.store, sim_id, f"{socket.gethostname()}:{proc.pid}", rt.clock())

    assert audits.reap_now(rt.store, rt.clock, 120, rt.settings.data_dir)["reaped"] == [sim_id]
    error = audits.view(rt.store, sim_id)["error"]
    assert error.endswith("start the simulation again") and "upload" not in error
