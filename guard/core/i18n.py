"""The languages a person reads the guard in, and how a message template becomes text in each.

Three languages: `zh-CN` (simplified, mainland China), `zh-TW` (traditional, Taiwan and Hong Kong)
and `en`. Every registry (reason codes, vocabularies, message templates) gives a text in each, with
the same parameters; a test holds that. Traditional texts come from the simplified ones through
OpenCC's `s2twp` conversion ("Simplified Chinese to Traditional Chinese (Taiwan Standard) with Taiwanese
idiom", https://byvoid.github.io/OpenCC/1.0.5/: Taiwan's characters and Taiwan's words, 默认 → 預設,
数据 → 資料, 用户 → 使用者, 短信 → 簡訊, 登录 → 登入, where `s2tw` changes the characters only), unless a
registry entry writes its own: a well-kept converter, not hand typing. A few words keep their characters
(`KEEP_WORDS`): s2twp's phrase table reads them in the programmer's sense (代码 → 程式碼).

Templates are `str.format` strings over named parameters, formatted per language:
- a `datetime` with spec `at` reads "Wed 2 Dec 2026 01:55" / "2026年12月2日（周三）01:55", `hm` reads
  "Wed 01:55" / "周三 01:55", `day` reads "2 Dec 2026" / "2026年12月2日";
- a number with spec `one|many` is an English plural: `{count:# complaint|# complaints}`
  ("#" is the number); in Chinese the spec is not used (`{count}` there);
- a list or tuple is joined the way the language lists things ("a, b" / "a、b").
Pure: OpenCC loads its own bundled dictionary once; no clock, no environment.
"""

from __future__ import annotations

import re
import string
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from guard.core.bidi import show_bidi_controls

LANGS: tuple[str, ...] = ("zh-CN", "zh-TW", "en")
# Packs for these countries are read in traditional Chinese.
TRADITIONAL_COUNTRIES = frozenset({"TW", "HK", "MO"})

_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh-CN": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "zh-TW": ("週一", "週二", "週三", "週四", "週五", "週六", "週日"),
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LIST_SEP = {"en": ", ", "zh-CN": "、", "zh-TW": "、"}
_DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def chinese_of(country: str | None) -> str:
    """The Chinese a pack for `country` is read in: traditional for Taiwan, Hong Kong and Macau."""
    return "zh-TW" if country in TRADITIONAL_COUNTRIES else "zh-CN"


def chinese_of_tag(tag: str) -> str | None:
    """The Chinese a BCP 47 language tag asks for: `zh-TW` for traditional (zh-Hant…, or Chinese of Taiwan, Hong Kong or
    Macau not written zh-Hans…), `zh-CN` for any other Chinese (zh, zh-CN, zh-SG, zh-Hans…), None for another language.
    The script subtag outweighs the region (RFC 5646 §2.2.3): zh-Hans-HK is simplified, zh-Hant-CN traditional."""
    sub = tag.strip().lower().replace("_", "-").split("-")
    if sub[0] != "zh":
        return None
    if "hant" in sub:
        return "zh-TW"
    if "hans" not in sub and any(s in ("tw", "hk", "mo") for s in sub[1:]):
        return "zh-TW"
    return "zh-CN"


@lru_cache(maxsize=2)
def _converter(config: str) -> Any:
    import opencc  # imported here: only needed once a traditional text is asked for

    return opencc.OpenCC(config)


# Words s2twp's phrase table turns into the software sense or into another word, where the guard means the
# everyday one: 代码 (a reason or region code) → 程式碼 "program code", 类型 (a kind of number) → 型別 "data type",
# 对象 (营销对象, whom a call targets) → 物件, 权限 → 許可權, 审核 (a script's review) → 稽核 "audit",
# 禁用表述 (banned wording) → 停用, 发布 (a notice published) → 釋出 "release", 项目 (an item) → 專案 "project".
# They keep their characters (s2tw): 代碼, 類型, 對象, 權限, 審核, 禁用, 發佈, 項目.
KEEP_WORDS = ("代码", "类型", "对象", "权限", "审核", "禁用", "发布", "项目")
_KEPT = re.compile("(" + "|".join(KEEP_WORDS) + ")")


def _taiwan(text: str, config: str) -> str:
    # `s2tw`/`s2twp` write 账 as 賬 (賬號, 賬戶), where Taiwan writes 帳 (帳號, 帳戶: e.g. the New Taipei school
    # notice at https://www.tsjh.ntpc.edu.tw/p/16-1000-7599.php), so 賬 becomes 帳.
    return _converter(config).convert(text).replace("賬", "帳")


@lru_cache(maxsize=8192)
def to_traditional(text: str) -> str:
    """Simplified → traditional Chinese as read in Taiwan: OpenCC `s2twp` (characters and words), `KEEP_WORDS`
    only converted character by character; ASCII passes unchanged."""
    if not text or text.isascii():
        return text
    return "".join(_taiwan(part, "s2tw" if i % 2 else "s2twp") for i, part in enumerate(_KEPT.split(text)) if part)


