"""Consent CSV import: every row checked, every rejected row reported with its line number, the
accepted rows written in one transaction (all of them or, on a store error, none).

    phone,customer_id,source,given_at,channels,product_types,text_version,consent_text,evidence_ref,expires_at,withdrawn_at,withdrawn_via

The header row is required (columns in any order; `source`, `given_at` and one of `phone` and
`customer_id` are required); a row has as many fields as the header. Lists (`channels`,
`product_types`) are separated by `;`, `|` or `、`; `channels` defaults to `phone`. The values of `source`, `channels`,
`product_types` and `withdrawn_via` are their codes or their labels (docs/vocabularies.md), read as header cells are: in
any case (`SMS`, `APP`, `Hotline`), in Chinese as exports write them (短信, 电话, 手机银行, 网银), simplified or traditional;
any other value rejects its row, naming the codes allowed. Instants are ISO 8601
date-times with an offset, or dates read where the callee is (the number's zones; a row naming a customer alone,
the zone the customer records, else their numbers', else, with a warning, the file region's pack zone): `withdrawn_at` from the start of the day,
`given_at` from its end, its last microsecond (民法典 第二百零一条: a period counted in days starts the next day; a call that day is not consented; an expiry at an hour of that day is refused,
asking for the consent's hour), a date-only `withdrawn_at` on the day of a timed `given_at` from that instant (never in effect), `expires_at` (有效期至 2026-12-31) to its end, the consent expiring at 24:00 of that day in that zone (民法典
第二百零三条: the last day of a period ends at 24:00). The file's text encoding
is the one named, else told from its bytes as for call logs and blacklists (UTF-8 with or without
BOM, GB18030/GBK, Big5: guard/services/audits/encoding.py); a file whose encoding cannot be told is
refused before anything is written.

A consent is identified by its number, customer, source, given_at and text version. A row naming a
consent the guard holds (or an earlier row of the file named) is unchanged when it says the same
withdrawal, expiry, channels and product types; when it narrows them (withdraws the consent or
withdraws it earlier, ends it sooner, drops channels or product types) it updates the consent as a
withdrawal does: a new version, recorded by whoever imports, the old one kept; when it would widen
them (take a withdrawal back, as an export older than the withdrawal says; a later expiry; more
channels or products) it is rejected, saying why: a consent given anew is a new consent, with its
own given_at (`records.import_changes`). Rows are applied in file order, so a later row of one
consent may narrow an earlier one, never widen it. Re-importing a file changes nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import IO, Any, Callable
from zoneinfo import ZoneInfo

from blacklist.importer import HEADER_NAMES as BLACKLIST_HEADER_NAMES
from blacklist.importer import MAX_REJECTS_KEPT, ImportError_, ImportReport, _instant
from guard.core.clock import check_not_future
from guard.core.csvrecords import Records, header_unreadable, stamped_row
from guard.core.errors import InvalidField
from guard.core.headers import NameTable
from guard.core.i18n import field_said
from guard.core.messages import said
from guard.core.phones import NumberRange, parse_phone
from guard.core.ids import id_problem
from guard.core.text import unstorable
from guard.core.vocabularies import code_of
from guard.core.zones import zone_of_day
from guard.services.audits.encoding import UnknownEncoding, label, resolve
from guard.services.consent.records import (IMPORT_CHANGES, NewConsent, customer_callee, import_changes, lock_of, row_of,
                                            validate)
from guard.services.imports import confirmed, seekable, told
from guard.store.sql import as_utc
from guard.store import consents as consent_store
from guard.store.db import Store, in_lock_order

COLUMNS = ("phone", "customer_id", "source", "given_at", "channels", "product_types", "text_version", "consent_text", "evidence_ref",
           "expires_at", "withdrawn_at", "withdrawn_via")
# What a header may call each column besides its own name (read as guard/core/headers.py reads a cell: any case,
# spaces and underscores aside, traditional spellings as simplified ones), as Chinese exports name them.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "phone": BLACKLIST_HEADER_NAMES["phone"][1:],
    "customer_id": ("客户号", "客户编号", "客户ID"),
    "source": ("来源", "授权来源", "号码来源"),
    "given_at": ("授权时间", "授权日期", "同意时间", "同意日期", "签署日期"),
    "channels": ("联系渠道", "营销渠道"),
    "product_types": ("产品类型", "产品类别"),
    "text_version": ("授权书版本", "文本版本", "条款版本"),
    "consent_text": ("授权文本", "授权内容", "授权条款"),
    "evidence_ref": ("凭证编号", "证据编号", "留痕编号"),
    "expires_at": ("到期日期", "失效日期", "有效期至"),
    "withdrawn_at": ("撤回时间", "撤回日期", "撤销日期"),
    "withdrawn_via": ("撤回方式", "撤回渠道"),
}
HEADER = NameTable(HEADER_NAMES)
LIMITS = {"customer_id": 64, "text_version": 64, "evidence_ref": 500, "consent_text": 20_000, "phone": 64}
_NAME_IT = ("name the encoding (`guard consents import --encoding …`, or `?encoding=…` on POST /v1/consents/import): "
            "utf-8, gb18030 or big5")


@dataclass
class ConsentImportReport(ImportReport):
    updated: int = 0  # rows that changed a consent held (or one an earlier row of the file gave): a new version
    # rows imported as read, with something the importer had to assume (the first MAX_REJECTS_KEPT, with their lines)
    warnings: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out = super().as_dict()
        out.pop("consents_withdrawn")  # a blacklist import's (a refusal imported withdraws consents)
        return {"accepted": out.pop("accepted"), "updated": self.updated, **out, "warnings": self.warnings}


def _list(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in value.replace("|", ";").replace("、", ";").split(";") if p.strip())


def _is_date(value: str) -> bool:
    """A calendar date with no time of day (2026-12-31), as `_instant` reads one."""
    try:
        date.fromisoformat(value.strip())
    except ValueError:
        return False
    return True


def _date_of(value: str | None) -> date | None:
    """The day a date-only value names (None: empty, or a date-time: its instant is what was recorded)."""
    return date.fromisoformat(value.strip()) if value and _is_date(value) else None


def _day_end(value: str, zone: ZoneInfo) -> datetime:
    """24:00 of a date-only value's day in `zone` (00:00 of the next day)."""
    return datetime.combine(date.fromisoformat(value.strip()) + timedelta(days=1), time(0), zone).astimezone(UTC)


