"""The console's own words in traditional Chinese: `pages/console/i18n-zh-tw.js`, generated.

The console's texts are written once in simplified Chinese and English (`pages/console/i18n.js`);
the traditional set is OpenCC's conversion of the simplified one (guard.core.i18n.to_traditional),
written as an ES module by `make docs` (`scripts/update_docs.py`). A test holds the file to the
current i18n.js, and every key to a text in the three languages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from guard.core.i18n import to_traditional

MODULES = Path(__file__).parent / "pages" / "console"
SOURCE = MODULES / "i18n.js"
TARGET = MODULES / "i18n-zh-tw.js"
_PAIR = re.compile(r'(?:"([^"\\]+)"|([A-Za-z_][\w]*))\s*:\s*"((?:[^"\\]|\\.)*)"')


def ui_texts(source: str | None = None) -> dict[str, dict[str, str]]:
    """The `zh` and `en` dictionaries of i18n.js, read from its source."""
    text = source if source is not None else SOURCE.read_text(encoding="utf-8")
    body = text[text.index("const I18N = {"):]
    zh_at, en_at = body.index("\n  zh: {"), body.index("\n  en: {")
    end = body.index("\n};", en_at)
    out = {}
    for name, chunk in (("zh", body[zh_at:en_at]), ("en", body[en_at:end])):
        out[name] = {m.group(1) or m.group(2): json.loads('"' + m.group(3) + '"') for m in _PAIR.finditer(chunk)}
    return out


def render_module(source: str | None = None) -> str:
    zh = ui_texts(source)["zh"]
    converted = {key: to_traditional(value) for key, value in zh.items()}
    return ("// Generated from i18n.js by `make docs` (guard/http/console_i18n.py): the console's words in traditional Chinese,\n"
            "// OpenCC's s2twp conversion of the simplified ones (guard.core.i18n). Do not edit by hand.\n"
            "const ZH_TW = " + json.dumps(converted, ensure_ascii=False, indent=0, sort_keys=True) + ";\n\nexport { ZH_TW };\n")
