"""The normaliser and its offset map; contains_any; asks_to_stop_calling."""

from __future__ import annotations

import random

import pytest

from guard.core.text import STOP_CALLING_PHRASES, Normalized, asks_to_stop_calling, contains_any, normalize, normalize_phrase


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("保本保息", "保本保息"),
        ("保 本 保 息", "保本保息"),
        ("保-本", "保本"),
        ("零.风.险", "零风险"),
        ("零，风，险", "零风险"),
        ("零\u3000风\u00a0险", "零风险"),  # ideographic space, no-break space
        ("保\u200b证\u200c收\u200d益", "保证收益"),  # zero-width space, non-joiner, joiner
        ("必\u2060涨\u2061\u2064", "必涨"),  # word joiner, invisible operators
        ("\ufeff无风险", "无风险"),  # BOM
        ("稳\u00ad赚", "稳赚"),  # soft hyphen
        ("零\ufe0f风\U000E0100险", "零风险"),  # variation selectors
        ("\u200e保本\u200f", "保本"),  # bidi marks
        ("保\u3164本", "保本"),  # Hangul filler renders as nothing
        ("１００％安全", "100%安全"),  # full-width digits and percent
        ("ＡＢＣ abc", "abcabc"),  # full-width letters, casefold, space dropped
        ("保證收益", "保证收益"),  # traditional -> simplified
        ("穩賺不賠", "稳赚不赔"),
        ("並非零風險", "并非零风险"),
        ("別再打來", "别再打来"),
        ("保本\n保息\r\n", "保本保息"),  # line breaks dropped
        ("【零】『风』《险》", "零风险"),
        ("4.5%", "45%"),
        ("Straße", "strasse"),  # casefold may expand a character
        ("", ""),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw).text == expected


def test_a_symbol_that_stands_for_words_reads_as_them_and_maps_back_to_itself():
    raw = "“稳健”≠保本"
    n = normalize(raw)
    assert n.text == "稳健不等于保本"
    assert raw[slice(*n.span(2, 5))] == "≠"  # the three characters of 不等于 come from the one symbol
    assert raw[slice(*n.span(5, 7))] == "保本"
    assert normalize("1 = 1 + 0").text == "110"  # other symbols are still dropped


def test_spans_map_back_to_the_original_from_first_to_last_matched_character():
    raw = "这款产品保 本，保\u200b息！"
    n = normalize(raw)
    start = n.text.index("保本保息")
    s, e = n.span(start, start + 4)
    assert raw[s:e] == "保 本，保\u200b息"
    assert n.orig(start) == raw.index("保")
    # one character
    s, e = n.span(start + 1, start + 2)
    assert raw[s:e] == "本"


def test_a_span_ends_after_the_marks_attached_to_its_last_character():
    # Unicode UAX #29 (grapheme clusters), GB9/GB9a: no break before a combining mark (Extend, SpacingMark) or ZWJ. A
    # finding's span stopped between 息 and its accent: `matched` and the SARIF snippet quoted a character the text does
    # not show, and an editor selecting the region split it.
    for raw, expected in (("本产品保本保息\u0301。", "保本保息\u0301"), ("本产品保本保息\ufe0f\u0301好", "保本保息\ufe0f\u0301"),
                          ("本产品保本保息\u200d😀", "保本保息\u200d"), ("保本保息", "保本保息"), ("保本保息 \u0301", "保本保息")):
        n = normalize(raw)
        start = n.text.index("保本保息")
        assert raw[slice(*n.span(start, start + 4))] == expected, raw
    assert contains_any("这是保本\u0301产品", ["保本"]) == ("保本", 2, 5)


def test_identity_text_needs_no_index():
    n = normalize("保本保息")
    assert n.index is None
    assert n.span(1, 3) == (1, 3) and n.orig(4) == 4


def test_orig_at_the_end_and_empty_spans():
    raw = "保本。。"
    n = normalize(raw)
    assert n.text == "保本"
    assert n.orig(2) == 2  # end of the last kept character, trailing punctuation not included
    assert n.span(1, 1) == (1, 1)
    assert normalize("，，").span(0, 0) == (0, 0)
    with pytest.raises(IndexError):
        n.orig(3)
    with pytest.raises(IndexError):
        n.span(2, 1)


