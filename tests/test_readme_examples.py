"""The README's examples are true: its command lines run against a started server, and what it shows
they print is what they print.

A fenced block after `<!-- readme-example: run -->` is run with bash, as a reader would paste it, in
the repository against a real gunicorn server on loopback (the port in the text replaced by the
server's). The next block marked `answer` (JSON) or `output` (text) is compared with what it printed:
- JSON: every key shown exists, with the same type; every value shown is the value printed, except
  `"…"` (any string), `"prefix…"` (a string with that prefix) and UUIDs (any UUID). Lists have the
  length shown. When the block printed several documents, the last one is compared in full and the
  earlier ones must have the same keys at the top.
- Text: each line shown, with instants, key ids and UUIDs made generic, is one of the lines printed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.servers import BIN, ROOT, GuardServer, cli

pytestmark = pytest.mark.e2e
README = ROOT / "README.md"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
BLOCK = re.compile(r"<!-- readme-example: (run|answer|output) -->\n```[a-z]*\n(.*?)```", re.S)


def examples() -> list[tuple[str, str | None]]:
    """(commands, shown) pairs in README order; shown is None when a run block has nothing to compare."""
    pairs: list[tuple[str, str | None]] = []
    for match in BLOCK.finditer(README.read_text(encoding="utf-8")):
        kind, body = match.group(1), match.group(2)
        if kind == "run":
            pairs.append((body, None))
        else:
            assert pairs and pairs[-1][1] is None, f"a {kind} block must follow a run block: {body[:60]!r}"
            pairs[-1] = (pairs[-1][0], kind + ":" + body)
    return pairs


def documents(text: str) -> list[Any]:
    decoder, docs, at = json.JSONDecoder(), [], 0
    while at < len(text):
        if text[at].isspace():
            at += 1
            continue
        doc, at = decoder.raw_decode(text, at)
        docs.append(doc)
    return docs


def same(shown: Any, printed: Any, path: str = "$") -> None:
    if isinstance(shown, dict):
        assert isinstance(printed, dict), f"{path}: printed {printed!r}, not an object"
        for key, value in shown.items():
            assert key in printed, f"{path}: the README shows `{key}`, the answer has only {sorted(printed)}"
            same(value, printed[key], f"{path}.{key}")
    elif isinstance(shown, list):
        assert isinstance(printed, list) and len(printed) == len(shown), f"{path}: shown {len(shown)} items, printed {printed!r}"
        for i, (a, b) in enumerate(zip(shown, printed)):
            same(a, b, f"{path}[{i}]")
    elif isinstance(shown, str) and shown.endswith("…"):
        assert isinstance(printed, str) and printed.startswith(shown[:-1]), f"{path}: {printed!r} is not {shown!r}"
    elif isinstance(shown, str) and UUID.match(shown):
        assert isinstance(printed, str) and UUID.match(printed), f"{path}: {printed!r} is not a UUID"
    else:
        assert type(printed) is type(shown) and printed == shown, f"{path}: the README shows {shown!r}, printed {printed!r}"


def generic(line: str) -> str:
    line = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d", "<instant>", line)
    line = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>", line)
    return re.sub(r"\b[0-9a-f]{12}\b", "<key id>", line)


def test_the_readme_has_examples_to_run():
    kinds = [shown.split(":", 1)[0] for _, shown in examples() if shown]
    assert kinds.count("answer") >= 2 and "output" in kinds


def test_every_readme_example_prints_what_the_readme_shows(sqlite_url):
    env = {"DATABASE_URL": sqlite_url}
    server = GuardServer(env, workers=1).start()
    try:
        key = cli(env, "keys", "create", "--role", "dialer").stdout.strip()
        shell_env = {**os.environ, **env, "KEY": key, "PATH": f"{BIN}:{os.environ.get('PATH', '')}"}
        shell_env.pop("GUARD_LOG_LEVEL", None)
        for commands, shown in examples():
            script = commands.replace("127.0.0.1:8000", f"127.0.0.1:{server.port}")
            done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=ROOT, env=shell_env,
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, f"{commands}\nexit {done.returncode}: {done.stderr}"
            if shown is None:
                continue
            kind, text = shown.split(":", 1)
            if kind == "answer":
                printed = documents(done.stdout)
                assert printed, f"{commands}\nprinted no JSON: {done.stdout!r}"
                example = json.loads(text)
                same(example, printed[-1])
                for earlier in printed[:-1]:
                    assert set(earlier) == set(printed[-1]), (sorted(earlier), sorted(printed[-1]))
            else:
                lines = {generic(line) for line in done.stdout.splitlines()}
                for line in text.strip().splitlines():
                    assert generic(line) in lines, f"{commands}\nthe README shows {line!r}; printed:\n{done.stdout}"
    finally:
        server.stop()


def test_the_comparison_catches_a_wrong_example():
    # The checker itself: a renamed key, a wrong value and a wrong length are each caught.
    printed = {"decision_id": "01a20eb2-5d20-74a4-bab7-d089bbe190e3", "reasons": [{"detail": {"timezone": "Asia/Shanghai"}}]}
    same({"decision_id": "01a20eb2-5d20-74a4-bab7-000000000000", "reasons": [{"detail": {"timezone": "Asia/Shanghai"}}]}, printed)
    for wrong in ({"decision_id": "dc_…"}, {"reasons": [{"detail": {"time_zone": "Asia/Shanghai"}}]},
                  {"reasons": [{"detail": {"timezone": "UTC"}}]}, {"reasons": []}):
        with pytest.raises(AssertionError):
            same(wrong, printed)
    assert generic("5d0c3f9a1b2e\tdialer\tcreated 2026-11-23T08:00:00+00:00") == "<key id>\tdialer\tcreated <instant>"


def test_the_command_table_names_every_option_of_every_command():
    # The README's "Command line" table against the commands themselves (what `--help` lists): `audit --input-format`,
    # `blacklist import --workers`, `db upgrade --revision` and `keys create --label` existed without a word there.
    import click

    from guard.cli import guard_group

    section = README.read_text(encoding="utf-8").split("### Command line", 1)[1].split("\n### ", 1)[0]
    cells = [line.split(" | ")[0] for line in section.splitlines() if line.startswith("| `")]

    def leaves(group: click.Group, prefix: tuple[str, ...] = ()):
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                yield from leaves(command, prefix + (name,))
            else:
                yield " ".join(prefix + (name,)), command

    missing = []
    for path, command in leaves(guard_group):
        rows = " ".join(c for c in cells if re.search(rf"(guard |`){re.escape(path)}( |`)", c))
        if not rows:
            missing.append(f"guard {path}: no row")
        for param in command.params:
            names = [o for o in getattr(param, "opts", []) if o.startswith("--")]
            if isinstance(param, click.Option) and not any(n in rows for n in names):
                missing.append(f"guard {path} {names[0]}")
    assert not missing, missing
