"""The check's in-memory copy of the configuration is never stale (both stores).

A process keeps the configured campaigns, products and script approvals (`CatalogSnapshot`) so a
check does not read them each time; every change of those tables moves `config_generation`
(triggers of migration 0015), and a check reads the generation under its locks. These tests change
the configuration from another app on the same store (another worker, another host), by hand in
SQL, and while a check waits for its lock, and look for the change in the next answer.
"""

from __future__ import annotations

import json
import threading
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from guard.store.sql import lock_key
from tests.conftest import new_key

AT = "2026-11-23T10:15:00+08:00"


def check(client, headers, phone: str, campaign: str = "cached") -> dict:
    r = client.post("/v1/check", json={"phone": phone, "campaign": campaign, "at": AT}, headers=headers)
    assert r.status_code == 200, r.json
    return r.json


def codes(answer: dict) -> list[str]:
    return [r["code"] for r in answer["reasons"]]


def generation(url: str) -> int:
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        n = conn.execute(text("SELECT n FROM config_generation WHERE id = 1")).scalar_one()
    engine.dispose()
    return n


@pytest.fixture
def two_workers(make_app):
    """Two apps on one store: the dialer's worker (`a`) and the one the operator's change goes through (`b`)."""
    a, b = make_app(GUARD_ALLOW_CLIENT_TIME="1"), make_app(GUARD_ALLOW_CLIENT_TIME="1")
    return a, new_key(a, "dialer"), b, new_key(b, "operator", "reviewer")


def test_a_change_made_through_another_worker_is_judged_by_at_the_next_check(two_workers):
    a, dialer, b, operator = two_workers
    ca, cb = a.test_client(), b.test_client()
    put = cb.put("/v1/campaigns/cached", json={"products": ["DEP-001"], "require_approved_script": False}, headers=operator)
    assert put.status_code == 201, put.json
    assert check(ca, dialer, "13800138001")["allowed"] is True  # `a` now holds the configuration in memory
    cb.put("/v1/campaigns/cached", json={"products": ["DEP-001"], "require_approved_script": True}, headers=operator)
    assert "SCRIPT_NOT_APPROVED" in codes(check(ca, dialer, "13800138002"))
    cb.put("/v1/campaigns/cached", json={"products": ["DEP-001"], "require_approved_script": False}, headers=operator)
    assert check(ca, dialer, "13800138003")["allowed"] is True


def test_a_change_made_by_hand_in_sql_moves_the_generation_and_is_seen(two_workers, store_url):
    a, dialer, b, operator = two_workers
    ca = a.test_client()
    b.test_client().put("/v1/campaigns/cached", json={"products": ["DEP-001"], "require_approved_script": False}, headers=operator)
    assert check(ca, dialer, "13800138001")["allowed"] is True
    before = generation(store_url)
    engine = create_engine(store_url, poolclass=NullPool)
    with engine.begin() as conn:  # an operator ends the campaign's configuration directly in the database
        conn.execute(text("UPDATE config_campaigns SET valid_to = valid_from WHERE campaign_id = 'cached'"))
    engine.dispose()
    assert generation(store_url) > before
    assert "UNKNOWN_CAMPAIGN" in codes(check(ca, dialer, "13800138002"))


def test_a_restore_that_puts_back_an_older_generation_is_never_mistaken_for_the_copy_a_worker_holds(two_workers, store_url):
    """A backup holds the campaign needing an approved script; a change made after it is in worker `a`'s memory; a
    restore (pg_restore, psql of a plain dump) puts back the backup's rows and its `n`, and operators then make as many
    changes as were made after the backup. With `n` counted up by one, `n` came back to the value of `a`'s copy, and `a`
    judged by the configuration the restore had removed: allowed without an approved script."""
    a, dialer, b, operator = two_workers
    ca, cb = a.test_client(), b.test_client()
    cb.put("/v1/campaigns/cached", json={"products": ["DEP-001"], "require_approved_script": True}, headers=operator)
    engine = create_engine(store_url, poolclass=NullPool)
    with engine.connect() as conn:  # the backup
        rows = [dict(r._mapping) for r in conn.execute(text("SELECT * FROM config_campaigns"))]
    backed_up = generation(store_url)
    cb.put("/v1/campaigns/cached", json={"products": ["DEP-001"], "require_approved_script": False}, headers=operator)
    assert check(ca, dialer, "13800138001")["allowed"] is True  # `a` holds the configuration after the backup
    with engine.begin() as conn:  # the restore: the backup's rows, then its generation, as pg_restore leaves them
        conn.execute(text("DELETE FROM config_campaigns"))
        conn.execute(text("INSERT INTO config_campaigns (id, campaign_id, valid_from, valid_to, data, changed_by) "
                          "VALUES (:id, :campaign_id, :valid_from, :valid_to, :data, :changed_by)"),
                     [{**r, "data": r["data"] if isinstance(r["data"], str) else json.dumps(r["data"])} for r in rows])
        conn.execute(text("UPDATE config_generation SET n = :n WHERE id = 1"), {"n": backed_up})
    engine.dispose()
    for i in range(2):  # as many statements as the change after the backup (it closed a version, opened one)
        assert cb.put(f"/v1/campaigns/after-restore-{i}", json={"products": ["DEP-001"]}, headers=operator).status_code == 201
    assert "SCRIPT_NOT_APPROVED" in codes(check(ca, dialer, "13800138002"))


