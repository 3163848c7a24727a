"""Scale-out on PostgreSQL: two "hosts" (gunicorn masters on 127.0.0.1 and 127.0.0.2), two workers each, one store.

What a bank running several app hosts relies on, proven with real processes:
- a cap holds exactly when the dialers' checks are spread over both hosts;
- a blacklist entry or a complaint recorded through one host stops the very next check on every
  process of the other (no process keeps its own copy of suppression state);
- `guard policies reload`, run once from anywhere, reaches every worker of every host, each of
  which reports the new pack version (and the reload it acted on) in /readyz.
The scheduler running once however many hosts start it is proven in test_scheduler.py (two
`guard scheduler` processes on one PostgreSQL).
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import PACKS
from tests.e2e.servers import GuardServer, cli, next_workday_at

pytestmark = pytest.mark.e2e
AT = next_workday_at()  # after the complaints filed at the server clock


@pytest.fixture
def pg_url(pg_template_url: str) -> str:
    from tests.conftest import _truncate_all

    _truncate_all(pg_template_url)
    return pg_template_url


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    target = tmp_path / "packs"
    shutil.copytree(PACKS, target)
    return target


@pytest.fixture
def hosts(pg_url: str, pack_dir: Path):
    env = {"DATABASE_URL": pg_url, "GUARD_ALLOW_CLIENT_TIME": "1", "GUARD_POLICY_DIR": str(pack_dir),
           "GUARD_AUTO_MIGRATE": "0", "GUARD_RELOAD_POLL_SECONDS": "0.2"}
    started = []
    try:
        for host in ("127.0.0.1", "127.0.0.2"):
            started.append(GuardServer(env, workers=2, threads=4, host=host).start())
        keys = {role: cli(env, "keys", "create", "--role", role).stdout.strip() for role in ("dialer", "operator")}
        yield started, keys, env
    finally:
        for s in started:
            s.stop()


def _every_worker(server: GuardServer, path: str, until, timeout: float = 15.0) -> dict[int, dict]:
    """Ask `path` over fresh connections until every worker of `server` has answered with `until(body)` true."""
    workers = server.workers()
    seen: dict[int, dict] = {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, body = server.request("GET", path)
        assert status == 200, body
        if until(body):
            seen[body["detail"]["pid"]] = body
        if workers <= set(seen):
            return seen
    raise AssertionError(f"workers {sorted(workers - set(seen))} of {server.host} never answered as expected")


def _check(server: GuardServer, key: str, phone: str, dry_run: bool = False) -> dict:
    status, body = server.request("POST", "/v1/check", {"phone": phone, "campaign": "dep-2026q4", "at": AT, "dry_run": dry_run}, key)
    assert status == 200, body
    return body


def test_the_two_hosts_bind_their_own_addresses(hosts):
    servers, _, _ = hosts
    assert [s.host for s in servers] == ["127.0.0.1", "127.0.0.2"]
    for s in servers:
        assert len(s.workers()) == 2
        assert s.request("GET", "/readyz")[0] == 200


def test_a_cap_holds_exactly_across_hosts(hosts):
    servers, keys, _ = hosts
    results: list[dict | None] = [None] * 48
    barrier = threading.Barrier(len(results))

    def dial(i: int) -> None:
        barrier.wait()
        results[i] = _check(servers[i % 2], keys["dialer"], "13800138000")

    threads = [threading.Thread(target=dial, args=(i,)) for i in range(len(results))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    allowed = [r for r in results if r and r["allowed"]]
    assert len(allowed) == 1, f"{len(allowed)} allows for one number with a daily cap of one"
    assert all(r is not None for r in results)
    assert {r["reasons"][0]["code"] for r in results if r and not r["allowed"]} == {"FREQ_CAP"}


def test_suppression_recorded_on_one_host_stops_the_next_check_on_every_process_of_the_other(hosts):
    (a, b), keys, _ = hosts
    for phone in ("13900139000", "13700137000"):
        assert _check(b, keys["dialer"], phone, dry_run=True)["allowed"] is True
    status, _ = a.request("POST", "/v1/blacklist", {"phone": "13900139000", "source": "customer_request"}, keys["operator"])
    assert status == 201
    for _ in range(2):  # the pack mutes after two complaints
        status, _ = a.request("POST", "/v1/complaints", {"phone": "13700137000", "severity": "medium", "text": "推销电话太频繁"},
                              keys["operator"])
        assert status == 201
    # Immediately, with no wait: 16 fresh connections to host b land on both of its workers.
    for _ in range(16):
        blacklisted = _check(b, keys["dialer"], "13900139000", dry_run=True)
        muted = _check(b, keys["dialer"], "13700137000", dry_run=True)
        assert blacklisted["allowed"] is False and "DNC_OPT_OUT" in [r["code"] for r in blacklisted["reasons"]]
        assert muted["allowed"] is False and "MUTED" in [r["code"] for r in muted["reasons"]]


def test_a_pack_reload_reaches_every_worker_of_every_host(hosts, pack_dir):
    servers, keys, env = hosts
    for s in servers:
        _every_worker(s, "/readyz", lambda body: body["detail"]["packs"]["cn-bank"] == ["2026.4"])
    # Compliance publishes 2026.5, effective now: the number cap drops from its current value to zero calls a day.
    raw = yaml.safe_load((pack_dir / "cn-bank-2026.4.yaml").read_text(encoding="utf-8"))
    raw["version"] = "2026.5"
    raw["effective_from"] = "2026-11-01T00:00:00+08:00"
    (pack_dir / "cn-bank-2026.5.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    out = cli(env, "policies", "reload")
    assert out.returncode == 0, out.stderr
    # From the command's return to every worker serving the new version: the command publishes the reload, then lints
    # every approved script again, and that time (long on a loaded machine) is no part of reaching the workers.
    started = time.monotonic()
    reached = {}
    for s in servers:
        reached.update(_every_worker(s, "/readyz", lambda body: body["detail"]["packs"]["cn-bank"] == ["2026.4", "2026.5"]))
    took = time.monotonic() - started
    assert len(reached) == 4 and len({body["detail"]["reload"] for body in reached.values()}) == 1
    assert took < 10, f"the reload took {took:.1f} s to reach every worker"
    # And the new version decides: every check now names it.
    for s in servers:
        for _ in range(8):
            assert _check(s, keys["dialer"], "13600136000", dry_run=True)["policy"]["version"] == "2026.5"
