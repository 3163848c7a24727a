"""Reading a call log (CSV or JSON Lines, SPEC §3.8) from a byte stream: rows, and the unreadable ones with their line.

The log is decoded strictly in the encoding given (`encoding.detect` finds it when the user does not
name it): a row with bytes that encoding cannot decode is rejected as "not valid <ENCODING>"; when
more than `MAX_UNDECODABLE_SHARE` of the rows (or all of them) are, the log as a whole is refused:
it is in another encoding, or mixes two, and an audit that silently drops those calls (with their
transcripts' violations) is not one to sign.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections import deque
from typing import IO, Iterator

from guard.core.calllog import COLUMNS, REQUIRED
from guard.core.errors import InvalidField
from guard.core.turns import render_turns


MAX_UNDECODABLE_SHARE = 0.01
# Bytes the encoding cannot decode are read as a lone surrogate, which no decoder yields for valid
# input: unlike U+FFFD, it cannot be a character of the log itself. (Not "surrogateescape": that
# one gives up on an error that spans an ASCII byte, as a UTF-16 log cut mid-character has.)
UNDECODABLE = "guard-undecodable"
_MARK = "\udc80"


def _mark(exc: UnicodeError) -> tuple[str, int]:
    if isinstance(exc, UnicodeDecodeError):
        return _MARK, exc.end
    raise exc


codecs.register_error(UNDECODABLE, _mark)


class LogError(InvalidField):
    """The log as a whole cannot be read (no header, missing required columns, not UTF-8 text)."""

    def __init__(self, message: str):
        super().__init__("file", message, message)


def _detect(text: IO[str]) -> tuple[str, str, int]:
    """('csv' | 'jsonl', first line, its number) from the first non-empty line."""
    for n, line in enumerate(text):
        if n == 0:
            line = line.removeprefix("\ufeff")  # a byte-order mark (UTF-8's, or GB18030's)
        if line.strip():
            return ("jsonl" if line.lstrip().startswith("{") else "csv"), line, n + 1
    raise LogError("the log is empty")


def _undecodable(value: str) -> bool:
    return not value.isascii() and _MARK in value


def read_log(binary: IO[bytes], fmt: str | None = None, encoding: str = "utf-8") -> Iterator[tuple[int, dict[str, str] | None, str | None]]:
    """(line, row, None) for each readable row, (line, None, why) for each unreadable one; LogError
    (after the rows) when too many rows were not valid text in `encoding`."""
    from guard.services.audits.encoding import label

    text = io.TextIOWrapper(binary if isinstance(binary, io.BufferedIOBase) else io.BufferedReader(binary),  # type: ignore[arg-type]
                            encoding=encoding, errors=UNDECODABLE, newline="")
    invalid = f"not valid {label(encoding)}"
    seen = _Seen()
    try:
        detected, first, first_line = _detect(text)
        fmt = fmt or detected
        yield from (_jsonl(first, first_line, text, invalid, seen) if fmt == "jsonl"
                    else _csv(first, first_line, text, invalid, seen))
        bad, rows = seen.undecodable, max(seen.lines - (fmt != "jsonl"), 1)  # lines after the header: rows, near enough
        if bad and (len(bad) >= rows or len(bad) > rows * MAX_UNDECODABLE_SHARE):
            lines = ", ".join(str(n) for n in bad[:5]) + (", …" if len(bad) > 5 else "")
            raise LogError(f"{len(bad)} of the log's {rows} rows are not valid {label(encoding)} text (lines {lines}): the log is "
                           f"in another encoding or mixes two; name its encoding (`guard audit --encoding …`, `?encoding=…` "
                           f"on POST /v1/audits) or fix those rows")
    finally:
        try:
            text.detach()  # the caller owns (and closes) the stream
        except ValueError:
            pass  # already closed by its owner


class _Seen:
    """What a pass over the rows saw: its last line number, and the lines that did not decode."""

    def __init__(self) -> None:
        self.lines = 0
        self.undecodable: list[int] = []


class _Lines:
    """The physical lines of a log, numbered, for the CSV reader: the lines of the record being read are kept
    (`taken`), and lines can be given back to be read again."""

    def __init__(self, first: str, first_line: int, text: IO[str]):
        self._source = text
        self._back: deque[tuple[int, str]] = deque([(first_line, first)])
        self._next = first_line + 1
        self.taken: list[tuple[int, str]] = []
        self.last = first_line - 1  # the number of the last line handed out

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        if self._back:
            n, raw = self._back.popleft()
        else:
            raw = next(self._source)  # StopIteration ends the reader
            n, self._next = self._next, self._next + 1
        self.taken.append((n, raw))
        self.last = n
        return raw

    def give_back(self, lines: list[tuple[int, str]]) -> None:
        self._back.extendleft(reversed(lines))


def _stray_quote(lines: list[tuple[int, str]], width: int, at_column: int) -> int | None:
    """For the physical lines of one CSV record that ran over several: the number of the first line after its first
    that reads as a whole record of its own — `width` fields, an id, a date-time where `called_at` stands — so the
    quote opened in its first line was never meant to hold it (a stray quote: a transcript's line break inside a
    quoted field does not read so); None when no line does."""
    for n, raw in lines[1:]:
        if raw.count(",") < width - 1:
            continue
        try:
            fields = next(csv.reader([raw]), [])
        except csv.Error:
            continue
        if len(fields) == width and fields[0].strip() and _STAMP.match(fields[at_column].strip()):
            return n
    return None


# The start of a date-time as a call log writes one (2026-11-23T10:15…, 2026/11/23 10:15)
_STAMP = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[T ]\d{1,2}:\d{2}")


def _csv(first: str, first_line: int, text: IO[str], invalid: str, seen: _Seen) -> Iterator[tuple[int, dict[str, str] | None, str | None]]:
    lines = _Lines(first, first_line, text)
    reader = csv.reader(lines)
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
    at_column = header.index("called_at")
    while True:
        lines.taken = []
        try:
            record = next(reader)
        except StopIteration:
            seen.lines = lines.last
            return
        except csv.Error as exc:
            yield (lines.taken[0][0] if lines.taken else lines.last), None, f"not readable as CSV ({exc})"
            continue
        line = lines.taken[0][0]  # where the record starts: a quoted field (a transcript) may span lines
        if len(lines.taken) > 1:
            stray = _stray_quote(lines.taken, len(header), at_column)
            if stray is not None:
                # A quote opened here and never closed took the rows after it into one field: this line alone is
                # rejected, and the lines after it are read again as the rows they are (not lost in a transcript).
                yield line, None, (f"a quote opened in this line is not closed on it, and line {stray} after it reads as "
                                   f"a row of its own: a stray quote? (the lines after this one are read as rows)")
                lines.give_back(lines.taken[1:])
                continue
        if not record or all(not c.strip() for c in record):
            continue
        if any(_undecodable(c) for c in record):
            seen.undecodable.append(line)
            yield line, None, invalid
            continue
        if len(record) != len(header):
            yield line, None, f"{len(record)} fields; the header has {len(header)}"
            continue
        yield line, {k: v for k, v in zip(known, record) if k is not None}, None


def _jsonl(first: str, first_line: int, text: IO[str], invalid: str, seen: _Seen) -> Iterator[tuple[int, dict[str, str] | None, str | None]]:
    def lines() -> Iterator[str]:
        yield first
        yield from text

    for n, raw in enumerate(lines(), start=first_line):
        if not raw.strip():
            continue
        seen.lines = n
        if _undecodable(raw):
            seen.undecodable.append(n)
            yield n, None, invalid
            continue
        try:
            obj = json.loads(raw)
        except ValueError as exc:
            yield n, None, f"not a JSON object ({exc.args[0] if exc.args else exc})"
            continue
        if not isinstance(obj, dict):
            yield n, None, "not a JSON object"
            continue
        if isinstance(obj.get("transcript"), list):  # a transcript exported as turns (guard/core/turns.py)
            try:
                obj["transcript"] = render_turns(obj["transcript"])
            except ValueError as exc:
                yield n, None, f"transcript: {exc}"
                continue
        bad = [k for k, v in obj.items() if k in COLUMNS and v is not None and not isinstance(v, (str, int))]
        if bad:
            yield n, None, f"{bad[0]}: must be a string"
            continue
        yield n, {k: ("" if v is None else str(v)) for k, v in obj.items() if k in COLUMNS}, None
