"""Audits as the auditors use them: start one, follow its progress, read the summary, the
violations (JSON pages, CSV or .xlsx), the rejected rows (CSV) and the HTML report. Also the audit of the guard's own decision log.

A call-log audit over HTTP is saved to `var/audits/` first and judged in a background thread, so
the web worker answers at once with the audit id; `GET /v1/audits/{id}` shows `status` and rows done.

The rooms: `log_reader` (CSV / JSON Lines from a byte stream), `runner` (one audit: read, load the
history, judge with `guard.core.audit`, write), `report` (the HTML report), `exports` (CSV and
.xlsx, neutralised for spreadsheets); the SQL is in
`guard.store.audits`.
"""

from __future__ import annotations

from collections import Counter
import logging
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Callable, Iterator

from guard.core.audit import UNCHECKED
from guard.core.calllog import HEADER as LOG_HEADER  # a header of Chinese names tells GB18030 from Big5
from guard.core.history import KNOWN_THEN
from guard.core.pack import PackSet
from guard.services.audits import exports
from guard.services.audits.liveness import AuditStopped, Liveness, reap, runner_name, upload_path
from guard.services.audits.encoding import UnknownEncoding
from guard.services.audits.encoding import confirm as confirm_encoding, detect as detect_encoding, label as encoding_label
from guard.services.audits.encoding import resolve as resolve_encoding
from guard.services.audits.log_reader import LogError, read_log, refuse_workbook
from guard.services.audits.runner import Auditor, Progress, call_figures
from guard.core.errors import Conflict, JobsBusy, NotFound, TooLarge
from guard.core.zones import zone_named
from guard.services.calls.decisions import callee_zone
from guard.store import audits as audit_store
from guard.store.chain import verify as verify_chains
from guard.store.paging import newest_page
from guard.store.db import Store, StoreUnavailable, create_private
from guard.core.messages import said, status_label
from guard.core.reject_messages import audit_error_messages, with_reason_messages

__all__ = ["AuditStopped", "LogError", "UnknownEncoding", "UnknownZone", "resolve_encoding", "resolve_timezone", "encoding_label", "Progress", "create", "run_call_log",
           "cancel", "reap_now", "start_in_background", "save_upload", "check_header", "view", "recent", "violations_page",
           "iter_violations", "violations_csv", "violations_xlsx", "rejects_csv", "audit_decision_log", "call_figures"]
log = logging.getLogger(__name__)


RETRY_AFTER_S = 30  # what a refused start is told to wait: a 30,000-row audit takes about that beside one other


def create(store: Store, kind: str, source: str | None, size: int | None, now: datetime, key_id: str | None,
           basis: str | None = None, limit: int | None = None, stale_after: float | None = None,
           data_dir: Path | None = None) -> str:
    """Record a new audit; a decision-log audit is on the `known_then` basis: the decisions hold what the guard knew then.

    With `limit` (GUARD_MAX_BACKGROUND_JOBS), JobsBusy when that many audits and simulations are queued or running
    already: each runs in a thread beside the checks, and many at once starve them (503s) and fail one another on a
    SQLite store. Before refusing, the reaper runs once (with `stale_after` and `data_dir`): a job whose process died
    must not hold its place."""
    if kind == "decision_log":
        basis = basis or KNOWN_THEN
    if limit is None:
        return audit_store.create(store, kind, source, size, now, key_id, basis)
    audit_id, busy = audit_store.create_within(store, kind, source, size, now, key_id, basis, limit)
    if audit_id is None and stale_after is not None and data_dir is not None \
            and reap_now(store, lambda: now, stale_after, data_dir)["reaped"]:
        audit_id, busy = audit_store.create_within(store, kind, source, size, now, key_id, basis, limit)
    if audit_id is None:
        raise JobsBusy(said("error.jobs_busy", running=len(busy), retry=RETRY_AFTER_S),
                       {"limit": limit, "retry_after_seconds": RETRY_AFTER_S,
                        "busy": [{"id": b.id, "kind": b.kind, "status": b.status, "created_at": b.created_at.isoformat()}
                                 for b in busy]}, RETRY_AFTER_S)
    return audit_id


