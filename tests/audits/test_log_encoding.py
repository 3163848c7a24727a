"""The call log's encoding: names users give, and detection from the log's non-ASCII lines
(guard/services/audits/encoding.py), measured on banking transcripts short and long."""

from __future__ import annotations

import io
import random

import pytest

from guard.services.audits.encoding import EncodingError, UnknownEncoding, detect, resolve
from guard.services.audits.log_reader import LogError, read_log

# Mainland telemarketing transcripts (simplified), as a bank's call-centre system transcribes them.
SIMPLIFIED = [
    "您好，我是招商银行的客户经理，请问您现在方便接电话吗？",
    "这款理财保本保息，零风险，年化收益百分之五。",
    "我们这个产品预期年化收益百分之八，名额有限，今天是最后一天。",
    "先生您好，您的信用卡可以办理分期，手续费很低，每期只要还一点点。",
    "请问您对我们的存款产品感兴趣吗？三年期定期存款利率比较高。",
    "好的，那我把产品说明书发到您的手机上，您看一下风险提示。",
    "这个基金是中低风险，业绩比较基准是百分之三点五，过往业绩不代表未来表现。",
    "您上次说不要再打电话了，抱歉打扰您，我们会记录下来。",
    "阿姨您放心，这个产品稳赚不赔，很多老客户都买了。",
    "现在办理消费贷，最快十分钟到账，额度最高三十万元。",
    "您好，请问是王女士吗？我这边是工商银行信用卡中心。",
    "保险产品有犹豫期，十五天内可以全额退保，请您仔细阅读条款。",
    "机会难得，错过就没有了，赶紧转账吧。",
    "请您到网点做一下风险评估，评估结果是稳健型才可以购买。",
    "对不起，我现在在开会，晚点再说吧。",
]
# Taiwan and Hong Kong transcripts (traditional; the last ones Cantonese, with HKSCS characters).
TRADITIONAL = [
    "您好，我是國泰世華銀行的理財專員，請問您現在方便接電話嗎？",
    "這款理財保本保息，零風險，保證收益。",
    "我們這個產品預期年化收益百分之八，名額有限，今天是最後一天。",
    "先生您好，您的信用卡可以辦理分期，手續費很低，每期只要還一點點。",
    "請問您對我們的存款產品有興趣嗎？三年期定期存款利率比較高。",
    "好的，那我把產品說明書寄到您的信箱，您看一下風險提示。",
    "這檔基金是中低風險，過往績效不代表未來表現。",
    "您上次說不要再打電話了，抱歉打擾您，我們會記錄下來。",
    "現在辦理信用貸款，最快十分鐘撥款，額度最高三百萬元。",
    "您好，請問是陳小姐嗎？我這邊是匯豐銀行信用卡中心。",
    "保險商品有契約撤銷期，十天內可以全額退費，請您仔細閱讀條款。",
    "機會難得，錯過就沒有了，趕快匯款吧。",
    "呢個產品保本保息，零風險，你今日唔買就冇喇。",
    "佢哋都買咗，你放心啦，一定賺錢嘅。",
]
# Not used to tune the detector: a check that it was not fitted to the sentences above.
HELD_OUT_SIMPLIFIED = [
    "喂，您好，这里是建设银行，想跟您介绍一款新发行的养老理财。",
    "这个月存五万送一桶油，到期连本带息一起给您。",
    "您的额度已经提升到八万，可以随借随还，按日计息。",
    "收益是浮动的，不过我们这款从来没亏过，您可以放心。",
    "如果您不需要，我们就不再打扰了，祝您生活愉快。",
    "客户表示已在他行购买，暂不考虑，已记录。",
]
HELD_OUT_TRADITIONAL = [
    "喂，您好，這裡是玉山銀行，想跟您介紹一款新發行的退休理財。",
    "這個月存五萬送禮券，到期連本帶息一起給您。",
    "您的額度已經提升到八萬，可以隨借隨還，按日計息。",
    "收益是浮動的，不過我們這款從來沒虧過，您可以放心。",
    "如果您不需要，我們就不再打擾了，祝您生活愉快。",
    "客戶表示已在他行購買，暫不考慮，已記錄。",
]
HEADER = "call_id,phone,called_at,campaign,transcript\n"


def _noise(seed: int, n: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(128, 256) for _ in range(n))


