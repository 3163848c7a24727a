"""Blacklist entries in the store. Entries are never deleted: a removal stamps who, when and why,
so the blacklist as it was at any past instant can be read back. At most one live entry per
number (or customer) and source (a partial unique index)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Sequence

from sqlalchemy import Connection, and_, func, or_, select, update

from guard.store import models as m
from guard.store.db import Store

T = m.BlacklistEntry.__table__
_INSERT_COLUMNS = ("id", "phone_e164", "customer_id", "source", "reason", "added_at", "expires_at", "added_by", "recorded_at")


def insert_sql(dialect: str) -> str:
    """Insert one entry unless a live one for the same number (or customer) and source exists (bulk imports)."""
    if dialect == "sqlite":
        values = ", ".join("?" for _ in _INSERT_COLUMNS)
    else:
        values = ", ".join(f"%({c})s" for c in _INSERT_COLUMNS)
    return f"INSERT INTO blacklist_entries ({', '.join(_INSERT_COLUMNS)}) VALUES ({values}) ON CONFLICT DO NOTHING"


def lapse_closed() -> Any:
    """The entries closed at their own expiry by the guard (a lapse, `close_lapsed`), not removed by anyone: no remover,
    closed at the expiry itself. An admin's removal always names who (`removed_by`)."""
    return and_(T.c.removed_by.is_(None), T.c.expires_at.is_not(None), T.c.removed_at == T.c.expires_at)


def close_lapsed_sql(dialect: str) -> str:
    """`close_lapsed` for one number and source a row (reason, phone, source, now), for bulk imports."""
    p = "?" if dialect == "sqlite" else "%s"
    return (f"UPDATE blacklist_entries SET removed_at = expires_at, removal_reason = {p} WHERE phone_e164 = {p} AND source = {p}"
            f" AND removed_at IS NULL AND expires_at IS NOT NULL AND expires_at <= {p}")


def live(conn: Connection, phone: str | None, customer_id: str | None, source: str) -> Any:
    """The live entry of this number (or, with no number, this customer) and source, or None."""
    where = [T.c.removed_at.is_(None), T.c.source == source]
    where += [T.c.phone_e164 == phone] if phone is not None else [T.c.phone_e164.is_(None), T.c.customer_id == customer_id]
    return conn.execute(select(T).where(*where)).first()


def insert(conn: Connection, row: dict[str, Any]) -> None:
    conn.execute(T.insert().values(**row))


def close_lapsed(conn: Connection, source: str, now: datetime, reason: str, phones: Sequence[str] = (),
                 customer_id: str | None = None) -> int:
    """Close the entries of this source, of these numbers (or, with none, this customer), that lapsed at their expiry by
    `now` but still hold the one live place of their number and source: removed at their own expiry (nothing changes for
    any instant judged), so that the same source may list the number again. Return how many were closed."""
    where = [T.c.removed_at.is_(None), T.c.source == source, T.c.expires_at.is_not(None), T.c.expires_at <= now]
    where.append(T.c.phone_e164.in_(list(phones)) if phones else and_(T.c.phone_e164.is_(None), T.c.customer_id == customer_id))
    return conn.execute(update(T).where(*where).values(removed_at=T.c.expires_at, removal_reason=reason)).rowcount or 0


def of_number(conn: Connection, phone: str, owner: str | None) -> list[Any]:
    """Every entry bearing on the number: its own, and its owner's; live ones and history."""
    cond = T.c.phone_e164 == phone
    if owner is not None:
        cond = or_(cond, and_(T.c.phone_e164.is_(None), T.c.customer_id == owner))
    return conn.execute(select(T).where(cond).order_by(T.c.added_at, T.c.id)).all()


