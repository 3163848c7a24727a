"""Render a pack's script-linter rules as the `docs/lint-rules.md` reference page.

Pure: takes a `Pack`, returns Markdown. `python -m policies.lint_docs > docs/lint-rules.md`
loads the shipped pack and prints this page (loading files is not the core's business).
"""

from __future__ import annotations

from guard.core.lint import NEGATION_WINDOW, NEGATORS, NON_NEGATING
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


def render_markdown(pack: Pack) -> str:
    lines = [
        "# Script linter rules",
        "",
        f"Generated from the `{pack.id}` pack (version {pack.version}) by `python -m policies.lint_docs`;",
        "do not edit by hand. Sources for each rule: [research/cn-bank-sources.md](research/cn-bank-sources.md) §5–§6.",
        "",
        "## How a script is judged",
        "",
        "- **Normalisation.** Before matching, the script and every pattern are normalised character by",
        "  character: NFKC (full-width → half-width), casefold, traditional → simplified (OpenCC `t2s`),",
        "  and whitespace, line breaks, punctuation, symbols (except `%`), zero-width and other invisible",
        "  characters are dropped. So `保 本 保 息`, `零，风，险`, `１００％安全`, `保\\u200b证收益` and",
        "  `保證收益` are all found. Findings point into the original text: `start`/`end` run from the first",
        "  to the last matched character (`text[start:end] == matched`), `line`/`column` are 1-based.",
        "- **Product types.** A rule applies when its product types include the script's (or are `all`).",
        "- **Except.** A hit inside one of the rule's `except` phrases is not a finding.",
        "- **Negation** (on unless the pack says `lint: {negation: false}`). A hit is cleared when a negator ends at",
        f"  most {NEGATION_WINDOW} characters before it (after normalisation), with no clause break between",
        "  (a sentence punctuation mark in the original, or a connective such as 但, 而, 所以, 也): 不保证收益,",
        "  并非零风险, 不存在零风险的投资, 我们不能说保本保息. A pattern that itself starts with a negator",
        "  (无风险, 不会亏) is cleared only by another negator before it (不是无风险). A negator inside a",
        "  non-negating word (不用, 不管, 非常 …) or inside another pattern hit (稳赚不赔) negates nothing.",
        f"  - Negators: {' · '.join(NEGATORS)}",
        f"  - Not negating: {' · '.join(NON_NEGATING)}",
        "- **Proximity** (`near`). The pattern counts only when one of the listed terms (itself not negated)",
        "  is within the given number of characters; the finding spans both, and an `except` phrase",
        "  overlapping that span clears it.",
        "- **`unless_mentions`.** The rule is cleared for a script that mentions any of these anywhere.",
        "- **Overlaps.** Of overlapping hits of one rule the longest is reported; different rules may overlap.",
        "- **Disclosures.** A disclosure rule that applies (and, with `when_mentions`, whose trigger the script",
        "  mentions) and none of whose phrases occurs gives `MISSING_DISCLOSURE` with `start = end = 0`,",
        "  `line 1`, `column 1` and `matched \"\"`: it has no place in the text.",
        "- **Verdict.** `fail` with any error, `warn` with any warning, else `pass`.",
        "",
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
    lines += ["## Required disclosures", "", "| rule | severity | product types |", "|---|---|---|"]
    for rule in pack.disclosures:
        lines.append(f"| [`{rule.id}`](#{rule.id.replace('.', '')}) | {rule.severity} | {_cell(_types(rule.product_types))} |")
    lines.append("")
    for rule in pack.disclosures:
        lines += _disclosure(rule)
    return "\n".join(lines).rstrip("\n") + "\n"
