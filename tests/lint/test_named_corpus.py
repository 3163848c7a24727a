"""Corpus W (tests/lint/real/named/, plan-w.md): wordings the regulators' own texts name as misleading sales talk.

The labels are the sources', not ours: each record carries the passage of its source that names the wording and the
source's address. Split by source (plan-w.md); the head was scored once on each half (2026-12-05): a rule of the
shipped pack finds 32 of dev_w's 56 wordings and 22 of heldout_w's 50, alone and inside a seller's sentence. The floors
below are those figures.
"""

from __future__ import annotations

import json

import pytest

from tests.lint.named_corpus import CARRIER, COLLECTOR_TYPES, REAL, excerpts_flagged, found, half_of, load, main, score

HALVES = ("dev_w", "heldout_w")
FOUND = {"dev_w": (32, 56), "heldout_w": (22, 50)}
# the sources' own passages (a regulator naming a wording to warn of it: a quotation) with a phrase finding, as first scored
EXCERPTS_FLAGGED = {"dev_w": (2, 25), "heldout_w": (2, 22)}


def _records(half: str) -> list[dict]:
    return [json.loads(line) for line in (REAL / f"{half}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("half", HALVES)
def test_each_wording_stands_in_the_passage_of_its_source_that_names_it(half):
    records = _records(half)
    assert len({r["id"] for r in records}) == len(records)
    for r in records:
        assert r["wording"] and r["wording"] in r["excerpt"], r["id"]
        assert 30 <= len(r["excerpt"]) <= 300, r["id"]
        assert r["url"].startswith(("http://", "https://")), r["id"]
        assert r["region"] in ("mainland", "tw", "hk"), r["id"]
        assert r["product_type"] in (*COLLECTOR_TYPES, "unknown"), r["id"]


def test_the_halves_are_split_by_source_as_the_plan_fixed():
    ids = {half: {r["id"] for r in _records(half)} for half in HALVES}
    assert not ids["dev_w"] & ids["heldout_w"]
    for half in HALVES:
        for r in _records(half):
            assert half_of(r["url"] or r["source_title"]) == half, r["id"]
    sources = {half: {r["url"] for r in _records(half)} for half in HALVES}
    assert not sources["dev_w"] & sources["heldout_w"]


def test_a_wording_is_found_only_by_a_rule_covering_it(cn_pack):
    from guard.core.lint import compile_rules

    linter = compile_rules(cn_pack)
    at = CARRIER.index("{}")
    assert found(linter, CARRIER.format("保本保息"), "wealth", at, at + 4)
    assert not found(linter, CARRIER.format("稳健经营"), "wealth", at, at + 4)
    # a finding elsewhere in the sentence does not count for the wording
    assert not found(linter, "这款产品保本保息，稳健经营", "wealth", 9, 13)
    assert found(linter, "这款产品保本保息，稳健经营", "wealth", 4, 8)


@pytest.mark.parametrize("half", [pytest.param("dev_w"), pytest.param("heldout_w", marks=pytest.mark.heldout)])
def test_the_rules_find_the_regulator_named_wordings_they_found_when_scored(cn_pack, half):
    from guard.core.lint import compile_rules

    items = load(half)
    results = score(items, compile_rules(cn_pack))
    least, total = FOUND[half]
    assert len(items) == total
    for setting, hits in results.items():
        assert sum(hits) >= least, f"{half} {setting}: {sum(hits)}/{total} found, floor {least}"
    most, passages = EXCERPTS_FLAGGED[half]
    flagged, count = excerpts_flagged(items, compile_rules(cn_pack))
    assert count == passages and flagged <= most, f"{half}: {flagged}/{count} of the sources' passages flagged, at most {most}"


def test_misses_are_listed_for_the_development_half_only(capsys):
    assert main(["heldout_w", "--misses"]) == 2
    assert "development half only" in capsys.readouterr().err
