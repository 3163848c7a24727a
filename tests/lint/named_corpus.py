"""Corpus W: wordings that a regulator's or an official body's own text names as misleading sales talk.

    .venv/bin/python -m tests.lint.named_corpus [dev_w|heldout_w|dev_w+heldout_w] [--misses]

Each record (tests/lint/real/named/dev_w.jsonl, heldout_w.jsonl) is a wording as the source quotes it, the product type the
source says it of, and the passage of the source that names it (`excerpt`) with its address: its label is the source's
own, not ours (tests/lint/real/named/plan-w.md). Recall only: a wording is found when a rule of the pack — not the learned
scorer, whose finding names no rule a regulator could be cited for — has a finding covering part of it, under the
source's product type (every rule when it names none), linted alone and inside a seller's sentence (CARRIER). Each
figure with a 95 % interval by bootstrap over the sources. `--misses` lists the wordings not found: development half only.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

REAL = Path(__file__).parent / "real" / "named"
CARRIER = "您好，这款产品{}，您考虑一下"
# the collector's product types, as the linter names them (a card is a credit card; "unknown": every rule)
COLLECTOR_TYPES = {"deposit": "deposit", "wealth": "wealth", "fund": "fund", "insurance": "insurance", "loan": "loan",
                 "card": "credit_card", "credit_card": "credit_card"}
DEVELOPMENT = ("dev_w",)


@dataclass(frozen=True)
class Wording:
    id: str
    wording: str
    product_type: str | None
    source_title: str
    issuer: str
    date: str
    url: str
    official: bool
    excerpt: str
    region: str


def half_of(url_or_title: str) -> str:
    """The half a source goes to (plan-w.md): the parity of the first hex digit of sha1("w:" + its address)."""
    digit = int(hashlib.sha1(("w:" + url_or_title).encode("utf-8")).hexdigest()[0], 16)
    return "dev_w" if digit % 2 == 0 else "heldout_w"


def load(half: str) -> list[Wording]:
    out = []
    for name in half.split("+"):
        for line in (REAL / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                pt = d.get("product_type")
                out.append(Wording(d["id"], d["wording"], COLLECTOR_TYPES.get(pt), d["source_title"],
                                   d.get("issuer", ""), str(d.get("date", "")), d.get("url", ""), bool(d.get("official")),
                                   d["excerpt"], d.get("region", "")))
    return out


def found(linter, text: str, product_type: str | None, start: int, end: int) -> bool:
    """Does a rule (not the scorer) have a finding covering part of text[start:end]?"""
    from guard.core.lint_scorer import SCORER_RULE

    return any(f.start < end and start < f.end and any(r.rule != SCORER_RULE for r in f.rules)
               for f in linter.lint(text, product_type).findings if f.code != "MISSING_DISCLOSURE")


def score(items: list[Wording], linter) -> dict[str, list[bool]]:
    """Per setting (alone, in a sentence), whether each wording is found."""
    at = CARRIER.index("{}")
    return {"alone": [found(linter, w.wording, w.product_type, 0, len(w.wording)) for w in items],
            "in a sentence": [found(linter, CARRIER.format(w.wording), w.product_type, at, at + len(w.wording))
                              for w in items]}


def excerpts_flagged(items: list[Wording], linter) -> tuple[int, int]:
    """The sources' own passages (each once), linted under their wording's type: (how many have a phrase finding, how
    many there are). A regulator's text naming a wording to warn of it is a quotation of it, not a pitch: 0 is right."""
    passages = {w.excerpt: w.product_type for w in items}
    flagged = sum(any(f.code != "MISSING_DISCLOSURE" for f in linter.lint(text, pt).findings) for text, pt in passages.items())
    return flagged, len(passages)


def interval(items: list[Wording], hits: list[bool], rounds: int = 2000, seed: int = 2026) -> tuple[float, float]:
    """95 % interval of the share found: a bootstrap over the sources (their wordings drawn together)."""
    by_source: dict[str, list[int]] = {}
    for w, hit in zip(items, hits):
        cell = by_source.setdefault(w.url or w.source_title, [0, 0])
        cell[0] += hit
        cell[1] += 1
    cells = list(by_source.values())
    rnd = random.Random(seed)
    shares = []
    for _ in range(rounds):
        drawn = rnd.choices(cells, k=len(cells))
        shares.append(sum(c[0] for c in drawn) / max(1, sum(c[1] for c in drawn)))
    shares.sort()
    return shares[int(0.025 * (rounds - 1))], shares[int(0.975 * (rounds - 1))]


def main(argv: list[str]) -> int:
    from guard.core.lint import compile_rules
    from policies.lint_docs import shipped_pack

    half = next((a for a in argv if not a.startswith("--")), "dev_w")
    if "--misses" in argv and any(name not in DEVELOPMENT for name in half.split("+")):
        print("named_corpus: --misses lists the development half only", file=sys.stderr)
        return 2
    items = load(half)
    linter = compile_rules(shipped_pack())
    results = score(items, linter)
    sources = len({w.url or w.source_title for w in items})
    print(f"{half}: {len(items)} wordings from {sources} sources")
    for setting, hits in results.items():
        low, high = interval(items, hits)
        print(f"  {setting:14s} found {sum(hits)}/{len(items)} = {sum(hits) / max(1, len(items)):.3f} ({low:.2f}-{high:.2f})")
        for region in sorted({w.region for w in items}):
            sub = [h for w, h in zip(items, hits) if w.region == region]
            print(f"    {region:10s} {sum(sub)}/{len(sub)}")
    flagged, passages = excerpts_flagged(items, linter)
    print(f"  the sources' own passages with a finding: {flagged}/{passages} (a quotation to warn of a wording: 0 is right)")
    if "--misses" in argv:
        for w, alone, within in zip(items, results["alone"], results["in a sentence"]):
            if not (alone and within):
                print(f"MISS {w.id} [{w.product_type}] alone={alone} in-sentence={within} {w.wording!r} ({w.issuer} {w.date})")
    return 0


if __name__ == "__main__":  # pragma: no cover - command-line entry point
    sys.exit(main(sys.argv[1:]))
