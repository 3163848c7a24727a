"""The decision log made tamper-evident: a SHA-256 hash chain over every decision.

Link n seals one decision: `hash_n = SHA-256(hash_{n-1} + "\\n" + content)`, where `content` is the
decision row (every column) as sorted, compact JSON with instants in UTC. Links
are appended by a scheduled job, never by the check itself, so the hot path takes no global lock;
a decision is sealed within one scheduler interval of being made.

`verify` walks the chain and reports
- `altered`: a sealed decision whose content no longer gives its hash (edited in place);
- `missing`: a sealed decision that is gone (deleted);
- `broken`: a link whose `prev_hash` is not the hash before it (links rewritten or removed), or one the sealer
  cannot have written: its row's time more than HORIZON behind the link before it, or not the time the link copies
  (a row slipped in with an earlier time and given a link computed by hand);
- `unsealed`: a decision older than the sealing horizon that is not in the chain (inserted
  afterwards with an earlier time, or the sealer is not running).
Rewriting the whole chain after editing a decision is caught by comparing the head with one
recorded elsewhere (`guard decisions verify --expect-head HASH`, the hash printed by an earlier run).

The outcomes have a chain of their own, built and checked the same way (`outcome_chain`, ordered by
`reported_at`): each link seals one outcome or one outcome reported with no real decision. An outcome
on a denied decision is what proves a call was made despite the deny, so an outcome deleted or
edited after it was sealed is `missing` or `altered` there. The sealer appends to each chain SEAL_STEP links a
transaction (`seal_in_steps`: on SQLite a check's write waits behind one step, not a whole run); `verify` reports the
outcomes' chain under `outcomes`, and `ok` needs both intact.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable, Iterator, Sequence

from sqlalchemy import JSON, Boolean, Connection, DateTime, and_, case, false, func, insert, or_, select, type_coerce

from guard.store import models as m
from guard.store.db import Store

D, L = m.Decision.__table__, m.DecisionLink.__table__
O, U, OL = m.Outcome.__table__, m.UnmatchedOutcome.__table__, m.OutcomeLink.__table__
GENESIS = "0" * 64
# A decision's transaction commits within this long of its `evaluated_at`; the sealer looks back
# this far behind the last sealed decision so that a late commit is still sealed.
HORIZON = timedelta(minutes=10)
SEAL_BATCH = 20_000  # links a run of the job appends to each chain at most
# Links appended per write transaction (`seal_in_steps`): on SQLite, one writer at a time, a check's write waits behind
# one step, a few milliseconds, not behind a whole batch of 20,000 (1.6 to 2 s measured: GUARD_SQLITE_WRITE_WAIT is 2 s,
# then 503).
SEAL_STEP = 500
COLUMNS = [c.name for c in D.columns]
OUTCOME_COLUMNS = [c.name for c in O.columns]
UNMATCHED_COLUMNS = [c.name for c in U.columns]
# Columns added after decisions were first sealed: hashed only when set, so that a decision sealed
# before a column existed keeps its hash (its value there is NULL).
LATER_COLUMNS = frozenset({"schema_version"})
# The same for the reports with no decision (`dialled_at`, revision 0023).
LATER_UNMATCHED_COLUMNS = frozenset({"dialled_at"})


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    return value


def _chained(prev_hash: str, content: dict[str, Any]) -> str:
    """The link's hash: SHA-256 of the hash before it, a line break and the content as sorted compact JSON."""
    body = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hashlib.sha256(prev_hash.encode() + b"\n" + body).hexdigest()


def link_content(row: Any) -> dict[str, Any]:
    """What a decision's link seals: every column, instants in UTC (a later column only when set)."""
    mapping = row._mapping
    return {name: _plain(mapping[name]) for name in COLUMNS if name not in LATER_COLUMNS or mapping[name] is not None}


def link_hash(prev_hash: str, row: Any) -> str:
    """A decision's link hash."""
    return _chained(prev_hash, link_content(row))


