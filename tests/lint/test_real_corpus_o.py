"""Corpus O (tests/lint/real/heldout_o.jsonl; README "Corpus O", plan-o.md): a fresh held-out set, collected blind under
brief-o.md — runs of sellers' text, every line kept, and single passages of the kinds issue 17 names — scored once
for the decision plan-o.md wrote down before collection, and from then on once per linter version like the other
held-out sets. Never read for tuning.

The shape tests read the records only. The figures test lints them as plan-o.md says: each run whole, as a reviewer
pastes it (a line judged by the findings that start on it), each passage alone.
"""
from __future__ import annotations

import re

import pytest

from tests.lint.real_corpus import available, load, runs_and_passages
from tests.lint.test_real_corpus_b import KEYS, _load, assert_no_overlap, assert_record_shape
from tests.lint.test_real_corpus_cd import FILES

RUN_KEYS = ("run", "line", "speaker")
MIN_RUNS, MIN_PASSAGES = 80, 600


@pytest.fixture(scope="module")
def records() -> list[dict]:
    if not available("heldout_o"):
        pytest.skip("heldout_o.jsonl is not in tests/lint/real/")
    return _load("heldout_o")


def assert_run_line_or_passage(r: dict, letter: str, run_collectors: str) -> None:
    """A record of a set of both kinds (corpora O and P): the format's keys, then `run`, `line`, `speaker`; a passage has
    run "" and line 0, a run's line a run id of one of `run_collectors` (e.g. "abd") and a line number from 1."""
    assert list(r) == KEYS + list(RUN_KEYS), r["id"]
    assert r["speaker"] in {"seller", "customer", "unknown"}, r["id"]
    assert (r["run"] == "" and r["line"] == 0) or (
        re.fullmatch(rf"{letter}-[{run_collectors}]-run\d{{2}}", r["run"]) and r["line"] >= 1), r["id"]
    assert_record_shape({k: r[k] for k in KEYS}, letter + r"\d{4}", stripped=False)


def runs_of(records: list[dict]) -> dict[str, list[dict]]:
    """The records of each run, in file order."""
    runs: dict[str, list[dict]] = {}
    for r in records:
        if r["run"]:
            runs.setdefault(r["run"], []).append(r)
    return runs


def assert_lines_of_one_page_in_order(run: str, lines: list[dict]) -> None:
    assert len({r["source"] for r in lines}) == 1, run
    numbers = [r["line"] for r in lines]
    assert numbers == sorted(set(numbers)), run  # a line already in an older file was dropped: a number may be missing


def test_every_record_has_the_format_and_ids_run_in_collection_order(records):
    assert [r["id"] for r in records] == [f"o{i:04d}" for i in range(1, len(records) + 1)]
    for r in records:
        assert_run_line_or_passage(r, "o", "abd")


def test_runs_are_lines_of_one_page_in_order_and_passages_stand_alone(records):
    runs = runs_of(records)
    assert len(runs) >= MIN_RUNS and sum(not r["run"] for r in records) >= MIN_PASSAGES
    for run, lines in runs.items():
        assert_lines_of_one_page_in_order(run, lines)


def test_no_record_repeats_or_shares_its_page_with_an_older_file(records):
    files = {name: _load(name) for name in FILES}
    files["heldout_o"] = records
    assert_no_overlap(files, ("heldout_o",))
    older_pages = {r["source"] for name in FILES for r in files[name]}
    assert not [r["id"] for r in records if r["source"] in older_pages]


# Scored once for plan-o.md's decision (A: the scorer trained on eight sets; B: with dev_l, dev_m, dev_n too; C: none), on
# 2026-12-04: runs (each whole) A P 0.256 R 0.717, 250 of 1,154 cleared lines warned on; B P 0.326 R 0.650, 161; C P 0.456
# R 0.517, 74. Passages A P 0.366 R 0.632, 27/175 quotes; B P 0.370 R 0.642, 24/175; C P 0.383 R 0.432, 24/175. Macro F1
# A 0.420, B 0.452, C 0.445: B ships (README item 30). Floors as measured for B, two decimals down.
# With the scorer silent in whole scripts and the rules of README item 33 (from dev_p), scored once: runs P 0.459 R 0.517,
# 73 cleared lines warned on (the scorer's warnings on runs gone: C's figures of the decision); passages P 0.372 R 0.642,
# 24/175; macro F1 0.479.
RUN_FLOOR = (0.45, 0.51, 73)  # precision, recall, cleared lines warned on at most
# Corpus T's second round (plan-t.md, 41f91ee: denied report words, negated disclaimer words, closing questions; heldout_t unchanged, so it ships): passages P 0.372 -> 0.370 (one false alarm more; not read).
PASSAGE_FLOOR = (0.36, 0.64, 24)  # precision, recall, quotes flagged at most


@pytest.mark.heldout  # corpus O is held out whole
def test_the_linter_holds_its_figures_on_corpus_o(records, cn_pack):
    r, p = runs_and_passages(load("heldout_o"), cn_pack)
    print(f"runs P {r.precision:.3f} R {r.recall:.3f} cleared warned {r.fp}; passages P {p.precision:.3f} "
          f"R {p.recall:.3f} quotes {p.quoted_flagged}/{p.quotes}")
    assert r.precision >= RUN_FLOOR[0] and r.recall >= RUN_FLOOR[1] and r.fp <= RUN_FLOOR[2]
    assert p.precision >= PASSAGE_FLOOR[0] and p.recall >= PASSAGE_FLOOR[1] and p.quoted_flagged <= PASSAGE_FLOOR[2]
