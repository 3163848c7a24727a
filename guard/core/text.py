"""Text normalisation for matching phrases through evasions, with a map back to the original text.

`normalize(text)` turns a script, complaint or call note into the form phrases are matched on:

- each character on its own: NFKC (full-width → half-width, compatibility forms), then casefold,
  then traditional → simplified Chinese (OpenCC's `t2s` table, applied character by character so
  that every normalised character comes from exactly one original character);
- dropped: whitespace and line breaks, punctuation, symbols (Unicode categories Z*, P*, S*, except
  `%`), control and format characters (C*: zero-width spaces and joiners, U+2060–U+2064, BOM,
  soft hyphen, bidi marks), combining marks (M*: variation selectors, accents) and the invisible
  Hangul fillers. So 保 本 保 息, 保-本, 零.风.险, 零，风，险, １００％安全 and 保\\u200b本 all read as
  the plain phrase. Letters and digits are kept;
- read as the words they stand for: the symbols in SYMBOL_WORDS (≠ is 不等于, so “稳健”≠保本 is the
  disclaimer “稳健”不等于保本, not a claim of 保本).

`Normalized.span(start, end)` maps a match in the normalised text back to the original: the
returned `(orig_start, orig_end)` runs from the first matched character to the last one, so it
includes whatever was dropped between them, and the combining marks attached to the last one
(`original[orig_start:orig_end]` is what a UI highlights: whole characters as a reader sees them).

The module also answers "does this text ask us to stop calling?" (`asks_to_stop_calling`), for
complaint texts and call notes.

Pure: no files (OpenCC loads its own bundled dictionary), no clock, no environment.
"""

from __future__ import annotations

import bisect
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from typing import Callable, Iterable, Sequence

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


# Symbols that stand for words, read as those words (a symbol is otherwise dropped). ≠ writes 不等于 in
# real disclaimers: “稳健”≠保本 (tests/lint/real dev_c c0113), “历史年化6%”≠未来收益 (dev_d d0060),
# 「高配息 ≠ 高報酬 ≠ 保本」 (dev_d d0221).
SYMBOL_WORDS = {"≠": "不等于"}


def normalize_char(ch: str) -> str:
    """The normalised form of one character: usually one character, '' when dropped, rarely more."""
    if ch in SYMBOL_WORDS:
        return SYMBOL_WORDS[ch]
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
        """Original (start, end) of the normalised span [start, end): first to last matched character, with the marks
        attached to the last one (`attached_end`)."""
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"normalised span {start}..{end} outside 0..{len(self.text)}")
        if start == end:
            at = self.orig(start)
            return at, at
        if self.index is None:
            return start, end
        return self.index[start], attached_end(self.original, self.index[end - 1] + 1)


# Characters that belong to the character before them (Unicode UAX #29, grapheme clusters: no break before Extend, ZWJ
# or SpacingMark, rules GB9 and GB9a): combining marks (M*: an accent, a variation selector), the zero-width joiner and
# non-joiner, emoji skin-tone modifiers, the half-width katakana sound marks. A span that ends on a character ends after
# these: in 保本保息\u0301 the finding's `matched`, its SARIF region and snippet hold 息 with its accent, the character a
# reader sees, not 息 cut from it (an editor selecting such a region splits the character).
_ATTACHED_CHARS = frozenset("\u200c\u200d\uff9e\uff9f")


def _attached(ch: str) -> bool:
    return (ch in _ATTACHED_CHARS or unicodedata.category(ch) in ("Mn", "Me", "Mc")
            or 0x1F3FB <= ord(ch) <= 0x1F3FF)


def attached_end(text: str, end: int) -> int:
    """`end` moved past the characters that attach to the one before it (its combining marks, a joiner ...)."""
    while end < len(text) and _attached(text[end]):
        end += 1
    return end


# The normalised form of each code point below _BY_CODE_SIZE (None until first seen): `normalize`
# looks the characters up by code point, from the text's UTF-32 form, without making a
# one-character string of each (a fifth of its time). Others go through _CHARS, as does a text with
# a character not seen before (which is then entered here) or a lone surrogate.
_BY_CODE_SIZE = 0x30000  # the BMP and the planes of the CJK extensions
_BY_CODE: list[str | None] = [None] * _BY_CODE_SIZE


def _pieces(text: str) -> tuple[list[str], str]:
    """The normalised form of each character of `text`, and of the whole."""
    try:
        pieces = list(map(_BY_CODE.__getitem__, memoryview(text.encode("utf-32-le")).cast("I")))
        return pieces, "".join(pieces)  # TypeError: a None, a character not seen before
    except TypeError:
        for ch in set(text):
            if ord(ch) < _BY_CODE_SIZE:
                _BY_CODE[ord(ch)] = _CHARS[ch]
    except (IndexError, UnicodeEncodeError):  # beyond the table, or a lone surrogate
        pass
    pieces = list(map(_CHARS.__getitem__, text))
    return pieces, "".join(pieces)


