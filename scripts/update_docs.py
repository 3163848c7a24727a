"""Regenerate every generated document (`make docs`): reason codes, vocabularies, column names of imported files, lint rules, the
README's settings table (between its `settings` markers), the console's traditional Chinese
words (guard/http/pages/console/i18n-zh-tw.js) and the characters its file reader counts as Chinese
(guard/http/pages/console/chinese.js)."""

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


def columns_markdown() -> str:
    """docs/columns.md: the names a header row may give each column of an imported file, and the Chinese
    labels a call log's disposition and purpose may be written as."""
    from blacklist.importer import HEADER_NAMES as BLACKLIST
    from guard.core import calllog
    from guard.core.vocabularies import VOCABULARIES
    from guard.services.calls.scrub_file import HEADER_NAMES as LISTS
    from guard.services.consent.importer import HEADER_NAMES as CONSENTS

    out = ["# Column names in imported files", "",
           "Generated from the import tables by `make docs` (scripts/update_docs.py); do not edit by hand.", "",
           "A header cell names a column when it reads as the column's own name or as one of the names below, in any",
           "case, with spaces, hyphens and underscores aside (`Call ID`, `CALL_ID`, `call-id` are `call_id`), and in",
           "traditional characters as in simplified ones (手機號碼 is 手机号码): guard/core/headers.py.", ""]
    for title, where, table, own_first in (
            ("Blacklist imports", "`guard blacklist import`, `POST /v1/blacklist/import`; a column the import does not know "
             "refuses the file", BLACKLIST, True),
            ("Consent imports", "`guard consents import`, `POST /v1/consents/import`; a column the import does not know "
             "refuses the file", CONSENTS, False),
            ("Call logs", "`guard audit`, `POST /v1/audits`: a CSV log's header cells and a JSON Lines log's keys alike; a column "
             "or key the guard does not read is ignored, and a row of JSON Lines naming a column twice (被叫号码 and 手机号码) is "
             "rejected. `phone` is the number called (被叫号码); the bank's own line (主叫号码) is not it; a name in italics "
             "names its column only when no other column names it (通话时间 beside 开始时间 is the call's length, ignored). "
             "A log may keep the call's date in a column (or key) of its own (" + ", ".join(calllog.DATE_HEADER.names["date"])
             + ", Date): a `called_at` holding only the time of day is then read joined to it, and a column named "
             + " or ".join(("Time", *calllog.TIME_HEADER.names["time"])) + " is `called_at` (read so in CSV and JSON Lines alike)",
             {c: (*n, *(f"*{a}*" for a in calllog.AMBIGUOUS_NAMES.get(c, ()))) for c, n in calllog.HEADER_NAMES.items()},
             False),
            ("List files", "`guard scrub`; a column the scrub does not read is ignored; a header naming two phone columns (手机号码 "
             "and 联系电话) is refused until `--column` names one", LISTS, False)):
        out += [f"## {title}", "", where + ".", "", "| column | also named |", "|---|---|"]
        for column, names in table.items():
            names = names[1:] if own_first else names
            out.append(f"| `{column}` | {', '.join(names) or '—'} |")
        out.append("")
    out += ["## Values of a call log", "",
            "A call log's `disposition` and `purpose` may be written as their code or as the product's Chinese label:", "",
            "| column | code | label |", "|---|---|---|"]
    for column, vocabulary in (("disposition", "dispositions"), ("purpose", "call_purposes")):
        out += [f"| `{column}` | `{t.code}` | {t.zh} |" for t in VOCABULARIES[vocabulary].terms]
    return "\n".join(out) + "\n"


def main() -> None:
    from guard.core import reasons, vocabularies
    from guard.http import console_chinese, console_i18n

    (ROOT / "docs" / "reasons.md").write_text(reasons.render_markdown(), encoding="utf-8")
    (ROOT / "docs" / "vocabularies.md").write_text(vocabularies.render_markdown(), encoding="utf-8")
    (ROOT / "docs" / "columns.md").write_text(columns_markdown(), encoding="utf-8")
    console_i18n.TARGET.write_text(console_i18n.render_module(), encoding="utf-8")
    console_chinese.TARGET.write_text(console_chinese.render_module(), encoding="utf-8")
    readme = ROOT / "README.md"
    readme.write_text(readme_with_settings(readme.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
