"""The linter's learned scorer (guard/core/lint_scorer.py): how a sentence is scored and explained, how
its findings sit beside the rules' (located on the sentence, a warning, none where a rule already
found something or the sentence is quoted to forbid it), the pack's `lint.scorer` validation, that the
shipped weights are what training on the labelled real text gives, and its false alarms on clean
scripts it was not trained on."""

from __future__ import annotations

import json
import math
from pathlib import Path

import jsonschema
import pytest

from guard.core.lint import compile_rules
from guard.core.lint_scorer import SCORER_RULE, Scorer, grams, positions
from guard.core.pack_schema import PackError
from guard.core.text import normalize
from policies import lint_scorer_train as training
from tests.core.packs import make_pack
from tests.lint.real_corpus import PHRASE_CODES, load

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"

# A small hand-made scorer: 稳拿 and 翻倍 weigh towards a finding, 不保证 against.
WEIGHTS = {"稳拿": 8.0, "翻倍": 6.0, "不保证": -9.0, "您": 0.5}
SCORER = {"sizes": [1, 2, 3], "bias": -1.0, "threshold": 0.0, "weights": WEIGHTS, "trained_on": "a test"}
BANNED = {"id": "guarantee.zero_risk", "code": "BANNED_PHRASE", "severity": "error", "patterns": ["零风险"],
          "suggestion": "删除"}


def scored_linter(**scorer):
    return compile_rules(make_pack(phrases=[BANNED], disclosures=[], lint={"scorer": {**SCORER, **scorer}}))


def test_a_sentence_scores_the_bias_plus_its_ngram_weights_over_the_root_of_their_number():
    scorer = Scorer(weights=WEIGHTS, bias=-1.0, threshold=0.0, sizes=(1, 2))
    # 每年稳拿: 1-grams 每 年 稳 拿, 2-grams 每年 年稳 稳拿: seven n-grams, one of them weighed (稳拿 8.0)
    assert scorer.score("每年稳拿") == pytest.approx(-1.0 + 8.0 / math.sqrt(7))
    # a weighed n-gram counts once however often it appears; the root is of all seven n-grams
    assert scorer.score("稳拿稳拿") == pytest.approx(-1.0 + 8.0 / math.sqrt(7))
    assert scorer.score("您稳拿您") == pytest.approx(-1.0 + (8.0 + 0.5) / math.sqrt(7))
    assert scorer.score("") == -1.0 and scorer.score("的") == -1.0
    assert positions(4, (1, 2, 3)) == 9 and positions(2, (1, 2, 3)) == 3 and positions(0, (1, 2)) == 0
    assert grams("稳拿稳拿", (1, 2, 3)) == {"稳", "拿", "稳拿", "拿稳", "稳拿稳", "拿稳拿"}


def test_scores_of_several_sentences_count_each_ngram_inside_its_own_sentence_only():
    scorer = Scorer(weights=WEIGHTS, bias=-1.0, threshold=0.0, sizes=(1, 2))
    text = "每年稳拿不保证翻倍"
    # 稳拿 straddles the first two spans: it counts in neither; spans not listed are not scored
    assert scorer.scores(text, [(0, 3), (3, 4), (7, 9)]) == pytest.approx(
        [-1.0, -1.0, -1.0 + 6.0 / math.sqrt(3)])
    assert scorer.scores(text, [(0, 4), (4, 9)]) == pytest.approx(
        [scorer.score("每年稳拿"), scorer.score("不保证翻倍")])
    assert scorer.scores(text, []) == []
    # the one-pass scores equal a sentence-by-sentence count of its distinct n-grams
    shipped_like = Scorer(weights={"稳": 1.0, "拿": -0.5, "稳拿": 2.0, "年稳拿": 3.0}, bias=0.1, threshold=0.2)
    text = "今年稳拿稳拿，明年拿稳"
    spans = [(0, 6), (6, 7), (7, 11)]
    for (a, b), got in zip(spans, shipped_like.scores(text, spans)):
        sentence = text[a:b]
        found = grams(sentence, (1, 2, 3))
        want = 0.1 + sum(shipped_like.weights.get(g, 0.0) for g in found) / math.sqrt(positions(len(sentence), (1, 2, 3)))
        assert got == pytest.approx(want), sentence


