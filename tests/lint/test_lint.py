"""The script linter: offsets, lines and columns, verdicts, product scope, except, negation,
proximity, script-level exceptions, disclosures and the per-hash compile cache."""

from __future__ import annotations

import pytest

from guard.core import lint as lint_module
from guard.core.lint import FINDING_CODES, Linter, compile_rules, lint, verdict_of
from guard.core.pack_schema import PackError
from guard.core.text import normalize
from tests.core.packs import make_pack
from tests.lint.corpus_data import load_corpus

SPEC_FIELDS = {"rule", "code", "severity", "start", "end", "line", "column", "matched", "message", "suggestion"}


def rule(rid="guarantee.principal_and_interest", code="BANNED_PHRASE", severity="error", **extra):
    return {"id": rid, "code": code, "severity": severity, "suggestion": "改为说明不保本", **extra}


def pack_with(phrases=(), disclosures=(), **overrides):
    return make_pack(phrases=list(phrases), disclosures=list(disclosures), **overrides)


# -- offsets on the whole corpus ---------------------------------------------------------------


def test_every_corpus_finding_points_at_its_matched_text_with_its_line_and_column(linter):
    checked = 0
    for item in load_corpus():
        text = item.text
        for f in linter.lint(text, item.type).findings:
            assert text[f.start : f.end] == f.matched, (item.id, f)
            assert f.line == text.count("\n", 0, f.start) + 1
            assert f.column == f.start - (text.rfind("\n", 0, f.start) + 1) + 1
            assert f.code in FINDING_CODES and f.severity in ("error", "warning")
            if f.code == "MISSING_DISCLOSURE":
                assert (f.start, f.end, f.line, f.column, f.matched) == (0, 0, 1, 1, "")
            else:
                # first and last characters are kept ones; nothing the normaliser drops hangs off either end
                assert normalize(f.matched[0]).text and normalize(f.matched[-1]).text, (item.id, f)
                assert f.message and f.suggestion
            checked += 1
    assert checked > 200


def test_line_and_column_across_lines(linter):
    text = "开场：您好，本次通话将被录音。\r\n介绍：期限一年。\n卖点：保-本-\t保-息，到期兑付。\n理财非存款、产品有风险、投资须谨慎。"
    (f,) = linter.lint(text, "wealth").findings
    assert f.matched == "保-本-\t保-息"
    assert (f.line, f.column) == (3, 4)
    assert text.splitlines()[2][f.column - 1] == "保"
    # a match never spans a line break between two real sentences: 保本 and 保息 are two claims, each on its line (nor
    # does an except phrase, 保本保息, which guarantee.principal_and_interest would report, excuse either across it)
    split = "开场：您好，本次通话将被录音。\n卖点：期限一年保本\n保息到期一次兑付。\n理财非存款、产品有风险、投资须谨慎。"
    found = linter.lint(split, "wealth").findings
    assert [(f.matched, f.line, f.rule) for f in found] == [("保本", 2, "guarantee.no_loss_wording"),
                                                             ("保息", 3, "guarantee.no_loss_wording")]


def test_finding_fields_follow_the_contract(linter):
    result = linter.lint("这款理财保本保息。", "wealth")
    assert result.verdict == "fail"
    first = result.findings[0].to_dict()
    assert SPEC_FIELDS <= set(first) and "rationale" in first
    assert first == {**first, "rule": "guarantee.principal_and_interest", "code": "BANNED_PHRASE", "severity": "error",
                     "start": 4, "end": 8, "line": 1, "column": 5, "matched": "保本保息"}
    assert result.to_dict()["verdict"] == "fail" and len(result.to_dict()["findings"]) == len(result.findings)


