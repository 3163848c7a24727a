"""`guard lint` output: text for people, JSON as the API answers, SARIF 2.1.0 for code-review tools."""

from __future__ import annotations

import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote
from typing import Any

from guard.core.bidi import BIDI_CONTROLS, show_bidi_controls
from guard.core.lint import Finding, LintResult
from guard.core.pack import Pack
from guard.core.text import line_and_column, line_end
from guard.core.turns import unlinted

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
TOOL = "contact-guard-lint"


@dataclass(frozen=True)
class FileResult:
    path: str
    text: str
    result: LintResult
    encoding: str = "utf-8"  # the file's own encoding (SARIF's artifact `encoding`), as read
    length: int | None = None  # the file's size in bytes (None: its text's in UTF-8)


@dataclass(frozen=True)
class Unreadable:
    """A file given that was not linted: its encoding could not be told, or its bytes are not valid in it."""
    path: str
    reason: str


TAB_STOP = 8


def _shown(line: str) -> tuple[str, list[int]]:
    pieces, columns = _shown_pieces(line)
    return "".join(pieces), columns


# A line wider than this many terminal columns is printed cut around the finding, with at most SHOWN_BEFORE columns of it
# before the finding's first character ("..." where it is cut): a script pasted as one paragraph is a line of thousands
# of characters, printed whole under each finding, and a terminal's wrapping of it and of its caret line parted them.
SHOWN_WIDTH = 96
SHOWN_BEFORE = 24
CUT = "..."


def _window(columns: list[int], first: int, last: int) -> tuple[int, int]:
    """The characters [a, b) of a line (its `columns`, as _shown gives them) to print under a finding on [first, last)."""
    size = len(columns) - 1
    if columns[size] <= SHOWN_WIDTH:
        return 0, size
    a = first
    while a > 0 and columns[first] - columns[a - 1] <= SHOWN_BEFORE:
        a -= 1
    b = first
    while b < size and columns[b + 1] - columns[a] <= SHOWN_WIDTH:
        b += 1
    b = max(b, min(size, first + 1))
    while a > 0 and columns[b] - columns[a - 1] <= SHOWN_WIDTH:  # near the line's end: more of what comes before
        a -= 1
    return a, b


def _shown_pieces(line: str) -> tuple[list[str], list[int]]:
    """The line as the text report prints it, and the terminal column at which each of its characters starts (one entry
    more: the column after the last). A tab is printed as the spaces to the next tab stop, a control character or a
    line/paragraph separator as one space (a terminal would move the cursor on them and the caret line would point
    elsewhere), a directional control as its escape (`<U+202E>`, guard.core.bidi); a wide character takes two columns, a zero-width one (ZWSP, a combining mark) none."""
    shown: list[str] = []  # what each character is printed as
    columns = [0]
    for ch in line:
        col = columns[-1]
        category = unicodedata.category(ch)
        if ch == "\t":
            step = TAB_STOP - col % TAB_STOP
            shown.append(" " * step)
        elif category in ("Cc", "Zl", "Zp"):
            step = 1
            shown.append(" ")
        elif ch in BIDI_CONTROLS:
            # A directional control would lay the rest of the line out in another order than the linter reads it
            # (本产品<U+202E>险风零 shows as 本产品零风险): written out at its place, as the guard's messages do.
            escape = show_bidi_controls(ch)
            step = len(escape)
            shown.append(escape)
        else:
            step = 0 if category in ("Cf", "Mn", "Me") else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            shown.append(ch)
        columns.append(col + step)
    return shown, columns


def _line_bounds(text: str, offset: int) -> tuple[int, int]:
    line, column = line_and_column(text, offset)
    return offset - column + 1, line_end(text, offset)


def text_report(files: list[FileResult], color: bool = False, notes: list[dict[str, Any]] = ()) -> str:
    """The findings of each file, then its verdict; `notes` (guard.core.lint.lint_notes): what no verdict vouches for,
    printed before each file's verdict."""
    red, yellow, dim, reset = ("\x1b[31m", "\x1b[33m", "\x1b[2m", "\x1b[0m") if color else ("", "", "", "")
    out = []
    for f in files:
        explained: set[str] = set()  # the rules whose basis this file's report has given (once each)
        for x in f.result.findings:
            tint = red if x.severity == "error" else yellow
            out.append(f"{f.path}:{x.line}:{x.column}: {tint}{x.severity}{reset} {x.code} {x.rule}: {x.message}")
            if x.end > x.start:
                ls, le = _line_bounds(f.text, x.start)
                pieces, columns = _shown_pieces(f.text[ls:le].rstrip("\r"))
                first, last = x.start - ls, min(x.end, le) - ls
                a, b = _window(columns, first, last)
                head, tail = (CUT if a > 0 else ""), (CUT if b < len(pieces) else "")
                out.append("    " + head + "".join(pieces[a:b]) + tail)
                out.append("    " + " " * (len(head) + columns[first] - columns[a]) + tint
                           + "^" * max(1, columns[min(last, b)] - columns[first]) + reset)
            out.append(f"    {dim}suggestion:{reset} {x.suggestion}")
            if x.rationale and x.rule not in explained:  # what the rule rests on (its sources), at its first finding
                explained.add(x.rule)
                out.append(f"    {dim}basis:{reset} {x.rationale}")
        turns = unlinted(f.text)
        if turns:
            lines = sorted({t["line"] for t in turns})
            out.append(f"{f.path}: {dim}not linted:{reset} {len(turns)} customer turn(s) (speaker marks such as 客户：) "
                       f"on line(s) {', '.join(map(str, lines))}")
        for note in notes:
            out.append(f"{f.path}: {dim}note:{reset} {note['messages']['zh-CN']} · {note['message']}")
        errors = sum(1 for x in f.result.findings if x.severity == "error")
        warnings = len(f.result.findings) - errors
        out.append(f"{f.path}: {f.result.verdict} ({errors} error(s), {warnings} warning(s))")
    return "\n".join(out) + "\n"


