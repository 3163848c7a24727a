"""Phone numbers: any reasonable input to E.164, and the callee's possible time zones.

phonenumbers is a pure library (metadata compiled into the package), so it belongs in the core.
Parsing costs tens of microseconds, so results are memoised by (input, region): list scrubbing
sees the same strings many times and the hot path sees the same numbers again and again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import timezone as phone_timezone

_UNKNOWN_ZONE = "Etc/Unknown"
NON_GEOGRAPHIC = "001"  # the "region" of numbers of no country (+800 freephone, +870 Inmarsat, +979 …)
# Characters people and spreadsheets put in numbers that phonenumbers does not skip itself.
_STRIP = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00a0\u3000"), " ")
# Chinese extension markers (010-88881234转8001, 分机: 8001, Taiwan's and Hong Kong's 內線 123 and 轉分機 #123), read as
# phonenumbers reads "ext." and "#": the extension is dropped and the number is the line's, so an entry on the line
# blocks it with any extension. The library knows no Chinese label (its _create_extn_pattern, phonenumbers 9.0: ext,
# extn, extension, ｅｘｔ, доб, anexo, and x, #, ~, int), so a number written with one failed to parse at all.
_EXTENSION = re.compile(r"\s*(?:[转轉]\s*(?:分[机機][号號]?)?|分[机機][号號]?|[內内][线線][号號]?)\s*[:#]?\s*(?=\d)")
# A dial string's pause (p) and wait (w) before the digits a phone or dialer sends once the line answers (RFC 2806's
# post-dial sequence, tel:+1-212-555-0123;postd=pp45; phones' contacts and CDRs write 2125550123p45 or w45): read as the
# extension they dial. phonenumbers drops the letter and reads the digits as the number's own (+1212555012345, no valid
# number), so a call to a listed line's extension was judged no valid number instead of the listed line.
_POST_DIAL = re.compile(r"(?<=\d)\s*[,;]*\s*[pw][pw,;]*\s*(?=\d+$)", re.IGNORECASE)


# A spreadsheet that took a number column for numbers writes 13800138000 as 13800138000.0 (pandas, a float): the
# point and its zeros are no digits of the number. phonenumbers reads the point as a separator and the zeros as
# digits, so 1380013800.0 (ten digits, no valid number) would pass for 13800138000, another customer's.
_FLOAT_TAIL = re.compile(r"(\+?\d+)\.0+")
# Excel shows a long number as 1.38001E+10 and saves it so when the column is "General": its last digits are lost.
# Excel's text formula ="010-65521234-8001", written by CRM exports so a spreadsheet keeps a number's leading 0: its value
# is the text between the quotes. phonenumbers skips the wrapper on its own, but the forms read here (an extension after
# one more hyphen, a note) are matched against the whole cell, so the wrapper is dropped first.
_EXCEL_TEXT = re.compile(r'=\s*"([^"]*)"')
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+")


def in_scientific_notation(raw: str) -> bool:
    """Whether `raw` is a number as a spreadsheet shows a long one (1.38001E+10): its last digits are lost."""
    return _SCIENTIFIC.fullmatch(unicodedata.normalize("NFKC", raw).strip()) is not None


def _unfloat(text: str) -> str:
    """`text` without a spreadsheet float's ".0" tail (13800138000.0 -> 13800138000)."""
    m = _FLOAT_TAIL.fullmatch(text.strip())
    return m.group(1) if m else text


def _clean(raw: str) -> str:
    """The input as phonenumbers is given it: NFKC (full-width digits), invisible characters and odd spaces
    as spaces, Excel's ="…" text formula unwrapped, a Chinese extension marker or a dial string's pause as "ext.", a tel: prefix
    dropped, a spreadsheet float's ".0" dropped."""
    text = unicodedata.normalize("NFKC", raw).translate(_STRIP).strip()
    excel = _EXCEL_TEXT.fullmatch(text)
    if excel is not None:
        text = excel.group(1).strip()
    text = _EXTENSION.sub(" ext. ", text).strip()
    text = _POST_DIAL.sub(" ext. ", text)
    return _unfloat(text[4:] if text.lower().startswith("tel:") else text)


