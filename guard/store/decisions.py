"""The decision log read back: one decision, or a number's or customer's newest with their outcomes.
(It is written by the check in `guard.store.facts.FactsReader.record_decision`, never changed.)"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from guard.store import models as m
from guard.store.db import Store
from guard.store.paging import older_than

D, O = m.Decision.__table__, m.Outcome.__table__


def get_with_outcome(store: Store, decision_id: str) -> tuple[Any, Any]:
    """A decision and the outcome reported on it (None for either that is not there), read together."""
    with store.read() as conn:
        row = conn.execute(select(D).where(D.c.id == decision_id)).first()
        oc = conn.execute(select(O).where(O.c.decision_id == decision_id)).first() if row is not None else None
    return row, oc


def search(store: Store, phone: str | None, customer_id: str | None, limit: int, before: datetime | None,
           before_id: str | None = None) -> tuple[list[Any], dict[str, Any]]:
    """The newest decisions of a number or a customer (newest first), and their outcomes by decision id.
    `before_id` with `before` continues after the decision (at, id) a page ended on (see guard.store.paging)."""
    where = [D.c.phone_e164 == phone] if phone else [D.c.customer_id == customer_id]
    where += older_than(D.c.at, D.c.id, before, before_id)
    with store.read() as conn:
        rows = conn.execute(select(D).where(*where).order_by(D.c.at.desc(), D.c.id.desc()).limit(limit)).all()
        outcomes = {r.decision_id: r for r in conn.execute(select(O).where(O.c.decision_id.in_([r.id for r in rows]))).all()} if rows else {}
    return rows, outcomes
