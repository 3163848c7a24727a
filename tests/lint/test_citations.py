"""The lint rules' rationales against the sources they cite (policies/sources/lint-citations.yaml).

A rule is right when it agrees with its source: each rationale names the statute, regulation or regulator's page a
rule rests on, and the citations file holds the words of each article cited as read from the source (its address
beside it). These tests hold the shipped pack to it: a quotation not in the article or item named, an article named
in a rationale with no citation, or a citation the rationale does not write, fails.
"""

from __future__ import annotations

import re

import pytest

from policies.citations import ARTICLE_RE, EXCERPT, UNCHECKED_MARK, Citation, item_text, load, problems
from policies.lint_docs import shipped_pack

CITES = load()
PACK = shipped_pack()
RATIONALES = {r.id: r.rationale or "" for r in (*PACK.phrases, *PACK.disclosures)}


def _clause_after(rationale: str, cite: str) -> str:
    """The rationale's words from the end of `cite` to the end of its clause (；, 。 or the end)."""
    at = rationale.index(cite) + len(cite)
    end = re.search("[；。]", rationale[at:])
    return rationale[at:at + end.start()] if end else rationale[at:]


def test_every_citation_names_a_rule_of_the_shipped_pack():
    assert set(CITES.by_rule) <= set(RATIONALES), set(CITES.by_rule) - set(RATIONALES)


@pytest.mark.parametrize("rule", sorted(CITES.by_rule))
def test_quotations_are_in_the_article_and_item_cited(rule):
    assert [p for c in CITES.by_rule[rule] for p in problems(c, CITES.instruments)] == []


@pytest.mark.parametrize("rule", sorted(CITES.by_rule))
def test_each_citation_is_written_in_its_rule_rationale(rule):
    rationale = RATIONALES[rule]
    assert [c.cite for c in CITES.by_rule[rule] if c.cite not in rationale] == []


@pytest.mark.parametrize("rule", sorted(RATIONALES))
def test_every_article_a_rationale_names_has_a_citation(rule):
    """Each 第…条 in a rationale lies inside the written words of one of its rule's citations."""
    rationale = RATIONALES[rule]
    spans = [(m.start(), m.end()) for c in CITES.by_rule.get(rule, ()) for m in re.finditer(re.escape(c.cite), rationale)]
    uncited = [m.group() for m in ARTICLE_RE.finditer(rationale)
               if not any(a <= m.start() and m.end() <= b for a, b in spans)]
    assert uncited == [], f"{rule}: articles named with no citation in policies/sources/lint-citations.yaml"


@pytest.mark.parametrize("rule", sorted(CITES.by_rule))
def test_the_rationale_says_which_citations_are_unchecked(rule):
    rationale = RATIONALES[rule]
    for c in CITES.by_rule[rule]:
        marked = UNCHECKED_MARK in _clause_after(rationale, c.cite)
        assert marked == (c.status == "unchecked"), f"{rule}: {c.cite} is {c.status}"


def test_instruments_name_where_their_text_was_read():
    for inst in CITES.instruments.values():
        assert inst.source.startswith(("https://", "http://")), inst.key
        assert inst.articles and all(ARTICLE_RE.fullmatch(a) or a == EXCERPT for a in inst.articles), inst.key


def test_the_check_finds_a_claim_its_article_does_not_make():
    """The rationale of insurance.replacement_pitch once cited 保险法第一百一十六条（十） for 不得诱导投保人解除保险合同;
    item （十） forbids drawing fees through made-up surrenders (编造退保等方式套取费用), not that."""
    wrong = Citation(rule="insurance.replacement_pitch", cite="保险法第一百一十六条（十）", status="checked",
                     instrument="insurance_law", article="第一百一十六条", items=("十",), says=("诱导投保人解除保险合同",))
    assert problems(wrong, CITES.instruments)
    right = Citation(rule="x", cite="保险法第一百一十六条（十）", status="checked", instrument="insurance_law",
                     article="第一百一十六条", items=("十",), says=("编造退保等方式套取费用",))
    assert problems(right, CITES.instruments) == []
    # item （一） is not read as item （十一）, nor （十） as （十一）: each item ends where the next begins
    article = CITES.instruments["insurance_law"].articles["第一百一十六条"]
    assert item_text(article, "十").startswith("（十）利用保险代理人") and "（十一）" not in item_text(article, "十")
    assert item_text(article, "十四") is None


def test_the_listing_names_each_citation_its_status_and_source(capsys):
    from policies.citations import main

    assert main(["--rule", "insurance.replacement_pitch"]) == 0
    out = capsys.readouterr().out
    assert "checked    保险销售行为管理办法第三十九条" in out and "itove/datong" in out and "reproduction" in out
    assert main(["--rule", "yield.stated_as_certain"]) == 0
    assert capsys.readouterr().out.count("unchecked") == 1
    # read since (2026-12-05): the 倡议 in a news report, the 2018 notice's item 二 quoted in a penalty's report
    assert main(["--rule", "deposit.interest_off_the_books"]) == 0
    out = capsys.readouterr().out
    assert out.count("  checked ") == 3 and "unchecked" not in out and "zhuanguanjia.com" in out


def test_the_unchecked_citations_and_the_sources_are_listed_for_compliance_to_confirm(capsys):
    from policies.citations import main

    assert main(["--unchecked"]) == 0
    out = capsys.readouterr().out
    unchecked = sum(c.status == "unchecked" for cs in CITES.by_rule.values() for c in cs)
    assert out.count("  unchecked  ") == unchecked and "  checked " not in out
    assert "yield.stated_as_certain" in out and "regulator.endorsement" not in out  # a rule with none is left out
    assert "deposit.interest_off_the_books" not in out
    assert main(["--sources"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(CITES.instruments)
    assert any(x.startswith("insurance_law: 中华人民共和国保险法") and "reproduction: https://github.com/itove/datong" in x for x in lines)
    assert any(x.startswith("tw_fl020535:") and "official: https://law.banking.gov.tw" in x for x in lines)


def test_a_malformed_citations_file_is_refused_with_the_entry_named(tmp_path):
    bad = tmp_path / "citations.yaml"
    bad.write_text("citations:\n  guarantee.zero_risk:\n  - cite: 广告法\n    status: probably\n", encoding="utf-8")
    with pytest.raises(ValueError, match="guarantee.zero_risk.*probably"):
        load(bad)
    bad.write_text("instruments:\n  x:\n    title: t\n", encoding="utf-8")
    with pytest.raises(ValueError, match="instrument x"):
        load(bad)
