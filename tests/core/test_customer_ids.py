"""One spelling per customer id: Unicode UAX #15 (NFKC), UAX #31 §5 and UTS #39 §3 (no Default_Ignorable_Code_Point)."""

from __future__ import annotations

from guard.core.calllog import check_row
from guard.core.ids import NOT_CANONICAL, canonical_id, id_problem

# Each spells the customer C100 as a dialer's, a CRM's or a spreadsheet's system may: full-width (UAX #15 compatibility
# equivalent), zero-width space, word joiner, BOM, soft hyphen, a right-to-left mark (all Default_Ignorable_Code_Point).
VARIANTS = ["Ｃ１００", "C\u200b100", "C100\u2060", "\ufeffC100", "C\u00ad100", "C100\u200f"]


def test_every_variant_of_an_id_is_refused_as_given_and_read_as_the_one_canonical_id():
    for variant in VARIANTS:
        assert id_problem(variant) == NOT_CANONICAL, repr(variant)
        assert canonical_id(variant) == "C100", repr(variant)
    assert id_problem("cafe\u0301") == NOT_CANONICAL and canonical_id("cafe\u0301") == "caf\u00e9"  # NFD -> NFC


def test_ids_that_differ_in_case_or_leading_zeros_stay_distinct_customers():
    for distinct in ("C100", "c100", "C0100", "客户100", "caf\u00e9"):
        assert id_problem(distinct) is None and canonical_id(distinct) == distinct
    assert id_problem("C100\u00a0") is not None and id_problem("C 100") is not None


def test_a_call_log_row_spelling_the_id_full_width_is_judged_as_the_customer_the_guard_holds():
    row = {"call_id": "1", "phone": "13800138000", "called_at": "2026-11-23T10:00:00+08:00", "campaign": "dep-2026q4",
           "customer_id": "Ｃ１００\u200b"}
    call, why = check_row(2, row)
    assert why is None and call.customer_id == "C100"