def test_phrase_findings_come_in_text_order_then_missing_disclosures_in_pack_order(linter):
    findings = linter.lint("刚兑产品，保本保息，零风险", "wealth").findings
    phrase = [f for f in findings if f.code != "MISSING_DISCLOSURE"]
    assert [f.matched for f in phrase] == ["刚兑", "保本保息", "零风险"]
    assert findings[: len(phrase)] == tuple(phrase)
    assert [f.rule for f in findings[len(phrase) :]] == ["disclosure.investment_risk", "disclosure.recording_notice"]


# -- verdicts ----------------------------------------------------------------------------------


def test_verdicts():
    pack = pack_with(
        [rule("a.err", patterns=["保本保息"]), rule("b.warn", code="PRESSURE", severity="warning", patterns=["名额有限"])],
    )
    linter = compile_rules(pack)
    assert linter.lint("保本保息，名额有限", "wealth").verdict == "fail"
    assert linter.lint("名额有限", "wealth").verdict == "warn"
    assert linter.lint("一切正常", "wealth").verdict == "pass"
    assert linter.lint("", "wealth") == lint_module.LintResult("pass", ())
    assert verdict_of([]) == "pass"


def test_a_warning_disclosure_only_warns(linter):
    text = "您好，我是华兴银行客户经理。三年期大额存单年利率1.9%，起存20万元，可以提前支取。"
    result = linter.lint(text, "deposit")
    assert result.verdict == "warn"
    assert [f.rule for f in result.findings] == ["disclosure.recording_notice"]


# -- product scope -----------------------------------------------------------------------------


def test_rules_apply_only_to_their_product_types(linter):
    text = "您好，本次通话将被录音。大额存单保本保息，50万元以内受存款保险保障。"
    assert linter.lint(text, "deposit").findings == ()
    wealth = linter.lint(text, "wealth").findings
    assert "guarantee.principal_and_interest" in {f.rule for f in wealth}
    # severity by product type: the same words are an error for insurance, a warning elsewhere
    ins = {f.rule: f.severity for f in linter.lint("今天是最后一天", "insurance").findings if f.code == "PRESSURE"}
    wm = {f.rule: f.severity for f in linter.lint("今天是最后一天", "wealth").findings if f.code == "PRESSURE"}
    assert ins == {"pressure.stop_sale": "error"} and wm == {"pressure.stop_sale_other": "warning"}


def test_no_product_type_applies_every_rule_and_every_disclosure(linter, cn_pack):
    result = linter.lint("这款理财保本保息，零风险", None)
    assert result.verdict == "fail"
    assert [f.rule for f in result.findings if f.code != "MISSING_DISCLOSURE"] == [
        "guarantee.principal_and_interest", "guarantee.zero_risk"]
    # every disclosure applies too (a when_mentions disclosure still needs its trigger)
    missing = {f.rule for f in result.findings if f.code == "MISSING_DISCLOSURE"}
    assert missing == {d.id for d in cn_pack.disclosures if not d.when_mentions}
    rules = {f.rule for f in linter.lint("保本保息，名额有限，政府背书", None).findings if f.code != "MISSING_DISCLOSURE"}
    assert rules == {"guarantee.principal_and_interest", "pressure.scarcity", "regulator.endorsement"}


def test_an_unknown_product_type_is_refused(linter):
    with pytest.raises(ValueError, match="stock"):
        linter.lint("保本保息", "stock")


# -- except ------------------------------------------------------------------------------------


def test_a_hit_inside_an_except_phrase_is_not_a_finding():
    linter = compile_rules(pack_with([rule(patterns=["保本"], **{"except": ["非保本浮动收益", "打破刚兑"]})], lint={"negation": False}))
    assert linter.lint("本产品为非保本浮动收益型", "wealth").findings == ()
    assert linter.lint("本产品为非 保 本，浮动收益型", "wealth").findings == ()  # the except phrase is normalised too
    (f,) = linter.lint("非保本浮动收益之外还有保本的", "wealth").findings
    assert f.matched == "保本" and f.start == 11