def test_a_scorer_that_has_scored_still_pickles_with_its_pack_and_scores_the_same(cn_pack):
    import pickle

    compile_rules(cn_pack)  # builds the scorer's automaton
    text = "年化收益稳定在5%，比存银行划算多了"
    copy = pickle.loads(pickle.dumps(cn_pack))
    assert copy.lint_scorer.score(text) == cn_pack.lint_scorer.score(text) > cn_pack.lint_scorer.threshold


def test_the_explanation_names_the_heaviest_positive_ngrams_without_overlaps():
    scorer = Scorer(weights={"稳拿": 4.0, "稳": 2.0, "翻倍": 3.0, "收益": 1.0, "不": -5.0}, bias=0.0, threshold=0.0)
    assert scorer.explain("稳拿收益还能翻倍不") == ["稳拿", "翻倍", "收益"]  # 稳 lies inside 稳拿; 不 weighs against
    assert scorer.explain("稳拿收益还能翻倍", top=1) == ["稳拿"]
    assert scorer.explain("没有") == []


def test_the_explanation_reads_the_ngrams_from_the_automaton_as_grams_finds_them(cn_pack):
    """explain takes the positive n-grams a sentence holds from the scorer's automaton: the same as the
    distinct n-grams of the sizes scored (grams) that have a positive weight, a weighed 4-gram left out."""
    def reference(scorer, text, top):
        positive = scorer._positive
        out = []
        for g in sorted(positive.keys() & grams(text, scorer.sizes), key=lambda g: (-positive[g], -len(g), g)):
            if not any(g in kept or kept in g for kept in out):
                out.append(g)
        return out[:top]

    small = Scorer(weights={"稳拿收益": 9.0, "稳拿": 4.0, "稳": 2.0, "收益": 1.0, "不": -5.0}, bias=0.0, threshold=0.0)
    assert small.explain("稳拿收益", top=5) == reference(small, "稳拿收益", 5) == ["稳拿", "收益"]
    sentences = ["买了这个以后养老就不用愁了钱放着自己会生钱", "每年稳拿收益三年翻倍", "这款产品收益稳定本金安全", "", "a",
                 "保本保息零风险年化收益百分之五"]
    for text in sentences:
        assert cn_pack.lint_scorer.explain(text, top=20) == reference(cn_pack.lint_scorer, text, 20), text


def test_a_flagged_sentence_is_one_warning_located_on_the_sentence_in_the_original_text():
    text = "您好，本次通话将被录音。\n這款產品每年穩拿，三年翻倍！收益以合同为准。"
    result = scored_linter().lint(text, "wealth")
    found = [f for f in result.findings if f.rule == SCORER_RULE]
    assert len(found) == 1 and result.verdict == "warn"
    f = found[0]
    assert (f.code, f.severity) == ("MISLEADING", "warning")
    assert f.matched == text[f.start:f.end] == "這款產品每年穩拿，三年翻倍"  # the sentence, ending at its end mark
    assert (f.line, f.column) == (2, 1)
    assert "“稳拿”" in f.message and "“翻倍”" in f.message and f.suggestion and f.rationale == "a test"
    assert [(r.rule, r.start, r.end) for r in f.rules] == [(SCORER_RULE, f.start, f.end)]
    # under the threshold: nothing
    assert not [f for f in scored_linter(threshold=9.0).lint(text, "wealth").findings if f.rule == SCORER_RULE]


def test_a_sentence_a_rule_already_found_something_in_gets_no_scorer_finding():
    result = scored_linter().lint("这款产品零风险，每年稳拿，三年翻倍。", "wealth")
    assert [f.rule for f in result.findings] == ["guarantee.zero_risk"] and result.verdict == "fail"


def test_merged_over_product_types_a_sentence_a_rule_found_under_one_type_gets_no_scorer_finding():
    from guard.services.catalog.scripts import lint_types

    deposit_only = {**BANNED, "product_types": ["deposit"]}
    pack = make_pack(phrases=[deposit_only], disclosures=[], lint={"scorer": SCORER})
    merged, per_type = lint_types("这款产品零风险，每年稳拿，三年翻倍。", ("wealth", "deposit"), pack)
    assert [f.rule for f in per_type["wealth"].findings] == [SCORER_RULE]  # no rule for wealth: the scorer speaks
    assert [f.rule for f in merged.findings] == ["guarantee.zero_risk"]