# How long the end of an audit is retried while the store fails (a failover, a restart: seconds), well inside the
# reaper's GUARD_AUDIT_STALE_AFTER (120 s by default), so that the audit says why it ended instead of showing `running`
# until the reaper fails it as a process that "stopped reporting".
FINISH_RETRY_FOR = 60.0
FINISH_FIRST_PAUSE = 0.05
FINISH_LONGEST_PAUSE = 2.0


def _finish(store: Store, audit_id: str, clock: Callable[[], datetime], summary: dict | None, error: str | None,
            status: str | None = None, before_end: Callable[[], None] | None = None) -> None:
    if before_end is not None:
        before_end()
    values: dict[str, Any] = {"status": status or ("done" if error is None else "failed"), "finished_at": clock(), "error": error}
    if summary is not None:
        values.update(summary=summary, rows_done=summary["rows"], calls_judged=summary["calls_judged"],
                      rows_rejected=summary["rows_rejected"], violations=summary["violations"])
    deadline, pause = time.monotonic() + FINISH_RETRY_FOR, FINISH_FIRST_PAUSE
    while True:
        try:
            # Never over an end already written (a reaper's `failed`, a `cancelled`).
            audit_store.set_status(store, audit_id, only_if=("queued", "running"), **values)
            return
        except StoreUnavailable as exc:
            if time.monotonic() + pause > deadline:
                log.error("audit %s: its end (%s) could not be recorded: %s", audit_id, values["status"], exc)
                raise
            log.warning("audit %s: recording its end failed (%s), trying again in %g s", audit_id, exc, pause)
            time.sleep(pause)
            pause = min(pause * 2, FINISH_LONGEST_PAUSE)


def store_failed(exc: StoreUnavailable, job: str = "audit",
                 again: str = "run the audit again (upload the log again, or run the command again)") -> str:
    """What an audit (or a simulation) that met a store failure records: that the store failed, how, and what to do."""
    return f"the store failed while the {job} ran ({exc.kind}: {exc}); no result of it was kept: {again} once GET /readyz answers ready"


def fail(store: Store, audit_id: str, clock: Callable[[], datetime], error: str) -> None:
    _finish(store, audit_id, clock, None, error)


def _begin(store: Store, audit_id: str, clock: Callable[[], datetime], before_end: Callable[[], None] | None = None) -> None:
    """Mark the audit running on this runner; AuditStopped when it was cancelled first. A store that fails here is
    recorded as the audit's failure (retried, `_finish`) and raised."""
    try:
        begun = audit_store.begin(store, audit_id, runner_name(), clock())
    except StoreUnavailable as exc:
        log.error("audit %s could not start: %s", audit_id, exc)
        _finish(store, audit_id, clock, None, store_failed(exc), before_end=before_end)
        raise
    if not begun:
        raise AuditStopped(audit_id, "cancelled", "the audit was cancelled before it started")