def test_expanding_characters_map_to_their_source():
    raw = "ß保本"
    n = normalize(raw)
    assert n.text == "ss保本"
    assert n.span(0, 2) == (0, 1)
    assert n.span(1, 3) == (0, 2)
    assert raw[slice(*n.span(2, 4))] == "保本"


def _boundaries(n: Normalized) -> list[int]:
    """Normalised offsets that fall on a boundary between two original characters."""
    if n.index is None:
        return list(range(len(n.text) + 1))
    return [i for i in range(len(n.text) + 1) if i in (0, len(n.text)) or n.index[i] != n.index[i - 1]]


def test_offset_map_invariants_on_random_noisy_text():
    pool = list("保本息零风险稳赚不赔abcXYZ19%") + list(" ，。.-_*\n\t\u3000\u00a0\u200b\u200d\ufeff\u00ad\ufe0f") + list("１Ａ％") + list("證穩險") + ["ß", "ﬁ"]
    rng = random.Random(7)
    for _ in range(300):
        raw = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
        n = normalize(raw)
        # the normalised text is what the characters give one by one
        assert n.text == "".join(normalize(c).text for c in raw)
        cuts = _boundaries(n)
        for _ in range(10):
            a, b = sorted(rng.sample(cuts, 2)) if len(cuts) > 1 else (0, 0)
            s, e = n.span(a, b)
            assert 0 <= s <= e <= len(raw)
            assert normalize(raw[s:e]).text == n.text[a:b]
            if b > a:  # the span starts on a kept character and ends on one or on the marks attached to it
                assert normalize(raw[s]).text
                last = e
                while not normalize(raw[last - 1]).text:
                    assert raw[last - 1] in "\u200d\ufe0f"
                    last -= 1
                assert last > s


def test_normalize_phrase_of_only_punctuation_is_empty():
    assert normalize_phrase("，。！ \u200b") == ""
    assert normalize_phrase("理财非存款、产品有风险、投资须谨慎") == "理财非存款产品有风险投资须谨慎"


def test_contains_any_finds_the_earliest_then_longest_phrase_with_original_offsets():
    text = "您好，我們保 證 收 益，而且保本保息"
    assert contains_any(text, ["保本保息", "保证收益"]) == ("保证收益", 5, 12)
    assert contains_any(text, ["保本", "保本保息"]) == ("保本保息", 15, 19)
    assert contains_any(text, ["零风险"]) is None
    assert contains_any(normalize(text), ["保證收益"]) == ("保證收益", 5, 12)
    assert contains_any("", ["保本"]) is None
    assert contains_any("保本", ["，，"]) is None  # a phrase that normalises to nothing never matches


STOPS = [
    "不要再打了", "请你们不要再打了！", "别再打来了", "不 要 再 打 了", "不-要-再-打", "别，再，打，电话",
    "不要再联系我", "以後別再打來了", "請不要再聯繫我", "不要再聯絡我", "别再给我打电话了", "再打我就投诉你们",
    "不要再骚扰我", "不\u200b要\u200b再\u200b打", "ＢＵ不要再打了", "我说了别打了", "把我拉黑吧", "以后不要再推销了",
    "不要给我打电话", "別再騷擾我", "客户明确表示：请勿来电", "客户很生气，说再打电话就投诉到银保监",
    "请把我的号码删掉，删除我的号码", "Please STOP calling me", "don't call me again", "客户拒绝营销，挂断",
    "别再打擾我了", "不要再打電話過來",
    # the formal words of a call note, and the refusals guides to the rule quote
    "请勿再致电", "客户要求不要再致电", "不要再拨打", "别再拨打了", "不要再给我来电了", "谢绝来电", "不用再联系了",
    "别打过来", "免打扰，请把我加入免打扰名单", "不再接受电话营销", "删除号码", "拒绝再接到营销电话", "你们再打电话我就投诉",
    "莫再打了", "請取消共同行銷", "我不願再接受電話行銷", "唔好再打嚟啦", "咪再打俾我", "唔使再打喇",
]
KEEPS = [
    "客户咨询存款利率", "理财经理介绍的产品收益和宣传不一致", "请下午再打过来", "现在在开会，晚点再打",
    "客户要求寄送产品说明书", "客户说不要理财，要存款", "暂时不需要，下个月再联系", "號碼錯了", "请打我另一个电话",
    "我不要这个产品", "不要紧，再打一次试试", "", "客户问这个产品能不能不要再打折了", "客户说不要再打款到旧账户",
    "客户问别再打卡了是什么意思", "客户表示有兴趣，可以再联系", "客户说下周三再打来", "客户在外地出差，明天再打",
    "客户说利息太低了", "客户说先不用了，谢谢", "家里老人接的电话，说本人晚上在家",
    "客户说明天上午再致电", "客户请我们下午拨打他的手机", "客户要求下周来电", "客户在开车，稍后再联系",
    "客户不接受这个利率", "客户要求删除一张银行卡",
]


