"""The decision log made tamper-evident: a SHA-256 hash chain over every decision.

Link n seals one decision: `hash_n = SHA-256(hash_{n-1} + "\\n" + canonical(decision))`, where
`canonical` is the decision row (every column) as sorted, compact JSON with instants in UTC. Links
are appended by a scheduled job, never by the check itself, so the hot path takes no global lock;
a decision is sealed within one scheduler interval of being made.

`verify` walks the chain and reports
- `altered`: a sealed decision whose content no longer gives its hash (edited in place);
- `missing`: a sealed decision that is gone (deleted);
- `broken`: a link whose `prev_hash` is not the hash before it (links rewritten or removed);
- `unsealed`: a decision older than the sealing horizon that is not in the chain (inserted
  afterwards with an earlier time, or the sealer is not running).
Rewriting the whole chain after editing a decision is caught by comparing the head with one
recorded elsewhere (`guard decisions verify --expect-head HASH`, the hash printed by an earlier run).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterator

from sqlalchemy import JSON, Boolean, Connection, DateTime, and_, case, false, func, insert, or_, select, type_coerce

from guard.store import models as m
from guard.store.db import Store

D, L = m.Decision.__table__, m.DecisionLink.__table__
GENESIS = "0" * 64
# A decision's transaction commits within this long of its `evaluated_at`; the sealer looks back
# this far behind the last sealed decision so that a late commit is still sealed.
HORIZON = timedelta(minutes=10)
SEAL_BATCH = 20_000
COLUMNS = [c.name for c in D.columns]
# Columns added after decisions were first sealed: hashed only when set, so that a decision sealed
# before a column existed keeps its hash (its value there is NULL).
LATER_COLUMNS = frozenset({"schema_version"})


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    return value


def canonical(row: Any) -> bytes:
    """The decision's content as hashed: every column, sorted compact JSON, instants in UTC."""
    mapping = row._mapping
    return json.dumps({name: _plain(mapping[name]) for name in COLUMNS if name not in LATER_COLUMNS or mapping[name] is not None},
                      sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


def link_hash(prev_hash: str, row: Any) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(row)).hexdigest()


def seal(conn: Connection, now: datetime, limit: int = SEAL_BATCH) -> dict[str, Any]:
    """Append links for decisions not sealed yet (oldest first); run under the job's lock."""
    last = conn.execute(select(L).order_by(L.c.seq.desc()).limit(1)).first()
    seq, prev = (last.seq, last.hash) if last is not None else (0, GENESIS)
    where = [L.c.decision_id.is_(None)]
    if last is not None:
        where.append(D.c.evaluated_at >= last.evaluated_at - HORIZON)
    rows = conn.execute(
        select(D).select_from(D.outerjoin(L, L.c.decision_id == D.c.id)).where(*where)
        .order_by(D.c.evaluated_at, D.c.id).limit(limit)
    ).all()
    links = []
    for row in rows:
        seq += 1
        digest = link_hash(prev, row)
        links.append({"seq": seq, "decision_id": row.id, "evaluated_at": row.evaluated_at, "prev_hash": prev, "hash": digest,
                      "sealed_at": now})
        prev = digest
    if links:
        conn.execute(insert(L), links)
    return {"sealed": len(links), "head": {"seq": seq, "hash": prev}, "more": len(rows) == limit}


def _decision_column(store: Store, name: str) -> Any:
    """A decision column as `verify` reads it: on SQLite, JSON that does not parse (SQLite keeps any text) reads as
    NULL, so that the link reports the decision altered instead of the read failing."""
    column = D.c[name]
    if store.dialect == "sqlite" and isinstance(column.type, JSON):
        return type_coerce(case((func.json_valid(column) == 1, column), else_=None), column.type).label(name)
    return column


# How SQLAlchemy writes each kind of value on SQLite (an instant as naive UTC text with microseconds, a boolean 0 or 1).
_SQLITE_INSTANT = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]"