def log(cells: list[str], ascii_rows: int = 0) -> str:
    rows = [f"a{i},13800138000,2026-11-23T10:15:00+08:00,dep-2026q4,\n" for i in range(ascii_rows)]
    rows += [f"c{i},13800138000,2026-11-23T10:15:00+08:00,dep-2026q4,{c}\n" for i, c in enumerate(cells)]
    return HEADER + "".join(rows)


def detected(data: bytes) -> str:
    return detect(io.BytesIO(data))


def test_names_users_give():
    assert resolve("GBK") == resolve("gb2312") == resolve("CP936") == resolve("gb18030") == "gb18030"
    assert resolve("BIG5") == resolve("Big5-HKSCS") == resolve("big5_hkscs") == "big5hkscs"
    assert resolve("UTF-8") == resolve("utf8") == resolve("utf-8-sig") == "utf-8"
    assert resolve("cp950") == "cp950" and resolve("shift_jis") == "shift_jis"
    # codecs, not text encodings; and text codecs a log's ASCII (commas, quotes, line breaks) does not survive
    for bad in ("klingon", "", "base64", "rot13", "zlib", "x" * 500, "utf\x008", "idna", "punycode", "unicode_escape",
                "raw_unicode_escape", "utf-7", "hz", "cp037", "undefined"):
        with pytest.raises(UnknownEncoding):
            resolve(bad)


@pytest.mark.parametrize("corpus,enc,want", [
    (SIMPLIFIED + HELD_OUT_SIMPLIFIED, "gbk", "gb18030"), (SIMPLIFIED + HELD_OUT_SIMPLIFIED, "gb18030", "gb18030"),
    (TRADITIONAL + HELD_OUT_TRADITIONAL, "big5hkscs", "big5hkscs"), (TRADITIONAL + HELD_OUT_TRADITIONAL, "gb18030", "gb18030"),
    (SIMPLIFIED + TRADITIONAL, "utf-8", "utf-8"), (SIMPLIFIED + TRADITIONAL, "utf-8-sig", "utf-8"),
    (SIMPLIFIED + TRADITIONAL, "utf-16", "utf-16"),
])
def test_every_sentence_alone_and_whole_logs_are_detected(corpus, enc, want):
    for sentence in corpus:
        assert detected(log([sentence]).encode(enc)) == want, sentence
    assert detected(log(corpus).encode(enc)) == want


def test_big5_files_without_hong_kong_characters():
    plain = [s for s in TRADITIONAL + HELD_OUT_TRADITIONAL if all(_encodable(c, "big5") for c in s)]
    assert len(plain) >= 15
    for sentence in plain:
        assert detected(log([sentence]).encode("big5")) == "big5hkscs"
        assert detected(log([sentence]).encode("cp950")) == "big5hkscs"


def _encodable(ch: str, enc: str) -> bool:
    try:
        ch.encode(enc)
    except UnicodeEncodeError:
        return False
    return True


def test_chinese_that_only_starts_far_into_a_large_log():
    data = log(SIMPLIFIED[:3], ascii_rows=40_000).encode("gbk")  # 2.3 MB of ASCII first
    assert len(data) > 2_000_000
    stream = io.BytesIO(data)
    stream.seek(7)
    assert detect(stream) == "gb18030" and stream.tell() == 7  # left where it was
    assert detected(log(TRADITIONAL[:2], ascii_rows=40_000).encode("big5")) == "big5hkscs"
    assert detected(log([], ascii_rows=100).encode("ascii")) == "utf-8"


def measure(corpus: list[str], enc: str, want: str, length: int, trials: int = 200) -> tuple[int, int, int]:
    """(right, refused, wrong) over random excerpts of `length` characters, each the log's only Chinese."""
    text = "".join(corpus)
    rng = random.Random(length * 31 + len(enc))
    right = refused = wrong = 0
    for _ in range(trials):
        i = rng.randrange(len(text) - length)
        try:
            got = detected(log([text[i:i + length]]).encode(enc))
        except EncodingError:
            refused += 1
            continue
        if got == want:
            right += 1
        else:
            wrong += 1
    return right, refused, wrong


