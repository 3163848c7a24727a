"""Any reasonable input becomes E.164; invalid input says why."""

import pytest

from guard.core.phones import parse_phone


@pytest.mark.parametrize(
    "raw,region,e164",
    [
        ("138 0013 8000", "CN", "+8613800138000"),
        ("138-0013-8000", "CN", "+8613800138000"),
        ("(138) 0013 8000", "CN", "+8613800138000"),
        ("+86 138 0013 8000", None, "+8613800138000"),
        ("008613800138000", "CN", "+8613800138000"),
        ("0086 138 0013 8000", "US", "+8613800138000"),  # 00 is not the US international prefix
        ("１３８００１３８０００", "CN", "+8613800138000"),  # full-width digits
        ("１３８\u200b００１３\u00a0８０００", "CN", "+8613800138000"),  # zero-width and no-break spaces
        ("tel:+86-138-0013-8000", None, "+8613800138000"),
        ("+1 (212) 555-0123", "CN", "+12125550123"),
        ("212.555.0123", "US", "+12125550123"),
        ("010 6552 9988", "CN", "+861065529988"),
    ],
)
def test_reasonable_inputs_normalise_to_e164(raw, region, e164):
    info = parse_phone(raw, region)
    assert info.valid and info.e164 == e164


@pytest.mark.parametrize("raw", ["", "   ", "12345", "abc", "+86 138", "+999 1234 5678", "1" * 80])
def test_invalid_inputs_are_invalid_with_a_reason(raw):
    info = parse_phone(raw, "CN")
    assert not info.valid and info.e164 is None and info.why


def test_a_number_knows_its_possible_time_zones():
    assert parse_phone("+1 208 555 0199", None).time_zones == ("America/Boise", "America/Los_Angeles")
    assert parse_phone("13800138000", "CN").time_zones == ("Asia/Shanghai",)
