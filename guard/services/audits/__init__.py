"""Audits as the auditors use them: start one, follow its progress, read the summary, the
violations (JSON pages or CSV) and the HTML report. Also the audit of the guard's own decision log.

A call-log audit over HTTP is saved to `var/audits/` first and judged in a background thread, so
the web worker answers at once with the audit id; `GET /v1/audits/{id}` shows `status` and rows done.

The rooms: `log_reader` (CSV / JSON Lines from a byte stream), `runner` (one audit: read, load the
history, judge with `guard.core.audit`, write), `report` (the HTML report); the SQL is in
`guard.store.audits`.
"""

from __future__ import annotations

import csv
from collections import Counter
import io
import json
import logging
import threading
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Callable, Iterator

from guard.core.pack import PackSet
from guard.services.audits.encoding import UnknownEncoding
from guard.services.audits.encoding import detect as detect_encoding, label as encoding_label, resolve as resolve_encoding
from guard.services.audits.log_reader import LogError, read_log
from guard.services.audits.runner import Auditor, Progress
from guard.core.errors import NotFound, TooLarge
from guard.store import audits as audit_store
from guard.store.db import Store

__all__ = ["LogError", "UnknownEncoding", "resolve_encoding", "encoding_label", "Progress", "create", "run_call_log",
           "start_in_background", "save_upload", "check_header", "view", "recent", "violations_page", "iter_violations",
           "violations_csv", "audit_decision_log"]
log = logging.getLogger(__name__)
VIOLATION_FIELDS = ("line", "call_id", "code", "called_at", "phone_e164", "customer_id", "agent_id", "campaign", "detail")


def create(store: Store, kind: str, source: str | None, size: int | None, now: datetime, key_id: str | None) -> str:
    return audit_store.create(store, kind, source, size, now, key_id)


def _finish(store: Store, audit_id: str, clock: Callable[[], datetime], summary: dict | None, error: str | None) -> None:
    values: dict[str, Any] = {"status": "done" if error is None else "failed", "finished_at": clock(), "error": error}
    if summary is not None:
        values.update(summary=summary, rows_done=summary["rows"], calls_judged=summary["calls_judged"],
                      rows_rejected=summary["rows_rejected"], violations=summary["violations"])
    audit_store.set_status(store, audit_id, **values)


def fail(store: Store, audit_id: str, clock: Callable[[], datetime], error: str) -> None:
    _finish(store, audit_id, clock, None, error)


def run_call_log(store: Store, packs: PackSet, audit_id: str, stream: IO[bytes], size: int | None, clock: Callable[[], datetime],
                 fmt: str | None = None, on_progress: Callable[[Progress], None] | None = None, workers: int = 1,
                 encoding: str | None = None) -> dict:
    """Judge a log now (the CLI, and the background thread of an upload). Raises LogError for a bad file,
    or one whose encoding (when not given: a codec from `resolve_encoding`) cannot be told."""
    audit_store.set_status(store, audit_id, status="running", started_at=clock())
    try:
        encoding = encoding or (detect_encoding(stream) if stream.seekable() else "utf-8")
        audit_store.set_status(store, audit_id, encoding=encoding)
        summary = Auditor(store, packs, audit_id, on_progress, workers).run(stream, size, fmt, encoding)
    except LogError as exc:
        _finish(store, audit_id, clock, None, str(exc))
        raise
    except Exception as exc:
        log.exception("audit %s failed", audit_id)
        _finish(store, audit_id, clock, None, f"the audit failed: {exc}")
        raise
    _finish(store, audit_id, clock, summary, None)
    return summary


def start_in_background(store: Store, packs: PackSet, audit_id: str, path: Path, clock: Callable[[], datetime], fmt: str | None,
                        encoding: str | None = None) -> None:
    def work() -> None:
        try:
            with path.open("rb") as handle:
                run_call_log(store, packs, audit_id, handle, path.stat().st_size, clock, fmt, encoding=encoding)
        except Exception:  # run_call_log recorded it on the audit; the thread must not take the process down
            pass
        finally:
            path.unlink(missing_ok=True)

    threading.Thread(target=work, name=f"audit-{audit_id}", daemon=True).start()


