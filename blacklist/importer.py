"""Blacklist CSV import: streamed, in bounded memory, idempotent, every line of the file accounted for.

    phone[,source,reason,added_at[,expires_at]]

A first row that names columns is a header, its columns in any order, named in English or as
Chinese exports name them (`HEADER_NAMES`); a header that names a column this import does not know,
names one twice or has no phone column refuses the file, so no column is ever misread by position.
A first row naming no column, with a digit in it, is data: the columns are then positional.
`source` defaults to the import's source (`registry` unless told otherwise): external lists
(registry, regulator, litigator) give DNC_REGISTRY at the check, internal opt-outs
(customer_request, complaint, manual) DNC_OPT_OUT. `added_at` (when the listing
took effect; ISO 8601 date-time with offset, or a date read in the zones of the number's callee, else in the pack's
time zone: README, Interpretations) defaults to
the import's instant, and may not lie after it beyond the clock skew allowed (the bound and the
message of a single add; any instant goes with GUARD_ALLOW_CLIENT_TIME).

The file is read one physical line at a time: each line is one row, imported or rejected with its
line number. A phone list has no field that spans lines, so a quote opened in a line and not
closed on it rejects that line alone (a CSV reader would otherwise read the rest of the file into
that one field, and those numbers would silently stay callable). The file is decoded in the codec
the caller gives (guard/services/suppression/blacklist_import.py tells it from the bytes: UTF-8,
GB18030 or Big5); a line with bytes it cannot decode is rejected, shown as decoded.

Rows are read, checked and written in batches; each batch is its own transaction, so a
million-row import never holds the store's write lock for long and memory stays flat. Phone
parsing, the expensive part (~30 µs a number), runs in worker processes while the main process
writes the previous batch. Entries already on the list (same number and source, live) are left
as they are, so re-importing a file changes nothing. A new entry recording the person's own refusal
(source customer_request or complaint) is handed, in its batch's transaction and under its number's
lock, to `on_refusals` (the service withdraws the person's consents, as it does for an entry added alone).
"""

from __future__ import annotations

import csv
import io
import multiprocessing as mp
import signal
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import IO, Any, Callable, Iterator
from zoneinfo import ZoneInfo

from blacklist.service import REFUSAL_SOURCES, SOURCES, entry_lock, expiry_problem
from guard.store import blacklist as blacklist_store
from guard.core.clock import check_not_future
from guard.core.csvrecords import UNCLOSED_QUOTE, delimiter_of, header_unreadable
from guard.core.pack_schema import parse_instant
from guard.core.phones import listed_e164
from guard.core.text import unstorable
from guard.core.zones import zone_of_day
from guard.core.errors import InvalidField
from guard.core.headers import NameTable
from guard.core.messages import stored_text
from guard.uploads import CountingReader
from guard.store.db import Connection, Store
from guard.store.ids import new_id

COLUMNS = ("phone", "source", "reason", "added_at", "expires_at")
# The most numbers' locks one transaction of an import takes (the refusals' rows are written in parts this size):
# PostgreSQL keeps every advisory lock a transaction holds in its shared lock table, which holds
# max_locks_per_transaction (64 by default) times max_connections (100) in all, for every session at once
# (PostgreSQL documentation, "20.12. Lock Management"); a batch of 5,000 refusals took 5,000 of its 6,400 slots.
REFUSAL_LOCKS = 500
# What a header may call each column: its own name, then the names Chinese exports use. A cell is read as
# guard/core/headers.py reads it: any case, spaces and underscores aside, traditional spellings (Big5
# exports) as their simplified ones.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    # the names a list scrub reads a number under (guard/services/calls/scrub_file.py): a list exported from the same CRM
    # is imported, not refused for 电话号码 or Mobile Phone
    "phone": ("phone", "手机号码", "手机号", "手机", "移动电话", "电话号码", "电话", "联系电话", "联络电话", "客户电话", "号码",
              "mobile", "phone_number", "telephone", "tel", "Mobile Phone", "Mobile Number", "Mobile Phone Number"),
    "source": ("source", "来源"),
    "reason": ("reason", "原因", "备注"),
    "added_at": ("added_at", "加入日期", "添加日期"),
    "expires_at": ("expires_at", "到期日期", "失效日期"),
}
_HEADER = NameTable(HEADER_NAMES)
MAX_REJECTS_KEPT = 1000  # in the report; every rejected row still goes to `on_reject`
MAX_REASON = 1000