@pytest.mark.parametrize("text", [
    "监管要求，销售人员不得宣称“每年稳拿、三年翻倍”。",
    "严禁向客户宣传每年稳拿、三年翻倍。",
    "有业务员以“每年稳拿、三年翻倍”等话术误导客户。",
])
def test_a_sentence_quoted_or_named_to_forbid_gets_no_scorer_finding(text):
    linter = scored_linter()
    assert linter.scorer.score(normalize(text).text) > 0  # the scorer alone would flag it
    assert [f for f in linter.lint(text, "wealth").findings if f.rule == SCORER_RULE] == []


@pytest.mark.parametrize("text", [
    "他说每年稳拿，三年翻倍，我就买了。",  # reported speech
    "该支行员工向老人推销时每年稳拿、三年翻倍，被监管局处罚。",  # a penalty (REPORT_FRAMES)
    "这款产品是否每年稳拿、三年翻倍？",  # a question
    "过往业绩不代表未来表现，每年稳拿、三年翻倍并无保证。",  # a disclaimer (cleared for MISLEADING, the scorer's code)
])
def test_a_sentence_in_a_frame_of_the_rules_gets_no_scorer_finding(text):
    # the rules' sentence frames hold for the scorer too (leave-one-set-out on the development sets: false
    # alarms 108 -> 98, no hit lost; bench/lint_scorer_frames.py)
    linter = scored_linter()
    assert linter.scorer.score(normalize(text).text) > 0  # the scorer alone would flag it
    assert [f for f in linter.lint(text, "wealth").findings if f.rule == SCORER_RULE] == []
    # the same words as a pitch: one finding
    assert [f.rule for f in linter.lint("每年稳拿，三年翻倍。", "wealth").findings] == [SCORER_RULE]


def test_a_pitch_that_cites_a_statute_by_its_title_keeps_its_scorer_finding():
    # a rule's hit in a sentence that cites a regulation by title is cleared (it is about the rule), the scorer's
    # is not: 受《保险法》保护 is how a pitch borrows a statute's authority (dev c0177, d0144)
    text = "受《保险法》保护，每年稳拿，三年翻倍。"
    assert [f.rule for f in scored_linter().lint(text, "wealth").findings] == [SCORER_RULE]


def test_the_scorer_is_silent_in_a_whole_script_and_speaks_on_a_passage():
    """A text of `script_sentences` sentences or more is a whole script: the scorer gives no finding in it (on fresh
    seller text linted whole its findings were false alarms, policies/lint_scorer_train.py SCRIPT_SENTENCES); one
    sentence, or a text of fewer sentences, is scored. Without the setting every text is scored."""
    pitch = "每年稳拿，三年翻倍。"
    three = "您好，我是华兴银行的客户经理。" + pitch + "您看什么时候方便？"
    four = three + "好的，再见。"
    linter = scored_linter(script_sentences=4)
    assert linter.scorer.script_sentences == 4
    for text in (pitch, three):
        assert [f.rule for f in linter.lint(text, "wealth").findings] == [SCORER_RULE], text
    assert linter.lint(four, "wealth").findings == ()
    assert [f.rule for f in scored_linter().lint(four, "wealth").findings] == [SCORER_RULE]
    # the rules still speak in a whole script
    assert [f.rule for f in linter.lint(four + "这款产品零风险。", "wealth").findings] == ["guarantee.zero_risk"]


def test_the_shipped_scorer_is_silent_in_scripts_of_the_trainers_number_of_sentences(cn_pack):
    assert cn_pack.lint_scorer.script_sentences == training.SCRIPT_SENTENCES == 4


def test_with_negation_off_the_forbidding_context_clears_no_scorer_finding_either():
    text = "监管要求，销售人员不得宣称“每年稳拿、三年翻倍”。"
    linter = compile_rules(make_pack(phrases=[BANNED], disclosures=[], lint={"negation": False, "scorer": SCORER}))
    assert [f.rule for f in linter.lint(text, "wealth").findings] == [SCORER_RULE]


