"""Pack validation: every problem with file, key path and reason; a valid pack becomes typed values."""

from __future__ import annotations

import copy
from datetime import timedelta
from pathlib import Path

import pytest

from guard.core.pack_schema import PackError, build_pack
from tests.core.packs import BASE, make_pack


def problems(**overrides) -> list[str]:
    raw = copy.deepcopy(BASE)
    for key, value in overrides.items():
        if value is None:
            raw.pop(key)
        else:
            raw[key] = value
    with pytest.raises(PackError) as exc:
        build_pack(raw, "cn-bank-2026.4.yaml")
    return [str(i) for i in exc.value.issues]


def test_a_valid_pack_becomes_typed_values():
    pack = make_pack()
    assert pack.region == "CN" and pack.count == "attempts"
    assert [c.describe() for c in pack.caps_normal] == [
        {"scope": "number", "window": "24h", "limit": 1}, {"scope": "customer", "window": "30d", "limit": 3}
    ]
    assert pack.caps_sensitive[0].window == timedelta(days=90)
    assert pack.mute.complaints == 2 and pack.mute.for_ == timedelta(days=365)
    assert pack.deferral_default == timedelta(days=3) and pack.risk_assessment_valid_for == timedelta(days=365)
    assert pack.products["R3"].needs_risk_assessment is True and pack.products["DEP"].needs_risk_assessment is False
    assert pack.suitability == {"C1": "R1", "C2": "R2", "C3": "R3", "C4": "R4", "C5": "R5"}
    assert pack.hash.startswith("sha256:") and pack.hash == make_pack().hash
    assert make_pack(version="2").hash != pack.hash


def test_a_bad_duration_is_reported_with_its_full_key_path():
    caps = {"normal": [{"scope": "number", "window": "24h", "max": 1}, {"scope": "customer", "window": "30x", "max": 3}]}
    assert problems(caps=caps) == [
        "cn-bank-2026.4.yaml: caps.normal[1].window: '30x' is not a duration (<n>s|<n>m|<n>h|<n>d)"
    ]



def test_the_docs_example_of_a_problem_is_what_validation_prints():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "policy-packs.md").read_text(encoding="utf-8")
    shown = next(line for line in docs.splitlines() if line.startswith("error  "))
    raw = copy.deepcopy(BASE)
    raw["caps"] = {"normal": [{"scope": "number", "window": "24h", "max": 1},
                              {"scope": "customer", "window": "30 days", "max": 3}]}
    with pytest.raises(PackError) as exc:
        build_pack(raw, "cn-bank-2027.1.yaml")
    assert [f"error  {issue}" for issue in exc.value.issues] == [shown]

def test_all_problems_of_a_file_are_reported_not_just_the_first():
    found = problems(
        timezone="Mars/Olympus",
        count="calls",
        calling_windows=[{"days": "mon-fri", "from": "09:00", "to": "25:00"}],
        mute={"complaints": 0, "within": "180d", "for": "1y"},
        region=None,
    )
    assert "cn-bank-2026.4.yaml: region: is required" in found
    assert "cn-bank-2026.4.yaml: timezone: 'Mars/Olympus' is not an IANA time zone (like Asia/Shanghai)" in found
    assert "cn-bank-2026.4.yaml: count: 'calls' is not one of attempts, connected" in found
    assert any(p.startswith("cn-bank-2026.4.yaml: calling_windows[0].to: '25:00'") for p in found)
    assert "cn-bank-2026.4.yaml: mute.complaints: 0 is not a whole number >= 1" in found
    assert any(p.startswith("cn-bank-2026.4.yaml: mute.for: '1y'") for p in found)
    assert len(found) == 6