@pytest.mark.parametrize("text", STOPS)
def test_asks_to_stop_calling(text):
    assert asks_to_stop_calling(text)


@pytest.mark.parametrize("text", KEEPS)
def test_does_not_ask_to_stop_calling(text):
    assert not asks_to_stop_calling(text)


def test_the_phrase_list_has_both_scripts_and_every_phrase_survives_normalisation():
    assert len(STOPS) >= 20 and len(KEEPS) >= 20
    assert "不要再打" in STOP_CALLING_PHRASES and "別再打來" in STOP_CALLING_PHRASES and "不要再聯繫" in STOP_CALLING_PHRASES
    assert all(normalize_phrase(p) for p in STOP_CALLING_PHRASES)


def test_every_number_slot_match_holds_one_of_its_markers():
    """number_slots skips a text with none of a slot's markers: that is only right if no match lacks one."""
    import random

    from guard.core.text import NUMBER_SLOT_MARKERS, NUMBER_SLOT_RES

    rnd = random.Random(7)
    alphabet = "0123456789０１.．%％‰一二两三四五六七八九十百千点點个個厘釐元块塊圆圓万萬亿億钱錢分之 ,，收益年化"
    matched = 0
    for _ in range(20_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 12)))
        for name, regex in NUMBER_SLOT_RES.items():
            if regex.search(text):
                matched += 1
                assert any(m in text for m in NUMBER_SLOT_MARKERS[name]), (name, text)
    assert matched > 1000  # the generator does produce matches


# The sentence and clause marks are written so that the regular-expression engine can skip ahead to
# a candidate character; these are the plain forms they must agree with.
_PLAIN_MARKS = {
    "_SENTENCE_RE": "[。！？!?；;｡\n\r\u2028\u2029]+|[.．](?![0-9０-９])",
    "_ANY_MARK_RE": "[。！？!?；;｡\n\r\u2028\u2029，,、：:…—﹐､︰]|[.．](?![0-9０-９])",
    "_LIST_CLAUSE_MARK_RE": "[。！？!?；;｡\n\r\u2028\u2029，,：:…—﹐︰]|[.．](?![0-9０-９])",
}


def _noisy_texts(seed: int, count: int, alphabet: str, longest: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, longest))) for _ in range(count)]


@pytest.mark.parametrize("name", sorted(_PLAIN_MARKS))
def test_the_fast_mark_patterns_find_what_the_plain_ones_find(name):
    import re

    from guard.core import text as module

    fast, plain = getattr(module, name), re.compile(_PLAIN_MARKS[name])
    alphabet = "。！？!?；;｡\n\r\u2028\u2029，,、：:…—﹐､︰.．0１9保本息 %"
    texts = _noisy_texts(11, 20_000, alphabet, 16) + ["4.5%。保本..保息．１", "", "...", "。.。"]
    found = 0
    for text in texts:
        expected = [m.span() for m in plain.finditer(text)]
        assert [m.span() for m in fast.finditer(text)] == expected, text
        found += len(expected)
    assert found > 30_000


_SLOT_ALPHABET = "0123456789０１２.．,，%％‰ 　一二两兩三四五六七八九十百千万萬亿億零〇点點个個厘釐分之元块塊钱錢圆圓收益年化。"