def _codes(vocabulary: str, values: tuple[str, ...]) -> tuple[str, ...]:
    """Each value as the vocabulary's code when it names one (`SMS`, 短信, 网银); else as written, for `validate` to refuse
    naming the codes allowed."""
    return tuple(code_of(vocabulary, v) or v for v in values)


def _key(phone: str | None, customer_id: str | None, source: str, given_at: datetime, version: str | None) -> tuple:
    return (phone, customer_id, source, given_at.timestamp(), version)


def import_csv(store: Store, binary: IO[bytes], *, region: str, timezone_name: str, now: datetime, key_id: str | None,
               encoding: str | None = None, ranges: tuple[NumberRange, ...] = (),
               on_reject: Callable[[dict], None] | None = None, allow_client_time: bool = False,
               encoding_field: str = "encoding", zones_of: Callable[[str | None], tuple[str, ...]] | None = None,
               on_warning: Callable[[dict], None] | None = None) -> ConsentImportReport:
    """Import consents from a CSV stream in `encoding` (a name a user gave, in `encoding_field`), or else in the one its
    bytes tell; raise ImportError_ for a file that cannot be read as a whole, whose encoding cannot be told or that the
    encoding named misreads."""
    try:
        codec = resolve(encoding) if encoding is not None else None
    except UnknownEncoding as exc:
        raise InvalidField(encoding_field, exc.args[0]) from None
    with seekable(binary) as stream:
        codec = confirmed(stream, codec, encoding_field) if codec else told(stream, _NAME_IT, HEADER)
        return _import(store, stream, codec, region=region, timezone_name=timezone_name, now=now, key_id=key_id, ranges=ranges,
                       on_reject=on_reject, allow_client_time=allow_client_time, zones_of=zones_of, on_warning=on_warning)


