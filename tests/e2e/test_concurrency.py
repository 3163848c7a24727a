"""Caps hold exactly under concurrent dialers: real gunicorn processes, real SQLite and PostgreSQL.

64 threads ask at the same instant. Whatever the interleaving, exactly the cap is allowed,
every answer is a 200, and the store holds exactly that many recorded attempts.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, func, select
from sqlalchemy.pool import NullPool

from guard.store.models import Attempt
from tests.conftest import PACKS
from tests.e2e.servers import GuardServer, cli, request

pytestmark = pytest.mark.e2e
AT = "2026-11-23T10:15:00+08:00"
THREADS = 64


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    """The shipped packs, with cn-bank's customer caps set to 3 per 30 days (and no daily customer cap)."""
    target = tmp_path / "packs"
    shutil.copytree(PACKS, target)
    path = target / "cn-bank-2026.4.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["caps"]["normal"] = [{"scope": "number", "window": "24h", "max": 1}, {"scope": "customer", "window": "30d", "max": 3}]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return target


@pytest.fixture
def servers(store_url: str, pack_dir: Path):
    env = {"DATABASE_URL": store_url, "GUARD_ALLOW_CLIENT_TIME": "1", "GUARD_POLICY_DIR": str(pack_dir), "GUARD_AUTO_MIGRATE": "0"}
    # PostgreSQL: two separate gunicorn masters with three workers each (stateless processes that
    # share only the store). SQLite: one master with four workers on the one file.
    layout = [(3, 4), (3, 4)] if store_url.startswith("postgresql") else [(4, 4)]
    started = [GuardServer(env, workers=w, threads=t).start() for w, t in layout]
    key = cli(env, "keys", "create", "--role", "dialer", "--role", "operator").stdout.strip()
    yield started, key
    for s in started:
        s.stop()


def _hammer(ports: list[int], key: str, bodies: list[dict]) -> list[tuple[int, dict]]:
    results: list[tuple[int, dict] | None] = [None] * len(bodies)
    barrier = threading.Barrier(len(bodies))

    def worker(i: int) -> None:
        barrier.wait()
        results[i] = request(ports[i % len(ports)], "POST", "/v1/check", bodies[i], key)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results  # type: ignore[return-value]


def _attempts(store_url: str, **where) -> int:
    engine = create_engine(store_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            stmt = select(func.count()).select_from(Attempt)
            for col, value in where.items():
                stmt = stmt.where(getattr(Attempt, col) == value)
            return conn.execute(stmt).scalar_one()
    finally:
        engine.dispose()


def test_64_dialers_on_one_number_get_exactly_one_allow(servers, store_url):
    started, key = servers
    body = {"phone": "13800138000", "campaign": "dep-2026q4", "at": AT}
    results = _hammer([s.port for s in started], key, [body] * THREADS)
    assert [status for status, _ in results] == [200] * THREADS
    allowed = [r for _, r in results if r["allowed"]]
    assert len(allowed) == 1
    denied = [r for _, r in results if not r["allowed"]]
    assert all([x["code"] for x in r["reasons"]] == ["FREQ_CAP"] for r in denied)
    assert _attempts(store_url, phone_e164="+8613800138000") == 1


def test_64_dialers_on_64_numbers_of_one_customer_get_exactly_the_customer_cap(servers, store_url):
    started, key = servers
    phones = [f"1380013{8000 + i:04d}" for i in range(THREADS)]
    status, _ = request(started[0].port, "PUT", "/v1/customers/BIG", {"phones": phones}, key)
    assert status == 201
    bodies = [{"phone": p, "campaign": "dep-2026q4", "at": AT} for p in phones]
    results = _hammer([s.port for s in started], key, bodies)
    assert [status for status, _ in results] == [200] * THREADS
    assert sum(r["allowed"] for _, r in results) == 3
    assert all(r["customer_id"] == "BIG" for _, r in results)
    assert _attempts(store_url, customer_id="BIG") == 3


def test_naming_made_up_customers_does_not_lift_the_owners_cap(servers, store_url):
    """64 numbers of one customer, each check naming a different made-up customer: still exactly the cap."""
    started, key = servers
    phones = [f"1380013{8000 + i:04d}" for i in range(THREADS)]
    status, _ = request(started[0].port, "PUT", "/v1/customers/BIG", {"phones": phones}, key)
    assert status == 201
    bodies = [{"phone": p, "campaign": "dep-2026q4", "at": AT, "customer_id": f"made-up-{i}"} for i, p in enumerate(phones)]
    results = _hammer([s.port for s in started], key, bodies)
    assert [status for status, _ in results] == [200] * THREADS
    assert sum(r["allowed"] for _, r in results) == 3
    assert all(r["customer_id"] == "BIG" and r["customer_mismatch"] for _, r in results)
    assert _attempts(store_url, customer_id="BIG") == 3


def test_a_customer_named_on_numbers_nobody_owns_gets_exactly_their_cap(servers, store_url):
    started, key = servers
    bodies = [{"phone": f"1370013{7000 + i:04d}", "campaign": "dep-2026q4", "at": AT, "customer_id": "NAMED"} for i in range(THREADS)]
    results = _hammer([s.port for s in started], key, bodies)
    assert [status for status, _ in results] == [200] * THREADS
    assert sum(r["allowed"] for _, r in results) == 3
    assert _attempts(store_url, customer_id="NAMED") == 3


def test_checks_naming_each_others_customers_neither_deadlock_nor_overshoot(servers, store_url):
    """16 customers with 4 numbers each; every check on customer i's number names customer i+1, so
    checks take the same two customer locks from opposite ends. Every answer is a 200 (no deadlock,
    no lock timeout), and no customer is called more than its cap, counting the calls that named it."""
    started, key = servers
    owners = [f"R{i:02d}" for i in range(16)]
    phones = {cid: [f"1360013{6000 + 4 * i + j:04d}" for j in range(4)] for i, cid in enumerate(owners)}
    for cid in owners:
        status, _ = request(started[0].port, "PUT", f"/v1/customers/{cid}", {"phones": phones[cid]}, key)
        assert status == 201
    bodies = [{"phone": phones[cid][j], "campaign": "dep-2026q4", "at": AT, "customer_id": owners[(i + 1) % 16]}
              for i, cid in enumerate(owners) for j in range(4)]
    results = _hammer([s.port for s in started], key, bodies)
    assert [status for status, _ in results] == [200] * THREADS
    allowed = [r for _, r in results if r["allowed"]]
    per_customer = {cid: sum(cid in r["customers"] for r in allowed) for cid in owners}
    assert max(per_customer.values()) <= 3 and sum(per_customer.values()) == 2 * len(allowed)
    for cid in owners:
        assert _attempts(store_url, customer_id=cid) + _attempts(store_url, other_customer_id=cid) == per_customer[cid]