def report_content(kind: str, row: Any) -> dict[str, Any]:
    """What an outcome's (kind `outcome`) or a report's with no decision (`unmatched`) link seals: its kind and every column."""
    mapping = row._mapping
    columns, later = (OUTCOME_COLUMNS, frozenset()) if kind == "outcome" else (UNMATCHED_COLUMNS, LATER_UNMATCHED_COLUMNS)
    return {"kind": kind, **{name: _plain(mapping[name]) for name in columns if name not in later or mapping[name] is not None}}


def report_hash(prev_hash: str, kind: str, row: Any) -> str:
    """An outcome's or a report's with no decision link hash."""
    return _chained(prev_hash, report_content(kind, row))


def export(store: Store) -> Iterator[dict[str, Any]]:
    """Every link of both chains in order, each with the content it seals (None: the row is gone from the store), for
    an auditor to verify away from the store (`verify_export`): {"chain", "seq", "prev_hash", "hash", "content"}."""
    for link in _links(store):
        yield {"chain": "decisions", "seq": link.seq, "prev_hash": link.prev_hash, "hash": link.hash,
               "content": None if link.id is None else link_content(link)}
    for link, kind, row in _outcome_links(store):
        yield {"chain": "outcomes", "seq": link.seq, "prev_hash": link.prev_hash, "hash": link.hash,
               "content": None if row is None else report_content(kind, row)}


_EXPORT_PROBLEMS = ("altered", "missing", "reordered", "broken", "unreadable")


def verify_export(lines: Iterable[str], expect_head: Sequence[str] = (), max_problems: int = 1000) -> dict[str, Any]:
    """Check an exported log (`export`, one JSON object a line) on its own: each row's content must give its hash, each
    link must follow the one before it. Says which: `altered` (a row's content edited: seq, line, id), `missing` (seqs
    absent: rows removed), `reordered` (a row moved: its seq, its line, the seq it follows there), `broken` (a link whose
    prev_hash is not the hash of the row before it: that row re-hashed after an edit, or rows removed and the rest
    renumbered), `unreadable` (a line that is no link). Rows removed at the end of a chain, or a chain rewritten whole,
    leave nothing to see in the file: `expect_head` (heads recorded earlier) must then be found."""
    problems: list[dict[str, Any]] = []
    counts = {c: dict.fromkeys(_EXPORT_PROBLEMS, 0) for c in ("decisions", "outcomes")}
    state: dict[str, dict[str, Any]] = {c: {"seq": 0, "hash": GENESIS, "gaps": []} for c in counts}
    found: set[str] = set()

    def problem(chain: str, kind: str, **detail: Any) -> None:
        counts[chain][kind] += 1
        if len(problems) < max_problems:
            problems.append({"problem": kind, "chain": chain, **detail})

    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
            chain, seq, prev_hash, hash_, content = row["chain"], row["seq"], row["prev_hash"], row["hash"], row["content"]
            if chain not in state or type(seq) is not int or not isinstance(prev_hash, str) or not isinstance(hash_, str) \
                    or not (content is None or isinstance(content, dict)):
                raise ValueError(n)
        except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: brackets nested past json's stack
            problem("decisions", "unreadable", line=n)
            continue
        at = state[chain]
        ident = {k: content[k] for k in ("id", "decision_id") if content is not None and k in content}
        if content is None:
            problem(chain, "missing", seq=seq, line=n, reason="the row was gone from the store when the log was exported")
        elif _chained(prev_hash, content) != hash_:
            problem(chain, "altered", seq=seq, line=n, **ident)
        if seq <= at["seq"]:
            gap = next((g for g in at["gaps"] if g[0] <= seq <= g[1]), None)
            if gap is not None:  # missing where it belongs, it turns up later: moved
                at["gaps"].remove(gap)
                at["gaps"] += [g for g in ((gap[0], seq - 1, gap[2]), (seq + 1, gap[1], gap[2])) if g[0] <= g[1]]
            problem(chain, "reordered", seq=seq, line=n, after_seq=at["seq"], **ident,
                    **({} if gap is not None else {"reason": "its seq repeats one before it"}))
            continue
        if seq > at["seq"] + 1:
            at["gaps"].append((at["seq"] + 1, seq - 1, n))
        elif prev_hash != at["hash"]:
            problem(chain, "broken", seq=seq, line=n,
                    reason=f"its prev_hash is not the hash of seq {at['seq']} before it: that row was edited and its hash "
                           f"recomputed, or rows after it were removed and the rest renumbered")
        if hash_ in expect_head:
            found.add(hash_)
        at["seq"], at["hash"] = seq, hash_
    for chain, at in state.items():
        for lo, hi, line in sorted(at["gaps"]):
            counts[chain]["missing"] += hi - lo + 1
            if len(problems) < max_problems:
                problems.append({"problem": "missing", "chain": chain, "seqs": [lo, hi], "before_line": line})
    missing_heads = [h for h in expect_head if h not in found]
    for h in reversed(missing_heads):
        problems.insert(0, {"problem": "head_not_found", "expected": h})
    return {"ok": not any(v for c in counts.values() for v in c.values()) and not missing_heads,
            "head": {"seq": state["decisions"]["seq"], "hash": state["decisions"]["hash"]}, "counts": counts["decisions"],
            "outcomes": {"head": {"seq": state["outcomes"]["seq"], "hash": state["outcomes"]["hash"]}, "counts": counts["outcomes"]},
            "expected_head_found": not missing_heads if expect_head else None, "problems": problems}