def of_customer(conn: Connection, customer_id: str, phones: Sequence[str] = ()) -> list[Any]:
    """The customer's own entries (and, with `phones`, those of these numbers)."""
    cond = and_(T.c.phone_e164.is_(None), T.c.customer_id == customer_id) if not phones else or_(
        T.c.customer_id == customer_id, T.c.phone_e164.in_(list(phones)))
    return conn.execute(select(T).where(cond).order_by(T.c.added_at, T.c.id)).all()


def remove(conn: Connection, phone: str | None, customer_id: str | None, source: str | None, now: datetime, key_id: str | None,
           reason: str) -> list[Any]:
    """Close the live entries of a number (or a customer); return them as they now stand."""
    where = [T.c.removed_at.is_(None)]
    where.append(T.c.phone_e164 == phone if phone else and_(T.c.phone_e164.is_(None), T.c.customer_id == customer_id))
    if source is not None:
        where.append(T.c.source == source)
    ids = [r.id for r in conn.execute(select(T.c.id).where(*where)).all()]
    if not ids:
        return []
    # `removed_at IS NULL` again as it closes: an entry a list removal closed meanwhile (it takes no number locks) keeps
    # that removal's who, when and why.
    ids = [r.id for r in conn.execute(update(T).where(T.c.id.in_(ids), T.c.removed_at.is_(None))
                                      .values(removed_at=now, removed_by=key_id, removal_reason=reason).returning(T.c.id)).all()]
    if not ids:
        return []
    return conn.execute(select(T).where(T.c.id.in_(ids)).order_by(T.c.added_at)).all()


def mark_still_blocked(store: "Store", ids_by_phone: dict[str, Sequence[str]], blocked: set[str]) -> None:
    """Stamp on the entries just removed whether a check still held their number back right after the removal."""
    with store.write() as conn:
        for value in (True, False):
            ids = [i for phone, ids in ids_by_phone.items() if (phone in blocked) is value for i in ids]
            if ids:
                conn.execute(update(T).where(T.c.id.in_(ids)).values(removal_still_blocked=value))


def removals(conn: Connection, phone: str | None, owner: str | None, customer_id: str | None, list_id: int | None,
             limit: int, after: tuple[datetime, str] | None) -> list[Any]:
    """Removed entries, newest removal first (removed_at desc, id desc): of a number (its own and its owner's), of a
    customer (their own), of a list removal, or all; `after`: the (removed_at, id) of the last one of the page before.
    An entry that lapsed at its expiry is no removal (SPEC §2.1: removal is an admin's act, with a reason)."""
    where: list[Any] = [T.c.removed_at.is_not(None), ~lapse_closed()]
    if phone is not None:
        cond = T.c.phone_e164 == phone
        if owner is not None:
            cond = or_(cond, and_(T.c.phone_e164.is_(None), T.c.customer_id == owner))
        where.append(cond)
    if customer_id is not None:
        where.append(and_(T.c.phone_e164.is_(None), T.c.customer_id == customer_id))
    if list_id is not None:
        where.append(T.c.removal_list_id == list_id)
    if after is not None:
        where.append(or_(T.c.removed_at < after[0], and_(T.c.removed_at == after[0], T.c.id < after[1])))
    return conn.execute(select(T).where(*where).order_by(T.c.removed_at.desc(), T.c.id.desc()).limit(limit)).all()


