"""The script (话术) linter: a pack's phrase and disclosure rules, compiled into one automaton.

    linter = compile_rules(pack)                 # cached per pack.hash
    result = linter.lint(text, "wealth")         # LintResult(verdict, findings)

How a script is judged (SPEC §2 rule 7, §3.7):

1. The text is normalised (`guard.core.text.normalize`: NFKC, casefold, traditional → simplified,
   whitespace, punctuation, symbols and invisible characters dropped) with a map back to the
   original offsets.
2. One Aho–Corasick automaton holds every normalised pattern, `except` context, proximity term,
   `unless_mentions` phrase, disclosure phrase and negator of the pack; one pass over the
   normalised text finds them all.
3. A phrase rule applies when its `product_types` is unset (all) or holds the script's type. A hit
   of one of its patterns is dropped when
   - it lies inside an occurrence of one of the rule's `except` phrases;
   - negation is on (`lint: {negation: true}`, the default) and a negator (不, 非, 并非, 不是, 没有,
     无法, 不能, 不会, 不存在, 不得, 不承诺, 不保证, 不代表, 不等于, 谈不上 …) ends at most
     `NEGATION_WINDOW` normalised characters before the hit, with no clause break between them
     (a sentence punctuation mark in the original, or a connective such as 但/而/所以). The
     negator must come *before* the hit: a pattern that itself starts with a negator (无风险,
     不会亏) is cleared only by another one before it (不是无风险). A negator that is part of a
     non-negating word (不用, 不管, 不仅, 非常, 除非 …) or of a pattern hit (稳赚不赔) negates nothing;
   - the rule has `near` terms and none (itself not negated) lies within `near.within` normalised
     characters of the hit; the finding then spans from the hit to that term, and an `except`
     phrase overlapping that span clears it;
   - the script mentions one of the rule's `unless_mentions` anywhere (e.g. 年化利率).
   Of overlapping hits of one rule the longest (then the earliest) is reported, and no other
   hit of that rule overlapping it; hits of different rules may overlap.
4. A disclosure rule that applies (product type, and `when_mentions` when given) and of whose
   `any_of` phrases none occurs gives a `MISSING_DISCLOSURE` finding. It has no place in the
   text: start = end = 0, line 1, column 1, matched "".

Findings: phrase findings in text order (start, end, rule id), then missing disclosures in pack
order. `start`/`end` are offsets into the original text with `text[start:end] == matched`;
`line`/`column` are 1-based, counted in code points, lines split at "\\n".
The verdict is `fail` with any error, `warn` with any warning, else `pass`.
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import ahocorasick

from guard.core.pack import PRODUCT_TYPES, DisclosureRule, Pack, PhraseRule
from guard.core.text import Normalized, normalize, normalize_phrase

FINDING_CODES = ("BANNED_PHRASE", "MISSING_DISCLOSURE", "MISLEADING", "PRESSURE")

# Words that negate what follows (simplified; the text is normalised to simplified before matching).
NEGATORS = (
    "不", "非", "并非", "不是", "没有", "无法", "不能", "不会", "不存在", "不得", "不承诺", "不保证", "不代表",
    "不等于", "谈不上", "算不上", "称不上", "并不", "绝非", "没法", "从未", "从不", "未曾", "不属于", "不意味着",
    # warnings about such wording: 不要相信所谓保本保息的宣传
    "不要相信", "别相信", "不要轻信", "不要听信", "别听信", "谨防", "警惕",
)
# Words that contain a negator but do not negate what follows them.
NON_NEGATING = (
    "不用", "不管", "不论", "不仅", "不但", "不单", "不光", "不只", "不止", "不错", "不少", "不断", "不停", "不久",
    "不过", "不妨", "不如", "不愧", "不怕", "不必", "不需", "不需要", "不要", "不好意思", "不得不", "不得了", "不外乎",
    "不一样", "不同", "差不多", "要不", "非常", "除非", "无非", "莫非", "非凡", "是非", "不是吗", "是不是",
)
# A negator this many normalised characters (or fewer) before a hit negates it.
NEGATION_WINDOW = 4
# Between a negator and a hit, these end its reach: clause punctuation in the original text …
_CLAUSE_BREAKS = frozenset("。．.!！?？;；,，、:：\n\r…")
# … and connectives in the normalised text.
_CONNECTIVES = ("但", "可是", "而", "所以", "因为", "因此", "并且", "而且", "另外", "同时", "还", "都", "也")

# Kinds of automaton entries.
_PAT, _EXC, _NEAR, _UNLESS, _DISC, _WHEN, _NEG, _NONNEG = range(8)


@dataclass(frozen=True)
class Finding:
    rule: str
    code: str  # BANNED_PHRASE | MISSING_DISCLOSURE | MISLEADING | PRESSURE
    severity: str  # error | warning
    start: int  # offsets into the original text: text[start:end] == matched
    end: int
    line: int  # 1-based
    column: int  # 1-based, in code points
    matched: str
    message: str
    suggestion: str
    rationale: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule, "code": self.code, "severity": self.severity, "start": self.start, "end": self.end,
            "line": self.line, "column": self.column, "matched": self.matched, "message": self.message,
            "suggestion": self.suggestion, "rationale": self.rationale,
        }


@dataclass(frozen=True)
class LintResult:
    verdict: str  # pass | warn | fail
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "findings": [f.to_dict() for f in self.findings]}


def verdict_of(findings: tuple[Finding, ...] | list[Finding]) -> str:
    severities = {f.severity for f in findings}
    return "fail" if "error" in severities else "warn" if "warning" in severities else "pass"


def _applies(types: frozenset[str] | None, product_type: str | None) -> bool:
    if types is None:
        return True
    return product_type is not None and product_type in types


class _Scan:
    """What one pass of the automaton found in a normalised text."""

    __slots__ = ("hits", "excepts", "near", "unless", "disc", "when", "neg", "nonneg")

    def __init__(self) -> None:
        self.hits: dict[int, list[tuple[int, int]]] = {}  # rule -> pattern hits (start, end)
        self.excepts: dict[int, list[tuple[int, int]]] = {}
        self.near: dict[int, list[tuple[int, int]]] = {}
        self.unless: set[int] = set()
        self.disc: set[int] = set()
        self.when: set[int] = set()
        self.neg: list[tuple[int, int]] = []
        self.nonneg: list[tuple[int, int]] = []


class Linter:
    """A pack's lint rules compiled into one automaton. Immutable; safe to share between threads."""

    def __init__(self, pack: Pack):
        self.pack_id = pack.id
        self.pack_version = pack.version
        self.pack_hash = pack.hash
        self.phrases: tuple[PhraseRule, ...] = pack.phrases
        self.disclosures: tuple[DisclosureRule, ...] = pack.disclosures
        self.negation = pack.lint_negation
        entries: dict[str, list[tuple[int, int]]] = {}

        def add(phrase: str, kind: int, idx: int) -> None:
            key = normalize_phrase(phrase)
            if key:  # the pack validator refuses phrases that normalise to nothing
                entries.setdefault(key, []).append((kind, idx))

        for i, rule in enumerate(self.phrases):
            for p in rule.patterns:
                add(p, _PAT, i)
            for p in rule.except_:
                add(p, _EXC, i)
            for p in rule.near:
                add(p, _NEAR, i)
            for p in rule.unless_mentions:
                add(p, _UNLESS, i)
        for i, rule in enumerate(self.disclosures):
            for p in rule.any_of:
                add(p, _DISC, i)
            for p in rule.when_mentions:
                add(p, _WHEN, i)
        for p in NEGATORS:
            add(p, _NEG, 0)
        for p in NON_NEGATING:
            add(p, _NONNEG, 0)
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        for key, kinds in entries.items():
            self._automaton.add_word(key, (len(key), tuple(dict.fromkeys(kinds))))
        self._automaton.make_automaton()
        self._connectives = tuple(normalize_phrase(c) for c in _CONNECTIVES)

    # -- scanning -------------------------------------------------------------------------------

    def _scan(self, norm: str) -> _Scan:
        scan = _Scan()
        for last, (length, kinds) in self._automaton.iter(norm):
            span = (last + 1 - length, last + 1)
            for kind, idx in kinds:
                if kind == _PAT:
                    scan.hits.setdefault(idx, []).append(span)
                elif kind == _NEG:
                    scan.neg.append(span)
                elif kind == _NONNEG:
                    scan.nonneg.append(span)
                elif kind == _EXC:
                    scan.excepts.setdefault(idx, []).append(span)
                elif kind == _NEAR:
                    scan.near.setdefault(idx, []).append(span)
                elif kind == _UNLESS:
                    scan.unless.add(idx)
                elif kind == _DISC:
                    scan.disc.add(idx)
                else:
                    scan.when.add(idx)
        return scan

    def _negator_ends(self, scan: _Scan) -> dict[int, int]:
        """end -> start of every negator that negates (not inside a non-negating word or a pattern hit)."""
        if not scan.neg:
            return {}
        # A negator [s, e) is shielded when some shield starts at or before s and ends at or after e:
        # sort the shields by start and keep the running maximum of their ends.
        shields = sorted(scan.nonneg + [h for hits in scan.hits.values() for h in hits])
        starts = [a for a, _ in shields]
        reach, furthest = [], -1
        for _, b in shields:
            furthest = max(furthest, b)
            reach.append(furthest)
        ends: dict[int, int] = {}
        for s, e in scan.neg:
            i = bisect.bisect_right(starts, s) - 1
            if i >= 0 and reach[i] >= e:
                continue
            if e not in ends or s < ends[e]:
                ends[e] = s
        return ends

    def _negated(self, n: Normalized, negators: dict[int, int], start: int) -> bool:
        for gap in range(NEGATION_WINDOW + 1):
            e = start - gap
            if e < 0:
                break
            if e not in negators:
                continue
            if gap == 0:
                return True
            between = n.text[e:start]
            if any(c in between for c in self._connectives):
                continue
            o_start, o_end = n.orig(e - 1) + 1, n.orig(start)
            if any(ch in _CLAUSE_BREAKS for ch in n.original[o_start:o_end]):
                continue
            return True
        return False

    # -- judging --------------------------------------------------------------------------------

    def lint(self, text: str, product_type: str | None = None) -> LintResult:
        """Lint `text` as a script for `product_type` (one of PRODUCT_TYPES).

        `product_type=None` applies only the rules meant for every product type.
        """
        if product_type is not None and product_type not in PRODUCT_TYPES:
            raise ValueError(f"{product_type!r} is not a product type ({', '.join(PRODUCT_TYPES)})")
        n = normalize(text)
        scan = self._scan(n.text)
        negators = self._negator_ends(scan) if self.negation and scan.hits else {}
        negated = (lambda start: self._negated(n, negators, start)) if negators else (lambda start: False)

        found: list[tuple[int, int, int]] = []  # (normalised start, end, rule index)
        for idx, hits in scan.hits.items():
            rule = self.phrases[idx]
            if not _applies(rule.product_types, product_type) or idx in scan.unless:
                continue
            excepts = scan.excepts.get(idx, ())
            near = [(ns, ne) for ns, ne in scan.near.get(idx, ()) if not negated(ns)] if rule.near else []
            candidates = []
            for s, e in hits:
                if negated(s):
                    continue
                if rule.near:
                    span = _nearest(s, e, near, rule.near_within)
                    if span is None or any(a < span[1] and span[0] < b for a, b in excepts):
                        continue
                    candidates.append(span)
                elif not any(a <= s and e <= b for a, b in excepts):
                    candidates.append((s, e))
            kept: list[tuple[int, int]] = []
            for s, e in sorted(set(candidates), key=lambda c: (c[0] - c[1], c[0])):  # longest first, then earliest
                if all(e <= a or b <= s for a, b in kept):
                    kept.append((s, e))
            found.extend((s, e, idx) for s, e in kept)

        findings: list[Finding] = []
        line_starts = _line_starts(text) if found else [0]
        for s, e, idx in sorted(found, key=lambda f: (f[0], f[1], self.phrases[f[2]].id)):
            rule = self.phrases[idx]
            start, end = n.span(s, e)
            line = bisect.bisect_right(line_starts, start)
            findings.append(Finding(
                rule=rule.id, code=rule.code, severity=rule.severity, start=start, end=end, line=line,
                column=start - line_starts[line - 1] + 1, matched=text[start:end], message=rule.message,
                suggestion=rule.suggestion, rationale=rule.rationale,
            ))

        for idx, rule in enumerate(self.disclosures):
            if not _applies(rule.product_types, product_type) or idx in scan.disc:
                continue
            if rule.when_mentions and idx not in scan.when:
                continue
            findings.append(Finding(
                rule=rule.id, code="MISSING_DISCLOSURE", severity=rule.severity, start=0, end=0, line=1, column=1,
                matched="", message=rule.message,
                suggestion=rule.suggestion or f"加入：{rule.any_of[0]}", rationale=rule.rationale,
            ))
        out = tuple(findings)
        return LintResult(verdict_of(out), out)


