"""`flask --app app guard lint`: text, JSON and SARIF 2.1.0 (validated against the official schema), exit codes, encodings."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import PACKS
from tests.e2e.servers import ROOT, cli

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"
BAD = "您好，这款理财保本保息！\n而且零 风 险，名额有限。\n"
GOOD = "您好，本次通话将被录音。这款存款产品本金和利息依照《存款保险条例》在50万元限额内受保障。\n"


@pytest.fixture
def env(sqlite_url):
    return {"DATABASE_URL": sqlite_url, "GUARD_LOG_LEVEL": "WARNING"}


@pytest.fixture
def scripts(tmp_path):
    bad, good = tmp_path / "bad.txt", tmp_path / "good.txt"
    bad.write_text(BAD, encoding="utf-8")
    good.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))  # with a BOM
    return bad, good


def test_text_output_points_at_each_finding_and_exit_1_on_fail(env, scripts):
    bad, good = scripts
    r = cli(env, "lint", str(bad), "--product-type", "wealth")
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    head = next(i for i, x in enumerate(lines) if x.startswith(f"{bad}:1:8: error BANNED_PHRASE guarantee.principal_and_interest"))
    assert lines[head + 1] == "    您好，这款理财保本保息！"
    assert lines[head + 2] == "    " + " " * 14 + "^" * 8  # seven wide characters before, four wide ones marked
    assert lines[head + 3].startswith("    suggestion: ")
    # what the rule rests on, from the pack's rationale (its sources: policies/sources/lint-citations.yaml), once a rule
    assert lines[head + 4].startswith("    basis: 资管新规（银发〔2018〕106号）：金融机构开展资产管理业务时不得承诺保本保收益")
    bases = [x for x in lines if x.startswith("    basis: ")]
    assert len(bases) == len(set(bases)) >= 3  # each rule's once, the disclosures' too
    assert any(x.startswith(f"{bad}:2:3: error BANNED_PHRASE guarantee.zero_risk") for x in lines)
    assert lines[-1].startswith(f"{bad}: fail (")
    ok = cli(env, "lint", str(good), "--product-type", "deposit")
    assert ok.returncode == 0 and ok.stdout.strip().endswith("pass (0 error(s), 0 warning(s))"), ok.stdout


def test_json_output_is_the_api_answer_per_file(env, scripts):
    bad, good = scripts
    r = cli(env, "lint", str(bad), str(good), "--format", "json", "--product-type", "wealth")
    doc = json.loads(r.stdout)
    assert r.returncode == 1 and [f["file"] for f in doc["files"]] == [str(bad), str(good)]
    for f in doc["files"][0]["findings"]:
        if f["end"] > f["start"]:
            assert BAD[f["start"]:f["end"]] == f["matched"]


def test_sarif_output_validates_against_the_official_schema(env, scripts):
    bad, good = scripts
    r = cli(env, "lint", str(bad), str(good), "--format", "sarif", "--product-type", "wealth")
    doc = json.loads(r.stdout)
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(doc)
    run = doc["runs"][0]
    assert doc["version"] == "2.1.0" and run["columnKind"] == "unicodeCodePoints"
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    first = next(x for x in run["results"] if x["ruleId"] == "guarantee.principal_and_interest")
    region = first["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"], region["snippet"]["text"]) == (1, 8, 12, "保本保息")
    assert rule_ids[first["ruleIndex"]] == first["ruleId"] and first["level"] == "error"
    broken = dict(doc, version="2.0")
    with pytest.raises(jsonschema.ValidationError):  # the validation above can fail
        jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(broken)


def test_sarif_uris_are_uri_references_even_for_chinese_file_names_with_spaces(env, tmp_path):
    """SARIF 2.1.0 §3.4.3 and the schema's `"format": "uri-reference"`: a raw 话术 第2版.txt is no URI reference."""
    import jsonschema_rs
    from urllib.parse import unquote, urlsplit

    folder = tmp_path / "理财 话术"
    folder.mkdir()
    script = folder / "话术 第2版#1.txt"
    script.write_text(BAD, encoding="utf-8")
    relative = Path(os.path.relpath(script, ROOT))  # the command runs in the repository, as `make` runs it
    r = cli(env, "lint", str(script), str(relative), "--format", "sarif", "--product-type", "wealth")
    doc = json.loads(r.stdout)
    checker = jsonschema_rs.validator_for(json.loads(SCHEMA.read_text(encoding="utf-8")), validate_formats=True)
    errors = [e.message for e in checker.iter_errors(doc)]
    assert errors == []
    absolute_uri, relative_uri = (a["location"]["uri"] for a in doc["runs"][0]["artifacts"])
    assert urlsplit(absolute_uri).scheme == "file" and unquote(urlsplit(absolute_uri).path) == str(script)
    assert unquote(relative_uri) == relative.as_posix() and " " not in relative_uri and "#" not in relative_uri
    assert {x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for x in doc["runs"][0]["results"]} == {
        absolute_uri, relative_uri}


