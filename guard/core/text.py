"""Text normalisation for matching phrases through evasions, with a map back to the original text.

`normalize(text)` turns a script, complaint or call note into the form phrases are matched on:

- each character on its own: NFKC (full-width → half-width, compatibility forms), then casefold,
  then traditional → simplified Chinese (OpenCC's `t2s` table, applied character by character so
  that every normalised character comes from exactly one original character);
- dropped: whitespace and line breaks, punctuation, symbols (Unicode categories Z*, P*, S*, except
  `%`), control and format characters (C*: zero-width spaces and joiners, U+2060–U+2064, BOM,
  soft hyphen, bidi marks), combining marks (M*: variation selectors, accents) and the invisible
  Hangul fillers. So 保 本 保 息, 保-本, 零.风.险, 零，风，险, １００％安全 and 保\\u200b本 all read as
  the plain phrase. Letters and digits are kept.

`Normalized.span(start, end)` maps a match in the normalised text back to the original: the
returned `(orig_start, orig_end)` runs from the first matched character to the last one, so it
includes whatever was dropped between them (`original[orig_start:orig_end]` is what a UI
highlights).

The module also answers "does this text ask us to stop calling?" (`asks_to_stop_calling`), for
complaint texts and call notes.

Pure: no files (OpenCC loads its own bundled dictionary), no clock, no environment.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from typing import Iterable, Sequence

# Characters that render as nothing but are letters by category.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Blocks of CJK ideographs whose traditional forms OpenCC converts (BMP, extension A, extension B).
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x2A6DF))


@lru_cache(maxsize=1)
def _t2s() -> dict[str, str]:
    """Traditional → simplified for single characters, built once from OpenCC's t2s conversion.

    The characters are converted in one call, separated by line breaks, so that no phrase rule of
    OpenCC can reach across two of them: what comes back is the character-level table.
    """
    import opencc  # imported here: the table is only needed once a non-ASCII text is normalised

    converter = opencc.OpenCC("t2s")
    table: dict[str, str] = {}
    for lo, hi in _CJK_RANGES:
        chars = [chr(c) for c in range(lo, hi + 1)]
        converted = converter.convert("\n".join(chars)).split("\n")
        if len(converted) != len(chars):  # pragma: no cover - defensive: fall back to one call per character
            converted = [converter.convert(c) for c in chars]
        for src, dst in zip(chars, converted):
            if dst and dst != src:
                table[src] = dst
    return table


def _kept(ch: str) -> bool:
    if ch == "%":
        return True
    if ch in _INVISIBLE_LETTERS:
        return False
    return unicodedata.category(ch)[0] not in "ZPSCM"


def normalize_char(ch: str) -> str:
    """The normalised form of one character: usually one character, '' when dropped, rarely more."""
    out = []
    for c in unicodedata.normalize("NFKC", ch).casefold():
        if _kept(c):
            out.append(_t2s().get(c, c) if ord(c) >= 0x3400 else c)
    return "".join(out)


class _CharMap(dict):
    """char → normalised form, learnt on first sight (the set of characters seen stays small)."""

    _lock = threading.Lock()

    def __missing__(self, ch: str) -> str:
        value = normalize_char(ch)
        with self._lock:
            self[ch] = value
        return value


_CHARS = _CharMap()


@dataclass(frozen=True)
class Normalized:
    """A normalised text and where each of its characters came from in the original."""

    original: str
    text: str
    # index[j] = offset in `original` of the character that produced text[j]; None when the
    # normalisation changed no length (then every offset maps to itself).
    index: Sequence[int] | None

    def orig(self, i: int) -> int:
        """Offset in the original of normalised offset `i` (0 <= i <= len(text)).

        For i == len(text) this is the end of the last normalised character's source (0 for an
        empty normalised text), so `original[orig(0):orig(len(text))]` spans every kept character.
        """
        if not 0 <= i <= len(self.text):
            raise IndexError(f"normalised offset {i} outside 0..{len(self.text)}")
        if self.index is None:
            return i
        if i == len(self.text):
            return self.index[-1] + 1 if self.index else 0
        return self.index[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the normalised span [start, end): first to last matched character."""
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"normalised span {start}..{end} outside 0..{len(self.text)}")
        if start == end:
            at = self.orig(start)
            return at, at
        if self.index is None:
            return start, end
        return self.index[start], self.index[end - 1] + 1


def normalize(text: str) -> Normalized:
    """Normalise `text` for phrase matching (see the module docstring), keeping the offset map."""
    pieces = list(map(_CHARS.__getitem__, text))
    norm = "".join(pieces)
    dropped = pieces.count("")
    if len(norm) == len(text) and not dropped:  # every character gave exactly one
        return Normalized(text, norm, None)
    if len(norm) + dropped == len(text):  # every character gave one or none
        return Normalized(text, norm, list(compress(range(len(text)), pieces)))
    return Normalized(text, norm, [i for i, p in enumerate(pieces) for _ in p])


