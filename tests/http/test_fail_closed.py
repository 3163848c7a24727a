"""When the guard cannot decide, it says so loudly: 503 in the error shape, never an allow."""

from __future__ import annotations

import time

from pathlib import Path

from app import create_app
from tests.conftest import new_key
from tests.pgserver import free_port

BODY = {"phone": "13800138000", "campaign": "dep-2026q4", "dry_run": True}


def test_an_unreachable_postgresql_starts_the_server_but_every_check_is_503():
    url = f"postgresql://guard@127.0.0.1:{free_port()}/nowhere"
    app = create_app({"DATABASE_URL": url, "GUARD_LOG_LEVEL": "CRITICAL"})
    c = app.test_client()
    assert c.get("/healthz").status_code == 200
    ready = c.get("/readyz")
    assert ready.status_code == 503 and ready.json["error"]["code"] == "STORE_UNAVAILABLE"
    r = c.post("/v1/check", json=BODY, headers={"Authorization": "Bearer gk_abc_def"})
    assert r.status_code == 503 and r.json["error"]["code"] == "STORE_UNAVAILABLE" and "do not dial" in r.json["error"]["message"]
    assert r.headers["Retry-After"]


def test_a_store_that_goes_away_after_start_gives_503(pg_server, pg_template_url):
    """Stop the real PostgreSQL under a running app, then start it again."""
    app = create_app({"DATABASE_URL": pg_template_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "CRITICAL"})
    h = new_key(app, "dialer")
    c = app.test_client()
    assert c.post("/v1/check", json=BODY, headers=h).status_code == 200
    pg_server.stop()
    try:
        app.extensions["guard"].keys._cache.clear()  # force the store read an uncached key would make
        r = c.post("/v1/check", json=BODY, headers=h)
        assert r.status_code == 503 and r.json["error"]["code"] == "STORE_UNAVAILABLE"
        assert c.get("/readyz").status_code == 503
    finally:
        pg_server.restart()
    assert c.post("/v1/check", json=BODY, headers=h).status_code == 200  # resumes by itself
    app.extensions["guard"].store.dispose()


def test_pooled_connections_left_dead_by_a_restart_are_replaced_before_use(pg_server, pg_template_url):
    """No request while the server is away: the pool still holds the dead connections. They sat idle
    longer than PING_IDLE_S, so they are pinged at checkout and replaced, and the first check answers."""
    from guard.store.db import PING_IDLE_S

    app = create_app({"DATABASE_URL": pg_template_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "CRITICAL"})
    h = new_key(app, "dialer")
    c = app.test_client()
    assert c.post("/v1/check", json=BODY, headers=h).status_code == 200
    pg_server.stop()
    pg_server.restart()
    time.sleep(PING_IDLE_S)
    assert c.post("/v1/check", json=BODY, headers=h).status_code == 200
    app.extensions["guard"].store.dispose()


def test_an_unmigrated_store_is_not_ready_and_checks_are_503(tmp_path: Path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'bare.db'}", "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "CRITICAL"})
    c = app.test_client()
    assert c.get("/readyz").status_code == 503
    assert c.post("/v1/check", json=BODY, headers={"Authorization": "Bearer gk_abc_def"}).status_code == 503


