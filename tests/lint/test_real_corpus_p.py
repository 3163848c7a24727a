"""Corpus P (tests/lint/real/dev_p.jsonl, heldout_p.jsonl; README "Corpus P", plan-p.md): a fresh set collected blind
under brief-p.md — runs of sellers' text, every line kept, and single passages of the kinds issue 17 names — split
once by site into a development half (read and tuned on) and a held-out half (scored once per linter version, never
read for tuning). Split rule (plan-p.md, amended before any scoring): a site group of an older development file goes
to dev_p, of an older held-out file only to heldout_p, any other by the parity of the first hex digit of
sha1("p:" + group).

The shape tests read the records only. The figures tests lint them as plan-p.md says: each run whole, as a reviewer
pastes it (a line judged by the findings that start on it), each passage alone.
"""
from __future__ import annotations

import hashlib

import pytest

from tests.lint.real_corpus import available, load, runs_and_passages, score
from tests.lint.test_real_corpus_b import _load, assert_no_overlap, site_group
from tests.lint.test_real_corpus_cd import FILES
from tests.lint.test_real_corpus_o import assert_lines_of_one_page_in_order, assert_run_line_or_passage, runs_of

HALVES = ("dev_p", "heldout_p")
OLDER = FILES + ("heldout_o",)
MIN_RUNS, MIN_PASSAGES = 55, 500


def halves_or_skip(halves: tuple[str, str]) -> dict[str, list[dict]]:
    """The records of a corpus's two halves; the test is skipped when a file is not there."""
    if not all(available(h) for h in halves):
        pytest.skip(f"{halves[0]}.jsonl or {halves[1]}.jsonl is not in tests/lint/real/")
    return {h: _load(h) for h in halves}


def corpus_fixtures(halves: tuple[str, str], older: tuple[str, ...]):
    """The module fixtures of a corpus's tests: `records` (its two halves, or the tests skipped) and `older` (the files
    its records must not repeat)."""

    @pytest.fixture(scope="module")
    def records() -> dict[str, list[dict]]:
        return halves_or_skip(halves)

    @pytest.fixture(scope="module")
    def older_files() -> dict[str, list[dict]]:
        return {name: _load(name) for name in older}

    return records, older_files


records, older = corpus_fixtures(HALVES, OLDER)  # pytest names a module's fixtures by the names they are bound to


def assert_format_and_ids(records: dict[str, list[dict]], letter: str) -> None:
    """Corpora P and Q: every record in the format; ids <letter>0001… with no gap, in collection order in each half."""
    halves = (f"dev_{letter}", f"heldout_{letter}")
    ids = [r["id"] for h in halves for r in records[h]]
    assert sorted(ids) == [f"{letter}{i:04d}" for i in range(1, len(ids) + 1)]
    for h in halves:
        assert [r["id"] for r in records[h]] == sorted(r["id"] for r in records[h])
        for r in records[h]:
            assert_run_line_or_passage(r, letter, "ab")


def assert_passages_in_format(records: dict[str, list[dict]], letter: str, min_passages: int) -> None:
    """Corpora R to U, single passages only: every record in the format with its ids in order (assert_format_and_ids),
    none a line of a run, and at least `min_passages` of them in the two halves."""
    assert_format_and_ids(records, letter)
    halves = (f"dev_{letter}", f"heldout_{letter}")
    assert all(r["run"] == "" and r["line"] == 0 for h in halves for r in records[h])
    assert sum(len(records[h]) for h in halves) >= min_passages


def assert_runs_in_one_half(records: dict[str, list[dict]], letter: str, min_runs: int, min_passages: int) -> None:
    """A run stays in one half and is lines of one page in order; at least so many runs and passages."""
    halves = (f"dev_{letter}", f"heldout_{letter}")
    runs = {h: runs_of(records[h]) for h in halves}
    assert not runs[halves[0]].keys() & runs[halves[1]].keys()
    passages = sum(not r["run"] for h in halves for r in records[h])
    assert sum(map(len, runs.values())) >= min_runs and passages >= min_passages
    for run, lines in (item for h in halves for item in runs[h].items()):
        assert_lines_of_one_page_in_order(run, lines)


def assert_new_text_and_pages(records: dict[str, list[dict]], older: dict[str, list[dict]]) -> None:
    """No record repeats or contains a record of an older file, and none comes from a page an older file used."""
    assert_no_overlap({**older, **records}, tuple(records))
    older_pages = {r["source"] for rs in older.values() for r in rs}
    assert not [r["id"] for rs in records.values() for r in rs if r["source"] in older_pages]


def test_every_record_has_the_format_and_ids_run_in_collection_order(records):
    assert_format_and_ids(records, "p")


def test_runs_are_lines_of_one_page_in_order_in_one_half(records):
    assert_runs_in_one_half(records, "p", MIN_RUNS, MIN_PASSAGES)


