"""Packs for core tests, built through the real validator from plain mappings."""

from __future__ import annotations

import copy
from typing import Any

from guard.core.pack import Pack
from guard.core.pack_schema import build_pack

BASE: dict[str, Any] = {
    "id": "t",
    "version": "1",
    "effective_from": "2026-01-01T00:00:00+08:00",
    "country": "CN",
    "region": "CN",
    "timezone": "Asia/Shanghai",
    "calling_windows": [
        {"days": "mon-fri", "from": "09:00", "to": "20:00"},
        {"days": "sat-sun", "from": "10:00", "to": "18:00"},
    ],
    "holidays": {"calendar": "CN", "block": True},
    "caps": {
        "normal": [{"scope": "number", "window": "24h", "max": 1}, {"scope": "customer", "window": "30d", "max": 3}],
        "sensitive": [{"scope": "customer", "window": "90d", "max": 1}],
    },
    "mute": {"complaints": 2, "within": "180d", "for": "365d"},
    "products": [
        {"code": "DEP", "type": "deposit", "risk": "R1", "needs_risk_assessment": False},
        {"code": "R2", "type": "wealth", "risk": "R2"},
        {"code": "R3", "type": "wealth", "risk": "R3"},
        {"code": "R5", "type": "fund", "risk": "R5"},
    ],
    "campaigns": [
        {"id": "dep", "products": ["DEP"]},
        {"id": "wm", "products": ["R3"]},
        {"id": "mix", "products": ["R2", "R3"]},
        {"id": "scripted", "products": ["DEP"], "require_approved_script": True},
    ],
}


def make_pack(**overrides: Any) -> Pack:
    raw = copy.deepcopy(BASE)
    for key, value in overrides.items():
        if value is None:
            raw.pop(key, None)
        else:
            raw[key] = value
    return build_pack(raw, "test.yaml")
