"""Blacklist CSV import: streamed, in bounded memory, idempotent, every rejected row explained.

    phone[,source,reason,added_at[,expires_at]]

A first row whose first cell is `phone` is a header (its columns may then come in any order);
otherwise the columns are positional. `source` defaults to the import's source (`registry` unless
told otherwise): external lists (registry, regulator, litigator) give DNC_REGISTRY at the check,
internal opt-outs (customer_request, complaint, manual) DNC_OPT_OUT. `added_at` (when the listing
took effect; ISO 8601 date-time with offset, or a date read in the pack's time zone) defaults to
the import's instant.

Rows are read, checked and written in batches; each batch is its own transaction, so a
million-row import never holds the store's write lock for long and memory stays flat. Phone
parsing, the expensive part (~30 µs a number), runs in worker processes while the main process
writes the previous batch. Entries already on the list (same number and source, live) are left
as they are, so re-importing a file changes nothing.
"""

from __future__ import annotations

import csv
import io
import multiprocessing as mp
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from typing import IO, Any, Callable, Iterator
from zoneinfo import ZoneInfo

from blacklist.service import SOURCES
from guard.store import blacklist as blacklist_store
from guard.core.pack_schema import parse_instant
from guard.core.phones import e164_of
from guard.core.text import unstorable
from guard.core.errors import InvalidField
from guard.uploads import CountingReader
from guard.store.db import Store
from guard.store.ids import new_id

COLUMNS = ("phone", "source", "reason", "added_at", "expires_at")
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
    rows: int = 0
    rejects: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "rows": self.rows,
            "rejects": self.rejects,
            "rejects_truncated": self.rejected > len(self.rejects),
        }


def _parse_batch(args: tuple[list[str], str]) -> list[tuple[str | None, str | None]]:
    phones, region = args
    return [e164_of(p, region) for p in phones]


def _instant(value: str, zone: ZoneInfo) -> datetime | None:
    value = value.strip()
    parsed = parse_instant(value)
    if parsed is not None:
        return parsed
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return datetime.combine(day, time(0), zone).astimezone(timezone.utc)


def _row_error(record: list[str], columns: list[str], default_source: str) -> str | None:
    """Why a row cannot be imported, before its number is parsed; None when it may be."""
    if any("\ufffd" in c for c in record):
        return "not valid UTF-8"
    problem = next(filter(None, map(unstorable, record)), None)
    if problem:
        return problem
    if len(record) > len(columns):
        return f"{len(record)} columns; expected at most {len(columns)} ({', '.join(columns)})"
    cells = dict(zip(columns, (c.strip() for c in record)))
    if not cells.get("phone"):
        return "phone: empty"
    source = cells.get("source") or default_source
    if source not in SOURCES:
        return f"source: {source!r} is not one of {', '.join(SOURCES)}"
    if len(cells.get("reason") or "") > MAX_REASON:
        return f"reason: longer than {MAX_REASON} characters"
    return None


def _records(stream: IO[str]) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """(line, record, None), or (line, None, why) for a line the CSV reader cannot read (a field over
    its size limit, a stray quote): that line is rejected and reading goes on, so an import never
    stops half-committed on one bad line."""
    reader = csv.reader(stream)
    while True:
        line = reader.line_num + 1  # where the record starts: a quoted field may span lines
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield line, None, f"not readable as CSV ({exc})"
            continue
        yield line, record, None


def import_csv(
    store: Store,
    binary: IO[bytes],
    *,
    default_source: str = "registry",
    region: str,
    timezone_name: str,
    now: datetime,
    key_id: str | None,
    workers: int = 1,
    batch_size: int = 5000,
    on_reject: Callable[[dict], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a CSV stream (UTF-8, with or without BOM). Raises ImportError_ for a bad header."""
    if default_source not in SOURCES:
        raise ImportError_(f"source: {default_source!r} is not one of {', '.join(SOURCES)}")
    zone = ZoneInfo(timezone_name)
    counter = CountingReader(binary)
    text = io.TextIOWrapper(io.BufferedReader(counter, 1 << 16), encoding="utf-8-sig", errors="replace", newline="")
    report = ImportReport()
    columns = list(COLUMNS)

    def reject(line: int, why: str, raw: list[str]) -> None:
        report.rejected += 1
        item = {"line": line, "reason": why, "row": ",".join(raw)[:200]}
        if len(report.rejects) < MAX_REJECTS_KEPT:
            report.rejects.append(item)
        if on_reject is not None:
            on_reject(item)

    def batches() -> Iterator[list[tuple[int, list[str], dict]]]:
        nonlocal columns
        pending: list[tuple[int, list[str], dict]] = []
        first = True
        for line, record, unreadable in _records(text):
            if unreadable is not None:
                if first:  # nothing is written yet: the file as a whole is refused
                    raise ImportError_(f"line {line}: {unreadable}")
                report.rows += 1
                pending.append((line, [], {"error": unreadable}))
                continue
            assert record is not None
            if first:
                first = False
                if record and record[0].strip().lower() == "phone":
                    names = [c.strip().lower() for c in record]
                    unknown = [c for c in names if c not in COLUMNS]
                    if unknown or len(set(names)) != len(names):
                        raise ImportError_(f"line {line}: header has unknown or repeated columns "
                                           f"{unknown or names}; expected some of {', '.join(COLUMNS)}")
                    columns = names
                    continue
            if not record or all(not c.strip() for c in record):
                continue  # blank line
            report.rows += 1
            error = _row_error(record, columns, default_source)
            if error is not None:
                pending.append((line, record, {"error": error}))
            else:
                cells = dict(zip(columns, (c.strip() for c in record)))
                values: dict[str, Any] = {"source": cells.get("source") or default_source, "reason": cells.get("reason") or None,
                                          "raw_phone": cells["phone"]}
                for col in ("added_at", "expires_at"):
                    if cells.get(col):
                        instant = _instant(cells[col], zone)
                        if instant is None:
                            values = {"error": f"{col}: {cells[col]!r} is not an ISO 8601 date or date-time with offset"}
                            break
                        values[col] = instant
                pending.append((line, record, values))
            if len(pending) >= batch_size:
                yield pending
                pending = []
        if pending:
            yield pending

    def write(batch: list[tuple[int, list[str], dict]], parsed: list[tuple[str | None, str | None]]) -> None:
        rows = []
        stamp = store.sql.ts(now)
        for (line, record, values), (e164, why) in zip(batch, parsed):
            if "error" in values:
                reject(line, values["error"], record)
                continue
            if e164 is None:
                reject(line, f"phone: {values['raw_phone']!r} {why}", record)
                continue
            added = values.get("added_at") or now
            expires = values.get("expires_at")
            if expires is not None and expires <= added:
                reject(line, "expires_at: not after added_at", record)
                continue
            row = {
                "id": new_id(now), "phone_e164": e164, "customer_id": None, "source": values["source"],
                "reason": values["reason"], "added_at": store.sql.ts(added), "expires_at": store.sql.ts(expires),
                "added_by": key_id, "recorded_at": stamp,
            }
            rows.append(row)
        if not rows:
            return
        inserted = blacklist_store.insert_many(store, rows)
        report.accepted += inserted
        report.unchanged += len(rows) - inserted

    pool = mp.get_context("fork").Pool(workers) if workers > 1 else None
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