def _import(store: Store, binary: IO[bytes], codec: str, *, region: str, timezone_name: str, now: datetime, key_id: str | None,
            ranges: tuple[NumberRange, ...], on_reject: Callable[[dict], None] | None,
            allow_client_time: bool = False, zones_of: Callable[[str | None], tuple[str, ...]] | None = None,
            on_warning: Callable[[dict], None] | None = None) -> ConsentImportReport:
    zone = ZoneInfo(timezone_name)
    held_zones: dict[str, tuple[str, ...] | None] = {}

    def customer_zones(customer_id: str) -> tuple[str, ...] | None:
        """The zones a customer's consent reads a day alone in, as POST /v1/consents does (`callee_day_zones`): the zone
        they record, else their numbers' zones; None when the guard holds neither (one read a customer, not a row)."""
        if customer_id not in held_zones:
            numbers, recorded = customer_callee(store, customer_id)
            if recorded:
                held_zones[customer_id] = (recorded,)
            else:
                found = tuple(dict.fromkeys(z for n in numbers for z in zones_of(n))) if zones_of is not None else ()
                held_zones[customer_id] = found or None
        return held_zones[customer_id]
    # Bytes the codec cannot decode are read as U+FFFD, and their row is rejected.
    text = io.TextIOWrapper(binary, encoding="utf-8-sig" if codec == "utf-8" else codec, errors="replace", newline="")
    invalid = f"not valid {label(codec)}; name the file's encoding if it is another"
    report = ConsentImportReport(encoding=codec)
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
                if unreadable is not None:  # nothing after it is read
                    raise ImportError_(f"line {line}: {header_unreadable(unreadable)} (the first row must be the header: "
                                       f"{', '.join(COLUMNS)})")
                if not record:
                    raise ImportError_(f"line {line}: the first row must be the header ({', '.join(COLUMNS)})")
                known = HEADER.columns(record)
                names = [c.strip() for c in record]
                unknown = [n for n, c in zip(names, known) if c is None]
                if unknown or len(set(known)) != len(known) or not {"source", "given_at"} <= set(known) or not (
                        {"phone", "customer_id"} & set(known)):
                    raise ImportError_(f"line {line}: header has unknown, repeated or missing columns {names}; expected source, given_at, "
                                       f"phone and/or customer_id, and any of {', '.join(COLUMNS)} (or as Chinese exports name "
                                       f"them: README \"Consent imports\")")
                columns = known
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
            assumed: list[str] = []
            consent, why = _row(record, columns, region, ranges, zone, now, invalid, allow_client_time, zones_of,
                                customer_zones, assumed)
            if consent is None:
                reject(line, why or "unreadable", record)
            else:
                good.append((line, record, consent))
                for warning in assumed:
                    item = {"line": line, "warning": str(warning), "warning_messages": warning.messages}
                    if len(report.warnings) < MAX_REJECTS_KEPT:
                        report.warnings.append(item)
                    if on_warning is not None:
                        on_warning(item)
    except UnicodeDecodeError as exc:  # only with a strict codec: the errors="replace" ones mark the row instead
        raise ImportError_(f"not readable as {label(codec)}: {exc}") from None
    finally:
        text.detach()  # the caller's stream stays the caller's to close (the wrapper would close it when collected)
    if columns is None:
        raise ImportError_("the file is empty: the first row must be the header")
    plan = _plan(store, good, now, key_id)
    for item in plan.rejects:
        reject(*item)
    report.rejects.sort(key=lambda item: item["line"])
    report.accepted, report.updated, report.unchanged = len(plan.new), plan.updated, plan.unchanged
    return report


@dataclass
class _Plan:
    new: list[dict] = field(default_factory=list)  # consents to insert, as the rows of the file left them
    changed: dict[int, tuple[Any, dict]] = field(default_factory=dict)  # held version id -> (it, its new values)
    updated: int = 0
    unchanged: int = 0
    rejects: list[tuple[int, str, list[str]]] = field(default_factory=list)


def _plan(store: Store, good: list[tuple[int, list[str], NewConsent]], now: datetime, key_id: str | None) -> _Plan:
    """Write the file's new consents and its updates to held ones in one transaction; return what was done."""
    phones = sorted({c.phone for _, _, c in good if c.phone})
    customers = sorted({c.customer_id for _, _, c in good if c.customer_id})
    with store.write() as conn:
        plan = _apply(consent_store.live_of(conn, phones, customers), good, now, key_id)
        # A held consent changes as a withdrawal changes it: under its number's (or customer's) lock, so a withdrawal or
        # "不要再打了" at the same time is not lost. Taken once the import knows which consents change, then read again.
        locked: set[str] = set()
        while need := {lock_of(old.phone_e164, old.customer_id) for old, _ in plan.changed.values()} - locked:
            for key in in_lock_order(need):
                store.lock(conn, key)
            locked |= need
            plan = _apply(consent_store.live_of(conn, phones, customers), good, now, key_id)
        consent_store.add_many(conn, plan.new)
        for old, values in plan.changed.values():
            consent_store.replace(conn, old, {k: values[k] for k in IMPORT_CHANGES}, now, key_id)
    return plan