@pytest.mark.parametrize("scorer, message", [
    ({"bias": 0, "threshold": 0}, "lint.scorer.weights: is required"),
    ({**SCORER, "weights": {}}, "lint.scorer.weights: is not a non-empty mapping"),
    ({**SCORER, "weights": {"穩拿": 1.0}}, "lint.scorer.weights.穩拿: is not an n-gram of normalised text"),
    ({**SCORER, "weights": {"稳拿!": 1.0}}, "lint.scorer.weights.稳拿!: is not an n-gram of normalised text"),
    ({**SCORER, "weights": {"稳拿稳拿": 1.0}}, "lint.scorer.weights.稳拿稳拿: is 4 characters long"),
    ({**SCORER, "weights": {"稳拿": "high"}}, "lint.scorer.weights.稳拿: 'high' is not a finite number"),
    ({**SCORER, "threshold": True}, "lint.scorer.threshold: True is not a finite number"),
    ({**SCORER, "bias": float("nan")}, "lint.scorer.bias: nan is not a finite number"),
    ({**SCORER, "sizes": [0, 2]}, "lint.scorer.sizes: [0, 2] is not a list of n-gram sizes"),
    ({**SCORER, "threshold": -1.5}, "lint.scorer.threshold: -1.5 is below the bias -1.0"),
    ({**SCORER, "model": "x"}, "lint.scorer.model: unknown key"),
    ({**SCORER, "script_sentences": 1}, "lint.scorer.script_sentences: 1 is not a number of sentences of at least 2"),
    ({**SCORER, "script_sentences": True}, "lint.scorer.script_sentences: True is not a number of sentences"),
    ({**SCORER, "script_sentences": "4"}, "lint.scorer.script_sentences: '4' is not a number of sentences"),
])
def test_the_packs_scorer_is_validated_with_its_path_and_reason(scorer, message):
    with pytest.raises(PackError) as exc:
        make_pack(phrases=[BANNED], disclosures=[], lint={"scorer": scorer})
    assert message in str(exc.value)


def test_the_shipped_scorer_is_what_training_on_the_labelled_real_text_gives(cn_pack):
    """The weights in the pack are data from the labelled passages, not typed: training again gives them."""
    shipped = cn_pack.lint_scorer
    assert shipped is not None and shipped.sizes == training.SIZES
    items = [i for name in training.SETS for i in load(name)]
    negatives, _ = training.ordinary_text()
    model = training.train(items, negatives)
    assert shipped.bias == pytest.approx(model.bias, abs=1e-3)
    assert shipped.weights.keys() == model.weights.keys() and len(shipped.weights) <= training.KEEP
    assert max(abs(shipped.weights[k] - w) for k, w in model.weights.items()) < 1e-3
    assert shipped.trained_on == training.describe(items, negatives)


def test_training_visits_the_examples_in_an_order_the_other_examples_do_not_change():
    """Dropping examples leaves the others' visiting order as it was (a seeded shuffle of positions
    reorders everything: the scorer's weights then moved by more than the change in the data)."""
    xs = [{f"g{i}": 1.0, f"h{i % 7}": 0.5} for i in range(200)]
    ys = [float(i % 3 == 0) for i in range(200)]
    keys = training.example_keys(xs, ys)
    kept = [i for i in range(200) if i % 50 != 7]  # four examples dropped
    for epoch in range(3):
        full = training.visiting_order(keys, epoch)
        fewer = training.visiting_order([keys[i] for i in kept], epoch)
        assert [kept[j] for j in fewer] == [i for i in full if i in set(kept)]
    assert training.visiting_order(keys, 0) != training.visiting_order(keys, 1)  # each epoch its own order
    assert training.visiting_order(keys, 0) != list(range(200))
    assert training.example_keys(xs, ys) == keys  # the same data, the same order


