"""How much the learned scorer moves when its training data moves a little, against the naive trainer.

    .venv/bin/python bench/lint_scorer_stability.py [--trials 3] [--drop 3]

Trains the scorer on every development set (policies/lint_scorer_train.py, `train`), then `--trials`
times on the same data less `--drop` passages drawn at random (seeded), and compares each model's
scores of every development sentence (less its bias) with the full model's: the mean absolute
difference, and how many sentences change side of the threshold (the bias: margin 0). Two trainers in
the same run: the shipped one (each epoch visits the examples in an order keyed by their content) and
the naive one it replaced (each epoch a seeded shuffle of the examples' positions, so that one example
more or less reorders all the others). Takes about a minute and a half per trainer.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import policies.lint_scorer_train as training  # noqa: E402
from tests.lint.real_corpus import load  # noqa: E402


SHIPPED_FIT = training.fit  # `measure` swaps training.fit; the shuffled trainer calls the shipped one with its order


def shuffled_fit(xs: list, ys: list[float], l2: float) -> training.Model:
    """The trainer before: the same AdaGrad, each epoch a seeded shuffle of the examples' positions."""
    order = list(range(len(xs)))
    rnd = random.Random(17)

    def orders(epoch: int) -> list[int]:
        rnd.shuffle(order)
        return order

    return SHIPPED_FIT(xs, ys, l2, orders)


def measure(label: str, fit, items: list, negatives: list[str], probe: list[dict], trials: int, drop: int) -> None:
    training.fit = fit
    try:
        started = time.perf_counter()
        full = training.train(items, negatives)
        base = [full.score(x) - full.bias for x in probe]
        diffs, flips, biases = [], [], []
        for trial in range(trials):
            left_out = set(random.Random(trial).sample(range(len(items)), drop))
            model = training.train([it for k, it in enumerate(items) if k not in left_out], negatives)
            scores = [model.score(x) - model.bias for x in probe]
            diffs.append(statistics.mean(abs(a - c) for a, c in zip(base, scores)))
            flips.append(sum((a > 0) != (c > 0) for a, c in zip(base, scores)))
            biases.append(abs(full.bias - model.bias))
    finally:
        training.fit = SHIPPED_FIT
    print(f"{label:<28} mean |score change| {' '.join(f'{d:.3f}' for d in diffs):<20} "
          f"sentences changing side {' '.join(map(str, flips)):<12} |bias change| {' '.join(f'{b:.3f}' for b in biases):<20} "
          f"({time.perf_counter() - started:.0f} s)")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--drop", type=int, default=3, help="passages left out in each trial")
    args = parser.parse_args()
    items = [i for name in training.SETS for i in load(name)]
    negatives, _ = training.ordinary_text()
    probe = [training.vector(s) for i in items for s in training.sentences(i.text)]
    print(f"{len(items)} development passages, {len(probe)} sentences scored; each trial leaves out {args.drop} passages")
    measure("shipped (content-keyed order)", SHIPPED_FIT, items, negatives, probe, args.trials, args.drop)
    measure("naive (seeded shuffle)", shuffled_fit, items, negatives, probe, args.trials, args.drop)


if __name__ == "__main__":
    main()
