"""The pattern language of the script linter's rules (pack `phrases[].patterns`, `classes`).

A pattern is text, matched after normalisation (`guard.core.text.normalize`), with three additions:

- `{名字}`: any word of the pack's word class 名字 (`classes: {存款: [存款, 定期, 定存]}`):
  `比{存款}高` stands for 比存款高, 比定期高 and 比定存高. Classes may be used in every phrase list
  of a rule or disclosure (`patterns`, `except`, `near.any_of`, `unless_mentions`, `any_of`,
  `when_mentions`); a class word cannot itself use a class.
- `{PCT}` and `{MONEY}` (patterns only): a number slot. `{PCT}` is a rate: 6%, 6.5%, ６％, 百分之六,
  百分之六点五, 六个点, 6.5个点, 6厘, 千分之五, 5‰. `{MONEY}` is an amount with a unit: 5000元, 10万, 1.5万元,
  两万块, 一百块钱, 3亿. A pattern must also hold some literal text or a class.
- `…` (or `...`, patterns only): a gap. The terms on either side must occur in this order, in one
  sentence, the whole match spanning at most `within` normalised characters (the rule's `within`,
  default `DEFAULT_WITHIN`): `{收益} … 比 … {存款}` matches 收益率比三年定期高, not 收益……。存款….
  The structured form `{all: [收益, 比, "{存款}"], within: 12}` says the same with its own limit.

`parse_pattern` turns a pattern into a `Sequence` (atoms with "gap before" flags) or raises
`PatternError` with a reason meant for the officer who wrote it. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product
from typing import Mapping

SLOTS = {
    "PCT": "a rate: 6%, 6.5%, 百分之六, 六个点, 6.5厘, 5‰",
    "MONEY": "an amount with a unit: 5000元, 10万, 1.5万元, 两万块, 一百块钱",
}
DEFAULT_WITHIN = 20  # normalised characters a gapped pattern may span, unless the rule says `within`
MAX_ALTERNATIVES = 2000  # words one term of a pattern may expand to
GAP_MARKS = ("…", "...")
_REF = re.compile(r"\{([^{}]*)\}")


class PatternError(ValueError):
    """A pattern that cannot be understood; the message says why."""


@dataclass(frozen=True)
class Atom:
    """One piece of a pattern: `words` (expanded alternatives, raw text) or a `slot` name."""

    words: tuple[str, ...] = ()
    slot: str | None = None
    gap_before: bool = False  # a gap (…) separates it from the previous atom


@dataclass(frozen=True)
class Sequence:
    atoms: tuple[Atom, ...]
    within: int | None = None  # the structured form's own limit; None: the rule's

    @property
    def literal(self) -> bool:
        """A single literal atom: plain words for the automaton, nothing to assemble."""
        return len(self.atoms) == 1 and self.atoms[0].slot is None

    @property
    def gapped(self) -> bool:
        return any(a.gap_before for a in self.atoms)


def expand(text: str, classes: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """Every word `text` stands for, classes expanded (no slots, no gaps allowed here)."""
    for mark in GAP_MARKS:
        if mark in text:
            raise PatternError(f"{text!r}: a gap ({mark}) is only allowed in patterns")
    pieces = _pieces(text, classes, allow_slots=False)
    return _product(text, [p for p in pieces])


def _pieces(text: str, classes: Mapping[str, tuple[str, ...]], *, allow_slots: bool) -> list:
    """Literal strings, tuples of class words, and slot names (str wrapped in a 1-tuple list marker)."""
    out: list = []
    at = 0
    for m in _REF.finditer(text):
        if m.start() > at:
            out.append((text[at : m.start()],))
        name = m.group(1).strip()
        if name in SLOTS:
            if not allow_slots:
                raise PatternError(f"{text!r}: the number slot {{{name}}} is only allowed in patterns")
            out.append(["slot", name])
        elif name in classes:
            out.append(tuple(classes[name]))
        else:
            known = ", ".join(sorted(classes)) or "none defined"
            raise PatternError(f"{text!r}: unknown class {{{name}}} (classes: {known}; slots: {', '.join(SLOTS)})")
        at = m.end()
    if at < len(text):
        out.append((text[at:],))
    rest = _REF.sub("", text)
    if "{" in rest or "}" in rest:
        raise PatternError(f"{text!r}: unbalanced brace (a class is written {{名字}})")
    return out


def _product(text: str, pieces: list) -> tuple[str, ...]:
    size = 1
    for p in pieces:
        size *= len(p)
    if size > MAX_ALTERNATIVES:
        raise PatternError(f"{text!r} expands to {size} words (at most {MAX_ALTERNATIVES}): split it or use a gap (…)")
    return tuple(dict.fromkeys("".join(combo) for combo in product(*pieces)))


def _term(text: str, classes: Mapping[str, tuple[str, ...]], normalize, gap_before: bool) -> list[Atom]:
    atoms: list[Atom] = []
    run: list = []

    def flush(gap: bool) -> None:
        if run:
            words = _product(text, run)
            if not any(normalize(w) for w in words):
                raise PatternError(f"{text!r} has no letters or digits once normalised (spaces, punctuation and symbols are ignored)")
            atoms.append(Atom(words=words, gap_before=gap))
            run.clear()

    for piece in _pieces(text, classes, allow_slots=True):
        if isinstance(piece, list):  # a slot
            flush(gap_before and not atoms)
            atoms.append(Atom(slot=piece[1], gap_before=gap_before and not atoms))
        else:
            run.append(piece)
    flush(gap_before and not atoms)
    # A literal run that normalises to nothing (punctuation between two slots) is dropped above only
    # when it has no letters at all: refuse it instead of silently gluing the slots together.
    return atoms


def parse_pattern(pattern: str | Mapping, classes: Mapping[str, tuple[str, ...]], normalize) -> Sequence:
    """Parse one entry of `patterns`: a string, or a mapping `{all: [term, ...], within: N}`."""
    if isinstance(pattern, Mapping):
        unknown = set(pattern) - {"all", "within"}
        if unknown or "all" not in pattern:
            if len(pattern) == 1 and next(iter(pattern.values())) is None:
                name = next(iter(pattern))
                raise PatternError(f"YAML read {{{name}}} as a mapping: quote the pattern, e.g. '{{{name}}}'")
            raise PatternError("a structured pattern is {all: [term, ...], within: N}"
                               + (f" (unknown key {', '.join(map(str, sorted(unknown, key=str)))})" if unknown else " (all is required)"))
        terms = pattern["all"]
        if not isinstance(terms, list) or len(terms) < 2:
            raise PatternError("all: must be a list of at least two terms")
        within = pattern.get("within")
        if within is not None and (isinstance(within, bool) or not isinstance(within, int) or within < 1):
            raise PatternError(f"within: {within!r} is not a whole number >= 1")
        texts = []
        for i, t in enumerate(terms):
            if isinstance(t, Mapping) and len(t) == 1 and next(iter(t.values())) is None:
                raise PatternError(f"all[{i}]: YAML read {{{next(iter(t))}}} as a mapping: quote it, e.g. '{{{next(iter(t))}}}'")
            if not isinstance(t, str) or not t.strip():
                raise PatternError(f"all[{i}]: {t!r} is not a non-empty string")
            if any(mark in t for mark in GAP_MARKS):
                raise PatternError(f"all[{i}]: {t!r}: the terms of all: are separated already; no … inside one")
            texts.append(t)
        seq = _sequence(texts, classes, normalize)
        return Sequence(seq.atoms, within)
    if not isinstance(pattern, str) or not pattern.strip():
        raise PatternError(f"{pattern!r} is not a non-empty string")
    text = pattern
    for mark in GAP_MARKS[1:]:
        text = text.replace(mark, GAP_MARKS[0])
    parts = [p.strip() for p in text.split(GAP_MARKS[0])]
    if len(parts) > 1 and any(not p for p in parts):
        raise PatternError(f"{pattern!r}: a gap (…) must stand between two terms")
    return _sequence(parts, classes, normalize)


def _sequence(terms: list[str], classes, normalize) -> Sequence:
    atoms: list[Atom] = []
    for i, term in enumerate(terms):
        atoms += _term(term, classes, normalize, gap_before=i > 0)
    if not atoms or all(a.slot for a in atoms):
        raise PatternError(f"{' … '.join(terms)!r}: a pattern needs some words besides number slots")
    return Sequence(tuple(atoms))


def canonical(pattern: str | Mapping) -> str:
    """The pattern as one string (the structured form written with gaps), for docs and listings."""
    if isinstance(pattern, Mapping):
        return " … ".join(str(t) for t in pattern.get("all", ()))
    return pattern
