"""Backups restore into a working guard: pg_dump/pg_restore on PostgreSQL, `guard db backup` on SQLite.

The store is backed up while a guard serves it; the copy is restored into a new database (a new
file), and the restored store is proven the same: every table's rows, the schema revision, the
decision log's hash chain up to the head recorded before the backup, the append-only trigger
(PostgreSQL), and a guard started on it still counts the calls already made against the cap.
"""

from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.pool import NullPool

from guard.store.models import Base
from tests.e2e.servers import GuardServer, cli

pytestmark = pytest.mark.e2e
AT = "2026-11-23T10:15:00+08:00"


def _fill(server: GuardServer, key: str) -> dict:
    """Decisions (allowed and denied), a blacklist entry and a complaint, through the API."""
    first = None
    for phone in ("13800138000", "13800138000", "13900139000"):
        status, body = server.request("POST", "/v1/check", {"phone": phone, "campaign": "dep-2026q4", "at": AT}, key)
        assert status == 200
        first = first or body
    assert server.request("POST", "/v1/blacklist", {"phone": "13700137000", "source": "customer_request"}, key)[0] == 201
    assert server.request("POST", "/v1/complaints", {"phone": "13600136000", "severity": "light", "text": "太频繁",
                                                      "received_at": "2026-11-23T09:00:00+08:00"}, key)[0] == 201
    return first


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in Base.metadata.sorted_tables}
    finally:
        engine.dispose()


def _head(env: dict) -> str:
    assert cli(env, "decisions", "seal").returncode == 0
    out = cli(env, "decisions", "verify")
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout)["head"]["hash"]


def _prove_restored(env: dict, before: dict[str, int], head: str, first: dict) -> None:
    assert _counts(env["DATABASE_URL"]) == before
    current = cli(env, "db", "current").stdout.split()
    assert current[1] == current[3], current  # current == head revision
    verify = cli(env, "decisions", "verify", "--expect-head", head)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    server = GuardServer(env).start()
    try:
        key = cli(env, "keys", "create", "--role", "dialer").stdout.strip()
        status, again = server.request("POST", "/v1/check", {"phone": "13800138000", "campaign": "dep-2026q4", "at": AT}, key)
        assert status == 200 and again["allowed"] is False and again["reasons"][0]["code"] == "FREQ_CAP"
        status, listed = server.request("POST", "/v1/check", {"phone": "13700137000", "campaign": "dep-2026q4", "at": AT, "dry_run": True}, key)
        assert "DNC_OPT_OUT" in [r["code"] for r in listed["reasons"]]
        status, old = server.request("GET", f"/v1/decisions/{first['decision_id']}", None, key)
        assert status == 200 and old["allowed"] is True
    finally:
        server.stop()


def test_pg_dump_of_a_serving_store_restores_into_a_working_guard(pg_server, pg_template_url, tmp_path):
    if pg_server is None:
        pytest.skip("needs the suite's own PostgreSQL server (pg_dump runs beside it)")
    from tests.conftest import _truncate_all

    _truncate_all(pg_template_url)
    env = {"DATABASE_URL": pg_template_url, "GUARD_ALLOW_CLIENT_TIME": "1", "GUARD_AUTO_MIGRATE": "0"}
    server = GuardServer(env).start()
    try:
        key = cli(env, "keys", "create", "--role", "dialer", "--role", "operator").stdout.strip()
        first = _fill(server, key)
        head = _head(env)
        before = _counts(pg_template_url)
        dump = pg_server.root / "guard.dump"
        database = pg_template_url.rsplit("/", 1)[1]
        out = pg_server._run(str(pg_server.bin / "pg_dump"), "-Fc", "-h", "127.0.0.1", "-p", str(pg_server.port),
                             "-U", pg_server.user, "-d", database, "-f", str(dump), check=False)
        assert out.returncode == 0, out.stderr
    finally:
        server.stop()
    restored_url = pg_server.create_database("guard_restored")
    out = pg_server._run(str(pg_server.bin / "pg_restore"), "--no-owner", "--exit-on-error", "-h", "127.0.0.1",
                         "-p", str(pg_server.port), "-U", pg_server.user, "-d", "guard_restored", str(dump), check=False)
    assert out.returncode == 0, out.stderr
    _prove_restored({**env, "DATABASE_URL": restored_url}, before, head, first)
    # The append-only trigger came back with the schema.
    engine = create_engine(restored_url, poolclass=NullPool)
    try:
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text("UPDATE decisions SET allowed = NOT allowed"))
    finally:
        engine.dispose()


def test_guard_db_backup_copies_a_serving_sqlite_store(sqlite_url, tmp_path):
    env = {"DATABASE_URL": sqlite_url, "GUARD_ALLOW_CLIENT_TIME": "1", "GUARD_AUTO_MIGRATE": "0"}
    server = GuardServer(env).start()
    copy = tmp_path / "backup" / "guard-copy.db"
    copy.parent.mkdir()
    try:
        key = cli(env, "keys", "create", "--role", "dialer", "--role", "operator").stdout.strip()
        first = _fill(server, key)
        head = _head(env)
        before = _counts(sqlite_url)
        out = cli(env, "db", "backup", str(copy))  # while the server is up
        assert out.returncode == 0 and "integrity ok" in out.stderr, out.stderr
        assert cli(env, "db", "backup", str(copy)).returncode != 0  # never overwrites
    finally:
        server.stop()
    restored = tmp_path / "restored.db"
    shutil.copyfile(copy, restored)
    _prove_restored({**env, "DATABASE_URL": f"sqlite:///{restored}"}, before, head, first)
    refused = cli({**env, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}, "db", "backup", str(tmp_path / "x"))
    assert refused.returncode != 0 and "pg_dump" in refused.stderr
