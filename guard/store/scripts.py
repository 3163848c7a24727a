"""Script versions in the store: each with its lint result and the pack version that judged it;
approval stamps who and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from guard.store import models as m

S = m.Script.__table__


def next_version(conn: Connection, campaign: str) -> int:
    return (conn.execute(select(func.max(S.c.version)).where(S.c.campaign == campaign)).scalar() or 0) + 1


def insert_script(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(S).values(**values))


def get(conn: Connection, script_id: str) -> Any:
    return conn.execute(select(S).where(S.c.id == script_id)).first()


def of_campaign(conn: Connection, campaign: str) -> list[Any]:
    return conn.execute(select(S).where(S.c.campaign == campaign).order_by(S.c.version)).all()


def approve(conn: Connection, script_id: str, now: datetime, key_id: str | None, notes: list[dict] | None = None) -> None:
    """Stamp the approval, with what its lint could not vouch for (`notes`)."""
    conn.execute(update(S).where(S.c.id == script_id).values(approved_at=now, approved_by=key_id, approval_notes=notes or []))


def approved(conn: Connection) -> list[Any]:
    """Every approved script version, by campaign and version."""
    return conn.execute(select(S).where(S.c.approved_at.is_not(None)).order_by(S.c.campaign, S.c.version)).all()


def mark_needs_review(conn: Connection, script_id: str, needs_review_at: datetime, suspended_at: datetime, review_pack: str,
                      findings: list[dict]) -> bool:
    """Mark an approved version as needing review (once: a version already marked keeps its first mark)."""
    return conn.execute(update(S).where(S.c.id == script_id, S.c.needs_review_at.is_(None), S.c.approved_at.is_not(None)).values(
        needs_review_at=needs_review_at, suspended_at=suspended_at, review_pack=review_pack, review_findings=findings)).rowcount > 0


def needing_review(conn: Connection, campaign: str | None = None) -> list[Any]:
    """Approved versions marked as needing review (of one campaign, or all), oldest mark first."""
    where = [S.c.needs_review_at.is_not(None)]
    if campaign is not None:
        where.append(S.c.campaign == campaign)
    return conn.execute(select(S).where(*where).order_by(S.c.needs_review_at, S.c.campaign, S.c.version)).all()


J = m.ScriptJudgement.__table__


def insert_judgement(conn: Connection, values: dict[str, Any]) -> Any:
    """Insert a judgement; the row as stored (its id gives the order judgements were given in)."""
    new = conn.execute(insert(J).values(**values)).inserted_primary_key[0]
    return conn.execute(select(J).where(J.c.id == new)).first()


def judgements_of(conn: Connection, script_id: str) -> list[Any]:
    """Every judgement of one script version's findings, oldest first."""
    return conn.execute(select(J).where(J.c.script_id == script_id).order_by(J.c.id)).all()


def judgements(conn: Connection, since: datetime | None = None, until: datetime | None = None, *,
               with_scripts: bool = False, campaign: str | None = None) -> list[Any]:
    """Judgements given in [since, until) (of one campaign's scripts when `campaign` is given), oldest first;
    `with_scripts`: each with its script's text, version and the product types it was linted under (for the corpus
    export)."""
    where = [] if campaign is None else [J.c.campaign == campaign]
    if since is not None:
        where.append(J.c.created_at >= since)
    if until is not None:
        where.append(J.c.created_at < until)
    columns = (J, S.c.text, S.c.version, S.c.product_type, S.c.lint) if with_scripts else (J,)
    query = select(*columns).where(*where).order_by(J.c.id)
    if with_scripts:
        query = query.join(S, S.c.id == J.c.script_id)
    return conn.execute(query).all()
