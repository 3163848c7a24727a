"""Experiment (not shipped): can a model trained on the rules' hits veto the hits that sit in reports?

    .venv/bin/python bench/lint_veto.py [--sets trainer|all]

For every passage of the scorer's training sets (`--sets trainer`, the default: policies/lint_scorer_train.SETS) or of
every development set (`--sets all`: tests.lint.real_corpus.DEVELOPMENT; the held-out sets are never read), the
shipped cn-bank pack lints it twice: with its context logic (negation, quotations, sentence frames) as
shipped, and with `lint: {negation: false}`, which gives every raw hit of a phrase rule. The sentence of
each raw hit becomes one training example of the scorer's model (policies/lint_scorer_train.py: logistic
regression over character 1- to 3-grams, the heaviest 2,000 kept), labelled 1 when its passage is one an
officer flags. Leave-one-set-out: trained on all development sets but one, the model scores the sentence of
each rule finding the shipped linter makes on the one left out; a finding scoring below the veto level is dropped.
Prints precision, recall and F1 by (passage, flag), learned-scorer findings included, pooled over the
sets, for each veto level (-99: no veto), with the quotations flagged; then the same on the labels the officer is sure
of, with and without the scorer's findings. The rules and the shipped scorer are in-sample on these sets; the veto
model never is. Result (README, "The learned scorer", and item 59 for `--sets all`): not adopted.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from guard.core.lint import Linter  # noqa: E402
from guard.core.lint_scorer import SCORER_RULE, sentence_spans  # noqa: E402
from guard.core.text import normalize, segment  # noqa: E402
from policies.lint_docs import shipped_pack  # noqa: E402
from policies.lint_scorer_train import SETS, Model, _select_and_fit, vector  # noqa: E402
from tests.lint.real_corpus import DEVELOPMENT, PHRASE_CODES, load  # noqa: E402

LEVELS = (-99.0, -3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0)


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
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", choices=("trainer", "all"), default="trainer")
    sets = tuple(SETS) if ap.parse_args().sets == "trainer" else tuple(DEVELOPMENT)
    pack = shipped_pack("cn-bank")
    shipped, raw = Linter(pack), Linter(dataclasses.replace(pack, lint_negation=False))
    data = {}
    for name in sets:
        rows = []
        for item in load(name):
            found = [f for f in shipped.lint(item.text, item.product_type).findings if f.code in PHRASE_CODES]
            hits = [f for f in raw.lint(item.text, item.product_type).findings if f.code in PHRASE_CODES and f.rule != SCORER_RULE]
            rows.append((item, {sentence_of(item.text, f.start, f.end) for f in hits},
                         [sentence_of(item.text, f.start, f.end) for f in found if f.rule != SCORER_RULE],
                         any(f.rule == SCORER_RULE for f in found)))
        data[name] = rows
    print(f"development passages with a raw rule hit: {sum(1 for n in sets for _, s, _, _ in data[n] if s)} "
          f"of {sum(len(data[n]) for n in sets)} ({len(sets)} sets)")
    # per level and way of counting: [tp, fp, fn, quotes flagged, quotes]
    ways = ("all labels", "sure labels", "sure labels, rules alone")
    counts = {(level, way): [0, 0, 0, 0, 0] for level in LEVELS for way in ways}
    for held in sets:
        xs, ys = [], []
        for name in sets:
            if name != held:
                for item, sentences, _, _ in data[name]:
                    for s in sentences:
                        xs.append(vector(s))
                        ys.append(1.0 if item.label == "flag" else 0.0)
        model: Model = _select_and_fit(xs, ys)
        for item, _, found, scored in data[held]:
            scores = [model.score(vector(s)) for s in found]
            for level in LEVELS:
                ruled = any(x >= level for x in scores)
                for way in ways:
                    if way != "all labels" and item.certainty != "clear":
                        continue
                    flagged = ruled or (scored and way != "sure labels, rules alone")
                    c = counts[(level, way)]
                    if item.label == "flag":
                        c[0 if flagged else 2] += 1
                    elif flagged:
                        c[1] += 1
                    if item.label == "quote":
                        c[3] += flagged
                        c[4] += 1
    for way in ways:
        print(f"{way}:")
        for level in LEVELS:
            tp, fp, fn, quoted, quotes = counts[(level, way)]
            p, r = tp / (tp + fp), tp / (tp + fn)
            print(f"  veto below {level:6.2f}: precision {p:.3f} recall {r:.3f} F1 {2 * p * r / (p + r):.3f}  "
                  f"(tp {tp} fp {fp} fn {fn})  quotes flagged {quoted}/{quotes}")


if __name__ == "__main__":
    main()