def test_the_trainer_gives_to_the_last_bit_what_adagrad_over_dicts_of_ngrams_gives():
    """fit numbers the n-grams and keeps its weights in lists; the model is the one the same AdaGrad over dicts keyed by
    n-gram gives (the form it replaced): same bias, same weights, same order of first reaching each n-gram, on sentences
    of real text and on vectors whose values differ within one example."""
    def dict_fit(xs, ys, l2):
        w, g2, b, gb = {}, {}, 0.0, 0.0
        keys = training.example_keys(xs, ys)
        for epoch in range(training.EPOCHS):
            for i in training.visiting_order(keys, epoch):
                x = xs[i]
                z = b + sum(w.get(k, 0.0) * v for k, v in x.items())
                p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
                g = p - ys[i]
                gb += g * g
                b -= training.RATE * g / math.sqrt(gb + 1e-8)
                for k, v in x.items():
                    wk = w.get(k, 0.0)
                    gk = g * v + l2 * wk
                    acc = g2[k] = g2.get(k, 0.0) + gk * gk
                    w[k] = wk - training.RATE * gk / math.sqrt(acc + 1e-8)
        return w, b

    items = load("dev")[:120]
    xs = [training.vector(normalize(i.text).text) for i in items]
    xs += [{"保本": 0.9, "保": 0.1, "零风险": 1.7}, {"风险": 0.25, "保": 2.0}, {}]
    ys = [1.0 if i.label == "flag" else 0.0 for i in items] + [1.0, 0.0, 0.0]
    for l2 in (training.L2_SELECT, training.L2_FINAL):
        model = training.fit(xs, ys, l2)
        weights, bias = dict_fit(xs, ys, l2)
        assert model.bias == bias and model.weights == weights and list(model.weights) == list(weights)


def test_the_shipped_threshold_is_the_bias_plus_the_margin_leave_one_set_out_chooses(cn_pack):
    """The margin leave-one-set-out chooses, raised only as far as the model that ships needs to keep the cap."""
    margin, lines = training.leave_one_set_out(load)
    scorer = cn_pack.lint_scorer
    shipped = round(scorer.threshold - scorer.bias, 2)
    assert margin >= 0 and scorer.threshold == round(scorer.bias + shipped, training.DECIMALS), lines
    model = training.Model(dict(scorer.weights), scorer.bias)
    _, held_back = training.ordinary_text()
    assert training.final_margin(model, margin, held_back) == shipped >= margin, lines
    if shipped > margin:  # raised: one step less would break the cap
        assert not training.within_cap(*training.false_alarms(model, held_back, training.threshold_of(model, shipped - 0.05)))


def test_the_margin_is_raised_until_the_model_that_ships_keeps_the_cap():
    """final_margin on a model whose scores are known: two held-back sentences of one n-gram each."""
    model = training.Model({"甲": 2.0, "乙": 0.3}, 0.0)  # a one-character sentence's vector is its n-gram at weight 1
    assert training.final_margin(model, 0.0, ["乙"]) == 0.3  # 0.3 > 0.25 flags it; at 0.3 it is not flagged
    assert training.final_margin(model, 0.5, ["乙"]) == 0.5  # already within the cap: not raised
    assert training.final_margin(model, 0.0, ["甲"]) == 2.0
    assert training.final_margin(model, 0.0, ["甲"] + ["丙"] * 19) == 0.0  # 1 in 20 is 5 %: within the cap


def test_a_sentence_whose_ngrams_say_nothing_gives_no_finding(cn_pack):
    """Unknown n-grams weigh nothing: such a sentence scores the bias, and the threshold is never below it
    (a customer's 嗯，好的 in a transcript is no sales claim)."""
    scorer = cn_pack.lint_scorer
    unknown = "".join(c for c in "龘龖齉爨癵" if c not in scorer.weights)
    assert scorer.score(unknown) == scorer.bias and not scorer.flags(unknown)
    assert scorer.threshold >= scorer.bias


def test_the_shipped_scorer_flags_few_sentences_of_clean_scripts_it_was_not_trained_on(cn_pack):
    """Measured 2026-12-03: 1 of 80 sentences of the held-back clean scripts (tests/lint/real/scorer_clean_scripts.jsonl,
    odd positions); with the scorer trained with dev_l, dev_m and dev_n too (README item 30) 3 of 80 (an insurance
    product introduced: 今天给您介绍一款分红型年金保险产品; a loan's rate range stated). An ordinary script sentence
    flagged is a reviewer's time lost. Since the scorer is silent in a whole script (README item 33) the scripts linted
    whole give none; each sentence linted alone, as a reviewer checks one line, the same 3 of 80."""
    _, held_back = training.clean_scripts()
    linter = compile_rules(cn_pack)
    flagged = alone = sentences = 0
    for text in held_back:
        sentences += len(training.sentences(text))
        flagged += sum(f.rule == SCORER_RULE for f in linter.lint(text, None).findings)
        alone += sum(any(f.rule == SCORER_RULE for f in linter.lint(s, None).findings) for s in training.sentences(text))
    assert sentences >= 75 and flagged == 0 and alone <= 3, (flagged, alone, sentences)


