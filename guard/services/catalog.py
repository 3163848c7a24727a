"""Products and campaigns configured through the API (versioned rows; they win over the pack's)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update

from guard.core.pack import PackSet
from guard.services.customers import InvalidField
from guard.store import models as m
from guard.store.db import Store


def _put_versioned(store: Store, table, key_col: str, key: str, data: dict[str, Any], now: datetime, key_id: str | None) -> bool:
    """Close the current row and open a new one; return whether the key is new."""
    with store.read() as conn:
        current = conn.execute(select(table).where(table.c[key_col] == key, table.c.valid_to.is_(None))).first()
        if current is not None and current.data == data:
            return False
        if current is not None:
            conn.execute(update(table).where(table.c.id == current.id).values(valid_to=now))
        conn.execute(insert(table).values({key_col: key, "valid_from": now, "valid_to": None, "data": data, "changed_by": key_id}))
        return current is None


def put_product(store: Store, code: str, data: dict[str, Any], now: datetime, key_id: str | None) -> bool:
    return _put_versioned(store, m.ConfigProduct.__table__, "code", code, data, now, key_id)


def get_product(store: Store, packs: PackSet, code: str, at: datetime) -> dict[str, Any] | None:
    with store.read() as conn:
        configured = store.queries.configured_products(store.cursor(conn), [code]).get(code)
    if configured is not None:
        return {**_product_dict(configured), "source": "api"}
    for pack_id in packs.ids():
        pack = packs.at(pack_id, at)
        if pack is not None and code in pack.products:
            return {**_product_dict(pack.products[code]), "source": f"pack:{pack.id}@{pack.version}"}
    return None


def _product_dict(p) -> dict[str, Any]:
    return {"code": p.code, "type": p.type, "risk": p.risk, "needs_risk_assessment": p.needs_risk_assessment, "name": p.name}


def put_campaign(store: Store, packs: PackSet, campaign_id: str, data: dict[str, Any], now: datetime, key_id: str | None) -> bool:
    pack_id = data.get("pack") or packs.default_id
    pack = packs.at(pack_id, now)
    if pack is None:
        raise InvalidField("pack", f"{pack_id!r} is not a loaded pack with a version in effect now")
    with store.read() as conn:
        configured = store.queries.configured_products(store.cursor(conn), data.get("products", []))
    for i, code in enumerate(data.get("products", [])):
        if code not in pack.products and code not in configured:
            raise InvalidField(f"products[{i}]", f"{code!r} is not a product of pack {pack_id} nor configured with PUT /v1/products")
    return _put_versioned(store, m.ConfigCampaign.__table__, "campaign_id", campaign_id, data, now, key_id)


def get_campaign(store: Store, packs: PackSet, campaign_id: str, at: datetime) -> dict[str, Any] | None:
    with store.read() as conn:
        configured = store.queries.configured_campaign(store.cursor(conn), campaign_id)
    if configured is not None:
        return {
            "id": campaign_id, "products": list(configured.products), "require_approved_script": configured.require_approved_script,
            "name": configured.name, "pack": configured.pack or packs.default_id, "source": "api",
        }
    pack = packs.campaign_pack(campaign_id, at)
    if pack is None:
        return None
    c = pack.campaigns[campaign_id]
    return {
        "id": c.id, "products": list(c.products), "require_approved_script": c.require_approved_script,
        "name": c.name, "pack": pack.id, "source": f"pack:{pack.id}@{pack.version}",
    }