# Real lines (tests/lint/real): a deposit seller's words reported by thepaper.cn (dev_j j0079, mainland) and a Hong Kong
# insurer's blog (dev_i i0275), as a bank's Windows export writes them: GBK and Big5.
MAINLAND = "存定期或者大额存单,超过3个月就送。存的越多,送的礼品越好,也可以自己挑选,礼品数量有限,送完即止。\n"
HONG_KONG = "儲蓄壽險的性質與定期存款相近,利用時間滾存保證現金,讓你在保單期滿時賺取期滿利益。\n"


@pytest.mark.parametrize("text, codec, told, product_type", [(MAINLAND, "gbk", "GB18030", "deposit"),
                                                             (HONG_KONG, "big5", "Big5-HKSCS", "insurance")])
def test_a_gbk_or_big5_script_is_told_from_its_bytes_and_linted_as_its_utf8_copy(env, tmp_path, text, codec, told, product_type):
    utf8, other = tmp_path / "utf8.txt", tmp_path / f"{codec}.txt"
    utf8.write_text(text, encoding="utf-8")
    other.write_bytes(text.encode(codec))
    expected = cli(env, "lint", str(utf8), "--format", "json", "--product-type", product_type)
    assert expected.returncode == 1 and json.loads(expected.stdout)["files"][0]["findings"]  # the line has findings
    for named in ((), ("--encoding", codec)):
        r = cli(env, "lint", str(other), "--format", "json", "--product-type", product_type, *named)
        assert r.returncode == 1, r.stderr
        assert f"{other}: read as {told}" in r.stderr and ("(told from its bytes)" in r.stderr) == (not named)
        got = json.loads(r.stdout)["files"][0]
        assert got["findings"] == json.loads(expected.stdout)["files"][0]["findings"]  # same rules, lines, columns, words


def test_a_script_whose_encoding_cannot_be_told_or_is_named_wrong_is_refused_with_a_clear_message(env, tmp_path, scripts):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(MAINLAND.encode("gbk"))
    r = cli(env, "lint", str(gbk), str(scripts[1]), "--encoding", "utf-8")
    assert r.returncode == 2 and f"{gbk}: not valid UTF-8 text: invalid byte at offset 0" in r.stderr and "--encoding" in r.stderr
    assert str(scripts[1]) in r.stdout  # the readable file is still linted
    bare = tmp_path / "utf16.txt"  # UTF-16 without a byte-order mark: no encoding can be told
    bare.write_bytes("这款理财保本保息".encode("utf-16-le"))
    r = cli(env, "lint", str(bare))
    assert r.returncode == 2 and f"{bare}: not UTF-8, and its encoding cannot be told" in r.stderr
    marked = tmp_path / "utf16-bom.txt"  # with one it can
    marked.write_bytes("这款理财保本保息".encode("utf-16"))
    r = cli(env, "lint", str(marked), "--format", "json", "--product-type", "wealth")
    assert r.returncode == 1 and json.loads(r.stdout)["files"][0]["findings"][0]["matched"] == "保本保息"
    r = cli(env, "lint", str(gbk), "--encoding", "rot13")
    assert r.returncode == 2 and "--encoding" in r.stderr
    assert cli(env, "lint", str(tmp_path / "missing.txt")).returncode == 2
    assert cli(env, "lint", str(scripts[0]), "--pack", "nope").returncode == 2


