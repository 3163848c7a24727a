"""Any reasonable input becomes E.164; invalid input says why."""

import pytest

from guard.core.phones import parse_phone, parse_phone_once


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
        # An extension is dropped, written in Chinese as in English: the line is the number.
        ("010-88881234 ext. 8001", "CN", "+861088881234"),
        ("13800138000#123", "CN", "+8613800138000"),
        ("010-88881234转8001", "CN", "+861088881234"),
        ("13800138000转123", "CN", "+8613800138000"),
        ("138 0013 8112 转 123", "CN", "+8613800138112"),
        ("(02) 2345-6789 轉 301", "TW", "+886223456789"),
        ("010-88881234分机8001", "CN", "+861088881234"),
        ("010 8888 1234 分機：8001", "CN", "+861088881234"),
        ("010-88881234 分机号 8001", "CN", "+861088881234"),
        # 內線 (内线) and 轉分機 are the other words for an extension in Taiwan, Hong Kong and the mainland; phonenumbers
        # knows no Chinese label (_create_extn_pattern in phonenumberutil.py), so these failed to parse at all.
        ("(02)2345-6789 內線123", "TW", "+886223456789"),
        ("(02)2345-6789 轉分機 #123", "TW", "+886223456789"),
        ("2345 6789 內線 12", "HK", "+85223456789"),
        ("010-65521234 内线 8001", "CN", "+861065521234"),
        # Greater China numbers with their country code but no + (as 8613800138000 always read):
        ("85291234567", "CN", "+85291234567"),
        ("852 2812 3456", "CN", "+85228123456"),
        ("85366123456", "CN", "+85366123456"),
        ("886 912 345 678", "CN", "+886912345678"),
        ("8613800138000", "HK", "+8613800138000"),
        # ... but a mainland number stays mainland: 0886 is Nujiang's area code, written here without its 0.
        ("8863123456", "CN", "+868863123456"),
        ("08863123456", "CN", "+868863123456"),
    ],
)
def test_reasonable_inputs_normalise_to_e164(raw, region, e164):
    info = parse_phone(raw, region)
    assert info.valid and info.e164 == e164


@pytest.mark.parametrize("raw", ["", "   ", "12345", "abc", "+86 138", "+999 1234 5678", "1" * 80, "转8001", "分机 8001", "852123", "85212345678901"])
def test_invalid_inputs_are_invalid_with_a_reason(raw):
    info = parse_phone(raw, "CN")
    assert not info.valid and info.e164 is None and info.why


def test_a_number_knows_its_possible_time_zones():
    assert parse_phone("+1 208 555 0199", None).time_zones == ("America/Boise", "America/Los_Angeles")
    assert parse_phone("13800138000", "CN").time_zones == ("Asia/Shanghai",)


def test_the_cn_mobile_fast_path_agrees_with_the_full_parse_on_random_numbers():
    import random

    import phonenumbers

    from guard.core.phones import _cn_mobile, _number, _zones

    rng = random.Random(5)
    fast = 0
    for _ in range(20_000):
        nsn = "1" + "".join(rng.choice("0123456789") for _ in range(10))
        shape = rng.choice(("{n}", "+86 {n}", "0086{n}", "{a} {b} {c}", "+86-{a}-{b}-{c}", "({a}) {b}.{c}"))
        raw = shape.format(n=nsn, a=nsn[:3], b=nsn[3:7], c=nsn[7:])
        for region in ("CN", "US"):
            got = parse_phone_once(raw, region)
            n, _ = _number(raw, region)  # phonenumbers, plus the 00-prefix rule
            expected = phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164) if n is not None else None
            assert (got.valid, got.e164) == (n is not None, expected), (raw, region)
            if n is not None:
                assert got.time_zones == _zones(n)  # the library's, a +1 mobile number's by its area code
                assert got.region == phonenumbers.region_code_for_number(n)
            fast += _cn_mobile(raw, region) is not None
    assert fast > 2000  # the fast path was really taken, and agreed every time


def test_no_valid_mainland_number_is_read_as_another_countrys_for_lack_of_a_plus():
    """A string read as +852/+853/+886/+86 only when it is no mainland number, as written or after the trunk 0: every
    mainland number of a sample of every length starting 852, 853 or 886 keeps its mainland reading."""
    import random

    import phonenumbers

    rng = random.Random(7)
    for prefix in ("852", "853", "886"):
        for length in range(7, 14):
            for _ in range(3000):
                raw = prefix + "".join(rng.choice("0123456789") for _ in range(length - 3))
                mainland = any(phonenumbers.is_valid_number(phonenumbers.parse(t, "CN")) for t in (raw, "0" + raw))
                info = parse_phone_once(raw, "CN")
                if mainland:
                    assert info.valid and info.region == "CN", raw
                elif info.valid:
                    assert info.e164.startswith("+" + prefix) and info.region in ("HK", "MO", "TW"), raw


