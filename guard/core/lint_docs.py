"""Render a pack's script-linter rules as the `docs/lint-rules.md` reference page.

Pure: takes a `Pack`, returns Markdown. `python -m policies.lint_docs > docs/lint-rules.md`
loads the shipped pack and prints this page (loading files is not the core's business).
"""

from __future__ import annotations

from guard.core.lint import (CLAUSE_CONNECTIVES, DISCLAIMER_FRAMES, DOUBT_WORDS, FORBIDDING, NEGATION_WINDOW, NEGATORS, NON_NEGATING,
                             PROTECTION_LAWS, QUESTION_WORDS, QUOTE_NAMED_BY, REPORT_FRAMES, REPORTING_TAILS, SELLERS_OWN,
                             WEAK_NEGATORS)
from guard.core.lint_patterns import SLOTS
from guard.core.lint import DIRECTION_CODE, DIRECTION_RULE, DIRECTION_SEVERITY, DIRECTION_SUGGESTION
from guard.core.lint_scorer import SCORER_CODE, SCORER_RULE, SCORER_SEVERITY
from guard.core.pack import PRODUCT_TYPES, DisclosureRule, Pack, PhraseRule


def _types(types: frozenset[str] | None) -> str:
    if types is None:
        return "all"
    return ", ".join(t for t in PRODUCT_TYPES if t in types)


def _phrases(items: tuple[str, ...]) -> str:
    return " · ".join(items)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _phrase_rule(rule: PhraseRule) -> list[str]:
    lines = [f"### `{rule.id}`", "", f"**{rule.code}** · {rule.severity} · product types: {_types(rule.product_types)}", ""]
    lines.append(f"- Message: {rule.message}")
    if rule.rationale:
        lines.append(f"- Why: {rule.rationale}")
    lines.append(f"- Patterns: {_phrases(rule.patterns)}")
    if any("…" in p or "..." in p for p in rule.patterns):
        limits = rule.pattern_within or (None,) * len(rule.patterns)
        own = [f"{p} ({w})" for p, w in zip(rule.patterns, limits) if w]
        lines.append(f"- Gapped patterns (…) span at most {rule.within} characters of one sentence"
                     + (f"; with their own limit: {_phrases(tuple(own))}" if own else ""))
    if rule.near:
        lines.append(f"- Only within {rule.near_within} characters of: {_phrases(rule.near)}")
    if rule.except_:
        lines.append(f"- Except inside: {_phrases(rule.except_)}")
    if rule.unless_mentions:
        lines.append(f"- Cleared when the script mentions: {_phrases(rule.unless_mentions)}")
    lines += [f"- Suggestion: {rule.suggestion}", ""]
    return lines


def _disclosure(rule: DisclosureRule) -> list[str]:
    lines = [f"### `{rule.id}`", "", f"**MISSING_DISCLOSURE** · {rule.severity} · product types: {_types(rule.product_types)}", ""]
    lines.append(f"- Message: {rule.message}")
    if rule.rationale:
        lines.append(f"- Why: {rule.rationale}")
    if rule.when_mentions:
        lines.append(f"- Required when the script mentions: {_phrases(rule.when_mentions)}")
    lines.append(f"- Any of: {_phrases(rule.any_of)}")
    if rule.suggestion:
        lines.append(f"- Suggestion: {rule.suggestion}")
    lines.append("")
    return lines


def _classes(pack: Pack) -> list[str]:
    classes = getattr(pack, "lint_classes", {}) or {}
    if not classes:
        return []
    lines = ["## Word classes", "", "Used in patterns and phrase lists as `{name}`: any of the words.", "",
             "| class | words |", "|---|---|"]
    for name, words in classes.items():
        lines.append(f"| `{{{name}}}` | {_cell(_phrases(words))} |")
    return lines + [""]


