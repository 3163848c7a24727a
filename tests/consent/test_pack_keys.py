"""The pack keys `purposes` and `consent`: validated with file, key path and reason."""

from __future__ import annotations

from datetime import timedelta

from guard.core.pack import ALWAYS_BINDING
from tests.core.packs import make_pack
from tests.core.test_pack_schema import problems


def test_purposes_name_registered_reason_codes_and_never_marketing():
    found = problems(purposes={"marketing": {"rules": ["QUIET_HOURS"]}, "service": {"rules": ["QUIET_HOURS", "QUIET_HOUR"]}})
    assert "cn-bank-2026.4.yaml: purposes.marketing: unknown key (expected one of service)" in found
    assert "cn-bank-2026.4.yaml: purposes.service.rules[1]: 'QUIET_HOUR' is not a registered reason code" in found
    assert problems(purposes={"service": {}}) == ["cn-bank-2026.4.yaml: purposes.service.rules: is required"]


def test_a_service_purpose_binds_its_rules_and_those_that_always_bind():
    pack = make_pack(purposes={"service": {"rules": ["QUIET_HOURS"]}})
    assert pack.binding("service") == frozenset({"QUIET_HOURS"}) | ALWAYS_BINDING
    assert pack.binding("marketing") is None
    assert make_pack().binding("service") is None, "a pack that says nothing binds service calls by every rule (fail closed)"
    both = make_pack(purposes={"service": {"rules": ["QUIET_HOURS"]}}, consent={"required_for": ["marketing", "service"]})
    assert "CONSENT_MISSING" in both.binding("service"), "consent required for service calls binds them whatever `purposes` lists"


def test_the_consent_rule_is_validated():
    found = problems(consent={"required_for": ["marketing", "sales"], "scopes": ["fax"], "max_age": "2y"})
    assert "cn-bank-2026.4.yaml: consent.required_for[1]: 'sales' is not one of marketing, service" in found
    assert "cn-bank-2026.4.yaml: consent.scopes[0]: 'fax' is not one of phone, sms" in found
    assert any(f.startswith("cn-bank-2026.4.yaml: consent.max_age: ") for f in found)
    assert problems(consent={"scopes": ["phone"]}) == ["cn-bank-2026.4.yaml: consent.required_for: is required"]
    rule = make_pack(consent={"required_for": ["marketing"], "max_age": "730d"}).consent
    assert rule.required_for == {"marketing"} and rule.scopes == {"phone"} and rule.max_age == timedelta(days=730)


def test_the_documented_example_with_consent_on_validates_beside_the_shipped_packs(tmp_path):
    import shutil
    from pathlib import Path

    from policies.loader import validate_path
    from tests.conftest import PACKS

    example = Path(PACKS).parent / "examples" / "us-tcpa-pewc-2026.1.yaml"
    target = tmp_path / "packs"
    shutil.copytree(PACKS, target)
    shutil.copy(example, target)
    report = validate_path(target, "cn-bank")
    assert report.ok, report.issues
    pack = report.packs.timelines["us-tcpa-pewc"].newest()
    assert pack.consent.required_for == {"marketing"} and pack.consent.max_age is None and "64.1200" in pack.consent.source
    assert report.packs.timelines["cn-bank"].newest().consent is None, "off in the default pack"