@pytest.mark.parametrize("raw, e164", [
    ("13800138000.0", "+8613800138000"),  # a spreadsheet that took the column for numbers (pandas, Excel's "General")
    ("13800138000.00", "+8613800138000"),
    ("８６１３８００１３８０００.０", "+8613800138000"),
    ("1380013800.0", None),  # ten digits: not 13800138000 with the float's 0 read as an eleventh digit
    ("+8613800138000.0", "+8613800138000"),
])
def test_a_number_written_as_a_spreadsheet_float_is_its_digits_before_the_point(raw, e164):
    from guard.core.phones import e164_of

    info = parse_phone_once(raw, "CN")
    assert info.e164 == e164 and parse_phone(raw, "CN").e164 == e164 and e164_of(raw, "CN")[0] == e164
    if e164 is None:
        assert not info.valid


def test_a_number_in_scientific_notation_is_invalid_and_says_its_digits_are_lost():
    # Excel shows 13800138001 as 1.38001E+10 and saves it so: the last digits are gone, no reading can get them back.
    info = parse_phone_once("1.38001E+10", "CN")
    assert not info.valid and "scientific notation" in info.why


def test_a_number_kept_with_a_switchboards_outside_line_prefix_is_invalid_and_says_so():
    # A PBX dials out after an access code (9, or 0 in many Chinese switchboards) and its call records keep it:
    # 913800138001 reached 13800138001. Invalid as written, it says why, so no one reads it as a number the dialer made up.
    from guard.core.phones import OUTSIDE_LINE

    for raw, region in (("913800138001", "CN"), ("9,13800138001", "CN"), ("0013800138002", "CN"), ("9013800138002", "CN"),
                        ("902195588888", "CN"), ("9 212 555 1234", "US")):
        info = parse_phone_once(raw, region)
        assert not info.valid and info.why == OUTSIDE_LINE, raw
    for raw in ("013800138002", "12345", "99999"):  # a trunk 0 before a mobile is dialled as such; no number after a 9
        assert parse_phone_once(raw, "CN").why != OUTSIDE_LINE, raw


@pytest.mark.parametrize("raw", ["", "abc", "95588", "1.38001E+10", "1.38E+10", "13800138000;13900139000", "913800138001"])
def test_every_reason_a_number_is_invalid_reads_in_chinese_as_in_english(raw):
    # A list scrubbed before a campaign names each refused entry's problem; the zh-CN and zh-TW texts of
    # INVALID_NUMBER must not fall back to the English `why` (a spreadsheet's 1.38E+10 is the commonest one).
    from guard.core.messages import reason_messages
    from guard.core.vocabularies import VOCABULARIES

    info = parse_phone_once(raw, "CN")
    assert not info.valid and info.why in VOCABULARIES["number_problems"].codes
    texts = reason_messages("INVALID_NUMBER", {"input": raw, "region": "CN", "why": info.why})
    assert info.why not in texts["zh-CN"] and info.why not in texts["zh-TW"] and info.why in texts["en"]


@pytest.mark.parametrize("raw,e164", [
    # 区号-总机号-分机号, the way Chinese forms and CRMs write a line's extension (010-88568888-6603).
    ("010-65521234-8001", "+861065521234"),
    ("0755-88888888-801", "+8675588888888"),
    ("021-5555 6666 - 8001", "+862155556666"),
    ("+86-10-65521234-6603", "+861065521234"),
    ("010-6552-1234-801", "+861065521234"),
    ("010-6552-1234", "+861065521234"),  # a hyphen inside the line groups its digits: no extension
    # Not a line with an extension: a hyphen marks none after a mobile (its digits run on, as phonenumbers reads them; a
    # marked one, 转 12 or ext. 12, is dropped as a line's is), and a head that is no valid line stays invalid.
    ("13800138000-1", None),
    ("0755-888-12", None),
    ("010-65521234-1234567", None),
])
def test_a_fixed_line_written_with_its_extension_after_a_hyphen_is_the_line(raw, e164):
    from guard.core.phones import e164_of

    assert parse_phone_once(raw, "CN").e164 == e164 and e164_of(raw, "CN")[0] == e164


@pytest.mark.parametrize("raw,e164", [
    # A note typed after the number in the same cell (本人, 办公室, a name, "mobile"): the number is the digits before it.
    ("13800138000(本人)", "+8613800138000"),
    ("13800138000（手机）", "+8613800138000"),
    ("138 0013 8000 (手机)", "+8613800138000"),
    ("13800138000 张三", "+8613800138000"),
    ("13800138000，张三", "+8613800138000"),
    ("010-65521234 办公室", "+861065521234"),
    ("13800138000 mobile", "+8613800138000"),  # not the vanity number 13800138000-662453
    # Still refused: two numbers in one cell, digits inside the note, a note that leaves no valid number.
    ("13800138000/13900139000", None),
    ("13800138000 张三 13900139000", None),
    ("1380013800 张三", None),
    ("13800138000(分行2号)", None),
])
def test_a_note_written_after_the_number_in_its_cell_is_not_part_of_it(raw, e164):
    from guard.core.phones import e164_of

    info = parse_phone_once(raw, "CN")
    assert info.e164 == e164 and e164_of(raw, "CN")[0] == e164
    if e164 is None:
        assert not info.valid and info.why


