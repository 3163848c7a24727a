"""How long a `guard` command takes from the shell prompt back to it: this tree against a git revision's.

    .venv/bin/python bench/cli_start.py                  # against 20dabaa, the last release that read every pack
    .venv/bin/python bench/cli_start.py --rev HEAD --runs 9

Each command runs `--runs` times, alternating between this tree and the revision (extracted with `git archive` into a
temporary directory, run with this venv), on one migrated SQLite store. Printed per command: the median and the
fastest wall-clock seconds of each side. The floor, what no command can beat, is the interpreter importing Flask and
SQLAlchemy's ORM, measured in the same run.

The commands: `keys list` and `access log` (read the store only, no pack), `lint -` on one sentence (reads the packs),
and `--help`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COMMANDS = [
    ("keys list", ["keys", "list"], None),
    ("access log", ["access", "log"], None),
    ("lint - (one sentence)", ["lint", "-"], "本产品保本保息，零风险。\n"),
    ("--help", ["--help"], None),
]


def timed(cmd: list[str], cwd: Path, env: dict[str, str], stdin: str | None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=300)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default="20dabaa", help="the git revision to compare with (default 20dabaa)")
    parser.add_argument("--runs", type=int, default=7, help="runs of each command on each side (default 7)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cli-start-") as tmp:
        old = Path(tmp) / "rev"
        old.mkdir()
        archive = subprocess.run(["git", "archive", args.rev], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/guard.db", "GUARD_LOG_LEVEL": "WARNING",
               "PYTHONDONTWRITEBYTECODE": ""}  # both trees keep their compiled modules, as an installed guard does
        env.pop("GUARD_POLICY_DIR", None)
        subprocess.run([str(BIN / "flask"), "--app", "app", "guard", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        floor = [timed([sys.executable, "-c", "import flask, sqlalchemy.orm"], ROOT, env, None) for _ in range(args.runs)]
        print(f"floor (python importing flask and sqlalchemy.orm): median {statistics.median(floor):.2f} s")
        print(f"{'command':24} {'this tree':>18} {args.rev:>18}   (median / fastest, {args.runs} runs each)")
        for name, argv, stdin in COMMANDS:
            sides: dict[str, list[float]] = {"new": [], "old": []}
            for _ in range(args.runs + 1):  # the first of each side compiles its modules: not counted
                for side, cwd in (("new", ROOT), ("old", old)):
                    sides[side].append(timed([str(BIN / "flask"), "--app", "app", "guard", *argv], cwd, env, stdin))
            new, before = sides["new"][1:], sides["old"][1:]
            print(f"{name:24} {statistics.median(new):8.2f} / {min(new):5.2f} s {statistics.median(before):8.2f} / "
                  f"{min(before):5.2f} s   ({statistics.median(before) / statistics.median(new):.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