def run_call_log(store: Store, packs: PackSet, audit_id: str, stream: IO[bytes], size: int | None, clock: Callable[[], datetime],
                 fmt: str | None = None, on_progress: Callable[[Progress], None] | None = None, workers: int = 1,
                 basis: str = KNOWN_THEN, encoding: str | None = None, before_end: Callable[[], None] | None = None,
                 timezone: str | None = None, confirm: bool = True) -> dict:
    """Judge a log now (the CLI, and the background thread of an upload) on the `basis` time axis.
    Raises LogError for a bad file, or one whose encoding (when not given: a codec from
    `resolve_encoding`) cannot be told, or none of whose rows could be judged; `timezone` (from `resolve_timezone`): the
    zone a `called_at` without a UTC offset is read in (without it such a row is rejected); `confirm`: the encoding given
    is checked against the log's bytes (`encoding.confirm`; False when `check_header` did it already); AuditStopped when it was cancelled (before or while it ran)
    or failed by a reaper while it ran. `before_end` runs just before the end is recorded (an upload's
    copy is deleted then, so whoever sees the audit ended finds no copy left)."""
    _begin(store, audit_id, clock, before_end)
    try:
        with Liveness(store, audit_id, clock) as live:
            if stream.seekable():
                refuse_workbook(stream)
            if encoding and confirm and stream.seekable():
                confirm_encoding(stream, encoding)
            encoding = encoding or (detect_encoding(stream, LOG_HEADER) if stream.seekable() else "utf-8")
            audit_store.set_status(store, audit_id, encoding=encoding)
            summary = Auditor(store, packs, audit_id, on_progress, workers, liveness=live, basis=basis,
                              timezone=timezone).run(stream, size, fmt, encoding)
    except AuditStopped as exc:
        if exc.status == "cancelled":
            _finish(store, audit_id, clock, None, f"{exc}; stopped after {_done(store, audit_id)}: incomplete, no summary",
                    status="cancelled", before_end=before_end)
        raise
    except LogError as exc:
        _finish(store, audit_id, clock, None, str(exc), before_end=before_end)
        raise
    except StoreUnavailable as exc:
        log.error("audit %s failed: the store failed: %s", audit_id, exc)
        _finish(store, audit_id, clock, None, store_failed(exc), before_end=before_end)
        raise
    except Exception as exc:
        log.exception("audit %s failed", audit_id)
        _finish(store, audit_id, clock, None, f"the audit failed: {exc}", before_end=before_end)
        raise
    except BaseException:  # interrupted (Ctrl-C on the CLI, the process told to exit): say so now
        _finish(store, audit_id, clock, None, f"the audit was interrupted in its process {runner_name()}; upload the log again",
                before_end=before_end)
        raise
    _finish(store, audit_id, clock, summary, None, before_end=before_end)
    return summary


class UnknownZone(ValueError):
    """A name that is no IANA time zone."""


def resolve_timezone(name: str) -> str:
    """The IANA time zone a user named for a call log's times (Asia/Shanghai, Asia/Hong_Kong, Asia/Taipei, UTC …)."""
    from zoneinfo import available_timezones

    key = name.strip()
    if (key not in available_timezones() and key != "UTC") or zone_named(key) is None:
        raise UnknownZone(said("error.unknown_zone_eg", name=repr(name[:60])))
    return key


def _done(store: Store, audit_id: str) -> str:
    found = audit_store.row(store, audit_id)
    return f"{found[0].rows_done} rows read, {found[0].calls_judged} calls judged" if found else "?"


def cancel(store: Store, audit_id: str, clock: Callable[[], datetime], data_dir: Path) -> tuple[dict, bool]:
    """Cancel a queued audit at once (its upload deleted), or ask a running one to stop at its next
    progress point. Returns (the audit, whether it is cancelled already). NotFound for an unknown
    audit, Conflict when it has ended or a cancel is already pending."""
    outcome = audit_store.request_cancel(store, audit_id, clock())
    audit = view(store, audit_id)  # NotFound for an unknown audit
    if outcome is None:
        why = said("error.cancel_pending") if audit["status"] == "running" else \
            said("error.audit_is_already", status=status_label(audit["status"]))
        raise Conflict(said("error.audit_not_cancellable", audit=audit_id, why=why), {"status": audit["status"]})
    if outcome == "cancelled":
        upload_path(data_dir, audit_id).unlink(missing_ok=True)
    return audit, outcome == "cancelled"


def reap_now(store: Store, clock: Callable[[], datetime], stale_after: float, data_dir: Path) -> dict:
    """Run the reaper once in this process, outside the scheduler (a web worker at start)."""
    with store.write() as conn:
        return reap(conn, clock(), stale_after, data_dir)


def start_in_background(store: Store, packs: PackSet, audit_id: str, path: Path, clock: Callable[[], datetime], fmt: str | None,
                        basis: str = KNOWN_THEN, encoding: str | None = None, timezone: str | None = None) -> None:
    def work() -> None:
        try:
            with path.open("rb") as handle:
                run_call_log(store, packs, audit_id, handle, path.stat().st_size, clock, fmt, basis=basis, encoding=encoding,
                             before_end=lambda: path.unlink(missing_ok=True), timezone=timezone, confirm=False)
        except Exception:  # run_call_log recorded it on the audit; the thread must not take the process down
            pass
        finally:
            path.unlink(missing_ok=True)

    threading.Thread(target=work, name=f"audit-{audit_id}", daemon=True).start()