def test_an_except_phrase_begun_in_an_earlier_clause_excuses_nothing():
    """The except 风险比存款强 (a fair statement that risk is higher) read across a comma joined two claims: 零风险，比定期存款强多了
    gave the zero-risk finding and lost the comparison (found using the product, 2026-12-04)."""
    linter = compile_rules(pack_with([rule("cmp", code="MISLEADING", patterns=["比存款强"], **{"except": ["风险比存款强"]})],
                                     lint={"negation": False}))
    assert linter.lint("这款产品风险比存款强", "wealth").findings == ()  # one clause: excused
    assert linter.lint("这款产品风 险 比存款强", "wealth").findings == ()  # spaces are no clause mark
    for text in ("这款产品零风险，比存款强多了", "零风险；比存款强", "零风险:比存款强", "零风险\n比存款强"):
        (f,) = linter.lint(text, "wealth").findings
        assert f.matched == "比存款强", text


def test_the_shipped_pack_finds_each_claim_of_a_sentence_that_makes_several(full_linter):
    found = full_linter.lint("这款产品保本保息，零风险，比定期存款强多了，名额有限。", "wealth").findings
    assert [f.rule for f in found if f.code != "MISSING_DISCLOSURE"] == [
        "guarantee.principal_and_interest", "guarantee.zero_risk", "comparison.vs_deposit_rate", "pressure.scarcity"]


# -- negation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["不保证收益", "我们不能说保本保息", "并非零风险", "不存在零风险的投资", "不是无风险", "并非稳赚不赔", "不承诺保本保息",
     "這不是零風險", "我们不会说这是保本保息", "不要相信所谓保本保息"],
)
def test_negated_wording_is_not_flagged(linter, text):
    assert [f for f in linter.lint(text, "wealth").findings if f.code != "MISSING_DISCLOSURE"] == []


@pytest.mark.parametrize(
    "text, matched",
    [
        ("无风险", "无风险"),  # a pattern starting with a negator is not negated by itself
        ("这个产品不会亏", "不会亏"),
        ("不用担心，保本保息", "保本保息"),  # 不用 does not negate
        ("收益不错，零风险", "零风险"),
        ("风险不大，零风险", "零风险"),  # a clause break ends the negator's reach
        ("风险不大但是零风险", "零风险"),  # so does a connective
        ("非常安全，零风险", "零风险"),
        ("稳赚不赔保本保息", "保本保息"),  # the 不 inside another hit negates nothing
        ("不管市场怎么样都零风险", "零风险"),
        ("不是说收益高而是零风险", "零风险"),
    ],
)
def test_wording_that_only_looks_negated_is_flagged(linter, text, matched):
    assert matched in [f.matched for f in linter.lint(text, "wealth").findings]


def test_a_bare_negator_reaches_four_characters_back(linter):
    assert not [f for f in linter.lint("不随便向您保证收益", "wealth").findings if f.code == "BANNED_PHRASE"]  # 4 between
    assert [f for f in linter.lint("不随便地向您保证收益", "wealth").findings if f.code == "BANNED_PHRASE"]  # 5 between


@pytest.mark.parametrize(
    "text",
    ["不能随便地向您保证收益", "本产品不保证本金和收益，也不保证年化收益率", "业绩比较基准不构成对收益的承诺，更不是保证收益",
     "我们从不在电话里跟客户说零风险", "本产品并非任何情况下都能保本保息"],
)
def test_a_word_negator_reaches_to_the_end_of_its_clause(linter, text):
    assert not [f for f in linter.lint(text, "wealth").findings if f.code == "BANNED_PHRASE"], text


@pytest.mark.parametrize(
    "text",
    ["我们不能骗您，保证收益", "本产品不收手续费。保证收益", "这不是问题但是保证收益", "风险不大，所以零风险"],
)
def test_a_clause_end_ends_a_negator_reach(linter, text):
    assert [f for f in linter.lint(text, "wealth").findings if f.code == "BANNED_PHRASE"], text