def test_the_scorers_clean_scripts_are_the_written_corpus_s_up_to_the_insurers_full_name():
    """The scorer trains on a copy of the written corpus's clean scripts (policies/lint_scorer_train.clean_scripts): the
    corpus has since changed only where its insurance scripts came to name the insurer in full (安盈人寿 →
    安盈人寿保险股份有限公司, for disclosure.insurance_company_name) and its deposit scripts the deposit insurance's limit
    (…本息合计50万元以内全额偿付, for disclosure.deposit_insurance_limit). Any other edit of either shows here."""
    import difflib

    from tests.lint.corpus_data import load_corpus

    trained, held_back = training.clean_scripts()
    copy = [t for pair in zip(trained, held_back + [None]) for t in pair if t is not None]
    current = [item.text for item in load_corpus() if item.kind == "clean"]
    assert len(copy) == len(current) == 39
    for old, new in zip(copy, current):
        edits = [(op, old[a:b], new[c:d]) for op, a, b, c, d in difflib.SequenceMatcher(None, old, new).get_opcodes()
                 if op != "equal"]
        assert all(op == "insert" and (set(added) <= set("保险股份有限公司") or "存款本息合计50万元以内全额偿付" in added
                                         or added == "，本息合计50万元以内全额偿付")
                   for op, _, added in edits), edits


