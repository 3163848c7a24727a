"""Benchmark of the script linter, in process, next to a naive baseline measured in the same run.

    .venv/bin/python bench/lint.py [--scripts 200] [--seconds 3]

Builds 2,000-character scripts by concatenating the labelled corpus (tests/lint/corpus/) in a
fixed shuffled order, then measures, on the same scripts:
  guard   guard.core.lint with the shipped cn-bank pack: normalisation with the offset map, one
          Aho-Corasick pass, negation/except/proximity, findings with original offsets
  naive   NFKC over the whole text, then one `str.find` per pattern and disclosure phrase (no
          traditional script, no evasions, no offsets, no negation: strictly less work)
Prints characters per second for both. Target for guard: >= 2,000,000 chars/s.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guard.core.lint import compile_rules  # noqa: E402
from guard.core.text import _t2s  # noqa: E402
from policies.lint_docs import shipped_pack  # noqa: E402
from tests.lint.corpus_data import load_corpus  # noqa: E402

SCRIPT_CHARS = 2_000


def build_scripts(n: int) -> list[tuple[str, str]]:
    """n scripts of exactly SCRIPT_CHARS characters, each with the product type of its first part."""
    items = list(load_corpus())
    rng = random.Random(2026)
    out = []
    for _ in range(n):
        rng.shuffle(items)
        parts, size = [], 0
        for item in items:
            parts.append(item.text)
            size += len(item.text) + 1
            if size >= SCRIPT_CHARS:
                break
        out.append(("\n".join(parts)[:SCRIPT_CHARS], items[0].type))
    return out


def run(fn, scripts, seconds: float) -> tuple[float, int]:
    """chars/s of fn over the scripts, repeated for at least `seconds`; also the total hit count."""
    rounds, chars, hits = 0, 0, 0
    started = time.perf_counter()
    while True:
        for text, ptype in scripts:
            hits += fn(text, ptype)
            chars += len(text)
        rounds += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return chars / elapsed, hits // rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scripts", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()

    t0 = time.perf_counter()
    _t2s()  # built once per process, on first use (here before the pack, whose validation needs it)
    t1 = time.perf_counter()
    pack = shipped_pack("cn-bank")
    t15 = time.perf_counter()
    linter = compile_rules(pack)
    t2 = time.perf_counter()
    scripts = build_scripts(args.scripts)

    def guard(text: str, ptype: str) -> int:
        return len(linter.lint(text, ptype).findings)

    phrases = sorted({p for r in pack.phrases for p in r.patterns} | {p for d in pack.disclosures for p in d.any_of})

    def naive(text: str, ptype: str) -> int:
        norm = unicodedata.normalize("NFKC", text)
        return sum(1 for p in phrases if norm.find(p) != -1)

    for text, ptype in scripts[:5]:  # warm up both
        guard(text, ptype), naive(text, ptype)
    guard_rate, guard_hits = run(guard, scripts, args.seconds)
    naive_rate, naive_hits = run(naive, scripts, args.seconds)

    n_patterns = sum(len(r.patterns) for r in pack.phrases)
    print(f"scripts: {len(scripts)} x {SCRIPT_CHARS} chars; pack {pack.id} {pack.version}: {len(pack.phrases)} phrase rules, "
          f"{n_patterns} patterns, {len(pack.disclosures)} disclosures")
    print(f"one-time: traditional->simplified table {1000 * (t1 - t0):.1f} ms, compiling the pack {1000 * (t2 - t15):.1f} ms")
    print(f"{'run':<7} {'chars/s':>12} {'per 2,000-char script':>22} {'findings or hits per round':>27}")
    for name, rate, hits in (("guard", guard_rate, guard_hits), ("naive", naive_rate, naive_hits)):
        print(f"{name:<7} {rate:>12,.0f} {1e6 * SCRIPT_CHARS / rate:>19.0f} µs {hits:>27}")
    print(f"guard/naive: {guard_rate / naive_rate:.2f}   target >= 2,000,000 chars/s: {'met' if guard_rate >= 2e6 else 'NOT met'}")


if __name__ == "__main__":
    main()
