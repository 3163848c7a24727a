"""Policy packs in the store: every resolved pack version ever served (by hash, so any decision can
be replayed), and the reload requests every process polls for (`guard policies reload`)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Iterable

from sqlalchemy import insert, select

from guard.core.pack import Pack
from guard.store import models as m
from guard.store.db import Store

RELOADS, SNAPSHOTS, DECISIONS = m.PolicyReload.__table__, m.PolicySnapshot.__table__, m.Decision.__table__


def latest_reload(store: Store) -> tuple[int, datetime | None]:
    """The id and request time of the newest reload request ((0, None): none yet).

    The id alone does not tell one request from another: a restore puts back an older newest id and its
    sequence, and the next reload takes the id a running process has already acted on, with other documents."""
    with store.read() as conn:
        row = conn.execute(select(RELOADS.c.id, RELOADS.c.requested_at).order_by(RELOADS.c.id.desc()).limit(1)).first()
    return (row.id, row.requested_at) if row is not None else (0, None)


def latest_reload_documents(store: Store) -> tuple[tuple[int, datetime | None], dict | None, list[dict[str, str]]]:
    """((id, request time), the pack documents it validated, the issues it refused) of the newest reload request,
    or ((0, None), None, [])."""
    with store.read() as conn:
        row = conn.execute(select(RELOADS.c.id, RELOADS.c.requested_at, RELOADS.c.documents, RELOADS.c.issues)
                           .order_by(RELOADS.c.id.desc()).limit(1)).first()
    return ((row.id, row.requested_at), row.documents, row.issues or []) if row is not None else ((0, None), None, [])


def request_reload(store: Store, now: datetime, requested_by: str | None, documents: dict[str, Any],
                   issues: list[dict[str, str]] | None = None) -> int:
    with store.write() as conn:
        result = conn.execute(insert(RELOADS).values(requested_at=now, requested_by=requested_by, documents=documents,
                                                     issues=issues or []))
        return result.inserted_primary_key[0]


def record_snapshots(store: Store, packs: Iterable[Pack], now: datetime) -> None:
    """Keep every served pack version, by hash (a version already kept is left as it is)."""
    packs = list(packs)
    if not packs:
        return
    # Workers starting together on one store would race to insert the same hashes: serialise them.
    with store.write(["policy-snapshots"]) as conn:
        known = set(conn.execute(select(SNAPSHOTS.c.hash).where(SNAPSHOTS.c.hash.in_([p.hash for p in packs]))).scalars())
        for p in packs:
            if p.hash not in known:
                conn.execute(insert(SNAPSHOTS).values(hash=p.hash, pack_id=p.id, version=p.version, effective_from=p.effective_from,
                                                      source=p.source, resolved=p.resolved, first_loaded_at=now))
                known.add(p.hash)


# A version loaded this long after its effective_from is not called backdated (a file copied to the hosts in a deploy
# that takes a while).
BACKDATE_TOLERANCE = timedelta(hours=1)


def backdated(store: Store, packs: Iterable[Pack], now: datetime) -> list[tuple[Pack, datetime, datetime]]:
    """The versions that take effect before they were first loaded (now, for one not loaded yet) over checks the guard
    already decided by another version of their pack: (version, first loaded, the first such decision's instant).
    Audits and simulations of those calls would judge them by a version the guard did not hold then."""
    packs = list(packs)
    if not packs:
        return []
    out = []
    with store.read() as conn:
        loaded = dict(conn.execute(select(SNAPSHOTS.c.hash, SNAPSHOTS.c.first_loaded_at)
                                   .where(SNAPSHOTS.c.hash.in_([p.hash for p in packs]))).all())
        for p in packs:
            first = loaded.get(p.hash) or now
            if first.tzinfo is None:  # SQLite gives back naive UTC
                first = first.replace(tzinfo=timezone.utc)
            if p.effective_from >= first - BACKDATE_TOLERANCE:
                continue
            made = conn.execute(select(DECISIONS.c.at).where(DECISIONS.c.pack_id == p.id, DECISIONS.c.at >= p.effective_from,
                                                               DECISIONS.c.at < first, DECISIONS.c.pack_version != p.version)
                                .order_by(DECISIONS.c.at).limit(1)).scalar()
            if made is not None:
                out.append((p, first, made if made.tzinfo is not None else made.replace(tzinfo=timezone.utc)))
    return out
