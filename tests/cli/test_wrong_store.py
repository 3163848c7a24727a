"""A `guard` command pointed at the wrong store says so and does nothing (exit 2): a SQLite path that does not exist
is not created, a store that was never migrated (or is behind this release) is not reported on as the bank's.
Only `guard db upgrade` creates or migrates a store from the command line (the servers do at start, README "Settings")."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import database_beside
from tests.e2e.servers import cli

UPGRADE = "flask --app app guard db upgrade"


def _refused(result, url_shown: str) -> str:
    """The one line a refused command prints: exit 2, DATABASE_URL named, the command to run."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if not line.startswith("warning")]
    assert len(lines) == 1, result.stderr
    assert f"DATABASE_URL={url_shown}" in lines[0] and UPGRADE in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("args", [("db", "current"), ("keys", "list"), ("decisions", "verify"), ("decisions", "seal"),
                                  ("scheduler", "--once"), ("db", "backup", "{tmp}/copy.db")])
def test_a_command_refuses_a_sqlite_path_that_does_not_exist_and_creates_nothing(tmp_path: Path, args):
    # A typo in DATABASE_URL used to create and migrate a new, empty store: `db current` reported it at head and
    # `decisions verify` reported its empty log intact, the README's checks after a restore passing on nothing.
    url = f"sqlite:///{tmp_path}/typo/guard.db"
    result = cli({"DATABASE_URL": url}, *(a.format(tmp=tmp_path) for a in args))
    line = _refused(result, url)
    assert "no such file" in line
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == [], "nothing created: no folder, no store, no copy"


def test_a_command_refuses_a_store_that_was_never_migrated(tmp_path: Path):
    path = tmp_path / "other.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()  # some other application's database
    url = f"sqlite:///{path}"
    current = cli({"DATABASE_URL": url, "GUARD_LOG_LEVEL": "WARNING"}, "db", "current")
    assert current.stdout.startswith("current: None\nhead: ")
    assert "not a migrated store" in _refused(current, url)
    assert "not a migrated store" in _refused(cli({"DATABASE_URL": url}, "keys", "create", "--role", "dialer"), url)
    assert "not a migrated store" in _refused(cli({"DATABASE_URL": url}, "db", "backup", str(tmp_path / "copy.db")), url)
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"t"}, "the command migrated nothing"


def test_a_command_refuses_a_store_behind_head_and_db_upgrade_brings_it_there(tmp_path: Path):
    from guard.store.migrate import head_revision, upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0024")
    env = {"DATABASE_URL": url, "GUARD_LOG_LEVEL": "WARNING"}
    current = cli(env, "db", "current")
    assert current.stdout == f"current: 0024\nhead: {head_revision()}\n"
    assert f"at schema revision 0024, behind this release's {head_revision()}" in _refused(current, url)
    assert "behind" in _refused(cli(env, "decisions", "verify"), url)
    # The copy to take before the upgrade: `db backup` used to refuse it and say to run `db upgrade` first.
    backup = cli(env, "db", "backup", str(tmp_path / "before-upgrade.db"))
    assert backup.returncode == 0 and "integrity ok" in backup.stderr, backup.stderr
    copied = sqlite3.connect(tmp_path / "before-upgrade.db")
    assert copied.execute("SELECT version_num FROM alembic_version").fetchone() == ("0024",)
    copied.close()
    assert cli(env, "db", "upgrade").returncode == 0
    assert cli(env, "db", "current").returncode == 0
    assert cli(env, "keys", "list").returncode == 0


def test_db_upgrade_creates_a_new_store_and_commands_that_need_none_still_run(tmp_path: Path):
    url = f"sqlite:///{tmp_path}/new/guard.db"
    env = {"DATABASE_URL": url, "GUARD_LOG_LEVEL": "WARNING"}
    assert cli(env, "policies", "validate").returncode == 0
    script = tmp_path / "script.txt"
    script.write_text("您好，本产品保本保息。\n", encoding="utf-8")
    assert cli(env, "lint", str(script), "--product-type", "wealth").returncode == 1  # judged: fails, nothing unusable
    assert not (tmp_path / "new").exists()
    assert cli(env, "db", "upgrade").returncode == 0
    assert cli(env, "db", "current").returncode == 0


def test_decisions_verify_says_plainly_that_the_log_it_verified_is_empty(sqlite_url: str):
    result = cli({"DATABASE_URL": sqlite_url, "GUARD_LOG_LEVEL": "WARNING"}, "decisions", "verify")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["empty"] is True
    assert "the decision log is empty" in result.stderr


def test_postgresql_a_database_with_no_tables_and_a_wrong_database_name_are_refused(pg_template_url: str):
    empty = database_beside(pg_template_url, "no_tables")
    shown = make_url(empty).render_as_string(hide_password=True)
    current = cli({"DATABASE_URL": empty, "GUARD_LOG_LEVEL": "WARNING"}, "db", "current")
    assert current.stdout.startswith("current: None\n")
    assert "not a migrated store" in _refused(current, shown)
    assert "not a migrated store" in _refused(cli({"DATABASE_URL": empty}, "decisions", "verify"), shown)

    wrong = make_url(pg_template_url).set(database="guard_no_such_db").render_as_string(hide_password=False)
    for args in (("db", "current"), ("decisions", "verify")):
        result = cli({"DATABASE_URL": wrong}, *args)
        assert result.returncode == 2 and result.stdout == "", result
        assert "guard_no_such_db" in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
