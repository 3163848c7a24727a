"""The rows of one customer's overview, in one read transaction: profile versions, blacklist entries
(the customer's and their numbers'), mutes, deferrals, complaints with their events."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from guard.store import models as m
from guard.store.complaints import shown as shown_complaints
from guard.store.db import Connection

CV, BL, MU, DF = (m.CustomerVersion.__table__, m.BlacklistEntry.__table__, m.Mute.__table__, m.Deferral.__table__)
CO, CE = m.Complaint.__table__, m.ComplaintEvent.__table__


def customer_rows(conn: Connection, customer_id: str, phones: list[str]) -> dict[str, list[Any]]:
    def of(table: Any) -> Any:
        return or_(table.c.customer_id == customer_id, *([table.c.phone_e164.in_(phones)] if phones else []))

    filed = conn.execute(shown_complaints().where(CO.c.customer_id == customer_id).order_by(CO.c.received_at.desc(), CO.c.id)).all()
    return {
        "versions": conn.execute(select(CV).where(CV.c.customer_id == customer_id).order_by(CV.c.valid_from, CV.c.id)).all(),
        "entries": conn.execute(select(BL).where(of(BL)).order_by(BL.c.added_at, BL.c.id)).all(),
        "mutes": conn.execute(select(MU).where(of(MU)).order_by(MU.c.starts_at)).all(),
        "deferrals": conn.execute(select(DF).where(of(DF)).order_by(DF.c.not_before)).all(),
        "complaints": filed,
        "events": conn.execute(select(CE).where(CE.c.complaint_id.in_([c.id for c in filed])).order_by(CE.c.id)).all() if filed else [],
    }


def number_rows(conn: Connection, phone: str) -> dict[str, list[Any]]:
    """The rows about one number itself (not its customer's): blacklist entries, mutes, deferrals,
    complaints with their events."""
    filed = conn.execute(shown_complaints().where(CO.c.phone_e164 == phone).order_by(CO.c.received_at.desc(), CO.c.id)).all()
    return {
        "versions": [],
        "entries": conn.execute(select(BL).where(BL.c.phone_e164 == phone).order_by(BL.c.added_at, BL.c.id)).all(),
        "mutes": conn.execute(select(MU).where(MU.c.phone_e164 == phone).order_by(MU.c.starts_at)).all(),
        "deferrals": conn.execute(select(DF).where(DF.c.phone_e164 == phone).order_by(DF.c.not_before)).all(),
        "complaints": filed,
        "events": conn.execute(select(CE).where(CE.c.complaint_id.in_([c.id for c in filed])).order_by(CE.c.id)).all() if filed else [],
    }
