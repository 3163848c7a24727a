"""Experiment (not shipped): can a model trained on the rules' hits veto the hits that sit in reports?

    .venv/bin/python bench/lint_veto.py

For every development passage (tests/lint/real/dev*.jsonl; the held-out sets are never read), the
shipped cn-bank pack lints it twice: with its context logic (negation, quotations, sentence frames) as
shipped, and with `lint: {negation: false}`, which gives every raw hit of a phrase rule. The sentence of
each raw hit becomes one training example of the scorer's model (policies/lint_scorer_train.py: logistic
regression over character 1- to 3-grams, the heaviest 2,000 kept), labelled 1 when its passage is one an
officer flags. Leave-one-set-out: trained on all development sets but one, the model scores the sentence of
each rule finding the shipped linter makes on the one left out; a finding scoring below the veto level is dropped.
Prints precision, recall and F1 by (passage, flag), learned-scorer findings included, pooled over the
sets, for each veto level (-99: no veto). The rules and the shipped scorer are in-sample on these sets;
the veto model never is. Result (README, "The learned scorer"): not adopted.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from guard.core.lint import Linter  # noqa: E402
from guard.core.lint_scorer import SCORER_RULE, sentence_spans  # noqa: E402
from guard.core.text import normalize, segment  # noqa: E402
from policies.lint_docs import shipped_pack  # noqa: E402
from policies.lint_scorer_train import SETS, Model, _select_and_fit, vector  # noqa: E402
from tests.lint.real_corpus import PHRASE_CODES, load  # noqa: E402

LEVELS = (-99.0, -3.0, -2.0, -1.5, -1.0, -0.5, 0.0)


def sentence_of(text: str, start: int, end: int) -> str:
    """The normalised sentence of `text` holding the original span [start, end), cut as the linter cuts
    its text (guard.core.text.segment, the scorer's sentence_spans)."""
    n = normalize(text)
    for a, b in sentence_spans(n, segment(n, clauses=False)):
        s, e = n.span(a, b)
        if s <= start < e:
            return n.text[a:b]
    return n.text
def main() -> None:
    pack = shipped_pack("cn-bank")
    shipped, raw = Linter(pack), Linter(dataclasses.replace(pack, lint_negation=False))
    data = {}
    for name in SETS:
        rows = []
        for item in load(name):
            found = [f for f in shipped.lint(item.text, item.product_type).findings if f.code in PHRASE_CODES]
            hits = [f for f in raw.lint(item.text, item.product_type).findings if f.code in PHRASE_CODES and f.rule != SCORER_RULE]
            rows.append((item, {sentence_of(item.text, f.start, f.end) for f in hits},
                         [sentence_of(item.text, f.start, f.end) for f in found if f.rule != SCORER_RULE],
                         any(f.rule == SCORER_RULE for f in found)))
        data[name] = rows
    print(f"development passages with a raw rule hit: {sum(1 for n in SETS for _, s, _, _ in data[n] if s)} "
          f"of {sum(len(data[n]) for n in SETS)}")
    counts = {level: [0, 0, 0] for level in LEVELS}  # tp, fp, fn
    for held in SETS:
        xs, ys = [], []
        for name in SETS:
            if name != held:
                for item, sentences, _, _ in data[name]:
                    for s in sentences:
                        xs.append(vector(s))
                        ys.append(1.0 if item.label == "flag" else 0.0)
        model: Model = _select_and_fit(xs, ys)
        for item, _, found, scored in data[held]:
            scores = [model.score(vector(s)) for s in found]
            for level, c in counts.items():
                flagged = scored or any(x >= level for x in scores)
                if item.label == "flag":
                    c[0 if flagged else 2] += 1
                elif flagged:
                    c[1] += 1
    for level, (tp, fp, fn) in counts.items():
        p, r = tp / (tp + fp), tp / (tp + fn)
        print(f"veto below {level:6.2f}: precision {p:.3f} recall {r:.3f} F1 {2 * p * r / (p + r):.3f}  (tp {tp} fp {fp} fn {fn})")


if __name__ == "__main__":
    main()
