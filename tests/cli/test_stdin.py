"""An operand `-` is standard input (POSIX Utility Syntax Guidelines, XBD 12.2, guideline 13), so that a script, a call
list or a call log can be piped in: `iconv -f gbk … | guard scrub - --campaign …`. It was refused with
"File '-' does not exist"."""

from __future__ import annotations

import json


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


def test_list_and_consent_imports_read_a_file_piped_in(runner):
    listed = "手机号码,来源\n13800138000,registry\n12345,registry\n".encode("gbk")
    done = runner.invoke(args=["guard", "blacklist", "import", "-"], input=listed)
    assert done.exit_code == 1, done.stderr  # imported, one row rejected
    assert json.loads(done.stdout)["accepted"] == 1
    assert "<stdin>:3: rejected: phone:" in done.stderr and "<stdin>: read as GB18030" in done.stderr
    removed = runner.invoke(args=["guard", "blacklist", "remove", "-", "--source", "registry", "--reason", "left the registry list",
                                  "--dry-run"], input=b"phone\n13800138000\n")
    assert removed.exit_code == 0, removed.stderr
    assert json.loads(removed.stdout)["removed"] == 1
    consents = runner.invoke(args=["guard", "consents", "import", "-"],
                             input=b"phone,customer_id,source,given_at\n13800138000,c1,fax,2026-11-01T10:00:00+08:00\n")
    assert consents.exit_code == 1 and json.loads(consents.stdout)["rows"] == 1
    assert consents.stderr.startswith("<stdin>:2: rejected: source:")


def test_an_exported_log_is_verified_from_stdin(runner):
    exported = runner.invoke(args=["guard", "decisions", "export"])
    done = runner.invoke(args=["guard", "decisions", "verify", "--file", "-"], input=exported.stdout + "not a link\n")
    assert done.exit_code == 1, done.stderr  # read, and the line that is no link found
    assert json.loads(done.stdout)["counts"]["unreadable"] == 1


def test_a_pack_cannot_be_read_from_stdin_and_says_so(runner):
    for args in (["policies", "validate", "-"], ["policies", "simulate", "-"]):
        done = runner.invoke(args=["guard", *args], input=b"id: cn-bank\n")
        assert done.exit_code == 2 and "- (standard input) cannot name a pack" in done.stderr, done.stderr


def test_rejects_to_dash_is_refused_not_written_as_a_file_named_dash(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    done = runner.invoke(args=["guard", "blacklist", "import", "-", "--rejects", "-"], input=b"13800138000\n")
    assert done.exit_code == 2 and "--rejects" in done.stderr and not (tmp_path / "-").exists(), done.stderr
