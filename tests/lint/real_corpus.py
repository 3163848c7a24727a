"""Scoring the script linter on real published text (tests/lint/real/, see its README).

    .venv/bin/python -m tests.lint.real_corpus [dev|heldout] [--misses]

By (passage, flag): a passage is flagged when the linter reports any phrase finding on it
(BANNED_PHRASE, MISLEADING or PRESSURE, any severity; missing disclosures do not count, a passage
is not a whole script). An officer's `flag` is a positive; `clean` and `quote` (a rule quoted to
forbid it, a report of what was said) are negatives. Precision = flagged positives / flagged,
recall = flagged positives / positives. `--misses` lists the passages judged wrongly: use it on
the development half only — the held-out half is for reporting figures, never for tuning.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REAL = Path(__file__).parent / "real"
PHRASE_CODES = ("BANNED_PHRASE", "MISLEADING", "PRESSURE")


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    source: str
    region: str
    script: str
    product_type: str | None
    label: str
    codes: tuple[str, ...]
    family: str
    note: str


def load(half: str) -> list[Item]:
    items = []
    with (REAL / f"{half}.jsonl").open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            items.append(Item(d["id"], d["text"], d["source"], d["region"], d["script"], d["product_type"], d["label"],
                              tuple(d["codes"]), d["family"], d["note"]))
    return items


def phrase_findings(text: str, product_type: str | None, pack) -> list:
    """The phrase findings of a passage: under its product type when the officer knew it, else under every rule."""
    from guard.core.lint import lint

    return [f for f in lint(text, product_type, pack).findings if f.code in PHRASE_CODES]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    quoted_flagged: int = 0  # `quote` passages with a finding (must be 0)
    quotes: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score(items: list[Item], pack) -> tuple[Score, dict[str, Score], list[tuple[Item, list]]]:
    """The overall score, the score per region, and the passages judged wrongly (with their findings)."""
    total, by_region, wrong = Score(), {}, []
    for item in items:
        found = phrase_findings(item.text, item.product_type, pack)
        flagged, positive = bool(found), item.label == "flag"
        for s in (total, by_region.setdefault(item.region, Score())):
            if positive:
                s.tp, s.fn = s.tp + flagged, s.fn + (not flagged)
            else:
                s.fp, s.tn = s.fp + flagged, s.tn + (not flagged)
            if item.label == "quote":
                s.quotes += 1
                s.quoted_flagged += flagged
        if flagged != positive:
            wrong.append((item, found))
    return total, by_region, wrong


def main(argv: list[str]) -> int:
    from policies.lint_docs import shipped_pack

    half = argv[0] if argv and not argv[0].startswith("-") else "dev"
    pack = shipped_pack()
    items = load(half)
    total, by_region, wrong = score(items, pack)
    print(f"{half}: {len(items)} passages ({Counter(i.label for i in items)})")
    print(f"  precision {total.precision:.3f}  recall {total.recall:.3f}  (tp {total.tp} fp {total.fp} fn {total.fn} tn {total.tn})"
          f"  quotes flagged {total.quoted_flagged}/{total.quotes}")
    for region, s in sorted(by_region.items()):
        print(f"  {region:9s} precision {s.precision:.3f}  recall {s.recall:.3f}  (tp {s.tp} fp {s.fp} fn {s.fn})")
    if "--misses" in argv:
        if half != "dev":
            print("refused: list misses of the development half only (the held-out half is never used for tuning)")
            return 2
        for item, found in wrong:
            kind = "FN" if item.label == "flag" else "FP"
            print(f"{kind} {item.id} [{item.label}/{item.family}] {item.text!r}")
            for f in found:
                print(f"     {f.code} {f.rule} {f.matched!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