def save_upload(stream: IO[bytes], directory: Path, audit_id: str, limit: int) -> tuple[Path, int]:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{audit_id}.log"
    size = 0
    with path.open("wb") as out:
        while True:
            chunk = stream.read(1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                out.close()
                path.unlink(missing_ok=True)
                raise TooLarge(f"the upload is larger than {limit} bytes")
            out.write(chunk)
    return path, size


def check_header(path: Path, fmt: str | None, encoding: str | None = None) -> str:
    """The log's encoding (`encoding` if given, else detected); LogError now if the file cannot be a
    call log (empty, no header, missing columns, an encoding that cannot be told)."""
    with path.open("rb") as handle:
        encoding = encoding or detect_encoding(handle)
        rows = read_log(handle, fmt, encoding)
        try:
            next(rows, None)
        finally:
            rows.close()
    return encoding


def view(store: Store, audit_id: str) -> dict:
    found = audit_store.row(store, audit_id)
    if found is None:
        raise NotFound("audit", audit_id)
    return _row_view(*found)


def recent(store: Store, limit: int) -> list[dict]:
    """The newest audits first, without their rejected rows (GET one for those)."""
    return [_row_view(r, []) for r in audit_store.recent(store, limit)]


def _row_view(row: Any, rejects: list[dict]) -> dict:
    return {
        "audit_id": row.id,
        "kind": row.kind,
        "source": row.source,
        "status": row.status,
        "encoding": row.encoding,
        "created_at": row.created_at.isoformat(),
        "started_at": row.started_at.isoformat() if row.started_at else None,
        "finished_at": row.finished_at.isoformat() if row.finished_at else None,
        "progress": {"bytes_total": row.bytes_total, "bytes_done": row.bytes_done, "rows_done": row.rows_done,
                     "calls_judged": row.calls_judged, "rows_rejected": row.rows_rejected, "violations": row.violations},
        "summary": row.summary,
        "rejected_rows": rejects,
        "error": row.error,
    }


def _violation_dict(r: Any) -> dict:
    return {"line": r.line, "call_id": r.call_id, "code": r.code, "called_at": r.called_at.isoformat(), "phone_e164": r.phone_e164,
            "customer_id": r.customer_id, "agent_id": r.agent_id, "campaign": r.campaign, "detail": r.detail}


def violations_page(store: Store, audit_id: str, after: int, limit: int, code: str | None) -> dict:
    view(store, audit_id)  # 404 for an unknown audit
    rows = audit_store.violations(store, audit_id, after, limit, code)
    return {"violations": [_violation_dict(r) for r in rows], "next_after": rows[-1].id if len(rows) == limit else None}


def iter_violations(store: Store, audit_id: str, batch: int = 5000) -> Iterator[dict]:
    for r in audit_store.iter_violations(store, audit_id, batch):
        yield _violation_dict(r)


def violations_csv(store: Store, audit_id: str) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(VIOLATION_FIELDS)
    for v in iter_violations(store, audit_id):
        writer.writerow([json.dumps(v[k], ensure_ascii=False) if k == "detail" else ("" if v[k] is None else v[k]) for k in VIOLATION_FIELDS])
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


# --- the decision log ---------------------------------------------------------------------------

def audit_decision_log(store: Store, audit_id: str, start: datetime, end: datetime, clock: Callable[[], datetime]) -> dict:
    """Calls made despite a deny (outcomes reported on denied decisions) and dials with no decision
    (outcomes reported for unknown or dry-run decisions), for decisions / reports in [start, end)."""
    audit_store.set_status(store, audit_id, status="running", started_at=clock())
    by_code: Counter = Counter()
    by_campaign: Counter = Counter()
    by_agent: Counter = Counter()
    by_hour: Counter = Counter()
    rows_out: list[dict] = []
    decided, despite, unmatched = audit_store.decision_log(store, start, end)
    for r in despite:
        rows_out.append({"audit_id": audit_id, "line": None, "call_id": r.id, "code": "CALLED_DESPITE_DENY", "called_at": r.at,
                         "phone_e164": r.phone_e164, "customer_id": r.customer_id, "agent_id": r.agent_id, "campaign": r.campaign,
                         "detail": {"decision_id": r.id, "reasons": [x["code"] for x in r.reasons], "disposition": r.disposition}})
    for u in unmatched:
        rows_out.append({"audit_id": audit_id, "line": None, "call_id": f"outcome-{u.id}", "code": "UNCHECKED_CALL",
                         "called_at": u.reported_at, "phone_e164": u.phone_e164, "customer_id": None, "agent_id": None,
                         "campaign": "(unknown)", "detail": {"why": u.why, "decision_id": u.decision_id, "disposition": u.disposition,
                                                             "key_id": u.key_id}})
    audit_store.insert_violations(store, rows_out)
    for v in rows_out:
        by_code[v["code"]] += 1
        by_campaign[v["campaign"]] += 1
        by_agent[v["agent_id"] or "(none)"] += 1
        by_hour[v["called_at"].hour] += 1
    summary = {
        "rows": decided + len(unmatched), "calls_judged": decided + len(unmatched), "rows_rejected": 0, "violations": len(rows_out),
        "calls_with_violations": len(rows_out), "period": {"from": start.isoformat(), "to": end.isoformat()},
        "by_code": dict(by_code.most_common()), "by_agent": dict(by_agent.most_common()), "by_campaign": dict(by_campaign.most_common()),
        "by_hour": {str(h): by_hour.get(h, 0) for h in range(24)},
        "worst_agents": [{"agent_id": a, "violations": n, "by_code": {}} for a, n in by_agent.most_common(10)],
        "worst_campaigns": [{"campaign": c, "violations": n} for c, n in by_campaign.most_common(10)],
        "packs": {}, "decisions_in_period": decided,
    }
    _finish(store, audit_id, clock, summary, None)
    return summary