class ImportError_(InvalidField):
    """The file as a whole cannot be imported (bad header, not CSV)."""

    def __init__(self, message: str):
        super().__init__("(body)", message, message)


@dataclass
class ImportReport:
    accepted: int = 0  # new entries
    unchanged: int = 0  # valid rows whose entry was already live (or repeated in the file)
    rejected: int = 0
    consents_withdrawn: int = 0  # consents the new refusals withdrew (`on_refusals`)
    rows: int = 0
    rejects: list[dict] = field(default_factory=list)
    encoding: str | None = None  # the codec the file was read in, when the import says

    def as_dict(self) -> dict[str, Any]:
        out = {
            "accepted": self.accepted,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "rows": self.rows,
            "consents_withdrawn": self.consents_withdrawn,
            "rejects": self.rejects,
            "rejects_truncated": self.rejected > len(self.rejects),
        }
        if self.encoding is not None:
            out["encoding"] = self.encoding
        return out


def _parse_batch(args: tuple[list[str], str]) -> list[tuple[str | None, str | None]]:
    phones, region = args
    return [listed_e164(p, region) for p in phones]


def _instant(value: str, zone: ZoneInfo, last_day: bool = False) -> datetime | None:
    """A cell's instant: a date-time with its offset as written; a day alone, its 00:00 in `zone` (an `added_at`: listed
    from the day's start), or for a `last_day` (an `expires_at`: 到期日期 2026-12-31) its 24:00, the next day's 00:00 (民法典
    第二百零三条: 期间的最后一日的截止时间为二十四时; the list holds the number through the whole day it names, as a consent's
    last day is read). None: neither."""
    value = value.strip()
    parsed = parse_instant(value)
    if parsed is not None:
        return parsed
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return _day_instant(day, zone, last_day)


def _day_instant(day: date, zone: tzinfo, last_day: bool) -> datetime:
    """A day alone in `zone`: its 00:00, or for a `last_day` its 24:00 (the next day's 00:00), in UTC."""
    return datetime.combine(day + timedelta(days=1) if last_day else day, time(0), zone).astimezone(timezone.utc)


def listed_day(day: date, zones: tuple[str, ...], *, last_day: bool) -> datetime:
    """A list's day written alone, as an instant (UTC), where the number's callee may be (`zones`; README, Interpretations,
    *A day written alone*): an `added_at` lists the number from the day's 00:00 where the day begins first; an
    `expires_at` is the listing's last day, held through to its 24:00 (the next day's 00:00) where that day ends last
    (民法典 第二百零三条: 期间的最后一日的截止时间为二十四时), so the listing holds the longest. An import's row and a single
    `POST /v1/blacklist` read a day by this one reading."""
    return _day_instant(day, zone_of_day(day, zones, latest=last_day), last_day)


def _expiry_not_after(written: dict[str, str], expires: datetime, added: datetime | None) -> str:
    """Why a row's listing ends before it starts, naming the instants as read (a day alone: its 24:00 where it ends): a row
    without `added_at` is listed from the import, so an `expires_at` already passed is what rejects it."""
    ends = f"expires_at: {written['expires_at']!r} (read as {expires.isoformat()})"
    if added is None:
        return (f"{ends} has passed: a row without added_at is listed from the import, so its listing would end before it "
                f"begins; give added_at to record a listing that has ended")
    return f"{ends} is not after added_at {written['added_at']!r} (read as {added.isoformat()})"


