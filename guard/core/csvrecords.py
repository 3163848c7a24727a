"""CSV records whose quoted fields may run over several lines (a transcript, a consent's text), with the line each
starts on, and a stray quote caught instead of taking every later row into one field.

A quote opened in a field and never closed makes a CSV reader read on to the file's end (or the next quote) as that
one field: the rows after it are neither read nor rejected, and an import or an audit reports success without them.
A field that runs over several lines is legitimate here, so a stray quote is told by what the lines it took hold: a
line that reads as a whole record of its own (`row_like`: the header's number of fields, an id, a date-time where the
file has one) was never meant to be inside a field. Then the record's first line alone is rejected, saying so, and
the lines after it are read again as records.

Pure: text lines in, records out.
"""

from __future__ import annotations

import csv
import re
from collections import deque
from typing import Callable, Iterable, Iterator

# What a line whose quote is not closed on it is rejected with (here, and by the blacklist import, whose rows never span
# lines)
UNCLOSED_QUOTE = "a quote opened in this line is not closed on it"
# The start of a date-time as exports write one (2026-11-23T10:15…, 2026/11/23 10:15, 2026-11-23 10:15:00+08:00),
# and of a date (2026-03-01)
STAMP = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[T ]\d{1,2}:\d{2}")
DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)")


# What a record's refusal says of the lines after it: true of a row, whose later lines are read again, never of the
# header or a file's first row, after which nothing is read
_LINES_AFTER = ("; the lines after it are read as rows", " (the lines after this one are read as rows)")


def header_unreadable(why: str, first: str = "the header") -> str:
    """What an importer refuses a file with when its header (or, in a list with no header, its first row) is a
    record that cannot be read (`why`, as `Records` or the blacklist's line reader says it): nothing after it is
    read, so the clause saying the lines after it are read as rows is dropped. Every importer says it this way
    (call-log audit, consent import, blacklist import and removals, scrub)."""
    for clause in _LINES_AFTER:
        why = why.replace(clause, "")
    return f"{why}; {first} cannot be read, so nothing in the file is read"


def delimiter_of(first_line: str) -> str:
    """The field separator a file's first line shows: a tab (Excel's "Unicode Text" save, UTF-16 with a byte-order
    mark) or a semicolon (Excel's CSV where the decimal mark is a comma) when the line has one and no comma; else a
    comma."""
    if "," not in first_line:
        for separator in ("\t", ";"):
            if separator in first_line:
                return separator
    return ","


def stamped_row(width: int, id_column: int, time_column: int, dates: bool = False) -> Callable[[list[str]], bool]:
    """A `row_like` test: `width` fields, a non-blank one at `id_column`, a date-time at `time_column` (`dates`: or a
    date alone)."""
    stamp = DATE if dates else STAMP

    def test(fields: list[str]) -> bool:
        return len(fields) == width and bool(fields[id_column].strip()) and bool(stamp.match(fields[time_column].strip()))
    return test


class _Lines:
    """Numbered physical lines for the CSV reader, keeping those of the record being read (`taken`); lines given back
    are read again first."""

    def __init__(self, lines: Iterable[str], first_line: int):
        self._source = iter(lines)
        self._back: deque[tuple[int, str]] = deque()
        self._next = first_line
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

    def first_text(self) -> str:
        """The first non-blank line, read ahead and given back (with the blank lines before it)."""
        ahead: list[tuple[int, str]] = []
        text = ""
        while True:
            try:
                raw = next(self._source)
            except StopIteration:
                break
            ahead.append((self._next, raw))
            self._next += 1
            if raw.strip():
                text = raw
                break
        self.give_back(ahead)
        return text


class Records:
    """Iterate (line, record, None), or (line, None, why) for a record that cannot be read: the line is the one the
    record starts on; fields are separated by `delimiter` (default: `delimiter_of` the first non-blank line). Set
    `row_like` (after reading the header) to catch stray quotes; `last_line` is the number of the last line read."""

    def __init__(self, lines: Iterable[str], first_line: int = 1, delimiter: str | None = None):
        self._lines = _Lines(lines, first_line)
        if delimiter is None:
            delimiter = delimiter_of(self._lines.first_text().lstrip("\ufeff"))
        self._delimiter = delimiter
        self._reader = csv.reader(self._lines, delimiter=delimiter)
        self.row_like: Callable[[list[str]], bool] | None = None

    @property
    def last_line(self) -> int:
        return self._lines.last

    def __iter__(self) -> Iterator[tuple[int, list[str] | None, str | None]]:
        lines = self._lines
        while True:
            lines.taken = []
            try:
                record = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield (lines.taken[0][0] if lines.taken else lines.last), None, f"not readable as CSV ({exc})"
                continue
            line = lines.taken[0][0]
            if len(lines.taken) > 1 and self.row_like is not None:
                stray = self._stray(lines.taken)
                if stray is not None:
                    yield line, None, (f"{UNCLOSED_QUOTE}, and line {stray} after it reads as a row of its own: a stray "
                                       f"quote?{_LINES_AFTER[1]}")
                    lines.give_back(lines.taken[1:])
                    continue
            opened = self._unclosed(lines.taken)
            if opened is not None:
                # The quote is never closed: the reader took every line to the file's end into one field, a record
                # that may match no row (the header's width, a number) and hides the rows after it. The record's
                # lines up to the quote's are rejected, naming it; the lines after it are read again as rows.
                after = [(n, raw) for n, raw in lines.taken if n > opened]
                where = "this line" if opened == line else f"line {opened}"
                yield line, None, (f"a quote opened in {where} is never closed: it runs to the end of the file"
                                   + (f" (line {after[-1][0]}){_LINES_AFTER[0]}" if after else ""))
                lines.give_back(after)
                continue
            yield line, record, None

    def _unclosed(self, taken: list[tuple[int, str]]) -> int | None:
        """The line of the quote a record's text opens and never closes (it ran to the file's end), or None."""
        if sum(raw.count('"') for _, raw in taken) % 2 == 0:  # a closed quote is a pair, a doubled one inside it too
            return None
        try:
            for _ in csv.reader([raw for _, raw in taken], delimiter=self._delimiter, strict=True):
                pass
        except csv.Error as exc:
            if "unexpected end of data" not in str(exc):
                return None
        else:
            return None
        # the quote opened on the last line where the count of quotes so far turned odd
        odd, opened = False, taken[0][0]
        for n, raw in taken:
            if raw.count('"') % 2:
                odd = not odd
                if odd:
                    opened = n
        return opened

    def _stray(self, taken: list[tuple[int, str]]) -> int | None:
        """The number of the first line after the record's first that reads as a record of its own, or None."""
        assert self.row_like is not None
        for n, raw in taken[1:]:
            try:
                fields = next(csv.reader([raw], delimiter=self._delimiter), [])
            except csv.Error:
                continue
            if self.row_like(fields):
                return n
        return None
