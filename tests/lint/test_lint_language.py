"""The engine's newer abilities: sentences and clauses, clause-scoped negation, forbidding and
quoted contexts, merged findings, the pattern language (classes, gaps, number slots, all/within),
validation of the new pack keys, and linear work."""

from __future__ import annotations

import pytest

from guard.core.lint import compile_rules
from guard.core.pack_schema import PackError
from guard.core.text import normalize, segment
from tests.core.packs import make_pack

CLASSES = {"存款": ["存款", "定期", "定存", "储蓄存款", "定期存款"], "强于": ["强", "高", "好", "多"], "收益": ["收益", "利息", "回报"]}


def rule(rid="r.one", code="MISLEADING", severity="error", **extra):
    return {"id": rid, "code": code, "severity": severity, "suggestion": "改写", **extra}


def linter_of(*phrases, classes=CLASSES, **overrides):
    return compile_rules(make_pack(phrases=list(phrases), disclosures=[], classes=classes, **overrides))


def matched(linter, text, ptype="wealth"):
    return [f.matched for f in linter.lint(text, ptype).findings]


# -- sentences and clauses -----------------------------------------------------------------------


def test_segments_follow_the_original_marks_in_normalised_offsets():
    n = normalize("本金绝对安全。\n过往业绩很好，但是今年不一定！4.5%的收益")
    seg = segment(n)
    text = n.text
    assert [text[:b][-2:] for b in seg.sentences] == ["安全", "一定"]
    assert seg.sentence(text.index("过往")) == 1 and seg.sentence(text.index("4")) == 2
    assert "45%" in text and seg.sentence(text.index("45%")) == seg.sentence(text.index("45%") + 2)  # 4.5 is one number
    # clauses: at the comma, at the connective 但是, and at every sentence end
    assert {text[c:c + 2] for c in seg.clauses} == {"过往", "但是", "45"}
    assert seg.clause_start(text.index("今年")) == text.index("但是")


def test_short_pieces_between_marks_are_spacing_not_sentences():
    for text in ("保本\n保息", "名！额！有！限！", "零.风.险"):
        n = normalize(text)
        assert segment(n).sentences == [], text


def test_no_finding_spans_a_sentence_end():
    linter = linter_of(rule(patterns=["本金绝对安全过往业绩", "安全过往"]))
    assert matched(linter, "本金絕對安全。\n過往業績很好") == []
    assert matched(linter, "本金绝对安全过往业绩很好") == ["本金绝对安全过往业绩"]
    near = linter_of(rule(patterns=["业绩比较基准"], near={"any_of": ["保证"], "within": 10}))
    assert matched(near, "业绩比较基准为4%，保证") == ["业绩比较基准为4%，保证"]
    assert matched(near, "业绩比较基准为4%。我们保证") == []


# -- negation by clause, forbidding and quotations ---------------------------------------------------


def test_negation_reaches_across_its_clause_but_not_beyond():
    linter = linter_of(rule(patterns=["保证本金", "收益承诺"]))
    assert matched(linter, "本产品在任何市场情况下都不对客户保证本金") == []
    assert matched(linter, "不构成对产品未来收益承诺") == []
    assert matched(linter, "这不是问题，保证本金") == ["保证本金"]
    assert matched(linter, "这不是问题但是保证本金") == ["保证本金"]


@pytest.mark.parametrize("text", ["不得承诺“保本保息”", "严禁向客户宣传零风险", "不得承诺'保本，保息'", "谨防所谓零风险理财",
                                  "禁止使用「零风险」「保本保息」等用语"])
def test_forbidden_or_quoted_to_forbid_is_not_a_finding(text):
    linter = linter_of(rule(patterns=["保本保息", "零风险"]))
    assert matched(linter, text) == [], text


def test_quotation_marks_alone_or_a_forbid_word_in_another_clause_clear_nothing():
    linter = linter_of(rule(patterns=["保本保息", "零风险"]))
    assert matched(linter, "这款产品就是“保本保息”的") == ["保本保息"]
    assert matched(linter, "严禁飞单。这款产品零风险") == ["零风险"]
    assert matched(linter, "公司严禁飞单，这款产品零风险") == ["零风险"]


@pytest.mark.parametrize("text", ["银行职员声称产品保本保息", "被包装成“零风险高报酬”的投资标的",
                                  "我也以为年金就是零风险的", "使人误信能保本保息者", "未能达到其承诺的保本保息"])
def test_reporting_verbs_and_mistaken_beliefs_forbid(text):
    linter = linter_of(rule(patterns=["保本保息", "零风险"]))
    assert matched(linter, text) == [], text


@pytest.mark.parametrize("text", ["诈骗集团以零风险、潜力股等话术吸引民众", "以‘高收益理财’、‘保本保息’等话术吸引储户",
                                  "你是不是也被“高收益、零风险、保本承诺”之类的营销词刷屏", "因「保本保息」的操作遭金管会开罚60万",
                                  "发布“限量”、“零风险”等虚假信息", "销售人员要避免夸大收益、承诺保本保息或隐瞒条款"])
