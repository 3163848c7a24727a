"""Scoring the script linter on real published text (tests/lint/real/, see its README).

    .venv/bin/python -m tests.lint.real_corpus [dev|dev_b|…|dev_n|dev_p|dev_q|dev_r|dev_s|dev_t|dev_u|dev+dev_b|heldout|…|heldout_n|heldout_o|heldout_p|heldout_q|heldout_r|heldout_s|heldout_t|heldout_u] [--misses] [--families] [--rules] [--scripts]
    .venv/bin/python -m tests.lint.real_corpus --rule-page > docs/lint-rule-figures.md
    .venv/bin/python -m tests.lint.real_corpus judged.jsonl [--misses] [--rules]   (a file of one's own: guard judgements --format corpus)

By (passage, flag): a passage is flagged when the linter reports any phrase finding on it
(BANNED_PHRASE, MISLEADING or PRESSURE, any severity; missing disclosures do not count, a passage
is not a whole script). An officer's `flag` is a positive; `clean` and `quote` (a rule quoted to
forbid it, a report of what was said) are negatives. Precision = flagged positives / flagged,
recall = flagged positives / positives (also split by the officer's certainty: `clear` labels and those the note marks
doubtful), each with a 95 % interval (`interval`: a bootstrap over the
sites the passages come from, since passages of one site share its wording and are not independent; so
that a move of a point or two can be told from noise). `--misses` lists the passages judged wrongly and
`--families` the figures per family, `--rules` each rule's findings (`rule_figures`): use them on development sets only (`dev`; `dev_b` and `dev_c`, second and third
development sets collected blind later; or several joined, `dev+dev_b+dev_c`) — the held-out sets are for
reporting figures, never for tuning. A name joined with `+` scores the files together.
`--scripts` lints the lines of each run (corpora K, L, M, N, O and P: consecutive lines of one real script or page) as one script, as a
reviewer pastes it, and judges each line by the findings that start on it (`as_scripts`); other passages alone.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REAL = Path(__file__).parent / "real"
PHRASE_CODES = ("BANNED_PHRASE", "MISLEADING", "PRESSURE")


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    source: str
    region: str
    script: str
    product_type: str | None
    label: str
    codes: tuple[str, ...]
    family: str
    note: str
    run: str = ""  # corpus K: the run of consecutive script lines the line belongs to, and its place in it
    line: int = 0

    @property
    def certainty(self) -> str:
        """"doubtful" when the officer's note marks the label as borderline (the corpus's convention: the note holds the
        word doubtful, tests/lint/real/README.md), else "clear"."""
        return "doubtful" if "doubtful" in self.note.lower() else "clear"


# Sets whose passages may be listed (misses, per-family figures): the development sets only.
DEVELOPMENT = ("dev", "dev_b", "dev_c", "dev_d", "dev_e", "dev_f", "dev_g", "dev_h", "dev_i", "dev_j", "dev_k", "dev_l", "dev_m", "dev_n",
               "dev_p", "dev_q", "dev_r", "dev_s", "dev_t", "dev_u")


def available(half: str) -> bool:
    """Are all the files of `half` (e.g. dev+dev_b) present?"""
    return all((REAL / f"{name}.jsonl").is_file() for name in half.split("+"))


def load(half: str) -> list[Item]:
    """The passages of one set, or of several joined with + (dev+dev_b), in file order."""
    return [item for name in half.split("+") for item in load_file(REAL / f"{name}.jsonl")]


def load_file(path: Path) -> list[Item]:
    """The passages of one corpus file (JSON Lines, tests/lint/real/README.md), in file order: a set of this directory,
    or reviewers' judgements exported by `guard judgements --format corpus`."""
    items = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            items.append(Item(d["id"], d["text"], d["source"], d["region"], d["script"], d.get("product_type"),
                              d["label"], tuple(d.get("codes") or ()), d.get("family") or "", d.get("note") or "",
                              d.get("run") or "", d.get("line") or 0))
    return items


