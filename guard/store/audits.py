"""Audits in the store: the audit rows with their progress, violations, rejected rows, and the
decision-log reads an audit needs."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any, Iterator, Sequence

from sqlalchemy import Connection, and_, func, insert, or_, select, update

from guard.core.audit import LoggedDecision
from guard.store import models as m
from guard.store.db import Store
from guard.store.ids import new_id
from guard.store.paging import older_than

A, V, R = m.Audit.__table__, m.AuditViolation.__table__, m.AuditReject.__table__
D, O, U = m.Decision.__table__, m.Outcome.__table__, m.UnmatchedOutcome.__table__
_VIOLATION_COLUMNS = ("audit_id", "line", "call_id", "code", "called_at", "phone_e164", "customer_id", "agent_id", "campaign", "detail", "zone",
                      "pack_id", "pack_version")


def create(store: Store, kind: str, source: str | None, size: int | None, now: datetime, key_id: str | None,
           basis: str | None = None) -> str:
    audit_id = new_id(now)
    with store.write() as conn:
        conn.execute(insert(A).values(id=audit_id, kind=kind, source=source, status="queued", created_at=now, created_by=key_id,
                                      started_at=None, finished_at=None, bytes_total=size, bytes_done=0, rows_done=0, calls_judged=0,
                                      rows_rejected=0, violations=0, summary=None, error=None, basis=basis))
    return audit_id


def create_within(store: Store, kind: str, source: str | None, size: int | None, now: datetime, key_id: str | None,
                  basis: str | None, limit: int) -> tuple[str | None, list[Any]]:
    """Record a new audit (or simulation) unless `limit` of them are queued or running already: (its id, []), or (None,
    those that are: id, kind, status, created_at). The count and the insert are one transaction under one lock, so that
    requests arriving together cannot all find a place left."""
    with store.write(["background-jobs"]) as conn:
        busy = conn.execute(select(A.c.id, A.c.kind, A.c.status, A.c.created_at).where(A.c.status.in_(("queued", "running")))
                            .order_by(A.c.created_at).limit(limit)).all()
        if len(busy) >= limit:
            return None, list(busy)
        audit_id = new_id(now)
        conn.execute(insert(A).values(id=audit_id, kind=kind, source=source, status="queued", created_at=now, created_by=key_id,
                                      started_at=None, finished_at=None, bytes_total=size, bytes_done=0, rows_done=0, calls_judged=0,
                                      rows_rejected=0, violations=0, summary=None, error=None, basis=basis))
    return audit_id, []


def set_status(store: Store, audit_id: str, only_if: Sequence[str] = (), **values: Any) -> bool:
    """Update the audit; with `only_if`, only while its status is one of those. True if it changed."""
    where = [A.c.id == audit_id]
    if only_if:
        where.append(A.c.status.in_(only_if))
    with store.write() as conn:
        return conn.execute(update(A).where(*where).values(**values)).rowcount > 0


# --- liveness: who runs an audit, its heartbeat, cancelling, reaping -----------------------------

def begin(store: Store, audit_id: str, runner: str, now: datetime) -> bool:
    """Mark a queued audit running in process `runner`; False if it is no longer queued (cancelled)."""
    return set_status(store, audit_id, only_if=("queued",), status="running", started_at=now, runner=runner, heartbeat_at=now)


def beat(store: Store, audit_id: str, now: datetime | None) -> tuple[str, datetime | None] | None:
    """Refresh the heartbeat of a running audit (when `now` is given) and read back (status,
    cancel_requested_at); None if the audit is gone."""
    with store.write() as conn:
        if now is not None:
            conn.execute(update(A).where(A.c.id == audit_id, A.c.status == "running").values(heartbeat_at=now))
        found = conn.execute(select(A.c.status, A.c.cancel_requested_at).where(A.c.id == audit_id)).first()
    return None if found is None else (found.status, found.cancel_requested_at)


def request_cancel(store: Store, audit_id: str, now: datetime) -> str | None:
    """Cancel a queued audit at once, or ask a running one to stop. Returns "cancelled" or
    "requested", or None when there is nothing to cancel (unknown, finished, or asked already)."""
    with store.write() as conn:
        if conn.execute(update(A).where(A.c.id == audit_id, A.c.status == "queued")
                        .values(status="cancelled", cancel_requested_at=now, finished_at=now,
                                error="cancelled before it started")).rowcount:
            return "cancelled"
        if conn.execute(update(A).where(A.c.id == audit_id, A.c.status == "running", A.c.cancel_requested_at.is_(None))
                        .values(cancel_requested_at=now)).rowcount:
            return "requested"
    return None


def unfinished(conn: Connection) -> list[Any]:
    """Every queued or running audit or simulation: (id, status, runner, heartbeat_at, created_at, kind, created_by)."""
    return conn.execute(select(A.c.id, A.c.status, A.c.runner, A.c.heartbeat_at, A.c.created_at, A.c.kind, A.c.created_by)
                        .where(A.c.status.in_(("queued", "running"))).order_by(A.c.created_at)).all()


def statuses(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    """The status of each of these audits that exists."""
    return dict(conn.execute(select(A.c.id, A.c.status).where(A.c.id.in_(list(ids)))).all()) if ids else {}


def mark_failed(conn: Connection, audit_id: str, now: datetime, error: str) -> bool:
    """Fail an audit that is still queued or running (in the caller's transaction)."""
    return conn.execute(update(A).where(A.c.id == audit_id, A.c.status.in_(("queued", "running")))
                        .values(status="failed", finished_at=now, error=error)).rowcount > 0


class ViolationWriter:
    """Appends violation rows (as `guard.core.audit.Part` holds them) and rejected rows of one audit,
    and its progress counters, in one transaction per flush."""

    def __init__(self, store: Store, audit_id: str):
        self.store, self.audit_id = store, audit_id
        self.seconds = 0.0  # spent in flush
        marks = ", ".join("?" for _ in _VIOLATION_COLUMNS) if store.sql.sqlite else ", ".join(["%s"] * len(_VIOLATION_COLUMNS))
        self._insert = f"INSERT INTO audit_violations ({', '.join(_VIOLATION_COLUMNS)}) VALUES ({marks})"

    def prepare(self, rows: Sequence[tuple]) -> "Prepared":
        """The statement's parameters for these rows (a forked judge prepares them, so that the
        process writing only inserts). Calls with several violations share one instant."""
        ts, audit_id = self.store.sql.ts, self.audit_id
        out, last, text = Prepared(), None, None
        for line, call_id, code, at, *rest in rows:
            if at is not last:
                last, text = at, ts(at)
            out.append((audit_id, line, call_id, code, text, *rest))
        return out

    def flush(self, rows: Sequence[tuple], rejects: Sequence[tuple[int, str]], progress: dict[str, int]) -> None:
        """Insert violation rows (as a Part holds them, or `prepare`d), rejected rows and progress."""
        audit_id, started = self.audit_id, time.perf_counter()
        with self.store.write() as conn:
            if rows:
                cur = self.store.cursor(conn)
                params = rows if isinstance(rows, Prepared) else self.prepare(rows)
                for i in range(0, len(params), 10_000):
                    cur.executemany(self._insert, params[i:i + 10_000])
            if rejects:
                conn.execute(insert(R), [{"audit_id": audit_id, "line": line, "reason": why} for line, why in rejects])
            conn.execute(update(A).where(A.c.id == audit_id).values(**progress))
        self.seconds += time.perf_counter() - started


class Prepared(list):
    """Violation rows as the insert's parameters (`ViolationWriter.prepare`)."""


def row(store: Store, audit_id: str) -> tuple[Any, list[dict]] | None:
    """The audit's row and its first 1,000 rejected rows, or None."""
    with store.read() as conn:
        found = conn.execute(select(A).where(A.c.id == audit_id)).first()
        if found is None:
            return None
        rejects = [{"line": r.line, "reason": r.reason} for r in
                   conn.execute(select(R.c.line, R.c.reason).where(R.c.audit_id == audit_id).order_by(R.c.line).limit(1000)).all()]
    return found, rejects


def iter_rejects(store: Store, audit_id: str, batch: int = 10_000) -> Iterator[Any]:
    """Every rejected row of an audit (line, reason), by line (a line is rejected once)."""
    after = -1
    while True:
        with store.read() as conn:
            rows = conn.execute(select(R.c.line, R.c.reason).where(R.c.audit_id == audit_id, R.c.line > after)
                                .order_by(R.c.line).limit(batch)).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].line


