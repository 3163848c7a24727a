"""How the pages tell a text file's encoding, measured on real text in real headless Chromium.

    .venv/bin/python bench/review_encoding.py

Every line of the development sets of tests/lint/real/ (`real_corpus.DEVELOPMENT`) that GBK or Big5 can write
is saved in it, as a bank's Windows export would, and given to `decodeText` (guard/http/pages/console/textfile.js,
with which /review reads a script and the console's what-if page a call log; no encoding chosen) in Debian's chromium,
against a guard on a fresh SQLite store. Prints, per encoding, the files read right (the encoding told and the text
equal to the line), refused (the user is asked to choose), and read in the wrong encoding, with the lengths of those
refused. Browsers' Big5 is the WHATWG table: a few symbols, such as the box-drawing ╱, decode otherwise than with
Python's codec; such a file is counted apart. A naive baseline beside it: what the pages did before, reading every
file as UTF-8.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.servers import GuardServer  # noqa: E402
from tests.lint.real_corpus import DEVELOPMENT, load  # noqa: E402


def cases() -> list[tuple[bytes, str, str]]:
    out = []
    for item in (i for name in DEVELOPMENT for i in load(name)):
        for codec, label in (("gbk", "gb18030"), ("big5", "big5")):
            try:
                data = item.text.encode(codec)
            except UnicodeEncodeError:
                continue
            if data != item.text.encode("utf-8"):  # ASCII-only lines say nothing about encodings
                out.append((data, label, item.text))
    return out


def main() -> None:
    from guard.store.migrate import upgrade
    from playwright.sync_api import sync_playwright

    todo = cases()
    url = f"sqlite:///{tempfile.mkdtemp()}/guard.db"
    upgrade(url)
    server = GuardServer({"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0"}).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.port}/review")
            got = page.evaluate(
                "cases => import('/console/textfile.js').then(({ decodeText }) => cases.map(([bytes, text]) => {"
                " const b = new Uint8Array(bytes); const r = decodeText(b, ''); const naive = new TextDecoder('utf-8').decode(b);"
                " return [r.label, r.text === text, naive === text]; }))",
                [[list(data), text] for data, _, text in todo])
            browser.close()
    finally:
        server.stop()
    tally: Counter = Counter()
    refused_lengths: Counter = Counter()
    for (data, want, text), (label, same, naive) in zip(todo, got):
        verdict = ("right" if same else "right, a symbol otherwise") if label == want else "refused" if label is None else "wrong"
        tally[(want, verdict)] += 1
        tally[(want, "naive right")] += naive
        if label is None:
            refused_lengths[len(text)] += 1
    for want in ("gb18030", "big5"):
        n = sum(tally[(want, v)] for v in ("right", "right, a symbol otherwise", "refused", "wrong"))
        print(f"{want:8} {n:5} files: read right {tally[(want, 'right')]} (in its encoding, a symbol decoded otherwise than "
              f"Python's codec does: {tally[(want, 'right, a symbol otherwise')]}), refused {tally[(want, 'refused')]}, "
              f"read in the wrong encoding {tally[(want, 'wrong')]}; naive (every file as UTF-8) read right {tally[(want, 'naive right')]}")
    print("refused, by length in characters:", dict(sorted(refused_lengths.items())))


if __name__ == "__main__":
    main()
