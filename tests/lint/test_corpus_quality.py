"""Precision and recall of the shipped rules on the labelled corpus (tests/lint/corpus/).

Run with `-s` to see the table. A finding counts as a true positive when code, rule and span
(start, end in the original text) agree with a label.
"""

from __future__ import annotations

from collections import Counter

import pytest

from guard.core.lint import FINDING_CODES
from tests.lint.corpus_data import KINDS, load_corpus, score

THRESHOLD = 0.95


@pytest.fixture(scope="module")
def items():
    return load_corpus()


def test_the_corpus_is_big_and_varied_enough(items):
    assert len(items) >= 180
    kinds = Counter(i.kind for i in items)
    assert set(kinds) == set(KINDS)
    assert kinds["negated"] >= 15 and kinds["evasions"] >= 15 and kinds["traditional"] >= 10
    assert {i.type for i in items if i.kind == "clean"} == {"wealth", "fund", "insurance", "deposit", "loan", "credit_card"}
    for item in items:
        assert 50 <= len(item.text) <= 400, (item.id, len(item.text))


def test_every_rule_of_the_pack_is_exercised(items, cn_pack):
    labelled = {label.rule for item in items for label in item.labels}
    assert {r.id for r in cn_pack.phrases} <= labelled
    assert {d.id for d in cn_pack.disclosures} <= labelled


def test_precision_and_recall_per_code(items, linter):
    result = score(linter, items)
    print(f"\nlint corpus: {len(items)} scripts, {sum(len(i.labels) for i in items)} labelled findings")
    print(result.table())
    for item_id, kind, key in result.mismatches:
        print(f"  {kind} {item_id}: {key}")
    for code in FINDING_CODES:
        assert result.tp[code] + result.fn[code] > 0, f"no labels for {code}"
        assert result.precision(code) >= THRESHOLD, (code, result.table())
        assert result.recall(code) >= THRESHOLD, (code, result.table())


def test_negated_disclosures_give_no_findings(items, linter):
    negated = [i for i in items if i.kind == "negated"]
    assert negated
    for item in negated:
        assert item.labels == ()
        assert linter.lint(item.text, item.type).findings == (), item.id


def test_clean_scripts_pass(items, linter):
    for item in items:
        if item.kind == "clean":
            assert linter.lint(item.text, item.type).verdict == "pass", item.id
