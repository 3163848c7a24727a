"""Benchmark of the script linter, in process next to a naive baseline, then over HTTP.

    .venv/bin/python bench/lint.py [--scripts 200] [--inproc-seconds 3] [--seconds 15] [--clients 8] [--no-http]

Builds 2,000-character scripts by concatenating the labelled corpus (tests/lint/corpus/) in a
fixed shuffled order, then measures, on the same scripts:
  guard   guard.core.lint with the shipped cn-bank pack: normalisation with the offset map, one
          Aho-Corasick pass, negation/except/proximity, findings with original offsets
  naive   NFKC over the whole text, then one `str.find` per pattern and disclosure phrase (no
          traditional script, no evasions, no offsets, no negation: strictly less work)
Prints characters per second for both, by the clock and by CPU time (this process's: steadier when
the machine is shared); the runs take turns round by round and each figure is the median round (a change of load falls
on all runs alike). Then the same on real text: 2,000-character scripts of the development sets' real
passages and script lines (tests/lint/real/; fewer hits than the written corpus, whose every script has one),
each under its first passage's product type or, without one, every rule. Then real scripts as a reviewer pastes them:
the development sets' runs of consecutive lines (real scripts and sellers' copy, ordinary lines kept) in their order,
about four phrase findings a script. Then clean scripts: the written corpus's
clean scripts (tests/lint/corpus/clean.yaml) of one product type joined and linted under it, as a script fit for
approval reads (no phrase finding: throughput depends on how many hits a text holds). Target for guard: >= 3,000,000
chars/s.
`--baseline-rev REV` also measures the linter as it was at git revision REV (guard/core/lint.py,
text.py, lint_patterns.py, turns.py and lint_scorer.py of REV; before/after in one run, on the same scripts and pack).

Then linearity: one text of 10,000, 100,000 and 1,000,000 characters (the scripts joined by line
breaks, so long texts with many hits, negators and line breaks) linted once each, with seconds by
the clock and of CPU, and chars/s, for guard, the baseline revision (skipped above 100,000
characters when it is slower than 5 s) and naive.

Then, unless --no-http, POST /v1/scripts/lint end to end: gunicorn started as `make run` starts it
(`guard db upgrade` on a fresh SQLite store in a temp dir, then gunicorn.conf.py with its default
workers and threads), a reviewer key from `guard keys create`, and bench/closed_loop.py's closed loop
(8 keep-alive clients in separate processes, after a 2 s warm-up) sending the same 2,000-character
scripts with product_type wealth. Prints scripts/s, p50/p99 latency and errors.
Target: >= 400 scripts/s.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
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
HTTP_TARGET = 400  # scripts/s


def build_scripts(n: int) -> list[tuple[str, str]]:
    """n scripts of exactly SCRIPT_CHARS characters of the written corpus, each with the product type of its first part."""
    return _joined([(item.text, item.type) for item in load_corpus()], n)


def build_real_scripts(n: int) -> list[tuple[str, str | None]]:
    """n scripts of exactly SCRIPT_CHARS characters of real published text: the development sets' passages and script
    lines (tests/lint/real/, labels unused), each with its first part's product type (None: every rule applies, as
    for a script whose type is not given)."""
    from tests.lint.real_corpus import DEVELOPMENT, load

    return _joined([(i.text, i.product_type) for name in DEVELOPMENT for i in load(name)], n)


def build_pasted_scripts(n: int) -> list[tuple[str, str | None]]:
    """Up to n scripts of SCRIPT_CHARS characters of real scripts as a reviewer pastes them: the development sets' runs
    (consecutive lines of one real script or one seller's copy, ordinary lines kept: tests/lint/real/, labels unused),
    each run's lines in their order and the runs one after another, with the first run's product type. About four phrase
    findings a script, where the written corpus's scripts hold some seventeen. Fewer than n when the runs run out
    (some 60 scripts); the rounds repeat them."""
    from tests.lint.real_corpus import DEVELOPMENT, load, runs_of

    out: list[tuple[str, str | None]] = []
    texts: list[str] = []
    ptype: str | None = None
    for items in (run for name in DEVELOPMENT for run in runs_of(load(name))):
        if not texts:
            ptype = items[0].product_type
        texts.append("\n".join(i.text for i in items))
        if sum(len(t) + 1 for t in texts) >= SCRIPT_CHARS:
            out.append(("\n".join(texts)[:SCRIPT_CHARS], ptype))
            texts = []
            if len(out) == n:
                break
    return out


def build_clean_scripts(n: int) -> list[tuple[str, str]]:
    """n scripts of exactly SCRIPT_CHARS characters of the written corpus's clean scripts (tests/lint/corpus/clean.yaml),
    each joined from the clean scripts of one product type (repeated: a type's clean scripts are fewer than 2,000
    characters together) and linted under it: what a script fit for approval looks like (no phrase finding), the
    product types in turn."""
    by_type: dict[str, list[tuple[str, str]]] = {}
    for item in load_corpus():
        if item.kind == "clean":
            by_type.setdefault(item.type, []).append((item.text, item.type))
    types = sorted(by_type)
    for t in types:  # a type's clean scripts are fewer than 2,000 characters together: repeat them to fill a script
        total = sum(len(text) + 1 for text, _ in by_type[t])
        by_type[t] = by_type[t] * (SCRIPT_CHARS // total + 1)
    per_type = {t: _joined(by_type[t], n // len(types) + 1) for t in types}
    return [per_type[types[k % len(types)]][k // len(types)] for k in range(n)]


def _joined(parts: list[tuple[str, str | None]], n: int) -> list[tuple[str, str | None]]:
    """n scripts, each the (text, product type) parts in a fresh seeded shuffle joined by line breaks up to SCRIPT_CHARS
    characters, with the first part's type."""
    rng = random.Random(2026)
    out = []
    for _ in range(n):
        rng.shuffle(parts)
        texts, size = [], 0
        for text, _ in parts:
            texts.append(text)
            size += len(text) + 1
            if size >= SCRIPT_CHARS:
                break
        out.append(("\n".join(texts)[:SCRIPT_CHARS], parts[0][1]))
    return out


def run_alternated(fns: list, scripts, seconds: float) -> list[tuple[float, float, int]]:
    """For each of `fns`: chars/s over the scripts by the clock and by this process's CPU time (steadier on a machine
    shared with other work), and the hit count per round. The runs take turns, one round (every script once) each, for
    at least `seconds` per run, and each figure is the median of its run's rounds: a change of the machine's load
    falls on every run alike, and a round slowed by another process's burst does not move the median (measured one
    after another, the same build moved ±5 % between runs)."""
    per_round: list[list[tuple[float, float]]] = [[] for _ in fns]
    hits = [0] * len(fns)
    chars = sum(len(text) for text, _ in scripts)
    started = time.perf_counter()
    while True:
        for k, fn in enumerate(fns):
            clock, cpu = time.perf_counter(), time.process_time()
            found = 0
            for text, ptype in scripts:
                found += fn(text, ptype)
            per_round[k].append((time.perf_counter() - clock, time.process_time() - cpu))
            hits[k] = found
        if time.perf_counter() - started >= seconds * len(fns) and len(per_round[0]) >= 3:
            break
    out = []
    for k in range(len(fns)):
        clock = statistics.median(c for c, _ in per_round[k])
        cpu = statistics.median(c for _, c in per_round[k])
        out.append((chars / clock, chars / cpu if cpu > 0 else float("inf"), hits[k]))
    return out


def bench_http(scripts: list[tuple[str, str]], seconds: float, clients: int) -> None:
    """POST /v1/scripts/lint through gunicorn, as `make run` serves it, on a fresh SQLite store."""
    from bench.closed_loop import run as load
    from tests.e2e.servers import GuardServer, cli, request

    work = Path(tempfile.mkdtemp(prefix="guard-bench-lint-"))
    try:
        env = {"DATABASE_URL": f"sqlite:///{work / 'guard.db'}", "GUARD_DATA_DIR": str(work / "data"),
               "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "INFO"}
        for step in (("db", "upgrade"), ("keys", "create", "--role", "reviewer")):
            done = cli(env, *step)
            if done.returncode != 0:
                raise RuntimeError(f"guard {' '.join(step)} failed: {done.stderr[-2000:]}")
        key = done.stdout.strip()
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}
        bodies = [{"text": text, "product_type": "wealth"} for text, _ in scripts]

        def make_body(client: int, n: int) -> dict:
            return bodies[(client * 7919 + n) % len(bodies)]

        # gunicorn.conf.py's defaults, which `make run` uses (GuardServer always sets both).
        server = GuardServer(env, workers=max(2, os.cpu_count() or 2), threads=4).start()
        try:
            status, answer = request(server.port, "POST", "/v1/scripts/lint", bodies[0], key)
            if status != 200:
                raise RuntimeError(f"POST /v1/scripts/lint answered {status}: {answer}")
            r = load(server.port, "/v1/scripts/lint", headers, make_body, clients, seconds)
        finally:
            server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"HTTP POST /v1/scripts/lint (gunicorn {server.env['GUARD_WORKERS']} workers x {server.env['GUARD_THREADS']} "
          f"threads, SQLite, {clients} clients, {seconds:g} s, {SCRIPT_CHARS:,}-char scripts, product_type wealth, "
          f"cpus={os.cpu_count()})")
    print(f"  {r.rate:8.0f} scripts/s  p50 {r.percentile(50):6.2f} ms  p99 {r.percentile(99):6.2f} ms  "
          f"errors {r.errors}   target >= {HTTP_TARGET} scripts/s: {'met' if r.rate >= HTTP_TARGET else 'NOT met'}")
    sys.stdout.flush()