def test_a_reporting_tail_later_in_the_clause_names_the_hit(text):
    linter = linter_of(rule(patterns=["保本保息", "零风险"]))
    assert matched(linter, text) == [], text


def test_a_reporting_tail_in_another_clause_or_before_the_hit_clears_nothing():
    linter = linter_of(rule(patterns=["保本保息", "零风险"]))
    assert matched(linter, "这款产品零风险，不是话术") == ["零风险"]
    assert matched(linter, "别管那些话术，这款产品零风险") == ["零风险"]
    assert matched(linter, "这款产品零风险。之类的问题您放心") == ["零风险"]
    # a negator's reach still ends at 、 (没有 is no disclaimer: 不保证本金 would make the sentence one)
    assert matched(linter, "没有手续费、零风险") == ["零风险"]


def test_forbid_contexts_are_off_with_negation():
    linter = linter_of(rule(patterns=["零风险"]), lint={"negation": False})
    assert matched(linter, "严禁向客户宣传零风险") == ["零风险"]
    assert matched(linter, "以零风险等话术吸引民众") == ["零风险"]


# -- merged findings ----------------------------------------------------------------------------------


def test_overlapping_findings_of_different_rules_are_one_finding_listing_every_rule():
    linter = linter_of(
        rule("a.principal", code="BANNED_PHRASE", severity="error", patterns=["本金绝对安全"]),
        rule("b.zero_risk", code="BANNED_PHRASE", severity="error", patterns=["绝对安全"]),
        rule("c.warn", code="PRESSURE", severity="warning", patterns=["安全无忧"]),
    )
    text = "这款产品本金絕對安全无忧"
    (f,) = linter.lint(text, "wealth").findings
    assert f.rule == "a.principal" and f.matched == "本金絕對安全无忧" and text[f.start:f.end] == f.matched
    assert [r.rule for r in f.rules] == ["a.principal", "b.zero_risk", "c.warn"]
    d = f.to_dict()
    assert d["rules"][1] == {"rule": "b.zero_risk", "code": "BANNED_PHRASE", "severity": "error",
                             "start": text.index("絕對"), "end": text.index("无忧")}
    # the most severe wins over the longest
    linter = linter_of(rule("w.long", severity="warning", patterns=["本金绝对安全"]), rule("e.short", patterns=["绝对安全"]))
    (f,) = linter.lint(text, "wealth").findings
    assert f.rule == "e.short" and f.severity == "error" and {r.rule for r in f.rules} == {"w.long", "e.short"}


def test_a_single_finding_lists_its_own_rule():
    linter = linter_of(rule(patterns=["零风险"]))
    (f,) = linter.lint("零风险", "wealth").findings
    assert f.to_dict()["rules"] == [{"rule": "r.one", "code": "MISLEADING", "severity": "error", "start": 0, "end": 3}]


# -- the pattern language -------------------------------------------------------------------------------


def test_classes_expand_in_patterns_and_in_other_phrase_lists():
    linter = linter_of(rule(patterns=["比{存款}{强于}"], **{"except": ["不是比{存款}高"]}))
    assert matched(linter, "收益比定存多一点") == ["比定存多"]
    assert matched(linter, "收益比定期存款高") == ["比定期存款高"]
    assert matched(linter, "这不是比定期高的意思") == []  # except, through the class (and negation)
    assert matched(linter, "比活期高") == []


def test_gapped_terms_in_order_within_the_limit_in_one_sentence():
    linter = linter_of(rule(patterns=["{收益} … 比 … {存款}"], within=12))
    assert matched(linter, "这款产品收益肯定比三年定期高") == ["收益肯定比三年定期"]
    assert matched(linter, "这款产品收益可能不比定期高") == []  # a negator in a gap clears it
    assert matched(linter, "定期比收益") == []  # order matters
    assert matched(linter, "收益很好。比起来定期差") == []  # one sentence
    assert matched(linter, "收益在同类产品里面算是非常不错的比三年定期") == []  # over 12 characters


def test_the_structured_form_has_its_own_limit():
    linter = linter_of(rule(patterns=[{"all": ["{收益}", "比", "{存款}"], "within": 30}], within=5))
    assert matched(linter, "收益在同类产品里面算是非常不错的比三年定期") == ["收益在同类产品里面算是非常不错的比三年定期"]


@pytest.mark.parametrize("text, hit", [
    ("年化6%", "年化6%"), ("年化 6.5%", "年化 6.5%"), ("年化百分之六", "年化百分之六"), ("年化六个点", "年化六个点"),
    ("年化6.5厘", "年化6.5厘"), ("年化百分之六点五", "年化百分之六点五"), ("年化５％", "年化５％"),
])
def test_the_pct_slot(text, hit):
    linter = linter_of(rule(patterns=["年化{PCT}稳拿"]))
    assert matched(linter, text + "稳拿") == [hit + "稳拿"]