def _row_error(record: list[str], columns: list[str], default_source: str) -> str | None:
    """Why a row cannot be imported, before its number is parsed; None when it may be."""
    problem = next(filter(None, map(unstorable, record)), None)
    if problem:
        return problem
    if len(record) > len(columns):
        return f"{len(record)} columns; expected at most {len(columns)} ({', '.join(columns)})"
    cells = dict(zip(columns, (c.strip() for c in record)))
    if not cells.get("phone"):
        return "phone: empty"
    source = cells.get("source") or default_source
    if source not in SOURCES and "source" in cells and cells["source"].isdigit() and cells["phone"].isdigit():
        # The FTC registry's full-list files are described (dontphoneme.com, "Downloading DNC") as "one area code and
        # telephone number per line, separated by a comma" (202,5550123): the second number is no source, and the row
        # is not a number until the two are joined.
        return (f"source: {source!r} is digits, not one of {', '.join(SOURCES)}: a row of two numbers (an area code and "
                f"the rest, as a registry file may give them) is read as phone,source; join them into one number "
                f"({cells['phone']}{source})")
    if source not in SOURCES:
        return f"source: {source!r} is not one of {', '.join(SOURCES)}"
    if len(cells.get("reason") or "") > MAX_REASON:
        return f"reason: longer than {MAX_REASON} characters"
    return None


def _names(column: str) -> str:
    return ", ".join(HEADER_NAMES[column][1:])


def _header(line: int, record: list[str]) -> list[str] | None:
    """The columns a first row names, or None when it is a row of data. ImportError_ for a header that
    names a column this import does not know, names one twice or has no phone column."""
    names = [c.strip() for c in record]
    columns = _HEADER.columns(names)
    if not any(columns) and any(ch.isdigit() for n in names for ch in n):
        return None
    expected = (f"expected phone (or {_names('phone')}) and any of "
                + ", ".join(f"{c} ({_names(c)})" for c in COLUMNS if c != "phone") + ", in any order")
    unknown = [n for n, c in zip(names, columns) if c is None]
    if unknown:
        raise ImportError_(f"line {line}: the header names {'a column' if len(unknown) == 1 else 'columns'} this import does "
                           f"not know ({', '.join(map(repr, unknown))}); {expected}")
    for column in COLUMNS:
        given = [n for n, c in zip(names, columns) if c == column]
        if len(given) > 1:
            raise ImportError_(f"line {line}: the header names the {column} column twice ({' and '.join(map(repr, given))})")
    if "phone" not in columns:
        raise ImportError_(f"line {line}: the header has no phone column; {expected}")
    return [c for c in columns if c is not None]


# A list may have no header: what its first row is when it cannot be read (guard.core.csvrecords.header_unreadable)
FIRST_ROW = "the first row (the header, or a list's first phone)"


class _QuoteNotClosed(Exception):
    """The CSV reader asked for the next line in the middle of a record."""


class _OneLine:
    """The CSV reader's input: the line put here and nothing more, so that no record takes two lines."""

    def __init__(self) -> None:
        self.line: str | None = None

    def __iter__(self) -> "_OneLine":
        return self

    def __next__(self) -> str:
        line, self.line = self.line, None
        if line is None:
            raise _QuoteNotClosed
        return line


def _lines(stream: IO[str]) -> Iterator[tuple[int, str, list[str] | None, str | None]]:
    """(line number, text, record, None) for each physical line, or (line number, text, None, why) for
    one that is not a CSV record on its own: a quoted field not closed on it, a field over the size
    limit. The reader starts afresh on the next line (it resets at each record it is asked for). Fields
    are separated as the first non-blank line shows (`delimiter_of`: commas, tabs or semicolons)."""
    feed = _OneLine()
    reader = None
    for number, text in enumerate(stream, start=1):
        if reader is None:
            if not text.strip():
                yield number, text, [], None
                continue
            # the first row shows the separator: commas, or an Excel export's tabs or semicolons
            reader = csv.reader(feed, delimiter=delimiter_of(text.lstrip("\ufeff")))
        feed.line = text
        try:
            record = next(reader)
        except _QuoteNotClosed:
            yield number, text, None, UNCLOSED_QUOTE
        except csv.Error as exc:
            yield number, text, None, f"not readable as CSV ({exc})"
        else:
            yield number, text, record, None


def _shown(text: str) -> str:
    """A rejected line as the report shows it: as decoded, without its line break, cut at 200 characters."""
    return text.rstrip("\r\n")[:200]


