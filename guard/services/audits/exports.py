"""What an auditor works from: the violations as CSV (UTF-8 with BOM, for Excel) or .xlsx, and the
rejected rows as CSV.

Every violation row carries its time twice: `called_at` (UTC) and `called_at_local` (ISO 8601 with
the offset, in the callee's zone the call was judged in, named in `zone`), the code's Chinese and
English name (`message`), the detail as readable `key: value; key: value` text and as JSON
(`detail_json`, for machines).

Cells are neutralised against formula injection (OWASP, "CSV Injection"): a text cell that begins
with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading single quote, so a call log with
`=HYPERLINK(...)` in `agent_id` cannot become a live formula in a spreadsheet. This applies in the
CSV and in the .xlsx (where cells are written as text, never as formulas, and neutralised too, so
copying them into another sheet or back to CSV stays safe). E.164 numbers (`+86…`) are therefore
written `'+86…`, which also keeps Excel from reading them as numbers.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from functools import lru_cache
from typing import IO, Any, Iterable, Iterator
from zoneinfo import ZoneInfo

from guard.core.pack import PackSet
from guard.core.reasons import BY_CODE
from guard.core.vocabularies import VOCABULARIES
from guard.store import audits as audit_store
from guard.store.db import Store

BOM = "\ufeff"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FIELDS = ("line", "call_id", "code", "message", "called_at_local", "zone", "called_at", "phone_e164", "customer_id", "agent_id",
                 "campaign", "policy", "detail", "detail_json")
REJECT_FIELDS = ("line", "reason")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_MAX_ROWS = 1_048_576  # rows of an Excel sheet, the header included: longer exports continue on another sheet


def excel_safe(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula, prefixed with a single quote (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


@lru_cache(maxsize=None)
def code_names(code: str) -> tuple[str, str]:
    """The code's Chinese and English name: reason codes from the reasons registry, the audit's
    own and the linter's codes from the vocabularies registry; an unknown code names itself."""
    reason = BY_CODE.get(code)
    if reason is not None:
        return reason.title_zh or reason.message_zh, reason.title or reason.message
    for name in ("audit_codes", "lint_codes"):
        vocabulary = VOCABULARIES[name]
        if code in vocabulary.codes:
            term = vocabulary.term(code)
            return term.zh, term.en
    return code, code


def message(code: str) -> str:
    zh, en = code_names(code)
    return f"{zh} / {en}" if zh != en else zh


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_text(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    return str(value)


def readable(detail: dict | None) -> str:
    """`{"why": "unknown decision", "decision_id": "x"}` as `why: unknown decision; decision_id: x`."""
    return "; ".join(f"{k}: {_text(v)}" for k, v in (detail or {}).items())


def local_time(called_at: datetime, zone: str | None) -> datetime:
    """The instant in the callee's zone (UTC when the zone is not known)."""
    if called_at.tzinfo is None:
        called_at = called_at.replace(tzinfo=timezone.utc)
    return called_at.astimezone(_zone(zone) if zone else timezone.utc)


# What `by_hour` of an audit's summary counts in: each violation at the hour of the callee's local clock (the zone it was
# judged in, as quiet hours are), said in the summary itself so that a reader of the JSON alone knows.
BY_HOUR_CLOCK = "callee_local"


def period(first: datetime | None, last: datetime | None, packs: PackSet | None) -> dict:
    """An audit's period for its summary: `from` and `to` in UTC (as ever), and the same instants in the bank's zone (the
    default pack's `timezone` at the period's end, as a call with no number or customer is placed) with their offsets,
    `zone` naming it, as the report shows every time: its calls' zones may be several."""
    pack = packs.at(packs.default_id, last or first) if packs is not None and (last or first) else None
    zone = pack.timezone if pack is not None else "UTC"
    out = {"from": first.isoformat() if first else None, "to": last.isoformat() if last else None, "zone": zone}
    for key, at in (("from_local", first), ("to_local", last)):
        out[key] = local_time(at, zone).isoformat() if at else None
    return out


@lru_cache(maxsize=256)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def policy_label(policy: dict | None) -> str:
    """The pack version that judged a violation as one cell ("cn-bank 2026.4", the summary's `packs` key); empty for
    a row written before violations named it."""
    return f"{policy['pack']} {policy['version']}" if policy else ""


def export_row(v: dict) -> list[Any]:
    """A violation (as `iter_violations` gives it) as the cells of EXPORT_FIELDS, not yet neutralised."""
    return [v["line"], v["call_id"], v["code"], message(v["code"]), v["called_at_local"], v["zone"] or "", v["called_at"],
            v["phone_e164"] or "", v["customer_id"] or "", v["agent_id"] or "", v["campaign"], policy_label(v.get("policy")),
            readable(v["detail"]),
            json.dumps(v["detail"], ensure_ascii=False, separators=(",", ":"))]


def _csv_chunks(header: Iterable[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if c is None else excel_safe(c) for c in row])
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def violations_csv(violations: Iterable[dict]) -> Iterator[str]:
    return _csv_chunks(EXPORT_FIELDS, (export_row(v) for v in violations))


def rejects_csv(store: Store, audit_id: str) -> Iterator[str]:
    return _csv_chunks(REJECT_FIELDS, ([r.line, r.reason] for r in audit_store.iter_rejects(store, audit_id)))


def write_xlsx(target: str | IO[bytes], violations: Iterable[dict], rejects: Iterable[Any], max_rows: int = XLSX_MAX_ROWS) -> None:
    """The violations (sheet `violations`, continued on `violations 2`… past Excel's row limit) and
    the rejected rows (sheet `rejected rows`) as an .xlsx, in XlsxWriter's constant-memory mode
    (each row goes to a temporary file as it is written; strings are inline)."""
    import xlsxwriter  # the .xlsx export only

    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False})
    try:
        bold = workbook.add_format({"bold": True})
        widths = {"line": 7, "call_id": 16, "code": 22, "message": 30, "called_at_local": 26, "zone": 18, "called_at": 26,
                  "phone_e164": 17, "customer_id": 14, "agent_id": 12, "campaign": 16, "policy": 18, "detail": 50, "detail_json": 30}

        def sheet(name: str, header: tuple[str, ...]):
            ws = workbook.add_worksheet(name)
            for col, field in enumerate(header):
                ws.set_column(col, col, widths.get(field, 60))
            ws.freeze_panes(1, 0)
            for col, field in enumerate(header):
                ws.write_string(0, col, field, bold)
            return ws

        def fill(base: str, header: tuple[str, ...], rows: Iterable[list[Any]]) -> None:
            ws, r, n = sheet(base, header), 1, 1
            for cells in rows:
                if r >= max_rows:
                    n += 1
                    ws, r = sheet(f"{base} {n}", header), 1
                for col, value in enumerate(cells):
                    if value is None or value == "":
                        continue
                    if isinstance(value, int) and not isinstance(value, bool):
                        ws.write_number(r, col, value)
                    else:
                        ws.write_string(r, col, excel_safe(str(value)))
                r += 1
            ws.autofilter(0, 0, max(r - 1, 1), len(header) - 1)

        fill("violations", EXPORT_FIELDS, (export_row(v) for v in violations))
        fill("rejected rows", REJECT_FIELDS, ([x.line, x.reason] for x in rejects))
    finally:
        workbook.close()
