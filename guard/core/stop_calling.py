"""Does a text ask us to stop calling? (不要再打了 / 别再打来 / 不要再联系我 / 別再打來 …)

Used on complaint texts and call notes: a customer who says so is blacklisted at once (SPEC §2.1).
Matching survives the usual noise of transcribed or typed notes: full-width forms, spaces,
punctuation and invisible characters between the characters, and traditional script.
"""

from __future__ import annotations

import unicodedata

# Traditional → simplified for the characters these phrases use (the phrases are short and fixed).
_T2S = str.maketrans({"別": "别", "來": "来", "聯": "联", "繫": "系", "絡": "络", "電": "电", "話": "话", "騷": "骚", "擾": "扰",
                      "給": "给", "們": "们", "銷": "销", "討": "讨", "厭": "厌", "煩": "烦", "號": "号", "碼": "码"})

STOP_CALLING_PHRASES = (
    "不要再打", "别再打", "不要再来电", "别再来电", "不要再联系", "别再联系", "不要再联络", "别再联络",
    "不要再给我打", "别再给我打", "不要给我打电话", "别给我打电话", "不要打电话给我", "别打电话给我",
    "不要再骚扰", "别再骚扰", "不要骚扰我", "别骚扰我", "不要再推销", "别再推销", "不要再打扰", "别再打扰",
    "不要打了", "别打了", "不准再打", "禁止再打", "拉黑我", "把我拉黑", "把我的号码删", "删除我的号码",
    "不想再接到", "再打就投诉", "再打我就投诉", "再打投诉",
)


def _squeeze(text: str) -> str:
    """NFKC, simplified script, and only letters and digits (spaces, punctuation, invisibles dropped)."""
    text = unicodedata.normalize("NFKC", text).translate(_T2S).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


_PHRASES = tuple(_squeeze(p) for p in STOP_CALLING_PHRASES)


def asks_to_stop_calling(text: str) -> bool:
    squeezed = _squeeze(text)
    return any(p in squeezed for p in _PHRASES)
