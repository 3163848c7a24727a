"""An operand `-` is standard input (POSIX Utility Syntax Guidelines, XBD 12.2, guideline 13), so that a script, a call
list or a call log can be piped in: `iconv -f gbk … | guard scrub - --campaign …`. It was refused with
"File '-' does not exist"."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def runner(sqlite_url: str):
    from app import create_app

    app = create_app({"DATABASE_URL": sqlite_url, "GUARD_LOG_LEVEL": "WARNING"})
    with app.app_context():  # as `flask --app app guard …` runs it
        yield app.test_cli_runner()
    app.extensions["guard"].store.dispose()


def test_lint_reads_a_script_piped_in_gbk_as_stdin(runner):
    done = runner.invoke(args=["guard", "lint", "-", "--format", "json"], input="本产品保本保息。\n".encode("gbk"))
    assert done.exit_code == 1, done.stderr  # a banned phrase: the script fails
    (report,) = json.loads(done.stdout)["files"]
    assert report["file"] == "<stdin>"
    assert "guarantee.principal_and_interest" in {f["rule"] for f in report["findings"]}
    assert done.stderr == "<stdin>: read as GB18030 (told from its bytes)\n"


def test_scrub_reads_a_list_piped_in(runner):
    listed = "客户编号,手机号码\nC1,13800138000\nC2,12345\n".encode("gbk")
    done = runner.invoke(args=["guard", "scrub", "-", "--campaign", "dep-2026q4", "--at", "2026-12-07T10:00:00+08:00"],
                         input=listed)
    assert done.exit_code == 1, done.stderr  # complete results, a row denied
    assert [line.split(",")[3] for line in done.stdout.splitlines()[1:]] == ["true", "false"]
    assert done.stderr.startswith("scrub <stdin> for dep-2026q4 at 2026-12-07T10:00:00+08:00 (cn-bank 2026.4): 2 rows, 1 allowed")


def test_audit_reads_a_call_log_piped_in(runner):
    log = json.dumps({"call_id": "j1", "phone": "13800138000", "called_at": "2026-11-23T10:00:00+08:00",
                      "campaign": "wm-2026q4", "transcript": "您好，这款理财保本保息，零风险"}, ensure_ascii=False) + "\n"
    done = runner.invoke(args=["guard", "audit", "-"], input=log.encode("utf-8"))
    report = json.loads(done.stdout)
    assert report["audit"]["source"] == "<stdin>" and report["audit"]["summary"]["calls_judged"] == 1
    assert "BANNED_PHRASE" in {v["code"] for v in report["violations"]}
