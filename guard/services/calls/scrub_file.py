"""Scrubbing a list file before a campaign (`guard scrub`): a CRM's CSV/TSV export, every row judged as
`POST /v1/check/batch` judges its numbers (`scrub.check_list`: a dry run, nothing recorded), the results as rows.

The file is read as the other imports read theirs: its encoding named or told from its bytes
(`guard.services.imports`: a byte-order mark, UTF-8, GB18030, Big5-HKSCS), decoded strictly (a row with bytes the
encoding cannot decode is unreadable, as in a call log), split into records by `guard.core.csvrecords.Records`
(quoted fields, CRLF, tabs or semicolons; each record with the line it starts on), its header read through
`guard.core.headers.NameTable` (`HEADER_NAMES`: English or Chinese, simplified or traditional). Rows are judged
`CHUNK_ROWS` at a time, so memory holds one chunk and the numbers already seen (for `duplicate_of_line`), not the file.

Every row of the file gives one result row (`FIELDS`): judged (allowed or denied with its reason codes; an invalid
number is denied INVALID_NUMBER with why in `problem`), or unreadable (`problem` says why, `allowed` empty).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from typing import IO, Callable, Iterator
from zoneinfo import ZoneInfo

from guard.core.calllog import MAX_FIELD
from guard.core.csvrecords import Records, header_unreadable
from guard.core.errors import InvalidField
from guard.core.headers import NameTable
from guard.core.ids import canonical_id
from guard.services.audits.encoding import label
from guard.services.audits.log_reader import UNDECODABLE, _undecodable
from guard.services.calls import scrub
from guard.services.calls.check import Guard
from guard.services.imports import Workbook, confirmed, seekable, told

CHUNK_ROWS = 20_000
_NUMBER = re.compile(r"\d[\d ()-]{4,}\d")
# What a header may call each column the scrub reads (docs/columns.md); any other column is ignored. CRMs' contact
# exports: Salesforce's Contact and Lead "Mobile Phone" (MobilePhone; https://developer.salesforce.com/docs/platform/
# field-reference/references/field-reference/salesforce-field-reference-contact.html), HubSpot's "Mobile Phone Number".
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "phone": ("手机号码", "手机号", "手机", "移动电话", "电话号码", "电话", "联系电话", "联络电话", "客户电话", "客户号码", "号码",
              "被叫号码", "mobile", "phone_number", "telephone", "tel", "Mobile Phone", "Mobile Number",
              "Mobile Phone Number"),
    "customer_id": ("客户号", "客户编号", "客户ID", "客户代码", "cust_id"),
}
HEADER = NameTable(HEADER_NAMES)
FIELDS = ("line", "phone", "phone_e164", "allowed", "reasons", "next_allowed_at", "problem", "customer_id", "duplicate_of_line",
          "phone_extension")
_NAME_IT = "name the encoding with --encoding: utf-8, gb18030 or big5"


class ListError(InvalidField):
    """The file as a whole cannot be scrubbed (not readable, no phone column, an ambiguous one)."""

    def __init__(self, message: str, field_name: str = "file"):
        super().__init__(field_name, message, message)


@dataclass
class Summary:
    rows: int = 0
    allowed: int = 0
    denied: int = 0
    unreadable: int = 0
    duplicates: int = 0
    by_reason: Counter = field(default_factory=Counter)
    encoding: str = ""
    pack: str = ""
    at: datetime | None = None

    @property
    def judged(self) -> int:
        return self.allowed + self.denied


def _names(column: str) -> str:
    return ", ".join((column, *HEADER.aliases(column)))


def _columns(line: int, record: list[str], column: str | None) -> tuple[int, int | None] | None:
    """(phone index, customer index) the header names, or None when the first row is data (a one-column list of
    numbers without a header). ListError for a header without a phone column or with more than one."""
    cells = [c.strip().lstrip("\ufeff") for c in record]
    known = HEADER.columns(cells)
    customers = [i for i, c in enumerate(known) if c == "customer_id"]
    if len(customers) > 1:  # judging by neither would pass a customer who asked not to be called
        named = " and ".join(repr(cells[i]) for i in customers)
        raise ListError(f"line {line}: the header names a customer_id column {len(customers)} times ({named}); keep one")
    customer = customers[0] if customers else None
    if column is not None:
        wanted = NameTable({"wanted": (column,)})
        phones = [i for i, c in enumerate(cells) if wanted.column(c)]
        if not phones:
            raise ListError(f"line {line}: no column is named {column!r} (the header names: {', '.join(map(repr, cells))})",
                            "--column")
        if len(phones) > 1:
            raise ListError(f"line {line}: {len(phones)} columns are named {column!r}", "--column")
        return phones[0], customer
    phones = [i for i, c in enumerate(known) if c == "phone"]
    if not phones and not any(known) and len(cells) == 1 and any(ch.isdigit() for ch in cells[0]):
        return None
    if not phones:
        raise ListError(f"line {line}: the header has no phone column (named {_names('phone')}); the header names: "
                        f"{', '.join(map(repr, cells))}; name the column with --column")
    if len(phones) > 1:
        named = " and ".join(repr(cells[i]) for i in phones)
        raise ListError(f"line {line}: the header names a phone column {len(phones)} times ({named}): which one to scrub "
                        f"is ambiguous; name it with --column")
    return phones[0], customer


def read_rows(binary: IO[bytes], codec: str, column: str | None = None) -> Iterator[tuple[int, str | None, str | None, str | None]]:
    """(line, phone as written, customer id, None) for each data row, (line, None, None, why) for an unreadable one;
    ListError (before any row) when the file has no row or its header no single phone column."""
    buffered = binary if isinstance(binary, io.BufferedIOBase) else io.BufferedReader(binary)  # type: ignore[arg-type]
    text = io.TextIOWrapper(buffered, encoding=codec, errors=UNDECODABLE, newline="")
    invalid = f"not valid {label(codec)}"
    try:
        reader = Records(text)
        records = iter(reader)
        for line, head, why in records:
            if head is None:  # no row is read after an unreadable header: the file is refused, whatever `why` says of them
                raise ListError(f"line {line}: {header_unreadable(why)}")
            if any(c.strip() for c in head):
                break
        else:
            raise ListError("the file is empty")
        head = [head[0].lstrip("\ufeff"), *head[1:]]  # a byte-order mark (UTF-8's, GB18030's) read as text
        if any(_undecodable(c) for c in head):
            raise ListError(f"line {line}: the header is {invalid}; " + _NAME_IT)
        found = _columns(line, head, column)
        if found is None:
            phone_at, customer_at, width = 0, None, 1
            rows: Iterator = chain([(line, head, None)], records)
        else:
            (phone_at, customer_at), width = found, len(head)
            rows = records
        # a stray quote: a line taken into a quoted field that reads as a row of its own (a number where the phone
        # column is) was never meant to be in it; its row is read, not lost (guard/core/csvrecords.py)
        reader.row_like = lambda fields: len(fields) == width and _NUMBER.search(fields[phone_at]) is not None
        any_row = False
        for line, record, why in rows:
            if record is not None and not any(c.strip() for c in record):
                continue
            any_row = True
            if record is None:
                yield line, None, None, why
            elif any(_undecodable(c) for c in record):
                yield line, None, None, invalid
            elif len(record) != width:
                yield line, None, None, f"{len(record)} fields; the header has {width}"
            elif len(record[phone_at].strip()) > MAX_FIELD["phone"]:
                yield line, None, None, f"phone: longer than {MAX_FIELD['phone']} characters"
            else:
                # A list from another system may spell an id Ｃ１００: looked up as the C100 the guard holds (guard/core/ids.py).
                customer = canonical_id(record[customer_at]) if customer_at is not None else ""
                if len(customer) > MAX_FIELD["customer_id"]:
                    yield line, None, None, f"customer_id: longer than {MAX_FIELD['customer_id']} characters"
                    continue
                yield line, record[phone_at].strip(), customer or None, None
        if not any_row:
            raise ListError(f"line {line}: a header and no row after it")
    finally:
        try:
            text.detach()  # the caller owns (and closes) the stream
            if buffered is not binary:
                buffered.detach()
        except ValueError:
            pass  # already closed by its owner


def codec_of(stream: IO[bytes], encoding: str | None) -> str:
    """The codec to read a seekable list file in: the one named (refused when it misreads the file), or the one its
    bytes tell."""
    try:
        return confirmed(stream, encoding, "--encoding") if encoding else told(stream, _NAME_IT, HEADER)
    except Workbook as exc:
        raise ListError(str(exc.message)) from None
    except InvalidField as exc:
        raise ListError(str(exc.message), "--encoding") from None


def scrub_file(guard: Guard, stream: IO[bytes], campaign: str, at: datetime, *, product: str | None = None,
               region: str | None = None, encoding: str | None = None, column: str | None = None,
               progress: Callable[[int, int], None] | None = None, chunk_rows: int = CHUNK_ROWS,
               summary: Summary | None = None) -> Iterator[list]:
    """The result rows (`FIELDS`) of a seekable list file, in file order; `summary` is filled as they are given.
    `progress(bytes read, rows)` after each chunk. ListError for a file that cannot be scrubbed, KeyError-free:
    an unknown campaign is ListError too (every row would be denied UNKNOWN_CAMPAIGN)."""
    summary = summary if summary is not None else Summary()
    with seekable(stream) as readable:  # a pipe is copied: the encoding is told from the whole file, then it is read again
        yield from _scrub(guard, readable, campaign, at, product, region, encoding, column, progress, chunk_rows, summary)


def _scrub(guard: Guard, stream: IO[bytes], campaign: str, at: datetime, product: str | None, region: str | None,
           encoding: str | None, column: str | None, progress: Callable[[int, int], None] | None, chunk_rows: int,
           summary: Summary) -> Iterator[list]:
    codec = codec_of(stream, encoding)
    summary.encoding, summary.at = label(codec), at
    probe, pack = scrub.check_list(guard, campaign, [""], at, region, product)
    if any(r.code == "UNKNOWN_CAMPAIGN" for r in probe[0][2].reasons):
        raise ListError(f"campaign {campaign!r} is not configured (in pack {pack.id} {pack.version} at {at.isoformat()}, "
                        "nor through PUT /v1/campaigns)", "--campaign")
    summary.pack = f"{pack.id} {pack.version}"
    first_line: dict[int, int] = {}  # E.164 digits -> the line of the number's first row
    chunk: list[tuple[int, str | None, str | None, str | None]] = []
    first_unreadable: list = []

    def judge() -> Iterator[list]:
        readable = [(line, raw, cid) for line, raw, cid, why in chunk if why is None]
        results = iter(scrub.check_list(guard, campaign, [r for _, r, _ in readable], at, region, product,
                                        customers=[c for _, _, c in readable])[0]) if readable else iter(())
        for line, raw, cid, why in chunk:
            summary.rows += 1
            if why is not None:
                summary.unreadable += 1
                if not first_unreadable:
                    first_unreadable.extend((line, why))
                yield [line, None, None, None, None, None, why, None, None, None]
                continue
            _, e164, d, extension = next(results)
            codes = [r.code for r in d.reasons]
            problem = next((r.detail.get("why") for r in d.reasons if r.code == "INVALID_NUMBER"), None)
            if d.allowed:
                summary.allowed += 1
            else:
                summary.denied += 1
                summary.by_reason.update(codes)
            repeated = None
            if e164:
                repeated = first_line.setdefault(int(e164[1:]), line)
                if repeated == line:
                    repeated = None
                else:
                    summary.duplicates += 1
            nxt = d.next_allowed_at.astimezone(ZoneInfo(d.zone)).isoformat() if d.next_allowed_at else None
            yield [line, raw, e164, "true" if d.allowed else "false", " ".join(codes), nxt,
                   problem or ("no number" if not raw else None), cid, repeated, extension]
        chunk.clear()

    for row in read_rows(stream, codec, column):
        chunk.append(row)
        if len(chunk) >= chunk_rows:
            yield from judge()
            if progress is not None:
                progress(stream.tell(), summary.rows)
    yield from judge()
    if progress is not None:
        progress(stream.tell(), summary.rows)
    if not summary.judged:
        # Every row unreadable: the file is in another encoding, or not the list meant; results saying only that
        # are no scrub (as an audit refuses a log none of whose rows can be judged).
        raise ListError(f"none of its {summary.rows} rows could be read, so nothing was judged (the first: line {first_unreadable[0]}: "
                        f"{first_unreadable[1]})")
