"""The audits and simulations lists page back by `next`, and a running audit's violations pages do not end early."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from guard.store import audits as audit_store
from tests.conftest import new_key

T = datetime(2026, 11, 23, 2, 15, tzinfo=timezone.utc)


@pytest.fixture
def client(make_app, tmp_path):
    app = make_app(GUARD_DATA_DIR=str(tmp_path / "data"))
    c = app.test_client()
    c.auditor = new_key(app, "auditor")
    c.store = app.extensions["guard"].store
    return c


def _page_through(client, url: str, items: str, key: str, between) -> list[str]:
    seen, cursor = [], {}
    while True:
        r = client.get(url, query_string={"limit": 1, **cursor}, headers=client.auditor)
        assert r.status_code == 200, r.json
        seen += [row[key] for row in r.json[items]]
        between()
        if r.json["next"] is None:
            return seen
        cursor = r.json["next"]


@pytest.mark.parametrize("url, items, key, kind", [("/v1/audits", "audits", "audit_id", "call_log"),
                                                    ("/v1/simulations", "simulations", "simulation_id", "simulation")])
def test_the_audits_and_simulations_lists_page_back_to_the_oldest_each_once(client, url, items, key, kind):
    """Both lists answered the newest 200 at most and no cursor: an older audit was reachable only by its id.
    Pages follow `next` on (created_at, id), so audits started at one instant each come once, and one started
    between two pages moves no other one."""
    made = [audit_store.create(client.store, kind, "calls.csv", 10, T, None) for _ in range(3)]
    made.append(audit_store.create(client.store, kind, "calls.csv", 10, T - timedelta(hours=1), None))
    added = []
    seen = _page_through(client, url, items, key,
                         lambda: added.append(audit_store.create(client.store, kind, "calls.csv", 10, T, None)) if len(added) < 2 else None)
    assert len(seen) == len(set(seen)) and set(made) <= set(seen) and seen[-1] == made[-1], seen
    for query, field in (({"before_id": made[0]}, "before_id"), ({"before": "yesterday"}, "before"),
                         ({"before": "0001-01-01T00:00:00+05:00", "before_id": made[0]}, "before")):
        r = client.get(url, query_string=query, headers=client.auditor)
        assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == field, r.json


def _violation(audit_id: str, n: int) -> dict:
    return {"audit_id": audit_id, "line": n + 2, "call_id": f"c{n}", "code": "UNCHECKED_CALL", "called_at": T, "phone_e164": None,
            "customer_id": None, "agent_id": None, "campaign": "dep-2026q4", "detail": {"why": "no decision_id"}, "zone": None,
            "pack_id": None, "pack_version": None}


def test_a_running_audits_short_violations_page_gives_a_cursor_until_the_audit_is_done(client):
    """A page of a running audit that held fewer violations than asked answered next_after null, which documents
    the last page: a client stopped there and never read the violations written after it."""
    audit_id = audit_store.create(client.store, "call_log", "calls.csv", 10, T, None)
    audit_store.set_status(client.store, audit_id, status="running", started_at=T)
    audit_store.insert_violations(client.store, [_violation(audit_id, n) for n in range(2)])
    url = f"/v1/audits/{audit_id}/violations?limit=5"
    first = client.get(url, headers=client.auditor).json
    assert len(first["violations"]) == 2 and first["status"] == "running" and first["next_after"] is not None
    empty = client.get(f"{url}&after={first['next_after']}", headers=client.auditor).json
    assert empty["violations"] == [] and empty["next_after"] == first["next_after"]
    audit_store.insert_violations(client.store, [_violation(audit_id, n) for n in range(2, 4)])
    audit_store.set_status(client.store, audit_id, status="done", finished_at=T)
    rest = client.get(f"{url}&after={first['next_after']}", headers=client.auditor).json
    assert [v["call_id"] for v in rest["violations"]] == ["c2", "c3"] and rest["next_after"] is None and rest["status"] == "done"
