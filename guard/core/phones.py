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
# Characters people and spreadsheets put in numbers that phonenumbers does not skip itself.
_STRIP = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00a0\u3000"), " ")


@dataclass(frozen=True, slots=True)
class PhoneInfo:
    raw: str
    valid: bool
    e164: str | None = None
    region: str | None = None
    time_zones: tuple[str, ...] = ()
    why: str | None = None


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
    text = raw.strip().translate(_SEPARATORS)
    m = _CN_SHAPE.fullmatch(text)
    if m is None or (region != "CN" and not text.startswith(("+86", "0086"))):
        return None
    nsn = m.group(1)
    return nsn if _CN_MOBILE.fullmatch(nsn) else None


def _number(raw: str, region: str | None) -> tuple[phonenumbers.PhoneNumber | None, str | None]:
    """The parsed, valid number, or None and why not."""
    text = unicodedata.normalize("NFKC", raw).translate(_STRIP).strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
    if not text or len(text) > 64:
        return None, "empty or too long"
    region = region.upper() if region else None
    number = _try_parse(text, region)
    if (number is None or not phonenumbers.is_valid_number(number)) and text.startswith("00"):
        # "00" is the international prefix almost everywhere, but not in the default region
        # (e.g. NANP dials 011), so phonenumbers did not read it as one.
        number = _try_parse("+" + text[2:], None) or number
    if number is None:
        return None, "cannot be parsed as a phone number"
    if not phonenumbers.is_valid_number(number):
        return None, "not a valid number for its country"
    return number, None


def parse_phone_once(raw: str, default_region: str | None) -> PhoneInfo:
    """`parse_phone` without the memo, for bulk work that sees each string once (it would only flush the memo)."""
    nsn = _cn_mobile(raw, default_region.upper() if default_region else None)
    if nsn is not None:
        return PhoneInfo(raw=raw, valid=True, e164="+86" + nsn, region="CN", time_zones=_CN_ZONES)
    number, why = _number(raw, default_region)
    if number is None:
        return PhoneInfo(raw=raw, valid=False, why=why)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    zones = tuple(z for z in phone_timezone.time_zones_for_number(number) if z != _UNKNOWN_ZONE)
    return PhoneInfo(
        raw=raw,
        valid=True,
        e164=e164,
        region=phonenumbers.region_code_for_number(number),
        time_zones=zones,
    )


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


def cn_mobile(raw: str, default_region: str | None) -> str | None:
    """The national number when `raw` is plainly a valid mainland-China mobile number, else None."""
    return _cn_mobile(raw, default_region.upper() if default_region else None)


def is_known_region(region: str) -> bool:
    return region.upper() in phonenumbers.SUPPORTED_REGIONS