def save_upload(stream: IO[bytes], directory: Path, audit_id: str, limit: int) -> tuple[Path, int]:
    path = directory / f"{audit_id}.log"
    create_private(path)  # a call log is personal data: owner only (0600, in a 0700 folder)
    size = 0
    try:
        with path.open("wb") as out:
            while True:
                chunk = stream.read(1 << 20)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    message = said("error.upload_too_large", limit=limit)
                    raise TooLarge(message, [{"field": "file", "reason": str(message)}])
                out.write(chunk)
    except BaseException:
        # Too large, the request's own limit reached mid-stream (a chunked body), the client gone: the part read so
        # far is personal data that no audit will ever read.
        path.unlink(missing_ok=True)
        raise
    return path, size


def check_header(path: Path, fmt: str | None, encoding: str | None = None) -> str:
    """The log's encoding (`encoding` if given, else detected); LogError now if the file cannot be a
    call log (empty, no header, missing columns, an encoding that cannot be told)."""
    with path.open("rb") as handle:
        refuse_workbook(handle)
        if encoding:
            confirm_encoding(handle, encoding)
        encoding = encoding or detect_encoding(handle, LOG_HEADER)
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


def recent(store: Store, limit: int, before: datetime | None = None,
           before_id: str | None = None) -> tuple[list[dict], dict[str, str] | None]:
    """A page of the audits, newest first, without their rejected rows (GET one for those), and the `next`
    cursor (`before` and `before_id` of its last audit; None when no audit is left)."""
    rows, following = newest_page(audit_store.recent(store, limit + 1, None, before, before_id), limit, lambda r: r.created_at)
    return [_row_view(r, []) for r in rows], following


def _row_view(row: Any, rejects: list[dict]) -> dict:
    return {
        "audit_id": row.id,
        "kind": row.kind,
        "source": row.source,
        "status": row.status,
        "encoding": row.encoding,
        "encoding_label": encoding_label(row.encoding) if row.encoding else None,  # as the report and the CLI name it
        "created_at": row.created_at.isoformat(),
        "started_at": row.started_at.isoformat() if row.started_at else None,
        "finished_at": row.finished_at.isoformat() if row.finished_at else None,
        "progress": {"bytes_total": row.bytes_total, "bytes_done": row.bytes_done, "rows_done": row.rows_done,
                     "calls_judged": row.calls_judged, "rows_rejected": row.rows_rejected, "violations": row.violations},
        "summary": row.summary,
        "rejected_rows": with_reason_messages(rejects),
        "error": row.error,
        "error_messages": audit_error_messages(row.error),
        "basis": row.basis or (KNOWN_THEN if row.kind == "call_log" else None),
        "runner": row.runner,
        "heartbeat_at": row.heartbeat_at.isoformat() if row.heartbeat_at else None,
        "cancel_requested_at": row.cancel_requested_at.isoformat() if row.cancel_requested_at else None,
    }


def _violation_dict(r: Any) -> dict:
    local = exports.local_time(r.called_at, r.zone)
    return {"line": r.line, "call_id": r.call_id, "code": r.code, "called_at": r.called_at.isoformat(),
            "called_at_local": local.isoformat(), "zone": r.zone, "phone_e164": r.phone_e164, "customer_id": r.customer_id,
            "agent_id": r.agent_id, "campaign": r.campaign, "detail": r.detail,
            "policy": {"pack": r.pack_id, "version": r.pack_version} if r.pack_id else None}


