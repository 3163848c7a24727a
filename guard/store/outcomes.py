"""Call outcomes in the store: one per decision, the attempt it updates (or adds, for a call made
despite a deny), the deferral a callback creates, and the reports that had no real decision."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from guard.store import models as m

D, A, O, DE = m.Decision.__table__, m.Attempt.__table__, m.Outcome.__table__, m.Deferral.__table__
U = m.UnmatchedOutcome.__table__


def decision(conn: Connection, decision_id: str) -> Any:
    return conn.execute(select(D).where(D.c.id == decision_id)).first()


def record_unmatched(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(U).values(**values))


def existing(conn: Connection, decision_id: str) -> Any:
    return conn.execute(select(O).where(O.c.decision_id == decision_id)).first()


def set_attempt_outcome(conn: Connection, decision_id: str, disposition: str, now: datetime) -> None:
    conn.execute(update(A).where(A.c.decision_id == decision_id).values(disposition=disposition, outcome_at=now))


def insert_attempt(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(A).values(**values))


def insert_deferral(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(DE).values(**values))


def insert_outcome(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(O).values(**values))