def recent(store: Store, limit: int, kind: str | None = None, before: datetime | None = None,
           before_id: str | None = None) -> list[Any]:
    """The newest audits (of `kind`; by default every kind but what-if simulations, which are listed apart);
    with `before` and `before_id`, those after the audit a page ended on (see guard.store.paging)."""
    where = [A.c.kind == kind] if kind is not None else [A.c.kind != "simulation"]
    where += older_than(A.c.created_at, A.c.id, before, before_id)
    with store.read() as conn:
        return conn.execute(select(A).where(*where).order_by(A.c.created_at.desc(), A.c.id.desc()).limit(limit)).all()


def violations(store: Store, audit_id: str, after: int, limit: int, code: str | None = None) -> list[Any]:
    where = [V.c.audit_id == audit_id, V.c.id > after]
    if code:
        where.append(V.c.code == code)
    with store.read() as conn:
        return conn.execute(select(V).where(*where).order_by(V.c.id).limit(limit)).all()


def iter_violations(store: Store, audit_id: str, batch: int = 5000) -> Iterator[Any]:
    after = 0
    while True:
        rows = violations(store, audit_id, after, batch)
        if not rows:
            return
        after = rows[-1].id
        yield from rows
        del rows  # one batch in memory at a time, not the last one while the next is read