@pytest.mark.parametrize("statement", [
    "INSERT INTO config_products (code, valid_from, valid_to, data, changed_by) VALUES ('X-1', '2026-11-01 00:00:00', NULL, '{}', NULL)",
    "UPDATE config_products SET changed_by = 'someone'",
    "DELETE FROM config_products",
    "INSERT INTO config_campaigns (campaign_id, valid_from, valid_to, data, changed_by) VALUES ('c', '2026-11-01 00:00:00', NULL, '{}', NULL)",
    "UPDATE config_campaigns SET changed_by = 'someone'",
    "DELETE FROM config_campaigns",
    "UPDATE scripts SET suspended_at = NULL",
    "DELETE FROM scripts",
])
def test_every_statement_on_the_configuration_moves_the_generation(two_workers, store_url, statement):
    _a, _dialer, b, operator = two_workers
    cb = b.test_client()
    assert cb.put("/v1/products/WM-X", json={"type": "wealth", "risk": "R2"}, headers=operator).status_code in (200, 201)
    cb.put("/v1/campaigns/cached", json={"products": ["WM-X"], "require_approved_script": True}, headers=operator)
    saved = cb.post("/v1/scripts", json={"campaign": "cached", "text": "您好，我是XX银行的客户经理。"}, headers=operator)
    assert saved.status_code == 201, saved.json
    before = generation(store_url)
    engine = create_engine(store_url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()
    assert generation(store_url) > before


def test_a_change_committed_while_the_check_waits_for_its_lock_decides_it(make_app, store_url):
    """The check resolves its campaign from memory, then waits for the number's lock; meanwhile the
    campaign starts requiring an approved script. The check must judge by the new configuration."""
    if not store_url.startswith("postgresql"):
        pytest.skip("SQLite serialises whole checks: no configuration change can fall inside one")
    a = make_app(GUARD_ALLOW_CLIENT_TIME="1")
    dialer, operator = new_key(a, "dialer"), new_key(a, "operator")
    client = a.test_client()
    client.put("/v1/campaigns/cached", json={"products": ["DEP-001"], "require_approved_script": False}, headers=operator)
    assert check(client, dialer, "13800138001")["allowed"] is True  # the copy is in memory
    engine = create_engine(store_url, poolclass=NullPool)
    holder = engine.connect()
    holder.begin()
    holder.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key("n:+8613800138009")})
    answers: list[dict] = []
    waiting = threading.Thread(target=lambda: answers.append(check(a.test_client(), dialer, "13800138009")))
    waiting.start()
    deadline = time.monotonic() + 10
    with engine.connect() as probe:  # until the check is blocked on the number's lock
        while not probe.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).scalar_one():
            assert time.monotonic() < deadline, "the check never waited for the lock"
            time.sleep(0.02)
    with engine.begin() as conn:
        conn.execute(text("UPDATE config_campaigns SET data = CAST(:d AS JSON) WHERE campaign_id = 'cached' AND valid_to IS NULL"),
                     {"d": '{"products": ["DEP-001"], "require_approved_script": true}'})
    holder.rollback()
    holder.close()
    waiting.join(10)
    engine.dispose()
    assert answers and "SCRIPT_NOT_APPROVED" in codes(answers[0]), answers


def test_campaign_and_product_changes_made_at_once_leave_one_current_version(make_app, store_url):
    """Two operators (or two workers) changing one campaign at the same moment: each change closes the version it read
    and opens its own, so without a lock both could read the same current version and both open one."""
    apps = [make_app(), make_app()]
    operators = [new_key(app, "operator") for app in apps]
    rounds, width = 3, 6
    for round_ in range(rounds):
        barrier = threading.Barrier(width)
        answers: list[int] = []

        def put(i: int) -> None:
            client = apps[i % 2].test_client()
            barrier.wait()
            for path, body in ((f"/v1/campaigns/raced", {"products": ["DEP-001"], "name": f"r{round_}-{i}"}),
                               (f"/v1/products/RACED-1", {"type": "deposit", "risk": "R1", "name": f"r{round_}-{i}"})):
                answers.append(client.put(path, json=body, headers=operators[i % 2]).status_code)

        threads = [threading.Thread(target=put, args=(i,)) for i in range(width)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(set(answers)) in ([200], [200, 201], [201]), answers
    engine = create_engine(store_url, poolclass=NullPool)
    with engine.connect() as conn:
        current = {table: conn.execute(text(f"SELECT COUNT(*) FROM {table} WHERE valid_to IS NULL")).scalar_one()
                   for table in ("config_campaigns", "config_products")}
        versions = conn.execute(text("SELECT COUNT(*) FROM config_campaigns")).scalar_one()
    engine.dispose()
    assert current == {"config_campaigns": 1, "config_products": 1}
    assert versions == rounds * width, "every change is a version of its own, none lost"
