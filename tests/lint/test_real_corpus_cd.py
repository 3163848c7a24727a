"""Shape of the third to twelfth real-text corpora (tests/lint/real/dev_c, heldout_c, dev_d, heldout_d,
dev_e, heldout_e, dev_f, heldout_f, dev_g, heldout_g, dev_h, heldout_h, dev_i, heldout_i, dev_j, heldout_j, dev_k,
heldout_k, dev_l, heldout_l, dev_m, heldout_m, dev_n, heldout_n; README "Corpus C" … "Corpus N").

Like test_real_corpus_b.py these tests read the records only and never run the linter. They check each
record's format, that ids are unique and in collection order, that no passage repeats or contains a
passage of another corpus file, and that every record sits in the half its corpus's split rule gives
(decided before any figure was looked at): a site group already in an older held-out file goes to the
new held-out half, one already in an older development file to the new development half, any other by
the parity of the first hex digit of sha1("<letter>:" + group).
"""
from __future__ import annotations

import hashlib

import pytest

from tests.lint.test_real_corpus_b import KEYS, _load, assert_no_overlap, assert_record_shape, site_group

FILES = ("dev", "heldout", "dev_b", "heldout_b", "dev_c", "heldout_c", "dev_d", "heldout_d", "dev_e", "heldout_e", "dev_f", "heldout_f",
         "dev_g", "heldout_g", "dev_h", "heldout_h", "dev_i", "heldout_i", "dev_j", "heldout_j", "dev_k", "heldout_k",
         "dev_l", "heldout_l", "dev_m", "heldout_m", "dev_n", "heldout_n")
# corpus letter -> the fewest records it holds. Each corpus was split against every file before it in FILES.
MIN_RECORDS = {"c": 370, "d": 380, "e": 370, "f": 280, "g": 340, "h": 215, "i": 370, "j": 255, "k": 290, "l": 140, "m": 205, "n": 3790}
# Corpus K's, L's and M's records are lines of real scripts, corpus N's sentences of sellers' published copy: the format's keys,
# then the run of consecutive lines of one script (or piece of copy) the line belongs to, its place in the run, and who says it
# (README "Corpus K", "Corpus N").
RUN_KEYS = ("run", "line", "speaker")
RUN_CORPORA = ("k", "l", "m", "n")
MIN_RUNS = {"k": 45, "l": 25, "m": 30, "n": 220}
CORPORA = sorted(MIN_RECORDS)


def older_files(letter: str) -> tuple[str, ...]:
    """The files corpus `letter` was split against: every file collected before it."""
    return FILES[:FILES.index(f"dev_{letter}")]


@pytest.fixture(scope="module")
def corpora() -> dict[str, list[dict]]:
    return {name: _load(name) for name in FILES}


def older_sites(letter: str, corpora: dict[str, list[dict]]) -> tuple[set[str], set[str]]:
    """The site groups of the older held-out files and of the older development files of corpus `letter`."""
    older = older_files(letter)
    return tuple({site_group(r["source"]) for name in older if name.startswith(half) for r in corpora[name]}
                 for half in ("heldout", "dev"))  # type: ignore[return-value]


def half_for(letter: str, url: str, corpora: dict[str, list[dict]], sites: tuple[set[str], set[str]] | None = None) -> str:
    """The split rule: a site an older held-out file holds stays held out, one an older development file holds stays
    in development, a new one goes by the hash of its group. `sites`: older_sites(letter, corpora), when made already."""
    group = site_group(url)
    held, dev = sites if sites is not None else older_sites(letter, corpora)
    if group in held:
        return f"heldout_{letter}"
    if group in dev:
        return f"dev_{letter}"
    even = int(hashlib.sha1(f"{letter}:{group}".encode("utf-8")).hexdigest()[0], 16) % 2 == 0
    return f"dev_{letter}" if even else f"heldout_{letter}"


@pytest.mark.parametrize("letter", CORPORA)
def test_every_record_has_the_shape_of_the_format(corpora, letter):
    records = corpora[f"dev_{letter}"] + corpora[f"heldout_{letter}"]
    assert len(records) >= MIN_RECORDS[letter]
    for r in records:
        if letter in RUN_CORPORA:
            assert list(r) == KEYS + list(RUN_KEYS), r["id"]
            assert isinstance(r["run"], str) and isinstance(r["line"], int) and r["line"] >= 1, r["id"]
            assert r["speaker"] in {"seller", "customer", "unknown"}, r["id"]
            r = {k: r[k] for k in KEYS}
        assert_record_shape(r, letter + r"\d{4}", stripped=letter == "c")


@pytest.mark.parametrize("letter", RUN_CORPORA)
def test_each_run_of_script_lines_is_one_script_in_order(corpora, letter):
    """A run of corpus K, L or M is consecutive lines of one published script: one source, one half, lines in order (a
    line already in an older file was dropped, so a number may be missing) and no number twice."""
    runs: dict[str, list[tuple[str, dict]]] = {}
    for name in (f"dev_{letter}", f"heldout_{letter}"):
        for r in corpora[name]:
            runs.setdefault(r["run"], []).append((name, r))
    assert len(runs) >= MIN_RUNS[letter]
    for run, lines in runs.items():
        assert len({r["source"] for _, r in lines}) == 1 and len({name for name, _ in lines}) == 1, run
        numbers = [r["line"] for _, r in lines]
        assert numbers == sorted(set(numbers)), run


@pytest.mark.parametrize("letter", CORPORA)
def test_ids_are_unique_and_in_collection_order(corpora, letter):
    ids = [r["id"] for r in corpora[f"dev_{letter}"] + corpora[f"heldout_{letter}"]]
    assert sorted(ids) == [f"{letter}{i:04d}" for i in range(1, len(ids) + 1)]
    for name in (f"dev_{letter}", f"heldout_{letter}"):
        assert [r["id"] for r in corpora[name]] == sorted(r["id"] for r in corpora[name])


@pytest.mark.parametrize("letter", CORPORA)
def test_no_passage_repeats_or_contains_a_passage_of_another_file(corpora, letter):
    assert_no_overlap(corpora, (f"dev_{letter}", f"heldout_{letter}"))


@pytest.mark.parametrize("letter", CORPORA)
def test_each_record_sits_in_the_half_the_split_rule_gives(corpora, letter):
    sites = older_sites(letter, corpora)
    for name in (f"dev_{letter}", f"heldout_{letter}"):
        for r in corpora[name]:
            assert half_for(letter, r["source"], corpora, sites) == name, (r["id"], site_group(r["source"]))
