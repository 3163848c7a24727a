"""A `guard` command reads the policy packs when it first needs them, and builds no HTTP routes: `guard keys list` or
`guard access log` took twice the time of the work they do, reading and validating every pack and building the API's
schemas, and wrote the packs' snapshots to the store although they read nothing of them. A server reads its packs at
start, and Flask's own commands (`flask routes`) still see every route."""

from __future__ import annotations

import threading

from sqlalchemy import create_engine, func, select
from sqlalchemy.pool import NullPool

from guard.config import Settings
from guard.runtime import Runtime
from guard.store.models import PolicySnapshot
from tests.e2e.servers import cli


def snapshots(url: str) -> int:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(PolicySnapshot)).scalar_one()
    finally:
        engine.dispose()


def test_a_command_that_needs_no_pack_reads_none_and_one_that_does_reads_them(sqlite_url):
    env = {"DATABASE_URL": sqlite_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "WARNING"}
    assert snapshots(sqlite_url) == 0
    listed = cli(env, "keys", "list")
    assert listed.returncode == 0 and listed.stderr == "", listed.stderr
    assert snapshots(sqlite_url) == 0  # nothing of the packs read, nothing of them written
    linted = cli(env, "lint", "-", "--format", "json", input_="本产品保本保息。\n")
    assert linted.returncode == 1 and '"code"' in linted.stdout, linted.stderr
    assert snapshots(sqlite_url) >= 3  # every shipped version kept, as a server's start keeps them


def test_flask_s_own_commands_see_every_route(sqlite_url):
    import subprocess

    from tests.e2e.servers import BIN, ROOT

    routes = subprocess.run([str(BIN / "flask"), "--app", "app", "routes"], cwd=ROOT, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "DATABASE_URL": sqlite_url, "GUARD_AUTO_MIGRATE": "0"}, timeout=120)
    assert routes.returncode == 0, routes.stderr
    rules = {line.split()[-1] for line in routes.stdout.splitlines()[2:]}
    assert {"/v1/check", "/v1/check/batch", "/v1/blacklist", "/v1/audits", "/healthz", "/readyz"} <= rules, rules


def test_threads_that_first_ask_for_the_packs_together_read_them_once(sqlite_url):
    # `guard scheduler run` runs its jobs in threads: the first of them to need the packs reads them, the others wait.
    settings = Settings.from_env({}, {"DATABASE_URL": sqlite_url, "GUARD_AUTO_MIGRATE": "0"})
    runtime = Runtime(settings, command=True)
    starts: list[int] = []
    runtime.on_start = lambda rt, report: starts.append(len(report.issues))
    gate = threading.Barrier(8)
    seen: list[object] = []

    def ask() -> None:
        gate.wait()
        seen.append(runtime.packs())

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert starts == [0] and len(seen) == 8
        assert all(p is seen[0] for p in seen) and "cn-bank" in seen[0].timelines
    finally:
        runtime.store.dispose()


def test_a_server_s_runtime_reads_its_packs_only_when_started(sqlite_url):
    settings = Settings.from_env({}, {"DATABASE_URL": sqlite_url, "GUARD_AUTO_MIGRATE": "0"})
    runtime = Runtime(settings)
    try:
        assert not runtime.registry.current.timelines and not runtime.started  # create_app starts it, at once
        report = runtime.start()
        assert report.ok and runtime.started and "cn-bank" in runtime.registry.current.timelines
    finally:
        runtime.store.dispose()


def test_verbose_on_an_app_built_as_a_server_says_what_its_start_read(sqlite_url, caplog):
    # An app built as a server (a test's app, `flask shell`) read its packs at start, before -v raised the log level:
    # -v says again what that start read, through the one function that logs a start (app.py: _log_start).
    import logging

    from app import create_app

    app = create_app({"DATABASE_URL": sqlite_url, "GUARD_LOG_LEVEL": "WARNING"})
    root = logging.getLogger().level
    try:
        assert app.extensions["guard"].started
        with app.app_context(), caplog.at_level(logging.INFO, logger="guard"):
            done = app.test_cli_runner().invoke(args=["guard", "-v", "keys", "list"])
        assert done.exit_code == 0, done.output
        said = [r.getMessage() for r in caplog.records if r.name == "guard"]
        assert any(m.startswith("policy pack cn-bank: versions ") for m in said), said
        assert len([m for m in said if m.startswith("policy pack cn-bank")]) == 1, said
    finally:
        logging.getLogger().setLevel(root)
        app.extensions["guard"].store.dispose()
