"""A finding's suggestion is what a reviewer pastes in place of the flagged words: it must itself lint clean under the
pack that suggested it, or the reviewer's fix raises the next finding (SPEC §3.7: each finding comes "with a fix").

Over every version of every shipped pack: each phrase rule's suggestion, linted under each product type the rule
applies to, raises no phrase finding (banned, misleading, pressure, nor the learned scorer's); the learned scorer's own
suggestion likewise; and the wording a disclosure's suggestion quotes ('…') satisfies that disclosure."""

from __future__ import annotations

import re

import pytest

from guard.core.lint import compile_rules
from guard.core.lint_scorer import SCORER_SUGGESTION
from guard.core.pack import PRODUCT_TYPES, Pack
from policies.lint_docs import PACKS
from policies.loader import validate_path

QUOTED = re.compile(r"['‘“]([^'’”]+)['’”]")


def _shipped_versions() -> list[Pack]:
    report = validate_path(PACKS, "cn-bank")
    assert not report.issues, report.issues
    return [p for timeline in report.packs.timelines.values() for p in timeline.versions]


VERSIONS = _shipped_versions()


def _types(rule) -> list[str]:
    return sorted(rule.product_types) if rule.product_types else list(PRODUCT_TYPES)


@pytest.mark.parametrize("pack", VERSIONS, ids=lambda p: f"{p.id}-{p.version}")
def test_every_phrase_rules_suggestion_lints_clean_under_the_types_it_applies_to(pack):
    linter = compile_rules(pack)
    dirty = []
    for rule in pack.phrases:
        assert rule.suggestion.strip(), f"{rule.id}: no suggestion"
        for product_type in _types(rule):
            found = [(f.rule, f.matched) for f in linter.lint(rule.suggestion, product_type).findings
                     if f.code != "MISSING_DISCLOSURE"]  # one sentence cannot hold every disclosure of a script
            if found:
                dirty.append((rule.id, product_type, rule.suggestion, found))
    assert dirty == []


@pytest.mark.parametrize("pack", [p for p in VERSIONS if p.lint_scorer is not None], ids=lambda p: f"{p.id}-{p.version}")
def test_the_learned_scorers_suggestion_lints_clean(pack):
    linter = compile_rules(pack)
    for product_type in PRODUCT_TYPES:
        assert [f.rule for f in linter.lint(SCORER_SUGGESTION, product_type).findings if f.code != "MISSING_DISCLOSURE"] == []


@pytest.mark.parametrize("pack", VERSIONS, ids=lambda p: f"{p.id}-{p.version}")
def test_the_wording_a_disclosures_suggestion_quotes_satisfies_it_and_raises_nothing(pack):
    linter = compile_rules(pack)
    quoted = 0
    for rule in pack.disclosures:
        wording = "".join(QUOTED.findall(rule.suggestion or ""))
        if not wording:
            continue  # an instruction without a wording to paste (开场说明本人姓名、所属公司全称和执业证编号)
        quoted += 1
        # a disclosure required only when the script mentions something: the script mentions it
        text = (rule.when_mentions[0] + "。" if rule.when_mentions else "") + wording
        for product_type in _types(rule):
            findings = linter.lint(text, product_type).findings
            assert rule.id not in [f.rule for f in findings], (rule.id, product_type, text)
            assert [(f.rule, f.matched) for f in findings if f.code != "MISSING_DISCLOSURE"] == [], (rule.id, product_type, text)
    assert quoted >= len(pack.disclosures) - 1
