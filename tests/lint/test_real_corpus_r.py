"""Corpus R (tests/lint/real/dev_r.jsonl, heldout_r.jsonl; README "Corpus R", plan-r.md): a fresh set of single
passages collected blind under brief-r.md by three collectors (c: mainland, every kind; d: mainland, the seller's voice;
e: Taiwan and Hong Kong), split once by site as corpora P and Q were: a site group of an older development file goes to
dev_r, of an older held-out file only to heldout_r, any other by the parity of the first hex digit of sha1("r:" +
group). heldout_r judged the round of plan-r.md, written before the corpus was collected; it is never read.

The shape tests read the records only. The figures tests lint each passage alone.
"""
from __future__ import annotations

import pytest

from tests.lint.test_real_corpus_p import (assert_passages_in_format, assert_new_text_and_pages, assert_passage_figures,
                                           assert_split_by_site, corpus_fixtures)
from tests.lint.test_real_corpus_q import HALVES as Q_HALVES, OLDER as Q_OLDER

HALVES = ("dev_r", "heldout_r")
OLDER = Q_OLDER + Q_HALVES
MIN_PASSAGES = 1150


records, older = corpus_fixtures(HALVES, OLDER)


def test_every_record_is_a_passage_in_the_format_with_ids_in_collection_order(records):
    assert_passages_in_format(records, "r", MIN_PASSAGES)


def test_no_record_repeats_or_shares_its_page_with_an_older_file(records, older):
    assert_new_text_and_pages(records, older)


def test_each_record_sits_in_the_half_the_split_rule_gives_and_no_site_is_in_both(records, older):
    assert_split_by_site(records, older, "r")


# Scored once (plan-r.md), 2026-12-05, for the head before the round (adbbd0b) and the round (e02375e, on main 702782a),
# which change no finding on either half: dev_r P 0.417 R 0.636, 19/96 quotes; heldout_r P 0.409 R 0.613 (F1 0.490),
# 10/88 quotes. By plan-r.md's rule the round ships. Floors as measured, two decimals down.
# precision, recall, quotes flagged at most
# Item 52 (rate and expected-return words need their figure; 限额 only as a quota), scored once with every held-out set:
# heldout_r P 0.416 R 0.597, 9/88 quotes (two false alarms and one doubtful claim fewer, counted, not read).
FIGURES = {"dev_r": (0.41, 0.63, 19), "heldout_r": (0.41, 0.59, 9)}


@pytest.mark.parametrize("half", HALVES)
def test_the_linter_holds_its_figures_on_corpus_r(records, cn_pack, half):
    assert_passage_figures(half, cn_pack, FIGURES[half])