def _head(conn: Connection, table: Any) -> Any:
    """The chain's last link (None: the chain is empty)."""
    return conn.execute(select(table).order_by(table.c.seq.desc()).limit(1)).first()


def _start(last: Any) -> tuple[int, str]:
    return (last.seq, last.hash) if last is not None else (0, GENESIS)


def _pending_decisions(conn: Connection, now: datetime, limit: int) -> tuple[tuple[int, str], list[dict[str, Any]], bool]:
    """The links for up to `limit` decisions not sealed yet (oldest first), after the head this transaction reads:
    (that head's (seq, hash), the links, whether more may be pending)."""
    last = _head(conn, L)
    seq, prev = start = _start(last)
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
    return start, links, len(rows) == limit


def _pending_outcomes(conn: Connection, now: datetime, limit: int) -> tuple[tuple[int, str], list[dict[str, Any]], bool]:
    """The links for up to `limit` outcomes and reports with no decision not sealed yet (oldest reported first), as
    `_pending_decisions` gives them."""
    last = _head(conn, OL)
    seq, prev = start = _start(last)
    since = [] if last is None else [last.reported_at - HORIZON]
    outcomes = conn.execute(
        select(O).select_from(O.outerjoin(OL, OL.c.outcome_id == O.c.decision_id))
        .where(OL.c.seq.is_(None), *(O.c.reported_at >= t for t in since)).order_by(O.c.reported_at, O.c.decision_id).limit(limit)
    ).all()
    unmatched = conn.execute(
        select(U).select_from(U.outerjoin(OL, OL.c.unmatched_id == U.c.id))
        .where(OL.c.seq.is_(None), *(U.c.reported_at >= t for t in since)).order_by(U.c.reported_at, U.c.id).limit(limit)
    ).all()
    pending = sorted([("outcome", r.decision_id, r) for r in outcomes] + [("unmatched", r.id, r) for r in unmatched],
                     key=lambda k: (k[2].reported_at, k[0], str(k[1])))[:limit]
    links = []
    for kind, key, row in pending:
        seq += 1
        digest = report_hash(prev, kind, row)
        links.append({"seq": seq, "outcome_id": key if kind == "outcome" else None, "unmatched_id": key if kind == "unmatched" else None,
                      "reported_at": row.reported_at, "prev_hash": prev, "hash": digest, "sealed_at": now})
        prev = digest
    return start, links, len(outcomes) == limit or len(unmatched) == limit


def _append(conn: Connection, table: Any, start: tuple[int, str], links: list[dict[str, Any]]) -> bool:
    """Append `links` if the chain's head is still `start` (the head they were computed after); False, nothing written,
    when another sealer appended since: its links sealed some of these rows, and the rest must be read again."""
    if _start(_head(conn, table)) != start:
        return False
    if links:
        conn.execute(insert(table), links)
    return True