def test_a_file_that_cannot_be_read_is_named_in_the_json_and_sarif_reports_not_only_on_stderr(env, tmp_path, scripts):
    """A pipeline reads the report, not stderr. The SARIF log said `executionSuccessful: true` with no notification while
    a script was left unlinted (exit 2): a code-review tool showed a clean run. SARIF 2.1.0 Appendix I (detecting
    incomplete result sets): an invocation whose `executionSuccessful` is false, or a tool-execution notification of
    level `error`, tells a consumer the results are not complete. The JSON report lists the file under `unreadable`;
    with no readable file at all both reports are still printed (stdout was empty, which no JSON reader takes)."""
    import jsonschema_rs

    bare = tmp_path / "utf16.txt"  # UTF-16 without a byte-order mark: its encoding cannot be told
    bare.write_bytes("这款理财保本保息".encode("utf-16-le"))
    bad, _ = scripts
    checker = jsonschema_rs.validator_for(json.loads(SCHEMA.read_text(encoding="utf-8")), validate_formats=True)
    for files in ([bare, bad], [bare]):
        r = cli(env, "lint", *map(str, files), "--format", "sarif", "--product-type", "wealth")
        assert r.returncode == 2, r.stderr
        doc = json.loads(r.stdout)
        assert [e.message for e in checker.iter_errors(doc)] == []
        run = doc["runs"][0]
        [invocation] = run["invocations"]
        assert invocation["executionSuccessful"] is False
        [failure] = [n for n in invocation["toolExecutionNotifications"] if n["level"] == "error"]
        where = failure["locations"][0]["physicalLocation"]["artifactLocation"]
        assert where["uri"] == bare.as_uri() and run["artifacts"][where["index"]]["location"]["uri"] == where["uri"]
        assert "encoding cannot be told" in failure["message"]["text"]
        assert bool(run["results"]) == (bad in files)  # the readable script is still linted
        r = cli(env, "lint", *map(str, files), "--format", "json", "--product-type", "wealth")
        doc = json.loads(r.stdout)
        assert r.returncode == 2 and [u["file"] for u in doc["unreadable"]] == [str(bare)]
        assert "encoding cannot be told" in doc["unreadable"][0]["reason"]
        assert [f["file"] for f in doc["files"]] == [str(f) for f in files if f != bare]
    ok = json.loads(cli(env, "lint", str(bad), "--format", "sarif").stdout)["runs"][0]["invocations"][0]
    assert ok["executionSuccessful"] is True and not [n for n in ok["toolExecutionNotifications"] if n["level"] == "error"]


def test_an_empty_or_blank_script_file_is_not_passed(env, tmp_path, scripts):
    """An empty file (a failed export) or one of spaces and line breaks linted `warn` as a deposit script, exit 0: a
    pipeline passed a script with nothing in it. Now it is named as not linted (exit 2), as the API refuses such a text."""
    empty, blank = tmp_path / "empty.txt", tmp_path / "blank.txt"
    empty.write_bytes(b"")
    blank.write_bytes("\ufeff\u3000\r\n \r\n".encode("utf-8"))
    _, good = scripts
    r = cli(env, "lint", str(empty), str(blank), str(good), "--format", "json", "--product-type", "deposit")
    assert r.returncode == 2, r.stdout
    doc = json.loads(r.stdout)
    assert [u["file"] for u in doc["unreadable"]] == [str(empty), str(blank)]
    assert all("nothing to lint" in u["reason"] for u in doc["unreadable"])
    assert [f["file"] for f in doc["files"]] == [str(good)]
    r = cli(env, "lint", str(blank), "--product-type", "deposit")
    assert r.returncode == 2 and f"{blank}: has nothing to lint" in r.stderr and "warn (" not in r.stdout


