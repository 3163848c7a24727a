"""Reading a call log (CSV or JSON Lines, SPEC §3.8) from a byte stream: rows, and the unreadable ones with their line.

The log is decoded strictly in the encoding given (`encoding.detect` finds it when the user does not
name it): a row with bytes that encoding cannot decode is rejected as "not valid <ENCODING>"; when
more than `MAX_UNDECODABLE_SHARE` of the rows (or all of them) are, the log as a whole is refused:
it is in another encoding, or mixes two, and an audit that silently drops those calls (with their
transcripts' violations) is not one to sign.
"""

from __future__ import annotations

import codecs
import io
import json
from itertools import chain
from typing import IO, Iterator, Sequence

from guard.core.calllog import COLUMNS, DATE_HEADER, HEADER, REQUIRED, TIME_HEADER, joined_time
from guard.core.csvrecords import Records, header_unreadable, stamped_row
from guard.core.errors import InvalidField
from guard.core.messages import L, label as bilingual, said
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

    def __init__(self, message):
        # `message` is a `said(...)` (it reads in the reader's language) or plain English
        super().__init__("file", message, message)


# The label a report's totals row starts with, as call-centre systems and spreadsheets write it.
_TOTALS = frozenset({"合计", "合計", "总计", "總計", "小计", "小計", "汇总", "匯總", "total", "totals", "grand total", "sum"})


# A workbook uploaded as saved: an .xlsx is a ZIP archive (ECMA-376 Part 2, Open Packaging Conventions; a Word .docx
# too), an .xls an OLE2 compound file ([MS-CFB] 2.2: its header signature D0 CF 11 E0 A1 B1 1A E1; a Word .doc too).
# Its bytes are text in no encoding, and "name the encoding" would send the user looking for one.
_WORKBOOKS = ((b"PK\x03\x04", "an Excel workbook (.xlsx) or another ZIP archive", "Excel 工作簿（.xlsx）或其他 ZIP 压缩文件"),
              (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook (.xls) or another Office 97-2003 file",
               "Excel 97-2003 工作簿（.xls）或其他 Office 97-2003 文件"))


def workbook_in(binary: IO[bytes]) -> str | None:
    """What workbook the seekable `binary` is (in English and Chinese, `messages.label`), or None for text; the stream is
    left where it was."""
    start = binary.tell()
    head = binary.read(8)
    binary.seek(start)
    return next((bilingual(what, what_zh) for magic, what, what_zh in _WORKBOOKS if head.startswith(magic)), None)


def refuse_workbook(binary: IO[bytes]) -> None:
    """LogError when the seekable `binary` is a spreadsheet workbook rather than a text log; the stream is left where it was."""
    what = workbook_in(binary)
    if what is not None:
        raise LogError(said("error.log_workbook", what=what))


def _detect(text: IO[str]) -> tuple[str, str, int]:
    """('csv' | 'jsonl', first line, its number) from the first non-empty line."""
    for n, line in enumerate(text):
        if n == 0:
            line = line.removeprefix("\ufeff")  # a byte-order mark (UTF-8's, or GB18030's)
        if line.strip():
            return ("jsonl" if line.lstrip().startswith("{") else "csv"), line, n + 1
    raise LogError(said("error.log_empty"))


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
            raise LogError(said("error.log_undecodable", bad=len(bad), rows=rows, encoding=label(encoding), lines=lines))
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


def _aliases_said(column: str) -> dict[str, str]:
    """A missing column with the names exports give it, each language's message listing the names written in it
    (Start Time in English; 开始时间 in each)."""
    every = said("error.log_column_alias", column=column, aliases="/".join(HEADER.aliases(column))).messages
    chinese = said("error.log_column_alias", column=column,
                   aliases="/".join(a for a in HEADER.aliases(column) if not a.isascii())).messages
    return {lang: every[lang] if lang == "en" else chinese[lang] for lang in every}


def _date_column(names: Sequence[str], known: list[str | None]) -> int | None:
    """Where the call's date is when it has a column of its own (DATE and TIME, 呼叫日期 and 呼叫时间), to be joined to
    called_at's time of day; a column named only "time" (时间) is then called_at when nothing else is (set in `known`)."""
    dates = [i for i, name in enumerate(names) if known[i] is None and DATE_HEADER.column(name)]
    date_at = dates[0] if len(dates) == 1 else None
    if date_at is not None and "called_at" not in known:
        times = [i for i, name in enumerate(names) if known[i] is None and TIME_HEADER.column(name)]
        if len(times) == 1:
            known[times[0]] = "called_at"
    return date_at


