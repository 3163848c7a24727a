"""The scheduler as operations run it: `flask --app app guard scheduler`, one or two processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from guard.services.suppression import complaints
from guard.store import models as m
from guard.store.db import Store
from policies.loader import PackRegistry
from tests.conftest import PACKS, _truncate_all
from tests.e2e.servers import BIN, ROOT, GuardServer, cli, request


@pytest.fixture
def pg_url(request) -> str:
    url = request.getfixturevalue("pg_template_url")
    _truncate_all(url)
    return url


def _packs():
    registry = PackRegistry(PACKS, "cn-bank")
    registry.load()
    return registry.current


def _file_overdue(store: Store, packs, n: int, start: int) -> None:
    now = datetime.now(timezone.utc)
    for i in range(start, start + n):
        complaints.file(store, packs, complaints.NewComplaint(
            phone=f"+86138{i:08d}", customer_id=None, severity="light", received_at=now - timedelta(hours=3)), now, "test")


def _bulk_overdue(store: Store, n: int) -> None:
    """Many overdue complaints at once (so that one run takes long enough for two to collide)."""
    from guard.store import complaints as complaint_store
    from guard.store.ids import new_id

    now = datetime.now(timezone.utc)
    received = now - timedelta(hours=3)
    rows = [dict(id=new_id(now), phone_e164=f"+86139{i:08d}", customer_id=None, severity="light", category=None, text=None,
                 received_at=received, created_at=now, created_by="test", decision_id=None, pack_id="cn-bank", pack_version="2026.4",
                 first_response_due=received + timedelta(hours=2), resolution_due=received + timedelta(hours=24), escalation_due=None,
                 first_response_at=None, resolved_at=None, escalated_at=None, overdue_at=None, effects={}) for i in range(n)]
    with store.read() as conn:
        complaint_store.insert_complaints(conn, rows)


def _unhandled(store: Store) -> int:
    C = m.Complaint.__table__
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(C).where(C.c.escalated_at.is_(None))).scalar_one()


def _scheduler(url: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "GUARD_LOG_LEVEL": "WARNING"}
    return subprocess.Popen([str(BIN / "flask"), "--app", "app", "guard", "scheduler", "--interval", "0.05"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _runners(store: Store) -> set[str]:
    J = m.JobRun.__table__
    with store.read() as conn:
        return set(conn.execute(select(J.c.runner).where(J.c.job == "complaint_sla").distinct()).scalars())


@pytest.mark.e2e
def test_two_schedulers_on_postgresql_never_run_the_job_at_once_and_escalate_each_complaint_once(pg_url):
    store, packs = Store(pg_url), _packs()
    _bulk_overdue(store, 3000)
    procs = [_scheduler(pg_url), _scheduler(pg_url)]
    try:
        # More complaints fall overdue while both schedulers run.
        adder = threading.Thread(target=lambda: [(_file_overdue(store, packs, 10, 1000 + 10 * k), time.sleep(0.1)) for k in range(20)])
        adder.start()
        adder.join()
        # Let both keep running a while, then until every complaint is handled (a loaded machine is slower).
        time.sleep(2)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and (_unhandled(store) or len(_runners(store)) < 2):
            time.sleep(0.5)  # a scheduler slow to start on a loaded machine still gets its turns
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        outputs = [p.communicate(timeout=20) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    C, E, J = m.Complaint.__table__, m.ComplaintEvent.__table__, m.JobRun.__table__
    with store.read() as conn:
        filed = conn.execute(select(C.c.id, C.c.escalated_at, C.c.overdue_at)).all()
        events = conn.execute(select(E.c.complaint_id, E.c.type)).all()
        runs = conn.execute(select(J).where(J.c.job == "complaint_sla").order_by(J.c.started_at)).all()
    store.dispose()
    assert len(filed) == 3200 and all(r.escalated_at and r.overdue_at for r in filed)
    for kind in ("overdue", "escalated"):
        per = {}
        for cid, t in events:
            if t == kind:
                per[cid] = per.get(cid, 0) + 1
        assert set(per) == {r.id for r in filed} and set(per.values()) == {1}, kind
    assert sum(r.result["escalated"] for r in runs) == 3200
    assert len({r.runner for r in runs}) == 2, "both schedulers ran the job at some point"
    for a, b in pairwise(runs):
        assert a.finished_at <= b.started_at, "two runs overlapped"


@pytest.mark.e2e
def test_a_complaint_falls_overdue_and_the_scheduler_escalates_it(sqlite_url):
    env = {"DATABASE_URL": sqlite_url, "GUARD_LOG_LEVEL": "WARNING"}
    key = cli(env, "keys", "create", "--role", "operator").stdout.strip()
    server = GuardServer(env).start()
    try:
        received = (datetime.now(timezone.utc) - timedelta(hours=3)).isoformat()
        status, c = request(server.port, "POST", "/v1/complaints", {"phone": "13800138000", "severity": "light",
                                                                       "received_at": received}, key)
        assert status == 201 and c["status"] == "overdue" and c["escalated_at"] is None
        once = cli(env, "scheduler", "--once")
        assert once.returncode == 0 and '"escalated": 1' in once.stdout, once.stderr
        status, after = request(server.port, "GET", f"/v1/complaints/{c['id']}", None, key)
        assert status == 200 and after["escalated_at"] and after["overdue_at"]
        assert [e["type"] for e in after["events"]] == ["filed", "overdue", "escalated"]
        assert '"escalated": 0' in cli(env, "scheduler", "--once").stdout  # idempotent
    finally:
        server.stop()


def test_web_workers_never_start_the_scheduler(sqlite_url):
    code = "import sys, app; app.create_app(); print('apscheduler' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "DATABASE_URL": sqlite_url},
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "False", out.stderr
