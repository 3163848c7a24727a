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