def test_negation_can_be_switched_off_by_the_pack():
    rules = [rule(patterns=["保证收益", "零风险"], **{"except": ["不存在零风险"]})]
    on = compile_rules(pack_with(rules))
    off = compile_rules(pack_with(rules, lint={"negation": False}))
    assert on.negation and not off.negation
    assert on.lint("不保证收益", "wealth").findings == ()
    (f,) = off.lint("不保证收益", "wealth").findings
    assert f.matched == "保证收益"
    # except contexts still apply without negation
    assert off.lint("不存在零风险的投资", "wealth").findings == ()


# -- overlaps ----------------------------------------------------------------------------------


def test_overlapping_hits_of_one_rule_report_the_longest(linter):
    findings = [f for f in linter.lint("这只基金稳赚不赔", "fund").findings if f.code == "BANNED_PHRASE"]
    assert [f.matched for f in findings] == ["稳赚不赔"]
    # 预期收益率 … 4% and 预期收益 … 4% (the rule's word class holds both) overlap: the longest is the finding
    findings = [f for f in linter.lint("这款产品预期收益率4%", "wealth").findings if f.code == "MISLEADING"]
    assert [f.matched for f in findings] == ["预期收益率4%"]


def test_longest_wins_even_when_it_starts_later():
    linter = compile_rules(pack_with([rule(patterns=["保证本", "本金无忧啊"])]))
    (f,) = linter.lint("保证本金无忧啊", "wealth").findings
    assert f.matched == "本金无忧啊"


# -- proximity, unless_mentions, when_mentions ----------------------------------------------------


def test_a_proximity_rule_needs_its_term_nearby_and_spans_both(linter):
    def hits(text: str) -> list[str]:  # the rule's own spans (its finding may be merged with another rule's)
        return [text[r.start:r.end] for f in linter.lint(text, "wealth").findings for r in f.rules
                if r.rule == "yield.benchmark_as_promise"]

    assert hits("业绩比较基准为4%，保证您到手4%") == ["业绩比较基准为4%，保证"]
    assert not hits("业绩比较基准为年化4%，这是产品说明书里写明的，测算依据也写得很清楚，保证")
    assert not hits("业绩比较基准为4%，不保证您能拿到")
    assert not hits("业绩比较基准不代表一定能达到")


def test_a_term_before_the_anchor_counts_too():
    linter = compile_rules(pack_with([rule("p.near", code="MISLEADING", patterns=["基准"], near={"any_of": ["保证"], "within": 3})]))
    (f,) = linter.lint("我保证这个基准", "wealth").findings
    assert f.matched == "保证这个基准"
    assert linter.lint("我保证这个产品的基准", "wealth").findings == ()


def test_unless_mentions_clears_the_rule_for_the_whole_script(linter):
    assert [f.rule for f in linter.lint("日息万分之二", "loan").findings] == [
        "loan.rate_not_annualized", "disclosure.apr", "disclosure.recording_notice"]
    assert [f.rule for f in linter.lint("日息万分之二，年化利率7.3%", "loan").findings] == ["disclosure.recording_notice"]


def test_when_mentions_makes_a_disclosure_conditional(linter):
    base = "您好，本次通话将被录音。这款R2理财期限一年。理财非存款、产品有风险、投资须谨慎。"
    assert linter.lint(base, "wealth").findings == ()
    mentioned = base + "业绩比较基准为年化3%。"
    assert [f.rule for f in linter.lint(mentioned, "wealth").findings] == ["disclosure.benchmark_caveat"]
    caveated = mentioned + "业绩比较基准不代表产品未来表现。"
    assert linter.lint(caveated, "wealth").findings == ()


def test_disclosures_are_found_through_evasions_and_traditional_script(linter):
    text = "本次通話將被錄音。這款理財期限一年。理 財 非 存 款 ， 產品有風險 ， 投資須謹慎"
    assert linter.lint(text, "wealth").findings == ()


