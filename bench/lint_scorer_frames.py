"""Experiment behind a shipped change: do the rules' sentence frames hold for the learned scorer's findings?

    .venv/bin/python bench/lint_scorer_frames.py

The rules give no finding in a sentence that is a report (法院认为…, 他说…), a question (是否保本？) or a
disclaimer (不保证本金和收益); until 2026-12-03 the learned scorer's findings were cleared only when
quoted or named to forbid. Leave-one-set-out over the development sets (tests/lint/real/dev*.jsonl; the
held-out sets are never read): the scorer is trained by the shipped procedure
(policies/lint_scorer_train.py) on every development set but one, its threshold the shipped margin over
its bias, and the linter (the shipped rules, in-sample on these sets, with that scorer) lints the set
left out; `dev_h` (real rules quoting a claim and disclaimers, never trained on) is scored with the
scorer trained on all of them. Three ways of clearing a scorer finding:

  before   quoted or named to forbid only
  all      also every sentence frame of the rules, a statute cited by its title (REGULATION_TITLE) too
  shipped  also every sentence frame of the rules but a statute's title

Prints, per way: precision, recall, false alarms and quotations flagged by (passage, flag), and the passages
on which the ways differ. Result (README "The learned scorer", item 17): shipped.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from guard.core.lint import Linter, _Clearers  # noqa: E402
from guard.core.lint_scorer import Scorer  # noqa: E402
from guard.core.text import segment  # noqa: E402
from policies.lint_docs import shipped_pack  # noqa: E402
from policies.lint_scorer_train import SETS, ordinary_text, train  # noqa: E402
from tests.lint.real_corpus import PHRASE_CODES, load  # noqa: E402


class Before(Linter):
    def _scorer_cleared(self, n, cl, frames, scored):  # type: ignore[override]
        return self._forbidden(cl, self._scored_at(n, scored))


class AllFrames(Linter):
    def _scorer_cleared(self, n, cl, frames, scored):  # type: ignore[override]
        every = _Clearers()
        self._sentence_frames(n, segment(n, clauses=False), every, titles=True)
        return super()._scorer_cleared(n, cl, every, scored)


WAYS = {"before": Before, "all": AllFrames, "shipped": Linter}


def tally(counts: list[int], item, flagged: bool) -> None:
    """Count one passage into [tp, fp, fn, quotations flagged] by (passage, flag)."""
    if item.label == "flag":
        counts[0 if flagged else 2] += 1
    elif flagged:
        counts[1] += 1
        counts[3] += item.label == "quote"


def report(counts: dict[str, list[int]], margin: float) -> None:
    """Print each way's precision, recall, counts and quotations flagged."""
    print(f"leave-one-set-out over {', '.join(SETS)} (+ dev_h scored by the scorer trained on all {len(SETS)}), margin {margin:.2f}:")
    for way, (tp, fp, fn, quotes) in counts.items():
        print(f"  {way:8} precision {tp / (tp + fp):.3f}  recall {tp / (tp + fn):.3f}  "
              f"(tp {tp} fp {fp} fn {fn})  quotations flagged {quotes}")


def main() -> None:
    pack = shipped_pack("cn-bank")
    margin = pack.lint_scorer.threshold - pack.lint_scorer.bias
    negatives, _ = ordinary_text()
    data = {name: load(name) for name in SETS}
    counts = {way: [0, 0, 0, 0] for way in WAYS}  # tp, fp, fn, quotations flagged
    flagged_by: dict[str, dict[str, bool]] = {}
    items_by_id = {}
    for held in (*SETS, "dev_h"):
        model = train([i for name in SETS if name != held for i in data[name]], negatives)
        scorer = Scorer(weights=model.weights, bias=model.bias, threshold=round(model.bias + margin, 4))
        scored_pack = dataclasses.replace(pack, lint_scorer=scorer)
        items = data[held] if held in data else load(held)
        for way, cls in WAYS.items():
            linter, c = cls(scored_pack), counts[way]
            for item in items:
                flagged = any(f.code in PHRASE_CODES for f in linter.lint(item.text, item.product_type).findings)
                flagged_by.setdefault(item.id, {})[way] = flagged
                items_by_id[item.id] = item
                tally(c, item, flagged)
        print(f"{held}: done", file=sys.stderr, flush=True)
    report(counts, margin)
    print("passages on which the ways differ:")
    for pid, by_way in flagged_by.items():
        if len(set(by_way.values())) > 1:
            item = items_by_id[pid]
            marks = " ".join(f"{w}={'F' if v else '-'}" for w, v in by_way.items())
            print(f"  {pid} [{item.label}] {marks}  {item.text[:70]}")


if __name__ == "__main__":
    main()