def violations_page(store: Store, audit_id: str, after: int, limit: int, code: str | None) -> dict:
    """A page of the audit's violations, the audit's `status`, and `next_after`: null only when no violation will
    follow. While the audit is queued or running, more may come after the last one written, so the page gives a
    cursor even when short or empty (its last violation's id, or `after` itself): a client that read a short page
    of a running audit as the last one stopped early and missed the rest."""
    status = view(store, audit_id)["status"]  # 404 for an unknown audit; read before the rows, so "done" means all are there
    # One row more than asked tells a full last page from one with a page after it (its next_after is null).
    rows = audit_store.violations(store, audit_id, after, limit + 1, code)
    more, rows = len(rows) > limit, rows[:limit]
    last = rows[-1].id if rows else after
    following = last if more or status in ("queued", "running") else None
    return {"violations": [_violation_dict(r) for r in rows], "next_after": following, "status": status}


def iter_violations(store: Store, audit_id: str, batch: int = 5000, progress: Callable[[int], None] | None = None) -> Iterator[dict]:
    """Every violation of the audit, read a batch at a time; `progress(n)` after each batch (n: how many so far)."""
    n = 0
    for r in audit_store.iter_violations(store, audit_id, batch):
        yield _violation_dict(r)
        n += 1
        if progress is not None and n % batch == 0:
            progress(n)
    if progress is not None:
        progress(n)


def violations_csv(store: Store, audit_id: str, progress: Callable[[int], None] | None = None) -> Iterator[str]:
    """Every violation as CSV for a spreadsheet: UTF-8 with BOM, local times, messages, neutralised cells."""
    return exports.violations_csv(iter_violations(store, audit_id, progress=progress))


def violations_xlsx(store: Store, audit_id: str, target: str | IO[bytes], progress: Callable[[int], None] | None = None) -> None:
    """Every violation and every rejected row as an .xlsx, written to `target` in constant memory."""
    exports.write_xlsx(target, iter_violations(store, audit_id, progress=progress), audit_store.iter_rejects(store, audit_id))


def rejects_csv(store: Store, audit_id: str) -> Iterator[str]:
    """Every rejected row (line, reason) as CSV, like the violations CSV."""
    view(store, audit_id)  # 404 for an unknown audit
    return exports.rejects_csv(store, audit_id)


# --- the decision log ---------------------------------------------------------------------------

def audit_decision_log(store: Store, audit_id: str, start: datetime, end: datetime, clock: Callable[[], datetime],
                       packs: PackSet | None = None) -> dict:
    """Calls made despite a deny (outcomes reported on denied decisions) and dials with no decision
    (outcomes reported for unknown or dry-run decisions), for decisions / reports in [start, end).
    `packs`: a dial that names no decision with facts is placed in the default pack's `timezone` then."""
    _begin(store, audit_id, clock)
    try:
        with Liveness(store, audit_id, clock):  # its reads may take a while on a long period; it has no progress points
            return _audit_decision_log(store, audit_id, start, end, clock, packs)
    except Exception as exc:
        log.exception("audit %s failed", audit_id)
        _finish(store, audit_id, clock, None, f"the audit failed: {exc}")
        raise


def _dial_zone(facts: dict | None, at: datetime, packs: PackSet | None) -> str | None:
    """The zone a dial with no real decision is counted in: its dry run's callee zone, else (no number, no customer known)
    the default pack's `timezone` at its instant, as a check with neither uses (SPEC §5); None without packs."""
    zone = callee_zone(facts or {}, "")
    if zone or packs is None:
        return zone or None
    pack = packs.at(packs.default_id, at)
    return pack.timezone if pack is not None else None


# Why a report was refused, as stored, and as `detail.why` of the UNCHECKED_CALL it is (the `unchecked_whys` vocabulary
# a call-log audit uses for the same call).
_UNMATCHED_WHY = {"unknown_decision": "unknown decision", "dry_run": "the decision was a dry run",
                  "not_yours": "the decision was obtained by another dialer"}


