"""The `guard` command line, run as a user runs it: `flask --app app guard ...` in a subprocess."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest

from tests.conftest import PACKS
from tests.e2e.servers import GuardServer, cli, request


@pytest.fixture
def env(sqlite_url: str) -> dict[str, str]:
    return {"DATABASE_URL": sqlite_url, "GUARD_LOG_LEVEL": "WARNING"}


def test_keys_create_prints_the_key_alone_and_it_works(env, make_app):
    result = cli(env, "keys", "create", "--role", "dialer", "--role", "auditor", "--label", "dialer-01")
    assert result.returncode == 0
    assert re.fullmatch(r"gk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}\n", result.stdout)
    listed = cli(env, "keys", "list").stdout
    assert "auditor,dialer" in listed and "dialer-01" in listed and result.stdout.strip() not in listed
    key_id = result.stdout.split("_")[1]
    assert re.fullmatch(rf"{key_id}\tauditor,dialer\tcreated \d{{4}}-\d\d-\d\dT[0-9:.]+\+00:00\tactive\tdialer-01\n", listed)


def test_commands_are_quiet_on_stderr_unless_asked(sqlite_url):
    # No GUARD_LOG_LEVEL: what an operator types. Migrations and packs loaded are not news on every command.
    env = {"DATABASE_URL": sqlite_url}
    upgraded = cli(env, "db", "upgrade")
    assert upgraded.returncode == 0 and re.fullmatch(r"store at revision \d{4}\n", upgraded.stderr), upgraded.stderr
    listed = cli(env, "keys", "list")
    assert listed.returncode == 0 and listed.stderr == ""
    verbose = cli(env, "-v", "keys", "list")
    assert verbose.returncode == 0 and "INFO guard: policy pack cn-bank: versions" in verbose.stderr
    # A command reads the packs when it first needs them: `keys list` never does, so it has no pack line to give.
    explicit = cli({**env, "GUARD_LOG_LEVEL": "INFO"}, "keys", "list")
    # Nor is the schema check's Alembic context ("Context impl SQLiteImpl."): no migration ran.
    assert explicit.returncode == 0 and explicit.stderr == "", explicit.stderr
    linted = cli({**env, "GUARD_LOG_LEVEL": "INFO"}, "lint", "-", input_="本产品保本保息。\n")
    assert linted.returncode == 1 and "INFO guard: policy pack cn-bank: versions" in linted.stderr, linted.stderr


def test_keys_create_refuses_an_unknown_role(env):
    result = cli(env, "keys", "create", "--role", "superuser")
    assert result.returncode == 2 and "superuser" in result.stderr and result.stdout == ""


def test_keys_revoke(env):
    key = cli(env, "keys", "create", "--role", "dialer").stdout.strip()
    key_id = key.split("_")[1]
    assert cli(env, "keys", "revoke", key_id).returncode == 0
    assert "revoked" in cli(env, "keys", "list").stdout
    again = cli(env, "keys", "revoke", key_id)
    assert again.returncode == 1 and "no active key" in again.stderr



def test_keys_revoke_takes_the_whole_key_and_never_writes_its_secret_back(sqlite_url: str):
    # README "Keys and roles": `keys revoke KEY_ID`, the part after gk_. A whole key pasted there was refused as
    # "no active key 'gk_<id>_<secret>'": the secret written to the terminal (and to any log of it), the key still live.
    from app import create_app

    app = create_app({"DATABASE_URL": sqlite_url, "GUARD_LOG_LEVEL": "WARNING"})
    runner = app.test_cli_runner()
    try:
        with app.app_context():
            key = runner.invoke(args=["guard", "keys", "create", "--role", "dialer"]).stdout.strip()
            key_id, secret = key.split("_")[1], key.split("_", 2)[2]
            done = runner.invoke(args=["guard", "keys", "revoke", key])
            assert done.exit_code == 0 and f"revoked {key_id}" in done.stderr and secret not in done.output
            again = runner.invoke(args=["guard", "keys", "revoke", key])
            assert again.exit_code == 1 and f"no active key '{key_id}'" in again.stderr and secret not in again.output
    finally:
        app.extensions["guard"].store.dispose()

def test_policies_validate_accepts_the_shipped_packs(env):
    result = cli(env, "policies", "validate")
    assert result.returncode == 0, result.stderr
    assert "cn-bank-2026.4.yaml: cn-bank 2026.4" in result.stdout and "us-tcpa" in result.stdout


def test_policies_validate_names_file_key_and_reason_and_exits_1(env, tmp_path: Path):
    bad = tmp_path / "cn-bank-2027.1.yaml"
    text = (PACKS / "cn-bank-2026.4.yaml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^effective_from: .*$', 'effective_from: "2027-01-01T00:00:00+08:00"', text.replace('version: "2026.4"', 'version: "2027.1"'))
    bad.write_text(text.replace("window: 30d, max: 3", "window: 30x, max: 3"), encoding="utf-8")
    result = cli(env, "policies", "validate", str(bad))
    assert result.returncode == 1
    assert "cn-bank-2027.1.yaml: caps.normal[2].window: '30x' is not a duration (<n>s|<n>m|<n>h|<n>d)" in result.stderr
    missing = cli(env, "policies", "validate", str(tmp_path / "nope"))
    assert missing.returncode == 1 and "no such file or directory" in missing.stderr


def test_policies_validate_judges_a_draft_file_beside_the_packs_it_would_load_with(env, tmp_path: Path):
    # docs/policy-packs.md shows a single file validated and a draft that `extends: cn-bank`; the example pack
    # policies/examples/us-tcpa-pewc extends us-tcpa. Validated before being copied into GUARD_POLICY_DIR, each was
    # refused ("no valid version of that pack is loaded") though it loads there: `extends` resolves against the
    # served directory's packs, and only the named file is reported.
    draft = tmp_path / "cn-bank-wealth-2026.4.yaml"
    draft.write_text('id: cn-bank-wealth\nversion: "2026.4"\neffective_from: "2026-10-01T00:00:00+08:00"\n'
                     "extends: cn-bank\ncaps:\n  normal:\n    - {scope: customer, window: 7d, max: 1}\n", encoding="utf-8")
    result = cli(env, "policies", "validate", str(draft))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok  cn-bank-wealth-2026.4.yaml: cn-bank-wealth 2026.4") and "(extends cn-bank 2026.4)" in result.stdout
    assert "cn-bank-2026.4.yaml" not in result.stdout and "us-tcpa" not in result.stdout
    example = cli(env, "policies", "validate", str(PACKS.parent / "examples" / "us-tcpa-pewc-2026.1.yaml"))
    assert example.returncode == 0 and "(extends us-tcpa " in example.stdout, example.stderr
    draft.write_text(draft.read_text(encoding="utf-8").replace("window: 7d", "window: 7x"), encoding="utf-8")
    bad = cli(env, "policies", "validate", str(draft))
    assert bad.returncode == 1 and "cn-bank-wealth-2026.4.yaml: caps.normal[0].window: '7x'" in bad.stderr
    assert "cn-bank-2026.4.yaml:" not in bad.stderr.replace("cn-bank-wealth-2026.4.yaml:", "")


def test_scheduler_once_records_every_job_it_runs_for_the_metrics(env):
    # README "Metrics": guard_job_runs_recorded_total{job} and guard_job_last_run_timestamp_seconds{job} come from the
    # store. script_review ran without being recorded, so a scheduler whose review job stopped showed nothing amiss.
    from app import create_app
    from guard.store.jobs import run_summary

    result = cli(env, "scheduler", "--once")
    ran = [json.loads(line)["job"] for line in result.stdout.splitlines()]
    assert result.returncode == 0 and "script_review" in ran, result.stderr
    recorded = {job: n for job, n, _ in run_summary(create_app({"DATABASE_URL": env["DATABASE_URL"]}).extensions["guard"].store)}
    assert recorded == {job: 1 for job in ran}, recorded


def test_db_current_reports_head(env):
    from guard.store.migrate import head_revision

    result = cli(env, "db", "current")
    assert result.returncode == 0 and result.stdout == f"current: {head_revision()}\nhead: {head_revision()}\n"


def test_db_backup_is_readable_by_its_owner_only_whatever_the_umask(env, tmp_path: Path):
    # The store is created 0600 (it holds customers' numbers, complaints, password and key hashes): its copy
    # was written with the umask's mode, 0644 under the usual 022, readable by every user of the host.
    assert cli(env, "db", "upgrade").returncode == 0
    copy = tmp_path / "guard-copy.db"
    done = cli(env, "db", "backup", str(copy))
    assert done.returncode == 0, done.stderr
    assert copy.stat().st_mode & 0o777 == 0o600
    again = cli(env, "db", "backup", str(copy))
    assert again.returncode == 2 and "exists" in again.stderr  # nothing backed up (README "Command line")


@pytest.mark.e2e
def test_policies_reload_reaches_every_running_process_and_a_broken_file_keeps_serving(store_url, tmp_path: Path):
    packs = tmp_path / "packs"
    shutil.copytree(PACKS, packs)
    env = {"DATABASE_URL": store_url, "GUARD_POLICY_DIR": str(packs), "GUARD_RELOAD_POLL_SECONDS": "0.2",
           "GUARD_ALLOW_CLIENT_TIME": "1", "GUARD_AUTO_MIGRATE": "0"}
    server = GuardServer(env, workers=3, threads=2).start()
    try:
        key = cli(env, "keys", "create", "--role", "dialer").stdout.strip()
        body = {"phone": "+1 212 555 0123", "campaign": "us-cc-2026", "at": "2026-11-23T08:30:00-05:00", "dry_run": True}
        assert request(server.port, "POST", "/v1/check", body, key)[1]["allowed"] is True

        us = packs / "us-tcpa-2026.1.yaml"
        us.write_text(us.read_text(encoding="utf-8").replace('from: "08:00"', 'from: "09:00"'), encoding="utf-8")
        result = cli(env, "policies", "reload")
        assert result.returncode == 0, result.stderr
        time.sleep(0.6)
        # Every worker (the requests land on different ones) now serves the new content.
        answers = [request(server.port, "POST", "/v1/check", body, key)[1] for _ in range(12)]
        assert all(a["reasons"][0]["code"] == "QUIET_HOURS" for a in answers)
        new_hash = answers[0]["policy"]["hash"]

        us.write_text(us.read_text(encoding="utf-8").replace("max: 3", "max: three"), encoding="utf-8")
        broken = cli(env, "policies", "reload")
        assert broken.returncode == 1 and "us-tcpa-2026.1.yaml: caps.normal[0].max: 'three'" in broken.stderr
        time.sleep(0.6)
        answers = [request(server.port, "POST", "/v1/check", body, key)[1] for _ in range(12)]
        assert {a["policy"]["hash"] for a in answers} == {new_hash}  # the last good version keeps serving
    finally:
        server.stop()


def test_blacklist_import_reports_rejects_with_line_numbers_and_reimport_changes_nothing(env, tmp_path):
    import json

    csv = tmp_path / "registry.csv"
    csv.write_text("phone,reason\n13800138000,national list\n+86 139 0013 9000,\nnot-a-number,\n13700137000,\n", encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    result = cli(env, "blacklist", "import", str(csv), "--rejects", str(rejects))
    assert result.returncode == 1  # a row was rejected
    summary = json.loads(result.stdout)
    assert (summary["accepted"], summary["unchanged"], summary["rejected"], summary["rows"]) == (3, 0, 1, 4)
    assert f"{csv}:4: rejected: phone: 'not-a-number'" in result.stderr
    assert rejects.read_text(encoding="utf-8").splitlines()[1].startswith("4,")
    again = json.loads(cli(env, "blacklist", "import", str(csv)).stdout)
    assert (again["accepted"], again["unchanged"]) == (0, 3)
    clean = tmp_path / "clean.csv"
    clean.write_text("13600136000,litigator\n", encoding="utf-8")
    ok = cli(env, "blacklist", "import", str(clean))
    assert ok.returncode == 0 and json.loads(ok.stdout)["accepted"] == 1


def test_blacklist_import_refuses_a_bad_header_or_source(env, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("phone,colour\n13800138000,red\n", encoding="utf-8")
    result = cli(env, "blacklist", "import", str(bad))
    assert result.returncode == 1 and "colour" in result.stderr and result.stdout == ""
    result = cli(env, "blacklist", "import", str(bad), "--source", "gossip")
    assert result.returncode == 2 and "gossip" in result.stderr
    assert cli(env, "blacklist", "import", str(tmp_path / "missing.csv")).returncode == 2


def test_blacklist_import_rejects_a_line_whose_quote_is_not_closed_and_reads_on(env, tmp_path):
    import json

    csv = tmp_path / "q.csv"
    csv.write_bytes('phone,source,reason\r\n13833000001,registry,ok1\r\n13833000003,registry,"未闭合的引号\r\n'
                    '13833000004,registry,ok4\r\n13833000005,registry,ok5\r\n'.encode())
    rejects = tmp_path / "rejects.csv"
    result = cli(env, "blacklist", "import", str(csv), "--rejects", str(rejects))
    assert result.returncode == 1, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["accepted"], summary["rejected"], summary["rows"]) == (3, 1, 4)
    assert f"{csv}:3: rejected: a quote opened in this line is not closed on it" in result.stderr
    assert "3 added, 0 already listed, 1 rejected of 4 rows" in result.stderr
    assert rejects.read_text(encoding="utf-8").splitlines()[1] == '3,a quote opened in this line is not closed on it,' \
                                                                  '"13833000003,registry,""未闭合的引号"'


def test_blacklist_import_tells_a_gbk_or_big5_export_from_its_bytes_or_reads_the_encoding_named(env, tmp_path):
    import json

    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("手机号码,来源,原因\r\n13800138000,customer_request,客户来电要求不再推销理财产品\r\n"
                    "13900139000,complaint,投诉后加入黑名单\r\n12345,registry,号码位数不对\r\n".encode("gbk"))
    rejects = tmp_path / "rejects.csv"
    result = cli(env, "blacklist", "import", str(gbk), "--rejects", str(rejects))
    assert result.returncode == 1, result.stderr  # the one bad number
    assert (json.loads(result.stdout)["accepted"], json.loads(result.stdout)["rejected"]) == (2, 1)
    assert f"{gbk}: read as GB18030 (told from its bytes)" in result.stderr
    import csv as _csv

    with rejects.open(encoding="utf-8", newline="") as handle:
        written = list(_csv.reader(handle))
    assert written[1][0] == "4" and written[1][1].startswith("phone: '12345'") and written[1][2] == "12345,registry,号码位数不对"
    short = tmp_path / "short.csv"  # too little Chinese to tell GBK from Big5
    short.write_bytes("13700137000,manual,退訂\n".encode("big5"))
    result = cli(env, "blacklist", "import", str(short))
    assert result.returncode == 1 and "--encoding" in result.stderr and result.stdout == ""
    result = cli(env, "blacklist", "import", str(short), "--encoding", "big5")
    assert result.returncode == 0 and json.loads(result.stdout)["accepted"] == 1, result.stderr
    assert f"{short}: read as Big5-HKSCS\n" in result.stderr
    result = cli(env, "blacklist", "import", str(short), "--encoding", "klingon")
    assert result.returncode == 2 and "klingon" in result.stderr and result.stdout == ""


def test_blacklist_import_shows_a_progress_bar_on_a_terminal(env, tmp_path):
    from tests.e2e.servers import cli_on_a_terminal

    csv = tmp_path / "list.csv"
    csv.write_text("".join(f"138{i:08d}\n" for i in range(3000)), encoding="utf-8")
    proc, shown = cli_on_a_terminal(env, "blacklist", "import", str(csv))
    assert proc.returncode == 0 and b'"accepted": 3000' in proc.stdout
    assert b"importing list.csv" in shown and b"100%" in shown


def test_a_metrics_directory_that_does_not_exist_yet_is_created(env, tmp_path):
    metrics = tmp_path / "run" / "metrics"  # as a RuntimeDirectory path reads before the server first starts
    result = cli({**env, "PROMETHEUS_MULTIPROC_DIR": str(metrics)}, "keys", "create", "--role", "dialer")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout.startswith("gk_") and metrics.is_dir()


def test_a_metrics_directory_that_cannot_be_created_stops_the_command_naming_it(env, tmp_path):
    (tmp_path / "run").write_text("a file, not a directory")
    result = cli({**env, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "run" / "metrics")}, "keys", "list")
    assert result.returncode == 1 and result.stdout == "" and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith(f"Error: PROMETHEUS_MULTIPROC_DIR='{tmp_path}/run/metrics': cannot create the directory"), result.stderr


def test_a_store_that_cannot_be_reached_is_one_line_as_an_operator_types_it(tmp_path):
    # README: "a store that cannot be reached: one line, `store unavailable: …`, exit 2". Without GUARD_LOG_LEVEL (what
    # an operator types) the start-up's own ERROR line came first, and the driver's message ran over two lines.
    from tests.pgserver import free_port

    env = {"DATABASE_URL": f"postgresql://guard@127.0.0.1:{free_port()}/nowhere"}
    result = cli(env, "keys", "list")
    assert result.returncode == 2 and result.stdout == "", (result.returncode, result.stderr)
    assert result.stderr.startswith("store unavailable: ") and result.stderr.count("\n") == 1, result.stderr
    validated = cli(env, "policies", "validate")  # needs no store: nothing about it on stderr but the packs' warnings
    assert validated.returncode == 0 and "store unavailable" not in validated.stderr, validated.stderr


@pytest.mark.parametrize("args", [("decisions", "verify"), ("scheduler", "--once"),
                                  ("audit", "--decisions", "--from", "2026-11-01T00:00:00+08:00", "--to", "2026-12-01T00:00:00+08:00")])
def test_a_store_that_cannot_be_reached_is_said_in_one_line_not_a_traceback(args):
    from tests.pgserver import free_port

    result = cli({"DATABASE_URL": f"postgresql://guard@127.0.0.1:{free_port()}/nowhere", "GUARD_LOG_LEVEL": "CRITICAL"}, *args)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and result.stderr.startswith("store unavailable: "), result.stderr


def test_blacklist_import_rejects_file_opens_in_excel_as_utf8_and_no_cell_becomes_a_formula(env, tmp_path):
    # Excel reads a CSV without a byte-order mark in the machine's ANSI code page (GBK on Chinese Windows), so the rows'
    # Chinese would read as mojibake; a cell starting with = + - @ is read as a formula (OWASP, "CSV Injection").
    import csv as _csv

    src = tmp_path / "registry.csv"
    src.write_bytes("手机号码,原因\r\n+86 154-8475-6469,客户要求\r\n=HYPERLINK(\"http://x\"),坏行\r\n".encode("gbk"))
    rejects = tmp_path / "rejects.csv"
    result = cli(env, "blacklist", "import", str(src), "--rejects", str(rejects))
    assert result.returncode == 1, result.stderr
    raw = rejects.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(_csv.reader(handle))
    assert rows[0] == ["line", "reason", "row"]
    assert rows[1][0] == "2" and rows[1][2] == "'+86 154-8475-6469,客户要求"
    assert rows[2][0] == "3" and rows[2][2].startswith("'=HYPERLINK(")
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_blacklist_import_does_not_say_rejects_were_cut_when_every_one_was_printed_and_written(env, tmp_path):
    # The endpoint's answer holds the first 1,000 rejected rows; the command prints each and --rejects writes each.
    src = tmp_path / "list.csv"
    src.write_text("phone\n" + "".join(f"12{i:04d}\n" for i in range(1200)), encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    for extra in ((), ("--rejects", str(rejects))):
        result = cli(env, "blacklist", "import", str(src), *extra)
        summary = json.loads(result.stdout)
        assert result.returncode == 1 and summary["rejected"] == 1200 and summary["rejects_truncated"] is False
        assert result.stderr.count(": rejected: ") == 1200
    assert len(rejects.read_text(encoding="utf-8-sig").splitlines()) == 1201


def test_policies_validate_says_which_version_is_in_effect_now_and_when_the_next_takes_over(env, tmp_path: Path):
    # A compliance officer shipping a version ahead reads `validate` to see the timeline: it printed each version's
    # effective_from only, so which one judges the checks now, and how soon the next takes over, was left to arithmetic
    # across zones. The dates are set around the real clock the command reads.
    from datetime import datetime, timedelta, timezone

    now = datetime.now(timezone.utc)
    text = (PACKS / "cn-bank-2026.4.yaml").read_text(encoding="utf-8")
    versions = {"2026.1": datetime(2026, 1, 1, tzinfo=timezone.utc), "2026.5": now - timedelta(days=1),
                "2026.6": now + timedelta(days=10, hours=1)}
    for version, start in versions.items():
        body = re.sub(r'(?m)^effective_from: .*$', f'effective_from: "{start.isoformat(timespec="seconds")}"',
                      text.replace('version: "2026.4"', f'version: "{version}"'))
        (tmp_path / f"cn-bank-{version}.yaml").write_text(body, encoding="utf-8")
    result = cli(env, "policies", "validate", str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = {line.split(": ")[0][4:]: line for line in result.stdout.splitlines() if line.startswith("ok  ")}
    second = versions["2026.5"].isoformat(timespec="seconds")
    assert lines["cn-bank-2026.1.yaml"].endswith(f" · superseded by 2026.5 since {second}")
    assert lines["cn-bank-2026.5.yaml"].endswith(
        f" · in effect now, until 2026.6 takes effect {versions['2026.6'].isoformat(timespec='seconds')}")
    assert lines["cn-bank-2026.6.yaml"].endswith(" · takes effect in 10 days")