def _apply(live: list[Any], good: list[tuple[int, list[str], NewConsent]], now: datetime, key_id: str | None) -> _Plan:
    """The file's rows applied in order to the consents held (`live`, their current versions)."""
    plan = _Plan()
    held: dict[tuple, list[dict]] = {}
    for r in live:
        values = {k: getattr(r, k) for k in consent_store.COLUMNS}
        values["_held"] = r
        held.setdefault(_key(r.phone_e164, r.customer_id, r.source, r.given_at, r.text_version), []).append(values)
    for line, record, c in good:
        key = _key(c.phone, c.customer_id, c.source, c.given_at, c.text_version)
        same = held.get(key)
        if not same and c.given_day_start is not None:
            # held from an import that read this date as 00:00 of its day: the same consent, not a new one
            same = held.get(_key(c.phone, c.customer_id, c.source, c.given_day_start, c.text_version))
        if not same:
            row = row_of(c, now, key_id)
            plan.new.append(row)
            held[key] = [row]
            continue
        outcomes = [import_changes(values, _as_held(values, c)) for values in same]
        why = next((w for _, w in outcomes if w), None)
        if why is not None:
            plan.rejects.append((line, why, record))
        elif not any(changes for changes, _ in outcomes):
            plan.unchanged += 1
        else:
            plan.updated += 1
            for values, (changes, _) in zip(same, outcomes):
                values.update(changes)
                if changes and "_held" in values:
                    plan.changed[values["_held"].id] = (values["_held"], values)
    return plan


def _as_held(held: dict, c: NewConsent) -> NewConsent:
    """The row, its date-only expiry read as the import held it before reading such a date to its end (00:00)."""
    if c.expires_day_start is not None and held["expires_at"] is not None and as_utc(held["expires_at"]) == c.expires_day_start:
        return replace(c, expires_at=c.expires_day_start)
    return c