@dataclass(frozen=True, slots=True)
class PhoneInfo:
    raw: str
    valid: bool
    e164: str | None = None
    region: str | None = None  # the number's region; for an invalid one, the region it was read in (the default region)
    time_zones: tuple[str, ...] = ()
    why: str | None = None
    kind: str = "unknown"  # the number's type (see NUMBER_KINDS): mobile, fixed_line, toll_free, shared_cost …
    state: str | None = None  # the US state (or other country's subdivision) the number is tied to, when known
    extension: str | None = None  # the extension written after the line (ext. 45, 转8001, 010-65521234-8001), not in e164


# phonenumbers' PhoneNumberType values, by name (what a pack's `numbers.deny_types` lists).
NUMBER_KINDS = {
    0: "fixed_line", 1: "mobile", 2: "fixed_line_or_mobile", 3: "toll_free", 4: "premium_rate", 5: "shared_cost", 6: "voip",
    7: "personal_number", 8: "pager", 9: "uan", 10: "voicemail", 99: "unknown",
}


@dataclass(frozen=True)
class NumberRange:
    """A range of numbers valid for the pack that the library does not know yet (a new allocation)."""

    prefix: str  # E.164 prefix, like +86149
    length: int  # digits of the national significant number
    kind: str = "mobile"
    zones: tuple[str, ...] = ()


def _try_parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


# Fast path for the commonest input by far, a mainland-China mobile number (138 0013 8000,
# +86 138-0013-8000, 008613800138000): checked against the same metadata pattern phonenumbers
# uses (its CN mobile national-number pattern), so the answer is the one phonenumbers would give
# (a test compares the two on random numbers); anything else takes the full parse.
_CN_MOBILE = re.compile(phonenumbers.PhoneMetadata.metadata_for_region("CN").mobile.national_number_pattern)
_CN_SHAPE = re.compile(r"(?:\+86|0086)?(1\d{10})")
_SEPARATORS = str.maketrans("", "", " -.()\t")
_CN_ZONES = ("Asia/Shanghai",)


def _cn_mobile(raw: str, region: str | None) -> str | None:
    """The national number when `raw` is plainly a valid CN mobile number, else None."""
    text = _unfloat(raw).strip().translate(_SEPARATORS)
    m = _CN_SHAPE.fullmatch(text)
    if m is None or (region != "CN" and not text.startswith(("+86", "0086"))):
        return None
    nsn = m.group(1)
    return nsn if _CN_MOBILE.fullmatch(nsn) else None


# Greater China's country codes, which lists written on either side of the border give without + or 00
# (85291234567 beside 8613800138000).
_BARE_CODES = frozenset({86, 852, 853, 886})


def _bare_international(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    """`text` read as +`text` when that is a valid number of _BARE_CODES and `text` is no number of `region`, neither
    as written nor after the region's trunk prefix: a mainland fixed line written without its 0 stays mainland
    (0886 is Nujiang's area code), and none of +852, +853 or +886's numbers reads as a valid mainland one."""
    if not text[:1].isdigit() or text.startswith("0"):
        return None
    number = _try_parse("+" + text, None)
    if number is None or number.country_code not in _BARE_CODES or not phonenumbers.is_valid_number(number):
        return None
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region) if region else None
    for national in (text, (meta.national_prefix or "") + text if meta else text):
        local = _try_parse(national, region)
        if local is not None and phonenumbers.is_valid_number(local):
            return None
    return number