def _scorer(pack: Pack, top: int = 40) -> list[str]:
    scorer = pack.lint_scorer
    if scorer is None:
        return []
    ranked = sorted(scorer.weights.items(), key=lambda kv: (-kv[1], kv[0]))
    heaviest = " · ".join(f"{g} {w:+.2f}" for g, w in ranked[:top])
    lightest = " · ".join(f"{g} {w:+.2f}" for g, w in sorted(ranked, key=lambda kv: (kv[1], kv[0]))[:top])
    return [
        f"## Learned scorer: `{SCORER_RULE}`", "",
        f"**{SCORER_CODE}** · {SCORER_SEVERITY} · every product type", "",
        "A second opinion beside the phrase rules, for wording no rule names. Each sentence (cut as above) in",
        "which no phrase rule has a finding is scored: the bias plus the weights of the distinct character",
        f"n-grams ({', '.join(map(str, scorer.sizes))} characters) of its normalised text, over the square root of",
        f"how many n-grams it has. A score above the threshold ({scorer.threshold}) is one finding on the whole",
        "sentence, a warning (a reviewer reads it; it never fails a script alone) whose message names the",
        "n-grams that weighed most. A sentence quoted or named to forbid it (see *Quoted to forbid*), or in a",
        "sentence frame (see *Sentence frames*; a disclaimer as for MISLEADING) gives none — not a sentence that",
        "only cites a regulation by title: 受《保险法》保护，…由国家兜底 borrows a statute's authority for a pitch.",
        *([f"The scorer is silent in a text of {scorer.script_sentences} sentences or more: a whole script, where most sentences",
           "are greetings, facts and disclosures and its findings on fresh seller text were false alarms (a single",
           "passage or a few lines is scored)."] if scorer.script_sentences is not None else []),
        "", f"- Trained: {scorer.trained_on}", f"- Bias {scorer.bias}, threshold {scorer.threshold}, "
        f"{len(scorer.weights)} weighted n-grams (the pack's `lint.scorer`).",
        f"- Heaviest towards a finding: {heaviest}", f"- Heaviest against: {lightest}", "",
    ]


def _direction() -> list[str]:
    return [
        f"## Built in: `{DIRECTION_RULE}`", "",
        f"**{DIRECTION_CODE}** · {DIRECTION_SEVERITY} · every product type, every pack", "",
        "A directional control that opens an override, an embedding or an isolate (U+202A, U+202B, U+202D, U+202E,",
        "U+2066–U+2068) lays out what follows it in another order than it is stored: 本产品<U+202E>险风零 shows",
        "本产品零风险, while normalisation drops the control and the rules read 险风零. Each such control is one",
        "error finding on itself, so the script fails until it is removed: what a reviewer approves and a seller reads",
        "aloud must be what was checked (Unicode UAX #9 §2.2; the \"Trojan Source\" spoofing, CVE-2021-42574).",
        f"- Suggestion: {DIRECTION_SUGGESTION}", "",
    ]


