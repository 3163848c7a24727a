"""Denied checks end their locks' transaction before writing their decision (PostgreSQL: `FactsReader.release_locks`).

Checked as an auditor would, while the sealer runs beside them: every decision answered is in the log and in the
chain exactly once, the chain verifies, the caps stay exact, a keyed retry of a denied check gets its first answer,
and a check whose decision cannot be written after its locks were let go answers 503 and leaves nothing behind.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, text

from guard.services import audits
from guard.services.ops.jobs import run_job, seal_all
from guard.store.chain import verify
from tests.conftest import new_key
from tests.pgserver import allow_decision_inserts, refuse_decision_inserts

AT = "2026-11-23T10:15:00+08:00"
BROKEN = "13800139999"  # its decision insert fails (a trigger raising, as a full disk or a revoked grant would)


def test_concurrent_denied_checks_are_each_logged_and_chained_once_while_the_sealer_runs(make_app, store_url):
    if not store_url.startswith("postgresql"):
        pytest.skip("SQLite keeps its write lock to the commit: no decision is written after its locks go")
    app = make_app(GUARD_ALLOW_CLIENT_TIME="1")
    rt = app.extensions["guard"]
    headers = new_key(app, "dialer", "operator")
    client = app.test_client()
    put = client.put("/v1/customers/HOT", json={"phones": ["13800138001", "13800138002"], "risk_level": "C3",
                                               "risk_assessed_at": "2026-10-01T00:00:00+08:00"}, headers=headers)
    assert put.status_code in (200, 201), put.json
    first = client.post("/v1/check", json={"phone": BROKEN, "campaign": "dep-2026q4", "at": AT}, headers=headers)
    assert first.json["allowed"] is True  # its next checks are denied (FREQ_CAP), so they let go of their locks first
    engine = create_engine(store_url)
    with engine.begin() as conn:
        refuse_decision_inserts(conn, BROKEN)

    def body(i: int) -> dict:
        phone = {0: "13800138001", 1: "13800138002", 2: f"1390013{i:04d}", 3: BROKEN}[i % 4]
        return {"phone": phone, "campaign": "dep-2026q4", "at": AT, **({"purpose": "service"} if i % 8 == 5 else {})}

    def one(i: int) -> tuple[int, int, dict]:
        if i >= 64:  # one denied request sent by eight dialer threads at once under one key: one decision, one answer
            r = app.test_client().post("/v1/check", json={"phone": "13800138001", "campaign": "dep-2026q4", "at": AT},
                                       headers={**headers, "Idempotency-Key": "twin"})
            return i, r.status_code, r.json
        keyed = {"Idempotency-Key": f"k{i}"} if i % 6 == 0 else {}
        r = app.test_client().post("/v1/check", json=body(i), headers={**headers, **keyed})
        if keyed and r.status_code == 200:
            again = app.test_client().post("/v1/check", json=body(i), headers={**headers, **keyed})
            assert again.headers.get("Idempotent-Replayed") == "true" and again.json == r.json
        return i, r.status_code, r.json

    stop = threading.Event()

    def sealer() -> None:
        while not stop.is_set():
            run_job(rt.store, "decision_chain", rt.clock)

    beside = threading.Thread(target=sealer)
    beside.start()
    try:
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(one, range(72)))
    finally:
        stop.set()
        beside.join()
        with engine.begin() as conn:  # the suite's other tests share this database
            allow_decision_inserts(conn)

    twins = [a for i, s, a in answers if i >= 64]
    assert len({a.get("decision_id") for a in twins}) == 1, twins
    answers = [x for x in answers if x[0] < 64]
    refused = [a for i, s, a in answers if i % 4 == 3]
    assert all(s == 503 for i, s, a in answers if i % 4 == 3), refused  # never an allow, never a 500
    answered = [a for i, s, a in answers if s == 200]
    assert len(answered) == 48
    # The hot customer's two numbers: one marketing call a day between them, however many dialers ask at once.
    hot = [a for i, s, a in answers if i % 4 in (0, 1) and s == 200]
    assert sum(a["allowed"] for a in hot if a["purpose"] == "marketing") + twins[0]["allowed"] == 1
    assert all(a["allowed"] for a in answered if a["purpose"] == "service" and a["customers"] == ["HOT"])

    assert seal_all(rt.store, rt.clock)["sealed"] >= 0
    report = verify(rt.store)
    assert report["ok"] and report["pending"] == 0, report["problems"]
    with engine.begin() as conn:
        logged = Counter(r[0] for r in conn.execute(text("SELECT id FROM decisions")))
        chained = Counter(r[0] for r in conn.execute(text("SELECT decision_id FROM decision_chain")))
        broken = conn.execute(text(f"SELECT count(*) FROM decisions WHERE phone_input = '{BROKEN}'")).scalar_one()
    engine.dispose()
    ids = {a["decision_id"] for a in answered} | {first.json["decision_id"], twins[0]["decision_id"]}
    assert len(ids) == 50 and set(logged) == ids and set(chained) == ids
    assert max(logged.values()) == 1 and max(chained.values()) == 1
    assert broken == 1  # the allowed check before the fault; nothing of the refused ones

    now = datetime(2026, 11, 23, 2, 15, tzinfo=timezone.utc)
    audit = audits.create(rt.store, "decision_log", "decisions", None, now, "test")
    summary = audits.audit_decision_log(rt.store, audit, now - timedelta(hours=1), now + timedelta(hours=1), rt.clock, rt.packs())
    assert summary["decisions_in_period"] == 50
    assert summary["decisions_denied"] == sum(not a["allowed"] for a in answered) + (not twins[0]["allowed"])
    assert summary["chains"]["intact"] is True