def phrase_findings(text: str, product_type: str | None, pack) -> list:
    """The phrase findings of a passage: under its product type when the officer knew it, else under every rule."""
    from guard.core.lint import lint

    return [f for f in lint(text, product_type, pack).findings if f.code in PHRASE_CODES]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    quoted_flagged: int = 0  # `quote` passages with a finding (must be 0)
    quotes: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def runs_of(items: list[Item], alone: bool = False) -> list[list[Item]]:
    """The runs of `items` (consecutive lines of one real script or one seller's copy), each run's lines in their order,
    the runs in the order their first line comes; with `alone`, each passage of no run as a run of its own."""
    runs: dict[str, list[Item]] = {}
    for item in items:
        if item.run or alone:
            runs.setdefault(item.run or f"\x00{item.id}", []).append(item)
    return [sorted(lines, key=lambda i: i.line) for lines in runs.values()]


def as_scripts(items: list[Item], pack, linter=None) -> dict[str, list]:
    """Each passage's phrase findings when the lines of its run are linted as one script — the lines joined by
    line breaks in their order, under the run's product type (the one its lines name, or none when they name
    several) — as a reviewer pastes a script: a finding belongs to the line it starts on. A passage of no run
    is linted alone. `linter`: a compiled linter to lint with instead of the pack's (an experiment's variant)."""
    from guard.core.lint import compile_rules

    ids = Counter(i.id for i in items)
    if len(ids) != len(items):
        # corpus A's ids (r0001 …) are corpus R's too: a file set of both joined (dev+dev_r) would give one passage
        # the other's findings, or join the two into one script
        repeated = sorted(k for k, v in ids.items() if v > 1)
        raise ValueError(f"passage ids repeat across the sets joined ({', '.join(repeated[:5])} …): "
                         f"score these sets apart, or lint their passages alone (scripts=False)")
    linter = linter or compile_rules(pack)
    found: dict[str, list] = {}
    for lines in runs_of(items, alone=True):
        types = {i.product_type for i in lines} - {None}
        text = "\n".join(i.text for i in lines)
        findings = [f for f in linter.lint(text, types.pop() if len(types) == 1 else None).findings
                    if f.code in PHRASE_CODES]
        start = 0
        for i in lines:
            end = start + len(i.text)
            found[i.id] = [f for f in findings if start <= f.start < end]
            start = end + 1
    return found


def score(items: list[Item], pack, by: str = "region",
          scripts: bool = False) -> tuple[Score, dict[str, Score], list[tuple[Item, list]]]:
    """The overall score, the score per `by` (an Item field: region, family, label), and the passages
    judged wrongly (with their findings). `scripts`: each run of lines linted as one script (as_scripts)."""
    total, by_region, wrong = Score(), {}, []
    whole = as_scripts(items, pack) if scripts else {}
    for item in items:
        found = whole[item.id] if scripts else phrase_findings(item.text, item.product_type, pack)
        flagged, positive = bool(found), item.label == "flag"
        for s in (total, by_region.setdefault(getattr(item, by), Score())):
            if positive:
                s.tp, s.fn = s.tp + flagged, s.fn + (not flagged)
            else:
                s.fp, s.tn = s.fp + flagged, s.tn + (not flagged)
            if item.label == "quote":
                s.quotes += 1
                s.quoted_flagged += flagged
        if flagged != positive:
            wrong.append((item, found))
    return total, by_region, wrong


def runs_and_passages(items: list[Item], pack) -> tuple[Score, Score]:
    """The figures of a set of both kinds (corpora O and P), as their plans say: the runs' lines, each run linted whole
    (`as_scripts`), and the single passages, each alone."""
    runs, passages = [i for i in items if i.run], [i for i in items if not i.run]
    return score(runs, pack, scripts=True)[0], score(passages, pack)[0]


@dataclass
class RuleFigure:
    """One rule's findings over labelled passages: the passages it has a finding on (its own or merged into another
    rule's: a finding's `rules`), how many of them an officer flags, how many an officer is sure are no claim (a
    clean or quote label not marked doubtful), and the same counts where it is the passage's only rule (the
    passages it alone decides)."""
    passages: int = 0
    claims: int = 0
    sure_negatives: int = 0
    alone: int = 0
    alone_claims: int = 0

    @property
    def precision(self) -> float:
        return self.claims / self.passages if self.passages else 1.0