def normalize_phrase(phrase: str) -> str:
    """The normalised text of a pattern (what it is matched as)."""
    return normalize(phrase).text


@lru_cache(maxsize=256)
def _normalized_phrases(phrases: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    out = []
    for p in phrases:
        n = normalize_phrase(p)
        if n:
            out.append((p, n))
    return tuple(out)


def _occurrences(norm: str, needle: str) -> Iterable[int]:
    at = norm.find(needle)
    while at != -1:
        yield at
        at = norm.find(needle, at + 1)


def contains_any(text: str | Normalized, phrases: Iterable[str]) -> tuple[str, int, int] | None:
    """The first of `phrases` found in `text` (normalised): (phrase, orig_start, orig_end), or None.

    "First" is the earliest in the text; at the same position the longest phrase wins. Meant for
    short lists (one `str.find` per phrase); the script linter uses an automaton instead.
    """
    n = text if isinstance(text, Normalized) else normalize(text)
    best: tuple[int, int, str] | None = None
    for phrase, needle in _normalized_phrases(tuple(phrases)):
        at = n.text.find(needle)
        if at != -1 and (best is None or (at, -len(needle)) < (best[0], -(best[1] - best[0]))):
            best = (at, at + len(needle), phrase)
    if best is None:
        return None
    start, end = n.span(best[0], best[1])
    return best[2], start, end


# ---------------------------------------------------------------------------------------------
# "Please stop calling me"
# ---------------------------------------------------------------------------------------------

STOP_CALLING_PHRASES: tuple[str, ...] = (
    # do not call (again)
    "不要再打", "别再打", "不要打了", "别打了", "不准再打", "禁止再打", "不许再打", "不用再打了", "不需要再打",
    "不要再来电", "别再来电", "请勿来电", "勿再来电", "请勿再来电", "不要来电", "停止来电",
    "不要给我打电话", "别给我打电话", "不要打电话给我", "别打电话给我", "不要再给我打", "别再给我打",
    "不要再打电话", "别再打电话", "以后不要打", "以后别打",
    # do not contact
    "不要再联系", "别再联系", "不要再联络", "别再联络", "不要联系我", "别联系我", "请勿联系", "请勿再联系",
    # harassment / marketing
    "不要再骚扰", "别再骚扰", "不要骚扰我", "别骚扰我", "不要再打扰", "别再打扰",
    "不要再推销", "别再推销", "不要给我推销", "拒绝营销", "不接受营销", "不要营销电话", "停止营销", "退订营销",
    # lists and threats
    "拉黑我", "把我拉黑", "加入黑名单", "把我的号码删", "删除我的号码", "删掉我的号码", "不想再接到",
    "再打就投诉", "再打我就投诉", "再打投诉", "再打电话就投诉",
    # traditional script (the normaliser converts these anyway; listed for reviewers)
    "別再打", "別再打來", "不要再聯繫", "不要再聯絡", "別再聯絡", "別再聯繫", "請勿來電", "不要再騷擾", "別再騷擾",
    "不要再打擾", "別給我打電話", "不要再推銷", "把我拉黑", "刪除我的號碼", "再打就投訴",
    # English (US pack customers)
    "stop calling", "do not call", "don't call", "dont call", "never call", "remove my number", "take me off",
)

# A phrase ending in 打 that is followed by one of these is about something else (打折 discount,
# 打款 payment, 打卡, 打印, 打车, 打算, 打球, 打架, 打针, 打听, 打开 ...), not about calling.
_NOT_A_CALL_AFTER_DA = frozenset("折款卡印车算球架针听开包工字扫牌游")


def asks_to_stop_calling(text: str, phrases: tuple[str, ...] = STOP_CALLING_PHRASES) -> bool:
    """Does `text` (a complaint or call note) ask us to stop calling? Survives spaces,
    punctuation, full-width and invisible characters and traditional script. `phrases` come from
    the pack (`stop_calling`); the default is the list above.

    Deliberately simple: negation ("我没说不要再打") is not understood, and any such phrase counts.
    """
    n = normalize(text).text
    if not n:
        return False
    for _, needle in _normalized_phrases(phrases):
        for at in _occurrences(n, needle):
            after = at + len(needle)
            if needle.endswith("打") and after < len(n) and n[after] in _NOT_A_CALL_AFTER_DA:
                continue
            return True
    return False


def unstorable(value: str) -> str | None:
    """Why a string cannot be kept as text in every store, or None. PostgreSQL refuses NUL in text,
    and a lone UTF-16 surrogate (which a JSON `\\ud800` escape can produce) has no UTF-8 form."""
    if "\x00" in value:
        return "contains a NUL character (U+0000)"
    if not value.isascii() and _SURROGATE.search(value):
        return "contains an unpaired surrogate (not a Unicode character)"
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")
