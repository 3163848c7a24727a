"""The decision log: read one decision back (it is written by the check, services.calls.check, never changed)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from guard.core.phones import mask_phone
from guard.core.messages import reason_messages
from guard.store import decisions as decision_store
from guard.store.db import Store
from guard.store.paging import newest_page


def reason_out(reason: dict[str, Any], pack_id: str | None = None, chinese: str = "zh-CN",
               messages: dict[str, str] | None = None) -> dict[str, Any]:
    """A stored or fresh reason as the API shows it: `message` as recorded (English), `messages` in zh-CN,
    zh-TW and en rendered from its detail (guard.core.messages), `message_zh` the Chinese of the pack's
    users (`chinese`: zh-TW for Taiwan, Hong Kong and Macau packs)."""
    code = reason["code"]
    messages = messages or reason_messages(code, reason.get("detail") or {}, pack_id)
    return {"code": code, "message": reason["message"], "message_zh": messages[chinese], "messages": messages,
            "detail": reason["detail"]}


@dataclass(frozen=True)
class Viewer:
    """Who reads the decision log, and so what a decision shows them: operators and auditors see
    its facts (customer profiles, blacklist entries …); a dialer sees what was sent and the answer,
    and for decisions another key asked for, the numbers masked."""

    key_id: str | None
    sees_facts: bool
    traditional_packs: frozenset[str] = frozenset()  # pack ids whose users read traditional Chinese

    def view(self, row: Any, fallback_zone: str) -> dict[str, Any]:
        out = _view(row, fallback_zone, "zh-TW" if row.pack_id in self.traditional_packs else "zh-CN")
        if self.sees_facts:
            return out
        out["facts"] = None
        if row.key_id != self.key_id:
            out["phone_input"], out["phone_e164"] = mask_phone(row.phone_input), mask_phone(row.phone_e164)
            out["request"] = None
            # The reasons name numbers too (a blacklist entry's, a consent's; an invalid number's input as typed).
            out["reasons"] = _masked(out["reasons"], (row.phone_input or "").strip())
        return out


_E164 = re.compile(r"\+\d{7,15}")


def _masked(value: Any, typed: str) -> Any:
    """`value` (JSON) with every number in its strings masked: E.164 numbers, and the input as the dialer typed it."""
    if isinstance(value, str):
        if typed and sum(c.isdigit() for c in typed) >= 4 and typed in value:
            value = value.replace(typed, mask_phone(typed) or "")
        return _E164.sub(lambda m: mask_phone(m.group()) or "", value)
    if isinstance(value, list):
        return [_masked(v, typed) for v in value]
    if isinstance(value, dict):
        return {k: _masked(v, typed) for k, v in value.items()}
    return value


FULL_VIEW = Viewer(None, True)


def outcome_view(oc: Any) -> dict[str, Any] | None:
    """The outcome reported on a decision, as the decision log shows it beside the decision (None: none reported)."""
    if oc is None:
        return None
    return {"disposition": oc.disposition, "ended_at": oc.ended_at.isoformat() if oc.ended_at else None,
            "reported_at": oc.reported_at.isoformat(), "effects": oc.effects}


def get_decision(store: Store, decision_id: str, fallback_zone: str = "Asia/Shanghai", viewer: Viewer = FULL_VIEW) -> dict[str, Any] | None:
    """One decision, with the outcome reported on it (the lookup by decision id shows whether the call was made)."""
    row, oc = decision_store.get_with_outcome(store, decision_id)
    if row is None:
        return None
    view = viewer.view(row, fallback_zone)
    view["outcome"] = outcome_view(oc)
    return view


def search_decisions(store: Store, phone: str | None, customer_id: str | None, limit: int, before: datetime | None,
                     fallback_zone: str = "Asia/Shanghai", viewer: Viewer = FULL_VIEW) -> list[dict[str, Any]]:
    """The newest decisions for a number or a customer (newest first), with their outcome if reported."""
    return search_page(store, phone, customer_id, limit, before, None, fallback_zone, viewer)[0]


def search_page(store: Store, phone: str | None, customer_id: str | None, limit: int, before: datetime | None,
                before_id: str | None, fallback_zone: str = "Asia/Shanghai",
                viewer: Viewer = FULL_VIEW) -> tuple[list[dict[str, Any]], dict[str, str] | None]:
    """A page of a number's or customer's decisions (newest first) and where the next page starts
    (`before` and `before_id` of its last decision), None when no decision is left."""
    rows, outcomes = decision_store.search(store, phone, customer_id, limit + 1, before, before_id)
    rows, following = newest_page(rows, limit, lambda r: r.at)
    out = []
    for row in rows:
        view = viewer.view(row, fallback_zone)
        view["outcome"] = outcome_view(outcomes.get(row.id))
        out.append(view)
    return out, following


def callee_zone(facts: dict[str, Any], fallback: str) -> str:
    """The zone the decision was judged in, read back from its logged facts (see core.decide.callee_zones)."""
    if facts.get("zone"):
        return facts["zone"]
    customer = facts.get("customer") or {}
    if customer.get("timezone"):
        return customer["timezone"]
    zones = (facts.get("phone") or {}).get("time_zones") or []
    return zones[0] if zones else fallback


def _local(row: Any, fallback: str) -> dict[str, Any]:
    zone = ZoneInfo(callee_zone(row.facts or {}, fallback))
    return {
        "timezone": zone.key,
        "at": row.at.astimezone(zone).isoformat(),
        "next_allowed_at": row.next_allowed_at.astimezone(zone).isoformat() if row.next_allowed_at else None,
    }


def _view(row: Any, fallback_zone: str, chinese: str = "zh-CN") -> dict[str, Any]:
    return {
        "local": _local(row, fallback_zone),
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
        "reasons": [reason_out(r, row.pack_id, chinese) for r in row.reasons],
        "next_allowed_at": row.next_allowed_at.isoformat() if row.next_allowed_at else None,
        "policy": {"pack": row.pack_id, "version": row.pack_version, "hash": row.pack_hash},
        "key_id": row.key_id,
        "request": row.request,
        "facts": row.facts,
    }
