"""The decision log: read one decision back (it is written by services.check, never changed)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from guard.core.reasons import BY_CODE
from guard.store import models as m
from guard.store.db import Store


def reason_out(reason: dict[str, Any]) -> dict[str, Any]:
    """A stored or fresh reason as the API shows it (with the Chinese message from the registry)."""
    code = reason["code"]
    return {"code": code, "message": reason["message"], "message_zh": BY_CODE[code].message_zh if code in BY_CODE else None,
            "detail": reason["detail"]}


def get_decision(store: Store, decision_id: str) -> dict[str, Any] | None:
    d = m.Decision.__table__
    with store.read() as conn:
        row = conn.execute(select(d).where(d.c.id == decision_id)).first()
    if row is None:
        return None
    return {
        "decision_id": row.id,
        "allowed": row.allowed,
        "dry_run": row.dry_run,
        "at": row.at.isoformat(),
        "recorded_at": row.evaluated_at.isoformat(),
        "phone_input": row.phone_input,
        "phone_e164": row.phone_e164,
        "customer_id": row.customer_id,
        "campaign": row.campaign,
        "product": row.product,
        "agent_id": row.agent_id,
        "reasons": [reason_out(r) for r in row.reasons],
        "next_allowed_at": row.next_allowed_at.isoformat() if row.next_allowed_at else None,
        "policy": {"pack": row.pack_id, "version": row.pack_version, "hash": row.pack_hash},
        "key_id": row.key_id,
        "request": row.request,
        "facts": row.facts,
    }