# The offsets 0 .. _OFFSETS_SIZE - 1 as int objects made once: the offset map of a text up to that long takes
# them from here instead of making an int for each of its characters (a quarter of `normalize`'s time).
_OFFSETS_SIZE = 1 << 16
_OFFSETS = list(range(_OFFSETS_SIZE))


def normalize(text: str) -> Normalized:
    """Normalise `text` for phrase matching (see the module docstring), keeping the offset map."""
    pieces, norm = _pieces(text)
    if len(norm) == len(text) and "" not in pieces:  # every character gave exactly one
        return Normalized(text, norm, None)
    # the characters that gave something
    kept = list(compress(_OFFSETS if len(text) <= _OFFSETS_SIZE else range(len(text)), pieces))
    if len(kept) == len(norm):  # every character gave one or none
        return Normalized(text, norm, kept)
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
    # the formal words an agent writes in a call note (致电, 拨打, 来电, 谢绝), and refusals as telemarketers' compliance guides
    # quote customers ("请勿再打", "我不需要，请不要再打", a "谢绝来电" mechanism, asking to be put on a "免打扰名单"), summarising
    # 《通信短信息和语音呼叫服务管理规定》: once the user has clearly refused, stop calling (the rule's own text not read here)
    "请勿再致电", "勿再致电", "不要再致电", "别再致电", "不要再拨打", "别再拨打", "不要再给我来电", "别再给我来电",
    "谢绝来电", "拒绝来电", "不要打过来", "别打过来", "不用再联系", "不需要再联系", "不必再联系",
    "请勿再拨打", "勿再拨打", "请勿致电", "不要打给我", "别打给我", "不要打我电话", "别打我电话", "不要打来了",
    "再也不要打", "再也别打", "不想再接你们", "不想再接到你们", "不想再接电话", "删除我的电话", "把我的电话删",
    "不要再call", "别再call", "不要call我", "别call我",
    "不接受电话营销", "不再接受电话营销", "拒绝电话营销", "拒绝再接到", "免打扰名单", "加入免打扰", "莫再打",
    # lists and threats
    "拉黑我", "把我拉黑", "加入黑名单", "把我的号码删", "删除我的号码", "删掉我的号码", "删除号码", "删掉号码", "不想再接到",
    "再打就投诉", "再打我就投诉", "再打投诉", "再打电话就投诉", "再打电话我就投诉", "再来电就投诉", "再来电我就投诉",
    # Taiwan: a customer stops a bank's marketing of loans, cards and insurance by asking it to 取消共同行銷 (as 中時新聞網
    # reported the advice, 2023: ctinews.com/news/items/kYaDXY7ma9), or says it will take no more telephone marketing
    "取消共同行銷", "不願再接受電話行銷", "不要再電話行銷",
    # Hong Kong (Cantonese): 唔好 / 咪 = don't, 唔使 = no need, 嚟 = come
    "唔好再打", "咪再打", "唔使再打", "唔好再打嚟", "唔好再搵我",
    # 俾 = to (唔好打俾我: don't call me), 聯絡 = contact, 煩 = bother, 收到 = receive, call = the English loan word
    "唔好打嚟", "唔好打俾我", "咪打嚟", "咪打俾我", "唔好再聯絡", "唔好再聯繫", "唔使再聯絡", "唔好再煩", "咪再煩",
    "唔想再收到", "唔好再call", "咪再call", "唔好call我",
    # traditional script (the normaliser converts these anyway; listed for reviewers)
    "別再打", "別再打來", "不要再聯繫", "不要再聯絡", "別再聯絡", "別再聯繫", "請勿來電", "不要再騷擾", "別再騷擾",
    "不要再打擾", "別給我打電話", "不要再推銷", "把我拉黑", "刪除我的號碼", "再打就投訴",
    # English (US pack customers). 47 CFR 64.1200(a)(10) (FCC, 2024 consent-revocation order, in force 2025-04-11): consent
    # may be revoked by any reasonable means, and the words "stop", "quit", "end", "revoke", "opt out", "cancel" or
    # "unsubscribe" in reply to a text revoke it per se; in a call note the bare words "stop", "end", "cancel" are too often
    # about something else (a card, a payment), so they count with what they stop.
    "stop calling", "do not call", "don't call", "dont call", "never call", "remove my number", "take me off",
    "opt out", "unsubscribe", "revoke", "quit calling", "stop contacting", "do not contact", "don't contact",
    "dont contact", "no more calls", "remove me from", "cancel my consent",
    # Spanish, which many US customers speak: a revocation in another language is one too when a reasonable person reads it
    # so (the rule's "any reasonable means"; compliance guides to it give "No Mas" as the example); "no me llame" alone
    # is left out, being also "don't call me now"
    "no me llamen mas", "no me llamen más", "no me llame mas", "no me llame más", "dejen de llamar", "deje de llamar",
    "no vuelvan a llamar", "no vuelva a llamar", "no mas llamadas", "no más llamadas",
)