@pytest.mark.parametrize("corpus,enc,want", [
    (SIMPLIFIED + HELD_OUT_SIMPLIFIED, "gbk", "gb18030"), (TRADITIONAL + HELD_OUT_TRADITIONAL, "big5hkscs", "big5hkscs"),
    (TRADITIONAL + HELD_OUT_TRADITIONAL, "gb18030", "gb18030"),
])
def test_short_texts_are_decided_or_refused_never_misread_as_the_other(corpus, enc, want):
    """A log with only a few Chinese characters: GB18030 is never taken for Big5 nor the reverse
    (a character or two may pass as UTF-8: a documented limit); short ones are refused rather than guessed."""
    for length, decided_at_least in ((2, 0.2), (3, 0.4), (4, 0.7), (6, 0.85), (8, 0.9), (12, 0.9), (20, 0.97)):
        right, refused, wrong = measure(corpus, enc, want, length)
        utf8_by_chance = 0 if length > 2 else wrong  # two GBK characters are valid UTF-8 about 1 time in 100
        assert wrong - utf8_by_chance == 0 and right >= decided_at_least * 200, (length, right, refused, wrong)


@pytest.mark.parametrize("data,why", [
    (log(["お客様、この商品は元本保証です。今日が最後のチャンスです。"]).encode("shift_jis"), "does not read as Chinese"),
    (log(["고객님 원금 보장 상품입니다 오늘이 마지막입니다"]).encode("euc-kr"), "does not read as Chinese"),
    (log(["Customer José Müller declined, naïve façade"]).encode("cp1252"), "not UTF-8, GB18030"),
    (log(["这款理财保本保息"]).encode("utf-16-le"), "without a byte-order mark"),
    (HEADER.encode() + _noise(3, 5000), "none of them decodes"),
    (log(["保本"]).encode("gbk"), "cannot tell"),
])
def test_what_cannot_be_told_is_refused_with_the_way_out(data, why):
    with pytest.raises(EncodingError) as caught:
        detected(data)
    assert why in str(caught.value) and "--encoding" in str(caught.value) and "?encoding=" in str(caught.value)


def rows(data: bytes, encoding: str):
    return list(read_log(io.BytesIO(data), None, encoding))


def test_rows_are_read_in_the_encoding_and_undecodable_ones_rejected():
    text = log(SIMPLIFIED[:2] + ["x"] * 200)
    got = rows(text.encode("gbk"), "gb18030")
    assert [r["transcript"] for _, r, _ in got[:2]] == SIMPLIFIED[:2]
    corrupt = text.encode("gbk").replace(b"c150,", b"c150\xff,")
    got = rows(corrupt, "gb18030")
    assert [(line, why) for line, row, why in got if row is None] == [(152, "not valid GB18030")]
    big5 = log(TRADITIONAL).encode("big5hkscs")
    assert [r["transcript"] for _, r, _ in rows(big5, "big5hkscs")] == TRADITIONAL
    # GB18030's own byte-order mark and UTF-16's are not part of the header
    assert rows(b"\x84\x31\x95\x33" + log(SIMPLIFIED[:1]).encode("gb18030"), "gb18030")[0][1]["transcript"] == SIMPLIFIED[0]
    assert rows(log(SIMPLIFIED[:1]).encode("utf-16"), "utf-16")[0][1]["transcript"] == SIMPLIFIED[0]


def test_a_log_cut_mid_character_is_a_rejected_row_not_a_crash():
    data = log(SIMPLIFIED[:2] + ["好"] * 200).encode("utf-16")[:-3]  # the last line loses its line break and half a character
    got = rows(data, "utf-16")
    assert got[0][1]["transcript"] == SIMPLIFIED[0] and got[-1][1:] == (None, "not valid UTF-16")
    gb = log(SIMPLIFIED[:2] + ["好"] * 200).encode("gb18030") + "c999,13800138000,2026-11-23T10:15:00+08:00,dep-2026q4,保本".encode("gb18030")[:-1]
    assert rows(gb, "gb18030")[-1][1:] == (None, "not valid GB18030")


def test_a_replacement_character_in_the_log_is_text_not_an_error():
    got = rows(log(["客户说：�"] * 3).encode("utf-8"), "utf-8")
    assert [why for _, _, why in got] == [None] * 3 and got[0][1]["transcript"] == "客户说：�"


