"""Products and campaigns configured through the API: versioned rows (a change closes the current
row and opens a new one), so the configuration at any past instant can be read back."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import insert, select, update

from guard.core.history import History
from guard.core.pack import Campaign, Product
from guard.store import models as m
from guard.store.db import Store

TABLES = {"product": (m.ConfigProduct.__table__, "code"), "campaign": (m.ConfigCampaign.__table__, "campaign_id")}


def put_versioned(store: Store, kind: str, key: str, data: dict[str, Any], now: datetime, key_id: str | None) -> bool:
    """Close the current row and open a new one (nothing when the data is the same); return whether the key is new.

    Under the key's lock: two changes at once would otherwise both read the same current row and both open one."""
    table, key_col = TABLES[kind]
    with store.locked([f"config:{kind}:{key}"]) as conn:
        current = conn.execute(select(table).where(table.c[key_col] == key, table.c.valid_to.is_(None))).first()
        if current is not None and current.data == data:
            return False
        if current is not None:
            conn.execute(update(table).where(table.c.id == current.id).values(valid_to=now))
        conn.execute(insert(table).values({key_col: key, "valid_from": now, "valid_to": None, "data": data, "changed_by": key_id}))
        return current is None


def configured_products(store: Store, codes: Sequence[str], now: datetime) -> dict[str, Product]:
    history = History()
    with store.read() as conn:
        store.facts.products_now(store.cursor(conn), history, list(codes), now)
    return {code: rows[-1].value for code, rows in history.products.items()}


def configured_campaign(store: Store, campaign_id: str, now: datetime) -> Campaign | None:
    with store.read() as conn:
        return store.facts.campaign_now(store.cursor(conn), History(), campaign_id, now)