def rejecter(report: Any, on_reject: Callable[[dict], None] | None) -> Callable[[int, str, str], None]:
    """How a list's reading rejects a row (an import's, a removal's): counted in `report.rejected`, the first
    MAX_REJECTS_KEPT kept in `report.rejects` with their lines, and every one handed to `on_reject` (`--rejects FILE`)."""

    def reject(line: int, why: str, raw: str) -> None:
        report.rejected += 1
        item = {"line": line, "reason": why, "row": _shown(raw)}
        if len(report.rejects) < MAX_REJECTS_KEPT:
            report.rejects.append(item)
        if on_reject is not None:
            on_reject(item)

    return reject


def import_csv(
    store: Store,
    binary: IO[bytes],
    *,
    default_source: str = "registry",
    region: str,
    timezone_name: str,
    now: datetime,
    key_id: str | None,
    codec: str = "utf-8",
    codec_label: str = "UTF-8",
    allow_client_time: bool = False,
    workers: int = 1,
    batch_size: int = 5000,
    on_reject: Callable[[dict], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    on_refusals: Callable[[Connection, list[dict]], int] | None = None,
    zones_of: Callable[[str | None], tuple[str, ...]] | None = None,
) -> ImportReport:
    """Import a CSV stream in `codec` (UTF-8 with or without BOM unless told; the caller tells it, see
    guard/services/suppression/blacklist_import.py). Raises ImportError_ for a bad header or first line."""
    if default_source not in SOURCES:
        raise ImportError_(f"source: {default_source!r} is not one of {', '.join(SOURCES)}")
    zone = ZoneInfo(timezone_name)
    counter = CountingReader(binary)
    # Bytes the codec cannot decode are read as U+FFFD, and their line is rejected (shown as decoded).
    text = io.TextIOWrapper(io.BufferedReader(counter, 1 << 16), encoding="utf-8-sig" if codec == "utf-8" else codec,
                            errors="replace", newline="")
    invalid = f"not valid {codec_label}"
    report = ImportReport(encoding=codec)
    columns = list(COLUMNS)

    reject = rejecter(report, on_reject)

    def batches() -> Iterator[list[tuple[int, str, dict]]]:
        nonlocal columns
        pending: list[tuple[int, str, dict]] = []
        first = True
        for line, raw, record, unreadable in _lines(text):
            if unreadable is None and "\ufffd" in raw:
                unreadable = invalid
            if unreadable is not None:
                if first:  # nothing is written yet: the file as a whole is refused
                    hint = "; name the file's encoding" if unreadable == invalid else ""
                    raise ImportError_(f"line {line}: {header_unreadable(unreadable, FIRST_ROW)}{hint}")
                report.rows += 1
                pending.append((line, raw, {"error": unreadable}))
                continue
            assert record is not None
            if first:
                if not any(c.strip() for c in record):
                    continue  # blank lines before the first row
                first = False
                record[0] = record[0].lstrip("\ufeff")  # a byte-order mark the codec kept
                named = _header(line, record)
                if named is not None:
                    columns = named
                    continue
            if not record or all(not c.strip() for c in record):
                continue  # blank line
            report.rows += 1
            error = _row_error(record, columns, default_source)
            if error is not None:
                pending.append((line, raw, {"error": error}))
            else:
                cells = dict(zip(columns, (c.strip() for c in record)))
                values: dict[str, Any] = {"source": cells.get("source") or default_source, "reason": cells.get("reason") or None,
                                          "raw_phone": cells["phone"]}
                for col in ("added_at", "expires_at"):
                    if cells.get(col):
                        instant = _instant(cells[col], zone, last_day=col == "expires_at")
                        if instant is None:
                            values = {"error": f"{col}: {cells[col]!r} is not an ISO 8601 date or date-time with offset"}
                            break
                        values[col] = instant
                        values.setdefault("written", {})[col] = cells[col]
                        if zones_of is not None and parse_instant(cells[col]) is None:
                            values.setdefault("days", {})[col] = date.fromisoformat(cells[col])  # read when the number is
                if "error" not in values and "added_at" not in values.get("days", {}):  # a day: judged once read
                    try:
                        check_not_future(values.get("added_at"), "added_at", now, allow_client_time=allow_client_time)
                    except InvalidField as exc:
                        values = {"error": f"{exc.field}: {exc.reason}"}
                pending.append((line, raw, values))
            if len(pending) >= batch_size:
                yield pending
                pending = []
        if pending:
            yield pending

    def write(batch: list[tuple[int, str, dict]], parsed: list[tuple[str | None, str | None]]) -> None:
        rows = []
        refusals: dict[str, dict] = {}  # by entry id: the new entries of a person's own refusal, for `on_refusals`
        stamp = store.sql.ts(now)
        for (line, raw, values), (e164, why) in zip(batch, parsed):
            if "error" in values:
                reject(line, values["error"], raw)
                continue
            if e164 is None:
                reject(line, f"phone: {values['raw_phone']!r} {why}", raw)
                continue
            if "days" in values:
                # A date alone is the callee's day (README, Interpretations): of the zones the number's callee may be in,
                # the listing starts at 00:00 where the day begins first and holds through its last day to 24:00 where
                # that day ends last (民法典 第二百零三条), so it holds the longest.
                zones = zones_of(e164)  # type: ignore[misc]
                for col, day in values["days"].items():
                    values[col] = listed_day(day, zones, last_day=col == "expires_at")
                try:
                    check_not_future(values.get("added_at"), "added_at", now, allow_client_time=allow_client_time)
                except InvalidField as exc:
                    reject(line, f"{exc.field}: {exc.reason}", raw)
                    continue
            added = values.get("added_at") or now
            expires = values.get("expires_at")
            if expires is not None and expires <= added:
                reject(line, _expiry_not_after(values["written"], expires, values.get("added_at")), raw)
                continue
            problem = expiry_problem(values["source"], expires)
            if problem is not None:
                reject(line, problem, raw)
                continue
            row = {
                "id": new_id(now), "phone_e164": e164, "customer_id": None, "source": values["source"],
                "reason": values["reason"], "added_at": store.sql.ts(added), "expires_at": store.sql.ts(expires),
                "added_by": key_id, "recorded_at": stamp,
            }
            rows.append(row)
            if on_refusals is not None and values["source"] in REFUSAL_SOURCES:
                refusals[row["id"]] = {"phone_e164": e164, "customer_id": None, "source": values["source"], "added_at": added,
                                       "reason": values["reason"]}
        if not rows:
            return

        def withdraw(conn: Connection, inserted_ids: set[str]) -> int:
            assert on_refusals is not None
            return on_refusals(conn, [refusals[i] for i in sorted(inserted_ids)])

        # A refusal's entry is written under its number's lock; a transaction holds at most REFUSAL_LOCKS of them.
        step = len(rows) if not refusals else REFUSAL_LOCKS
        for part in (rows[i:i + step] for i in range(0, len(rows), step)):
            ids = [r["id"] for r in part if r["id"] in refusals]
            inserted, withdrawn = blacklist_store.insert_many(
                store, part, keys=sorted({entry_lock(refusals[i]["phone_e164"], None) for i in ids}), watched=ids,
                then=withdraw if ids else None, lapsed=(now, stored_text("stored.lapsed_relisted")))
            report.consents_withdrawn += withdrawn
            report.accepted += inserted
            report.unchanged += len(part) - inserted

    # The workers leave a Ctrl-C to this process (the terminal sends it to the whole group): it stops the import and
    # ends the pool, where each worker would print its own KeyboardInterrupt traceback.
    pool = mp.get_context("fork").Pool(workers, signal.signal, (signal.SIGINT, signal.SIG_IGN)) if workers > 1 else None
    try:
        in_flight: deque = deque()
        for batch in batches():
            phones = ([v.get("raw_phone", "") for _, _, v in batch], region)
            if pool is None:
                write(batch, _parse_batch(phones))
            else:
                in_flight.append((batch, pool.apply_async(_parse_batch, (phones,))))
                while len(in_flight) > workers:  # bounded: at most workers+1 batches in memory
                    done, result = in_flight.popleft()
                    write(done, result.get())
            if on_progress is not None:
                on_progress(counter.count)
        while in_flight:
            done, result = in_flight.popleft()
            write(done, result.get())
        if on_progress is not None:
            on_progress(counter.count)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    return report

