"""Experiment (not shipped): does a stronger learner, trained on every development set, move the linter's frontier?

    python3 -m venv /tmp/skv && /tmp/skv/bin/pip install scikit-learn==1.5.2
    SKLEARN_SITE=/tmp/skv/lib/python3.11/site-packages .venv/bin/python bench/lint_learner_frontier.py

The shipped scorer (`lint.scorer`) is a logistic regression over the 2,000 heaviest character 1- to 3-grams of a
sentence, trained in pure Python (policies/lint_scorer_train.py). This asks whether its size or its learner is what
holds the linter back: scikit-learn's logistic regression over TF-IDF character 1- to 4-grams, every n-gram seen in two
passages or more (about ten times as many features), classes balanced, each passage whole, **leave-one-set-out** over
every development set (tests.lint.real_corpus.DEVELOPMENT; trained on nineteen, scoring the twentieth, pooled). Two
models:

- `ngram`: the n-grams alone, and the same ANDed with the shipped linter's flag (the model as a veto of every finding);
- `stack`: the n-grams plus one feature per rule of the shipped pack that finds something in the passage (the
  rules' and the scorer's own findings as evidence beside the words).

Each is printed at several probability thresholds by (passage, flag), all labels and the labels an officer is sure of,
with the quotations flagged, next to the shipped linter on the same passages in the same run. The held-out sets are
never read. scikit-learn is not a dependency of the guard: the script reads it from `SKLEARN_SITE` (a scratch
virtualenv of the same Python) and exits 2 naming it when it is missing.

Note that the shipped linter is in-sample on these sets (its rules were tuned on them, its scorer trained on them),
while each model here is scored on a set it never saw: a model that only matched the shipped figures would be doing
better than they say, one far below them is not the way forward. Result: README, item 61.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policies.lint_docs import shipped_pack  # noqa: E402
from tests.lint.real_corpus import DEVELOPMENT, load, phrase_findings  # noqa: E402

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def learner():
    """scikit-learn's pieces, from SKLEARN_SITE; exit 2 with the way to get them when they are missing."""
    site = os.environ.get("SKLEARN_SITE")
    if site:
        sys.path.append(site)
    try:
        import numpy as np
        from scipy.sparse import csr_matrix, hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError as e:
        print(f"needs scikit-learn ({e}): set SKLEARN_SITE to the site-packages of a scratch virtualenv of this "
              "Python holding scikit-learn==1.5.2 (see the docstring)", file=sys.stderr)
        sys.exit(2)
    return np, csr_matrix, hstack, TfidfVectorizer, LogisticRegression


def main() -> None:
    np, csr_matrix, hstack, TfidfVectorizer, LogisticRegression = learner()
    pack = shipped_pack("cn-bank")
    items, found = [], []
    for name in DEVELOPMENT:
        for item in load(name):
            items.append((name, item))
            found.append(sorted({f.rule for f in phrase_findings(item.text, item.product_type, pack)}))
    y = np.array([item.label == "flag" for _, item in items])
    sure = np.array([item.certainty == "clear" for _, item in items])
    quote = np.array([item.label == "quote" for _, item in items])
    shipped = np.array([bool(rules) for rules in found])
    rule_ids = sorted({r for rules in found for r in rules})
    ruled = np.array([[r in rules for r in rule_ids] for rules in found], dtype=float)
    texts = [item.text for _, item in items]
    everyone = np.ones(len(y), dtype=bool)

    def figures(pred, mask) -> str:
        tp, fp, fn = int((pred & y & mask).sum()), int((pred & ~y & mask).sum()), int((~pred & y & mask).sum())
        return (f"P {tp / max(tp + fp, 1):.3f} R {tp / max(tp + fn, 1):.3f} (tp {tp} fp {fp} fn {fn}) "
                f"quotes flagged {int((pred & quote & mask).sum())}/{int((quote & mask).sum())}")

    print(f"{len(items)} development passages in {len(DEVELOPMENT)} sets, leave-one-set-out")
    print(f"shipped linter (in-sample)   all: {figures(shipped, everyone)}")
    print(f"                             sure: {figures(shipped, sure)}")
    for model in ("ngram", "stack"):
        probs = np.zeros(len(y))
        for held in DEVELOPMENT:
            test = np.array([name == held for name, _ in items])
            vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 4), min_df=2, sublinear_tf=True)
            x_train = vec.fit_transform([t for t, m in zip(texts, test) if not m])
            x_test = vec.transform([t for t, m in zip(texts, test) if m])
            if model == "stack":
                x_train = hstack([x_train, csr_matrix(ruled[~test] * 3)]).tocsr()
                x_test = hstack([x_test, csr_matrix(ruled[test] * 3)]).tocsr()
            fitted = LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced").fit(x_train, y[~test])
            probs[test] = fitted.predict_proba(x_test)[:, 1]
        for level in THRESHOLDS:
            pred = probs > level
            print(f"{model} > {level:.1f}  all: {figures(pred, everyone)}  sure: {figures(pred, sure)}")
            if model == "ngram":
                print(f"  AND shipped  all: {figures(pred & shipped, everyone)}  sure: {figures(pred & shipped, sure)}")


if __name__ == "__main__":
    main()