# A phrase ending in 打 that is followed by one of these is about something else (打折 discount,
# 打款 payment, 打卡, 打印, 打车, 打算, 打球, 打架, 打针, 打听, 打开 ...), not about calling.
_NOT_A_CALL_AFTER_DA = frozenset("折款卡印车算球架针听开包工字扫牌游")

# Wordings that a fixed phrase cannot list, as regular expressions over the normalised text (simplified, no spaces or
# punctuation). Measured on real customers' words (tests/data/stop_calling/, README "Stop-calling requests"); each
# family names where its wording comes from.
_MARKETING = "(?:营销|行销|推销|电销|促销|电话销售|销售电话)"
STOP_CALLING_PATTERNS: tuple[tuple[str, "re.Pattern[str]"], ...] = tuple((name, re.compile(rx)) for name, rx in (
    # Refusing marketing itself, a few words apart: 不願再接受信貸、信用卡、保險等金融商品的電話行銷 (ctinews 2023),
    # 表態不要再接到行銷 (udn, the FSC's 莊琇媛), 拒絕電話行銷 (cn.bg3 / 東森), 註記拒絕電銷 (justlaw.com.tw); the
    # insurance regulators' rule quoted in the same words: 明确拒绝再次接受电话销售的客户, 应录入禁止拨打名单 (湖北保监局,
    # wuhannews; 保监会 2010 通知, nankezia.com).
    ("refuses marketing", "(?:拒绝|拒接|拒听|拒收|不接受|不再接受|不(?:要|想|愿意?|用|必|需要)再?(?:接受|接听|接到|接|听|收到))"
                          ".{0,16}?" + _MARKETING),
    # Refusing the calls: 拒绝接听电话 / 拒绝继续接听电话 (深圳保监局 and 保监会 2013 rules: such numbers are shielded),
    # 都已经不想听电话了 (東森). Only a few linking words between, so that 客户不接电话 (no answer) and 拒绝提供电话 are not it;
    # and not 拒接, which in a call note is the callee pressing "decline" on one call (客户拒接电话), not a refusal of calls.
    ("refuses the calls", "(?:拒绝|拒听|不(?:要|想|愿意?)再?(?:接受|接听|接到|接|听)|不再接受)"
                          "(?:继续|再|接听|接到|接|听|你们|你们的|他们|这种|这类|此类|的|任何){0,3}(?:电话|来电)"),
    # Stopping or cancelling marketing: 取消自己的共同行銷 (ctinews 2023: Taiwan's way to stop a bank's cross-marketing),
    # 成功制止银行未经同意的保险产品推销 / 设置营销屏蔽 (yunzhuji, 广发 customers), 不再以任何方式向我推销 (三联生活周刊,
    # H先生's complaint to the 金融消费者保护服务平台).
    ("stops marketing", "(?:停止|取消|退订|屏蔽|制止|拒收)(?:自己的|我的|所有的?|一切|任何)?.{0,12}?" + _MARKETING),
    ("marketing blocked", _MARKETING + "屏蔽"),
    # 推荐 is how a bank's pitch is worded to the customer (感谢您的推荐, tlbxw.net): 以后不要再推荐了. The words between
    # stop at an inability (号码已不再使用无法联系 is a dead number, not a request).
    ("no more contact", "(?:不再|不要再|别再|勿再|不准再|不许再)(?:以任何方式)?(?:(?!无法|不能|没法|无人).){0,8}?(?:"
                        + _MARKETING[3:-1] + "|推荐|联系|联络|打扰|骚扰|致电|来电|打电话|打给)"),
    # The lists a refusal puts a number on: 禁止拨打名单 (保监会), 禁呼名单 (建行 95533 advice, 61405.com), 登记拒接名单
    # (广发 95508), 免打扰 (telemarketers' compliance guides), and 表态拒接 (ctinews).
    ("asks for a list", "(?:禁止拨打|禁止拨号|禁呼|禁拨|拒接|拒呼|免打扰|谢绝来电|勿扰)名单|免打扰|表态拒接"),
    # A complaint about the calls themselves: 你们天天给我打电话,烦不烦啊 (siliu.net), 从此骚扰电话不断 (新民晚报),
    # 搞得我很是被打扰 (kpfans), 手机直接被打爆 (dlllqs). The customer has objected to being called; SPEC §2.1's blacklist is
    # for a customer who refused, and 民法典 第一千零三十三条 forbids calls that disturb 私人生活安宁 without consent.
    # 扰民 is the regulators' word for it (保监会 2013: 電銷擾民投訴, ncdzx.com), and a complaint of too many marketing
    # calls is one of the calls themselves.
    ("complains of the calls", "骚扰|轰炸|打爆|不胜其烦|不堪其扰|烦不烦|烦死|烦人|被打扰|打扰到我|打扰我|滋扰|扰民"
                               "|" + _MARKETING + "电话(?:过多|太多|太频繁|频繁|不断)"),
    # Refused, and the calls went on: 朋友跟他说了好几次“不需要”,对方却还是不断打电话来 (m.zi5.net, a sales book),
    # 虽然表示拒绝后,他们仍然会接到同一家公司的推销电话 (1330.cn). A bare 不需要 alone is not a stop request (README).
    ("refused yet called", "(?:不需要|不用了|拒绝|婉拒|不感兴趣|没兴趣|没有兴趣|没需求|没有需求).{0,24}?"
                           "(?:还|仍|依然|依旧|却|继续|照样|又).{0,8}?(?:打|来电|电话|推销|营销|纠缠)"),
    # Withdrawing consent: 个人信息保护法 第十五条 ("个人有权撤回其同意", by a convenient way: a sentence to an agent or in a
    # complaint is one), and 工信部《通信短信息服务管理规定》(2015): "用户同意后又明确表示拒绝接收……应当停止" (新华网
    # 2015-05-29). 同意 is the consent itself; 授权 only with what it authorised (营销, 联系, 来电), as 撤回代扣授权 is a
    # payment mandate. Not after 未/没(有)/不(会/想)/无需: 客户未撤回同意 says the consent stands.
    ("withdraws consent", "(?<![未没不无])(?<!没有)(?<!不会)(?<!不想)(?<!无需)(?:撤回|撤销|收回|取消)"
                          "(?:我的|本人的?|他的|她的|其|客户的?|此前的?|之前的?|原来的?|所有的?|全部的?)?"
                          "(?:对(?:我行|贵行|本行|你行|你们|银行|公司)?)?(?:(?:电话)?" + _MARKETING[3:-1] + "|个人信息|联系|来电)?"
                          "的?(?:同意|授权同意)"
                          "|(?<![未没不无])(?<!没有)(?<!不会)(?<!不想)(?<!无需)(?:撤回|撤销|收回|取消)(?:我的|本人的?|其|客户的?)?"
                          "(?:电话)?(?:" + _MARKETING[3:-1] + "|联系|来电)的?授权"),
))