@pytest.mark.parametrize("raw", ["13800138000;13900139000", "13800138000；13900139000", "13800138000 ; 13900139000",
                                 "010-88881234;13900139000", "13800138000;85291234567"])
def test_a_cell_holding_two_numbers_joined_by_a_semicolon_is_invalid(raw):
    # phonenumbers reads what follows ";" as an extension of up to 15 digits (a phone's auto-dialled extension, see
    # _create_extn_pattern in phonenumbers/phonenumberutil.py; "x", "#" and "~" up to 9), so two numbers joined as CRMs
    # join a multi-valued field read as the first alone: the second (the number called, or the one that opted out) was
    # lost without a word.
    info = parse_phone_once(raw, "CN")
    assert not info.valid and info.e164 is None and "two numbers" in info.why, info
    # a short extension after ";" is still an extension of the line
    assert parse_phone_once("010-88881234;8001", "CN").e164 == "+861088881234"


def test_a_listed_number_given_as_ten_bare_digits_that_read_as_a_north_american_one_is_not_guessed():
    # The FTC's National Do Not Call Registry files give each number as its area code and 7 digits, no +1
    # (telemarketing.donotcall.gov, "What kinds of files are downloaded?"); the same ten digits are a mainland landline
    # written without its trunk prefix 0 (020 2555 0123). An import reads neither: it asks for the country.
    from guard.core.phones import listed_e164

    e164, why = listed_e164("2025550123", "CN")
    assert e164 is None and "020 2555 0123" in why and "+1 202-555-0123" in why
    assert listed_e164("2025550123", "US") == ("+12025550123", None)
    assert listed_e164("(212) 555-0123", "US") == ("+12125550123", None)
    # Written as the mainland writes them, or no North American number: read as before.
    for raw, e164 in [("020 2555 0123", "+862025550123"), ("+86 20 2555 0123", "+862025550123"), ("13800138000", "+8613800138000"),
                      ("1012345678", "+861012345678"), ("+1 202 555 0123", "+12025550123"), ("862025550123", "+862025550123")]:
        assert listed_e164(raw, "CN") == (e164, None), raw


@pytest.mark.parametrize("raw,region,e164,extension", [
    ("(212) 555-0123 x45", "US", "+12125550123", "45"), ("010-65521234转8001", "CN", "+861065521234", "8001"),
    ("(02)2345-6789 內線123", "TW", "+886223456789", "123"), ("010-65521234-8001", "CN", "+861065521234", "8001"),
    ("010-65521234 分机 8001 张三", "CN", "+861065521234", "8001"), ("010-65521234", "CN", "+861065521234", None),
    # A dial string's pause or wait before the extension's digits (RFC 2806 post-dial "p" / "w"; phones and CDRs write
    # 2125550123p45): phonenumbers dropped the letter and read +1212555012345, no valid number, not the line.
    ("2125550123p45", "US", "+12125550123", "45"), ("(212) 555-0123 ,W45", "US", "+12125550123", "45"),
    ("010-65521234pp8001", "CN", "+861065521234", "8001"),
    # A mobile written with a marked extension is the mobile, as phonenumbers parses it (parse("13800138000 ext. 12", "CN"):
    # a valid MOBILE with extension "12"): an extension is never part of an E.164 number (ITU-T E.164 numbers the line;
    # what is dialled after it is no digit of it), whatever the number's type. Only a bare hyphen does not mark one on a
    # mobile (13800138000-1 stays invalid, above).
    ("138-0013-8000 转 12", "CN", "+8613800138000", "12"), ("13800138000 ext. 12", "CN", "+8613800138000", "12"),
])
def test_a_number_written_with_an_extension_is_its_line_and_says_the_extension(raw, region, e164, extension):
    from guard.core.phones import e164_of

    info = parse_phone_once(raw, region)
    assert info.valid and info.e164 == e164 and info.extension == extension and e164_of(raw, region)[0] == e164


def test_an_excel_text_formula_around_a_line_and_its_extension_is_read_as_the_number_written():
    # CRM exports write ="010-65521234-8001" so Excel keeps the leading 0 (a text formula: its value is the quoted text).
    # The plain cell was read as +861065521234 ext. 8001; the wrapped one was INVALID_NUMBER.
    p = parse_phone_once('="010-65521234-8001"', "CN")
    assert (p.valid, p.e164, p.extension) == (True, "+861065521234", "8001")