def json_report(files: list[FileResult], pack: Pack, product_types: list[str] | None = None,
                unreadable: list[Unreadable] = (), notes: list[dict[str, Any]] = ()) -> str:
    """The API's answer per file; `product_types`: the types linted under (every type without --product-type);
    `unreadable`: the files not linted, each with the reason."""
    return json.dumps(
        {"policy": {"pack": pack.id, "version": pack.version}, **({"product_types": product_types} if product_types else {}),
         "files": [{"file": f.path, **f.result.to_dict(), "unlinted": unlinted(f.text)} for f in files],
         "unreadable": [{"file": u.path, "reason": u.reason} for u in unreadable], "notes": list(notes)},
        ensure_ascii=False, indent=2,
    ) + "\n"


def _end_position(text: str, end: int) -> tuple[int, int]:
    """1-based line and column of the character following position `end` (SARIF's endColumn)."""
    return line_and_column(text, end)


def artifact_uri(path: str) -> str:
    """The file as SARIF's `uri` (a URI reference, RFC 3986): a relative path percent-encoded, an absolute one as file://.

    Script files are named in Chinese and with spaces (话术 第2版.txt); written raw they are no URI, and code-review
    tools that resolve the reference fail on them.
    """
    # The name's own bytes are percent-encoded: a file named in GBK on a Chinese Windows machine and unpacked here keeps
    # those bytes, which are no UTF-8 (Python holds them as surrogates) and made the SARIF report a traceback.
    p = PurePosixPath(path)
    encoded = quote(os.fsencode(str(p)), safe="/")
    return "file://" + encoded if p.is_absolute() else encoded


def sarif_report(files: list[FileResult], pack: Pack, unreadable: list[Unreadable] = (),
                 run_notes: list[dict[str, Any]] = ()) -> str:
    """SARIF 2.1.0. A file that could not be read is an artifact with an `error` tool-execution notification, and the
    invocation is not successful: SARIF's way (Appendix I, detecting incomplete result sets) of telling a consumer that
    the results are not complete, where an empty result list would read as a clean script."""
    rule_ids: dict[str, int] = {}
    rules: list[dict[str, Any]] = []
    by_id = {r.id: r for r in pack.phrases} | {d.id: d for d in pack.disclosures}

    def rule_index(x: Finding) -> int:
        if x.rule not in rule_ids:
            rule = by_id.get(x.rule)
            rule_ids[x.rule] = len(rules)
            entry: dict[str, Any] = {
                "id": x.rule,
                "name": x.rule.replace(".", "_"),
                "shortDescription": {"text": x.message},
                "help": {"text": x.suggestion},
                "defaultConfiguration": {"level": x.severity},
                "properties": {"code": x.code},
            }
            if rule is not None and getattr(rule, "rationale", None):
                entry["fullDescription"] = {"text": rule.rationale}
            rules.append(entry)
        return rule_ids[x.rule]

    results, artifacts, notes = [], [], []
    for i, f in enumerate(files):
        artifacts.append({"location": {"uri": artifact_uri(f.path)}, "encoding": f.encoding,
                          "length": f.length if f.length is not None else len(f.text.encode("utf-8"))})
        for u in unlinted(f.text):  # a customer's turn the rules did not read: a note, not a result
            end_line, end_col = _end_position(f.text, u["end"])
            notes.append({
                "level": "note",
                "message": {"text": "客户发言，未检查 · the customer's turn (speaker marks): not linted"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(f.path), "index": i}, "region": {
                    "startLine": u["line"], "startColumn": u["column"], "endLine": end_line, "endColumn": end_col,
                    "charOffset": u["start"], "charLength": u["end"] - u["start"]}}}],
                "properties": {"speaker": u["speaker"]},
            })
        for x in f.result.findings:
            end_line, end_col = _end_position(f.text, x.end)
            region: dict[str, Any] = {"startLine": x.line, "startColumn": x.column, "endLine": end_line, "endColumn": end_col,
                                      "charOffset": x.start, "charLength": x.end - x.start}
            if x.matched:
                region["snippet"] = {"text": x.matched}
            results.append({
                "ruleId": x.rule,
                "ruleIndex": rule_index(x),
                "level": x.severity,
                "kind": "fail",
                "message": {"text": f"{x.message} 建议: {x.suggestion}"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(f.path), "index": i}, "region": region}}],
                "properties": {"code": x.code, "suggestion": x.suggestion, "matched": x.matched,
                               "rules": [r.to_dict() for r in x.rules] if x.rules else [{"rule": x.rule, "code": x.code}]},
            })
    for note in run_notes:  # what no verdict vouches for (no phrase rule applies): a note on the run, not a result
        notes.append({"level": "note", "message": {"text": f"{note['messages']['zh-CN']} · {note['message']}"},
                      "descriptor": {"id": note["code"]}})
    failures = []
    for u in unreadable:
        artifacts.append({"location": {"uri": artifact_uri(u.path)}})
        failures.append({
            "level": "error",
            "message": {"text": f"not linted: {u.reason}"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(u.path), "index": len(artifacts) - 1}}}],
            "descriptor": {"id": "unreadable-file"},
        })
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": TOOL, "version": f"{pack.id}-{pack.version}", "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "invocations": [{"executionSuccessful": not unreadable, "toolExecutionNotifications": notes + failures}],
            "results": results,
            "properties": {"pack": pack.id, "packVersion": pack.version, "packHash": pack.hash},
        }],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