@lru_cache(maxsize=8192)
def to_traditional_characters(text: str) -> str:
    """Simplified → Taiwan's traditional characters only (OpenCC `s2tw`), no word replaced: for a quote of what
    someone wrote (a script's words), which must read as written."""
    return _taiwan(text, "s2tw") if text and not text.isascii() else text


def template_fields(template: str) -> frozenset[str]:
    """The names of the parameters a template uses."""
    return frozenset(name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name)


@lru_cache(maxsize=1024)
def days_text(days: str, lang: str) -> str:
    """A day set as packs write it (`mon-fri`, `sat,sun`, `weekends`) in the language."""
    if lang == "en":
        return days
    names = _WEEKDAYS[lang]
    aliases = {"daily": "mon-sun", "all": "mon-sun", "weekdays": "mon-fri", "weekends": "sat,sun"}
    parts = []
    for part in aliases.get(days.strip().lower(), days).split(","):
        ends = [p.strip().lower() for p in part.split("-")]
        if not all(e in _DAY_CODES for e in ends):
            return days
        parts.append("至".join(names[_DAY_CODES.index(e)] for e in ends) if len(ends) == 2 else names[_DAY_CODES.index(ends[0])])
    return _LIST_SEP[lang].join(parts)


def windows_text(windows: list[dict[str, str]] | tuple, lang: str) -> str:
    """Calling windows (`{days, from, to}`) as one line: "mon-fri 09:00–20:00; sat-sun 10:00–18:00"."""
    sep = "; " if lang == "en" else "；"
    return sep.join(f"{days_text(str(w.get('days', '')), lang)} {w.get('from', '')}–{w.get('to', '')}" for w in windows)


class _Formatter(string.Formatter):
    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value: Any, spec: str) -> str:
        if not spec and type(value) is str:  # the commonest case, first
            return value
        lang = self.lang
        if isinstance(value, datetime):
            wd = _WEEKDAYS[lang][value.weekday()]
            if spec == "hm":
                return f"{wd} {value:%H:%M}"
            if lang == "en":
                return f"{wd} {value.day} {_MONTHS[value.month - 1]} {value.year} {value:%H:%M}"
            return f"{value.year}年{value.month}月{value.day}日（{wd}）{value:%H:%M}"
        if isinstance(value, date):
            if lang == "en":
                return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
            return f"{value.year}年{value.month}月{value.day}日"
        if spec in ("at", "hm", "day"):
            return str(value)  # not an instant (a dash for none): as it is
        if "|" in spec:
            if not isinstance(value, int):
                return str(value)
            one, many = spec.split("|", 1)
            return (one if value == 1 else many).replace("#", str(value))
        if isinstance(value, (list, tuple)):
            return _LIST_SEP[lang].join(str(v) for v in value)
        return super().format_field(value, spec)


_FORMATTERS = {lang: _Formatter(lang) for lang in LANGS}


@lru_cache(maxsize=1024)
def _parsed(template: str) -> tuple[tuple[str, str | None, str], ...]:
    """(literal text, field name or None, format spec) pieces, parsed once per template."""
    return tuple((literal, name, spec or "") for literal, name, spec, _ in string.Formatter().parse(template))


def render(template: str, lang: str, params: dict[str, Any]) -> str:
    """Fill a template's named fields, each formatted for the language (see the module's docstring)."""
    format_field = _FORMATTERS[lang].format_field
    out = []
    for literal, name, spec in _parsed(template):
        out.append(literal)
        if name is not None:
            value = params[name]
            # A value from outside (a campaign id, a note) may hold a directional control that would reorder the
            # rest of the sentence for its reader: it is written out as an escape (guard.core.bidi).
            out.append(show_bidi_controls(value if not spec and type(value) is str else format_field(value, spec)))
    return "".join(out)


class Said(str):
    """A message the guard writes for a person, as its English text (what `message` fields and logs hold, so
    code that reads it as a string sees no change), carrying its rendering in every language (`messages`).

    Made by `guard.core.messages.said` from a registered template; an error raised with one answers
    `error.messages` wholly in the reader's language, not the English wrapped in a Chinese title."""

    messages: dict[str, str]

    def __new__(cls, messages: dict[str, str]) -> "Said":
        text = super().__new__(cls, messages["en"])
        text.messages = dict(messages)
        return text

    def __reduce__(self):  # pickles (a forked audit part's error) as what it is
        return (Said, (self.messages,))


def field_said(field: str, reason: Any) -> Any:
    """`field: reason` in each language the reason has (the English unchanged: "phone: …"); a plain reason stays plain."""
    messages = getattr(reason, "messages", None)
    if messages is None:
        return f"{field}: {reason}"
    return Said({lang: f"{field}{': ' if lang == 'en' else '：'}{text}" for lang, text in messages.items()})
