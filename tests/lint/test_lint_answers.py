"""What a lint answer tells a script reviewer beyond its findings: that a pack without phrase rules judged no wording, that
a suggestion names no risk level of its own, and that deposit insurance is never promised without its limit."""

from __future__ import annotations

import json
import re

from guard.core.lint import NO_PHRASE_RULES, compile_rules, lint_notes
from guard.services.catalog import lint_output
from policies.lint_docs import shipped_pack

CLAIMS = "本产品保本保息，零风险，稳赚不赔。"


def test_a_pack_without_phrase_rules_says_its_pass_judged_no_wording_in_three_languages():
    tcpa = shipped_pack("us-tcpa")
    assert compile_rules(tcpa).lint(CLAIMS, None).verdict == "pass"  # us-tcpa governs when to call, not what is said
    for types in ([], ["wealth"]):
        (note,) = lint_notes(tcpa, types)
        assert note["code"] == NO_PHRASE_RULES and note["message"] == note["messages"]["en"]
        assert set(note["messages"]) == {"zh-CN", "zh-TW", "en"}
        assert "us-tcpa" in note["messages"]["zh-CN"] and "没有适用于" in note["messages"]["zh-CN"]
        assert "沒有適用於" in note["messages"]["zh-TW"] and "no phrase rule" in note["message"]
    assert "理财" in lint_notes(tcpa, ["wealth"])[0]["messages"]["zh-CN"]
    cn = shipped_pack("cn-bank")
    assert lint_notes(cn, []) == [] and all(lint_notes(cn, [t]) == [] for t in ("wealth", "deposit", "credit_card"))


def test_the_cli_reports_carry_the_note(tmp_path):
    tcpa = shipped_pack("us-tcpa")
    result = compile_rules(tcpa).lint(CLAIMS, None)
    files = [lint_output.FileResult("a.txt", CLAIMS, result)]
    notes = lint_notes(tcpa, [])
    text = lint_output.text_report(files, notes=notes).splitlines()
    assert text[-2].startswith("a.txt: note: 策略包 us-tcpa") and text[-1].startswith("a.txt: pass")
    assert json.loads(lint_output.json_report(files, tcpa, None, (), notes))["notes"] == notes
    run = json.loads(lint_output.sarif_report(files, tcpa, (), notes))["runs"][0]
    assert [n["descriptor"]["id"] for n in run["invocations"][0]["toolExecutionNotifications"]] == [NO_PHRASE_RULES]
    assert run["invocations"][0]["executionSuccessful"] is True


def test_no_suggestion_puts_a_fixed_risk_level_in_the_script():
    """guarantee.zero_risk suggested 该产品风险等级为R2（中低风险） for every product, an R4 fund's script included: the
    reviewer pasting it wrote a false rating. The product's own level is a blank to fill (××), as other suggestions mark one."""
    pack = shipped_pack("cn-bank")
    fixed = [(r.id, r.suggestion) for r in pack.phrases if re.search(r"[RC][1-5]", r.suggestion or "")]
    assert fixed == []
    zero_risk = next(r for r in pack.phrases if r.id == "guarantee.zero_risk")
    assert "风险等级为××" in zero_risk.suggestion


def test_deposit_insurance_named_without_its_500000_yuan_limit_is_a_missing_disclosure(linter):
    """存款保险条例第五条: at most RMB 500,000 per depositor per insured bank, principal and interest together (the article
    as read: policies/sources/lint-citations.yaml, deposit_insurance_regulation)."""
    def rules(text, product_type="deposit"):
        return [f.rule for f in linter.lint(text, product_type).findings if f.rule != "disclosure.recording_notice"]

    rule = "disclosure.deposit_insurance_limit"
    assert rules("存款本金和利息依照《存款保险条例》受保障。") == [rule]
    assert rules("您的存款享受存款保险的保障。") == [rule]
    assert rules("存款本金和利息依照《存款保險條例》受保障。") == [rule]  # traditional
    # near misses: the limit said (in figures, in words, by name), no protection claimed, or another type's script
    assert rules("存款本金和利息依照《存款保险条例》受保障，最高偿付限额为人民币50万元。") == []
    assert rules("本存款依照《存款保险条例》受到保护，同一存款人在本行存款本息合计五十万元以内全额偿付。") == []
    assert rules("存款保险实行限额偿付，本行存款依照《存款保险条例》受保障。") == []
    assert rules("本行已参加存款保险。") == []
    assert rule not in rules("本产品不是存款，不受存款保险保障。", "wealth")
    # a mention a negator clears, as it clears a phrase rule's hit, claims no protection: the wealth disclaimer linted
    # with no product type (every rule applies) or as a deposit's aside names no limit it must state
    assert rule not in rules("本产品不是存款，不受存款保险保障。", None)
    assert rules("本理财产品不属于存款保险的保障范围。") == []
    assert rules("存款受存款保险保障，理财不受存款保险保障。") == [rule]  # one mention not negated is enough
