"""Each rule's findings on the labelled real text (tests.lint.real_corpus.rule_figures) and the page made of them,
docs/lint-rule-figures.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.lint import real_corpus

ROOT = Path(__file__).resolve().parents[2]


def _write(directory: Path, name: str, rows: list[dict]) -> None:
    with (directory / f"{name}.jsonl").open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps({"source": "https://example.org/a", "region": "mainland", "script": "simplified",
                                "codes": [], "family": "", **row}, ensure_ascii=False) + "\n")


def test_rule_figures_count_the_passages_each_rule_decides(tmp_path, monkeypatch, cn_pack):
    monkeypatch.setattr(real_corpus, "REAL", tmp_path)
    _write(tmp_path, "dev_x", [
        {"id": "x1", "text": "这款理财保本保息，您放心买。", "product_type": "wealth", "label": "flag", "note": ""},
        # the same rule on a passage an officer clears (sure), and on one whose label is doubtful
        {"id": "x2", "text": "这款理财保本保息，不用担心。", "product_type": "wealth", "label": "clean", "note": ""},
        {"id": "x3", "text": "这款理财保本保息。", "product_type": "wealth", "label": "quote", "note": "doubtful: a headline"},
        # two rules on one passage: neither decides it alone
        {"id": "x4", "text": "这款理财保本保息，名额有限，先到先得。", "product_type": "wealth", "label": "flag", "note": ""},
        {"id": "x5", "text": "您好，这里是华兴银行。", "product_type": "wealth", "label": "clean", "note": ""},
        # two rules' hits on the same words, merged into one finding of the first: the second counts too
        {"id": "x6", "text": "这只基金预计年化能到6%左右。", "product_type": "fund", "label": "flag", "note": ""},
    ])
    figures = real_corpus.rule_figures([real_corpus.load("dev_x")], cn_pack)
    guarantee = figures["guarantee.principal_and_interest"]
    assert (guarantee.passages, guarantee.claims, guarantee.sure_negatives) == (4, 2, 1)
    assert (guarantee.alone, guarantee.alone_claims) == (3, 1)
    assert guarantee.precision == 0.5
    scarcity = figures["pressure.scarcity"]
    assert (scarcity.passages, scarcity.claims, scarcity.alone) == (1, 1, 0)
    merged = real_corpus.phrase_findings("这只基金预计年化能到6%左右。", "fund", cn_pack)
    assert len(merged) == 1 and merged[0].rule == "yield.expected_return_term"
    assert (figures["yield.stated_as_certain"].passages, figures["yield.expected_return_term"].passages) == (1, 1)
    assert figures["yield.stated_as_certain"].alone == 0  # the passage holds two rules
    assert all(f.passages for f in figures.values())  # a rule with no finding is not listed


def test_the_rule_page_is_up_to_date(cn_pack):
    committed = (ROOT / "docs" / "lint-rule-figures.md").read_text(encoding="utf-8")
    assert committed == real_corpus.rule_page(cn_pack), \
        "regenerate: python -m tests.lint.real_corpus --rule-page > docs/lint-rule-figures.md"


def test_the_rule_page_lists_every_phrase_rule_and_the_scorer(cn_pack):
    page = real_corpus.rule_page(cn_pack)
    for rule in [r.id for r in cn_pack.phrases] + ["learned.sales_claim"]:
        assert f"`{rule}`" in page
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    precisions = [float(row.split("|")[4]) for row in rows]
    assert precisions == sorted(precisions) and len(rows) >= 20  # the weakest first


@pytest.mark.parametrize("half,code", [("dev_u", 0), ("heldout_u", 2)])
def test_rules_are_listed_for_development_sets_only(capsys, half, code):
    assert real_corpus.main([half, "--rules"]) == code
    out = capsys.readouterr().out
    assert ("guarantee.principal_and_interest" in out) == (code == 0)
    assert ("refused" in out) == (code == 2)