def test_no_record_repeats_or_shares_its_page_with_an_older_file(records, older):
    assert_new_text_and_pages(records, older)


def half_for(url: str, tuned: set[str], held: set[str], letter: str = "p") -> str:
    """plan-p.md's split (plan-q.md's with letter "q"): `tuned`, the site groups of the older development files; `held`,
    of the older held-out files."""
    group = site_group(url)
    dev, heldout = f"dev_{letter}", f"heldout_{letter}"
    if group in tuned:
        return dev
    if group in held:
        return heldout
    return dev if int(hashlib.sha1(f"{letter}:{group}".encode("utf-8")).hexdigest()[0], 16) % 2 == 0 else heldout


def assert_split_by_site(records: dict[str, list[dict]], older: dict[str, list[dict]], letter: str) -> None:
    """Each record in the half the split rule gives, no site in both halves, and no held-out site in an older
    development file (none was ever tuned on)."""
    tuned = {site_group(r["source"]) for name, rs in older.items() if name.startswith("dev") for r in rs}
    held = {site_group(r["source"]) for name, rs in older.items() if name.startswith("heldout") for r in rs}
    dev, heldout = f"dev_{letter}", f"heldout_{letter}"
    for h in (dev, heldout):
        for r in records[h]:
            assert half_for(r["source"], tuned, held, letter) == h, (r["id"], site_group(r["source"]))
    dev_sites = {site_group(r["source"]) for r in records[dev]}
    assert not dev_sites & {site_group(r["source"]) for r in records[heldout]}
    assert not tuned & {site_group(r["source"]) for r in records[heldout]}


def test_each_record_sits_in_the_half_the_split_rule_gives_and_no_site_is_in_both(records, older):
    assert_split_by_site(records, older, "p")


def assert_figures(half: str, pack, floors: tuple[tuple[float, float, int], tuple[float, float, int]]) -> None:
    """A half of a set of both kinds holds its floors: (precision, recall, cleared lines warned on at most) of its runs,
    each linted whole, and (precision, recall, quotes flagged at most) of its passages, each alone."""
    r, p = runs_and_passages(load(half), pack)
    print(f"{half}: runs P {r.precision:.3f} R {r.recall:.3f} cleared warned {r.fp}; passages P {p.precision:.3f} "
          f"R {p.recall:.3f} quotes {p.quoted_flagged}/{p.quotes}")
    (rp, rr, rfp), (pp, pr, pq) = floors
    assert r.precision >= rp and r.recall >= rr and r.fp <= rfp
    assert p.precision >= pp and p.recall >= pr and p.quoted_flagged <= pq


def assert_passage_figures(half: str, pack, floors: tuple[float, float, int]) -> None:
    """A half of a set of passages only (corpora R, S) holds its floors: precision, recall and quotes flagged at most,
    each passage linted alone."""
    s, _, _ = score(load(half), pack)
    print(f"{half}: P {s.precision:.3f} R {s.recall:.3f} quotes {s.quoted_flagged}/{s.quotes}")
    precision, recall, quotes = floors
    assert s.precision >= precision and s.recall >= recall and s.quoted_flagged <= quotes


# Scored as plan-p.md says, 2026-12-04. The pack before the changes made on dev_p (d92e633): dev_p runs P 0.196 R 0.407,
# 45 of 438 cleared lines warned on, passages P 0.495 R 0.607, 8/75 quotes, macro F1 0.405; heldout_p runs P 0.333 R 0.600,
# 18 of 315, passages P 0.377 R 0.605, 7/58 quotes, macro F1 0.446. After them (the scorer silent in whole scripts, the
# rules and frames of README item 33): dev_p (in-sample) runs P 0.393 R 0.407, 17; passages P 0.550 R 0.685, 5/75; macro
# 0.505; heldout_p, scored once: runs P 0.500 R 0.533, 8; passages P 0.382 R 0.605, 7/58; macro 0.492 — not below the
# baseline and no more quotes, so by plan-p.md's rule the changes ship. Floors as measured, two decimals down.
# precision, recall, cleared lines warned on at most (runs); precision, recall, quotes flagged at most (passages)
# Corpus T's second round (plan-t.md, 41f91ee: denied report words, negated disclaimer words, closing questions; heldout_t unchanged, so it ships):
# heldout_p runs P 0.500 -> 0.471 (one cleared line more warned on, 9; not read), macro F1 0.499 -> 0.491.
FIGURES = {"dev_p": ((0.39, 0.40, 17), (0.54, 0.68, 5)), "heldout_p": ((0.47, 0.53, 9), (0.38, 0.60, 7))}


@pytest.mark.parametrize("half", HALVES)
def test_the_linter_holds_its_figures_on_corpus_p(records, cn_pack, half):
    assert_figures(half, cn_pack, FIGURES[half])