def test_sarif_names_a_file_whose_name_is_not_utf8_by_its_bytes(env, tmp_path):
    """A script named on a Chinese Windows machine (话术.txt in GBK) and unpacked here keeps its name's GBK bytes, which
    Python holds as surrogates: `--format sarif` ended in a UnicodeEncodeError traceback (exit 1, no report) while the
    text and JSON reports worked. RFC 3986 §2.1 percent-encodes octets: the URI names the file's own bytes."""
    import jsonschema_rs
    from urllib.parse import unquote_to_bytes

    name = "话术".encode("gbk") + b".txt"
    path = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), name)))
    path.write_text(BAD, encoding="utf-8")
    r = cli(env, "lint", str(path), "--format", "sarif", "--product-type", "wealth")
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr[-1500:]
    doc = json.loads(r.stdout)
    checker = jsonschema_rs.validator_for(json.loads(SCHEMA.read_text(encoding="utf-8")), validate_formats=True)
    assert [e.message for e in checker.iter_errors(doc)] == []
    uri = doc["runs"][0]["artifacts"][0]["location"]["uri"]
    assert uri.startswith("file://") and unquote_to_bytes(uri[len("file://"):]) == os.fsencode(path)
    assert doc["runs"][0]["results"]


def test_without_a_product_type_every_rule_applies(env, tmp_path):
    """The tester's script warns as a deposit script (exit 0) and fails with no type given (exit 1)."""
    script = tmp_path / "bao-ben.txt"
    script.write_text("这款理财保本保息，零风险\n", encoding="utf-8")
    as_deposit = cli(env, "lint", str(script), "--product-type", "deposit")
    assert as_deposit.returncode == 0 and as_deposit.stdout.splitlines()[-1].startswith(f"{script}: warn ("), as_deposit.stdout
    r = cli(env, "lint", str(script))
    assert r.returncode == 1, r.stdout
    lines = r.stdout.splitlines()
    assert any(x.startswith(f"{script}:1:5: error BANNED_PHRASE guarantee.principal_and_interest") for x in lines)
    assert any(x.startswith(f"{script}:1:10: error BANNED_PHRASE guarantee.zero_risk") for x in lines)
    assert lines[-1].startswith(f"{script}: fail (")
    doc = json.loads(cli(env, "lint", str(script), "--format", "json").stdout)
    assert doc["product_types"] == ["wealth", "fund", "insurance", "deposit", "loan", "credit_card"]
    [found] = doc["files"]
    assert found["verdict"] == "fail"
    keys = [(f["rule"], f["start"], f["end"]) for f in found["findings"]]
    assert len(keys) == len(set(keys))  # a finding several types share is reported once
    assert {"guarantee.principal_and_interest", "disclosure.investment_risk", "disclosure.cooling_off", "disclosure.apr"} <= {
        k[0] for k in keys}
    sarif = cli(env, "lint", str(script), "--format", "sarif")
    assert sarif.returncode == 1
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(json.loads(sarif.stdout))


def test_a_transcripts_customer_turns_are_named_as_not_linted(env, tmp_path):
    """The customer's 保本保息的吗？ is no finding; the output says which turns the rules did not read."""
    path = tmp_path / "call.txt"
    text = "坐席：您好，本次通话将被录音。\n客户：你们这个理财是保本保息的吗？\n坐席：放心，这款理财零风险。\n"
    path.write_text(text, encoding="utf-8")
    r = cli(env, "lint", str(path), "--product-type", "wealth")
    lines = r.stdout.splitlines()
    assert r.returncode == 1 and not any("principal_and_interest" in x for x in lines), r.stdout
    assert any(x.startswith(f"{path}:3:11: error BANNED_PHRASE guarantee.zero_risk") for x in lines)
    assert f"{path}: not linted: 1 customer turn(s) (speaker marks such as 客户：) on line(s) 2" in lines
    doc = json.loads(cli(env, "lint", str(path), "--format", "json", "--product-type", "wealth").stdout)
    assert [(text[u["start"]:u["end"]], u["line"]) for u in doc["files"][0]["unlinted"]] == [("客户：你们这个理财是保本保息的吗？", 2)]


def test_sarif_names_the_unlinted_customer_turns_as_notes(env, tmp_path):
    path = tmp_path / "call.txt"
    text = "坐席：您好，本次通话将被录音。\n客户：你们这个理财是保本保息的吗？\n坐席：放心，这款理财零风险。\n"
    path.write_text(text, encoding="utf-8")
    doc = json.loads(cli(env, "lint", str(path), "--format", "sarif", "--product-type", "wealth").stdout)
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(doc)
    run = doc["runs"][0]
    assert [r["ruleId"] for r in run["results"] if r["ruleId"].startswith("guarantee")] == ["guarantee.zero_risk"]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    region = notes[0]["locations"][0]["physicalLocation"]["region"]
    assert len(notes) == 1 and notes[0]["level"] == "note"
    assert (region["startLine"], region["endLine"]) == (2, 2)
    assert text[region["charOffset"]:region["charOffset"] + region["charLength"]] == "客户：你们这个理财是保本保息的吗？"