def _csv(first: str, first_line: int, text: IO[str], invalid: str, seen: _Seen) -> Iterator[tuple[int, dict[str, str] | None, str | None]]:
    records = Records(chain([first], text), first_line)
    rows = iter(records)
    try:
        line, header_record, why = next(rows)
    except StopIteration:
        raise LogError(said("error.log_empty")) from None
    if header_record is None:
        raise LogError(said("error.log_line", line=line, why=header_unreadable(why)))  # nothing after it is read
    known = HEADER.columns(header_record)  # None for a column the guard does not read
    date_at = _date_column(header_record, known)
    missing = [c for c in REQUIRED if c not in known]
    if missing:
        named = [_aliases_said(c) for c in missing]
        raise LogError(said("error.log_header_missing", line=line, required=", ".join(REQUIRED),
                            missing=L({lang: ("、" if lang != "en" else ", ").join(m[lang] for m in named) for lang in named[0]}),
                            optional=", ".join(c for c in COLUMNS if c not in REQUIRED)))
    for column in COLUMNS:
        given = [cell.strip() for cell, c in zip(header_record, known) if c == column]
        if len(given) > 1:
            raise LogError(said("error.log_column_twice", line=line, column=column, given=" and ".join(map(repr, given))))
    header = header_record
    # a stray quote: a line inside a quoted field that reads as a row of its own (guard/core/csvrecords.py)
    records.row_like = (stamped_row(len(header), known.index("call_id"), known.index("called_at")) if date_at is None
                        else stamped_row(len(header), known.index("call_id"), date_at, dates=True))
    header_cells = [c.strip() for c in header]
    any_row = False
    for line, record, why in rows:
        if record is None:
            any_row = True
            yield line, None, why
            continue
        if not record or all(not c.strip() for c in record):
            continue
        any_row = True
        if any(_undecodable(c) for c in record):
            seen.undecodable.append(line)
            yield line, None, invalid
            continue
        if record[0][:1] == "\ufeff":
            # a byte-order mark mid-file: a second export (with or without its header) appended to the first, whose
            # mark would otherwise stay in the call_id (an invisible character, and a repeated call_id never matched)
            record[0] = record[0][1:]
        first_cell = record[0].strip()
        if first_cell == header_cells[0] and [c.strip() for c in record] == header_cells:
            # Two exports joined into one file (a month of daily exports, or a UTF-8 one with its BOM after another):
            # the second's header read as a call would be rejected for its called_at, which sends the reader looking
            # for a bad time.
            any_row = True
            yield line, None, f"repeats the header of line {first_line}: two exports joined into one file"
            continue
        label = first_cell or next(c.strip() for c in record if c.strip())
        if label.casefold() in _TOTALS:
            # A report's last row sums its durations (合计, Total): no call, and "call_id: empty" would not say so.
            yield line, None, f"a totals row ({label}), no call"
            continue
        if len(record) != len(header):
            yield line, None, f"{len(record)} fields; the header has {len(header)}"
            continue
        row = {k: v for k, v in zip(known, record) if k is not None}
        if date_at is not None and (joined := joined_time(record[date_at], row["called_at"])) is not None:
            row["called_at"] = joined
        yield line, row, None
    if not any_row:
        # An export cut short after its header: judged, it would read as a clean log of 0 calls.
        raise LogError(said("error.log_no_call", line=first_line))
    seen.lines = records.last_line


def _jsonl(first: str, first_line: int, text: IO[str], invalid: str, seen: _Seen) -> Iterator[tuple[int, dict[str, str] | None, str | None]]:
    def lines() -> Iterator[str]:
        yield first
        yield from text

    # a row's keys -> the column each names (None: none), and which key holds the call's date (呼叫日期 beside 呼叫时间)
    columns: dict[tuple[str, ...], tuple[list[str | None], int | None]] = {}
    for n, raw in enumerate(lines(), start=first_line):
        raw = raw.removeprefix("\ufeff")  # a second export's byte-order mark, appended to the first
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
        except RecursionError:  # brackets nested past json's stack: this line's problem, not the audit's
            yield n, None, "not a JSON object (nested too deep to read)"
            continue
        if not isinstance(obj, dict):
            yield n, None, "not a JSON object"
            continue
        # Keys are read as a CSV header's cells are (guard/core/calllog.py HEADER_NAMES: 被叫号码, 呼叫时间 …), each
        # name looked up once per log; a key the guard does not read is ignored, as a CSV column is.
        # The columns of a row's keys are looked up as a header's cells are, all together (an ambiguous key, 通话时间,
        # beside a plain one, 开始时间, names none): once per set of keys, which rows of one log share.
        keys = tuple(obj)
        cached = columns.get(keys)
        if cached is None:
            if len(columns) >= 1024:  # rows of ever new keys: the cache is not let grow with them
                columns.clear()
            named = HEADER.columns(keys)
            cached = columns[keys] = (named, _date_column(keys, named))
        known, date_at = cached
        row: dict[str, object] = {}
        twice = None
        for column, value in zip(known, obj.values()):
            if column is None:
                continue
            if column in row:
                twice = column
                break
            row[column] = value
        if twice is not None:
            names = [k for k, c in zip(keys, known) if c == twice]
            yield n, None, f"{twice}: given twice ({' and '.join(map(repr, names))})"
            continue
        if isinstance(row.get("transcript"), list):  # a transcript exported as turns (guard/core/turns.py)
            try:
                row["transcript"] = render_turns(row["transcript"])
            except ValueError as exc:
                yield n, None, f"transcript: {exc}"
                continue
        # true and false are ints to Python: a call_id of true would read as "True", a phone of true as INVALID_NUMBER.
        bad = [k for k, v in row.items() if v is not None and (not isinstance(v, (str, int)) or isinstance(v, bool))]
        if bad:
            yield n, None, f"{bad[0]}: must be a string"
            continue
        values = {k: ("" if v is None else str(v)) for k, v in row.items()}
        if date_at is not None and isinstance(date := obj[keys[date_at]], str) and (joined := joined_time(date, values.get("called_at", ""))):
            values["called_at"] = joined
        yield n, values, None