def insert_violations(store: Store, rows: list[dict]) -> None:
    if rows:
        with store.write() as conn:
            conn.execute(insert(V), rows)


def logged_decisions(store: Store, ids: Sequence[str]) -> dict[str, LoggedDecision]:
    """The decisions the calls of a log name, as the decision log holds them."""
    if not ids:
        return {}
    d = store.sql
    sql = d.style(f"SELECT id, allowed, dry_run, phone_e164, at, reasons FROM decisions WHERE id {d.among('ids')}")
    out = {}
    with store.read() as conn:
        for ident, allowed, dry_run, phone, at, reasons in d.run(store.cursor(conn), sql, {"ids": d.array(ids)}):
            out[ident] = LoggedDecision(ident, bool(allowed), bool(dry_run), phone, d.read_ts(at),
                                        tuple(r["code"] for r in d.read_json(reasons) or ()))
    return out


def decision_log(store: Store, start: datetime, end: datetime) -> tuple[dict[str, int], list[Any], list[Any]]:
    """For decisions / reports in [start, end): how many real decisions were made (`decided`), how many
    of them denied (`denied`) and how many were called (`called`: an outcome was reported), and of these
    how many per pack version (`packs`, "id version": n); the denied
    ones that were called anyway; and outcomes reported with no real decision."""
    real = (D.c.at >= start, D.c.at < end, D.c.dry_run.is_(False))
    with store.read() as conn:
        decided, denied = conn.execute(
            select(func.count(), func.count().filter(D.c.allowed.is_(False))).select_from(D).where(*real)).one()
        called = conn.execute(select(func.count()).select_from(D.join(O, O.c.decision_id == D.c.id)).where(*real)).scalar_one()
        packs = {f"{r.pack_id} {r.pack_version}": r.n for r in conn.execute(
            select(D.c.pack_id, D.c.pack_version, func.count().label("n")).select_from(D.join(O, O.c.decision_id == D.c.id))
            .where(*real, D.c.pack_id.is_not(None)).group_by(D.c.pack_id, D.c.pack_version))}
        despite = conn.execute(
            select(D.c.id, D.c.at, D.c.phone_e164, D.c.customer_id, D.c.agent_id, D.c.campaign, D.c.reasons, D.c.facts, O.c.disposition,
                   O.c.reported_at, D.c.pack_id, D.c.pack_version)
            .join(O, O.c.decision_id == D.c.id).where(D.c.at >= start, D.c.at < end, D.c.allowed.is_(False)).order_by(D.c.at)
        ).all()
        # One dial per decision id: a report retried (outcomes are idempotent) is kept, but counted at its first report.
        first = select(func.min(U.c.id)).group_by(U.c.decision_id).scalar_subquery()
        # A dry-run decision names the campaign, agent and customer the dial was for.
        # A dial counts in the period it was made in: `dialled_at` where the report gave it (the client's timeline), else
        # when it was reported. (Two ranges rather than a COALESCE, so that each column's index serves.)
        dialled = or_(and_(U.c.dialled_at.is_(None), U.c.reported_at >= start, U.c.reported_at < end),
                      and_(U.c.dialled_at >= start, U.c.dialled_at < end))
        unmatched = conn.execute(select(U, D.c.campaign, D.c.agent_id, D.c.customer_id, D.c.facts, D.c.pack_id, D.c.pack_version)
                                 .select_from(U.outerjoin(D, D.c.id == U.c.decision_id))
                                 .where(U.c.id.in_(first), dialled)
                                 .order_by(func.coalesce(U.c.dialled_at, U.c.reported_at), U.c.id)).all()
    return {"decided": decided, "denied": denied, "called": called, "packs": packs}, despite, unmatched
