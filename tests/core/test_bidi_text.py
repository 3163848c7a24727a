"""Directional controls in values from outside cannot reorder the guard's sentences (Trojan Source, CVE-2021-42574).

Unicode UAX #9 §2 lists the explicit directional formatting characters (U+202A–U+202E, U+2066–U+2069) and
the implicit marks (U+200E, U+200F, U+061C); an override such as U+202E reorders everything after it up to the
end of the paragraph, so in a sentence the words after the value are shown reversed. Plain text cannot isolate
a value, so the messages write each control out as `<U+XXXX>`; the value itself is kept as given."""

from __future__ import annotations

import pytest

from guard.core.bidi import BIDI_CONTROLS, has_bidi_controls, show_bidi_controls
from guard.core.messages import reason_messages, said

CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_every_directional_control_of_uax9_is_known_and_written_out():
    assert BIDI_CONTROLS == frozenset(CONTROLS)
    shown = show_bidi_controls("a" + CONTROLS + "b")
    assert not has_bidi_controls(shown)
    assert shown == "a<U+202A><U+202B><U+202C><U+202D><U+202E><U+2066><U+2067><U+2068><U+2069><U+200E><U+200F><U+061C>b"
    assert show_bidi_controls("保本\u200b") == "保本\u200b" and show_bidi_controls(3) == 3


@pytest.mark.parametrize("lang, before, after", [("zh-CN", "营销活动 ", " 未配置。"), ("en", "Campaign ", " is not configured.")])
def test_a_campaign_id_with_an_override_cannot_reverse_the_reason_message(lang, before, after):
    detail = {"campaign": "wm\u202eabc"}
    text = reason_messages("UNKNOWN_CAMPAIGN", detail, "cn-bank")[lang]
    assert text == before + "wm<U+202E>abc" + after
    assert detail == {"campaign": "wm\u202eabc"}  # the decision keeps what was sent


def test_an_error_message_naming_a_value_writes_its_controls_out():
    message = said("CUSTOMER_MISMATCH", named_customer="C\u202e1", owner="C\u20672")
    assert "\u202e" not in message and "\u2067" not in message.messages["zh-CN"]
    assert "C<U+202E>1" in message and "C<U+2067>2" in message.messages["zh-CN"]
