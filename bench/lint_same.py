"""Does the linter of the working tree find what the linter of a git revision finds, on every text we have?

    .venv/bin/python bench/lint_same.py --rev 688ae82

For an engine change meant to be faster and nothing else. Lints, with the shipped cn-bank pack and each engine
(the revision's guard/core/lint.py, text.py, lint_patterns.py, turns.py and lint_scorer.py, loaded as bench/lint.py's
--baseline-rev loads them), every passage of every file of tests/lint/real/ (development and held out alike: only
the findings are compared, no label is read), every script of the written corpus, bench/lint.py's 2,000-character
real, written and clean scripts, and the real scripts joined into one long text; each under its own product type and
under none. Prints how many lints were compared and how many differ, by kind of text: the development sets' and the
written corpus's by id, the held-out sets' as a count only. Exit status 1 when any differs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lint import baseline_linter, build_clean_scripts, build_real_scripts, build_scripts  # noqa: E402
from guard.core.lint import PRODUCT_TYPES, compile_rules  # noqa: E402
from policies.lint_docs import shipped_pack  # noqa: E402
from tests.lint.corpus_data import load_corpus  # noqa: E402

REAL = ROOT / "tests" / "lint" / "real"


def texts() -> list[tuple[str, str, str, str | None]]:
    """(kind, id, text, product type) of every text compared."""
    out = []
    for path in sorted(REAL.glob("*.jsonl")):
        kind = "held out" if path.stem.startswith("heldout") else path.stem
        with path.open(encoding="utf-8") as f:
            for k, line in enumerate(f, 1):
                if not line.strip():
                    continue
                d = json.loads(line)
                if isinstance(d.get("text"), str):
                    ptype = d.get("product_type") if d.get("product_type") in PRODUCT_TYPES else None
                    out.append((kind, f"{path.stem}/{d.get('id') or k}", d["text"], ptype))
    out += [("written corpus", item.id, item.text, item.type) for item in load_corpus()]
    for name, build in (("bench real", build_real_scripts), ("bench written", build_scripts),
                        ("bench clean", build_clean_scripts)):
        out += [(name, f"{name}/{k}", text, ptype) for k, (text, ptype) in enumerate(build(200))]
    joined = "\n".join(text for text, _ in build_real_scripts(60))
    out += [("long text", "long/none", joined, None), ("long text", "long/insurance", joined, "insurance")]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rev", required=True, help="the git revision whose linter is the reference")
    args = parser.parse_args()
    pack = shipped_pack("cn-bank")
    ours, theirs = compile_rules(pack), baseline_linter(args.rev, pack)
    compared, differ, named = Counter(), Counter(), []
    for kind, ident, text, ptype in texts():
        for product_type in dict.fromkeys((ptype, None)):
            compared[kind] += 1
            a, b = ours.lint(text, product_type), theirs.lint(text, product_type)
            if repr((a.verdict, a.findings)) != repr((b.verdict, b.findings)):
                differ[kind] += 1
                if kind != "held out":
                    named.append(f"{ident} ({product_type or 'no type'})")
    for kind in compared:
        print(f"{kind:22s} {compared[kind]:6,d} lints, {differ[kind]:4d} differ")
    print(f"{'all':22s} {sum(compared.values()):6,d} lints, {sum(differ.values()):4d} differ (against {args.rev})")
    for line in named[:50]:
        print("  differs:", line)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
