"""The script linter's learned scorer: a second opinion beside the pack's phrase rules.

Pattern rules written from a few hundred sentences miss the wording of sentences nobody read while
writing them (tests/lint/real/README.md: rules tuned on one batch of real text score the same on the
next batch as before the tuning). The scorer is a logistic regression over the character 1- to
3-grams of one sentence, trained on real published sentences that compliance officers labelled
(`python -m policies.lint_scorer_train`); its weights are data in the pack (`lint.scorer`), so a pack
names exactly what judged, and the score of a sentence is explainable: the bias plus the weights of
the distinct n-grams the sentence holds, divided by the square root of how many n-grams it has (a
sentence of L characters has L 1-grams, L-1 2-grams and L-2 3-grams). The weighted n-grams of a whole
text are found in one Aho-Corasick pass (`ahocorasick-rs`, as the phrase rules), then summed by sentence.

The linter reports a sentence whose score passes the threshold and that no phrase rule has found
anything in, in a text of fewer than `script_sentences` sentences (a passage or a few lines, not a
whole script), as one finding of rule `learned.sales_claim` (MISLEADING, warning: a reviewer reads
it; it never fails a script on its own), located on the sentence, its message naming the n-grams
that weighed most.

Pure: plain data in, numbers out; no clock, no I/O.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from operator import add
from typing import Iterator, Mapping, Sequence

import ahocorasick_rs

from guard.core.text import Normalized, Segments

SCORER_RULE = "learned.sales_claim"
SCORER_CODE = "MISLEADING"
SCORER_SEVERITY = "warning"
MAX_GRAM = 6  # the largest n-gram size a pack may ask for


def grams(text: str, sizes: tuple[int, ...]) -> set[str]:
    """The distinct character n-grams of `text` (already normalised) for each size in `sizes`."""
    return set(chain.from_iterable(ngrams(text, k) for k in sizes))


def positions(length: int, sizes: tuple[int, ...]) -> int:
    """How many n-grams of the `sizes` a text of `length` characters has, repeats included."""
    return sum(length - k + 1 for k in sizes if length >= k)


def ngrams(text: str, k: int) -> Iterator[str]:
    """Every n-gram of size `k` of `text`, in order, repeats included (built in C: map over shifted copies)."""
    if k == 1:
        return iter(text)
    out: Iterator[str] = map(add, text, text[1:])
    for j in range(2, k):
        out = map(add, out, text[j:])
    return out


@dataclass(frozen=True)
class Scorer:
    """A trained scorer: `weights` by n-gram, `bias`, and the `threshold` a sentence's score must pass."""

    weights: Mapping[str, float]
    bias: float
    threshold: float
    sizes: tuple[int, ...] = (1, 2, 3)
    trained_on: str = ""  # what it was trained on (shown in the rules' reference page and the rationale)
    # A text of this many sentences or more is a whole script: the scorer gives no finding in it (None: no limit).
    # On fresh seller text linted whole its findings were false alarms: policies/lint_scorer_train.py SCRIPT_SENTENCES.
    script_sentences: int | None = None

    def score(self, text: str) -> float:
        """The log-odds that an officer would flag the sentence `text` (normalised): the bias plus the
        weights of the distinct n-grams it holds, over the square root of how many n-grams it has."""
        return self.scores(text, [(0, len(text))])[0]

    def __getstate__(self) -> dict:
        """Pickled without its automaton (not picklable; rebuilt on first use), so a pack stays picklable."""
        state = dict(self.__dict__)
        state.pop("_automaton", None)
        state.pop("_positive", None)
        state.pop("_positive_words", None)
        return state

    def compile(self) -> None:
        """Build the automaton of weighted n-grams now (it is built on first use otherwise)."""
        self._automaton  # noqa: B018

    @cached_property
    def _automaton(self) -> tuple["ahocorasick_rs.AhoCorasick | None", list[float], str]:
        """(automaton of the weighted n-grams, their weights, a character none of them holds: `scores`
        joins the sentences with it, so that no n-gram found spans two)."""
        keys = [k for k, w in self.weights.items() if w]
        sep = next(c for c in map(chr, range(0x110000)) if not any(c in k for k in keys))
        return (ahocorasick_rs.AhoCorasick(keys) if keys else None), [self.weights[k] for k in keys], sep

    def scores(self, text: str, spans: Sequence[tuple[int, int]]) -> list[float]:
        """The score of each sentence `text[a:b]` for (a, b) in `spans` (sorted, not overlapping): one
        pass of the automaton of weighted n-grams over the sentences, each n-gram counted once per sentence."""
        automaton, weights, sep = self._automaton
        sums = [0.0] * len(spans)
        if automaton is not None and spans:
            # One pass over the sentences alone, joined by `sep` (no n-gram holds it: none is found across two,
            # and the text between sentences is not searched): each n-gram found counts in the sentence it lies
            # in, once (its index and the sentence's packed in one int: the sentence's base plus the n-gram's
            # index; base: each joined offset's sentence times the number of n-grams). The matches, their order
            # and so the set and its sums are those of a pass over the whole text keeping the matches inside
            # a sentence (a third less time than that: fewer characters, no test per match).
            width = len(weights)
            base: list[int] = []
            for k, (a, b) in enumerate(spans):
                base += [k * width] * (b - a + 1)
            joined = sep.join([text[a:b] for a, b in spans])
            for key in {base[start] + idx for idx, start, _ in automaton.find_matches_as_indexes(joined, overlapping=True)}:
                sums[key // width] += weights[key % width]
        out = []
        for (a, b), total in zip(spans, sums):
            n = positions(b - a, self.sizes)
            out.append(self.bias + total / math.sqrt(n) if n else self.bias)
        return out

    def flags(self, text: str) -> bool:
        return self.score(text) > self.threshold

    @cached_property
    def _positive(self) -> dict[str, float]:
        """The n-grams of positive weight (those `explain` may name), of the sizes scored."""
        sizes = set(self.sizes)
        return {g: w for g, w in self.weights.items() if w > 0 and len(g) in sizes}

    @cached_property
    def _positive_words(self) -> tuple[str | None, ...]:
        """By index of the automaton's words (`_automaton`'s order): the word when `explain` may name it
        (in `_positive`), else None."""
        positive = self._positive
        return tuple(k if k in positive else None for k, w in self.weights.items() if w)

    def explain(self, text: str, top: int = 3) -> list[str]:
        """The n-grams of `text` that weigh most towards a flag, heaviest first; one that overlaps a
        heavier one already listed (收益 inside 稳拿收益, or the reverse) is left out."""
        positive = self._positive
        automaton = self._automaton[0]
        if automaton is None:
            return []
        # the positive n-grams the text holds, read from the automaton's matches (every n-gram of weight is
        # one of its words): the same set as positive.keys() & grams(text, self.sizes), in a fifth of the time
        named = self._positive_words
        held = filter(None, map(named.__getitem__, {idx for idx, _, _ in automaton.find_matches_as_indexes(text, overlapping=True)}))
        ranked = sorted(held, key=lambda g: (-positive[g], -len(g), g))
        out: list[str] = []
        for g in ranked:
            if any(g in kept or kept in g for kept in out):
                continue
            out.append(g)
            if len(out) == top:
                break
        return out


def sentence_spans(n: Normalized, seg: Segments) -> list[tuple[int, int]]:
    """The sentences of a normalised text as (start, end) normalised offsets, empty ones left out: the
    unit the scorer judges, in training (`policies.lint_scorer_train`) as in the linter."""
    out, a = [], 0
    for b in [*seg.sentences, len(n.text)]:
        if b > a and n.text[a:b].strip():
            out.append((a, b))
        a = b
    return out


def any_starts_within(starts: list[int], start: int, end: int) -> bool:
    """Does any of the sorted offsets `starts` lie in [start, end)? (A rule's finding inside a sentence:
    the sentence gets no scorer finding, in one lint and when lints under several types are merged.)"""
    k = bisect.bisect_left(starts, start)
    return k < len(starts) and starts[k] < end


def scorer_message(words: list[str], score: float, threshold: float) -> str:
    """The message of a scorer finding: the words that weighed most, the score and the threshold."""
    named = "、".join(f"“{w}”" for w in words) or "整句"
    return (f"此句与合规人员判定违规的真实销售话术相似（学习评分 {score:.2f} > 阈值 {threshold:.2f}；"
            f"权重最大的字词：{named}），请人工复核")


SCORER_SUGGESTION = ("复核此句：如含收益或保本承诺、与存款的片面比较、夸大或催促的表述，按对应规则改写"
                     "（如以业绩比较基准代替预期收益，说明本金与收益均不作保证）；确属合规表述可忽略此提示")