def insert_many(store: "Store", rows: list[dict], keys: Sequence[str] = (), watched: Sequence[str] = (),
                then: Callable[[Connection, set[str]], int] | None = None,
                lapsed: tuple[datetime, str] | None = None) -> tuple[int, int]:
    """Insert entries in bulk (an import), skipping any that has a live twin (same number and source), in one transaction
    holding the locks `keys`; in it, `then` is told which of the `watched` ids were inserted. Return how many were
    inserted and what `then` returned (0 without it). `lapsed` (now, reason): first close the twins that lapsed at their
    expiry by now (`close_lapsed`), so that a number listed again is listed, not taken as unchanged."""
    sql = insert_sql(store.dialect)
    params = [tuple(r[c] for c in _INSERT_COLUMNS) for r in rows] if store.sql.sqlite else [
        {c: r[c] for c in _INSERT_COLUMNS} for r in rows]
    with store.write(keys) as conn:
        cur = store.cursor(conn)
        if lapsed is not None:
            # First close the lapsed twins: one indexed statement a row, on the driver's cursor as the insert is.
            at, reason = store.sql.ts(lapsed[0]), lapsed[1]
            cur.executemany(close_lapsed_sql(store.dialect), [(reason, r["phone_e164"], r["source"], at) for r in rows
                                                              if r["phone_e164"] is not None])
        cur.executemany(sql, params)
        inserted = cur.rowcount  # both drivers sum it over the rows; skipped conflicts add 0
        if then is None or not watched:
            return inserted, 0
        # The ids are new: those found were inserted just now, the others skipped for a live twin.
        found = {r.id for r in conn.execute(select(T.c.id).where(T.c.id.in_(list(watched)))).all()}
        return inserted, then(conn, found)


I = m.ListImport.__table__


def record_import(store: "Store", row: dict[str, Any]) -> None:
    """Record a list imported (at, by, source, region, rows, accepted, unchanged, rejected)."""
    with store.write() as conn:
        conn.execute(I.insert().values(**row))


def last_imports(store: "Store", source: str) -> dict[str, datetime]:
    """The instant of the newest import of `source` that listed any number, by the region its numbers were read in."""
    with store.read() as conn:
        rows = conn.execute(select(I.c.region, func.max(I.c.at)).where(I.c.source == source, I.c.kind == "import",
                                                                       I.c.accepted + I.c.unchanged > 0)
                            .group_by(I.c.region)).all()
    return {region: at for region, at in rows}


def start_removal(store: "Store", row: dict[str, Any]) -> int:
    """Record a list removal begun (at, by, source, region, reason); return its id, which each entry it closes keeps."""
    with store.write() as conn:
        return conn.execute(I.insert().values(kind="removal", rows=0, accepted=0, unchanged=0, rejected=0, removed=0, **row)
                            .returning(I.c.id)).scalar_one()


def finish_removal(store: "Store", list_id: int, counts: dict[str, int]) -> None:
    """Record a list removal's counts (rows, removed, unchanged: not listed, rejected)."""
    with store.write() as conn:
        conn.execute(update(I).where(I.c.id == list_id).values(**counts))


def listed_by(store: "Store", phones: Sequence[str], source: str) -> tuple[set[str], set[str]]:
    """Of these numbers, those with a live entry of their own of `source`, and those with one of another source."""
    with store.read() as conn:
        rows = conn.execute(select(T.c.phone_e164, T.c.source).where(T.c.removed_at.is_(None), T.c.phone_e164.in_(list(phones)))).all()
    return {p for p, s in rows if s == source}, {p for p, s in rows if s != source}


def remove_listed(store: "Store", phones: Sequence[str], source: str, now: datetime, key_id: str | None, reason: str,
                  list_id: int) -> dict[str, list[str]]:
    """Close the live entries of `source` of these numbers in one transaction (a check sees them all listed or all
    lifted, never a row half-stamped), stamped with who, when, why and the list removal's id; return the ids closed
    by number."""
    # One statement that re-reads `removed_at IS NULL` as it closes: an entry an admin removed alone meanwhile keeps
    # that removal's who, when and why (a select of ids, then an update by id, would stamp this one over it).
    with store.write() as conn:
        found = conn.execute(update(T).where(T.c.removed_at.is_(None), T.c.source == source, T.c.phone_e164.in_(list(phones)))
                             .values(removed_at=now, removed_by=key_id, removal_reason=reason, removal_list_id=list_id)
                             .returning(T.c.phone_e164, T.c.id)).all()
    closed: dict[str, list[str]] = {}
    for r in found:
        closed.setdefault(r.phone_e164, []).append(r.id)
    return closed
