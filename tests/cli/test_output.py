"""Where a command's output goes when the machine says no: a full disk, a closed pipe, Ctrl-C, a missing directory,
an `--out` that is a link. A report cut short must never exit 0 or 1 (complete results), nor leave a file that reads
as complete. Exit statuses as POSIX shells report a signal's: 128 + the signal (SIGINT 130, SIGPIPE 141); Python's
`signal` docs (note on SIGPIPE) for discarding stdout so that the interpreter's last flush does not fail again."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click
import pytest
from flask.cli import ScriptInfo

from guard.cli.output import check_out, written_whole


@pytest.fixture
def app(sqlite_url: str):
    from app import create_app

    app = create_app({"DATABASE_URL": sqlite_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "WARNING"})
    yield app
    app.extensions["guard"].store.dispose()


def run(app, args: list[str], stdout_path: str) -> int:
    """The command as `flask --app app guard …` runs it, its stdout a real file (a device such as /dev/full)."""
    saved = sys.stdout
    sys.stdout = open(stdout_path, "w", encoding="utf-8")
    try:
        with app.app_context():
            return app.cli.main(["guard", *args], obj=ScriptInfo(create_app=lambda: app), standalone_mode=False)
    finally:
        sys.stdout.close()
        sys.stdout = saved


def test_a_report_that_cannot_be_written_to_a_full_disk_exits_2_in_one_line(app, tmp_path: Path, capsys):
    # It raised OSError with a traceback and exit status 1, which `guard lint` gives to a complete report with findings.
    script = tmp_path / "s.txt"
    script.write_text("本产品保本保息。\n", encoding="utf-8")
    assert run(app, ["lint", str(script)], "/dev/full") == 2
    assert capsys.readouterr().err == "stdout: cannot be written: No space left on device; the output is incomplete\n"


def test_a_key_that_cannot_be_printed_is_revoked_not_left_active_for_nobody(app, capsys):
    assert run(app, ["keys", "create", "--role", "dialer"], "/dev/full") == 2
    said = capsys.readouterr().err
    key_id = re.match(r"key ([0-9a-f]{12}) revoked: it could not be printed\n", said).group(1)
    from guard.services.ops.keys import list_keys

    (key,) = [k for k in list_keys(app.extensions["guard"].store) if k["id"] == key_id]
    assert key["revoked_at"] is not None


def test_a_closed_pipe_exits_141_quietly(app, tmp_path: Path, capsys):
    script = tmp_path / "s.txt"
    script.write_text("本产品保本保息。\n", encoding="utf-8")
    read, write = os.pipe()
    os.close(read)
    try:
        assert run(app, ["lint", str(script)], f"/dev/fd/{write}") == 141
    finally:
        os.close(write)
    assert capsys.readouterr().err == ""


def test_an_out_file_is_written_through_a_link_and_left_alone_when_the_write_is_interrupted(tmp_path: Path):
    # `scrub --out` renamed its results over the link itself (as root, `--out /dev/stdout` would replace /dev/stdout),
    # and `audit --out` wrote the report in place: Ctrl-C mid-write left a truncated CSV that read as complete.
    target = tmp_path / "results.csv"
    target.write_text("previous\n", encoding="utf-8")
    os.chmod(target, 0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    with written_whole(link) as f:
        f.write("line,phone\n")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "line,phone\n"
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)
    with pytest.raises(KeyboardInterrupt):
        with written_whole(link) as f:
            f.write("half a report")
            raise KeyboardInterrupt
    assert target.read_text(encoding="utf-8") == "line,phone\n" and sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "results.csv"]


def test_an_out_file_in_a_missing_directory_is_refused_before_any_work(tmp_path: Path):
    with pytest.raises(click.BadParameter, match="no such directory"):
        check_out(tmp_path / "no-such-dir" / "report.html")
    with pytest.raises(click.BadParameter, match="is a directory"):
        check_out(tmp_path)
    check_out(tmp_path / "report.html")


def test_a_rejects_file_is_checked_before_the_import_and_written_whole_after_it(app, tmp_path: Path):
    # The rejects file was written in place as rows came: a list refused (its header unreadable) left a header-only
    # rejects file that read as "no row rejected"; a missing directory was said without naming --rejects.
    listed = tmp_path / "dnc.csv"
    listed.write_text("phone\n13800138000\n12345\n", encoding="utf-8")
    with app.app_context():
        runner = app.test_cli_runner()
        done = runner.invoke(args=["guard", "blacklist", "import", str(listed), "--rejects", str(tmp_path / "no" / "r.csv")])
        assert done.exit_code == 2 and "--rejects" in done.stderr and "no such directory" in done.stderr
        assert runner.invoke(args=["guard", "blacklist", "import", str(listed), "--rejects", str(tmp_path / "r.csv")]).exit_code == 1
        bad = tmp_path / "bad.csv"
        bad.write_text("phone,colour\n13800138000,red\n", encoding="utf-8")
        refused = runner.invoke(args=["guard", "blacklist", "import", str(bad), "--rejects", str(tmp_path / "bad-r.csv")])
        assert refused.exit_code == 1 and not (tmp_path / "bad-r.csv").exists()
    rows = (tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "line,reason,row" and rows[1].startswith("3,") and len(rows) == 2
    assert "added" not in done.stderr and not list(tmp_path.glob(".r.csv.*"))


def test_ctrl_c_while_a_command_starts_exits_130_in_one_line(sqlite_url: str):
    # A real SIGINT, raised as `create_app` begins importing the guard (a command's first second): click said
    # "Aborted!" and exited 1, the status of complete results with findings.
    import subprocess

    # SIGINT handled as at a terminal, even when the suite runs as a shell's background job (which ignores it).
    signalled = ("import signal, sys\n"
                 "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
                 "sys.addaudithook(lambda event, args: event == 'import' and args[0] == 'guard.config' and signal.raise_signal(signal.SIGINT))\n"
                 "from flask.cli import main\n"
                 "sys.argv = ['flask', '--app', 'app', 'guard', 'keys', 'list']\n"
                 "main()\n")
    done = subprocess.run([sys.executable, "-c", signalled], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "DATABASE_URL": sqlite_url}, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 130, done.stderr
    assert done.stderr == "\ninterrupted: stopped while starting; nothing was done\n" and done.stdout == ""


def test_ctrl_c_after_an_audit_is_recorded_but_before_it_runs_fails_it_instead_of_leaving_it_queued(sqlite_url: str, tmp_path: Path):
    # A real SIGINT as the command first opens a policy pack (after `audits.create`, before the run took the audit):
    # the audit stayed `queued` until the reaper's GUARD_AUDIT_STALE_AFTER, a run auditors waited for that never came.
    import subprocess

    from sqlalchemy import create_engine, text

    calls = tmp_path / "calls.csv"
    calls.write_text("call_id,phone,called_at,campaign\nc1,13800138000,2026-11-23T10:15:00+08:00,dep-2026q4\n", encoding="utf-8")
    # SIGINT handled as at a terminal, even when the suite runs as a shell's background job (which ignores it).
    signalled = ("import signal, sys\n"
                 "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
                 "sys.addaudithook(lambda event, args: event == 'open' and str(args[0]).endswith('.yaml') and 'packs' in str(args[0])"
                 " and signal.raise_signal(signal.SIGINT))\n"
                 "from flask.cli import main\n"
                 f"sys.argv = ['flask', '--app', 'app', 'guard', 'audit', {str(calls)!r}, '--out', {str(tmp_path / 'r.json')!r}]\n"
                 "main()\n")
    done = subprocess.run([sys.executable, "-c", signalled], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "DATABASE_URL": sqlite_url}, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 130 and done.stderr.strip().splitlines()[-1].startswith("interrupted:"), done.stderr
    assert "Traceback" not in done.stderr and not list(tmp_path.glob("r.json*"))
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:
        statuses = [tuple(r) for r in conn.execute(text("SELECT status, error FROM audits"))]
    engine.dispose()
    assert len(statuses) == 1 and statuses[0][0] == "failed" and "interrupted" in statuses[0][1], statuses


def test_ctrl_c_at_a_terminal_during_a_parallel_import_prints_one_line_not_each_workers_traceback(sqlite_url: str, tmp_path: Path):
    # A terminal's Ctrl-C goes to the whole process group: the import's forked workers each printed a KeyboardInterrupt
    # traceback after the command's one "interrupted" line. The group here is the command's own session, so nothing
    # else is signalled; the signal goes once two workers are up and the first batches are in their hands.
    import subprocess

    listed = tmp_path / "dnc.csv"
    listed.write_text("phone\n" + "".join(f"139{i:08d}\n" for i in range(100_000)), encoding="utf-8")
    signalled = ("import multiprocessing, os, signal, sys, threading, time\n"
                 "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
                 "def interrupt():\n"
                 "    while len(multiprocessing.active_children()) < 2:\n"
                 "        time.sleep(0.01)\n"
                 "    time.sleep(0.3)\n"
                 "    os.killpg(os.getpgid(0), signal.SIGINT)\n"
                 "threading.Thread(target=interrupt, daemon=True).start()\n"
                 "from flask.cli import main\n"
                 f"sys.argv = ['flask', '--app', 'app', 'guard', 'blacklist', 'import', {str(listed)!r}, '--source', 'registry', '--workers', '2']\n"
                 "main()\n")
    done = subprocess.run([sys.executable, "-c", signalled], capture_output=True, text=True, timeout=120, start_new_session=True,
                          env={**os.environ, "DATABASE_URL": sqlite_url},
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr, done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("interrupted"), done.stderr
