"""The clearers and sentence frames are made for the sentences the hits are in, not for the whole text
(Linter._clearing_context and Linter._sentence_frames with `asked_at`): at every hit they answer as those of the
whole text do."""

from __future__ import annotations

import pytest

from guard.core.lint import Linter, _held, compile_rules
from guard.core.text import normalize, segment
from guard.core.turns import seller_view
from policies.lint_docs import shipped_pack
from tests.lint.corpus_data import load_corpus
from tests.lint.real_corpus import DEVELOPMENT, available, load

CODES = ("BANNED_PHRASE", "MISLEADING", "PRESSURE")


def _scripts(texts: list[str], size: int = 2_000) -> list[str]:
    """The texts joined by line breaks into scripts of about `size` characters, as a reviewer pastes a long one."""
    out, part, length = [], [], 0
    for t in texts:
        part.append(t)
        length += len(t) + 1
        if length >= size:
            out.append("\n".join(part))
            part, length = [], 0
    if part:
        out.append("\n".join(part))
    return out


def _long_texts() -> list[str]:
    texts = [item.text for item in load_corpus()]
    for name in DEVELOPMENT:
        if available(name):
            texts += [i.text for i in load(name)]
    return _scripts(texts)


def _context(linter: Linter, text: str, focused: bool):
    n = normalize(seller_view(text))
    scan = linter._scan(n.text)
    seg = segment(n, clauses=False)
    compound = linter._compound_hits(n, scan, seg, None, [0])
    asked = sorted([s for spans in scan.hits.values() for s, _ in spans]
                   + [s for spans in compound.values() for s, _, _ in spans])
    cl, _ = linter._clearing_context(n, scan, _held(compound), asked if focused else None, seg)
    linter._sentence_frames(n, seg, cl, frame_starts=scan.frame_starts, asked_at=asked if focused else None)
    gaps = [g for spans in compound.values() for _, _, g in spans if g]
    return n, cl, asked, gaps


def test_at_every_hit_of_long_texts_the_focused_context_answers_as_the_whole_texts():
    linter = compile_rules(shipped_pack())
    scripts = _long_texts()
    assert len(scripts) > 100
    asked_total = framed = cleared = 0
    for text in scripts:
        n, whole, asked, gaps = _context(linter, text, focused=False)
        _, focused, _, _ = _context(linter, text, focused=True)
        for at in asked:
            for code in CODES:
                assert linter._framed(focused, at, code) == linter._framed(whole, at, code), (text, at, code)
            framed += linter._framed(whole, at, "MISLEADING")
            assert linter._negated(n, focused, at) == linter._negated(n, whole, at), (text, at)
            assert linter._forbidden(focused, at) == linter._forbidden(whole, at), (text, at)
            cleared += linter._negated(n, whole, at) or linter._forbidden(whole, at)
        for g in gaps:
            assert linter._gap_cleared(focused, list(g)) == linter._gap_cleared(whole, list(g)), (text, g)
        asked_total += len(asked)
    # the comparison is made where it matters: many hits, framed and cleared ones among them
    assert asked_total > 5_000 and framed > 500 and cleared > 500, (asked_total, framed, cleared)


@pytest.mark.parametrize("text", [
    "严禁在营销中出现“收益稳。保本保息”。",
    "严禁出现“收益稳。保本保息”。",
    "不准写“收益稳。保本保息”。",
])
def test_a_quotation_forbidden_in_one_sentence_and_ending_in_the_next_is_still_forbidden(text):
    # the hit's sentence is not the forbidding word's: the word counts because the quotation holding the hit starts
    # in its sentence (Linter._clearing_context)
    n = normalize(text)
    assert segment(n, clauses=False).sentences, "the quotation holds a sentence end"
    findings = compile_rules(shipped_pack()).lint(text, None).findings
    assert not [f for f in findings if f.code in CODES], findings


def test_the_same_claim_outside_the_quotation_is_found():
    findings = compile_rules(shipped_pack()).lint("严禁在营销中出现“收益稳”。这款理财保本保息。", None).findings
    assert [f.matched for f in findings if f.code in CODES] == ["保本保息"]


def test_a_frame_asked_about_in_one_sentence_is_not_made_for_another():
    # the restriction itself: a report frame in a sentence without a hit is left out when asked about another
    linter = compile_rules(shipped_pack())
    text = "据报道，某银行称理财收益很高。这款理财保本保息。"
    n = normalize(text)
    scan = linter._scan(n.text)
    seg = segment(n, clauses=False)
    hit = n.text.index("保本保息")
    report = n.text.index("称")
    whole, focused = Linter._clearers(linter, n, scan), Linter._clearers(linter, n, scan)
    linter._sentence_frames(n, seg, whole, frame_starts=scan.frame_starts)
    linter._sentence_frames(n, seg, focused, frame_starts=scan.frame_starts, asked_at=[hit])
    assert linter._framed(whole, report, "MISLEADING") and not linter._framed(focused, report, "MISLEADING")
    assert not linter._framed(whole, hit, "BANNED_PHRASE") and not linter._framed(focused, hit, "BANNED_PHRASE")


def test_the_sentences_holding_offsets_are_found_a_bisection_a_sentence():
    from guard.core.lint import _sentences_holding

    breaks = [10, 20, 30]  # sentences [0,10) [10,20) [20,30) [30,…)
    assert _sentences_holding([0, 5, 10, 25], breaks) == {0, 1, 2}
    assert _sentences_holding([9, 30, 31, 99], breaks) == {0, 3}
    assert _sentences_holding([], breaks) == set()
    assert _sentences_holding([3, 4], []) == {0}