def rule_figures(item_sets: list[list[Item]], pack) -> dict[str, RuleFigure]:
    """Each rule's RuleFigure over the passages of `item_sets` (each set linted on its own: the ids of two sets may
    repeat), as the sets' figures are made: a run's lines linted as one script, other passages alone (`as_scripts`)."""
    figures: dict[str, RuleFigure] = {}
    for items in item_sets:
        found = as_scripts(items, pack)
        for item in items:
            rules = {hit.rule for f in found[item.id] for hit in (f.rules or ())} | {f.rule for f in found[item.id]}
            claim = item.label == "flag"
            for rule in rules:
                fig = figures.setdefault(rule, RuleFigure())
                fig.passages += 1
                fig.claims += claim
                fig.sure_negatives += not claim and item.certainty == "clear"
                if len(rules) == 1:
                    fig.alone += 1
                    fig.alone_claims += claim
    return figures


def rule_page(pack, sets: tuple[str, ...] = DEVELOPMENT) -> str:
    """docs/lint-rule-figures.md: every phrase rule's and the scorer's findings on the development sets, the weakest
    first (`python -m tests.lint.real_corpus --rule-page > docs/lint-rule-figures.md`)."""
    item_sets = [load(name) for name in sets]
    figures = rule_figures(item_sets, pack)
    order = [r.id for r in pack.phrases] + ["learned.sales_claim"]
    total = sum(map(len, item_sets))
    lines = [
        "# Each lint rule on real text",
        "",
        f"Generated from the `{pack.id}` pack (version {pack.version}) and the development sets of `tests/lint/real/`",
        "by `python -m tests.lint.real_corpus --rule-page`; do not edit by hand (a test keeps it in step).",
        "",
        f"The development sets hold {total:,} real published passages and lines of real scripts, each labelled as a",
        "compliance officer would (README, \"On real text\"). For each rule: the passages it has a finding on (its own, or",
        "merged into another rule's finding on the same words), how many of them an officer flags as a claim, and its",
        "precision there; how many an officer is sure are no claim; and the passages where it is the only rule with a",
        "finding (what it alone decides). The rules were tuned on these sets, so the figures are optimistic: on the",
        "held-out sets, never read, the linter's precision is lower (README, \"On real text\"; by rule it is not",
        "reported there, so that those sets stay unread). A reviewer reading a finding of a rule low in this table",
        "should expect it to be wrong about as often as right.",
        "",
        "| rule | passages with a finding | of them claims | precision | sure no claim | alone | alone, claims |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    shown = sorted((r for r in order if r in figures), key=lambda r: (figures[r].precision, r))
    for rule in shown:
        f = figures[rule]
        lines.append(f"| `{rule}` | {f.passages} | {f.claims} | {f.precision:.2f} | {f.sure_negatives} | {f.alone} | "
                     f"{f.alone_claims} |")
    silent = [r for r in order if r not in figures]
    if silent:
        lines += ["", "No finding on these sets: " + ", ".join(f"`{r}`" for r in silent) + "."]
    return "\n".join(lines) + "\n"


BOOTSTRAP_ROUNDS = 2000
BOOTSTRAP_SEED = 2026


def interval(items: list[Item], flagged: list[bool], rounds: int = BOOTSTRAP_ROUNDS,
             seed: int = BOOTSTRAP_SEED) -> tuple[tuple[float, float], tuple[float, float]]:
    """95 % intervals of (precision, recall): the 2.5th and 97.5th percentiles over `rounds` resamples,
    each drawing as many site groups as there are, with replacement, and all the passages of each (a
    cluster bootstrap; seeded, so the same data gives the same interval). `flagged[i]` is whether the
    linter flagged items[i]."""
    import random

    from tests.lint.test_real_corpus_b import site_group

    by_site: dict[str, list[int]] = {}
    for item, hit in zip(items, flagged):
        cell = by_site.setdefault(site_group(item.source), [0, 0, 0])
        if item.label == "flag":
            cell[0 if hit else 2] += 1
        elif hit:
            cell[1] += 1
    cells = list(by_site.values())
    rnd = random.Random(seed)
    precisions, recalls = [], []
    for _ in range(rounds):
        tp = fp = fn = 0
        for cell in rnd.choices(cells, k=len(cells)):
            tp, fp, fn = tp + cell[0], fp + cell[1], fn + cell[2]
        precisions.append(tp / (tp + fp) if tp + fp else 1.0)
        recalls.append(tp / (tp + fn) if tp + fn else 1.0)

    def bounds(values: list[float]) -> tuple[float, float]:
        values.sort()
        return values[int(0.025 * (len(values) - 1))], values[int(0.975 * (len(values) - 1))]

    return bounds(precisions), bounds(recalls)


def main(argv: list[str]) -> int:
    from policies.lint_docs import shipped_pack

    if "--rule-page" in argv:
        sys.stdout.write(rule_page(shipped_pack()))
        return 0
    half = argv[0] if argv and not argv[0].startswith("-") else "dev"
    # a corpus file of one's own (e.g. reviewers' judgements: guard judgements --format corpus), read as a development set
    own = half.endswith(".jsonl") and Path(half).is_file()
    # a file of one's own is a development set unless it is named as a held-out half (guard judgements --split)
    development = not Path(half).name.startswith("heldout") if own else all(name in DEVELOPMENT for name in half.split("+"))
    if not own and not available(half):
        print(f"{half}: no such set in {REAL} (yet)")
        return 2
    pack = shipped_pack()
    items = load_file(Path(half)) if own else load(half)
    scripts = "--scripts" in argv
    try:
        total, by_region, wrong = score(items, pack, scripts=scripts)
    except ValueError as e:  # ids repeated across the sets joined (as_scripts)
        print(f"{half}: {e}")
        return 2
    wrong_ids = {item.id for item, _ in wrong}
    (p_lo, p_hi), (r_lo, r_hi) = interval(items, [(i.id in wrong_ids) != (i.label == "flag") for i in items])
    print(f"{half}: {len(items)} passages ({Counter(i.label for i in items)})"
          + (f", linted as {len({i.run or i.id for i in items})} scripts (the lines of each run joined)" if scripts else ""))
    print(f"  precision {total.precision:.3f}  recall {total.recall:.3f}  (tp {total.tp} fp {total.fp} fn {total.fn} tn {total.tn})"
          f"  quotes flagged {total.quoted_flagged}/{total.quotes}")
    print(f"  95 % interval (bootstrap over sites): precision {p_lo:.3f}-{p_hi:.3f}  recall {r_lo:.3f}-{r_hi:.3f}")
    for region, s in sorted(by_region.items()):
        print(f"  {region:9s} precision {s.precision:.3f}  recall {s.recall:.3f}  (tp {s.tp} fp {s.fp} fn {s.fn})")
    # the same findings split by the officer's certainty: labels the officer marked doubtful, and the rest
    _, by_certainty, _ = score(items, pack, by="certainty", scripts=scripts)
    for certainty in ("clear", "doubtful"):
        s = by_certainty.get(certainty, Score())
        print(f"  {certainty:9s} precision {s.precision:.3f}  recall {s.recall:.3f}  (tp {s.tp} fp {s.fp} fn {s.fn} tn {s.tn})"
              f"  quotes flagged {s.quoted_flagged}/{s.quotes}")
    if ("--misses" in argv or "--families" in argv or "--rules" in argv) and not development:
        print("refused: list misses, families and rules of the development sets only (held-out sets are never used for "
              "tuning)")
        return 2
    if "--rules" in argv:
        figures = rule_figures([items] if own else [load(name) for name in half.split("+")], pack)
        for rule, f in sorted(figures.items(), key=lambda kv: (kv[1].precision, kv[0])):
            print(f"  {rule:40s} passages {f.passages:4d}  claims {f.claims:4d}  precision {f.precision:.2f}  "
                  f"sure no claim {f.sure_negatives:4d}  alone {f.alone:4d} ({f.alone_claims} claims)")
    if "--families" in argv:
        _, by_family, _ = score(items, pack, by="family", scripts=scripts)
        for family, s in sorted(by_family.items()):
            if s.tp + s.fn:
                print(f"  {family:22s} recall {s.recall:.3f}  (tp {s.tp} fn {s.fn})")
            else:
                print(f"  {family:22s} flagged {s.fp}/{s.fp + s.tn}")
    if "--misses" in argv:
        for item, found in wrong:
            kind = "FN" if item.label == "flag" else "FP"
            print(f"{kind} {item.id} [{item.label}/{item.family}] {item.text!r}")
            for f in found:
                print(f"     {f.code} {f.rule} {f.matched!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
