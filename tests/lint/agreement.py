"""Two officers on the same passages: how far they agree, and the linter against each.

    .venv/bin/python -m tests.lint.agreement [dev|heldout] [--disputed]

The held-out targets of the linter (phrase-finding precision ≥ 0.95 and recall ≥ 0.90 by passage) are measured against
one officer's labels. A second officer labelled 300 development passages blind (tests/lint/real/agreement/README.md:
the sample, the brief, the rules) — without the first officer's labels, the rules or the linter — so the labels can be
held against each other: the agreement (and Cohen's kappa) on flag / clean / quote, each officer scored as if it were
the linter by the other's labels, and the linter by each officer and on the passages both agree on. Each precision and
recall with a 95 % interval by bootstrap over site groups, as the corpus's figures have it. The officers are also held
against each other split by the first officer's certainty (a label its note marks doubtful, and the rest). On the development passages
the learned scorer is trained on the first officer's labels, so the linter's figures by the first officer are
in-sample. `heldout`: another 300 passages,
drawn from the held-out sets and labelled by a second officer the same way, give the officers' agreement where the
targets are measured; the linter is not scored on them (a held-out set is scored once per version, not for this).
`--disputed` lists the development passages the officers label differently, with both reasons (refused on the held-out
sample, whose passages nobody tuning the linter reads).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from tests.lint.real_corpus import DEVELOPMENT, Item, interval, load, phrase_findings

AGREEMENT = Path(__file__).parent / "real" / "agreement"
SECOND = AGREEMENT / "second_officer.jsonl"
SECOND_HELDOUT = AGREEMENT / "second_officer_heldout.jsonl"
LABELS = ("flag", "clean", "quote")
CODES = ("BANNED_PHRASE", "MISLEADING", "PRESSURE")


@dataclass(frozen=True)
class Pair:
    set: str  # the set the passage is of (a development set; a held-out one in the held-out sample)
    item: Item  # the passage, with the first officer's label
    second: str  # the second officer's label
    second_codes: tuple[str, ...]
    second_note: str


def load_pairs(path: Path = SECOND, held_out: bool = False) -> list[Pair]:
    """The second officer's labels, each with its passage (refused: a passage of no development set — of no held-out
    set with `held_out` —, a label or code outside the corpus's, codes on a label other than flag)."""
    sets: dict[str, dict[str, Item]] = {}  # each set's passages by id, loaded when first named
    pairs = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            d = json.loads(line)
            if (d["set"] in DEVELOPMENT) == held_out or not d["set"].startswith(("dev", "heldout")):
                raise ValueError(f"{path.name}:{n}: {d['set']} is not a {'held-out' if held_out else 'development'} set")
            if d["set"] not in sets:
                sets[d["set"]] = {i.id: i for i in load(d["set"])}
            item = sets[d["set"]].get(d["id"])
            codes = tuple(d.get("codes") or ())
            if item is None or d["label"] not in LABELS or not set(codes) <= set(CODES) or bool(codes) != (d["label"] == "flag"):
                raise ValueError(f"{path.name}:{n}: {d['set']} {d['id']} {d['label']} {codes}")
            pairs.append(Pair(d["set"], item, d["label"], codes, d.get("note") or ""))
    return pairs


def kappa(first: list, second: list) -> tuple[float, float]:
    """Observed agreement and Cohen's kappa of two labellings of the same items."""
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second)) / n
    a, b = Counter(first), Counter(second)
    expected = sum(a[k] * b[k] for k in a.keys() | b.keys()) / (n * n)
    return observed, (observed - expected) / (1 - expected) if expected < 1 else 1.0


def precision_recall(flagged: list[bool], positive: list[bool]) -> tuple[float, float]:
    tp = sum(f and p for f, p in zip(flagged, positive))
    fp = sum(f and not p for f, p in zip(flagged, positive))
    fn = sum(p and not f for f, p in zip(flagged, positive))
    return tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0