# A whole reply that is one of the keywords a marketing text names for refusing it: 回复TD退订 (工信部《通信短信息服务管理
# 规定》2015 requires "便捷和有效的拒绝接收方式"; shoppers reply "TD" or "TD退订", lu-xu.com/shehui/763439.html), the Chinese
# counterparts of 47 CFR 64.1200(a)(10)'s "unsubscribe" that a bare UNSUBSCRIBE already counts for.
_CHINESE_STOP_REPLIES = frozenset({"td", "退订", "td退订", "回复td退订"})

# English that the normalised text (no spaces) cannot tell apart from other words, matched on the text with its spaces.
_ENGLISH_STOP_WORDS = frozenset({"stop", "stopall", "stopcalling", "end", "quit", "cancel", "unsubscribe", "revoke", "optout"})
STOP_CALLING_ENGLISH: tuple[tuple[str, "re.Pattern[str]"], ...] = tuple((name, re.compile(rx)) for name, rx in (
    # "tell them not to call your cell phone again" (tampabankruptcylawyerblog), "call again if you ask them not to"
    # (an FTC rule summary): consent is revoked by any reasonable means (47 CFR 64.1200(a)(10); FCC 2015 ruling).
    ("not to call", r"\bnot to (?:call|contact|phone|text|ring)\b|\bask(?:ed|s)? them not to\b"),
    # Withdrawing consent in other words than "revoke" (47 CFR 64.1200(a)(10): revocation by any reasonable means, "in any
    # words a reasonable person reads so"): "I withdraw my consent", "withdrawal of consent", "consent withdrawn".
    ("withdraws consent", r"\b(?<!not )(?<!never )(?:withdr[ae]w\w*|rescind\w*|retract\w*)(?: of)?"
                          r"(?: my| his| her| their| our| all| any| the| this)?(?: prior)?(?: express)?(?: written)? consent\b"
                          r"|\bconsent (?:is |was |has been )?(?:withdrawn|rescinded|retracted)\b"),
    ("remove the number", r"\bremove (?:this|my|our|her|his|the)(?: phone| cell| mobile| telephone)? number\b"),
    # The revocation words of 47 CFR 64.1200(a)(10) quoted as a reply: a reply of 'STOP' for text messages.
    ("quoted revocation word", "[\"'\u201c\u2018\u00ab] ?(?:stop|quit|end|cancel|unsubscribe|revoke|opt[- ]?out)"
                               " ?[\"'\u201d\u2019\u00bb]"),
    ("complains of the calls", r"\bharass\w*|\bbarrage\b|\bincessant\b|\bbombard\w*|\bkeeps? calling\b|\bkept calling\b"),
))

# Words that, just before a stop phrase, say the customer did not ask it: 我没说不要再打, 不是不要再打. Only these, and
# only right before the phrase; 难道 before it or 吗 after it (我不是说过不要再打吗, a rhetorical question) undoes the
# negation, and any other un-negated request in the text still counts: a false stop only suppresses a number, a missed
# one calls someone who refused.
_NEGATORS = ("没说", "没有说", "没说过", "没有说过", "并没说", "并没有说", "从没说", "从来没说", "不是", "并非", "并不是",
             "没讲", "没有讲", "没要求", "没有要求")


