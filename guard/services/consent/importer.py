"""Consent CSV import: every row checked, every rejected row reported with its line number, the
accepted rows written in one transaction (all of them or, on a store error, none).

    phone,customer_id,source,given_at,channels,product_types,text_version,consent_text,evidence_ref,expires_at,withdrawn_at,withdrawn_via

The header row is required (columns in any order; `source`, `given_at` and one of `phone` and
`customer_id` are required). Lists (`channels`, `product_types`) are separated by `;` or `|`;
`channels` defaults to `phone`. Instants are ISO 8601 date-times with an offset, or dates read
in the default pack's time zone. The file is UTF-8 (with or without BOM) unless an encoding is
named (GB18030/GBK and Big5 exports read as their supersets, as for call logs). A row that repeats
a consent already recorded (same number, customer, source, given_at and text version, still
current) or an earlier row of the file is counted as unchanged: re-importing a file changes nothing.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import IO, Callable
from zoneinfo import ZoneInfo

from blacklist.importer import MAX_REJECTS_KEPT, ImportError_, ImportReport, _instant
from guard.core.csvrecords import Records, stamped_row
from guard.core.errors import InvalidField
from guard.core.phones import NumberRange, parse_phone
from guard.core.text import unstorable
from guard.services.audits.encoding import UnknownEncoding, resolve
from guard.services.consent.records import NewConsent, row_of, validate
from guard.store import consents as consent_store
from guard.store.db import Store

COLUMNS = ("phone", "customer_id", "source", "given_at", "channels", "product_types", "text_version", "consent_text", "evidence_ref",
           "expires_at", "withdrawn_at", "withdrawn_via")
FUTURE_SKEW = timedelta(minutes=5)
LIMITS = {"customer_id": 64, "text_version": 64, "evidence_ref": 500, "consent_text": 20_000, "phone": 64}


def _list(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in value.replace("|", ";").split(";") if p.strip())


def _key(phone: str | None, customer_id: str | None, source: str, given_at: datetime, version: str | None) -> tuple:
    return (phone, customer_id, source, given_at.timestamp(), version)


def import_csv(store: Store, binary: IO[bytes], *, region: str, timezone_name: str, now: datetime, key_id: str | None,
               encoding: str | None = None, ranges: tuple[NumberRange, ...] = (),
               on_reject: Callable[[dict], None] | None = None) -> ImportReport:
    """Import consents from a CSV stream; raise ImportError_ for a file that cannot be read as a whole."""
    try:
        codec = "utf-8-sig" if encoding is None or resolve(encoding) == "utf-8" else resolve(encoding)
    except UnknownEncoding as exc:
        raise InvalidField("encoding", str(exc)) from None
    zone = ZoneInfo(timezone_name)
    text = io.TextIOWrapper(binary, encoding=codec, errors="replace", newline="")
    report = ImportReport()
    columns: list[str] | None = None
    good: list[tuple[int, list[str], NewConsent]] = []

    def reject(line: int, why: str, raw: list[str]) -> None:
        report.rejected += 1
        item = {"line": line, "reason": why, "row": ",".join(raw)[:200]}
        if len(report.rejects) < MAX_REJECTS_KEPT:
            report.rejects.append(item)
        if on_reject is not None:
            on_reject(item)

    try:
        records = Records(text)
        for line, record, unreadable in records:
            if columns is None:
                if unreadable is not None or not record:
                    raise ImportError_(f"line {line}: the first row must be the header ({', '.join(COLUMNS)})")
                names = [c.strip().lower() for c in record]
                unknown = [c for c in names if c not in COLUMNS]
                if unknown or len(set(names)) != len(names) or not {"source", "given_at"} <= set(names) or not (
                        {"phone", "customer_id"} & set(names)):
                    raise ImportError_(f"line {line}: header has unknown, repeated or missing columns {names}; expected source, given_at, "
                                       f"phone and/or customer_id, and any of {', '.join(COLUMNS)}")
                columns = names
                # a stray quote: a line inside a quoted field (a consent's text) that reads as a row of its own
                records.row_like = stamped_row(len(columns), columns.index("phone" if "phone" in columns else "customer_id"),
                                               columns.index("given_at"), dates=True)
                continue
            if unreadable is not None:
                report.rows += 1
                reject(line, unreadable, [])
                continue
            assert record is not None
            if all(not c.strip() for c in record):
                continue
            report.rows += 1
            consent, why = _row(record, columns, region, ranges, zone, now)
            if consent is None:
                reject(line, why or "unreadable", record)
            else:
                good.append((line, record, consent))
    except UnicodeDecodeError as exc:  # only with a strict codec: the errors="replace" ones mark the row instead
        raise ImportError_(f"not readable as {codec}: {exc}") from None
    if columns is None:
        raise ImportError_("the file is empty: the first row must be the header")
    keys = set()
    rows = []
    with store.locked() as conn:
        phones = sorted({c.phone for _, _, c in good if c.phone})
        customers = sorted({c.customer_id for _, _, c in good if c.customer_id})
        for r in consent_store.live_of(conn, phones, customers):
            keys.add(_key(r.phone_e164, r.customer_id, r.source, r.given_at, r.text_version))
        for line, record, c in good:
            key = _key(c.phone, c.customer_id, c.source, c.given_at, c.text_version)
            if key in keys:
                report.unchanged += 1
                continue
            keys.add(key)
            rows.append(row_of(c, now, key_id))
        consent_store.add_many(conn, rows)
    report.accepted = len(rows)
    return report


def _row(record: list[str], columns: list[str], region: str, ranges: tuple[NumberRange, ...],
         zone: ZoneInfo, now: datetime) -> tuple[NewConsent | None, str | None]:
    if any("\ufffd" in c for c in record):
        return None, "not valid in the file's encoding"
    problem = next(filter(None, map(unstorable, record)), None)
    if problem:
        return None, problem
    if len(record) > len(columns):
        return None, f"{len(record)} columns; the header has {len(columns)}"
    cells = {k: v.strip() for k, v in zip(columns, record)}
    for col, limit in LIMITS.items():
        if len(cells.get(col) or "") > limit:
            return None, f"{col}: longer than {limit} characters"
    phone = None
    if cells.get("phone"):
        info = parse_phone(cells["phone"], region, ranges)
        if not info.valid:
            return None, f"phone: {cells['phone']!r} is not a valid number ({info.why})"
        phone = info.e164
    instants: dict[str, datetime | None] = {}
    for col in ("given_at", "expires_at", "withdrawn_at"):
        value = cells.get(col)
        instants[col] = _instant(value, zone) if value else None
        if value and instants[col] is None:
            return None, f"{col}: {value!r} is not an ISO 8601 date or date-time with offset"
    if instants["given_at"] is None:
        return None, "given_at: empty"
    for col in ("given_at", "withdrawn_at"):  # what the person did lies in the past (clocks drift a little)
        value = instants[col]
        if value is not None and value > now + FUTURE_SKEW:
            return None, f"{col}: {cells[col]!r} is in the future"
    consent = NewConsent(
        source=cells.get("source") or "", given_at=instants["given_at"], phone=phone, customer_id=cells.get("customer_id") or None,
        channels=_list(cells.get("channels") or "") or ("phone",), product_types=_list(cells.get("product_types") or ""),
        consent_text=cells.get("consent_text") or None, text_version=cells.get("text_version") or None,
        evidence_ref=cells.get("evidence_ref") or None, expires_at=instants["expires_at"], withdrawn_at=instants["withdrawn_at"],
        withdrawn_via=cells.get("withdrawn_via") or None,
    )
    try:
        validate(consent)
    except InvalidField as exc:
        return None, f"{exc.field}: {exc.reason}"
    return consent, None
