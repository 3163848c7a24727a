"""docs/lint-rules.md is generated from the shipped pack and is up to date."""

from __future__ import annotations

from pathlib import Path

from guard.core.lint_docs import render_markdown
from policies import lint_docs

ROOT = Path(__file__).resolve().parents[2]


def test_generated_lint_rule_doc_is_up_to_date(cn_pack):
    committed = (ROOT / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    assert committed == render_markdown(cn_pack), "regenerate: python -m policies.lint_docs > docs/lint-rules.md"


def test_the_doc_names_every_rule_with_its_code_and_suggestion(cn_pack):
    page = render_markdown(cn_pack)
    for rule in cn_pack.phrases:
        assert f"### `{rule.id}`" in page and rule.suggestion in page
    for rule in cn_pack.disclosures:
        assert f"### `{rule.id}`" in page
    assert "MISSING_DISCLOSURE" in page and "start = end = 0" in page


def test_the_generator_prints_the_page_and_fails_on_an_unknown_pack(capsys, cn_pack):
    assert lint_docs.main([]) == 0
    assert capsys.readouterr().out == render_markdown(cn_pack)
    assert lint_docs.main(["no-such-pack"]) == 1
    assert "no-such-pack" in capsys.readouterr().err