def _negated(n: str, start: int, end: int) -> bool:
    before = n[max(0, start - 6):start]
    if not any(before.endswith(w) for w in _NEGATORS) or before.endswith("是不是"):  # 你们是不是不要再打了: a question
        return False
    return "难道" not in n[max(0, start - 12):start] and "吗" not in n[end:end + 4]


def asks_to_stop_calling(text: str, phrases: tuple[str, ...] = STOP_CALLING_PHRASES) -> bool:
    """Does `text` (a complaint or call note) ask us to stop calling? Survives spaces,
    punctuation, full-width and invisible characters and traditional script. `phrases` come from
    the pack (the built-in list above and the pack's own `stop_calling`); the patterns above apply
    whatever the pack gives.

    A phrase right after a denial (我没说不要再打, 不是不要再打) does not count; any other request in
    the same text does.
    """
    n = normalize(text).text
    if not n:
        return False
    for _, needle in _normalized_phrases(phrases):
        for at in _occurrences(n, needle):
            after = at + len(needle)
            if needle.endswith("打") and after < len(n) and n[after] in _NOT_A_CALL_AFTER_DA:
                continue
            if _negated(n, at, after):
                continue
            return True
    for _, pattern in STOP_CALLING_PATTERNS:
        for m in pattern.finditer(n):
            if not _negated(n, m.start(), m.end()):
                return True
    if n in _ENGLISH_STOP_WORDS or n in _CHINESE_STOP_REPLIES:
        return True
    spaced = " ".join(re.sub(r"[^\w'\"\u2018\u2019\u201c\u201d\u00ab\u00bb-]+", " ", unicodedata.normalize("NFKC", text).casefold()).split())
    return any(p.search(spaced) for _, p in STOP_CALLING_ENGLISH)