def test_too_many_undecodable_rows_refuse_the_log():
    # the log: GBK read as UTF-8; every Chinese row undecodable
    with pytest.raises(LogError) as caught:
        rows(log(SIMPLIFIED + ["x"] * 20).encode("gbk"), "utf-8")
    assert "15 of the log's 35 rows are not valid UTF-8" in str(caught.value) and "lines 2, 3, 4, 5, 6, …" in str(caught.value)
    # a UTF-8 log with a GBK part appended: UTF-8 (its CJK lines are no accident), and the GBK rows sink it
    mixed = log(SIMPLIFIED).encode("utf-8") + "".join(f"g{i},13800138000,2026-11-23T10:15:00+08:00,dep-2026q4,{s}\n"
                                                       for i, s in enumerate(SIMPLIFIED)).encode("gbk")
    assert detected(mixed) == "utf-8"
    with pytest.raises(LogError):
        rows(mixed, "utf-8")
    # one row of 150 (under 1%) is rejected by itself
    one = log(["您好"] * 150).encode("utf-8").replace(b"c9,", b"c9\xff,")
    assert [(line, why) for line, row, why in rows(one, "utf-8") if row is None] == [(11, "not valid UTF-8")]


@pytest.mark.parametrize("enc,want", [("gbk", "gb18030"), ("big5", "big5hkscs")])
def test_a_list_whose_chinese_is_its_header_and_full_width_digits_is_read_in_its_encoding(enc, want):
    # Numbers typed with a Chinese input method come out full-width (１３９…); in GBK/Big5 they are the
    # encodings' own full-width forms, the most Chinese thing a list of numbers holds, not a sign of another script.
    generator = random.Random(5)
    full = str.maketrans("0123456789", "０１２３４５６７８９")
    rows = ["手机号码,来源,原因" if enc == "gbk" else "手機號碼,來源,原因"]
    for i in range(2000):
        number = f"139{generator.randrange(10 ** 8):08d}"
        rows.append(f"{number.translate(full) if i % 5 == 0 else number},customer_request,")
    assert detected(("\r\n".join(rows) + "\r\n").encode(enc)) == want


@pytest.mark.parametrize("enc,want", [("gbk", "gb18030"), ("big5hkscs", "big5hkscs")])
def test_a_log_whose_chinese_is_a_column_of_customer_names_is_read_in_its_encoding(enc, want):
    # A CRM or dialer export's Chinese is mostly names (张伟, 王芳 …: the ten commonest full names, 公安部户政管理研究中心
    # 2019 name report), few of which are among running text's most frequent characters.
    generator = random.Random(9)
    surnames, given = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜敏静秀英丽强磊军洋勇艳杰娟涛明超霞")
    if enc != "gbk":
        surnames, given = "王李張劉陳楊黃趙吳周徐孫馬朱胡郭何高林羅", "偉芳娜敏靜秀英麗強磊軍洋勇艷傑娟濤明超霞"
    rows = ["call_id,phone,called_at,campaign,customer_name"]
    for i in range(2000):
        name = generator.choice(surnames) + "".join(generator.choice(given) for _ in range(generator.randint(1, 2)))
        rows.append(f"c{i},139{generator.randrange(10 ** 8):08d},2026-11-24 10:00:00,dep-2026q4,{name}")
    assert detected(("\r\n".join(rows) + "\r\n").encode(enc)) == want


def test_the_consoles_file_reader_counts_the_characters_the_guard_counts():
    # pages/console/chinese.js is generated (make docs) from this module: the browser tells a file's encoding with
    # the guard's frequent characters, surnames, punctuation, full-width forms and odd blocks, never a list of its own.
    import json
    import re

    from guard.core.text import _t2s
    from guard.http import console_chinese
    from guard.services.audits import encoding

    written = console_chinese.TARGET.read_text(encoding="utf-8")
    assert written == console_chinese.render_module(), "run make docs"
    frequent = json.loads(re.search(r'export const FREQUENT = (".*");', written).group(1))
    counted = {ch for ch in frequent}
    assert encoding._frequent() <= counted and set("王李张刘陈杨黄赵吴周陳楊黃趙吳") <= counted
    assert all(_t2s().get(ch, ch) in encoding._frequent() | set(encoding._SCRIPT_TEXT) for ch in counted)
    assert "const FREQUENT" not in (console_chinese.TARGET.parent / "textfile.js").read_text(encoding="utf-8")
