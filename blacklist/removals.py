"""Removing a source's entries for a file of numbers that left an external list (a registry change list's deletions).

The US National Do Not Call Registry is downloaded as full lists and as change lists: the numbers added to or
deleted from it since the organisation's last download (FTC, "Telemarketer Access Information"; the list must be
obtained within 31 days of a call, 16 CFR 310.4(b)(3)(iv)). An import only adds; this closes, for each number of
the file, its live entry of the one source named (`registry`, `regulator` or `litigator`), and nothing else: a
number a customer asked not to be called on (`customer_request`), or listed by any other source, stays blocked.

The file is read as a list import reads it (blacklist.importer: encoding, header names, separators, one row a
line): its phone column is what counts; a row naming another source, or a bad number, is rejected with its line.
A removal closes an entry now: a row whose `expires_at` has not passed (the list still holds the number until then; a
day alone is held to its 24:00 where the callee's day ends last, as an import reads it, 民法典 第二百零三条) is rejected,
not lifted early, and a date cell that cannot be read is rejected as an import rejects it.
One reason covers the file; the removal is recorded (`list_imports`, kind removal) and each entry closed keeps
who, when, why and that record's id. A dry run reads the file and counts what would happen, writing nothing.
Batches of 5,000 numbers are each closed in one transaction: a check sees a number listed or lifted, never between.
It takes no number locks: it closes only external sources' entries, which an import writes without them too, and an
import racing it is ordered by the live entries' unique index (an insert of the number waits for the closing UPDATE,
then adds a new entry; an entry inserted after the UPDATE began is left live): the number ends lifted, or listed anew,
never neither. `still_blocked` is read as the check reads it (`blacklist.service.still_blocked`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import IO, Any, Callable, Iterator

from blacklist.importer import COLUMNS, FIRST_ROW, ImportError_, _header, _instant, _lines, _row_error, listed_day, rejecter
from guard.core.csvrecords import header_unreadable
from blacklist.service import still_blocked
from guard.core.facts import EXTERNAL_SOURCES
from guard.core.i18n import field_said
from guard.core.messages import said
from guard.core.pack_schema import parse_instant
from guard.core.phones import extension_of, listed_e164
from guard.core.zones import zone_of_day
from guard.store import blacklist as blacklist_store
from guard.store.db import Store
from guard.uploads import CountingReader

REMOVABLE_SOURCES = tuple(sorted(EXTERNAL_SOURCES))
# Where no lookup of the callee's zones is given, a day alone is held to its end where it ends last on Earth (fail closed).
LATEST_ZONES = ("Etc/GMT+12",)


def listing_end_problem(cells: dict[str, str], e164: str, now: datetime,
                        zones_of: Callable[[str | None], tuple[str, ...]] | None) -> str | None:
    """Why a removal row's dates forbid closing its entry at `now`: a date cell an import could not read, or an `expires_at`
    that has not passed (a day alone ends at its 24:00 where the callee's day ends last, as `import_csv` holds it)."""
    for col in ("added_at", "expires_at"):
        if cells.get(col) and _instant(cells[col], timezone.utc) is None:
            return f"{col}: {cells[col]!r} is not an ISO 8601 date or date-time with offset"
    text = cells.get("expires_at")
    if not text:
        return None
    ends = parse_instant(text)
    if ends is None:
        day = date.fromisoformat(text)
        zone = zone_of_day(day, zones_of(e164) if zones_of is not None else LATEST_ZONES, latest=True)
        ends = listed_day(day, (zone.key,), last_day=True).astimezone(zone)
    if ends <= now:
        return None
    return (f"expires_at: {text!r} has not passed: the list holds the number until {ends.isoformat()}; a removal lifts it "
            f"now, so remove the number once its listing has ended")


@dataclass
class RemovalReport:
    dry_run: bool
    source: str
    rows: int = 0
    removed: int = 0  # entries of the source closed (would be, on a dry run)
    not_listed: int = 0  # valid numbers with no live entry of the source (or repeated in the file)
    # numbers of the file a check still holds back: an entry of another source, their customer's, a mute
    still_blocked: int = 0
    rejected: int = 0
    rejects: list[dict] = field(default_factory=list)
    list_id: int | None = None
    encoding: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out = {"dry_run": self.dry_run, "source": self.source, "rows": self.rows, "removed": self.removed,
               "not_listed": self.not_listed, "still_blocked": self.still_blocked, "rejected": self.rejected,
               "rejects": self.rejects, "rejects_truncated": self.rejected > len(self.rejects), "list_id": self.list_id}
        if self.encoding is not None:
            out["encoding"] = self.encoding
        return out


def remove_csv(store: Store, binary: IO[bytes], *, source: str, reason: str, region: str, now: datetime, key_id: str | None,
               dry_run: bool, codec: str = "utf-8", codec_label: str = "UTF-8", batch_size: int = 5000,
               on_reject: Callable[[dict], None] | None = None, on_progress: Callable[[int], None] | None = None,
               zones_of: Callable[[str | None], tuple[str, ...]] | None = None) -> RemovalReport:
    """Close the live entries of `source` of the file's numbers (or, with `dry_run`, count them). ImportError_ for a
    source that is no external list, or a file that cannot be read as a whole (bad header, first line unreadable).
    `zones_of`: the zones of a number's callee, where a day alone in `expires_at` is read (guard/services/zones.py)."""
    if source not in REMOVABLE_SOURCES:
        raise ImportError_(f"source: {source!r} is not an external list ({', '.join(REMOVABLE_SOURCES)}): entries of other "
                           f"sources are removed one at a time (DELETE /v1/blacklist/{{phone}})")
    counter = CountingReader(binary)
    text = io.TextIOWrapper(io.BufferedReader(counter, 1 << 16), encoding="utf-8-sig" if codec == "utf-8" else codec,
                            errors="replace", newline="")
    report = RemovalReport(dry_run=dry_run, source=source, encoding=codec)
    seen: set[str] = set()

    reject = rejecter(report, on_reject)

    def batches() -> Iterator[list[str]]:
        columns = list(COLUMNS)
        first = True
        pending: list[str] = []
        for line, raw, record, unreadable in _lines(text):
            if unreadable is None and "\ufffd" in raw:
                unreadable = f"not valid {codec_label}"
            if unreadable is not None:
                if first:
                    raise ImportError_(f"line {line}: {header_unreadable(unreadable, FIRST_ROW)}")
                report.rows += 1
                reject(line, unreadable, raw)
                continue
            assert record is not None
            if not record or all(not c.strip() for c in record):
                continue
            if first:
                first = False
                record[0] = record[0].lstrip("\ufeff")
                named = _header(line, record)
                if named is not None:
                    columns = named
                    continue
            report.rows += 1
            error = _row_error(record, columns, source)
            cells = dict(zip(columns, (c.strip() for c in record)))
            if error is None and cells.get("source") and cells["source"] != source:
                error = f"source: {cells['source']!r}; this removal closes {source} entries only"
            if error is not None:
                reject(line, error, raw)
                continue
            e164, why = listed_e164(cells["phone"], region)
            if e164 is None:
                reject(line, f"phone: {cells['phone']!r} {why}", raw)
                continue
            if extension := extension_of(cells["phone"], region):
                reject(line, field_said("phone", said("error.removal_at_extension", raw=repr(cells["phone"]), extension=extension,
                                                      line=e164)), raw)
                continue
            if problem := listing_end_problem(cells, e164, now, zones_of):
                reject(line, problem, raw)
                continue
            if e164 in seen:
                report.not_listed += 1
                continue
            seen.add(e164)
            pending.append(e164)
            if len(pending) >= batch_size:
                yield pending
                pending = []
        if pending:
            yield pending

    def start() -> int:  # after the header is read: a file refused as a whole is no removal
        return blacklist_store.start_removal(store, {"at": now, "by": key_id, "source": source, "region": region.upper(),
                                                     "reason": reason})

    for phones in batches():
        if not dry_run and report.list_id is None:
            report.list_id = start()
        if dry_run:
            closed, _ = blacklist_store.listed_by(store, phones, source)
        else:
            closed = blacklist_store.remove_listed(store, phones, source, now, key_id, reason, report.list_id)
        report.removed += len(closed)
        report.not_listed += len(phones) - len(closed)
        blocked = still_blocked(store, phones, now, lifting=source)
        report.still_blocked += len(blocked)
        if not dry_run and closed:
            blacklist_store.mark_still_blocked(store, closed, blocked)
        if on_progress is not None:
            on_progress(counter.count)
    if on_progress is not None:
        on_progress(counter.count)
    if report.rows == 0:  # nothing read must not stand on record as a list removed
        raise ImportError_("no row to remove (the file is empty, or has a header and no row after it)")
    if not dry_run:
        report.list_id = report.list_id or start()
        blacklist_store.finish_removal(store, report.list_id, {"rows": report.rows, "removed": report.removed,
                                                              "unchanged": report.not_listed, "rejected": report.rejected})
    return report
