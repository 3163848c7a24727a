"""Lints in helper processes (guard/services/catalog/lint_pool.py): the same results as in the request's thread, the
right pack version in each helper, a dead helper survived, gunicorn's workers wired to them, and no helper outliving
its worker."""

from __future__ import annotations

import logging
import os
import signal
import time
from pathlib import Path

import pytest

from guard.config import Settings, SettingsError
from guard.core.lint import lint as lint_here
from guard.services.catalog import lint_pool
from policies.lint_docs import PACKS, shipped_pack
from tests.e2e.servers import GuardServer, cli
from tests.lint.real_corpus import DEVELOPMENT, load

PITCH = "这款理财保本保息，零风险，年化收益稳拿6%，比存款强多了，名额有限今天就截止！"


@pytest.fixture
def pool():
    p = lint_pool.LintPool(1, nice=5)
    yield p
    p.shutdown()


def _texts() -> list[tuple[str, str | None]]:
    """Real passages of every development set (a few each, with their product types) and one long script of them."""
    items = [item for name in DEVELOPMENT for item in load(name)[:12]]
    long_script = "\n".join(item.text for item in items)[:30_000]
    return [(item.text, item.product_type) for item in items] + [(long_script, None), (long_script, "insurance"), (PITCH, "wealth")]


def test_a_pooled_lint_is_the_lint_of_the_requests_thread(pool):
    pack = shipped_pack()
    for text, product_type in _texts():
        assert pool.lint(text, product_type, pack) == lint_here(text, product_type, pack), text[:60]


def test_each_helper_lints_by_the_pack_version_it_is_given(pool, tmp_path: Path):
    # a second version of cn-bank in which 零风险 is a warning, not an error: another hash, another result
    text = (PACKS / "cn-bank-2026.4.yaml").read_text(encoding="utf-8")
    head, _, rest = text.partition("  - id: guarantee.zero_risk\n    code: BANNED_PHRASE\n    severity: error\n")
    assert rest, "the shipped pack no longer starts guarantee.zero_risk so; mend the test's edit"
    (tmp_path / "cn-bank-2026.9.yaml").write_text(
        head.replace('version: "2026.4"', 'version: "2026.9"')
        + "  - id: guarantee.zero_risk\n    code: BANNED_PHRASE\n    severity: warning\n" + rest, encoding="utf-8")
    shipped, edited = shipped_pack(), shipped_pack(directory=tmp_path)
    assert shipped.hash != edited.hash
    for pack in (shipped, edited, shipped, edited):  # back and forth: each helper holds both
        result = pool.lint(PITCH, "wealth", pack)
        assert result == lint_here(PITCH, "wealth", pack)
        [zero_risk] = [f for f in result.findings if f.rule == "guarantee.zero_risk"]
        assert zero_risk.severity == ("error" if pack is shipped else "warning")


def test_a_helper_that_dies_leaves_no_lint_unanswered(pool, caplog):
    pack = shipped_pack()
    expected = lint_here(PITCH, "wealth", pack)
    assert pool.lint(PITCH, "wealth", pack) == expected
    [helper] = list(pool._executor._processes.values())
    os.kill(helper.pid, signal.SIGKILL)
    helper.join(10)
    with caplog.at_level(logging.WARNING, logger="guard.services.catalog.lint_pool"):
        assert pool.lint(PITCH, "wealth", pack) == expected  # in the request's thread
    assert "a lint helper process died" in caplog.text
    assert pool.lint(PITCH, "wealth", pack) == expected  # and in a new helper
    [new_helper] = list(pool._executor._processes.values())
    assert new_helper.pid != helper.pid and new_helper.is_alive()


def test_configure_switches_this_process_between_helpers_and_its_own_thread():
    pack = shipped_pack()
    expected = lint_here(PITCH, "wealth", pack)
    try:
        lint_pool.configure(1, nice=5)
        assert lint_pool._pool is not None
        assert lint_pool.lint(PITCH, "wealth", pack) == expected
        [helper] = list(lint_pool._pool._executor._processes.values())
        lint_pool.configure(0)
        assert lint_pool._pool is None
        helper.join(10)
        assert not helper.is_alive()  # the old helpers are shut down
        assert lint_pool.lint(PITCH, "wealth", pack) == expected
    finally:
        lint_pool.configure(0)


def test_the_settings_bound_the_helpers():
    defaults = Settings.from_env({})
    assert (defaults.lint_processes, defaults.lint_nice) == (1, 10)
    assert Settings.from_env({"GUARD_LINT_PROCESSES": "0"}).lint_processes == 0
    for name, value in (("GUARD_LINT_PROCESSES", "-1"), ("GUARD_LINT_PROCESSES", "17"), ("GUARD_LINT_NICE", "20")):
        with pytest.raises(SettingsError, match=name):
            Settings.from_env({name: value})
    with pytest.raises(ValueError):
        lint_pool.LintPool(0)


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        out += [int(c) for c in children]
    return out


@pytest.mark.e2e
def test_gunicorns_workers_lint_in_helpers_at_a_lower_priority(sqlite_url, tmp_path):
    env = {"DATABASE_URL": sqlite_url, "GUARD_DATA_DIR": str(tmp_path / "data"), "GUARD_LOG_LEVEL": "WARNING",
           "GUARD_AUTO_MIGRATE": "0", "GUARD_LINT_PROCESSES": "1", "GUARD_LINT_NICE": "7"}
    key = cli(env, "keys", "create", "--role", "reviewer").stdout.strip()
    server = GuardServer(env, workers=1).start()
    try:
        [worker] = server.workers()
        assert _children(worker) == []  # started on the first lint
        status, answer = server.request("POST", "/v1/scripts/lint", {"text": PITCH, "product_type": "wealth"}, key=key)
        assert status == 200, answer
        expected = lint_here(PITCH, "wealth", shipped_pack())
        assert [(f["rule"], f["start"], f["end"], f["severity"]) for f in answer["findings"]] == \
            [(f.rule, f.start, f.end, f.severity) for f in expected.findings]
        helpers = [c for c in _children(worker) if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
        assert helpers, _children(worker)
        nices = {os.getpriority(os.PRIO_PROCESS, h) - os.getpriority(os.PRIO_PROCESS, worker) for h in helpers}
        assert nices == {7}
        # a worker killed outright: its helpers leave with it (no orphans); the worker started in its place lints
        os.kill(worker, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while any(_alive(h) for h in helpers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(h) for h in helpers)
        while not server.workers() and time.monotonic() < deadline:
            time.sleep(0.1)
        status, again = server.request("POST", "/v1/scripts/lint", {"text": PITCH, "product_type": "wealth"}, key=key)
        assert status == 200 and again["findings"] == answer["findings"]
    finally:
        server.stop()


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_a_lint_asked_of_helpers_shut_down_runs_in_the_requests_thread(caplog):
    pack = shipped_pack()
    pool = lint_pool.LintPool(1, nice=5)
    assert pool.lint(PITCH, "wealth", pack) == lint_here(PITCH, "wealth", pack)
    executor = pool._executor
    executor.shutdown(wait=True)  # as at a worker's exit, with a request still in a thread
    with caplog.at_level(logging.WARNING, logger="guard.services.catalog.lint_pool"):
        assert pool.lint(PITCH, "wealth", pack) == lint_here(PITCH, "wealth", pack)
    assert "shutting down" in caplog.text
    pool.shutdown()