# 区号-总机号-分机号: Chinese forms and CRM exports write a line's extension after one more hyphen (010-88568888-6603).
# phonenumbers reads those digits as the number's own, so the whole is invalid; the line before them is the number, as
# with 转 or ext. (a hyphen inside the line, 010-6552-1234, is a valid whole and never gets here).
_HYPHEN_EXTENSION = re.compile(r"(.*\d)\s*[-‐‑–—－]\s*(\d{1,6})")
_LINE_KINDS = (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def _line_before_extension(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    """The mainland fixed line of `text` written as line-extension, else None. A hyphen marks no extension after a
    mobile number (13800138000-1: its digits run on, as phonenumbers reads them); a marked one (转 12, ext. 12) is
    dropped from a mobile as from a line, before this."""
    m = _HYPHEN_EXTENSION.fullmatch(text)
    if m is None:
        return None
    number = _try_parse(m.group(1), region)
    if number is None and m.group(1).startswith("00"):
        number = _try_parse("+" + m.group(1)[2:], None)
    if (number is None or number.country_code != 86 or not phonenumbers.is_valid_number(number)
            or phonenumbers.number_type(number) not in _LINE_KINDS):
        return None
    number.extension = m.group(2)
    return number


# A note typed after the number in its cell (13800138000(本人), 010-65521234 办公室, 13800138000 张三): letters and no digit
# after the number's last digit. phonenumbers fails on it, or reads Latin letters as keypad digits (mobile -> 662453).
_TRAILING_NOTE = re.compile(r"(.*\d)([^\d]*[^\W\d_][^\d]*)")


def _before_note(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    """The valid number written before a note that ends `text`, else None."""
    m = _TRAILING_NOTE.fullmatch(text)
    if m is None:
        return None
    number = _try_parse(m.group(1), region)
    if (number is None or not phonenumbers.is_valid_number(number)) and m.group(1).startswith("00"):
        number = _try_parse("+" + m.group(1)[2:], None)
    if number is None or not phonenumbers.is_valid_number(number):
        number = _line_before_extension(m.group(1), region)
    return number if number is not None and phonenumbers.is_valid_number(number) else None


def _number(raw: str, region: str | None, bare: bool = True) -> tuple[phonenumbers.PhoneNumber | None, str | None]:
    """The parsed, valid number, or None and why not; `bare`: also a Greater China number written without + or 00."""
    text = _clean(raw)
    if not text or len(text) > 64:
        return None, "empty or too long"
    if _SCIENTIFIC.fullmatch(text):
        return None, ("written in scientific notation, as a spreadsheet shows a long number: its last digits are lost; "
                      "export the column as text")
    region = region.upper() if region else None
    number = _try_parse(text, region)
    if (number is None or not phonenumbers.is_valid_number(number)) and text.startswith("00"):
        # "00" is the international prefix almost everywhere, but not in the default region
        # (e.g. NANP dials 011), so phonenumbers did not read it as one.
        number = _try_parse("+" + text[2:], None) or number
    if (number is None or not phonenumbers.is_valid_number(number)) and bare:
        number = _bare_international(text, region) or number
    if number is None or not phonenumbers.is_valid_number(number):
        number = _line_before_extension(text, region) or _before_note(text, region) or number
    if (number is None or not phonenumbers.is_valid_number(number)) and _after_access_code(text, region) is not None:
        return None, OUTSIDE_LINE
    if number is None:
        return None, "cannot be parsed as a phone number"
    if not phonenumbers.is_valid_number(number):
        return None, "not a valid number for its country"
    if number.extension and _is_a_number(number.extension, region):
        # phonenumbers reads up to 15 digits after ";" as an extension (a phone's auto-dialled one), so a cell holding two
        # numbers as CRMs join them (13800138000;13900139000) would read as the first one alone, and the second (the
        # number called, or the one that opted out) would be lost without a word.
        return None, TWO_NUMBERS
    return number, None


TWO_NUMBERS = "holds two numbers (one after ;): give one number"  # the `number_problems` term of a cell of two numbers
# The `number_problems` term of a number dialled through a switchboard with its outside-line access code kept.
OUTSIDE_LINE = "a valid number after a leading 9 or 0, a switchboard's outside-line prefix: give the number without it"

# A PBX dials out after an access code, 9 (Avaya, Cisco and most switchboards) or 0 (many Chinese ones), and its call
# records keep it in the number dialled (913800138000, 9,13800138000 with the dial string's pause, 0013800138000 for
# 0 then the trunk's 0 before a mobile). The call went to the number after it; read as written, the number is
# invalid, and a check or an audit would look at no blacklist, cap or consent of the number the call reached.
_ACCESS_CODE = re.compile(r"[90][\s,\-]*(\d.*)")


def _after_access_code(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    """The valid number of `region` that `text`, itself no valid number, gives after a leading access code 9 or 0."""
    m = _ACCESS_CODE.fullmatch(text)
    if m is None or region is None:
        return None
    number = _try_parse(m.group(1), region)
    return number if number is not None and phonenumbers.is_valid_number(number) else None


def _is_a_number(digits: str, region: str | None) -> bool:
    """Whether an extension's digits are a whole number of `region` (or a Greater China one written without +)."""
    if len(digits) < 7:  # an extension, never a number of its own
        return False
    number = _try_parse(digits, region)
    return (number is not None and phonenumbers.is_valid_number(number)) or _bare_international(digits, region) is not None


def parse_phone_once(raw: str, default_region: str | None, ranges: tuple[NumberRange, ...] = ()) -> PhoneInfo:
    """`parse_phone` without the memo, for bulk work that sees each string once (it would only flush the memo)."""
    nsn = _cn_mobile(raw, default_region.upper() if default_region else None)
    if nsn is not None:
        return PhoneInfo(raw=raw, valid=True, e164="+86" + nsn, region="CN", time_zones=_CN_ZONES, kind="mobile")
    # A pack's own ranges are tried before a number written without + is read as another country's.
    number, why = _number(raw, default_region, bare=not ranges)
    if number is None and ranges:
        extra = _in_ranges(raw, default_region, ranges)
        if extra is not None:
            return extra
        number, why = _number(raw, default_region)
    if number is None:
        return PhoneInfo(raw=raw, valid=False, why=why, region=default_region.upper() if default_region else None)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    zones = _zones(number)
    region = phonenumbers.region_code_for_number(number)
    return PhoneInfo(
        raw=raw,
        valid=True,
        e164=e164,
        region=region,
        time_zones=zones,
        kind=NUMBER_KINDS.get(phonenumbers.number_type(number), "unknown"),
        state=_us_state(number) if region == "US" else None,
        extension=number.extension or None,
    )


def _zones(number: phonenumbers.PhoneNumber) -> tuple[str, ...]:
    """The zones the library gives the number; a North American mobile number gets its area code's.

    phonenumbers treats a mobile number as geographic only in the few countries it lists (_GEO_MOBILE_COUNTRIES,
    +1 not among them), and gives any other the zones of its whole country code: for +1, every zone of the North
    American Numbering Plan from Pacific/Guam (UTC+10) to Pacific/Pago_Pago (UTC-11). Where the plan's metadata tells
    mobile from fixed numbers (American Samoa, Jamaica, the Bahamas …) a mobile number was so judged in 42 zones at
    once, whose calling windows never all meet. Mobile numbers of the plan are assigned within an area code as fixed
    ones are, each area code to one place (NANPA), so the library's own zones for the number's prefix are the answer
    (684 -> Pacific/Pago_Pago); a non-geographic code (800, 500 …) still gets every zone of the plan."""
    if number.country_code == 1 and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE:
        found = phone_timezone.time_zones_for_geographical_number(number)
    else:
        found = phone_timezone.time_zones_for_number(number)
    return tuple(z for z in found if z != _UNKNOWN_ZONE)


def _in_ranges(raw: str, default_region: str | None, ranges: tuple[NumberRange, ...]) -> PhoneInfo | None:
    """A number the library calls invalid but a pack's range makes valid."""
    text = _clean(raw)
    number = _try_parse(text, default_region.upper() if default_region else None)
    if number is None and text.startswith("00"):
        number = _try_parse("+" + text[2:], None)
    if number is None:
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    nsn = phonenumbers.national_significant_number(number)
    for r in ranges:
        if e164.startswith(r.prefix) and len(nsn) == r.length:
            return PhoneInfo(raw=raw, valid=True, e164=e164, region=phonenumbers.region_code_for_country_code(number.country_code),
                             time_zones=r.zones, kind=r.kind)
    return None


# US state names as phonenumbers' geocoder writes them ("Florida", or "New York, NY" for a city; "Washington State"
# for Washington's area codes 206, 253, 360, 425, 509 and 564, "Washington D.C." for 202).
_US_STATES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA", "Colorado": "CO", "Connecticut": "CT",
    "Delaware": "DE", "District of Columbia": "DC", "Washington D.C.": "DC", "Florida": "FL", "Georgia": "GA", "Hawaii": "HI",
    "Idaho": "ID", "Illinois": "IL", "Indiana": "IN", "Iowa": "IA", "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA", "Maine": "ME",
    "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI", "Minnesota": "MN", "Mississippi": "MS", "Missouri": "MO",
    "Montana": "MT", "Nebraska": "NE", "Nevada": "NV", "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM",
    "New York": "NY", "North Carolina": "NC", "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR",
    "Pennsylvania": "PA", "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD", "Tennessee": "TN", "Texas": "TX",
    "Utah": "UT", "Vermont": "VT", "Virginia": "VA", "Washington": "WA", "Washington State": "WA", "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY",
}
_US_CODES = frozenset(_US_STATES.values())


def _us_state(number: phonenumbers.PhoneNumber) -> str | None:
    """The state a US number's area code (and exchange) is tied to, from phonenumbers' geocoder."""
    from phonenumbers import geocoder

    return _state_of_place(geocoder.description_for_number(number, "en"))


# The NANP's US territories are regions of their own in the library (+1 787 is PR), and subdivision codes of the US
# calendar (customers' recorded `state`).
_US_TERRITORIES = frozenset({"PR", "VI", "GU", "MP", "AS"})


def _state_of_place(where: str | None) -> str | None:
    """The USPS code in a geocoder description ("Florida", "Houston, TX"), or None."""
    if not where:
        return None
    code = where.rsplit(", ", 1)[1].strip() if ", " in where else _US_STATES.get(where)
    return code if code in _US_CODES else None


@lru_cache(maxsize=1)
def _nanp_area_codes() -> dict[str, tuple[frozenset[str], tuple[str, ...]]]:
    """Area code -> (the states it is tied to, the library's zones of its numbers: the area code's and every
    exchange's it places apart). Read once, in one pass each over phonenumbers' time-zone and geocoding data. The
    states are the geocoder's of the area code, else of its exchanges (713 has no entry of its own, its exchanges
    say "Houston, TX"), else the territory its numbers belong to (+1 787 is PR)."""
    from phonenumbers.geodata import GEOCODE_DATA

    zones: dict[str, dict[str, None]] = {}
    for prefix, listed in phone_timezone.TIMEZONE_DATA.items():
        if len(prefix) >= 4 and prefix.startswith("1"):
            zones.setdefault(prefix[1:4], {}).update(dict.fromkeys(z for z in listed if z != _UNKNOWN_ZONE))
    states: dict[str, set[str]] = {}
    exchanges: dict[str, set[str]] = {}
    for prefix, names in GEOCODE_DATA.items():
        if len(prefix) >= 4 and prefix.startswith("1"):
            code = _state_of_place(names.get("en"))
            if code is not None:
                (states if len(prefix) == 4 else exchanges).setdefault(prefix[1:4], set()).add(code)
    area_codes: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}
    for code, found in zones.items():
        tied = states.get(code) or exchanges.get(code) or set()
        if not tied:
            region = phonenumbers.region_code_for_number(phonenumbers.PhoneNumber(country_code=1, national_number=int(code + "2345678")))
            if region in _US_TERRITORIES:
                tied = {region}
        if tied:  # else Canada's, or another Caribbean country's
            area_codes[code] = (frozenset(tied), tuple(found))
    return area_codes


@lru_cache(maxsize=256)
def state_zones(state: str, overrides: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> tuple[str, ...]:
    """Every time zone of a US state or territory (USPS code: FL, PR): the zones of the numbers of the area codes tied
    to it, each area code's as the pack corrects it (`zone_overrides`, by E.164 prefix, longest first) else as the
    library places its exchanges. Empty when the code has no area code (UM). FL: Eastern and Central (49 CFR 71.5)."""
    found: dict[str, None] = {}
    for code, (states, zones) in _nanp_area_codes().items():
        if state not in states:
            continue
        e164 = "+1" + code
        whole = next((z for prefix, z in overrides if e164.startswith(prefix)), None)
        if whole is not None:
            found.update(dict.fromkeys(whole))
            continue
        found.update(dict.fromkeys(zones))
        for prefix, more in overrides:
            if prefix.startswith(e164):
                found.update(dict.fromkeys(more))
    return tuple(found)


parse_phone = lru_cache(maxsize=262_144)(parse_phone_once)
parse_phone.__doc__ = """Normalise a number to E.164; `default_region` reads numbers without a country code (memoised)."""


def e164_of(raw: str, default_region: str | None) -> tuple[str | None, str | None]:
    """(E.164, None) for a valid number, else (None, why): parse_phone without time zones or
    memo, for bulk work (list imports) where each number is seen once."""
    nsn = _cn_mobile(raw, default_region.upper() if default_region else None)
    if nsn is not None:
        return "+86" + nsn, None
    number, why = _number(raw, default_region)
    if number is None:
        return None, why
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None


# A number whose own country writes it with a trunk prefix (a mainland landline is 020 2555 0123 at home, +86 20 2555
# 0123 abroad), given as its bare national digits (2025550123), reads just as well as a North American number: the
# National Do Not Call Registry's files give area code and number, ten digits without the 1. Read in the list's wrong
# region, an import would list the Guangzhou line and leave the American one callable, without a word.
AMBIGUOUS_NATIONAL = ("has no country code and reads two ways: {national} without its trunk prefix {prefix} in {region}, "
                      "or {nanp} in North America (the US registry's files give ten digits without the 1); write it with "
                      "its country code or trunk prefix, or import the list in its own region")


@lru_cache(maxsize=None)
def _trunk_prefix_and_code(region: str) -> tuple[str | None, str]:
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    return (meta.national_prefix, f"+{meta.country_code}") if meta is not None else (None, "")


def listed_e164(raw: str, default_region: str | None) -> tuple[str | None, str | None]:
    """`e164_of` for a row of an imported list, which may come from another country's registry: bare national digits
    that the default region writes with a trunk prefix and that are, as written, a valid North American number are
    refused (AMBIGUOUS_NATIONAL) instead of being guessed."""
    e164, why = e164_of(raw, default_region)
    if e164 is None or not default_region:
        return e164, why
    prefix, code = _trunk_prefix_and_code(default_region.upper())
    if not prefix or code == "+1" or not e164.startswith(code) or len(e164) != len(code) + 10:
        return e164, why  # (checked first, cheaply: a mainland mobile has 11 digits)
    digits = "".join(ch for ch in _clean(raw) if ch.isdigit())
    if digits != e164[len(code):]:
        return e164, why
    number = phonenumbers.parse(e164, None)
    region = default_region.upper()
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    nanp = _try_parse("+1" + digits, None)
    if not national.startswith(prefix) or nanp is None or not phonenumbers.is_valid_number(nanp):
        return e164, why
    return None, AMBIGUOUS_NATIONAL.format(national=national, prefix=prefix, region=region,
                                           nanp=phonenumbers.format_number(nanp, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def extension_of(raw: str, default_region: str | None) -> str | None:
    """The extension written after `raw`'s line, else None; a number of digits alone (a registry's) is not parsed again."""
    if raw.strip().removeprefix("+").isdigit():
        return None
    return parse_phone_once(raw, default_region).extension


def cn_mobile(raw: str, default_region: str | None) -> str | None:
    """The national number when `raw` is plainly a valid mainland-China mobile number, else None."""
    return _cn_mobile(raw, default_region.upper() if default_region else None)


def is_known_region(region: str) -> bool:
    return region.upper() in phonenumbers.SUPPORTED_REGIONS


def mask_phone(text: str | None) -> str | None:
    """A phone number as people without the need to know see it: the 4 digits before the last 4
    hidden (+8613800138000 -> +86138****8000, 138 0013 8000 -> 138****8000)."""
    if text is None:
        return None
    digits = "".join(c for c in text if c.isdigit())
    if len(digits) < 8:
        return "*" * len(digits)
    return ("+" if text.strip().startswith("+") else "") + digits[:-8] + "****" + digits[-4:]
