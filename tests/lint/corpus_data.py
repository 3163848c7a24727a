"""The labelled script corpus (tests/lint/corpus/*.yaml) and its scoring against the linter.

Each file holds a list of items `{id, type, text, expect}`; the file name is the item's kind
(clean, violations, disclosures, evasions, traditional, negated, near_miss). `expect` lists the
findings the linter should give, each `[code, rule, matched]` or `[code, rule, matched, n]` (the
n-th occurrence, from 0, of `matched` in the text), or `[MISSING_DISCLOSURE, rule]`. A finding
matches a label when code, rule and span (start, end in the original text) agree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from guard.core.lint import FINDING_CODES, Finding, Linter
from guard.core.pack import PRODUCT_TYPES

CORPUS = Path(__file__).resolve().parent / "corpus"
KINDS = ("clean", "violations", "disclosures", "evasions", "traditional", "negated", "near_miss")


@dataclass(frozen=True)
class Label:
    code: str
    rule: str
    start: int
    end: int
    matched: str


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    type: str
    text: str
    labels: tuple[Label, ...]


def _label(item_id: str, text: str, raw: list) -> Label:
    code, rule, *rest = raw
    if code == "MISSING_DISCLOSURE":
        assert not rest, f"{item_id}: a missing disclosure has no matched text"
        return Label(code, rule, 0, 0, "")
    matched = rest[0]
    nth = rest[1] if len(rest) > 1 else 0
    at = -1
    for _ in range(nth + 1):
        at = text.find(matched, at + 1)
        assert at != -1, f"{item_id}: {matched!r} (occurrence {nth}) is not in the text"
    return Label(code, rule, at, at + len(matched), matched)


@lru_cache(maxsize=1)
def load_corpus() -> tuple[Item, ...]:
    items, seen = [], set()
    for kind in KINDS:
        for raw in yaml.safe_load((CORPUS / f"{kind}.yaml").read_text(encoding="utf-8")):
            assert raw["id"] not in seen, f"duplicate corpus id {raw['id']}"
            seen.add(raw["id"])
            assert raw["type"] in PRODUCT_TYPES, raw["id"]
            labels = tuple(_label(raw["id"], raw["text"], e) for e in raw.get("expect") or [])
            for label in labels:
                assert label.code in FINDING_CODES, (raw["id"], label.code)
            items.append(Item(raw["id"], kind, raw["type"], raw["text"], labels))
    return tuple(items)


def _key(x: Finding | Label) -> tuple[str, str, int, int]:
    return (x.code, x.rule, x.start, x.end)


@dataclass
class Score:
    tp: Counter
    fp: Counter
    fn: Counter
    mismatches: list[tuple[str, str, tuple]]  # (item id, "FP"|"FN", key)

    def precision(self, code: str) -> float:
        found = self.tp[code] + self.fp[code]
        return self.tp[code] / found if found else 1.0

    def recall(self, code: str) -> float:
        expected = self.tp[code] + self.fn[code]
        return self.tp[code] / expected if expected else 1.0

    def table(self) -> str:
        rows = [f"{'code':<20} {'labels':>6} {'found':>6} {'TP':>5} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7}"]
        for code in FINDING_CODES + ("ALL",):
            tp, fp, fn = (sum(c.values()) if code == "ALL" else c[code] for c in (self.tp, self.fp, self.fn))
            p = tp / (tp + fp) if tp + fp else 1.0
            r = tp / (tp + fn) if tp + fn else 1.0
            rows.append(f"{code:<20} {tp + fn:>6} {tp + fp:>6} {tp:>5} {fp:>4} {fn:>4} {p:>9.3f} {r:>7.3f}")
        return "\n".join(rows)


def score(linter: Linter, items: tuple[Item, ...]) -> Score:
    tp, fp, fn, mismatches = Counter(), Counter(), Counter(), []
    for item in items:
        # a merged finding counts for every rule on its words, each with its own span
        found = {(r.code, r.rule, r.start, r.end) if r.code else _key(f)
                 for f in linter.lint(item.text, item.type).findings for r in (f.rules or (f,))}
        expected = {_key(label) for label in item.labels}
        for key in found & expected:
            tp[key[0]] += 1
        for key in sorted(found - expected):
            fp[key[0]] += 1
            mismatches.append((item.id, "FP", key))
        for key in sorted(expected - found):
            fn[key[0]] += 1
            mismatches.append((item.id, "FN", key))
    return Score(tp, fp, fn, mismatches)