def _nearest(s: int, e: int, near: list[tuple[int, int]], within: int) -> tuple[int, int] | None:
    """The span from the hit [s, e) to the closest near term within `within` characters, or None."""
    best, best_gap = None, within + 1
    for ns, ne in near:
        gap = ns - e if ns >= e else s - ne if ne <= s else 0
        if gap < best_gap:
            best, best_gap = (min(s, ns), max(e, ne)), gap
    return best


def _line_starts(text: str) -> list[int]:
    starts = [0]
    at = text.find("\n")
    while at != -1:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


_CACHE: OrderedDict[str, Linter] = OrderedDict()
_CACHE_SIZE = 64
_CACHE_LOCK = threading.Lock()


def compile_rules(pack: Pack) -> Linter:
    """The pack's compiled linter; compiled once per `pack.hash` (the most recent 64 are kept)."""
    with _CACHE_LOCK:
        linter = _CACHE.get(pack.hash)
        if linter is not None:
            _CACHE.move_to_end(pack.hash)
            return linter
    linter = Linter(pack)  # compiled outside the lock; two threads may race, the first one stored wins
    with _CACHE_LOCK:
        linter = _CACHE.setdefault(pack.hash, linter)
        _CACHE.move_to_end(pack.hash)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return linter


def lint(text: str, product_type: str | None, pack: Pack) -> LintResult:
    """Shorthand for `compile_rules(pack).lint(text, product_type)`."""
    return compile_rules(pack).lint(text, product_type)
