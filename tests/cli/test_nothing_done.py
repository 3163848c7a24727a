"""A command that did nothing must not exit 0 as if it had: a validation of no pack file, of a policy directory a start
would refuse, an import of a file with no row."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import PACKS
from tests.e2e.servers import cli


def test_policies_validate_of_a_directory_with_no_pack_file_exits_1(sqlite_url: str, tmp_path: Path):
    empty = tmp_path / "packs"
    empty.mkdir()
    env = {"DATABASE_URL": sqlite_url, "GUARD_LOG_LEVEL": "CRITICAL"}
    named = cli(env, "policies", "validate", str(empty))
    assert named.returncode == 1 and f"error  {empty}: no pack file (*.yaml, *.yml) in the directory" in named.stderr
    served = cli({**env, "GUARD_POLICY_DIR": str(empty)}, "policies", "validate")
    assert served.returncode == 1 and "no pack file" in served.stderr


def test_policies_validate_refuses_the_policy_directory_a_start_would_refuse(sqlite_url: str, tmp_path: Path):
    # Without a valid version of the default pack, a start logs "the default pack 'cn-bank' has no valid version" and
    # `guard policies reload` refuses the directory; `validate` said nothing and exited 0.
    packs = tmp_path / "packs"
    packs.mkdir()
    for name in ("us-tcpa-2026.1.yaml", "us-tcpa-2026.2.yaml"):
        shutil.copy(PACKS / name, packs / name)
    env = {"DATABASE_URL": sqlite_url, "GUARD_LOG_LEVEL": "CRITICAL", "GUARD_POLICY_DIR": str(packs)}
    result = cli(env, "policies", "validate")
    assert result.returncode == 1, result
    assert f"error  {packs}: the default pack 'cn-bank' (GUARD_DEFAULT_PACK) has no valid version" in result.stderr
    assert "ok  us-tcpa-2026.2.yaml" in result.stdout
    assert cli({**env, "GUARD_DEFAULT_PACK": "us-tcpa"}, "policies", "validate").returncode == 0


def test_blacklist_import_of_a_file_with_no_row_exits_1_as_consents_import_does(sqlite_url: str, tmp_path: Path):
    env = {"DATABASE_URL": sqlite_url, "GUARD_LOG_LEVEL": "WARNING"}
    for name, content in (("empty.csv", ""), ("blank.csv", "\n\n"), ("header.csv", "phone,source,reason\n")):
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        result = cli(env, "blacklist", "import", str(path))
        assert result.returncode == 1, (name, result)
        assert f"{path}: no row to import" in result.stderr and result.stdout == ""
    assert cli(env, "consents", "import", str(tmp_path / "empty.csv")).returncode == 1


def test_db_backup_refusals_exit_2_nothing_backed_up(sqlite_url: str, tmp_path: Path):
    # README "Command line": exit 2 when nothing could be read or done. A target that exists, or whose directory is
    # missing, was refused with click's exit status 1, while a missing store was refused with 2.
    from app import create_app

    app = create_app({"DATABASE_URL": sqlite_url, "GUARD_LOG_LEVEL": "WARNING"})
    runner = app.test_cli_runner()
    try:
        with app.app_context():
            taken = tmp_path / "taken.db"
            taken.write_bytes(b"kept")
            for target, said in ((taken, "exists; give a new file"), (tmp_path / "none" / "copy.db", "no such directory")):
                done = runner.invoke(args=["guard", "db", "backup", str(target)])
                assert done.exit_code == 2 and said in done.stderr, done.stderr
            assert taken.read_bytes() == b"kept"
    finally:
        app.extensions["guard"].store.dispose()