def has_words(text: str) -> bool:
    """Whether a script holds anything to lint: a letter or a digit. An empty or blank script (spaces, 全角空格, line
    breaks, punctuation alone) lints with no phrase finding and only warning-level missing disclosures for some
    types: stored and approved, it would stand as a campaign's approved script with nothing in it."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def control_character(value: str) -> str | None:
    """The first control character or line/paragraph separator in `value` (as U+XXXX), or None. A label or a name
    printed in a one-record-per-line listing must not break its line or its tab-separated fields."""
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
            return f"U+{ord(ch):04X}"
    return None


def unstorable(value: str) -> str | None:
    """Why a string cannot be kept as text in every store, or None. PostgreSQL refuses NUL in text,
    and a lone UTF-16 surrogate (which a JSON `\\ud800` escape can produce) has no UTF-8 form."""
    if "\x00" in value:
        return "contains a NUL character (U+0000)"
    if not value.isascii() and _SURROGATE.search(value):
        return "contains an unpaired surrogate (not a Unicode character)"
    return None


# ---------------------------------------------------------------------------------------------
# Sentences, clauses, quotations and numbers, in normalised offsets
# ---------------------------------------------------------------------------------------------


# Lines end at \r\n, \n or a bare \r (old Mac exports, some call-recording systems): the same breaks the
# sentence cutter below cuts at, so a finding's line and column agree with where its sentence starts.
_LINE_BREAK_RE = re.compile(r"\r\n?|\n")


def line_starts(text: str) -> list[int]:
    """The offsets at which the lines of `text` start (0 first)."""
    return [0, *(m.end() for m in _LINE_BREAK_RE.finditer(text))]


def line_end(text: str, offset: int) -> int:
    """The offset of the line break that ends the line holding `offset` (len(text) on the last line)."""
    m = _LINE_BREAK_RE.search(text, offset)
    return len(text) if m is None else m.start()


def line_and_column(text: str, offset: int, starts: list[int] | None = None) -> tuple[int, int]:
    """1-based line and column of the character at `offset` (`starts`: line_starts(text), when already known)."""
    starts = starts if starts is not None else line_starts(text)
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


# Sentence ends: 。！？!?；; and line breaks (a run of them is one end). A full stop between digits
# (4.5%) is a decimal point, not an end.
SENTENCE_END_RE = re.compile(r"(?:[。！？!?；;｡\n\r\u2028\u2029]|[.．](?![0-9０-９]))+")
# Clause marks: ，,、：: and dashes/ellipses (the connectives 但, 而, 所以 … are found by the linter's automaton).
CLAUSE_MARK_RE = re.compile(r"[，,、：:…—﹐､︰]+")
# A piece between two marks shorter than this (in normalised characters) is no sentence or clause
# but spacing (保本\n保息, 名！额！有！限！, 零.风.险): it is joined to its neighbours.
MIN_SEGMENT = 3
# Quotations: the span between paired marks, at most QUOTE_MAX characters, not across a line break.
QUOTE_MAX = 120
QUOTE_RE = re.compile(
    "|".join(f"{re.escape(a)}[^{re.escape(b)}\\n]{{0,{QUOTE_MAX}}}{re.escape(b)}"
             for a, b in (("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』"), ('"', '"'), ("'", "'"), ("＂", "＂")))
)
_DIGIT = "0-9０-９"
_CN_NUM = "零〇一二两兩三四五六七八九十百千"
_CN_DIGIT = "零〇一二两兩三四五六七八九"
_ARABIC = f"[{_DIGIT}]+(?:[.．][{_DIGIT}]+)?"
_CHINESE = f"[{_CN_NUM}]*[{_CN_DIGIT}十][{_CN_NUM}]*(?:[点點][{_CN_NUM}]+)?"
_SP = r"[ \u3000]*"
# Number slots ({PCT}, {MONEY} in patterns), matched on the original text.
NUMBER_SLOT_RES = {
    "PCT": re.compile(
        f"(?:百分之|千分之){_SP}(?:{_ARABIC}|{_CHINESE})"
        f"|(?:{_ARABIC}){_SP}(?:[%％‰]|个点|個點|厘|釐)"
        f"|(?:{_CHINESE}){_SP}(?:个点|個點|厘|釐)"
    ),
    "MONEY": re.compile(
        f"(?:{_ARABIC}(?:[,，][{_DIGIT}]{{3}})*|{_CHINESE}){_SP}"
        "(?:万元|萬元|亿元|億元|万块|萬塊|元|块钱|塊錢|块|塊|圆|圓|(?:万|萬|亿|億)(?!分之))"
    ),
}




def _to_norm(n: Normalized, pos: int) -> int:
    """Normalised offset of the first kept character at or after original offset `pos`."""
    if n.index is None:
        return pos
    return bisect.bisect_left(n.index, pos)


def _join_fragments(breaks: list[int], length: int) -> list[int]:
    """Drop the breaks next to a piece shorter than MIN_SEGMENT (the piece joins its neighbours).
    `breaks` is sorted, without duplicates, each in 1..length-1."""
    if not breaks:
        return breaks
    edges = [0, *breaks, length]
    sizes = [b - a for a, b in zip(edges, edges[1:])]
    if min(sizes) >= MIN_SEGMENT:
        return breaks
    return [breaks[i] for i in range(len(breaks)) if sizes[i] >= MIN_SEGMENT and sizes[i + 1] >= MIN_SEGMENT]


@dataclass(frozen=True)
class Segments:
    """Where sentences and clauses begin, in normalised offsets (each list sorted, without 0).

    Offset i lies in sentence `bisect_right(sentences, i)`; a span [s, e) stays inside one sentence
    when `sentence(s) == sentence(e - 1)`. Clause breaks include the sentence breaks.
    """

    sentences: list[int]
    clauses: list[int]

    def sentence(self, i: int) -> int:
        return bisect.bisect_right(self.sentences, i)

    def sentence_end(self, i: int, length: int) -> int:
        """The normalised offset where the sentence holding offset i ends."""
        k = bisect.bisect_right(self.sentences, i)
        return self.sentences[k] if k < len(self.sentences) else length

    def clause_start(self, i: int) -> int:
        k = bisect.bisect_right(self.clauses, i)
        return self.clauses[k - 1] if k else 0


# The marks below are written to begin with one character class: the regular-expression engine then
# skips ahead to a candidate character instead of trying the pattern at every offset (2-3x faster).
# `[C.．](?:(?<=[.．])(?![0-9０-９])|(?<![.．])[C]*)` finds exactly what `[C]+|[.．](?![0-9０-９])` finds
# (a run of C, or a full stop that is no decimal point); tests/lint/test_text.py compares both forms.
_SENTENCE_RE = re.compile("[。！？!?；;｡\n\r\u2028\u2029.．](?:(?<=[.．])(?![0-9０-９])|(?<![.．])[。！？!?；;｡\n\r\u2028\u2029]*)")
_ANY_MARK_RE = re.compile("[。！？!?；;｡\n\r\u2028\u2029，,、：:…—﹐､︰.．](?:(?<=[.．])(?![0-9０-９])|(?<![.．]))")


def _marks(n: Normalized, pattern: "re.Pattern[str]") -> list[int]:
    """Normalised offsets (sorted, unique, in 1..len-1) where a match of `pattern` stands."""
    index, length = n.index, len(n.text)
    out: list[int] = []
    last = last_at = 0
    for m in pattern.finditer(n.original):
        at = m.start()
        if index is None:
            j = at
        else:  # no more characters were kept between two marks than stand between them: a short search
            j = bisect.bisect_left(index, at, last, min(length, last + at - last_at))
            last, last_at = j, at
        if 0 < j < length and (not out or out[-1] != j):
            out.append(j)
    return out


def segment(n: Normalized, connectives: list[int] | None = None, *, clauses: bool = True) -> Segments:
    """Sentences and clauses of a normalised text (`connectives`: normalised offsets where a
    connective such as 但是 starts a clause). Linear: a regular-expression pass over the original
    text for each; `clauses=False` leaves the clause list empty (the linter asks `clause_ends`)."""
    length = len(n.text)
    sentences = _join_fragments(_marks(n, _SENTENCE_RE), length)
    clause_list: list[int] = []
    if clauses:
        clause_list = sorted(set(_marks(n, _ANY_MARK_RE)).union(sentences, (c for c in connectives or () if 0 < c < length)))
        clause_list = _join_fragments(clause_list, length)
        if sentences:  # a sentence end stays a clause end even when a short clause next to it was joined
            clause_list = sorted(set(clause_list).union(sentences))
    return Segments(sentences, clause_list)


# Clause marks less the enumeration comma (、): a list 以穩賺不賠、潛力股等話術 is one clause for the
# reporting tail that ends it.
_LIST_CLAUSE_MARK_RE = re.compile("[。！？!?；;｡\n\r\u2028\u2029，,：:…—﹐︰.．](?:(?<=[.．])(?![0-9０-９])|(?<![.．]))")


def clause_ends(n: Normalized, ends: list[int], *, lists: bool = False) -> list[int]:
    """For each normalised offset in `ends` (sorted: where words such as negators end), the
    normalised offset of the first clause or sentence mark after it in the original (len(text) if
    none); with `lists`, the enumeration comma 、 is no mark (严禁夸大收益、承诺保本 is one reach).
    Linear: the searches of the original text never overlap."""
    marks_re = _LIST_CLAUSE_MARK_RE if lists else _ANY_MARK_RE
    original, index, length = n.original, n.index, len(n.text)
    out: list[int] = []
    mark = -1  # original offset of the first mark at or after `origin`
    origin = -1
    for e in ends:
        o = e if index is None else (index[e - 1] + 1 if e > 0 else 0)
        if not (origin <= o <= mark):
            m = marks_re.search(original, o)
            origin, mark = o, (m.start() if m else len(original))
        out.append(mark if index is None else bisect.bisect_left(index, mark))
    return [min(x, length) for x in out]


def clause_starts(n: Normalized, starts: list[int]) -> list[int]:
    """For each normalised offset in `starts`, the normalised offset where its clause begins: just
    after the last clause or sentence mark before it in the original (0 if none), the enumeration
    comma 、 not counting as one. Linear: the original is searched backwards from each offset in windows
    that double, down to the previous offset at most (a mark is one character, matched or not whatever
    lies beyond its neighbours: a window's matches are the whole text's there). Clauses are short, so the
    first window of 16 characters mostly holds the mark: the text between two offsets far apart is not
    read (the calls of bench/lint.py's scripts, risk slogans in many paragraphs: about half the time)."""
    original, index = n.original, n.index
    finditer = _LIST_CLAUSE_MARK_RE.finditer
    out = []
    prev_limit = prev_found = -1
    for s in starts:
        # the last mark at or before `limit` in the original is the last one whose next kept character
        # is at or before s
        limit = s if index is None else index[s]
        if 0 <= prev_limit <= limit:  # the last mark after the previous limit, else the one found for it
            floor, found = prev_limit + 1, prev_found
        else:
            floor, found = 0, -1
        hi, step = limit + 1, 16  # marks at hi - 1 = limit or before
        while hi > floor:
            lo = max(floor, hi - step)
            last = -1
            for m in finditer(original, lo, hi + 1):
                if m.start() >= hi:
                    break
                last = m.start()
            if last != -1:
                found = last
                break
            hi, step = lo, step * 2
        prev_limit, prev_found = limit, found
        out.append(0 if found == -1 else _to_norm(n, found))
    return out


def _clause_starts_by_marks(n: Normalized, starts: list[int]) -> list[int]:
    """clause_starts as one pass over every mark of the text (the reference tests compare it with)."""
    marks = _marks(n, _LIST_CLAUSE_MARK_RE)
    out = []
    for s in starts:
        k = bisect.bisect_right(marks, s)
        out.append(marks[k - 1] if k else 0)
    return out


def quotations(n: Normalized) -> list[tuple[int, int]]:
    """Quoted spans (between paired quotation marks), in normalised offsets, sorted."""
    out = []
    for m in QUOTE_RE.finditer(n.original):
        s, e = _to_norm(n, m.start() + 1), _to_norm(n, m.end() - 1)
        if s < e:
            out.append((s, e))
    return out


# Every match of a slot holds one of these (a percent sign or 个点/厘, an amount's unit): a text
# without any has no match, and the regular expression need not run over it.
NUMBER_SLOT_MARKERS = {
    "PCT": ("%", "％", "‰", "个点", "個點", "厘", "釐", "百分之", "千分之"),
    "MONEY": ("元", "块", "塊", "圆", "圓", "万", "萬", "亿", "億"),
}


def _pattern_chars(pattern: "re.Pattern[str]") -> frozenset[str] | None:
    """Every character a match of `pattern` can consume or look at (its literals and character
    classes, those of its lookarounds included), or None when it uses anything else (., \\w, a
    negated class, a case-insensitive flag ...)."""
    from re import _constants as c, _parser  # the standard library's own parser of patterns

    if pattern.flags & re.IGNORECASE:
        return None
    out: set[str] = set()

    def walk(items) -> bool:
        for op, av in items:
            if op is c.LITERAL:
                out.add(chr(av))
            elif op is c.IN:
                for iop, iav in av:
                    if iop is c.LITERAL:
                        out.add(chr(iav))
                    elif iop is c.RANGE and iav[1] - iav[0] < 0x10000:
                        out.update(map(chr, range(iav[0], iav[1] + 1)))
                    else:
                        return False
            elif op is c.BRANCH:
                if not all(walk(alt) for alt in av[1]):
                    return False
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                if not walk(av[2]):
                    return False
            elif op is c.SUBPATTERN:
                if not walk(av[-1]):
                    return False
            elif op in (c.ASSERT, c.ASSERT_NOT):
                if not walk(av[1]):
                    return False
            elif op is c.ATOMIC_GROUP:
                if not walk(av):
                    return False
            else:
                return False
        return True

    try:
        return frozenset(out) if walk(_parser.parse(pattern.pattern, pattern.flags)) else None
    except Exception:  # pragma: no cover - a parser of another Python version: scan whole texts
        return None


# For each slot: the characters its matches are made of, and where a marker can start. A match
# lies inside one run of those characters and holds a marker (NUMBER_SLOT_MARKERS), so only the
# runs around a marker need the regular expression (`number_slots`).
_SLOT_CHARS = {name: _pattern_chars(pattern) for name, pattern in NUMBER_SLOT_RES.items()}
_SLOT_RUN_RE = {name: re.compile("[" + "".join(map(re.escape, sorted(chars))) + "]*")
                for name, chars in _SLOT_CHARS.items() if chars}
_SLOT_MARKER_RE = {name: re.compile("|".join(map(re.escape, markers))) for name, markers in NUMBER_SLOT_MARKERS.items()}


def _slot_matches(original: str, name: str) -> list[tuple[int, int]]:
    """The matches of NUMBER_SLOT_RES[name] in `original` (original offsets), exactly as one
    `finditer` over the whole text finds them, the regular expression run only over the runs of the
    slot's characters that hold a marker.

    Why that is the same: no match can start on, or cross, a character outside `chars` (it would
    consume it), so the scan of the whole text starts afresh at every run, and with the lookarounds'
    characters in `chars` too, a run's matches do not depend on the text around it (`endpos` cut at
    the run's end changes nothing). Every match holds a marker, so a run without one has none."""
    pattern, chars = NUMBER_SLOT_RES[name], _SLOT_CHARS[name]
    starts = [m.start() for m in _SLOT_MARKER_RE[name].finditer(original)]
    if not starts:
        return []
    if chars is None or len(starts) * 16 > len(original):  # dense in markers: one pass is cheaper
        return [m.span() for m in pattern.finditer(original)]
    out: list[tuple[int, int]] = []
    run, size = _SLOT_RUN_RE[name], len(original)
    backwards = original[::-1]  # the run's start: how far the run reaches backwards from the marker
    done = 0  # the runs before this original offset are scanned
    for at in starts:
        if at < done or original[at] not in chars:
            continue
        start = size - run.match(backwards, size - at).end()
        end = run.match(original, at).end()
        out.extend(m.span() for m in pattern.finditer(original, start, end))
        done = end
    return out


def number_slots(n: Normalized, name: str) -> list[tuple[int, int]]:
    """Spans of the number slot `name` (PCT, MONEY) in normalised offsets, sorted by start."""
    out = []
    for ms, me in _slot_matches(n.original, name):
        s, e = _to_norm(n, ms), _to_norm(n, me)
        if s < e:
            out.append((s, e))
    return out



_SENTENCE_END_MARKS = frozenset("。！？!?；;｡…")


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Original offsets of the sentence (or sentences) holding the original span [start, end), as the linter cuts
    them, without the whitespace at either end, with the sentence's own closing marks: the passage a reviewer's
    judgement of a finding is about."""
    return sentence_cutter(text)(start, end)


def sentence_cutter(text: str) -> Callable[[int, int], tuple[int, int]]:
    """`sentence_around` for many spans of one text: the text normalised and cut into sentences once."""
    n = normalize(text)
    seg = segment(n, clauses=False)
    size = len(n.text)

    def cut(start: int, end: int) -> tuple[int, int]:
        if not size:
            return start, end
        first = _to_norm(n, start)
        last = max(first, _to_norm(n, end) - 1)
        k = bisect.bisect_right(seg.sentences, min(first, size - 1))
        s = seg.sentences[k - 1] if k else 0
        e = seg.sentence_end(min(last, size - 1), size)
        lo, hi = min(n.orig(s), start), max(n.span(s, e)[1], end)
        while hi < len(text) and text[hi] in _SENTENCE_END_MARKS:  # the sentence's own closing marks
            hi += 1
        while lo < hi and text[lo].isspace():
            lo += 1
        while hi > lo and text[hi - 1].isspace():
            hi -= 1
        return lo, hi

    return cut
