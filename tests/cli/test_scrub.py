"""`guard scrub FILE --campaign ID`: a CRM's list file scrubbed as POST /v1/check/batch scrubs a list, run as a user runs it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.e2e.servers import cli

AT = "2026-12-07T10:00:00+08:00"  # a Monday, inside cn-bank's weekday window
NIGHT = "2026-12-07T23:00:00+08:00"


@pytest.fixture
def env(sqlite_url: str) -> dict[str, str]:
    return {"DATABASE_URL": sqlite_url, "GUARD_LOG_LEVEL": "WARNING"}


def results(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "UTF-8 with BOM, for Excel"
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_a_gbk_export_with_a_chinese_header_quotes_and_crlf_gives_a_row_for_every_row(env, tmp_path: Path):
    listed = tmp_path / "名单.csv"
    listed.write_bytes(("客户编号,客户姓名,手机号码,备注\r\n"
                        "C001,张三丰,138 0013 8000,\"理财客户,优质\"\r\n"
                        "C002,李四光,12345,存款客户\r\n"
                        "C003,王五,13900139000\r\n"  # a field short: unreadable, never allowed
                        "C004,赵六,+86 138-0013-8000,重复\r\n"
                        "C005,钱七,=1+2,公式\r\n").encode("gbk"))
    out = tmp_path / "results.csv"
    done = cli(env, "scrub", str(listed), "--campaign", "dep-2026q4", "--at", AT, "--out", str(out))
    assert done.returncode == 1, done.stderr  # complete results, some rows denied or unreadable
    assert done.stdout == ""
    rows = results(out.read_text(encoding="utf-8"))
    assert [r["line"] for r in rows] == ["2", "3", "4", "5", "6"]
    first, invalid, short, again, formula = rows
    assert (first["phone"], first["phone_e164"], first["allowed"], first["reasons"], first["customer_id"]) == \
        ("138 0013 8000", "'+8613800138000", "true", "", "C001")
    assert first["next_allowed_at"] == AT
    assert (invalid["allowed"], invalid["reasons"], invalid["next_allowed_at"]) == ("false", "INVALID_NUMBER", "")
    assert invalid["problem"] == "not a valid number for its country"
    assert short["allowed"] == "" and short["problem"] == "3 fields; the header has 4"
    assert again["phone"] == "'+86 138-0013-8000" and again["duplicate_of_line"] == "2"
    assert formula["phone"] == "'=1+2", "a cell a spreadsheet would run is neutralised as the audit exports do"
    assert f"{listed}:4: unreadable: 3 fields; the header has 4" in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        f"scrub {listed} for dep-2026q4 at {AT} (cn-bank 2026.4): 5 rows, 2 allowed, 2 denied (INVALID_NUMBER 2), "
        f"1 unreadable, 1 repeating an earlier row's number; read as GB18030; written to {out}")


def test_big5_and_utf8_bom_files_with_traditional_or_english_headers_read_alike(env, tmp_path: Path):
    big5 = tmp_path / "big5.tsv"
    big5.write_bytes("客戶號\t姓名\t手機號碼\r\nC001\t陳大文\t13800138000\r\nC002\t林小美\t13900139000\r\n".encode("big5"))
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeffcustomer_id,Phone\nC001,13800138000\nC002,13900139000\n".encode("utf-8"))
    seen = []
    for path, label in ((big5, "Big5-HKSCS"), (bom, "UTF-8")):
        done = cli(env, "scrub", str(path), "--campaign", "dep-2026q4", "--at", NIGHT)
        assert done.returncode == 1 and f"read as {label}" in done.stderr, done.stderr
        rows = results(done.stdout)
        seen.append([(r["line"], r["phone_e164"], r["customer_id"], r["allowed"], r["reasons"], r["next_allowed_at"]) for r in rows])
    assert seen[0] == seen[1] == [("2", "'+8613800138000", "C001", "false", "QUIET_HOURS", "2026-12-08T09:00:00+08:00"),
                                  ("3", "'+8613900139000", "C002", "false", "QUIET_HOURS", "2026-12-08T09:00:00+08:00")]


def test_a_list_whose_every_row_is_allowed_exits_0_and_a_bare_list_of_numbers_needs_no_header(env, tmp_path: Path):
    bare = tmp_path / "numbers.txt"
    bare.write_text("13800138000\n13900139000\n", encoding="utf-8")
    done = cli(env, "scrub", str(bare), "--campaign", "dep-2026q4", "--at", AT)
    assert done.returncode == 0, done.stderr
    assert [(r["line"], r["allowed"]) for r in results(done.stdout)] == [("1", "true"), ("2", "true")]
    piped = cli(env, "scrub", "/dev/stdin", "--campaign", "dep-2026q4", "--at", AT, input_="手机号码\n13800138000\n")
    assert piped.returncode == 0, piped.stderr  # a pipe cannot seek: it is copied, its encoding told, then read
    assert [(r["line"], r["allowed"]) for r in results(piped.stdout)] == [("2", "true")]


def test_an_ambiguous_phone_column_is_refused_until_it_is_named(env, tmp_path: Path):
    listed = tmp_path / "two-phones.csv"
    listed.write_text("客户号,手机号码,联系电话\nC1,13800138000,13900139000\n", encoding="utf-8")
    refused = cli(env, "scrub", str(listed), "--campaign", "dep-2026q4", "--at", AT)
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr == (f"{listed}: cannot scrub: line 1: the header names a phone column 2 times ('手机号码' and '联系电话'): "
                              "which one to scrub is ambiguous; name it with --column\n")
    named = cli(env, "scrub", str(listed), "--campaign", "dep-2026q4", "--at", AT, "--column", "联系电话")
    assert named.returncode == 0, named.stderr
    assert [r["phone_e164"] for r in results(named.stdout)] == ["'+8613900139000"]


def test_a_file_that_cannot_be_scrubbed_exits_2_in_one_line_without_a_traceback(env, tmp_path: Path):
    no_phone = tmp_path / "no-phone.csv"
    no_phone.write_text("name,city\nA,Shanghai\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("phone\n13800138000\n", encoding="utf-8")
    undecided = tmp_path / "undecided.csv"
    undecided.write_bytes("phone,name\n13800138000,".encode() + "王".encode("gbk") + b"\n")  # too little Chinese to tell
    cases = {
        "no phone column": ([str(no_phone), "--campaign", "dep-2026q4"], "the header has no phone column"),
        "no such column": ([str(good), "--campaign", "dep-2026q4", "--column", "mobile_2"], "no column is named 'mobile_2'"),
        "unknown campaign": ([str(good), "--campaign", "nope-2026"], "campaign 'nope-2026' is not configured"),
        "no such file": ([str(tmp_path / "missing.csv"), "--campaign", "dep-2026q4"], "cannot be read: No such file or directory"),
        "encoding not told": ([str(undecided), "--campaign", "dep-2026q4"], "name the encoding with --encoding"),
        "instant no pack covers": ([str(good), "--campaign", "dep-2026q4", "--at", "1990-01-01T00:00:00+08:00"],
                                   "no policy pack version covers"),
    }
    for name, (args, said) in cases.items():
        done = cli(env, "scrub", *args)
        assert done.returncode == 2, (name, done.stderr)
        assert done.stdout == "" and len(done.stderr.splitlines()) == 1 and said in done.stderr, (name, done.stderr)
        assert "Traceback" not in done.stderr
    out = tmp_path / "out.csv"
    failed = cli(env, "scrub", str(good), "--campaign", "nope-2026", "--out", str(out))
    assert failed.returncode == 2 and not out.exists() and not list(tmp_path.glob("*.part")), "no half-written results"
    unwritable = cli(env, "scrub", str(good), "--campaign", "dep-2026q4", "--out", str(tmp_path / "no-such-dir" / "out.csv"))
    assert unwritable.returncode == 2 and "no-such-dir/out.csv: no such directory" in unwritable.stderr
    assert "Traceback" not in unwritable.stderr
    down = cli({**env, "DATABASE_URL": "postgresql://guard@127.0.0.1:1/guard"}, "scrub", str(good), "--campaign", "dep-2026q4")
    assert down.returncode == 2 and down.stderr.startswith("store unavailable: ") and len(down.stderr.splitlines()) == 1


def test_a_stray_quote_does_not_swallow_the_rows_after_it(env, tmp_path: Path):
    listed = tmp_path / "quote.csv"
    listed.write_text('phone,note\n13800138000,"vip\n13900139000,x\n13700137000,"two\nlines"\n', encoding="utf-8")
    done = cli(env, "scrub", str(listed), "--campaign", "dep-2026q4", "--at", AT)
    rows = results(done.stdout)
    assert [(r["line"], r["phone_e164"]) for r in rows] == [("2", ""), ("3", "'+8613900139000"), ("4", "'+8613700137000")]
    assert rows[0]["problem"].startswith("a quote opened in this line is not closed on it")
    assert done.returncode == 1


def test_progress_shows_on_a_terminal_only(env, tmp_path: Path):
    from tests.e2e.servers import cli_on_a_terminal

    listed = tmp_path / "list.csv"
    listed.write_text("phone\n" + "".join(f"138{i:08d}\n" for i in range(3000)), encoding="utf-8")
    proc, shown = cli_on_a_terminal(env, "scrub", str(listed), "--campaign", "dep-2026q4", "--at", AT)
    assert proc.returncode == 0
    assert b"scrubbing [" in shown and b"3000 rows" in shown
    plain = cli(env, "scrub", str(listed), "--campaign", "dep-2026q4", "--at", AT)
    assert plain.returncode == 0 and "\r" not in plain.stderr and "scrubbing [" not in plain.stderr


def test_two_customer_columns_are_refused_rather_than_both_ignored(env, tmp_path: Path):
    listed = tmp_path / "two-customers.csv"
    listed.write_text("客户号,客户编号,手机号码\nC1,C2,13800138000\n", encoding="utf-8")
    done = cli(env, "scrub", str(listed), "--campaign", "dep-2026q4", "--at", AT)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (f"{listed}: cannot scrub: line 1: the header names a customer_id column 2 times ('客户号' and '客户编号'); "
                           "keep one\n")


def test_a_file_none_of_whose_rows_can_be_read_is_no_scrub(env, tmp_path: Path):
    listed = tmp_path / "all-short.csv"
    listed.write_text("客户号,手机号码,备注\nC1\nC2\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    done = cli(env, "scrub", str(listed), "--campaign", "dep-2026q4", "--at", AT, "--out", str(out))
    assert done.returncode == 2 and not out.exists()
    assert done.stderr.endswith(f"{listed}: cannot scrub: none of its 2 rows could be read, so nothing was judged (the first: line 2: "
                                "1 fields; the header has 3)\n")


def test_a_list_whose_only_chinese_is_its_header_is_read_in_the_encoding_its_header_names_columns_in(env, tmp_path: Path):
    """客户号,手机号码 in GBK over rows of numbers: too little Chinese to tell GB18030 from Big5 by its characters (the
    scrub exited 2 asking for --encoding); the header names the list's columns in one reading only."""
    path = tmp_path / "gbk-header.csv"
    path.write_bytes("客户号,手机号码\r\nC1,13800138000\r\nC2,13900139000\r\n".encode("gbk"))
    run = cli(env, "scrub", str(path), "--campaign", "dep-2026q4", "--at", "2026-11-23T10:00:00+08:00")
    assert run.returncode == 0, run.stderr
    assert "read as GB18030" in run.stderr
    assert [r["customer_id"] for r in results(run.stdout)] == ["C1", "C2"]