def _ended(start: tuple[int, str], links: list[dict[str, Any]]) -> dict[str, Any]:
    seq, hash_ = (links[-1]["seq"], links[-1]["hash"]) if links else start
    return {"seq": seq, "hash": hash_}


def seal(conn: Connection, now: datetime, limit: int = SEAL_BATCH) -> dict[str, Any]:
    """Append links for decisions, then outcomes, not sealed yet (oldest first), all in this one transaction. The job
    seals in short transactions instead (`seal_in_steps`); this is for a caller already holding a write transaction."""
    start, links, more = _pending_decisions(conn, now, limit)
    _append(conn, L, start, links)
    o_start, o_links, o_more = _pending_outcomes(conn, now, limit)
    _append(conn, OL, o_start, o_links)
    return {"sealed": len(links), "head": _ended(start, links), "more": more or o_more,
            "outcomes": {"sealed": len(o_links), "head": _ended(o_start, o_links), "more": o_more}}


def seal_in_steps(store: Store, now: datetime, lock: Callable[[Connection], bool] = lambda conn: True,
                  limit: int = SEAL_BATCH, step: int = SEAL_STEP) -> dict[str, Any] | None:
    """Append links for up to `limit` decisions, then up to `limit` outcomes, not sealed yet (oldest first), `step` at a
    time each in a write transaction of its own, so that a check's write (SQLite: one writer at a time) never waits
    behind more than one step. Each step's rows are read and hashed in a read transaction, outside the write lock; the
    write transaction takes `lock` (the job's lock; False: another scheduler holds it, this run stops) and appends
    them only if the chain's head is still the one they were hashed after (`_append`), else reads them again. The
    chain is the one `seal` writes: every link follows the head it was hashed after, within HORIZON of it.
    None when the first write found `lock` taken and nothing was sealed."""
    result: dict[str, Any] = {}
    held = True
    for name, table, pending in (("decisions", L, _pending_decisions), ("outcomes", OL, _pending_outcomes)):
        sealed, moved, more, head, start = 0, 0, held, None, None
        while more and sealed < limit:
            with store.read() as conn:
                start, links, more = pending(conn, now, min(step, limit - sealed))
            if not links:
                break
            with store.write() as conn:
                held = lock(conn)
                if not held:  # another scheduler runs the job now: it seals the rest
                    if not sealed and not result:
                        return None
                    more = True
                    break
                appended = _append(conn, table, start, links)
            if not appended:  # another sealer appended meanwhile (SQLite takes no job lock): read again, a few times
                moved, more = moved + 1, True
                if moved > 3:
                    break
                continue
            sealed += len(links)
            head = _ended(start, links)
        if head is None:
            if start is None:
                with store.read() as conn:
                    start = _start(_head(conn, table))
            head = _ended(start, [])
        result[name] = {"sealed": sealed, "head": head, "more": more}
    decisions, outcomes = result["decisions"], result["outcomes"]
    return {"sealed": decisions["sealed"], "head": decisions["head"], "more": decisions["more"] or outcomes["more"],
            "outcomes": outcomes}


def _column(store: Store, name: str, table: Any = D) -> Any:
    """A column of a decision (or an outcome) as `verify` reads it: on SQLite, JSON that does not parse (SQLite keeps
    any text) reads as NULL, so that the link reports the row altered instead of the read failing."""
    column = table.c[name]
    if store.dialect == "sqlite" and isinstance(column.type, JSON):
        return type_coerce(case((func.json_valid(column) == 1, column), else_=None), column.type).label(name)
    return column


# How SQLAlchemy writes each kind of value on SQLite (an instant as naive UTC text with microseconds, a boolean 0 or 1).
_SQLITE_INSTANT = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]"