def _audit_decision_log(store: Store, audit_id: str, start: datetime, end: datetime, clock: Callable[[], datetime],
                        packs: PackSet | None) -> dict:
    by_code: Counter = Counter()
    by_campaign: Counter = Counter()
    by_agent: Counter = Counter()
    by_hour: Counter = Counter()
    by_agent_code: dict[str, Counter] = {}
    rows_out: list[dict] = []
    # The log's own evidence first: an outcome deleted hides a call made despite a deny, which no count below can show.
    chains = verify_chains(store, max_problems=20)
    counted, despite, unmatched = audit_store.decision_log(store, start, end)
    # The calls are those the log shows were made: a decision with an outcome reported, and an outcome
    # reported with no real decision. A decision with no outcome is not counted as a call: a denied one
    # was (as far as the log shows) not dialled, and an allowed one may not have been.
    calls = counted["called"] + len(unmatched)
    for r in despite:  # in the zone the decision was judged in
        # The rules the call broke are the decision's reasons, each a violation with its detail, then CALLED_DESPITE_DENY:
        # the codes a call-log audit gives the same call (the same decide() at the same instant on the same facts), so
        # that both audits count the same calls under QUIET_HOURS, FREQ_CAP… and not the decision log under one code.
        call = {"audit_id": audit_id, "line": None, "call_id": r.id, "called_at": r.at, "phone_e164": r.phone_e164,
                "customer_id": r.customer_id, "agent_id": r.agent_id, "campaign": r.campaign, "zone": callee_zone(r.facts or {}, "") or None,
                "pack_id": r.pack_id, "pack_version": r.pack_version}
        for x in r.reasons:
            rows_out.append({**call, "code": x["code"], "detail": x.get("detail") or {}})
        rows_out.append({**call, "code": "CALLED_DESPITE_DENY",
                         "detail": {"decision_id": r.id, "reasons": [x["code"] for x in r.reasons], "disposition": r.disposition}})
    for u in unmatched:
        rows_out.append({"audit_id": audit_id, "line": None, "call_id": f"outcome-{u.id}", "code": UNCHECKED,
                         "called_at": u.dialled_at or u.reported_at, "phone_e164": u.phone_e164, "customer_id": u.customer_id, "agent_id": u.agent_id,
                         "campaign": u.campaign or "(unknown)", "detail": {"why": _UNMATCHED_WHY.get(u.why, u.why), "decision_id": u.decision_id,
                                                                           "disposition": u.disposition, "key_id": u.key_id},
                         "pack_id": u.pack_id, "pack_version": u.pack_version,
                         "zone": _dial_zone(u.facts, u.dialled_at or u.reported_at, packs)})
    audit_store.insert_violations(store, rows_out)
    for v in rows_out:
        by_code[v["code"]] += 1
        by_campaign[v["campaign"]] += 1
        by_agent[v["agent_id"] or "(none)"] += 1
        by_agent_code.setdefault(v["agent_id"] or "(none)", Counter())[v["code"]] += 1
        by_hour[exports.local_time(v["called_at"], v["zone"]).hour] += 1
    summary = {
        "rows": calls, "calls_judged": calls, "rows_rejected": 0, "violations": len(rows_out),
        "calls_with_violations": len(despite) + len(unmatched), **call_figures(calls, len(despite), len(unmatched)),
        "rule_violations": len(rows_out) - len(unmatched), "period": exports.period(start, end, packs),
        "by_code": dict(by_code.most_common()), "by_agent": dict(by_agent.most_common()), "by_campaign": dict(by_campaign.most_common()),
        "by_hour": {str(h): by_hour.get(h, 0) for h in range(24)}, "by_hour_clock": exports.BY_HOUR_CLOCK,
        "worst_agents": [{"agent_id": a, "violations": n, "by_code": dict(by_agent_code[a].most_common())} for a, n in by_agent.most_common(10)],
        "worst_campaigns": [{"campaign": c, "violations": n} for c, n in by_campaign.most_common(10)],
        "packs": counted["packs"], "decisions_in_period": counted["decided"], "decisions_denied": counted["denied"],
        "decisions_with_outcome": counted["called"],
        # the hash chains as verified at the audit (`guard decisions verify`): not intact, the figures may hide calls
        "chains": {"intact": chains["ok"], "decisions": chains["counts"], "outcomes": chains["outcomes"]["counts"],
                   "pending": chains["pending"] + chains["outcomes"]["pending"], "problems": chains["problems"]},
    }
    _finish(store, audit_id, clock, summary, None)
    return summary
