"""Which Chinese a BCP 47 language tag asks for (RFC 5646): the script subtag first, then the region."""

import pytest

from guard.core.i18n import chinese_of_tag


@pytest.mark.parametrize("tag, chinese", [
    ("zh-TW", "zh-TW"), ("zh-HK", "zh-TW"), ("zh-MO", "zh-TW"), ("zh-Hant", "zh-TW"), ("zh-Hant-TW", "zh-TW"),
    ("zh-hant-cn", "zh-TW"), ("zh_TW", "zh-TW"),
    ("zh", "zh-CN"), ("zh-CN", "zh-CN"), ("zh-SG", "zh-CN"), ("zh-Hans", "zh-CN"), ("zh-Hans-HK", "zh-CN"), ("zh-Hans-TW", "zh-CN"),
    ("en", None), ("en-HK", None), ("*", None), ("zhx", None),
])
def test_a_language_tag_asks_for_simplified_traditional_or_no_chinese(tag, chinese):
    assert chinese_of_tag(tag) == chinese
