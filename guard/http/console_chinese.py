"""What counts as Chinese text when the console reads a file: `pages/console/chinese.js`, generated.

The console and /review tell a text file's encoding in the browser (pages/console/textfile.js) as the guard tells
a call log's or an imported list's (guard.services.audits.encoding): by how much of each decoding reads as Chinese.
The characters that count are the guard's, written as an ES module by `make docs` (`scripts/update_docs.py`), so
that a file the guard reads is not refused or misread in the browser; a test holds the file to the guard's lists.
"""

from __future__ import annotations

import json
from pathlib import Path

from guard.services.audits import encoding

TARGET = Path(__file__).parent / "pages" / "console" / "chinese.js"


def render_module() -> str:
    full_width = [ord(ch) for ch in encoding.FULL_WIDTH]
    return ("// Generated from guard/services/audits/encoding.py by `make docs` (guard/http/console_chinese.py): the characters\n"
            "// that count as Chinese text when a file's encoding is told from its bytes. Do not edit by hand.\n"
            "// FREQUENT: frequent characters and the commonest surnames, simplified and traditional; PUNCTUATION and\n"
            "// FULL_WIDTH (code points, inclusive) count as Chinese too; ODD: blocks a wrong reading is full of.\n"
            f"export const FREQUENT = {json.dumps(encoding.chinese_characters(), ensure_ascii=False)};\n"
            f"export const PUNCTUATION = {json.dumps(encoding.PUNCTUATION, ensure_ascii=False)};\n"
            f"export const FULL_WIDTH = {json.dumps(full_width)};\n"
            f"export const ODD = {json.dumps([list(r) for r in encoding.ODD])};\n")