def _module_at(rev: str, path: str, name: str):
    """The module at `path` as it was at git revision `rev`, executed as a new module `name`."""
    import subprocess
    import types

    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{path}"], check=True,
                            capture_output=True, text=True).stdout
    module = types.ModuleType(name)
    module.__package__ = path.rsplit("/", 1)[0].replace("/", ".")  # its relative imports (turns.py: from .text import …)
    sys.modules[name] = module
    exec(compile(source, f"{rev}:{path}", "exec"), module.__dict__)
    return module


def _exists_at(rev: str, path: str) -> bool:
    import subprocess

    return subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{rev}:{path}"], capture_output=True).returncode == 0


def baseline_linter(rev: str, pack):
    """The linter as it was at git revision `rev` (guard/core/lint.py with the text.py, lint_patterns.py
    and, where it had one, lint_scorer.py of that revision, as separate modules), compiled for `pack`
    (its learned scorer rewrapped in that revision's scorer: the same weights and every setting that revision knows,
    the old code)."""
    names = ["guard.core.text", "guard.core.lint_patterns"]
    for name in ("guard.core.turns", "guard.core.lint_scorer"):  # where the revision had them (turns: after text, which it imports)
        if _exists_at(rev, name.replace(".", "/") + ".py"):
            names.append(name)
    ours = {name: sys.modules[name] for name in names}
    try:
        for name in ours:  # the old lint.py imports these names: give it the old modules
            sys.modules[name] = _module_at(rev, name.replace(".", "/") + ".py", "baseline_" + name.rsplit(".", 1)[1])
        old_scorer = sys.modules["guard.core.lint_scorer"].Scorer if "guard.core.lint_scorer" in ours else None
        try:
            module = _module_at(rev, "guard/core/lint.py", "baseline_lint")
        except ModuleNotFoundError as e:  # e.g. pyahocorasick, which revisions before ahocorasick-rs used
            raise SystemExit(f"--baseline-rev {rev}: its linter needs {e.name} (pip install it to measure it)") from e
    finally:
        sys.modules.update(ours)
    if old_scorer is not None and pack.lint_scorer is not None:
        import dataclasses

        s = pack.lint_scorer
        known = [f.name for f in dataclasses.fields(old_scorer) if hasattr(s, f.name)]
        pack = dataclasses.replace(pack, lint_scorer=old_scorer(**{name: getattr(s, name) for name in known}))
    return module.Linter(pack)