def test_missing_disclosure_carries_the_rule_message_and_a_suggestion():
    pack = pack_with(disclosures=[{"id": "d.one", "product_types": ["fund"], "any_of": ["基金有风险"], "message": "缺少风险提示"}])
    (f,) = compile_rules(pack).lint("这只基金不错", "fund").findings
    assert (f.code, f.rule, f.severity, f.message, f.suggestion) == ("MISSING_DISCLOSURE", "d.one", "error", "缺少风险提示", "加入：基金有风险")
    assert compile_rules(pack).lint("这只基金不错", "wealth").findings == ()


# -- compile cache -------------------------------------------------------------------------------


def test_rules_are_compiled_once_per_pack_hash(monkeypatch):
    built = []
    original = lint_module.Linter.__init__

    def counting(self, pack):
        built.append(pack.hash)
        original(self, pack)

    monkeypatch.setattr(lint_module.Linter, "__init__", counting)
    rules = [rule(patterns=["一个只在这里出现的词"])]
    a = pack_with(rules)
    b = pack_with(rules)  # another object, same content: same hash
    assert a is not b and a.hash == b.hash
    first = compile_rules(a)
    assert compile_rules(a) is first and compile_rules(b) is first
    assert lint("一个只在这里出现的词", "wealth", b).verdict == "fail"
    other = compile_rules(pack_with([rule(patterns=["另一个词"])]))
    assert other is not first
    assert built == [a.hash, other.pack_hash]


def test_the_cache_is_bounded():
    linters = [compile_rules(pack_with([rule(patterns=[f"词{i}号"])])) for i in range(lint_module._CACHE_SIZE + 5)]
    assert len(lint_module._CACHE) <= lint_module._CACHE_SIZE
    assert isinstance(linters[-1], Linter)


# -- pack validation of the linter keys -----------------------------------------------------------


@pytest.mark.parametrize(
    "phrases, disclosures, message",
    [
        ([rule(patterns=["保本", "，，"])], [], "phrases[0].patterns[1]: '，，' has no letters or digits"),
        ([rule(patterns=["保本"], **{"except": ["  "]})], [], "phrases[0].except[0]"),
        ([rule(patterns=["基准"], near={"any_of": ["保证"]})], [], "phrases[0].near.within: is required"),
        ([rule(patterns=["基准"], near={"any_of": ["保证"], "within": 0})], [], "phrases[0].near.within: 0 is not a whole number >= 1"),
        ([rule(patterns=["基准"], near={"any_of": [], "within": 5})], [], "phrases[0].near.any_of: must not be empty"),
        ([rule(patterns=["基准"], near={"any_of": ["保证"], "within": 5, "far": 1})], [], "phrases[0].near.far: unknown key"),
        ([rule(patterns=["日息"], unless_mentions=["。"])], [], "phrases[0].unless_mentions[0]"),
        ([], [{"id": "d", "product_types": ["fund"], "any_of": ["x"], "message": "m", "when_mentions": "基准"}], "disclosures[0].when_mentions: is not a list"),
        ([], [{"id": "d", "product_types": ["fund"], "any_of": ["、"], "message": "m"}], "disclosures[0].any_of[0]"),
    ],
)
def test_pack_validation_of_linter_keys(phrases, disclosures, message):
    with pytest.raises(PackError) as exc:
        pack_with(phrases, disclosures)
    assert message in str(exc.value)


def test_the_new_linter_keys_are_read_into_the_rules(cn_pack):
    by_id = {r.id: r for r in cn_pack.phrases}
    assert by_id["yield.benchmark_as_promise"].near and by_id["yield.benchmark_as_promise"].near_within == 15
    assert "年化利率" in by_id["loan.rate_not_annualized"].unless_mentions
    (caveat,) = [d for d in cn_pack.disclosures if d.id == "disclosure.benchmark_caveat"]
    assert "业绩比较基准" in caveat.when_mentions
    assert all(r.rationale and r.message and r.suggestion for r in cn_pack.phrases)