def test_the_customer_replies_are_real_sourced_lines_kept_apart_from_the_held_out_sets():
    """tests/lint/real/customer_replies.jsonl: customers' words on calls, each with its source page; none of them
    sits inside a held-out passage (trained on as negatives, it would leak into what is scored)."""
    import re

    from tests.lint.real_corpus import REAL
    from tests.lint.test_real_corpus_b import norm

    with training.REPLIES.open(encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    assert len(records) >= 80
    assert [r["id"] for r in records] == [f"cr{i:03d}" for i in range(1, len(records) + 1)]
    held_out = [norm(json.loads(line)["text"]) for path in sorted(REAL.glob("heldout*.jsonl"))
                for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    seen = set()
    for r in records:
        assert list(r) == ["id", "text", "source", "region", "script", "note"], r["id"]
        assert 2 <= len(r["text"]) <= 60 and re.fullmatch(r"https?://[^\s/]+\.[^\s/]+(/\S*)?", r["source"]), r["id"]
        assert r["region"] in {"mainland", "tw", "hk"} and r["script"] in {"simplified", "traditional"} and r["note"], r["id"]
        text = norm(r["text"])
        assert text not in seen and not any(text in passage for passage in held_out if len(text) >= 8), r["id"]
        seen.add(text)


# Measured 2026-12-03 on the 41 held-back replies: 10 flagged by the scorer trained without replies, 5 with them.
REPLIES_FLAGGED_MEASURED = 5


def test_the_shipped_scorer_flags_few_customer_replies_it_was_not_trained_on(cn_pack):
    """REPLIES_FLAGGED_MEASURED below: the held-back half (odd positions) of the real customer replies; an
    audit lints the customer's turns of a transcript that does not mark its speakers, and a customer's 我在上班
    is no sales claim."""
    _, held_back = training.customer_replies()
    linter = compile_rules(cn_pack)
    flagged = [t for t in held_back if any(f.rule == SCORER_RULE for f in linter.lint(t, None).findings)]
    assert len(held_back) >= 40 and len(flagged) <= REPLIES_FLAGGED_MEASURED, flagged


def _learned_only_passage(cn_pack):
    """A labelled flag passage of the development sets that only the scorer finds (there are dozens)."""
    linter = compile_rules(cn_pack)
    for item in load("dev_d"):
        found = [f for f in linter.lint(item.text, item.product_type).findings if f.code in PHRASE_CODES]
        if item.label == "flag" and found and {f.rule for f in found} == {SCORER_RULE}:
            return item, found
    raise AssertionError("no passage found only by the scorer")


def test_the_lint_api_returns_the_scorers_finding_located_in_the_original_text(cn_pack, sim_app):
    from tests.conftest import new_key

    item, found = _learned_only_passage(cn_pack)
    client = sim_app.test_client()
    r = client.post("/v1/scripts/lint", json={"text": item.text}, headers=new_key(sim_app, "reviewer"))
    assert r.status_code == 200
    learned = [f for f in r.json["findings"] if f["rule"] == SCORER_RULE]
    assert [(f["start"], f["end"]) for f in learned] == [(f.start, f.end) for f in found]
    for f in learned:
        assert item.text[f["start"]:f["end"]] == f["matched"] and f["severity"] == "warning"
        assert f["rules"] == [{"rule": SCORER_RULE, "code": "MISLEADING", "severity": "warning", "start": f["start"],
                               "end": f["end"]}]


def test_sarif_names_the_scorers_rule(cn_pack, sqlite_url, tmp_path):
    from tests.e2e.servers import cli

    item, _ = _learned_only_passage(cn_pack)
    path = tmp_path / "script.txt"
    path.write_text(item.text, encoding="utf-8")
    r = cli({"DATABASE_URL": sqlite_url, "GUARD_LOG_LEVEL": "WARNING"}, "lint", str(path), "--format", "sarif")
    doc = json.loads(r.stdout)
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(doc)
    run = doc["runs"][0]
    assert SCORER_RULE in [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert any(res["ruleId"] == SCORER_RULE and res["level"] == "warning" for res in run["results"])


# Real development passages (tests/lint/real/): a pitch that borrows a statute's authority. The shipped scorer flags
# the first two; since the rules' title frame no longer holds for 《保险法》 (guard/core/lint.py REGULATION_TITLE) the
# phrase rules find each, and the scorer, which speaks only where no rule did, is silent.
STATUTE_PITCHES = [  # a pitch that borrows a statute's authority: still a finding
    ("c0177", "http://www.csshebao.com/geren/75872.html", "insurance", "受《保险法》保护,即使保险公司破产,保单也会由其他机构接管或由国家兜底"),
    ("d0144", "https://m.cameronpac.com/wenda/12-564415", "insurance",
     "风险偏好低:追求收益稳定、长期增值,且希望资金安全有保障(保险受《保险法》保护,安全性高于银行)。"),
    ("p0954", "https://m.vobao.com/news/1139065021554060276.shtml", "insurance", "- 安全性高:保险资金受《保险法》保护,即使保险公司破产,保单权益由其他机构接管,本金与收益不受损。"),
    ("p1475", "https://m.vobao.com/news/1140187628395397519.shtml", "insurance", "根据《保险法》规定,增额寿险的现金价值及保底收益均需写入合同,刚性兑付特性使其安全性高于多数银行理财。"),
]


@pytest.mark.parametrize("item_id,source,ptype,text", STATUTE_PITCHES, ids=[row[0] for row in STATUTE_PITCHES])
def test_real_pitches_citing_a_statute_keep_a_finding_of_the_rules(full_linter, item_id, source, ptype, text):
    rules = {f.rule for f in full_linter.lint(text, ptype).findings if f.code in PHRASE_CODES}
    assert rules and SCORER_RULE not in rules, (item_id, source, rules)


def test_a_real_rule_naming_claims_as_banners_gets_no_scorer_finding(full_linter):
    # dev_h h0016 (a district's anti-fraud notice): 打着 … 旗号 is a report frame of the rules; the shipped scorer
    # flagged the sentence before its findings obeyed the frames
    text = "打着“年化收益20%以上”“保本保息、零风险”“稳赚不赔”等旗号,远超银行存款、正规理财的合理收益水平,利用群众逐利心理快速吸引资金。"
    linter = full_linter
    assert linter.scorer.score(normalize(text).text) > linter.scorer.threshold
    assert [f.rule for f in linter.lint(text, None).findings if f.code != "MISSING_DISCLOSURE"] == []


def test_the_cap_the_trainer_checks_before_writing_a_model_is_five_percent_of_the_held_back_sentences():
    # the cap is 5 %: 6 of 123 held-back sentences is within it, 7 is not (the eight-set model flagged 9 of 123)
    assert training.MAX_FALSE_ALARMS == 0.05
    assert training.within_cap(6, 123) and training.within_cap(0, 10) and training.within_cap(5, 100)
    assert not training.within_cap(7, 123) and not training.within_cap(9, 123) and not training.within_cap(1, 10)