# A dense text: hits of several rules, proximity terms, negators, exceptions, no sentence ends.
DENSE = "业绩比较基准保证本金绝对安全不保证收益零风险非保本浮动收益过往业绩今年也能拿到"


def linearity(scripts: list[tuple[str, str]], runs, sizes: list[int]) -> None:
    for label, unit in (("the corpus scripts joined by line breaks", "\n".join(text for text, _ in scripts)),
                        ("a dense text without punctuation: " + DENSE, DENSE)):
        _linearity(label, unit, runs, sizes)


def _linearity(label: str, unit: str, runs, sizes: list[int]) -> None:
    """One text per size, linted once by each run: seconds and chars/s (linear: chars/s stays flat)."""
    joined = unit * (max(sizes) // len(unit) + 1)
    print(f"linearity: {label} (product type wealth):")
    print(f"{'chars':>10} " + " ".join(f"{name + ' s (CPU s)':>22} {name + ' chars/s':>18}" for name, _ in runs))
    slow: set[str] = set()
    for size in sizes:
        text = joined[:size]
        cells = []
        for name, fn in runs:
            if name in slow:
                cells.append(f"{'skipped':>22} {'':>18}")
                continue
            started, cpu = time.perf_counter(), time.process_time()
            fn(text, "wealth")
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            if elapsed > 5:
                slow.add(name)
            cells.append(f"{elapsed:>13.3f} ({cpu:>6.3f}) {size / elapsed:>18,.0f}")
        print(f"{size:>10,} " + " ".join(cells))
        sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scripts", type=int, default=200)
    parser.add_argument("--inproc-seconds", type=float, default=3.0, help="in-process run length, each of guard and naive")
    parser.add_argument("--seconds", type=float, default=15.0, help="HTTP run length, after a 2 s warm-up")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients")
    parser.add_argument("--baseline-rev", default=None, help="also measure the linter (lint.py, text.py, lint_patterns.py) at this git revision")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="text sizes of the linearity run")
    parser.add_argument("--http", action=argparse.BooleanOptionalAction, default=True,
                        help="also measure POST /v1/scripts/lint through gunicorn (default: on)")
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

    runs = [("guard", guard)]
    if args.baseline_rev:
        base_linter = baseline_linter(args.baseline_rev, pack)

        def baseline(text: str, ptype: str) -> int:
            return len(base_linter.lint(text, ptype).findings)

        runs.append((f"@{args.baseline_rev[:10]}", baseline))
    runs.append(("naive", naive))
    for text, ptype in scripts[:5]:  # warm up all
        for _, fn in runs:
            fn(text, ptype)
    names, fns = [name for name, _ in runs], [fn for _, fn in runs]
    results = [(name, *figures) for name, figures in zip(names, run_alternated(fns, scripts, args.inproc_seconds))]
    real = build_real_scripts(args.scripts)
    real_results = [(name, *figures) for name, figures in zip(names, run_alternated(fns, real, args.inproc_seconds))]
    pasted = build_pasted_scripts(args.scripts)
    pasted_results = [(name, *figures) for name, figures in zip(names, run_alternated(fns, pasted, args.inproc_seconds))]
    clean = build_clean_scripts(args.scripts)
    clean_results = [(name, *figures) for name, figures in zip(names, run_alternated(fns, clean, args.inproc_seconds))]

    n_patterns = sum(len(r.patterns) for r in pack.phrases)
    print(f"scripts: {len(scripts)} x {SCRIPT_CHARS} chars; pack {pack.id} {pack.version}: {len(pack.phrases)} phrase rules, "
          f"{n_patterns} patterns, {len(pack.disclosures)} disclosures")
    print(f"one-time: traditional->simplified table {1000 * (t1 - t0):.1f} ms, compiling the pack {1000 * (t2 - t15):.1f} ms; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus")
    for label, rows in (("the written corpus's scripts", results),
                        ("real text: the development sets' passages and script lines, same size", real_results),
                        (f"real scripts as pasted: the development sets' runs in their order ({len(pasted)} scripts)", pasted_results),
                        ("clean scripts: the written corpus's clean scripts of one product type, linted under it", clean_results)):
        print(f"{label}:")
        print(f"{'run':<7} {'chars/s':>12} {'per 2,000-char script':>22} {'CPU chars/s':>12} {'findings or hits per round':>27}")
        for name, rate, cpu_rate, hits in rows:
            print(f"{name:<12} {rate:>12,.0f} {1e6 * SCRIPT_CHARS / rate:>19.0f} µs {cpu_rate:>12,.0f} {hits:>27}")
        rate = rows[0][1]
        print(f"guard/naive: {rate / rows[-1][1]:.2f}   target >= 3,000,000 chars/s: {'met' if rate >= 3e6 else 'NOT met'}")
    sys.stdout.flush()
    linearity(scripts, runs, [int(x) for x in args.sizes.split(",")])
    if args.http:
        bench_http(scripts, args.seconds, args.clients)


if __name__ == "__main__":
    main()