def _not_as_written(store: Store, table: Any = D) -> Any:
    """SQLite only: a decision (or an outcome) holding a value in a form the guard never writes. It reads back as the
    same value (`2026-11-23T02:15:00`, or with an offset, is the same instant; 2 is true), so its hash still matches,
    but SQL comparing the stored form (an audit's period, `allowed IS 0`) reads it otherwise: an edit all the same."""
    odd = []
    for column in table.columns:
        if isinstance(column.type, DateTime) or isinstance(getattr(column.type, "impl", None), DateTime):
            odd.append(and_(column.is_not(None), or_(func.typeof(column) != "text", func.glob(_SQLITE_INSTANT, column) == 0)))
        elif isinstance(column.type, Boolean):
            odd.append(or_(func.typeof(column) != "integer", column.not_in([0, 1])))
        elif isinstance(column.type, JSON):
            odd.append(func.coalesce(func.json_valid(column), 1) == 0)
    return or_(*odd)


def _links(store: Store, batch: int = 5000) -> Iterator[Any]:
    after = 0
    odd = _not_as_written(store) if store.dialect == "sqlite" else false()
    while True:
        with store.read() as conn:
            rows = conn.execute(
                select(L.c.seq, L.c.decision_id, L.c.prev_hash, L.c.hash, L.c.evaluated_at.label("sealed_evaluated_at"),
                       *[_column(store, name) for name in COLUMNS if name != "id"], D.c.id, odd.label("not_as_written"))
                .select_from(L.outerjoin(D, D.c.id == L.c.decision_id)).where(L.c.seq > after).order_by(L.c.seq).limit(batch)
            ).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].seq


def _as_read(store: Store, table: Any) -> Any:
    """Every column of an outcome table as `verify` reads it, and whether the row holds a value not as written."""
    odd = _not_as_written(store, table) if store.dialect == "sqlite" else false()
    return select(*[_column(store, c.name, table) for c in table.columns], odd.label("not_as_written"))


def _outcome_links(store: Store, batch: int = 5000) -> Iterator[tuple[Any, str, Any]]:
    """Each outcome link with its kind and the row it seals (None when the row is gone)."""
    after = 0
    while True:
        with store.read() as conn:
            links = conn.execute(select(OL).where(OL.c.seq > after).order_by(OL.c.seq).limit(batch)).all()
            if not links:
                return
            wanted = [x.outcome_id for x in links if x.outcome_id is not None]
            outcomes = {r.decision_id: r for r in conn.execute(_as_read(store, O).where(O.c.decision_id.in_(wanted)))} if wanted else {}
            wanted = [x.unmatched_id for x in links if x.unmatched_id is not None]
            unmatched = {r.id: r for r in conn.execute(_as_read(store, U).where(U.c.id.in_(wanted)))} if wanted else {}
        for link in links:
            if link.outcome_id is not None:
                yield link, "outcome", outcomes.get(link.outcome_id)
            else:
                yield link, "unmatched", unmatched.get(link.unmatched_id)
        after = links[-1].seq


def _out_of_order(linked_at: datetime, row_at: datetime | None, previous_at: datetime | None, name: str) -> str | None:
    """Why a link whose prev_hash is right was still not written by the sealer, or None.

    The sealer appends in time order and never looks further back than HORIZON behind the link before
    (`seal`), so in a chain it wrote every row's time is at least the previous link's less HORIZON, and
    each link's copy of the time is its row's. A row slipped in with an earlier time and given a link
    computed by hand (an INSERT, which the append-only trigger allows) breaks the first; a link's time
    rewritten to move the sealing horizon, the second.
    """
    if row_at is not None and row_at != linked_at:
        return f"the link's {name} ({linked_at.isoformat()}) is not its row's ({row_at.isoformat()})"
    at = linked_at if row_at is None else row_at
    if previous_at is not None and at < previous_at - HORIZON:
        return (f"sealed out of time order: {name} {at.isoformat()} is {previous_at - at} before the link before it "
                f"({previous_at.isoformat()}); the sealer never looks back more than {HORIZON}")
    return None


