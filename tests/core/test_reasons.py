"""The reason-code registry matches the contract, and its generated doc is current."""

import re
from pathlib import Path

from guard.core.reasons import BY_CODE, REASONS, render_markdown

ROOT = Path(__file__).resolve().parents[2]
# SPEC §3.1's table, in order. Codes are fixed by the contract: never renamed or reordered.
CONTRACT = [
    "INVALID_NUMBER", "DNC_OPT_OUT", "DNC_REGISTRY", "MUTED", "SUITABILITY", "RISK_PROFILE_MISSING",
    "CALLBACK_DEFERRED", "QUIET_HOURS", "HOLIDAY", "CUSTOMER_WINDOW", "FREQ_CAP", "SCRIPT_NOT_APPROVED",
    "UNKNOWN_CAMPAIGN", "UNKNOWN_PRODUCT",
]


# Codes added since (SPEC §7: registered, documented, never renamed; the contract's keep their order).
ADDED = ["CUSTOMER_MISMATCH", "OUT_OF_JURISDICTION", "NUMBER_TYPE", "ZONE_UNKNOWN", "CONSENT_MISSING"]


def test_registry_lists_the_contract_codes_in_contract_order():
    codes = [r.code for r in REASONS]
    assert [c for c in codes if c in CONTRACT] == CONTRACT
    assert sorted(c for c in codes if c not in CONTRACT) == sorted(ADDED)


def test_registry_agrees_with_the_spec_table_when_the_spec_is_beside_the_repo():
    spec = ROOT.parent / "shared" / "SPEC.md"
    if not spec.exists():
        return  # the hard-coded CONTRACT above is the contract's copy
    text = spec.read_text(encoding="utf-8")
    table = text[text.index("Reason codes (stable)") : text.index("### 3.2")]
    codes = re.findall(r"`([A-Z_]+)`", table)
    assert codes == CONTRACT


def test_every_code_documents_its_details_and_resolution_in_both_languages():
    for r in REASONS:
        assert r.message and r.message_zh and r.resolution and r.detail_keys, r.code
        assert BY_CODE[r.code] is r


def test_generated_reason_doc_is_up_to_date():
    assert (ROOT / "docs" / "reasons.md").read_text(encoding="utf-8") == render_markdown()
