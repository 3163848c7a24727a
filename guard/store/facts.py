"""Queries that read the facts a decision needs, turned into the core's plain values.

Checks read facts as known now (`as_of=None`: current rows). Audits read them as they were at
a past instant (`as_of=T`): rows recorded by then and not yet withdrawn.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Sequence

from sqlalchemy import Connection, and_, or_, select

from guard.core import facts as core
from guard.core.pack import Campaign, Product
from guard.core.windows import parse_window
from guard.store import models as m

_cv = m.CustomerVersion.__table__
_cp = m.CustomerPhone.__table__
_bl = m.BlacklistEntry.__table__
_mu = m.Mute.__table__
_de = m.Deferral.__table__
_at = m.Attempt.__table__
_sc = m.Script.__table__
_pr = m.ConfigProduct.__table__
_ca = m.ConfigCampaign.__table__


def _valid(table, as_of: datetime | None):
    if as_of is None:
        return table.c.valid_to.is_(None)
    return and_(table.c.valid_from <= as_of, or_(table.c.valid_to.is_(None), table.c.valid_to > as_of))


def customer_for_phone(conn: Connection, e164: str, as_of: datetime | None = None) -> str | None:
    row = conn.execute(
        select(_cp.c.customer_id).where(_cp.c.phone_e164 == e164, _valid(_cp, as_of)).order_by(_cp.c.valid_from.desc()).limit(1)
    ).first()
    return row[0] if row else None


def customer_row(conn: Connection, customer_id: str, as_of: datetime | None = None):
    return conn.execute(
        select(_cv).where(_cv.c.customer_id == customer_id, _valid(_cv, as_of)).order_by(_cv.c.valid_from.desc()).limit(1)
    ).first()


def customer_facts_from_row(customer_id: str, row) -> core.CustomerFacts:
    if row is None:
        return core.CustomerFacts(id=customer_id)
    return core.CustomerFacts(
        id=customer_id,
        phones=tuple(row.phones or ()),
        risk_level=row.risk_level,
        risk_assessed_at=row.risk_assessed_at,
        tags=frozenset(row.tags or ()),
        windows=tuple(parse_window(w) for w in (row.windows or ())),
        timezone=row.timezone,
    )


def blacklist_entries(
    conn: Connection, phones: Sequence[str], customer_id: str | None, as_of: datetime | None = None
) -> tuple[core.BlacklistEntry, ...]:
    match = []
    if phones:
        match.append(_bl.c.phone_e164.in_(list(phones)))
    if customer_id:
        match.append(_bl.c.customer_id == customer_id)
    if not match:
        return ()
    if as_of is None:
        alive = _bl.c.removed_at.is_(None)
    else:
        alive = and_(_bl.c.added_at <= as_of, or_(_bl.c.removed_at.is_(None), _bl.c.removed_at > as_of))
    rows = conn.execute(select(_bl).where(or_(*match), alive))
    return tuple(
        core.BlacklistEntry(
            id=r.id,
            source=r.source,
            added_at=r.added_at,
            phone=r.phone_e164,
            customer_id=r.customer_id,
            reason=r.reason,
            expires_at=r.expires_at,
        )
        for r in rows
    )


def mutes(conn: Connection, customer_id: str | None, at: datetime, as_of: datetime | None = None) -> tuple[core.Mute, ...]:
    if not customer_id:
        return ()
    lifted = _mu.c.lifted_at.is_(None) if as_of is None else or_(_mu.c.lifted_at.is_(None), _mu.c.lifted_at > as_of)
    rows = conn.execute(select(_mu).where(_mu.c.customer_id == customer_id, _mu.c.ends_at > at, lifted))
    return tuple(core.Mute(id=r.id, customer_id=r.customer_id, starts_at=r.starts_at, ends_at=r.ends_at, reason=r.reason) for r in rows)


def deferrals(
    conn: Connection, phone: str | None, customer_id: str | None, at: datetime, as_of: datetime | None = None
) -> tuple[core.Deferral, ...]:
    match = []
    if phone:
        match.append(_de.c.phone_e164 == phone)
    if customer_id:
        match.append(_de.c.customer_id == customer_id)
    if not match:
        return ()
    if as_of is None:
        alive = _de.c.cancelled_at.is_(None)
    else:
        alive = and_(_de.c.created_at <= as_of, or_(_de.c.cancelled_at.is_(None), _de.c.cancelled_at > as_of))
    rows = conn.execute(select(_de).where(or_(*match), _de.c.not_before > at, alive))
    return tuple(core.Deferral(id=r.id, not_before=r.not_before, phone=r.phone_e164, customer_id=r.customer_id) for r in rows)


def attempts(
    conn: Connection, phone: str | None, customer_id: str | None, since: datetime
) -> tuple[tuple[core.Attempt, ...], tuple[core.Attempt, ...]]:
    """Attempts after `since` on the number and on the customer (later ones too: see core.caps)."""
    by_number: tuple[core.Attempt, ...] = ()
    by_customer: tuple[core.Attempt, ...] = ()
    if phone:
        rows = conn.execute(select(_at.c.at, _at.c.disposition).where(_at.c.phone_e164 == phone, _at.c.at > since))
        by_number = tuple(core.Attempt(at=r.at, disposition=r.disposition) for r in rows)
    if customer_id:
        rows = conn.execute(select(_at.c.at, _at.c.disposition).where(_at.c.customer_id == customer_id, _at.c.at > since))
        by_customer = tuple(core.Attempt(at=r.at, disposition=r.disposition) for r in rows)
    return by_number, by_customer


def has_approved_script(conn: Connection, campaign: str, as_of: datetime | None = None) -> bool:
    cond = _sc.c.approved_at.is_not(None) if as_of is None else _sc.c.approved_at <= as_of
    return conn.execute(select(_sc.c.id).where(_sc.c.campaign == campaign, cond).limit(1)).first() is not None


def configured_campaign(conn: Connection, campaign_id: str, as_of: datetime | None = None) -> Campaign | None:
    row = conn.execute(
        select(_ca.c.data).where(_ca.c.campaign_id == campaign_id, _valid(_ca, as_of)).order_by(_ca.c.valid_from.desc()).limit(1)
    ).first()
    if row is None:
        return None
    d = row.data
    return Campaign(
        id=campaign_id,
        products=tuple(d.get("products", ())),
        require_approved_script=bool(d.get("require_approved_script", False)),
        name=d.get("name"),
        pack=d.get("pack"),
    )


def configured_products(conn: Connection, codes: Sequence[str], as_of: datetime | None = None) -> dict[str, Product]:
    if not codes:
        return {}
    rows = conn.execute(select(_pr.c.code, _pr.c.data).where(_pr.c.code.in_(list(codes)), _valid(_pr, as_of)))
    return {
        r.code: Product(
            code=r.code,
            type=r.data["type"],
            risk=r.data["risk"],
            needs_risk_assessment=bool(r.data.get("needs_risk_assessment", True)),
            name=r.data.get("name"),
        )
        for r in rows
    }


def longest_window(*groups: Sequence) -> timedelta:
    longest = timedelta(0)
    for caps in groups:
        for cap in caps or ():
            longest = max(longest, cap.window)
    return longest
