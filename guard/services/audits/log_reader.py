"""Reading a call log (CSV or JSON Lines, SPEC §3.8) from a byte stream: rows, and the unreadable ones with their line."""

from __future__ import annotations

import csv
import io
import json
from typing import IO, Iterator

from guard.core.calllog import COLUMNS, REQUIRED
from guard.core.errors import InvalidField


class LogError(InvalidField):
    """The log as a whole cannot be read (no header, missing required columns, not UTF-8 text)."""

    def __init__(self, message: str):
        super().__init__("file", message, message)


def _detect(text: IO[str]) -> tuple[str, str]:
    """('csv' | 'jsonl', first line) from the first non-empty line."""
    for line in text:
        if line.strip():
            return ("jsonl" if line.lstrip().startswith("{") else "csv"), line
    raise LogError("the log is empty")


def read_log(binary: IO[bytes], fmt: str | None = None) -> Iterator[tuple[int, dict[str, str] | None, str | None]]:
    """(line, row, None) for each readable row, (line, None, why) for each unreadable one."""
    text = io.TextIOWrapper(binary if isinstance(binary, io.BufferedIOBase) else io.BufferedReader(binary),  # type: ignore[arg-type]
                            encoding="utf-8-sig", errors="replace", newline="")
    try:
        detected, first = _detect(text)
        fmt = fmt or detected
        if fmt == "jsonl":
            yield from _jsonl(first, text)
        else:
            yield from _csv(first, text)
    finally:
        try:
            text.detach()  # the caller owns (and closes) the stream
        except ValueError:
            pass  # already closed by its owner


def _csv(first: str, text: IO[str]) -> Iterator[tuple[int, dict[str, str] | None, str | None]]:
    def lines() -> Iterator[str]:
        yield first
        yield from text

    reader = csv.reader(lines())
    try:
        header = [h.strip().lower() for h in next(reader)]
    except csv.Error as exc:
        raise LogError(f"line 1: not readable as CSV ({exc})") from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise LogError(f"line 1: the header must name the columns {', '.join(REQUIRED)} (missing: {', '.join(missing)}); "
                       f"optional: {', '.join(c for c in COLUMNS if c not in REQUIRED)}")
    if len(set(header)) != len(header):
        raise LogError("line 1: a column is named twice in the header")
    known = [h if h in COLUMNS else None for h in header]
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, None, f"not readable as CSV ({exc})"
            continue
        line = reader.line_num
        if not record or all(not c.strip() for c in record):
            continue
        if any("\ufffd" in c for c in record):
            yield line, None, "not valid UTF-8"
            continue
        if len(record) != len(header):
            yield line, None, f"{len(record)} fields; the header has {len(header)}"
            continue
        yield line, {k: v for k, v in zip(known, record) if k is not None}, None


def _jsonl(first: str, text: IO[str]) -> Iterator[tuple[int, dict[str, str] | None, str | None]]:
    def lines() -> Iterator[str]:
        yield first
        yield from text

    for n, raw in enumerate(lines(), start=1):
        if not raw.strip():
            continue
        if "\ufffd" in raw:
            yield n, None, "not valid UTF-8"
            continue
        try:
            obj = json.loads(raw)
        except ValueError as exc:
            yield n, None, f"not a JSON object ({exc.args[0] if exc.args else exc})"
            continue
        if not isinstance(obj, dict):
            yield n, None, "not a JSON object"
            continue
        bad = [k for k, v in obj.items() if k in COLUMNS and v is not None and not isinstance(v, (str, int))]
        if bad:
            yield n, None, f"{bad[0]}: must be a string"
            continue
        yield n, {k: ("" if v is None else str(v)) for k, v in obj.items() if k in COLUMNS}, None
