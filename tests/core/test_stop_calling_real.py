"""The stop-calling detector measured on real customers' words (tests/data/stop_calling/): recall and precision on the
development half and on the held-out half, which is never used to write or tune the detector (README there)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guard.core.text import asks_to_stop_calling

DATA = Path(__file__).resolve().parents[1] / "data" / "stop_calling"

# Floors a little under the figures of 2026-12-07 (README, "Stop-calling requests"): dev recall 39/40, precision 39/42;
# held-out recall 40/61, precision 40/42. A missed stop request is a call to someone who refused, so recall comes first.
FLOORS = {"dev": (0.95, 0.90), "heldout": (0.60, 0.90)}


def load(name: str) -> list[dict]:
    """The records of one half (dev or heldout), each with text, source, label (stop | keep), family and note."""
    return [json.loads(line) for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def figures(rows: list[dict]) -> dict:
    tp = fp = fn = 0
    for r in rows:
        got, want = asks_to_stop_calling(r["text"]), r["label"] == "stop"
        tp += got and want
        fp += got and not want
        fn += want and not got
    return {"n": len(rows), "tp": tp, "fp": fp, "fn": fn,
            "recall": tp / (tp + fn) if tp + fn else 1.0, "precision": tp / (tp + fp) if tp + fp else 1.0}


def test_the_corpus_is_real_sourced_labelled_and_split_by_source():
    dev, held = load("dev"), load("heldout")
    rows = dev + held
    assert len(rows) >= 200
    assert all(r["source"].startswith("http") and r["label"] in ("stop", "keep") and r["text"].strip() for r in rows)
    assert len({r["id"] for r in rows}) == len(rows)
    # split by source, not by line: no page gives lines to both halves
    assert not {r["source"] for r in dev} & {r["source"] for r in held}
    assert 0.35 <= len(held) / len(rows) <= 0.45
    for half in (dev, held):
        assert {r["label"] for r in half} == {"stop", "keep"}


@pytest.mark.parametrize("name", ["dev", pytest.param("heldout", marks=pytest.mark.heldout)])
def test_the_detector_holds_its_floors_on_real_text(name):
    got = figures(load(name))
    print(f"{name}: {got}")
    recall_floor, precision_floor = FLOORS[name]
    assert got["recall"] >= recall_floor, got
    assert got["precision"] >= precision_floor, got
