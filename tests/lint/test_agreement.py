"""The second officer's labels of 300 development passages (tests/lint/real/agreement/) and the figures made of them."""

from __future__ import annotations

import json
import random

import pytest

from tests.lint.agreement import LABELS, SECOND_HELDOUT, kappa, load_pairs, precision_recall, report
from tests.lint.real_corpus import load

# The sets and the seed the sample was drawn with (tests/lint/real/agreement/README.md)
SAMPLED_FROM = ("dev", "dev_b", "dev_c", "dev_d", "dev_e", "dev_f", "dev_g", "dev_h", "dev_i", "dev_j", "dev_k", "dev_l",
                "dev_m", "dev_n", "dev_p", "dev_q", "dev_r", "dev_s")
SEED, SIZE = 20261205, 300
HELD_OUT_FROM = ("heldout", "heldout_b", "heldout_c", "heldout_d", "heldout_e", "heldout_f", "heldout_g", "heldout_h",
                 "heldout_i", "heldout_j", "heldout_k", "heldout_l", "heldout_m", "heldout_n", "heldout_o", "heldout_p",
                 "heldout_q", "heldout_r", "heldout_s")
HELD_OUT_SEED = 20261206


@pytest.fixture(scope="module")
def pairs():
    return load_pairs()


def test_the_labels_are_of_the_sample_the_readme_describes(pairs):
    """300 single passages of the development sets, drawn with random.sample under the seed written down, in order."""
    population = [(s, i.id) for s in SAMPLED_FROM for i in load(s) if not i.run]
    assert [(p.set, p.item.id) for p in pairs] == random.Random(SEED).sample(population, SIZE)
    assert {p.second for p in pairs} == set(LABELS) == {p.item.label for p in pairs}


def test_the_held_out_labels_are_of_their_sample_and_give_no_linter_figure():
    """The held-out sample is drawn the same way from the held-out sets (its own seed); its report holds the officers
    against each other only: the linter is not scored on held-out passages for this."""
    pairs = load_pairs(SECOND_HELDOUT, held_out=True)
    population = [(s, i.id) for s in HELD_OUT_FROM for i in load(s) if not i.run]
    assert [(p.set, p.item.id) for p in pairs] == random.Random(HELD_OUT_SEED).sample(population, SIZE)
    lines = report(pairs, kind="held-out")
    assert lines[0] == "300 held-out passages labelled by two officers" and not any("linter" in x for x in lines)
    with pytest.raises(ValueError, match="not a held-out set"):
        load_pairs(held_out=True)  # the development labels are not taken as held-out ones, nor these as development ones
    with pytest.raises(ValueError, match="not a development set"):
        load_pairs(SECOND_HELDOUT)


def test_kappa_is_cohens():
    """The textbook case: 50 items, both yes 20, both no 15, yes/no 5, no/yes 10 — agreement 0.7, chance 0.5."""
    first = ["yes"] * 25 + ["no"] * 25
    second = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    observed, k = kappa(first, second)
    assert observed == pytest.approx(0.7) and k == pytest.approx(0.4)
    assert kappa(first, first)[1] == pytest.approx(1.0)


def test_precision_and_recall_count_by_passage():
    assert precision_recall([True, True, False, False], [True, False, True, False]) == (0.5, 0.5)
    assert precision_recall([False, False], [False, True]) == (1.0, 0.0)


@pytest.mark.parametrize("row,refused", [
    ({"set": "heldout_s", "id": "s0001", "label": "flag", "codes": ["MISLEADING"]}, "not a development set"),
    ({"set": "dev_s", "id": "s0003", "label": "clean", "codes": ["MISLEADING"]}, "s0003"),
    ({"set": "dev_s", "id": "s0003", "label": "flag", "codes": []}, "s0003"),
    ({"set": "dev_s", "id": "nope", "label": "clean", "codes": []}, "nope"),
    ({"set": "dev_s", "id": "s0003", "label": "maybe", "codes": []}, "maybe"),
])
def test_a_malformed_label_is_refused_with_its_line(tmp_path, row, refused):
    path = tmp_path / "second.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=refused):
        load_pairs(path)


def test_the_report_holds_each_officer_against_the_other_and_the_linter_against_both(pairs):
    from policies.lint_docs import shipped_pack

    lines = report(pairs, shipped_pack())
    assert lines[0] == "300 development passages labelled by two officers"
    named = [line.split(" P ")[0].strip() for line in lines if " P " in line]
    both = [p for p in pairs if (p.item.label == "flag") == (p.second == "flag")]
    assert named == ["second officer, by the first's labels", "first officer, by the second's labels",
                     "second officer, by the first's clear labels", "second officer, by the first's doubtful labels",
                     "linter, by the first officer (in-sample)", "linter, by the second officer",
                     f"linter, on the {len(both)} both agree on",
                     f"linter, on the {sum(p.item.certainty == 'clear' for p in both)} of those the first calls clear"]


@pytest.mark.parametrize("sample", ["dev", "heldout"])
def test_on_the_labels_the_first_officer_is_sure_of_the_second_meets_the_targets(sample):
    """README item 47: split by the first officer's certainty (a note saying doubtful marks a borderline label), the
    second officer, scored by the first, reaches the held-out targets (P >= 0.95, R >= 0.90) on the clear labels of
    both samples and falls well short on the doubtful ones; the report's lines say so, and the split covers the sample."""
    pairs = load_pairs() if sample == "dev" else load_pairs(SECOND_HELDOUT, held_out=True)
    lines = report(pairs, kind=sample)
    sizes = {}
    for certainty in ("clear", "doubtful"):
        of = [p for p in pairs if p.item.certainty == certainty]
        sizes[certainty] = len(of)
        p, r = precision_recall([x.second == "flag" for x in of], [x.item.label == "flag" for x in of])
        row = next(x for x in lines if x.strip().startswith(f"second officer, by the first's {certainty} labels"))
        assert f"P {p:.3f}" in row and f"R {r:.3f}" in row
        observed, k = kappa([x.item.label == "flag" for x in of], [x.second == "flag" for x in of])
        assert f"the first officer's {certainty} labels ({len(of)}): flag or not agreement {observed:.3f}" in "\n".join(lines)
        if certainty == "clear":
            assert p >= 0.95 and r >= 0.90 and observed > 0.97
        else:
            assert r < 0.75 and observed < 0.85
    assert sizes["clear"] + sizes["doubtful"] == 300 and sizes["doubtful"] > 50


def test_certainty_is_read_off_the_officers_note():
    from tests.lint.real_corpus import Item

    def item(note):
        return Item("x1", "保本保息", "https://example.org/", "mainland", "simplified", None, "flag", ("BANNED_PHRASE",),
                    "", note)

    assert item("pitch quoted in a penalty notice").certainty == "clear"
    assert item("Doubtful: hedged with 可能").certainty == "doubtful"
    assert item("seller's words; doubtful (mild)").certainty == "doubtful"
    assert item("").certainty == "clear"


def test_the_disputed_passages_are_listed_for_the_development_sample_only(pairs, capsys):
    from tests.lint.agreement import main

    assert main(["--disputed"]) == 0
    listed = [line for line in capsys.readouterr().out.splitlines() if not line.startswith("    ")]
    assert len(listed) == sum(p.item.label != p.second for p in pairs) == 27
    assert all(line.startswith("dev") and " first " in line and " second " in line for line in listed)
    assert main(["heldout", "--disputed"]) == 2 and "not read" in capsys.readouterr().err
    assert main(["heldout"]) == 0 and "linter" not in capsys.readouterr().out
