"""Experiment: would a learned scorer beside the rules generalise better on real text? (issue 17's next step)

    .venv/bin/python bench/lint_learned.py

Trains a naive Bayes scorer on character 2- and 3-grams of the normalised text (presence counts,
add-one smoothing, pure Python) on every development set of tests/lint/real/ (dev, dev_b, dev_c,
dev_d), picks its threshold by 5-fold cross-validation on those sets only (the best accuracy), and
scores the pooled held-out sets (heldout, heldout_b, heldout_c, heldout_d), never read for tuning:
the shipped rules alone (the baseline, as tests/lint/real_corpus.py scores them), the learned scorer
alone, and the two combined (either flags; both flag). By (passage, flag), as real_corpus.py.
Nothing here is shipped: the linter stays the rules.
"""

from __future__ import annotations

import math
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guard.core.text import normalize  # noqa: E402
from policies.lint_docs import shipped_pack  # noqa: E402
from tests.lint.real_corpus import load, phrase_findings  # noqa: E402


def grams(text: str, sizes: tuple[int, ...] = (2, 3)) -> set[str]:
    """The character n-grams of the normalised text (full-width folded, traditional to simplified)."""
    norm = normalize(text).text
    return {norm[i:i + k] for k in sizes for i in range(len(norm) - k + 1)}


class NaiveBayes:
    """flag vs not flag from n-gram presence, add-one smoothing; `score` is the log-odds of flag."""

    def fit(self, items: list) -> "NaiveBayes":
        self.counts: dict[bool, Counter] = {True: Counter(), False: Counter()}
        self.docs: Counter = Counter()
        for item in items:
            flag = item.label == "flag"
            self.docs[flag] += 1
            self.counts[flag].update(grams(item.text))
        self.vocabulary = len(set(self.counts[True]) | set(self.counts[False]))
        self.totals = {flag: sum(self.counts[flag].values()) for flag in (True, False)}
        return self

    def score(self, text: str) -> float:
        log_odds = math.log(self.docs[True] / self.docs[False])
        for g in grams(text):
            log_odds += math.log((self.counts[True][g] + 1) / (self.totals[True] + self.vocabulary))
            log_odds -= math.log((self.counts[False][g] + 1) / (self.totals[False] + self.vocabulary))
        return log_odds


def figures(predicted: list[bool], items: list) -> str:
    tp = sum(1 for p, i in zip(predicted, items) if p and i.label == "flag")
    fp = sum(1 for p, i in zip(predicted, items) if p and i.label != "flag")
    fn = sum(1 for p, i in zip(predicted, items) if not p and i.label == "flag")
    quotes = sum(1 for p, i in zip(predicted, items) if p and i.label == "quote")
    return (f"precision {tp / max(1, tp + fp):.3f}  recall {tp / max(1, tp + fn):.3f}  "
            f"quotes flagged {quotes}/{sum(i.label == 'quote' for i in items)}")


def main() -> None:
    dev = load("dev+dev_b+dev_c+dev_d")
    held = load("heldout+heldout_b+heldout_c+heldout_d")
    # The threshold: 5-fold cross-validation on the development sets only.
    order = list(range(len(dev)))
    random.Random(1).shuffle(order)
    scores = [0.0] * len(dev)
    for fold in range(5):
        test = set(order[fold::5])
        model = NaiveBayes().fit([dev[i] for i in range(len(dev)) if i not in test])
        for i in test:
            scores[i] = model.score(dev[i].text)
    correct, threshold = max((sum((s > t) == (d.label == "flag") for s, d in zip(scores, dev)), t) for t in [x / 2 for x in range(-20, 21)])
    print(f"trained on {len(dev)} development passages; threshold {threshold} (cross-validated accuracy {correct / len(dev):.3f})")
    model = NaiveBayes().fit(dev)
    pack = shipped_pack()
    rules = [bool(phrase_findings(i.text, i.product_type, pack)) for i in held]
    learned = [model.score(i.text) > threshold for i in held]
    print(f"held-out sets pooled: {len(held)} passages")
    print(f"  rules (shipped)       {figures(rules, held)}")
    print(f"  learned scorer        {figures(learned, held)}")
    print(f"  rules or learned      {figures([a or b for a, b in zip(rules, learned)], held)}")
    print(f"  rules and learned     {figures([a and b for a, b in zip(rules, learned)], held)}")


if __name__ == "__main__":
    main()
