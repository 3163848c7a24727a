"""A directional control that reorders what follows it fails the script, where the rules could not see the words.

本产品 + U+202E + 险风零 is laid out as 本产品零风险 (Unicode UAX #9 §2.2: an explicit override reverses the strong
characters after it; the "Trojan Source" spoofing, CVE-2021-42574), while normalisation drops the control and the
rules read 险风零: a banned phrase stored backwards behind an override passed every rule.
"""

from __future__ import annotations

import pytest

from guard.core.lint import DIRECTION_RULE, Linter
from policies.lint_docs import shipped_pack


@pytest.fixture(scope="module")
def linter():
    return Linter(shipped_pack("cn-bank"))


def _phrase(result):
    return [f for f in result.findings if f.code != "MISSING_DISCLOSURE"]


def test_a_banned_phrase_reversed_behind_an_override_fails_on_the_control(linter):
    text = "本产品\u202e险风零\u202c，理财非存款、产品有风险、投资须谨慎。"
    result = linter.lint(text, "wealth")
    assert result.verdict == "fail"
    found = [f for f in _phrase(result) if f.rule == DIRECTION_RULE]
    assert [(f.start, f.end, f.matched, f.severity, f.code, f.line, f.column) for f in found] == [
        (3, 4, "\u202e", "error", "MISLEADING", 1, 4)]
    assert "U+202E" in found[0].message
    # the same words without the override: the rules read them as written, and no such finding
    plain = linter.lint("本产品险风零，理财非存款、产品有风险、投资须谨慎。", "wealth")
    assert DIRECTION_RULE not in {f.rule for f in plain.findings}


@pytest.mark.parametrize("control", ["\u202a", "\u202b", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068"])
def test_each_control_that_opens_an_embedding_an_override_or_an_isolate_is_found(linter, control):
    text = f"您好，\n本行{control}存款产品\u202c介绍。"
    found = [f for f in linter.lint(text, None).findings if f.rule == DIRECTION_RULE]
    assert [(f.start, f.line, f.column) for f in found] == [(text.index(control), 2, 3)]


@pytest.mark.parametrize("mark", ["\u200e", "\u200f", "\u061c", "\u202c", "\u2069"])
def test_marks_and_closers_alone_reorder_no_letters_and_give_no_finding(linter, mark):
    result = linter.lint(f"您好{mark}，本次通话将被录音。", None)
    assert DIRECTION_RULE not in {f.rule for f in result.findings}


def test_the_rules_reference_documents_the_built_in_rule():
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    assert f"## Built in: `{DIRECTION_RULE}`" in page