@pytest.mark.parametrize(
    "overrides,expected",
    [
        ({"calling_window": []}, "calling_window: unknown key"),
        ({"version": 2026.4}, "version: 2026.4 is not a non-empty string (quote it in YAML)"),
        ({"effective_from": "2026-10-01"}, "effective_from: '2026-10-01' is not an ISO 8601 instant with a UTC offset"),
        ({"calling_windows": [{"days": "mon-fri", "from": 900, "to": "20:00"}]}, "calling_windows[0].from: 900 is not a time of day"),
        ({"holidays": {"calendar": "XX"}}, "holidays.calendar: 'XX' is not a calendar"),
        ({"region": "ZZ"}, "region: 'ZZ' is not a known phone region"),
        ({"suitability": {"C1": "R1", "C2": "R2", "C3": "R3", "C4": "R4"}}, "suitability.C5: is required"),
        ({"suitability": {"C1": "R3", "C2": "R2", "C3": "R3", "C4": "R4", "C5": "R5"}}, "suitability: a higher customer level must not allow less"),
        ({"products": [{"code": "X", "type": "stock", "risk": "R1"}]}, "products[0].type: 'stock' is not one of"),
        ({"products": [{"code": "X", "type": "fund", "risk": "R6"}]}, "products[0].risk: 'R6' is not one of"),
        # a product above R1 cannot be matched without the customer's level (证券期货投资者适当性管理办法 第十八条,
        # 第二十二条（三）; docs/research/cn-bank-sources.md §4)
        ({"products": [{"code": "X", "type": "fund", "risk": "R2", "needs_risk_assessment": False}]},
         "products[0].needs_risk_assessment: false is allowed only for a product of risk level R1"),
        ({"campaigns": [{"id": "c", "products": ["NOPE"]}]}, "campaigns[0].products[0]: 'NOPE' is not a product of this pack"),
        ({"caps": {"normal": [{"scope": "household", "window": "1d", "max": 1}]}}, "caps.normal[0].scope: 'household' is not one of number, customer"),
        ({"caps": {"normal": [{"scope": "number", "window": "1d", "max": -1}]}}, "caps.normal[0].max: -1 is not a whole number >= 0"),
        ({"caps": {"normal": [{"scope": "number", "window": "0d", "max": 1}]}}, "caps.normal[0].window: '0d' must be longer than zero"),
        ({"caps": {"normal": []}}, "caps.normal: must not be empty"),
        ({"phrases": [{"id": "a", "code": "BANNED", "severity": "error", "patterns": ["x"], "suggestion": "y"}]}, "phrases[0].code: 'BANNED' is not one of"),
        ({"phrases": [{"id": "a", "code": "MISLEADING", "severity": "error", "patterns": [], "suggestion": "y"}]}, "phrases[0].patterns: must not be empty"),
        ({"disclosures": [{"id": "d", "product_types": ["fund", "stock"], "any_of": ["x"], "message": "m"}]}, "disclosures[0].product_types[1]: 'stock' is not a product type"),
        ({"lint": {"negation": "yes"}}, "lint.negation: 'yes' is not true or false"),
    ],
)
def test_each_kind_of_mistake_is_named(overrides, expected):
    found = problems(**overrides)
    assert any(f"cn-bank-2026.4.yaml: {expected}" in p for p in found), found


def test_a_pack_that_is_not_a_mapping_is_refused():
    with pytest.raises(PackError) as exc:
        build_pack(["not", "a", "mapping"], "x.yaml")
    assert "x.yaml" in str(exc.value)


def test_optional_keys_take_their_documented_defaults():
    pack = make_pack(mute=None, holidays=None, products=None, campaigns=None)
    assert pack.mute is None and pack.holidays is None and pack.products == {} and pack.campaigns == {}
    assert "高敏感" in pack.sensitive_tags and pack.lint_negation is True


@pytest.mark.parametrize("value, expected", [(None, timedelta(days=7)), ("3d", timedelta(days=3)), ("none", None)])
def test_the_satisfaction_callback_period_defaults_to_a_week(value, expected):
    pack = make_pack(complaints=None if value is None else {"callback": value})
    assert pack.complaint_callback == expected


def test_a_bad_callback_period_is_named():
    assert problems(complaints={"callback": "a week"})[0].startswith("cn-bank-2026.4.yaml: complaints.callback: 'a week'")


def test_a_complaint_deadline_written_in_days_is_counted_in_days_and_one_in_hours_from_the_instant():
    """`15d` is the regulation's "15日" (counted as the 民法典 counts days: to 24:00 of the last day); `24h` is 24 hours."""
    pack = make_pack(complaints={"sla": {"light": {"first_response": "2h", "resolve": "24h"},
                                         "severe": {"escalate": "30m", "resolve": "15d"}}})
    assert pack.complaint_sla["light"].in_days == frozenset() and pack.complaint_sla["light"].resolve == timedelta(hours=24)
    assert pack.complaint_sla["severe"].in_days == frozenset({"resolve"})
    assert make_pack().complaint_sla["severe"].in_days == frozenset({"resolve"})  # the default severe tier: 15 days


def test_a_timezone_naming_a_folder_of_zones_is_a_problem_of_the_file_not_a_crash():
    """zoneinfo reads "America" as a path under its data and raises IsADirectoryError (an OSError): a pack or a draft
    naming it crashed validation (a 500 on POST /v1/simulations) instead of being refused with its key."""
    found = problems(timezone="America", zone_overrides=[{"prefix": "+1850", "zones": ["America/Chicago", "America"]}])
    assert "cn-bank-2026.4.yaml: timezone: 'America' is not an IANA time zone (like Asia/Shanghai)" in found
    assert "cn-bank-2026.4.yaml: zone_overrides[0].zones[1]: 'America' is not an IANA time zone (like Asia/Shanghai)" in found
