"""A linter round judged by README item 53's decision rule: what the working tree's linter and pack flag on the
development sets, against a git revision's.

    .venv/bin/python bench/lint_round.py --rev HEAD               # the uncommitted round against the last commit
    .venv/bin/python bench/lint_round.py --rev 86fafa9 --heldout  # and the held-out sets, counted (once per round)

Each side (the working tree, and the revision extracted with `git archive` into a temporary directory) lints, with its
own engine and its own cn-bank pack, every passage of the development sets (tests.lint.real_corpus.DEVELOPMENT) two
ways: each passage alone, and the lines of real scripts (`run`) linted whole as a reviewer pastes them
(real_corpus.as_scripts). A passage is flagged when a phrase rule or the scorer has a finding on it (real_corpus's
phrase codes). Labels and texts are the working tree's; passages that only one side has are left out.

Prints, for each way, the flags that changed (FIXED: now as the officer labelled it; BROKE: no longer) with the set,
id, label, whether the officer is sure, and the start of the text; the false alarms and claims found before and after;
then item 53's rule, on both ways:
  - no claim an officer is sure of is lost;
  - at least three negatives (clean or quote) cleared for every doubtful claim lost;
  - no negative newly flagged.
With --heldout, the held-out sets too, as counts only (changed passages by label, certainty and set; no text, no id is
printed): they are the report, not the rule. Exit status 1 when the rule fails on either way.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run in a tree's root with that tree's code: {"dev": {key: [flag_whole, flag_alone, label, certainty, text]},
# "held": {key: [flag_whole, flag_alone]}}. Held-out texts and labels never leave the child.
CHILD = r"""
import json, sys
sys.path.insert(0, ".")
from pathlib import Path
from tests.lint.real_corpus import DEVELOPMENT, load, as_scripts, phrase_findings
from policies.lint_docs import shipped_pack
pack = shipped_pack()
held_names = sorted(p.stem for p in Path("tests/lint/real").glob("heldout*.jsonl")) if sys.argv[1] == "1" else []
out = {"dev": {}, "held": {}}
for kind, names in (("dev", DEVELOPMENT), ("held", held_names)):
    for name in names:
        items = load(name)
        runs = [i for i in items if i.run]
        whole = as_scripts(runs, pack) if runs else {}
        for i in items:
            alone = bool(phrase_findings(i.text, i.product_type, pack))
            row = [bool(whole[i.id]) if i.run else alone, alone]
            if kind == "dev":
                row += [i.label, i.certainty, i.text[:80]]
            else:
                row += [i.label, i.certainty]
            out[kind][f"{name}/{i.id}"] = row
json.dump(out, sys.stdout)
"""

WAYS = (("runs linted whole", 0), ("each passage alone", 1))


def flags(root: Path, heldout: bool) -> dict:
    result = subprocess.run([sys.executable, "-c", CHILD, "1" if heldout else "0"], cwd=root, capture_output=True,
                            text=True)
    if result.returncode != 0:
        raise SystemExit(f"linting in {root} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def extract(rev: str, into: Path) -> None:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True)
    if archive.returncode != 0:
        raise SystemExit(f"git archive {rev}: {archive.stderr.decode(errors='replace').strip()}")
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)


def tally(flags: dict, labels: dict, way: int, keys: list[str]) -> tuple[int, int]:
    """(false alarms, claims found) of one way: `flags`' rows flagged, by the working tree's `labels`."""
    flagged = [k for k in keys if flags[k][way]]
    claims = sum(1 for k in flagged if labels[k][2] == "flag")
    return len(flagged) - claims, claims


def judge(before: dict, after: dict, way: int, label: str, show: bool) -> bool:
    """Print one way's changes and figures; does item 53's rule hold on it?"""
    keys = [k for k in after if k in before]
    sure_lost = doubtful_lost = cleared = newly_flagged = 0
    lines = []
    for k in keys:
        was, now = before[k][way], after[k][way]
        if was == now:
            continue
        row = after[k]
        claim, sure = row[2] == "flag", row[3] == "clear"
        fixed = now == claim
        if claim and not now:
            sure_lost += sure
            doubtful_lost += not sure
        elif not claim:
            cleared += not now
            newly_flagged += now
        lines.append(f"  {'FIXED' if fixed else 'BROKE'} {k} {row[2]} {'sure' if sure else 'doubtful'}  {row[4]!r}")
    fa0, found0 = tally(before, after, way, keys)
    fa1, found1 = tally(after, after, way, keys)
    print(f"{label}: false alarms {fa0} -> {fa1}, claims found {found0} -> {found1}, {len(lines)} passages changed")
    if show and lines:
        print("\n".join(lines))
    holds = sure_lost == 0 and cleared >= 3 * doubtful_lost and newly_flagged == 0
    print(f"  rule: sure claims lost {sure_lost} (0 allowed), doubtful claims lost {doubtful_lost} against negatives "
          f"cleared {cleared} (three each needed), negatives newly flagged {newly_flagged} (0 allowed): "
          f"{'holds' if holds else 'FAILS'}")
    return holds


def held_counts(before: dict, after: dict, way: int, label: str) -> None:
    changed: Counter = Counter()
    for k, row in after.items():
        if k in before and before[k][way] != row[way]:
            changed[("newly flagged" if row[way] else "cleared", row[2], "sure" if row[3] == "clear" else "doubtful",
                     k.split("/")[0])] += 1
    print(f"held out, {label}: {sum(changed.values())} passages changed" + ("" if changed else "."))
    for (what, lab, sure, name), n in sorted(changed.items()):
        print(f"  {what}: {n} {sure} {lab} in {name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rev", required=True, help="the git revision the working tree's round is judged against")
    parser.add_argument("--heldout", action="store_true", help="also count the held-out sets' changed passages")
    parser.add_argument("--quiet", action="store_true", help="figures and the rule only, not each changed passage")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lint-round-") as tmp:
        extract(args.rev, Path(tmp))
        before = flags(Path(tmp), args.heldout)
    after = flags(ROOT, args.heldout)
    print(f"bench/lint_round.py: the working tree against {args.rev}, development sets "
          f"({len([k for k in after['dev'] if k in before['dev']]):,} passages on both sides)")
    holds = all([judge(before["dev"], after["dev"], way, label, not args.quiet) for label, way in WAYS])
    if args.heldout:
        for label, way in WAYS:
            held_counts(before["held"], after["held"], way, label)
    return 0 if holds else 1


if __name__ == "__main__":
    sys.exit(main())