def render_markdown(pack: Pack) -> str:
    lines = [
        "# Script linter rules",
        "",
        f"Generated from the `{pack.id}` pack (version {pack.version}) by `python -m policies.lint_docs`;",
        "do not edit by hand. Sources for each rule: [research/cn-bank-sources.md](research/cn-bank-sources.md) §5–§6;",
        "how often each rule's findings are right on real text: [lint-rule-figures.md](lint-rule-figures.md).",
        "",
        "## How a script is judged",
        "",
        "- **Normalisation.** Before matching, the script and every pattern are normalised character by",
        "  character: NFKC (full-width → half-width), casefold, traditional → simplified (OpenCC `t2s`),",
        "  and whitespace, line breaks, punctuation, symbols (except `%`), zero-width and other invisible",
        "  characters are dropped. So `保 本 保 息`, `零，风，险`, `１００％安全`, `保\\u200b证收益` and",
        "  `保證收益` are all found. Findings point into the original text: `start`/`end` run from the first",
        "  to the last matched character (`text[start:end] == matched`), `line`/`column` are 1-based.",
        "- **Product types.** A rule applies when its product types include the script's (or are `all`). A script",
        "  whose product type is not given gets every phrase rule and every disclosure.",
        "- **Sentences and clauses.** The text is cut into sentences at 。！？!?；; and line breaks (a full stop",
        "  between digits is a decimal point), and into clauses also at ，,、：:…— and at the connectives",
        f"  {' · '.join(CLAUSE_CONNECTIVES)}. A piece of fewer than 3 characters between two marks",
        "  (保本\\n保息, 名！额！有！限！) is spacing, not a sentence: it joins its neighbours. No finding spans a",
        "  sentence end: a pattern, a proximity term and a gapped pattern all lie in one sentence.",
        "- **Patterns.** Literal text, plus `{class}` (any word of a pack word class, see below), the number",
        f"  slots {' · '.join(f'`{{{k}}}` ({v})' for k, v in SLOTS.items())}, and `…` (a gap: the terms in this",
        "  order within the rule's `within` characters of one sentence; or `{all: [terms], within: N}`).",
        "- **Except.** A hit inside one of the rule's `except` phrases is not a finding. A hit of a pattern with gaps",
        "  or number slots runs on past what an except names, so an except that holds its first character excuses it",
        "  (保证利率 of 保证利率达1.5%: the contract's guaranteed rate). A gapped hit may not start inside an",
        "  aside and run out of it (回報率(IRR)可達4%).",
        "- **Negation** (on unless the pack says `lint: {negation: false}`). A hit is cleared by a negator earlier",
        "  in its clause: 本产品不保证本金和收益, 不构成对收益的承诺, 我们不能随便向您保证收益, 并非零风险. The bare",
        f"  negators {' · '.join(WEAK_NEGATORS)} reach only {NEGATION_WINDOW} characters (and not past 还, 都, 也).",
        "  A pattern that itself starts with a negator (无风险, 不会亏) is cleared only by another negator before",
        "  it (不是无风险). A negator inside a non-negating word (不用, 不管, 非常 …), inside another pattern hit",
        "  (稳赚不赔) or inside a word of a gapped or slotted pattern's match (错过这次就不再有) negates nothing; the word",
        "  where that pattern did not match still negates (理财不再保本). A negator inside the gap of a gapped",
        "  match clears it (收益不会比存款高).",
        f"  - Negators: {' · '.join(NEGATORS)}",
        f"  - Not negating: {' · '.join(NON_NEGATING)}",
        "- **Quoted to forbid.** A hit after a forbidding word in its clause (严禁向客户宣传零风险), or inside a",
        "  quotation such a word governs (不得承诺“保本，保息”), is not a finding: the script is naming what is",
        "  forbidden, not claiming it. Quotation marks alone (这就是“保本”的) clear nothing. Off with negation.",
        f"  - Forbidding: {' · '.join(FORBIDDING)}",
        "  A hit followed later in its clause (a list joined by 、 is one clause) by a reporting word, or inside a",
        "  quotation so followed, is not a finding either: 以“保本保息”等话术吸引储户, “零风险”之类的营销词,",
        "  因“买美债不会亏”遭金管会开罚.",
        f"  - Reporting: {' · '.join(REPORTING_TAILS)}",
        "- **Sentence frames** (with negation). Some sentences report, ask or disclaim rather than pitch; a",
        "  semicolon does not end one. No phrase finding lies in",
        "  - a sentence holding a report word anywhere (a penalty, a court, fraud, mis-selling named as such, a",
        "    claim reported, a warning): 该支行因承诺保本保息被罚款, 詐騙集團以穩賺不賠吸引民眾;",
        f"    {' · '.join(REPORT_FRAMES)}",
        "    — not a regulator said in its clause to have approved (下周就要涨价了，银保监局已经批了: the seller's appeal);",
        "  - a sentence citing a regulation by title (《…办法》, 《…规定》, 《…条例》 …), not the laws that protect a buyer's money,",
        f"    which sellers cite as the pitch (受《保险法》保护…本金与收益不受损): {' · '.join(f'《{law}》' for law in PROTECTION_LAWS)};",
        f"  - a question: a sentence ending in ? that holds {' · '.join(QUESTION_WORDS)} (保本是否僅限於到期?);",
        "  - what follows a third person's verb of saying (他說五年保本, 业务员对我说…, 宣传资料称…) — not a salesperson",
        "    introducing themself or speaking to the customer (我是…理财经理，跟您说…);",
        "  - what follows the public's belief (不少民眾可能抱持著「快停售」的預期心理, 投资者误以为…), or some of a kind",
        "    said to claim (有些平台承诺“本息保障”…, 部分代理人宣称…);",
        "  - a figure the reader is told to doubt (收益率超过6%就要打问号), and a mistaken belief (误以为, 误信), up to where the",
        "    speaker answers it (很多人对它打问号，其实它保本保息 still claims); a doubt talked away (你不用打问号) frames nothing;",
        "    a myth or misconception named (迷思, 误区) the same way, and not when denied (这不是误区);",
        "  - what follows a clause opening with 称/说是 or with 并/还 and a verb of saying (…推荐一款理财产品，并表示它的年利率在5.25%左右,",
        "    并着重强调保本保息), or a person's account (按照小莉的推演…; not 按照我的理解, nor a document's 介绍);",
        "  - what follows 承诺 put right before a claim word, naming the act (…进行宣传并承诺保证收益, 向客户承诺高额回报) — not",
        "    after the seller's side, the listener, the product or an institution behind it (我们承诺保本, 保险公司承诺保底3%),",
        "    nor when 承诺 opens its clause;",
        f"  - a quotation named as a term: followed by {' · '.join(QUOTE_NAMED_BY)} (“躺赚”等术语), or in a list of",
        "    quotations (“稳赚不赔”“绝对安全”, “欲购从速”、“申购良机”), or right after a verb of promising (理财经理承诺“年化保底8%”)",
        "    — not after the speaker's own side (我们承诺‘全返’ promises it), nor a list in a sentence that speaks, outside its",
        f"    quotations, of the seller's own product ({' · '.join(SELLERS_OWN)}: 这款理财“零风险”、“稳赚不赔” claims both), nor",
        "    one named as that product's merits (这款理财有“保本保息”、“零风险”等优势).",
        "  In a disclaimer sentence guarantees and yields (BANNED_PHRASE, MISLEADING; not PRESSURE) give no finding",
        "  from the sentence start up to the first contrast (但, 可是, 然而, 不过, 只是) after the disclaimer word",
        "  (配息率12%…；但配息不等於報酬 is one disclaimer; 这是非保本产品，但实际上都可以做到保本 still claims 保本);",
        f"    {' · '.join(DISCLAIMER_FRAMES)}",
        "  and the same holds for what a concession grants (虽/虽然/尽管 … up to the contrast): 虽冠之以“理财产品”的美名，但…,",
        f"  and for a doubting question, a sentence ending in ? that holds {' · '.join(DOUBT_WORDS)} (月配息基金真的是穩賺不賠的",
        "  投資聖杯嗎?; 您真的不抢吗? still pressures).",
        "- **Proximity** (`near`). The pattern counts only when one of the listed terms (itself not negated)",
        "  is within the given number of characters in the same sentence; the finding spans both, and an",
        "  `except` phrase overlapping that span clears it.",
        "- **`unless_mentions`.** The rule is cleared for a script that mentions any of these anywhere.",
        "- **Overlaps.** Of overlapping hits of one rule the longest is reported. Overlapping hits of",
        "  different rules are one finding: its `rule` is the most severe (then the longest) and `rules`",
        "  lists every rule on those words with its code, severity and span.",
        "- **Disclosures.** A disclosure rule that applies (and, with `when_mentions`, whose trigger the script",
        "  mentions) and none of whose phrases occurs gives `MISSING_DISCLOSURE` with `start = end = 0`,",
        "  `line 1`, `column 1` and `matched \"\"`: it has no place in the text.",
        "- **Verdict.** `fail` with any error, `warn` with any warning, else `pass`.",
        "",
    ]
    lines += _classes(pack)
    lines += [
        "## Phrase rules",
        "",
        "| rule | code | severity | product types |",
        "|---|---|---|---|",
    ]
    for rule in pack.phrases:
        lines.append(f"| [`{rule.id}`](#{rule.id.replace('.', '')}) | {rule.code} | {rule.severity} | {_cell(_types(rule.product_types))} |")
    lines.append("")
    for rule in pack.phrases:
        lines += _phrase_rule(rule)
    lines += _scorer(pack)
    lines += _direction()
    lines += ["## Required disclosures", "", "| rule | severity | product types |", "|---|---|---|"]
    for rule in pack.disclosures:
        lines.append(f"| [`{rule.id}`](#{rule.id.replace('.', '')}) | {rule.severity} | {_cell(_types(rule.product_types))} |")
    lines.append("")
    for rule in pack.disclosures:
        lines += _disclosure(rule)
    return "\n".join(lines).rstrip("\n") + "\n"
