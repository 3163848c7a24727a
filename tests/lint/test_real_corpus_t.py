"""Corpus T (tests/lint/real/dev_t.jsonl, heldout_t.jsonl; README item 48, plan-t.md): a fresh set of single passages
collected blind under brief-t.md by three collectors (c: mainland, every kind; d: mainland, the seller's voice, no
fiction; e: Taiwan and Hong Kong), each marking as doubtful every label it would not defend against a second officer;
split once by site as corpora P to S were: a site group of an older development file goes to dev_t, of an older
held-out file only to heldout_t, any other by the parity of the first hex digit of sha1("t:" + group). heldout_t judged
the round of plan-t.md (false alarms on the labels an officer is sure of), made on the development sets while the
corpus was collected; it is never read.

The shape tests read the records only. The figures tests lint each passage alone.
"""
from __future__ import annotations

import pytest

from tests.lint.real_corpus import load, score
from tests.lint.test_real_corpus_p import (assert_passages_in_format, assert_new_text_and_pages, assert_passage_figures,
                                           assert_split_by_site, corpus_fixtures)
from tests.lint.test_real_corpus_s import HALVES as S_HALVES, OLDER as S_OLDER

HALVES = ("dev_t", "heldout_t")
OLDER = S_OLDER + S_HALVES
MIN_PASSAGES = 1100


records, older = corpus_fixtures(HALVES, OLDER)


def test_every_record_is_a_passage_in_the_format_with_ids_in_collection_order(records):
    assert_passages_in_format(records, "t", MIN_PASSAGES)


def test_no_record_repeats_or_shares_its_page_with_an_older_file(records, older):
    assert_new_text_and_pages(records, older)


def test_each_record_sits_in_the_half_the_split_rule_gives_and_no_site_is_in_both(records, older):
    assert_split_by_site(records, older, "t")


def assert_borderline_labels_marked(halves: tuple[str, ...]) -> None:
    """Corpora T and U: the brief asked for doubtful on every label a collector would not defend, so both halves hold
    sure and doubtful labels of every kind and the certainty split (Item.certainty) measures something on each."""
    for h in halves:
        items = load(h)
        for label in ("flag", "clean", "quote"):
            kinds = {i.certainty for i in items if i.label == label}
            assert kinds == {"clear", "doubtful"}, (h, label, kinds)


def assert_passage_and_sure_figures(half: str, pack, floors: tuple[float, float, int], sure_false_alarms: int) -> None:
    """A half of corpus T or U holds its floors (precision, recall, quotes flagged at most; each passage alone) and
    flags at most `sure_false_alarms` passages an officer is sure are clean or quote a claim."""
    assert_passage_figures(half, pack, floors)
    _, by, _ = score(load(half), pack, by="certainty")
    print(f"{half}: sure labels P {by['clear'].precision:.3f} R {by['clear'].recall:.3f} false alarms {by['clear'].fp}")
    assert by["clear"].fp <= sure_false_alarms


def test_the_collectors_marked_their_borderline_labels(records):
    assert_borderline_labels_marked(HALVES)


# Scored once (plan-t.md), 2026-12-05, for the head before the round (33bd4a7) and the round (79c3186): heldout_t
# all labels P 0.383 R 0.676 (F1 0.489), 12/67 quotes before; P 0.387 R 0.676 (F1 0.492), 12/67 after; its sure labels
# F1 0.167 -> 0.169 (5 of its 7 sure claims found, 48 -> 47 false alarms). dev_t P 0.448 -> 0.451, R 0.613, 20 -> 19 of 87
# quotes. By plan-t.md's rule the round ships. Floors as measured, two decimals down.
# precision, recall, quotes flagged at most
FIGURES = {"dev_t": (0.45, 0.61, 19), "heldout_t": (0.38, 0.67, 12)}
SURE_FALSE_ALARMS = {"dev_t": 58, "heldout_t": 47}  # passages an officer is sure are clean or quote a claim, flagged


@pytest.mark.parametrize("half", HALVES)
def test_the_linter_holds_its_figures_on_corpus_t(records, cn_pack, half):
    assert_passage_and_sure_figures(half, cn_pack, FIGURES[half], SURE_FALSE_ALARMS[half])
