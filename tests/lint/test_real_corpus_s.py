"""Corpus S (tests/lint/real/dev_s.jsonl, heldout_s.jsonl; README "Corpus S", plan-s.md): a fresh set of single
passages collected blind under brief-s.md by three collectors (c: mainland, every kind; d: mainland, the seller's voice,
no fiction; e: Taiwan and Hong Kong), split once by site as corpora P, Q and R were: a site group of an older
development file goes to dev_s, of an older held-out file only to heldout_s, any other by the parity of the first hex
digit of sha1("s:" + group). heldout_s judged the round of plan-s.md, made on the development sets while the corpus was
collected; it is never read.

The shape tests read the records only. The figures tests lint each passage alone.
"""
from __future__ import annotations

import pytest

from tests.lint.test_real_corpus_p import (assert_passages_in_format, assert_new_text_and_pages, assert_passage_figures,
                                           assert_split_by_site, corpus_fixtures)
from tests.lint.test_real_corpus_r import HALVES as R_HALVES, OLDER as R_OLDER

HALVES = ("dev_s", "heldout_s")
OLDER = R_OLDER + R_HALVES
MIN_PASSAGES = 1100


records, older = corpus_fixtures(HALVES, OLDER)


def test_every_record_is_a_passage_in_the_format_with_ids_in_collection_order(records):
    assert_passages_in_format(records, "s", MIN_PASSAGES)


def test_no_record_repeats_or_shares_its_page_with_an_older_file(records, older):
    assert_new_text_and_pages(records, older)


def test_each_record_sits_in_the_half_the_split_rule_gives_and_no_site_is_in_both(records, older):
    assert_split_by_site(records, older, "s")


# Scored once (plan-s.md), 2026-12-05, for the head before the round (68d04de) and the round (c724ce2): heldout_s
# P 0.373 R 0.535 (F1 0.439), 15/87 quotes before, P 0.380 R 0.535 (F1 0.444), 13/87 after; dev_s P 0.342 -> 0.345,
# R 0.595, 25 -> 24 of 104 quotes. By plan-s.md's rule the round ships. Its second round (a138e4f -> 266d437) changes no
# finding in heldout_s (second scoring) and clears three quotes of dev_s (P 0.352, 21/104); its third (55d1e08 -> 93a0d2c)
# none either, and four clean lines of dev_s (P 0.362). Floors as measured, two decimals down.
# precision, recall, quotes flagged at most
# Item 52, scored once with every held-out set: heldout_s P 0.378 R 0.521, 13/87 quotes (one false alarm and one doubtful
# claim fewer, counted, not read).
# Item 53, scored once with every held-out set: heldout_s P 0.371 R 0.507, 13/87 quotes (one doubtful claim fewer: the
# round's only held-out claim lost; counted, not read).
FIGURES = {"dev_s": (0.36, 0.59, 21), "heldout_s": (0.37, 0.50, 13)}


@pytest.mark.parametrize("half", HALVES)
def test_the_linter_holds_its_figures_on_corpus_s(records, cn_pack, half):
    assert_passage_figures(half, cn_pack, FIGURES[half])
