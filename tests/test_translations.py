"""Translation coverage: every code of every registry, every message template and every console word
has a zh-CN, zh-TW and en text, and a template takes the same parameters in each language.

The registries: reason codes (guard/core/reasons.py), every vocabulary (guard/core/vocabularies.py:
dispositions, blacklist sources, complaint severities / statuses / events, lint codes, audit codes,
error codes …), the message templates (guard/core/messages.py) and the console's own words
(guard/http/pages/console/i18n.js, its traditional set generated into i18n-zh-tw.js).
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from guard.core.i18n import LANGS, template_fields, to_traditional
from guard.core.messages import (TEMPLATES, Template, _PICKERS, audit_messages, finding_messages, localize_stored, reason_messages,
                                 stored_text)
from guard.core.reasons import REASONS
from guard.core.vocabularies import VOCABULARIES, as_json
from guard.http import console_i18n

ROOT = Path(__file__).resolve().parent.parent
CONSOLE = ROOT / "guard" / "http" / "pages" / "console"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def untranslated() -> list[str]:
    """Every code or template of the registries lacking a text in a language, or whose parameters differ."""
    missing = []
    for vocabulary in VOCABULARIES.values():
        for term in vocabulary.terms:
            for lang, text in term.labels().items():
                if not text.strip():
                    missing.append(f"vocabulary {vocabulary.name}: {term.code} has no {lang} label")
    for r in REASONS:
        for lang, title, message in (("en", r.title, r.message), ("zh-CN", r.title_zh, r.message_zh),
                                     ("zh-TW", r.title_zh_tw, r.message_zh_tw)):
            if not title.strip() or not message.strip():
                missing.append(f"reason {r.code} has no {lang} title or message")
        if r.code not in TEMPLATES:
            missing.append(f"reason {r.code} has no message template")
    missing += template_problems(TEMPLATES.values())
    return missing


def template_problems(templates) -> list[str]:
    out = []
    for t in templates:
        texts = {lang: t.text(lang) for lang in LANGS}
        for lang, text in texts.items():
            if not text.strip():
                out.append(f"template {t.key} has no {lang} text")
        fields = {lang: template_fields(text) for lang, text in texts.items()}
        if len(set(fields.values())) != 1:
            out.append(f"template {t.key}: parameters differ between languages {fields}")
    return out


def test_every_code_of_every_registry_has_a_text_in_zh_cn_zh_tw_and_en():
    assert untranslated() == []


def test_the_check_itself_finds_a_missing_text_and_a_parameter_one_language_lacks():
    broken = [Template("X", "At most {limit} per {window}.", "每{window}最多呼叫。"), Template("Y", "Fine {a}.", "")]
    problems = template_problems(broken)
    assert any("X: parameters differ" in p for p in problems) and any("Y has no zh-CN text" in p for p in problems)


def test_every_reason_code_is_rendered_from_its_detail_and_every_renderer_is_a_registered_code():
    assert set(_PICKERS) == {r.code for r in REASONS}
    audit_codes = set(VOCABULARIES["audit_codes"].codes)
    assert {k.split(".")[0] for k in TEMPLATES if k.split(".")[0].isupper()} == {r.code for r in REASONS} | audit_codes


def test_the_served_vocabularies_carry_traditional_chinese_for_every_term():
    served = as_json()
    for name, vocabulary in served.items():
        for term in vocabulary["terms"]:
            assert term["zh"] and term["zh_tw"] and term["en"], (name, term["code"])
    reasons = {t["code"]: t for t in served["reason_codes"]["terms"]}
    assert reasons["QUIET_HOURS"]["zh_tw"] == "非允許呼叫時段" and reasons["QUIET_HOURS"]["message_zh_tw"].startswith("不在允許的呼叫時段內")
    audit = {t["code"]: t for t in served["audit_codes"]["terms"]}
    assert audit["UNCHECKED_CALL"]["zh"] == "无有效决策即拨打" and audit["CALLED_DESPITE_DENY"]["zh_tw"] == "決策拒絕仍撥打"
    lint = {t["code"]: t["zh"] for t in served["lint_codes"]["terms"]}
    assert lint == {"BANNED_PHRASE": "禁用表述", "MISLEADING": "误导性表述", "PRESSURE": "施压营销", "MISSING_DISCLOSURE": "缺少必要提示"}
    assert {t["code"]: t["zh"] for t in served["dispositions"]["terms"]}["complaint"] == "投诉"


def test_traditional_chinese_keeps_code_as_daima_not_program_code():
    # s2twp's phrase table would write 程式碼 ("program code"): 代码 is one of i18n.KEEP_WORDS.
    assert to_traditional("不带国家代码的号码") == "不帶國家代碼的號碼"  # noqa: RUF001
    assert to_traditional("09:00–20:00 {until}") == "09:00–20:00 {until}"


# Taiwan's words, as OpenCC's s2twp ("Simplified Chinese to Traditional Chinese (Taiwan Standard) with Taiwanese
# idiom", https://byvoid.github.io/OpenCC/1.0.5/) writes them; s2tw changes the characters only and leaves the
# mainland's word: 默認 (Taiwan 預設), 數據 (資料), 用戶 (使用者), 短信 (簡訊), 登錄 (登入), 服務器 (伺服器) …
MAINLAND_WORDS = ("默認", "數據", "用戶", "短信", "登錄", "服務器", "軟件", "視頻", "質量", "賬號", "字段", "加載", "字符", "設置",
                  "網絡", "創建", "密鑰")


def test_traditional_chinese_uses_taiwans_words_not_the_mainlands():
    assert to_traditional("策略包默认时区") == "策略包預設時區"
    assert to_traditional("当天没有数据。") == "當天沒有資料。"
    assert to_traditional("用户名或密码错误。") == "使用者名稱或密碼錯誤。"
    assert to_traditional("短信回复") == "簡訊回覆"
    assert to_traditional("登录已过期，请重新登录。") == "登入已過期，請重新登入。"
    assert to_traditional("账户已停用，请联系管理员。") == "帳戶已停用，請聯絡管理員。"


def test_words_s2twp_reads_as_software_terms_keep_their_characters():
    assert to_traditional("号码类型（如免费电话）不是营销对象。") == "號碼類型（如免費電話）不是營銷對象。"  # noqa: RUF001
    assert to_traditional("此密钥没有执行该操作的权限") == "此金鑰沒有執行該操作的權限"
    assert to_traditional("话术未审核通过") == "話術未審核通過"
    assert to_traditional("禁用表述") == "禁用表述"
    assert to_traditional("按违规代码") == "按違規代碼"


def test_no_traditional_text_of_any_registry_or_console_word_reads_in_mainland_words():
    texts = [t.text("zh-TW") for t in TEMPLATES.values()]
    texts += [text for r in REASONS for text in (r.title_zh_tw, r.message_zh_tw)]
    texts += [term.zh_tw for vocabulary in VOCABULARIES.values() for term in vocabulary.terms]
    texts += [to_traditional(v) for v in console_i18n.ui_texts()["zh"].values()]
    mainland = sorted({(word, text) for text in texts for word in MAINLAND_WORDS if word in text})
    assert mainland == [], mainland[:20]


def test_a_scripts_words_quoted_in_a_finding_read_as_written():
    m = finding_messages("BANNED_PHRASE", "x.rule", "数据保证", "不得承诺")
    assert "“數據保證”" in m["zh-TW"]  # the script's words, characters converted, no word replaced


def test_english_plurals_follow_the_count():
    cap = {"scope": "number", "window": "24h", "limit": 1, "count": 1, "tier": "normal", "clears_at": "2026-12-03T10:00:00+08:00"}
    assert reason_messages("FREQ_CAP", cap, "cn-bank")["en"].startswith("At most 1 call per 24 hours per number")
    assert reason_messages("FREQ_CAP", {**cap, "limit": 3, "window": "30d"}, "cn-bank")["en"].startswith("At most 3 calls per 30 days")
    assert stored_text("stored.mute", count=1, within=timedelta(days=365), pack="us-tcpa", version="2026.1") == \
        "1 complaint within 365 days (pack us-tcpa 2026.1)"
    assert stored_text("stored.mute", count=2, within="180d", pack="cn-bank", version="2026.4") == \
        "2 complaints within 180 days (pack cn-bank 2026.4)"


def test_stored_texts_read_back_in_every_language_old_rows_included():
    # Written before the registry (no plural, days as a bare number): read with the same template.
    old = localize_stored("1 complaints within 365 (pack us-tcpa 2026.1)")
    assert old == {"en": "1 complaint within 365 days (pack us-tcpa 2026.1)", "zh-CN": "365天内投诉 1 次（策略包 us-tcpa 2026.1）",
                   "zh-TW": "365天內投訴 1 次（策略包 us-tcpa 2026.1）"}
    stop = localize_stored(stored_text("stored.complaint_stop", complaint="01JD5"))
    assert stop["zh-CN"] == "投诉 01JD5：要求停止来电" and stop["zh-TW"] == "投訴 01JD5：要求停止來電"
    assert localize_stored("客户说不要再打了") == "客户说不要再打了"  # typed by a person: as typed


def test_a_detail_from_an_older_decision_reads_as_the_codes_general_message():
    assert reason_messages("QUIET_HOURS", {"timezone": "Asia/Shanghai"}, "cn-bank") == {
        "en": "Outside the allowed calling windows in the callee's local time.", "zh-CN": "不在允许的呼叫时段内（按被叫方当地时间）。",
        "zh-TW": "不在允許的呼叫時段內（按被叫方當地時間）。"}


def test_the_audits_own_violations_read_in_every_language():
    assert audit_messages("UNCHECKED_CALL", {"why": "no decision_id"}) == {
        "zh-CN": "无有效决策即拨打：未提供决策编号。", "zh-TW": "無有效決策即撥打：未提供決策編號。", "en": "Dialled without a valid decision: no decision_id."}
    denied = audit_messages("CALLED_DESPITE_DENY", {"decision_id": "d1", "reasons": ["QUIET_HOURS", "FREQ_CAP"]})
    assert denied["zh-CN"] == "决策 d1 已拒绝（非允许呼叫时段、超出呼叫频次），仍然拨打。"
    assert denied["en"] == "Called although decision d1 said no (Outside calling hours; Frequency cap)."
    # Every reason the audit gives for an unchecked call has its words.
    import inspect

    from guard.core import audit

    whys = set(re.findall(r'"why": "([^"]+)"', inspect.getsource(audit)))
    assert whys and whys <= set(VOCABULARIES["unchecked_whys"].codes), whys


def test_script_findings_read_in_every_language():
    m = finding_messages("BANNED_PHRASE", "guarantee.principal_and_interest", "保本保息", "承诺保本保收益")
    assert m["zh-CN"] == "禁用表述：“保本保息”（规则 guarantee.principal_and_interest）：承诺保本保收益"
    assert m["zh-TW"].startswith("禁用表述：“保本保息”（規則") and m["en"].startswith("Banned phrase: “保本保息”")


# --- the console's own words -----------------------------------------------------------------------------

def test_every_console_word_has_zh_cn_zh_tw_and_en_with_the_same_placeholders():
    texts = console_i18n.ui_texts()
    zh, en = texts["zh"], texts["en"]
    assert len(zh) > 200 and set(zh) == set(en), sorted(set(zh) ^ set(en))
    tw = {k: to_traditional(v) for k, v in zh.items()}
    for key in zh:
        assert zh[key].strip() and en[key].strip() and tw[key].strip(), key
        assert set(_PLACEHOLDER.findall(zh[key])) == set(_PLACEHOLDER.findall(en[key])) == set(_PLACEHOLDER.findall(tw[key])), key


def test_the_generated_traditional_console_words_are_current():
    assert (CONSOLE / "i18n-zh-tw.js").read_text(encoding="utf-8") == console_i18n.render_module(), "run make docs"


def test_every_word_key_and_vocabulary_the_console_asks_for_exists():
    source = "\n".join(p.read_text(encoding="utf-8") for p in CONSOLE.rglob("*.js"))
    known = set(console_i18n.ui_texts()["zh"])
    keys = set(re.findall(r"""\bt\(\s*["']([\w.\-]+)["']""", source))
    prefixes = {k for k in keys if k.endswith(".")}  # t("nav." + page): some key must start so
    assert keys - prefixes and keys - prefixes <= known, sorted(keys - prefixes - known)
    assert all(any(k.startswith(p) for k in known) for p in prefixes), prefixes
    names = set(re.findall(r"""\b(?:label|codes|known)\(\s*["'](\w+)["']""", source))
    assert names and names <= set(as_json()), sorted(names - set(as_json()))


@pytest.mark.parametrize("source, problem", [
    ('const I18N = {\n  zh: {\n    a: "甲 {n}",\n  },\n  en: {\n    a: "A",\n  },\n};\n', "placeholders"),
    ('const I18N = {\n  zh: {\n    a: "甲", b: "乙",\n  },\n  en: {\n    a: "A",\n  },\n};\n', "keys"),
])
def test_the_console_word_check_catches_a_missing_key_or_placeholder(source, problem):
    texts = console_i18n.ui_texts(source)
    if problem == "keys":
        assert set(texts["zh"]) != set(texts["en"])
    else:
        assert set(_PLACEHOLDER.findall(texts["zh"]["a"])) != set(_PLACEHOLDER.findall(texts["en"]["a"]))


def test_a_text_stored_in_english_makes_no_traditional_text():
    # stored_text (a blacklist entry's or a mute's reason, written in English) rendered every language and so loaded the
    # traditional-Chinese converter: 44 MB more in a list import's main process and in each parsing worker forked from it
    # (bench/blacklist_import.py: peak 98 MB → 142 MB once an import closed a lapsed entry). A fresh process: the
    # converter's cache belongs to the process.
    import subprocess
    import sys

    probe = ("from guard.core import i18n\n"
             "from guard.core.messages import stored_text, TEMPLATES\n"
             "assert stored_text('stored.lapsed_relisted') == 'lapsed at its expiry; listed again'\n"
             "assert i18n._converter.cache_info().currsize == 0, i18n._converter.cache_info()\n"
             "assert TEMPLATES['stored.lapsed_relisted'].text('zh-TW') == '已於到期時失效；再次列入名單'\n"
             "assert i18n._converter.cache_info().currsize == 1\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
