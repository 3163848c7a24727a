"""Speaker turns (guard/core/turns.py): the linter judges the seller's words, not the customer's.

Real customers' words come from tests/lint/real/customer_replies.jsonl (each line with its source page);
the transcript layouts below are those of published call transcripts (tests/lint/real/transcripts.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guard.core.lint import compile_rules
from guard.core.turns import MASK, customer_turns, label_side, masked_spans, seller_view, unlinted

REAL = Path(__file__).parent / "real"
PHRASE = {"BANNED_PHRASE", "MISLEADING", "PRESSURE"}
GREETING = "坐席：您好，我是华兴银行的客户经理，本次通话将被录音。"


def phrase_findings(linter, text: str, product_type: str | None = None) -> list:
    return [f for f in linter.lint(text, product_type).findings if f.code in PHRASE]


@pytest.mark.parametrize("word,side", [
    ("坐席", "seller"), ("客服", "seller"), ("业务员", "seller"), ("業務員", "seller"), ("理財專員", "seller"),
    ("客户经理", "seller"),  # the longest known label decides: a bank's staff, not a customer
    ("客户", "customer"), ("客戶", "customer"), ("客户张先生", "customer"), ("客戶王女士", "customer"), ("客户A", "customer"),
    ("Customer", "customer"), ("AGENT", "seller"),
    ("客户须知", None), ("客户收益", None), ("客户权益", None),  # headings: what follows is the product's text
    ("A", None), ("甲", None), ("说话人1", None),  # no side named: nothing is masked
])
def test_label_side(word, side):
    assert label_side(word) == side


@pytest.mark.parametrize("text,masked", [
    # one turn per line
    ("坐席：您好\n客户：保本吗？\n坐席：不保本。", ["坐席：", "客户：保本吗？", "坐席："]),
    # inline turns behind sentence ends
    ("坐席：您好。客户：零风险吗？坐席：不是。", ["坐席：", "客户：零风险吗？", "坐席："]),
    # time stamps, brackets, half-width colons
    ("[00:01:23] 客户: 会不会亏\n[00:01:25] 坐席: 会的", ["[00:01:23] 客户: 会不会亏", "[00:01:25] 坐席:"]),
    ("【客户】：保本吗", ["【客户】：保本吗"]),
    # a customer's turn ends at its line end: the next line is linted, whoever said it
    ("客户：好的\n这款产品保本保息", ["客户：好的"]),
    # ... and at the next label-like word, known or not (王经理 is no known label, but speaks)
    ("客户：好的。王经理：保本保息", ["客户：好的。"]),
    # no side named, or a heading: nothing masked
    ("A：您好\nB：保本吗？", []),
    ("客户须知：本产品保本保息", []),
    ("年化收益率：4.5%", []),
])
def test_customer_turns_and_labels_are_masked(text, masked):
    spans = masked_spans(text)
    assert [text[s:e] for s, e in spans] == masked
    view = seller_view(text)
    assert len(view) == len(text)
    for i, (a, b) in enumerate(zip(text, view)):
        assert b == (MASK if any(s <= i < e for s, e in spans) else a)


# Real transcripts as exported (the layouts of tests/lint/real/transcripts.md), each with its source.
# A bank hotline's recognised call in a quality-inspection system's markup (public code index, file
# 42087398716: a post on indexing 智能质检 conversations with Lucene; its first twelve turns).
BANK_HOTLINE = (
    "<li start=13070 end=14870 emotion=5.0 speed=4.0 >坐席：您好，请问有什么可以帮您</li>"
    "<li start=14880 end=21470 emotion=6.0 speed=3.0 >客户：然后你们这个银行，这里呀，那柜员机老是故障啊，嗯，也没用过的维修的</li>"
    "<li start=0 silence=6  class=\"silences\"  > 6S. </li>"
    "<li start=21480 end=23270 emotion=6.0 speed=2.68 >坐席：嗯，哪个柜员机呀</li>"
    "<li start=23280 end=27780 emotion=6.0 speed=1.46 >客户：我们广州市白云区江高镇</li>"
    "<li start=29000 end=30200 emotion=6.0 speed=3.0 >客户：然后，新楼村</li>"
    "<li start=0 silence=6  class=\"silences\"  > 6S. </li>"
    "<li start=30210 end=32250 emotion=6.0 speed=4.11 >坐席：嗯桂圆是有没有那个订单号啊？</li>"
    "<li start=32890 end=36190 emotion=6.0 speed=3.81 >坐席：在屏幕上方有一个本机终端号的，有没有看到？</li>"
    "<li start=36200 end=38590 emotion=6.0 speed=3.51 >客户：没看，但是我我报你帮我查一下</li>"
    "<li start=38600 end=40690 emotion=6.0 speed=4.01 >坐席：那个地址在哪里啊，刚刚在哪里</li>"
    "<li start=40700 end=45490 emotion=6.0 speed=2.12 >客户：呃，江高镇，然后新楼村新楼路31号</li>"
)
# Baidu AppBuilder's dialogue-summary component, its example call (half-width colons):
# https://github.com/baidubce/app-builder/blob/main/appbuilder/core/components/llms/dialog_summary/README.md
TELECOM = "用户:喂我想查一下我的话费\n坐席:好的女士您话费余的话还有87.49元钱\n用户:好的知道了谢谢\n坐席:嗯不客气祝您生活愉快再见"
# A "simulated recording" of an insurance sale, the label with an aside (https://www.ainsur.top/news/9mcHXQJX9gMi)
INSURANCE_SALE = "销售员(语速飞快):“王姐,这个产品就是既有保障又能理财,相当于存钱,利息比银行高多了,生病了还管赔,绝对划算!”"


def test_real_transcript_layouts_mask_the_customers_turns_only():
    customer = [BANK_HOTLINE[s:e] for s, e in customer_turns(BANK_HOTLINE)]
    assert [c.split("</li>")[0] for c in customer] == [
        "客户：然后你们这个银行，这里呀，那柜员机老是故障啊，嗯，也没用过的维修的", "客户：我们广州市白云区江高镇", "客户：然后，新楼村",
        "客户：没看，但是我我报你帮我查一下", "客户：呃，江高镇，然后新楼村新楼路31号"]
    view = seller_view(BANK_HOTLINE)
    for said in ("您好，请问有什么可以帮您", "嗯，哪个柜员机呀", "在屏幕上方有一个本机终端号的，有没有看到？", "那个地址在哪里啊，刚刚在哪里"):
        assert said in view
    assert "柜员机老是故障" not in view and "坐席" not in view and "客户" not in view

    view = seller_view(TELECOM)
    assert view.split("\n") == [MASK * 13, MASK * 3 + "好的女士您话费余的话还有87.49元钱", MASK * 10, MASK * 3 + "嗯不客气祝您生活愉快再见"]

    assert masked_spans(INSURANCE_SALE) == [(0, len("销售员(语速飞快):"))] and customer_turns(INSURANCE_SALE) == []


def test_a_sellers_label_with_an_aside_is_masked_and_the_claims_still_found(cn_pack):
    """The label is no text, the seller's words are: the same findings, shifted by the label, as the words
    linted without it."""
    linter = compile_rules(cn_pack)
    label = len("销售员(语速飞快):")
    found = [(f.rule, f.matched, f.start) for f in phrase_findings(linter, INSURANCE_SALE, "insurance")]
    bare = [(f.rule, f.matched, f.start + label) for f in phrase_findings(linter, INSURANCE_SALE[label:], "insurance")]
    assert found == bare and {m for _, m, _ in found} >= {"相当于存钱", "比银行高多了"}


@pytest.mark.parametrize("text", [
    # the seller's words under the customer's label (a vendor's own sample swaps the sides): trust no label
    "客户：您好，我是华兴银行的客户经理，工号1234，本次通话将被录音。\n坐席：嗯。\n客户：这款理财保本保息。",
    "客户：我行这款理财保本保息，零风险。\n坐席：好的。",
    "客戶：您好，這裡是我們銀行的理財專員，本次通話將被錄音。\n業務員：好。\n客戶：這款理財保本保息。",  # traditional
])
def test_a_customers_turn_in_the_sellers_words_makes_every_label_untrusted(cn_pack, text):
    assert masked_spans(text) == [] and customer_turns(text) == [] and unlinted(text) == [] and seller_view(text) == text
    assert "保本保息" in {f.matched for f in phrase_findings(compile_rules(cn_pack), text, "wealth")}


def customer_replies() -> list[dict]:
    return [json.loads(line) for line in (REAL / "customer_replies.jsonl").read_text(encoding="utf-8").splitlines()]


def test_real_customer_replies_in_a_transcript_give_no_phrase_finding(cn_pack):
    """83 real customers' lines: linted bare, some draw findings (the scorer's, a deposit word); as the
    customer's turns of a transcript, none does, and the seller's line between them is still read."""
    linter = compile_rules(cn_pack)
    replies = customer_replies()
    bare = [r["id"] for r in replies if phrase_findings(linter, r["text"])]
    assert len(bare) >= 3, "the replies no longer draw findings bare: this test would prove nothing"
    for product_type in (None, "wealth", "insurance"):
        transcript = "\n".join(f"{GREETING}\n客户：{r['text']}" for r in replies)
        assert phrase_findings(linter, transcript, product_type) == []
        # the same transcript with the seller promising 保本保息 once, after the last reply
        claim = transcript + "\n坐席：放心，这款产品保本保息。"
        found = phrase_findings(linter, claim, product_type)
        assert [(f.rule, f.matched, f.line) for f in found] == [
            ("guarantee.principal_and_interest", "保本保息", transcript.count("\n") + 2)]


def test_findings_in_the_sellers_turns_keep_their_place_in_the_original(cn_pack):
    linter = compile_rules(cn_pack)
    text = "坐席：您好。\n客户：这个是保本保息的吗？会不会亏？\n坐席：这款理财零风险，名额有限。"
    found = phrase_findings(linter, text, "wealth")
    assert [(f.matched, f.line, f.column) for f in found] == [("零风险", 3, 8), ("名额有限", 3, 12)]
    for f in found:
        assert text[f.start:f.end] == f.matched
    # without labels the customer's question draws findings: the masking is what clears it
    bare = text.replace("坐席：", "").replace("客户：", "")
    assert {f.matched for f in phrase_findings(linter, bare, "wealth")} >= {"保本保息", "零风险", "名额有限"}


def test_a_sellers_turn_after_a_customers_inline_turn_is_linted(cn_pack):
    linter = compile_rules(cn_pack)
    found = phrase_findings(linter, "坐席：您好。客户：那收益呢？坐席：保本保息，零风险。", "wealth")
    assert {f.matched for f in found} == {"保本保息", "零风险"}


def test_unlabelled_or_undecided_speakers_are_linted_as_the_sellers(cn_pack):
    linter = compile_rules(cn_pack)
    for text in ("A：您好。\nB：这个保本保息吗？", "甲：这款理财保本保息。", "客户须知：本产品保本保息。"):
        assert "保本保息" in {f.matched for f in phrase_findings(linter, text, "wealth")}, text


def test_unlinted_turns_are_located_in_the_original():
    text = "坐席：您好。\n[00:00:09] 客户：这个保本吗？\n坐席：不保本。客户：好的。"
    got = unlinted(text)
    assert [(text[u["start"]:u["end"]], u["line"], u["column"], u["speaker"]) for u in got] == [
        ("[00:00:09] 客户：这个保本吗？", 2, 1, "customer"), ("客户：好的。", 3, 8, "customer")]


def test_the_lint_api_answers_which_turns_it_did_not_read(sim_app):
    from tests.conftest import new_key

    text = "坐席：您好，本次通话将被录音。\n客户：你们这个理财是保本保息的吗？\n坐席：放心，这款理财零风险。"
    client = sim_app.test_client()
    r = client.post("/v1/scripts/lint", json={"text": text, "product_type": "wealth"}, headers=new_key(sim_app, "reviewer"))
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert [f["matched"] for f in body["findings"] if f["code"] != "MISSING_DISCLOSURE"] == ["零风险"]
    assert [(text[u["start"]:u["end"]], u["line"]) for u in body["unlinted"]] == [("客户：你们这个理财是保本保息的吗？", 2)]
    r = client.post("/v1/scripts/lint", json={"text": "这款理财零风险。"}, headers=new_key(sim_app, "reviewer"))
    assert r.get_json()["unlinted"] == []
    # a stored version answers them too (the review page draws a saved version from this answer)
    r = client.post("/v1/scripts", json={"campaign": "wm-2026q4", "text": text}, headers=new_key(sim_app, "reviewer"))
    assert r.status_code == 201, r.get_json()
    assert [(text[u["start"]:u["end"]], u["line"]) for u in r.get_json()["unlinted"]] == [("客户：你们这个理财是保本保息的吗？", 2)]


def test_exported_turns_are_read_as_labelled_lines():
    from guard.core.turns import render_turns

    text = render_turns([
        {"role": "客服", "words": "您好"},  # Alibaba Cloud's roles
        {"role": "客户", "words": "这个保本吗？\n会不会亏"},  # a turn is one line
        {"speaker": "staff", "asr_text": "不保本"},  # Huawei Cloud's
        {"speaker": "customer", "asr_text": "好"},
        {"role": 0, "text": "零风险"},  # a side the labels do not know: linted
        {"speaker": "[SPEAKER 1]", "text": "您好"},
        "一行没有说话人",
    ])
    assert text.split("\n") == ["坐席：您好", "客户：这个保本吗？ 会不会亏", "坐席：不保本", "客户：好", "0：零风险", "[SPEAKER 1]：您好",
                                "一行没有说话人"]
    assert [text[s:e] for s, e in customer_turns(text)] == ["客户：这个保本吗？ 会不会亏", "客户：好"]


@pytest.mark.parametrize("turns,reason", [
    ([{"role": "客户"}], "turn 1 has no words"),
    ([{"words": "您好"}], "turn 1 has no speaker"),
    ([{"role": True, "words": "您好"}], "turn 1 has no speaker"),
    (["好", 3], "turn 2 is neither an object nor a string"),
])
def test_turns_that_are_not_turns_are_refused_with_the_reason(turns, reason):
    from guard.core.turns import render_turns

    with pytest.raises(ValueError, match=reason):
        render_turns(turns)


def test_the_fast_reading_finds_exactly_the_one_patterns_labels():
    """turns._candidates tries a label only at the start and after a boundary character; it must find exactly
    the matches of the one pattern _CANDIDATE (real passages, the layouts above, random strings of label parts)."""
    import random

    from guard.core.turns import _CANDIDATE, _candidates

    texts = [r["text"] for r in customer_replies()]
    texts += [json.loads(line)["text"] for line in (REAL / "dev_h.jsonl").read_text(encoding="utf-8").splitlines()]
    texts += [BANK_HOTLINE, TELECOM, INSURANCE_SALE, "[00:01:23] 客户: 会不会亏\n[00:01:25] 坐席: 会的", "【客户】：保本吗】】："]
    rnd = random.Random(7)
    parts = "坐席客户：:[]【】\n。 0:1销售(快)ab>"
    texts += ["".join(rnd.choice(parts) for _ in range(rnd.randint(0, 30))) for _ in range(5000)]

    def spans(matches):
        return [(m.start(), m.end(), m.group("word"), m.group("bracketed")) for m in matches]

    for text in texts:
        assert spans(_candidates(text)) == spans(_CANDIDATE.finditer(text)), text