def _row(record: list[str], columns: list[str], region: str, ranges: tuple[NumberRange, ...],
         zone: ZoneInfo, now: datetime, invalid: str, allow_client_time: bool = False,
         zones_of: Callable[[str | None], tuple[str, ...]] | None = None,
         customer_zones: Callable[[str], tuple[str, ...] | None] | None = None,
         assumed: list[str] | None = None) -> tuple[NewConsent | None, str | None]:
    if any("\ufffd" in c for c in record):
        return None, invalid
    problem = next(filter(None, map(unstorable, record)), None)
    if problem:
        return None, problem
    if len(record) != len(columns):  # a row cut short would otherwise read its missing fields (a withdrawal …) as empty
        return None, f"{len(record)} fields; the header has {len(columns)}"
    cells = {k: v.strip() for k, v in zip(columns, record)}
    for col, limit in LIMITS.items():
        if len(cells.get(col) or "") > limit:
            return None, f"{col}: longer than {limit} characters"
    phone = None
    if cells.get("phone"):
        info = parse_phone(cells["phone"], region, ranges)
        if not info.valid:
            return None, f"phone: {cells['phone']!r} is not a valid number ({info.why})"
        if info.extension and not cells.get("withdrawn_at"):
            # A withdrawal recorded on the line denies calls to all of it (fails closed); a consent would allow them all.
            return None, str(field_said("phone", said("error.consent_at_extension", raw=repr(cells["phone"]),
                                                      extension=info.extension, line=info.e164)))
        phone = info.e164
    if cells.get("customer_id") and (problem := id_problem(cells["customer_id"])):
        return None, f"customer_id: {cells['customer_id']!r} {problem}"
    instants: dict[str, datetime | None] = {}
    day_start = None
    # A date alone is read where the number's callee is (README, Interpretations): of the number's zones, its given day
    # where the day ends last (held later), its expiry and withdrawal where the day begins first (ended, withdrawn
    # sooner); a consent naming a customer alone, where the customer is (the zone they record, else their numbers', as
    # POST /v1/consents reads one); a customer the guard holds neither for, in the zone dates are read in, with a warning.
    zones = zones_of(phone) if zones_of is not None and phone else None
    days = [c for c in ("given_at", "expires_at", "withdrawn_at") if cells.get(c) and _is_date(cells[c])]
    if phone is None and days and customer_zones is not None and cells.get("customer_id"):
        zones = customer_zones(cells["customer_id"])
        if zones is None and assumed is not None:
            assumed.append(said("warning.consent_zone_assumed", customer=repr(cells["customer_id"]), columns=days, zone=zone.key,
                                customer_id=cells["customer_id"]))
    read_in = {col: zone if zones is None or not cells.get(col) or not _is_date(cells[col]) else
               zone_of_day(date.fromisoformat(cells[col].strip()), zones, latest=col == "given_at")
               for col in ("given_at", "expires_at", "withdrawn_at")}
    for col in ("given_at", "expires_at", "withdrawn_at"):
        value = cells.get(col)
        instants[col] = _instant(value, read_in[col]) if value else None
        if col == "expires_at" and instants[col] is not None and _is_date(value):
            # 有效期至 2026-12-31: the last day counts whole, to 24:00 (民法典 第二百零三条: 期间的最后一日的截止时间为
            # 二十四时), in the zone dates are read in: the consent has expired from 00:00 of the next day there.
            day_start = instants[col]
            instants[col] = _day_end(value, read_in[col])
        if value and instants[col] is None:
            return None, f"{col}: {value!r} is not an ISO 8601 date or date-time with offset"
    if instants["given_at"] is None:
        return None, "given_at: empty"
    for col in ("given_at", "withdrawn_at"):  # what the person did lies in the past (clocks drift a little)
        try:
            check_not_future(instants[col], col, now, allow_client_time=allow_client_time)
        except InvalidField as exc:
            return None, field_said(exc.field, exc.reason)
    given_day_start = None
    if _is_date(cells["given_at"]):
        # 授权日期 2026-11-23 says the day, not the hour: read as 00:00 it made calls earlier that day consented. The
        # consent counts from the end of its day (民法典 第二百零一条: a period counted in days starts the next day), in
        # the zone dates are read in: its last microsecond, so that it still reads as given on that day ("您于 2026-11-23
        # 同意"); a withdrawal dated the same day then leaves it never in effect.
        given_day_start = instants["given_at"]
        instants["given_at"] = datetime.combine(date.fromisoformat(cells["given_at"]), time.max, read_in["given_at"]).astimezone(UTC)
        # A withdrawal the same day stays when it says (a date alone: from the day's 00:00, as any date-only withdrawn_at):
        # the consent is never in effect, and the person's no counts from then. Moved to the consent's last microsecond,
        # as it was, a marketing call that day went ahead where no consent is required, though the person had said no.
        if instants["expires_at"] is not None and given_day_start < instants["expires_at"] <= instants["given_at"]:
            return None, (f"expires_at: {cells['expires_at']!r} is within given_at's day {cells['given_at']}, and a date-only "
                          f"given_at counts from the end of its day (民法典 第二百零一条): the consent would never be in effect; "
                          f"send given_at with the time of day the consent was given and its offset, as "
                          f"{datetime.combine(date.fromisoformat(cells['given_at']), time(10, 15), read_in['given_at']).isoformat()}")
    elif instants["withdrawn_at"] is not None and _is_date(cells["withdrawn_at"]) and (
            instants["withdrawn_at"] <= instants["given_at"] < _day_end(cells["withdrawn_at"], read_in["withdrawn_at"])):
        # 撤回日期 2026-11-23 of a consent given at 10:15 that day: withdrawn after it, at an hour the date does not say. Read
        # from its day's 00:00 it was refused as before the consent; from the consent's own instant it is fail-closed (never
        # in effect), as a withdrawal dated the day of a date-only given_at is.
        instants["withdrawn_at"] = instants["given_at"]
    source, via = cells.get("source") or "", cells.get("withdrawn_via") or None
    consent = NewConsent(
        source=code_of("consent_sources", source) or source if source else "", given_at=instants["given_at"], phone=phone,
        customer_id=cells.get("customer_id") or None,
        channels=_codes("consent_channels", _list(cells.get("channels") or "")) or ("phone",),
        product_types=_codes("product_types", _list(cells.get("product_types") or "")),
        consent_text=cells.get("consent_text") or None, text_version=cells.get("text_version") or None,
        evidence_ref=cells.get("evidence_ref") or None, expires_at=instants["expires_at"], withdrawn_at=instants["withdrawn_at"],
        withdrawn_via=code_of("withdrawal_channels", via) or via if via else None, expires_day_start=day_start,
        given_day_start=given_day_start,
        withdrawn_on=_date_of(cells.get("withdrawn_at")), expires_on=_date_of(cells.get("expires_at")),
        given_on=_date_of(cells["given_at"]),
    )
    try:
        validate(consent)
    except InvalidField as exc:
        return None, field_said(exc.field, exc.reason)
    return consent, None
