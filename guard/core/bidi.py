"""Bidirectional-text controls in values from outside, shown so that they cannot reorder what is around them.

A customer name, campaign id, note or reason comes from a dialer, a file or a person. If it holds an
explicit directional control (Unicode UAX #9: the embeddings and overrides U+202A–U+202E, the isolates
U+2066–U+2069, the marks U+200E, U+200F and U+061C), a sentence or a table row that shows it is reordered
by the reader's software from that point on: in 营销活动 wm<U+202E>abc 未配置 a U+202E turns the words after it
around, so a reviewer reads something other than what the guard decided (the "Trojan Source" spoofing,
CVE-2021-42574). The value itself is kept as given (an audit proves what was sent); only where it is
shown inside text for a person, each control is written out as an escape (`<U+202E>`): plain text (a
message, a terminal table) cannot isolate a value, and a visible escape also tells the reader the value
holds one. Pages isolate each value instead (`<bdi>`, `unicode-bidi: isolate`; W3C "Inline markup and
bidirectional text in HTML"), or write it out too.

Sources: the list of controls, https://www.unicode.org/reports/tr9/#Directional_Formatting_Characters; HTML's
"Requirements relating to bidirectional-algorithm formatting characters" (an embedding or override in an element's text
must end, with U+202C, inside the element it starts in: a value with an open U+202E put into a page breaks that).

Pure: no I/O.
"""

from __future__ import annotations

import re
from typing import Any

# UAX #9 §2 "Explicit Directional Formatting Characters" and the implicit marks (ALM, LRM, RLM).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_CONTROL = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")


# The controls that open an embedding, an override or an isolate: what follows one, up to its closing U+202C / U+2069 or
# the paragraph's end, is laid out in another order than it is stored (UAX #9 §2.1-§2.4): 本产品<U+202E>险风零 shows
# 本产品零风险. The marks (U+200E, U+200F, U+061C) and the closers reorder no letters on their own.
REORDERING = frozenset("\u202a\u202b\u202d\u202e\u2066\u2067\u2068")
_REORDERING = re.compile("[" + "".join(sorted(REORDERING)) + "]")


def reordering_controls(text: str) -> list[int]:
    """The offsets of the controls in `text` that reorder what follows them (REORDERING), in order."""
    if not _REORDERING.search(text):
        return []
    return [m.start() for m in _REORDERING.finditer(text)]


def has_bidi_controls(text: str) -> bool:
    """Whether the text holds any directional control."""
    return _CONTROL.search(text) is not None


def show_bidi_controls(value: Any) -> Any:
    """A string with each directional control written as `<U+XXXX>`; anything else as it is."""
    if not isinstance(value, str) or not _CONTROL.search(value):
        return value
    return _CONTROL.sub(lambda m: f"<U+{ord(m.group()):04X}>", value)


# A field of a one-record-per-line listing (`keys list`, `users list`, `access log`): a line break, a tab or another C0/C1
# control in it would start a forged line or field, and a directional control would reorder the line. Values refused
# at entry since (guard.core.text.control_character) may still be in rows written before that check.
_FIELD_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029" + "".join(sorted(BIDI_CONTROLS)) + "]")


def show_field(value: Any) -> Any:
    """A string for one field of a line-per-record listing, each control, line separator or directional control
    written as `<U+XXXX>`; anything else as it is."""
    if not isinstance(value, str) or not _FIELD_CONTROL.search(value):
        return value
    return _FIELD_CONTROL.sub(lambda m: f"<U+{ord(m.group()):04X}>", value)