def test_no_valid_pack_is_a_clear_refusal_not_a_traceback(env, tmp_path, scripts):
    """A pack directory whose only pack is invalid (the shipped pack, copied, with a class word that uses a slot):
    nothing can be judged; exit 2 with a message, no traceback."""
    packs = tmp_path / "packs"
    packs.mkdir()
    broken = (PACKS / "cn-bank-2026.4.yaml").read_text(encoding="utf-8").replace("classes:\n", "classes:\n  坏: [\"存{MONEY}\"]\n", 1)
    (packs / "cn-bank-2026.4.yaml").write_text(broken, encoding="utf-8")
    bad, _ = scripts
    r = cli({**env, "GUARD_POLICY_DIR": str(packs)}, "lint", str(bad), "--product-type", "wealth")
    assert r.returncode == 2, (r.returncode, r.stderr[-2000:])
    assert "cannot lint:" in r.stderr and "Traceback" not in r.stderr
    assert "classes.坏" in r.stderr  # the pack's problem is named


def test_a_script_with_bare_cr_line_ends_is_located_line_by_line(env, tmp_path):
    path = tmp_path / "mac.txt"
    path.write_bytes("您好，这款理财保本保息！\r而且零风险，名额有限。\r".encode("utf-8"))
    text = cli(env, "lint", str(path), "--product-type", "wealth").stdout.splitlines()
    head = next(i for i, x in enumerate(text) if x.startswith(f"{path}:2:3: error BANNED_PHRASE guarantee.zero_risk"))
    assert text[head + 1] == "    而且零风险，名额有限。" and text[head + 2] == "    " + " " * 4 + "^" * 6
    doc = json.loads(cli(env, "lint", str(path), "--format", "sarif", "--product-type", "wealth").stdout)
    zero = next(x for x in doc["runs"][0]["results"] if x["ruleId"] == "guarantee.zero_risk")
    region = zero["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (2, 3, 2, 6)


def test_the_caret_line_stays_under_the_words_after_tabs_controls_and_zero_width_characters():
    """A script pasted from Word or a spreadsheet has tabs (1.<TAB>…, indented lines), a vertical tab for a manual line
    break, and a zero-width space. The text report printed the line raw and counted each such character as one column:
    a terminal expands a tab to the next stop of 8 and moves the cursor on a vertical tab, so the carets pointed columns
    away from the flagged words (10 columns on a line indented by two tabs)."""
    from guard.core.lint import lint
    from guard.services.catalog.lint_output import FileResult, text_report
    from policies.lint_docs import shipped_pack

    text = "1.\t您好，这款理财保本保息\n\t\t而且零风险\n您好\x0b稳\u200b赚不赔\n"
    report = text_report([FileResult("s.txt", text, lint(text, "wealth", shipped_pack("cn-bank")))]).splitlines()
    for head, words in [("s.txt:1:11: ", "保本保息"), ("s.txt:2:5: ", "零风险"), ("s.txt:3:4: ", "稳\u200b赚不赔")]:
        at = next(i for i, x in enumerate(report) if x.startswith(head))
        shown, carets = report[at + 1], report[at + 2]
        assert "\t" not in shown and "\x0b" not in shown
        assert shown.expandtabs(8) == shown
        # the columns the words take on a terminal (wide characters two, the zero-width space none) are the carets'
        before = shown[:shown.index(words)]
        width = lambda s: sum(0 if c == "\u200b" else 2 if ord(c) > 0x2E80 else 1 for c in s)  # noqa: E731
        assert carets == " " * width(before) + "^" * width(words), (shown, carets)


def test_a_very_long_line_is_printed_cut_around_each_finding_with_its_carets_under_the_words():
    """A script pasted as one paragraph is a line of thousands of characters. The text report printed it whole under
    each finding, and the caret line thousands of spaces long: a terminal wraps both, a wide character that does not fit
    at a row's end moves to the next, and the carets ended up rows and columns away from the words."""
    from guard.core.lint import lint
    from guard.services.catalog.lint_output import SHOWN_WIDTH, FileResult, text_report
    from policies.lint_docs import shipped_pack

    text = "本产品保本保息。" + "您好，这里是银行的理财经理。" * 200 + "\t零风险。" + "欢迎了解。" * 100 + "稳赚不赔"
    report = text_report([FileResult("s.txt", text, lint(text, "wealth", shipped_pack("cn-bank")))]).splitlines()
    width = lambda s: sum(2 if ord(c) > 0x2E80 else 1 for c in s)  # noqa: E731
    for words in ("保本保息", "零风险", "稳赚不赔"):
        column = text.index(words) + 1
        at = next(i for i, x in enumerate(report) if x.startswith(f"s.txt:1:{column}: "))
        shown, carets = report[at + 1], report[at + 2]
        assert width(shown) <= 4 + SHOWN_WIDTH + 2 * len("..."), shown
        assert carets == " " * width(shown[:shown.index(words)]) + "^" * width(words), (shown, carets)


def test_the_text_report_writes_a_directional_control_out_and_keeps_its_carets_under_the_words():
    """本产品 + U+202E + 险风零 is laid out by a terminal that applies the bidi algorithm as 本产品零风险 (Unicode UAX #9 §2.2;
    the "Trojan Source" spoofing, CVE-2021-42574), and the override turned the rest of the printed line around. The line
    is printed with each control written out (<U+202E>), the carets still under the flagged words."""
    from guard.core.lint import lint
    from guard.services.catalog.lint_output import FileResult, text_report
    from policies.lint_docs import shipped_pack

    text = "本产品\u202e险风零\u202c，保本保息。\n"
    report = text_report([FileResult("s.txt", text, lint(text, "wealth", shipped_pack("cn-bank")))]).splitlines()
    at = next(i for i, x in enumerate(report) if x.startswith("s.txt:1:10: "))
    shown, carets = report[at + 1], report[at + 2]
    assert shown.strip() == "本产品<U+202E>险风零<U+202C>，保本保息。", shown
    before = shown[:shown.index("保本保息")]
    width = lambda s: sum(2 if ord(c) > 0x2E80 else 1 for c in s)  # noqa: E731
    assert carets == " " * width(before) + "^" * width("保本保息"), (shown, carets)


def test_sarif_names_an_encoding_as_ianas_registry_spells_it(env, tmp_path):
    """A script saved as UTF-16 little-endian without a mark, named on the command line: the artifact's `encoding` is
    IANA's UTF-16LE (iana.org/assignments/charset-reg), which viewers look up, not Python's UTF-16-LE."""
    path = tmp_path / "le.txt"
    path.write_bytes(MAINLAND.encode("utf-16-le"))
    for name in ("utf-16-le", "UTF-16LE", "utf_16_le"):
        doc = json.loads(cli(env, "lint", str(path), "--format", "sarif", "--encoding", name).stdout)
        assert doc["runs"][0]["artifacts"][0]["encoding"] == "UTF-16LE", (name, doc["runs"][0]["artifacts"])


@pytest.mark.parametrize("codec, sarif_encoding", [("gbk", "gb18030"), ("big5", "big5-hkscs")])
def test_sarif_names_the_artifacts_own_encoding_and_byte_length(env, tmp_path, codec, sarif_encoding):
    """SARIF's artifact `encoding` and `length` (bytes) describe the file as it is on disk, so that a viewer reads
    the GBK/Big5 file the regions point into: not its UTF-8 copy."""
    path = tmp_path / f"{codec}.txt"
    path.write_bytes(HONG_KONG.encode(codec) if codec == "big5" else MAINLAND.encode(codec))
    doc = json.loads(cli(env, "lint", str(path), "--format", "sarif").stdout)
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(doc)
    [artifact] = doc["runs"][0]["artifacts"]
    assert artifact["length"] == path.stat().st_size
    assert artifact["encoding"].lower() == sarif_encoding
