"""A reload serves the same packs in every process, even one that missed an earlier reload, and a
broken file keeps the content the last reload validated (not whatever a process last saw)."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import text as sa_text

from app import create_app
from tests.conftest import PACKS

AT = datetime(2026, 11, 23, 13, 30, tzinfo=timezone.utc)  # 08:30 in New York


def test_a_process_that_missed_a_reload_still_ends_up_on_the_last_validated_content(store_url: str, tmp_path: Path):
    packs = tmp_path / "packs"
    shutil.copytree(PACKS, packs)
    config = {"DATABASE_URL": store_url, "GUARD_POLICY_DIR": str(packs), "GUARD_RELOAD_POLL_SECONDS": "0", "GUARD_AUTO_MIGRATE": "0"}
    worker = create_app(config).extensions["guard"]  # a web worker, started before any of this
    original = worker.packs().at("us-tcpa", AT).hash

    us = packs / "us-tcpa-2026.1.yaml"
    us.write_text(us.read_text(encoding="utf-8").replace('from: "08:00"', 'from: "09:00"'), encoding="utf-8")
    first = create_app(config).extensions["guard"]  # `guard policies reload`, once
    first.registry.load()
    first.request_reload("cli")
    edited = first.registry.current.at("us-tcpa", AT).hash
    assert edited != original

    us.write_text(us.read_text(encoding="utf-8").replace("max: 3", "max: three"), encoding="utf-8")
    second = create_app(config).extensions["guard"]  # `guard policies reload` again, the file now broken
    report = second.registry.load()
    assert report.kept == ["us-tcpa-2026.1.yaml"]
    second.request_reload("cli")

    # The worker saw neither reload; on its next request it takes the newest one.
    assert worker.packs().at("us-tcpa", AT).hash == edited
    for rt in (worker, first, second):
        rt.store.dispose()


def test_a_refused_file_shows_on_readyz_and_metrics_in_every_process_until_a_reload_takes_it(store_url: str, tmp_path: Path):
    packs = tmp_path / "packs"
    shutil.copytree(PACKS, packs)
    config = {"DATABASE_URL": store_url, "GUARD_POLICY_DIR": str(packs), "GUARD_RELOAD_POLL_SECONDS": "0", "GUARD_AUTO_MIGRATE": "0"}
    worker_app = create_app(config)  # a web worker, serving
    web = worker_app.test_client()
    assert web.get("/readyz").json["detail"]["refused"] == []
    assert "guard_policy_file_refused{" not in web.get("/metrics").get_data(as_text=True)

    first = create_app(config).extensions["guard"]  # `guard policies reload` after the deployment: every file good
    first.registry.load()
    first.request_reload("cli")
    first.store.dispose()
    us = packs / "us-tcpa-2026.1.yaml"
    good = us.read_text(encoding="utf-8")
    us.write_text(good.replace("max: 3", "max: three"), encoding="utf-8")
    cli = create_app(config).extensions["guard"]  # `guard policies reload` again, the file now broken
    assert cli.registry.load().kept == ["us-tcpa-2026.1.yaml"]
    cli.request_reload("cli")

    ready = web.get("/readyz")
    assert ready.status_code == 200  # the file's last good content serves: the process can decide
    refused = ready.json["detail"]["refused"]
    assert {r["source"] for r in refused} == {"us-tcpa-2026.1.yaml"} and all("'three' is not a whole number" in r["issue"] for r in refused)
    assert 'guard_policy_file_refused{source="us-tcpa-2026.1.yaml"} 1.0' in web.get("/metrics").get_data(as_text=True)

    # A process started now reads the files itself and says the same.
    late = create_app(config).test_client()
    assert late.get("/readyz").json["detail"]["refused"] == refused

    us.write_text(good, encoding="utf-8")  # mended, and reloaded
    cli.registry.load()
    cli.request_reload("cli")
    assert web.get("/readyz").json["detail"]["refused"] == []
    assert "guard_policy_file_refused{" not in web.get("/metrics").get_data(as_text=True)
    for app in (worker_app, late.application):
        app.extensions["guard"].store.dispose()
    cli.store.dispose()


def test_a_first_reload_with_a_broken_file_does_not_take_the_version_it_served_away(store_url: str, tmp_path: Path):
    """No reload has stored a last good content yet: a reload with the default pack's file broken must not make every
    process drop the version it serves (SPEC §5: the versions already loaded keep serving), which left the guard
    answering 503 NO_POLICY to every check."""
    from tests.e2e.servers import cli

    packs = tmp_path / "packs"
    shutil.copytree(PACKS, packs)
    config = {"DATABASE_URL": store_url, "GUARD_POLICY_DIR": str(packs), "GUARD_RELOAD_POLL_SECONDS": "0", "GUARD_AUTO_MIGRATE": "0"}
    worker = create_app(config).extensions["guard"]  # a web worker, serving the files as they were at its start
    serving = worker.packs().at("cn-bank", AT).hash

    try:
        cn = next(packs.glob("cn-bank-*.yaml"))
        cn.write_text(cn.read_text(encoding="utf-8").replace("\ncountry: CN\n", "\ncountry: CN\ncalling_windowz: []\n", 1),
                      encoding="utf-8")
        result = cli(config, "policies", "reload")
        assert result.returncode == 1 and f"{cn.name}: calling_windowz: unknown key" in result.stderr, result.stderr
        assert "reload NOT requested" in result.stderr

        assert worker.packs().at("cn-bank", AT) is not None and worker.packs().at("cn-bank", AT).hash == serving
    finally:
        worker.store.dispose()


def test_a_reload_after_a_restore_that_reuses_an_id_a_process_acted_on_is_still_taken(store_url: str, tmp_path: Path):
    """A restore puts back a backup taken before reload #1 (and its id sequence), and the packs are rolled back
    with it; the next `guard policies reload` is #1 again. A worker that acted on the first #1 and saw nothing in
    between must serve the documents of the new #1, not keep those of the one the restore removed."""
    packs = tmp_path / "packs"
    shutil.copytree(PACKS, packs)
    config = {"DATABASE_URL": store_url, "GUARD_POLICY_DIR": str(packs), "GUARD_RELOAD_POLL_SECONDS": "0", "GUARD_AUTO_MIGRATE": "0"}
    worker = create_app(config).extensions["guard"]
    original = worker.packs().at("us-tcpa", AT).hash
    us = packs / "us-tcpa-2026.1.yaml"
    text_before = us.read_text(encoding="utf-8")
    us.write_text(text_before.replace('from: "08:00"', 'from: "09:00"'), encoding="utf-8")
    first = create_app(config).extensions["guard"]
    first.registry.load()
    assert first.request_reload("cli") == 1
    assert worker.packs().at("us-tcpa", AT).hash != original  # the worker acted on #1

    with first.store.engine.begin() as conn:  # the restore: no reload yet, the id sequence as it was
        conn.execute(sa_text("DELETE FROM policy_reloads"))
        if conn.dialect.name == "postgresql":
            conn.execute(sa_text("SELECT setval(pg_get_serial_sequence('policy_reloads', 'id'), 1, false)"))
    us.write_text(text_before, encoding="utf-8")
    second = create_app(config).extensions["guard"]
    second.registry.load()
    assert second.request_reload("cli") == 1

    assert worker.packs().at("us-tcpa", AT).hash == original
    for rt in (worker, first, second):
        rt.store.dispose()