def test_no_valid_pack_means_no_policy_503(sqlite_url: str, tmp_path: Path):
    empty = tmp_path / "no-packs"
    empty.mkdir()
    app = create_app({"DATABASE_URL": sqlite_url, "GUARD_POLICY_DIR": str(empty), "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "CRITICAL"})
    r = app.test_client().post("/v1/check", json=BODY, headers=new_key(app, "dialer"))
    assert r.status_code == 503 and r.json["error"]["code"] == "NO_POLICY"
    assert app.test_client().get("/readyz").json["error"]["code"] == "NO_POLICY"


def test_a_default_pack_with_no_version_in_effect_now_is_not_ready(sqlite_url: str, tmp_path: Path):
    """The default pack is loaded but its only version takes effect later: every check is 503 NO_POLICY, so /readyz
    must not say ready (a load balancer would keep sending dialers to a guard that cannot decide)."""
    import shutil

    from tests.conftest import PACKS

    packs = tmp_path / "packs"
    shutil.copytree(PACKS, packs)
    cn = next(packs.glob("cn-bank-*.yaml"))
    text = cn.read_text(encoding="utf-8")
    assert 'effective_from: "2026-01-01T00:00:00+08:00"' in text
    cn.write_text(text.replace('effective_from: "2026-01-01T00:00:00+08:00"', 'effective_from: "2099-01-01T00:00:00+08:00"'),
                  encoding="utf-8")
    app = create_app({"DATABASE_URL": sqlite_url, "GUARD_POLICY_DIR": str(packs), "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "CRITICAL"})
    c = app.test_client()
    r = c.post("/v1/check", json={**BODY, "dry_run": False}, headers=new_key(app, "dialer"))
    assert r.status_code == 503 and r.json["error"]["code"] == "NO_POLICY"
    ready = c.get("/readyz")
    assert ready.status_code == 503 and ready.json["error"]["code"] == "NO_POLICY", ready.json
    app.extensions["guard"].store.dispose()


def test_an_instant_the_client_chose_before_any_pack_version_is_422_naming_the_field_and_the_covered_range(sqlite_url: str):
    """SPEC §7: 503 is "cannot decide now"; an instant no pack covers, chosen by the client, is the client's mistake."""
    app = create_app({"DATABASE_URL": sqlite_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "CRITICAL",
                      "GUARD_ALLOW_CLIENT_TIME": "1"})
    c, dialer, operator = app.test_client(), new_key(app, "dialer"), new_key(app, "operator")
    for body in ({**BODY, "at": "2020-01-01T10:00:00+08:00"}, {**BODY, "at": "2000-01-07T10:00:00+08:00", "dry_run": True}):
        r = c.post("/v1/check", json=body, headers=dialer)
        assert r.status_code == 422 and r.json["error"]["code"] == "INSTANT_NOT_COVERED", r.json
        detail = r.json["error"]["details"][0]
        assert detail["field"] == "at" and detail["covered_from"]["cn-bank"] == "2026-01-01T00:00:00+08:00"
    r = c.post("/v1/check/batch", json={"campaign": "dep-2026q4", "phones": ["13800138000"], "at": "2000-01-07T10:00:00+08:00"},
               headers=dialer)
    assert r.status_code == 422 and r.json["error"]["details"][0]["field"] == "at"
    r = c.post("/v1/complaints", json={"phone": "13800138000", "severity": "light", "text": "x", "received_at": "1998-05-01T10:00:00+08:00"},
               headers=operator)
    assert r.status_code == 422 and r.json["error"]["details"][0]["field"] == "received_at"
    assert "cn-bank from 2026-01-01T00:00:00+08:00" in r.json["error"]["message"]


def test_every_suppression_endpoint_answers_503_while_the_store_is_away(pg_server, pg_template_url):
    app = create_app({"DATABASE_URL": pg_template_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "CRITICAL"})
    h = new_key(app, "admin")
    c = app.test_client()
    assert c.get("/v1/complaints", headers=h).status_code == 200  # the key is now cached: requests reach the handlers
    calls = [
        ("post", "/v1/check/batch", {"json": {"campaign": "dep-2026q4", "phones": ["13800138000"]}}),
        ("post", "/v1/calls/01a2/outcome", {"json": {"disposition": "busy"}}),
        ("post", "/v1/blacklist", {"json": {"phone": "13800138000", "source": "manual"}}),
        ("get", "/v1/blacklist/13800138000", {}),
        ("delete", "/v1/blacklist/13800138000", {"json": {"reason": "mistake"}}),
        ("post", "/v1/blacklist/import", {"data": b"13800138000\n", "content_type": "text/csv"}),
        ("post", "/v1/complaints", {"json": {"phone": "13800138000", "severity": "light"}}),
        ("get", "/v1/complaints?status=open", {}),
        ("post", "/v1/complaints/01a2/events", {"json": {"type": "resolved", "note": "已处理"}}),
    ]
    pg_server.stop()
    try:
        for method, url, kwargs in calls:
            r = getattr(c, method)(url, headers=h, **kwargs)
            assert r.status_code == 503 and r.json["error"]["code"] == "STORE_UNAVAILABLE", (url, r.status_code, r.json)
    finally:
        pg_server.restart()
    app.extensions["guard"].store.dispose()


def test_a_check_behind_a_stalled_holder_of_its_numbers_lock_is_refused_within_the_bound(make_app, store_url):
    """A session stalled while it holds one number's lock (a frozen worker, a transaction someone left open)
    held every check of that number for as long as it lasted: under load they took every thread of every
    worker, and the guard answered no check at all (measured: 20 checks of the number and 5 of other numbers,
    all unanswered after 20 s on 4 workers x 4 threads). Past GUARD_PG_LOCK_WAIT the check is a 503."""
    import threading

    import pytest
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    from guard.store.sql import lock_key

    if not store_url.startswith("postgresql"):
        pytest.skip("SQLite's writer wait has its own bound (GUARD_SQLITE_WRITE_WAIT, tests/store/test_writer_queue.py)")
    app = make_app(GUARD_PG_LOCK_WAIT="0.5")
    h = new_key(app, "dialer")
    c = app.test_client()
    body = {"phone": "13800138000", "campaign": "dep-2026q4"}
    engine = create_engine(store_url, poolclass=NullPool)
    holder = engine.connect()
    holder.begin()
    holder.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key("n:+8613800138000")})
    waiting = None
    try:
        answers = []
        started = time.monotonic()
        waiting = threading.Thread(target=lambda: answers.append((app.test_client().post("/v1/check", json=body, headers=h),
                                                                 time.monotonic() - started)))
        waiting.start()
        waiting.join(5)  # unbounded, it would wait as long as the holder stalls: here until the rollback below
        assert answers, "the check was still waiting for the number's lock after 5 s"
        r, waited = answers[0]
        assert r.status_code == 503 and r.json["error"]["code"] == "STORE_UNAVAILABLE", r.json
        assert "held past its bound" in r.json["error"]["message"] and "do not dial" in r.json["error"]["message"], \
            "a lock held too long is said so, not that the store cannot be reached"
        assert 0.4 < waited < 3, waited
        # Another number is not held up.
        other = c.post("/v1/check", json={"phone": "13900139000", "campaign": "dep-2026q4"}, headers=h)
        assert other.status_code == 200, other.json
    finally:
        holder.rollback()
        holder.close()
        if waiting is not None:
            waiting.join(10)
        engine.dispose()
    assert c.post("/v1/check", json=body, headers=h).status_code == 200


def test_checks_behind_a_table_lock_held_past_the_bound_are_refused_within_it(make_app, store_url):
    """A session holding `LOCK TABLE attempts` (a DBA's maintenance, a stalled migration) held a dry run and a check of a
    number that cannot be read for as long as it held the lock: neither takes an advisory lock, the only wait that
    GUARD_PG_LOCK_WAIT bounded, and each one held a worker thread. Every lock wait of the guard's sessions is bounded."""
    import threading

    import pytest
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    if not store_url.startswith("postgresql"):
        pytest.skip("SQLite has no table locks; its writer wait has its own bound (GUARD_SQLITE_WRITE_WAIT)")
    # client time on: the check after the lock is judged at a working hour, whatever the hour the suite runs at
    app = make_app(GUARD_PG_LOCK_WAIT="0.3", GUARD_ALLOW_CLIENT_TIME="1")
    h = new_key(app, "dialer")
    bodies = [{"phone": "13800138000", "campaign": "dep-2026q4", "dry_run": True},
              {"phone": "12", "campaign": "dep-2026q4"},
              {"phone": "13900139000", "campaign": "dep-2026q4"}]
    engine = create_engine(store_url, poolclass=NullPool)
    holder = engine.connect()
    holder.begin()
    holder.execute(text("LOCK TABLE attempts IN ACCESS EXCLUSIVE MODE"))
    answers: list = []
    started = time.monotonic()
    threads = [threading.Thread(target=lambda b=b: answers.append((b["phone"], app.test_client().post("/v1/check", json=b, headers=h),
                                                                   time.monotonic() - started))) for b in bodies]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(3)  # unbounded, a check waits until the rollback below
        assert len(answers) == 3, f"still waiting behind the table lock after 3 s: {len(bodies) - len(answers)} checks"
        for phone, r, waited in answers:
            assert r.status_code == 503 and r.json["error"]["code"] == "STORE_UNAVAILABLE", (phone, r.json)
            assert "held past its bound" in r.json["error"]["message"], r.json
            assert waited < 2, (phone, waited)
    finally:
        holder.rollback()
        holder.close()
        for t in threads:
            t.join(10)
        engine.dispose()
    r = app.test_client().post("/v1/check", json={**bodies[2], "at": "2026-11-23T10:15:00+08:00"}, headers=h)  # a Monday
    assert r.status_code == 200 and r.json["allowed"], r.json