def verify(store: Store, expect_head: str | Sequence[str] | None = None, on_progress: Callable[[int], None] | None = None,
           max_problems: int = 1000) -> dict[str, Any]:
    """Recompute both chains; `ok` is true when nothing was altered, missing, broken or left unsealed in
    either, and every head in `expect_head` (a hash printed by an earlier run, of either chain) is still there."""
    expected = [] if expect_head is None else [expect_head] if isinstance(expect_head, str) else list(expect_head)
    found: set[str] = set()
    problems: list[dict[str, Any]] = []
    counts = {"altered": 0, "missing": 0, "broken": 0, "unsealed": 0}
    outcome_counts = dict.fromkeys(counts, 0)
    prev, seq, last_at = GENESIS, 0, None

    def problem(kind: str, tally: dict[str, int] = counts, **detail: Any) -> None:
        tally[kind] += 1
        if len(problems) < max_problems:
            problems.append({"problem": kind, **detail})

    for n, link in enumerate(_links(store), 1):
        if link.seq != seq + 1 or link.prev_hash != prev:
            problem("broken", seq=link.seq, decision_id=link.decision_id)
        elif (why := _out_of_order(link.sealed_evaluated_at, None if link.id is None else link.evaluated_at, last_at, "evaluated_at")):
            problem("broken", seq=link.seq, decision_id=link.decision_id, reason=why)
        if link.id is None:
            problem("missing", seq=link.seq, decision_id=link.decision_id)
        elif link.not_as_written or link_hash(link.prev_hash, link) != link.hash:
            problem("altered", seq=link.seq, decision_id=link.decision_id)
        if link.hash in expected:
            found.add(link.hash)
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

    o_prev, o_seq, o_last = GENESIS, 0, None
    for link, kind, row in _outcome_links(store):
        where = {"chain": "outcomes", "seq": link.seq,
                 **({"decision_id": link.outcome_id} if kind == "outcome" else {"unmatched_id": link.unmatched_id})}
        if link.seq != o_seq + 1 or link.prev_hash != o_prev:
            problem("broken", outcome_counts, **where)
        elif (why := _out_of_order(link.reported_at, None if row is None else row.reported_at, o_last, "reported_at")):
            problem("broken", outcome_counts, **where, reason=why)
        if row is None:
            problem("missing", outcome_counts, **where)
        elif row.not_as_written or report_hash(link.prev_hash, kind, row) != link.hash:
            problem("altered", outcome_counts, **where)
        if link.hash in expected:
            found.add(link.hash)
        o_prev, o_seq, o_last = link.hash, link.seq, link.reported_at
    o_pending = 0
    with store.read() as conn:
        for kind, table, key, joined in (("outcome", O, O.c.decision_id, OL.c.outcome_id == O.c.decision_id),
                                         ("unmatched", U, U.c.id, OL.c.unmatched_id == U.c.id)):
            unsealed_q = select(key.label("key"), table.c.reported_at).select_from(table.outerjoin(OL, joined)).where(OL.c.seq.is_(None))
            if o_last is not None:
                for row in conn.execute(unsealed_q.where(table.c.reported_at < o_last - HORIZON).order_by(table.c.reported_at)):
                    problem("unsealed", outcome_counts, chain="outcomes",
                            **{"decision_id" if kind == "outcome" else "unmatched_id": row.key}, reported_at=row.reported_at.isoformat())
                unsealed_q = unsealed_q.where(table.c.reported_at >= o_last - HORIZON)
            o_pending += conn.execute(select(func.count()).select_from(unsealed_q.subquery())).scalar_one()

    missing_heads = [h for h in expected if h not in found]
    for h in reversed(missing_heads):
        problems.insert(0, {"problem": "head_not_found", "expected": h})
    return {
        "ok": not any(counts.values()) and not any(outcome_counts.values()) and not missing_heads,
        # Nothing to verify: a new store, or DATABASE_URL naming another one than meant. Intact, but said.
        "empty": seq == 0 and pending == 0 and o_seq == 0 and o_pending == 0,
        "links": seq,
        "head": {"seq": seq, "hash": prev},
        "pending": pending,
        "counts": counts,
        "outcomes": {"links": o_seq, "head": {"seq": o_seq, "hash": o_prev}, "pending": o_pending, "counts": outcome_counts},
        "expected_head_found": not missing_heads if expected else None,
        "problems": problems,
    }
