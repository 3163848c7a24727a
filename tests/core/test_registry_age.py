"""The registry list's age against the 31 days the US rules allow: 16 CFR 310.4(b)(3)(iv) (69 FR 16368: "a version of
the National Do Not Call Registry obtained from the Commission no more than thirty-one (31) days prior to the date any
call is made") and 47 CFR 64.1200(c)(2)(i)(D)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from guard.core.pack_set import assemble
from guard.core.registry_age import stale_registries

PACKS = Path(__file__).resolve().parents[2] / "policies" / "packs"
NOW = datetime(2026, 12, 7, 14, 0, tzinfo=timezone.utc)


def test_a_us_pack_is_warned_of_a_registry_list_over_31_days_old_or_never_imported_and_a_chinese_pack_never():
    packs, issues, _ = assemble([(p.name, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in sorted(PACKS.glob("*.yaml"))],
                                "cn-bank")
    assert not issues
    (never,) = stale_registries(packs, {}, NOW)
    assert (never.pack, never.region, never.last_imported_at) == ("us-tcpa", "US", None)
    assert "no registry list has been imported for region US" in never.message()
    assert stale_registries(packs, {"US": NOW - timedelta(days=31)}, NOW) == []  # the 31st day still counts
    (old,) = stale_registries(packs, {"US": NOW - timedelta(days=31, seconds=1), "CN": NOW - timedelta(days=400)}, NOW)
    assert old.days == 31 and "16 CFR 310.4(b)(3)(iv)" in old.to_dict()["message"]
    # A list read in another region is not the US registry's.
    assert [s.region for s in stale_registries(packs, {"CN": NOW}, NOW)] == ["US"]
