"""Print the linter rule reference of a shipped pack: `python -m policies.lint_docs > docs/lint-rules.md`.

    python -m policies.lint_docs [PACK_ID] [--dir policies/packs]

Loads the pack directory, takes the newest version of PACK_ID (default cn-bank) and prints
`guard.core.lint_docs.render_markdown` of it. tests/lint/test_lint_docs.py checks that the
committed page equals what this prints.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from guard.core.lint_docs import render_markdown
from guard.core.pack import Pack
from policies.loader import validate_path

PACKS = Path(__file__).resolve().parent / "packs"
DEFAULT_PACK = "cn-bank"


def shipped_pack(pack_id: str = DEFAULT_PACK, directory: Path = PACKS) -> Pack:
    """The newest valid version of `pack_id` in `directory`; raises LookupError if there is none."""
    report = validate_path(directory, pack_id)
    timeline = report.packs.timelines.get(pack_id)
    if timeline is None:
        problems = "; ".join(str(i) for i in report.issues) or "no such pack"
        raise LookupError(f"{pack_id}: {problems}")
    return timeline.newest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pack", nargs="?", default=DEFAULT_PACK)
    parser.add_argument("--dir", type=Path, default=PACKS)
    args = parser.parse_args(argv)
    try:
        pack = shipped_pack(args.pack, args.dir)
    except LookupError as exc:
        print(f"lint_docs: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(render_markdown(pack))
    return 0


if __name__ == "__main__":  # pragma: no cover - doc generator entry point
    sys.exit(main())