def report(pairs: list[Pair], pack=None, kind: str = "development") -> list[str]:
    """The figures; the linter's lines only with a `pack` to lint with."""
    first = [p.item.label for p in pairs]
    second = [p.second for p in pairs]
    out = [f"{len(pairs)} {kind} passages labelled by two officers"]
    observed, k = kappa(first, second)
    out.append(f"flag / clean / quote: agreement {observed:.3f}, Cohen's kappa {k:.3f}")
    observed, k = kappa([x == "flag" for x in first], [x == "flag" for x in second])
    out.append(f"flag or not:         agreement {observed:.3f}, Cohen's kappa {k:.3f}")
    out.append("first officer (rows) by second (columns): " + " · ".join(
        f"{a}→{b} {sum(1 for x, y in zip(first, second) if (x, y) == (a, b))}" for a in LABELS for b in LABELS))

    def line(name: str, flagged: list[bool], positive: list[bool], quotes: list[bool], of: list[Pair] = pairs) -> str:
        p, r = precision_recall(flagged, positive)
        # the corpus's interval (a bootstrap over site groups), with the passages labelled as `positive` says
        judged = [replace(q.item, label="flag" if y else "clean") for q, y in zip(of, positive)]
        (pl, ph), (rl, rh) = interval(judged, flagged)
        quoted = sum(f and q for f, q in zip(flagged, quotes))
        return (f"  {name:<46} P {p:.3f} ({pl:.2f}–{ph:.2f})  R {r:.3f} ({rl:.2f}–{rh:.2f})  "
                f"quotes flagged {quoted}/{sum(quotes)}")

    by_first, by_second = [x == "flag" for x in first], [x == "flag" for x in second]
    out.append("by (passage, flag), as the held-out figures are:")
    out.append(line("second officer, by the first's labels", by_second, by_first, [x == "quote" for x in first]))
    out.append(line("first officer, by the second's labels", by_first, by_second, [x == "quote" for x in second]))
    # split by the first officer's certainty (a label whose note says doubtful, and the rest)
    for certainty in ("clear", "doubtful"):
        of = [i for i, p in enumerate(pairs) if p.item.certainty == certainty]
        if not of:
            continue
        observed, k = kappa([by_first[i] for i in of], [by_second[i] for i in of])
        out.append(f"  the first officer's {certainty} labels ({len(of)}): flag or not agreement {observed:.3f}, "
                   f"kappa {k:.3f}")
        out.append(line(f"second officer, by the first's {certainty} labels", [by_second[i] for i in of],
                        [by_first[i] for i in of], [first[i] == "quote" for i in of], [pairs[i] for i in of]))
    if pack is None:
        return out
    lint = [bool(phrase_findings(p.item.text, p.item.product_type, pack)) for p in pairs]
    out.append(line("linter, by the first officer (in-sample)", lint, by_first, [x == "quote" for x in first]))
    out.append(line("linter, by the second officer", lint, by_second, [x == "quote" for x in second]))
    both = [i for i in range(len(pairs)) if by_first[i] == by_second[i]]
    agreed = [pairs[i] for i in both]
    out.append(line(f"linter, on the {len(both)} both agree on", [lint[i] for i in both], [by_first[i] for i in both],
                    [first[i] == second[i] == "quote" for i in both], agreed))
    clear = [i for i in both if pairs[i].item.certainty == "clear"]
    out.append(line(f"linter, on the {len(clear)} of those the first calls clear", [lint[i] for i in clear],
                    [by_first[i] for i in clear], [first[i] == second[i] == "quote" for i in clear],
                    [pairs[i] for i in clear]))
    return out


def disputed(pairs: list[Pair]) -> list[str]:
    """The passages the two officers label differently: set, id, the two labels, both reasons and the text."""
    return [f"{p.set} {p.item.id}: first {p.item.label} ({p.item.note}) · second {p.second} ({p.second_note})\n    "
            + p.item.text.replace("\n", " ") for p in pairs if p.item.label != p.second]


def main(argv: list[str]) -> int:
    from policies.lint_docs import shipped_pack

    args = [a for a in argv if a != "--disputed"]
    if args not in ([], ["dev"], ["heldout"]):
        print("usage: python -m tests.lint.agreement [dev|heldout] [--disputed]", file=sys.stderr)
        return 2
    if args == ["heldout"]:
        if "--disputed" in argv:
            print("--disputed lists development passages only: the held-out sample is not read", file=sys.stderr)
            return 2
        print("\n".join(report(load_pairs(SECOND_HELDOUT, held_out=True), kind="held-out")))
        return 0
    pairs = load_pairs()
    print("\n".join(disputed(pairs) if "--disputed" in argv else report(pairs, shipped_pack())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
