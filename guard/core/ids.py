"""Customer ids: the one spelling under which the guard keeps and finds a customer.

A customer id is opaque (case and leading zeros are the bank's: C100, c100 and C0100 are three customers), but two
strings that Unicode says are the same identifier are one customer. Unicode UAX #31 (Identifiers, §5 "Normalization
and Case") and UTS #39 (Security Mechanisms, §3 "Identifier Characters") keep identifiers in NFKC (UAX #15: full-width
Ｃ１００ and C100 are compatibility equivalents, a decomposed é and a composed é canonical ones) and without
Default_Ignorable_Code_Point characters (zero-width space, word joiner, soft hyphen, BOM, directional marks, variation
selectors: invisible, so C100 and C<ZWSP>100 read alike). Were such variants kept as different customers, a
blacklist, mute, complaint, consent withdrawal or cap recorded under C100 would not hold for a dialer that sends Ｃ１００.

The guard takes an id only in that form (`id_problem` says why another is refused, the HTTP API answers 400), so what it
holds is canonical; a call log from elsewhere, which records calls that happened, is judged under `canonical_id`.
"""

from __future__ import annotations

import unicodedata

# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties.txt, 15.1).
_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
    (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)

NOT_CANONICAL = ("is not written in its one canonical form: it holds a full-width or other compatibility character, a "
                 "decomposed accent or an invisible character (Unicode NFKC, UAX #31); send the id as the customer's "
                 "record spells it in plain characters (full-width Ｃ１００ is C100)")
SPACE_OR_SEPARATOR = "holds a space, a control character, / or \\"


def _ignorable(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _IGNORABLE)


def canonical_id(value: str) -> str:
    """`value` as the guard keeps it: NFKC, without default-ignorable characters, without surrounding spaces."""
    if value.isascii():
        return value.strip()
    return unicodedata.normalize("NFKC", "".join(ch for ch in value if not _ignorable(ch))).strip()


def id_problem(value: str) -> str | None:
    """Why `value` cannot be a customer id as given (None: it can): a space, control character or slash in it, or a
    spelling other than its canonical one."""
    if any(ch.isspace() or ch in "/\\" or unicodedata.category(ch) == "Cc" for ch in value):
        return SPACE_OR_SEPARATOR
    if not value.isascii() and canonical_id(value) != value:
        return NOT_CANONICAL
    return None
