"""Regenerate every generated document (`make docs`): reason codes, vocabularies, lint rules, the
README's settings table (between its `settings` markers), and the console's traditional Chinese
words (guard/http/pages/console/i18n-zh-tw.js)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

START = "<!-- settings:start"
END = "<!-- settings:end -->"


def readme_with_settings(readme: str) -> str:
    from guard.config import render_markdown

    pattern = re.compile(re.escape(START) + r"[^\n]*\n.*?" + re.escape(END), re.S)
    head = readme[readme.index(START):].split("\n", 1)[0]
    if not pattern.search(readme):
        raise SystemExit("README.md has no settings markers")
    return pattern.sub(lambda _: head + "\n" + render_markdown() + END, readme, count=1)


def main() -> None:
    from guard.core import reasons, vocabularies
    from guard.http import console_i18n

    (ROOT / "docs" / "reasons.md").write_text(reasons.render_markdown(), encoding="utf-8")
    (ROOT / "docs" / "vocabularies.md").write_text(vocabularies.render_markdown(), encoding="utf-8")
    console_i18n.TARGET.write_text(console_i18n.render_module(), encoding="utf-8")
    readme = ROOT / "README.md"
    readme.write_text(readme_with_settings(readme.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