def test_the_pct_slot_needs_a_rate():
    linter = linter_of(rule(patterns=["年化{PCT}稳拿"]))
    assert matched(linter, "年化稳拿") == [] and matched(linter, "年化6稳拿") == [] and matched(linter, "年化六稳拿") == []


@pytest.mark.parametrize("amount", ["5000元", "10万", "1.5万元", "两万块", "一百块钱", "3亿", "10,000元"])
def test_the_money_slot(amount):
    linter = linter_of(rule(patterns=["{MONEY} … 保本"]))
    assert matched(linter, f"投{amount}保本") == [f"{amount}保本"]


def test_the_money_slot_is_not_any_wan():
    linter = linter_of(rule(patterns=["{MONEY} … 保本"]))
    assert matched(linter, "千万保本") == [] and matched(linter, "万分之二保本") == []


# -- pack validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("phrases, classes, message", [
    ([rule(patterns=["比{存钱}高"])], CLASSES, "phrases[0].patterns[0]: '比{存钱}高': unknown class {存钱}"),
    ([rule(patterns=[{"存款": None}])], CLASSES, "phrases[0].patterns[0]: YAML read {存款} as a mapping: quote the pattern"),
    ([rule(patterns=["{PCT}"])], CLASSES, "a pattern needs some words besides number slots"),
    ([rule(patterns=["… 保本"])], CLASSES, "a gap (…) must stand between two terms"),
    ([rule(patterns=["保本"], **{"except": ["保本 … 保息"]})], CLASSES, "phrases[0].except[0]: '保本 … 保息': a gap (…) is only allowed in patterns"),
    ([rule(patterns=["保本"], near={"any_of": ["{PCT}"], "within": 3})], CLASSES, "phrases[0].near.any_of[0]: '{PCT}': the number slot {PCT} is only allowed in patterns"),
    ([rule(patterns=[{"all": ["收益"], "within": 3}])], CLASSES, "all: must be a list of at least two terms"),
    ([rule(patterns=[{"all": ["收益", "存款"], "within": 0}])], CLASSES, "within: 0 is not a whole number >= 1"),
    ([rule(patterns=[{"any": ["收益", "存款"]}])], CLASSES, "unknown key any"),
    ([rule(patterns=["保本"], within=0)], CLASSES, "phrases[0].within: 0 is not a whole number >= 1"),
    ([rule(patterns=["保本"])], {"PCT": ["x"]}, "classes.PCT: 'PCT' is a number slot"),
    ([rule(patterns=["保本"])], {"存款": ["{定期}"]}, "classes.存款[0]"),
    ([rule(patterns=["保本"])], {"存款": []}, "classes.存款: must not be empty"),
    ([rule(patterns=["保本"])], ["存款"], "classes: is not a mapping"),
])
def test_new_keys_are_validated_with_file_path_and_reason(phrases, classes, message):
    with pytest.raises(PackError) as exc:
        make_pack(phrases=phrases, disclosures=[], classes=classes)
    assert message in str(exc.value)


def test_disclosures_may_use_classes():
    pack = make_pack(phrases=[], classes={"提示": ["投资须谨慎", "投资需谨慎"]},
                     disclosures=[{"id": "d", "product_types": ["fund"], "any_of": ["基金有风险{提示}"], "message": "m"}])
    linter = compile_rules(pack)
    assert linter.lint("基金有风险，投资需谨慎", "fund").findings == ()
    assert [f.rule for f in linter.lint("基金不错", "fund").findings] == ["d"]


# -- linear work -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["保本保息零风险，", "业绩比较基准保证", "不不不保证收益", "保本\n", "收益比定期高收益比存款多",
                                  "这款产品收益稳定期限一年", "非保本浮动收益保证本金", "年化6%稳拿投10万保本"])
def test_the_work_grows_linearly_with_the_text(unit):
    linter = linter_of(
        rule("a", patterns=["保本保息", "零风险", "保证收益", "保证本金", "年化{PCT}稳拿", "{MONEY} … 保本"],
             **{"except": ["非保本浮动收益", "不保证本金"]}),
        rule("b", patterns=["业绩比较基准"], near={"any_of": ["保证"], "within": 15}),
        rule("c", patterns=["{收益} … 比 … {存款}"], within=12),
    )

    def work(size: int) -> int:
        stats: dict = {}
        linter.lint((unit * (size // len(unit) + 1))[:size], None, stats=stats)
        assert stats["automaton_passes"] == 1
        return stats["steps"]

    small, big = work(2_000), work(20_000)
    assert big <= 11 * max(small, 1), (small, big)