def test_number_slots_scan_only_around_markers_and_find_what_one_pass_finds():
    """`_slot_matches` runs the slot's regular expression only over the runs of its characters that
    hold a marker; it must find exactly what one `finditer` over the whole text finds."""
    from guard.core.text import NUMBER_SLOT_RES, _SLOT_CHARS, _slot_matches

    assert all(_SLOT_CHARS[name] for name in NUMBER_SLOT_RES)  # the windowed path is the one in use
    texts = _noisy_texts(13, 20_000, _SLOT_ALPHABET, 60) + _noisy_texts(17, 300, _SLOT_ALPHABET + "保本息风险" * 20, 400)
    texts += ["年化6.5%，万分之五，10万元，两万块钱", "1%" * 500, "收益" * 50 + "6%" + "收益" * 50]
    found = 0
    for text in texts:
        for name, regex in NUMBER_SLOT_RES.items():
            expected = [m.span() for m in regex.finditer(text)]
            assert _slot_matches(text, name) == expected, (name, text)
            found += len(expected)
    assert found > 20_000


def test_every_number_slot_match_holds_a_marker_inside_it():
    """What lets `_slot_matches` skip the runs without a marker: each match holds one."""
    from guard.core.text import NUMBER_SLOT_MARKERS, NUMBER_SLOT_RES

    matched = 0
    for text in _noisy_texts(19, 20_000, _SLOT_ALPHABET, 14):
        for name, regex in NUMBER_SLOT_RES.items():
            for m in regex.finditer(text):
                matched += 1
                assert any(marker in m.group() for marker in NUMBER_SLOT_MARKERS[name]), (name, m.group())
    assert matched > 1000


def test_pattern_chars_gives_up_on_what_it_cannot_enumerate():
    import re

    from guard.core.text import _pattern_chars

    assert _pattern_chars(re.compile("[0-9]+(?!分之)元|百")) == frozenset("0123456789分之元百")
    for pattern in ("a.b", r"\w+元", "[^元]元", "(?i)abc", r"\d%"):
        assert _pattern_chars(re.compile(pattern)) is None, pattern


def test_normalize_gives_the_per_character_reference_text_and_map():
    """The offset map: None when every character gives exactly one, else the source of each
    normalised character (dropped, changed and expanding characters mixed at random)."""
    from guard.core.text import normalize_char

    # (U+E0100 and U+30000 lie beyond normalize's table by code point; \ud800 is a lone surrogate)
    pool = list("保本息零风险稳赚不赔abcXYZ19%。，、 \n\u200b\ufe0f１Ａ％證穩險ß①ﬁ½℃\U00020000") + ["\U000E0100", "\U00030000", "\ud800"]
    rnd = random.Random(23)
    texts = ["", "保本", "保本。", "證券", "ß", "ABC"] + ["".join(rnd.choice(pool) for _ in range(rnd.randint(0, 30))) for _ in range(3000)]
    for raw in texts + texts:  # the second time, every character has been seen
        pieces = [normalize_char(c) for c in raw]
        n = normalize(raw)
        assert n.text == "".join(pieces)
        if all(len(p) == 1 for p in pieces):
            assert n.index is None, raw
        else:
            assert list(n.index) == [i for i, p in enumerate(pieces) for _ in p], raw


def test_sentence_around_gives_the_sentence_a_finding_stands_in_on_the_original_text():
    from guard.core.text import sentence_around

    text = "您好，我是客户经理。\n  这款理财保本保息，零 风 险！过往业绩不代表未来表现。"
    at = text.index("零 风 险")
    s, e = sentence_around(text, at, at + 5)
    assert text[s:e] == "这款理财保本保息，零 风 险！"  # whitespace before it dropped, its closing mark kept
    at = text.index("保本")
    assert sentence_around(text, at, at + 2) == (s, e)
    # a span across a sentence end gives both sentences
    s2, e2 = sentence_around(text, text.index("险"), text.index("过往") + 2)
    assert text[s2:e2] == "这款理财保本保息，零 风 险！过往业绩不代表未来表现。"
    trad = "銀行的保本產品本質上就是一個精緻的禮盒。客戶只看到保本兩個大字"
    at = trad.rindex("保本")
    assert trad[slice(*sentence_around(trad, at, at + 2))] == "客戶只看到保本兩個大字"
    assert sentence_around("保本", 0, 2) == (0, 2)