def _not_as_written(store: Store) -> Any:
    """SQLite only: a decision holding a value in a form the guard never writes. It reads back as the same value
    (`2026-11-23T02:15:00`, or with an offset, is the same instant; 2 is true), so its hash still matches, but SQL
    comparing the stored form (an audit's period, `allowed IS 0`) reads it otherwise: an edit all the same."""
    odd = []
    for column in D.columns:
        if isinstance(column.type, DateTime) or isinstance(getattr(column.type, "impl", None), DateTime):
            odd.append(and_(column.is_not(None), or_(func.typeof(column) != "text", func.glob(_SQLITE_INSTANT, column) == 0)))
        elif isinstance(column.type, Boolean):
            odd.append(or_(func.typeof(column) != "integer", column.not_in([0, 1])))
        elif isinstance(column.type, JSON):
            odd.append(func.coalesce(func.json_valid(column), 1) == 0)
    return or_(*odd)


def _links(store: Store, batch: int = 5000) -> Iterator[Any]:
    after = 0
    odd = _not_as_written(store) if store.dialect == "sqlite" else None
    while True:
        with store.read() as conn:
            rows = conn.execute(
                select(L.c.seq, L.c.decision_id, L.c.prev_hash, L.c.hash, L.c.evaluated_at.label("sealed_evaluated_at"),
                       *[_decision_column(store, name) for name in COLUMNS if name != "id"], D.c.id,
                       (odd if odd is not None else false()).label("not_as_written"))
                .select_from(L.outerjoin(D, D.c.id == L.c.decision_id)).where(L.c.seq > after).order_by(L.c.seq).limit(batch)
            ).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].seq


def verify(store: Store, expect_head: str | None = None, on_progress: Callable[[int], None] | None = None,
           max_problems: int = 1000) -> dict[str, Any]:
    """Recompute the chain; `ok` is true when nothing was altered, missing, broken or left unsealed."""
    problems: list[dict[str, Any]] = []
    counts = {"altered": 0, "missing": 0, "broken": 0, "unsealed": 0}
    prev, seq, last_at, seen_expected = GENESIS, 0, None, expect_head is None

    def problem(kind: str, **detail: Any) -> None:
        counts[kind] += 1
        if len(problems) < max_problems:
            problems.append({"problem": kind, **detail})

    for n, link in enumerate(_links(store), 1):
        if link.seq != seq + 1 or link.prev_hash != prev:
            problem("broken", seq=link.seq, decision_id=link.decision_id)
        if link.id is None:
            problem("missing", seq=link.seq, decision_id=link.decision_id)
        elif link.not_as_written or link_hash(link.prev_hash, link) != link.hash:
            problem("altered", seq=link.seq, decision_id=link.decision_id)
        if link.hash == expect_head:
            seen_expected = True
        prev, seq, last_at = link.hash, link.seq, link.sealed_evaluated_at
        if on_progress and n % 10_000 == 0:
            on_progress(n)
    with store.read() as conn:
        unsealed_q = select(D.c.id, D.c.evaluated_at).select_from(D.outerjoin(L, L.c.decision_id == D.c.id)).where(L.c.decision_id.is_(None))
        pending = 0
        if last_at is not None:
            for row in conn.execute(unsealed_q.where(D.c.evaluated_at < last_at - HORIZON).order_by(D.c.evaluated_at)):
                problem("unsealed", decision_id=row.id, evaluated_at=row.evaluated_at.isoformat())
            pending = conn.execute(select(func.count()).select_from(unsealed_q.where(D.c.evaluated_at >= last_at - HORIZON).subquery())).scalar_one()
        else:
            pending = conn.execute(select(func.count()).select_from(unsealed_q.subquery())).scalar_one()
    if not seen_expected:
        problems.insert(0, {"problem": "head_not_found", "expected": expect_head})
    return {
        "ok": not any(counts.values()) and seen_expected,
        "links": seq,
        "head": {"seq": seq, "hash": prev},
        "pending": pending,
        "counts": counts,
        "expected_head_found": seen_expected if expect_head else None,
        "problems": problems,
    }

