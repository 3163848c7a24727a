"""The text encoding of a call log: named by the user, or detected from the log's non-ASCII bytes.

Chinese banks' systems often export GBK / GB18030, Taiwan's and Hong Kong's Big5; a log read in the
wrong encoding loses its transcripts (and so the lint violations) without a word. So:

- an encoding the user names wins (`resolve`: any Python text codec; GBK, GB2312 and CP936 are read
  as GB18030, their superset; Big5 as Big5-HKSCS, Big5 plus the Hong Kong characters);
- else `detect` reads the log's lines that hold non-ASCII bytes (most of a log is ASCII, and the
  Chinese text may only start far into it), up to `SAMPLE_BYTES` of them, then seeks back, and
  decides: a byte-order mark; else UTF-8 when the lines are UTF-8 (a GBK or Big5 line of three
  characters or more practically never is); else GB18030 or Big5-HKSCS. Big5 bytes are mostly
  valid GB18030 too, so strict decoding cannot tell those two apart: charset_normalizer's mess
  measure on both decodings does, then a count of the most frequent Chinese characters (and of
  private-use characters, which a wrong GB18030 decoding of Big5 yields) breaks its ties.
- when nothing decodes the sample, or the two cannot be told apart (a log with only a word or two
  of Chinese), detection fails with a message asking for the encoding instead of guessing.

Measured on banking transcripts (tests/audits/test_log_encoding.py; figures in the README): every
transcript sentence alone, and every log of them, is read right; of a log whose only Chinese is a
few characters, GB18030 is never taken for Big5 nor the reverse: about 99% are decided from 6
characters, fewer below (the rest refused); one or two GBK characters alone may pass as UTF-8.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import IO, Any

from guard.core.csvrecords import delimiter_of
from guard.core.headers import NameTable
from guard.services.audits.log_reader import LogError
from guard.core.messages import said

SAMPLE_BYTES = 1 << 20  # at most this much of the non-ASCII lines is looked at
_CHUNK = 1 << 16
_JUDGED = 1 << 18  # of which this much is measured for GB18030 against Big5 (plenty: a page of text decides)
_CANDIDATES = ("gb18030", "big5hkscs")
# Names users and exporting systems give, read as the superset that decodes them all.
_ALIASES = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "ms936": "gb18030", "euc-cn": "gb18030", "euccn": "gb18030",
            "big5": "big5hkscs", "big-5": "big5hkscs", "big5-hkscs": "big5hkscs", "csbig5": "big5hkscs",
            "utf-8-sig": "utf-8", "utf8-sig": "utf-8"}
# Python's codec names as IANA's character set registry spells them (iana.org/assignments/character-sets and
# iana.org/assignments/charset-reg: UTF-16LE, not UTF-16-LE), the names other tools (SARIF viewers, editors, HTTP
# charset parameters) know an encoding by. CP950 has no IANA name (its nearest, Big5, is a smaller set): it is named
# as Microsoft names it.
LABELS = {"utf-8": "UTF-8", "gb18030": "GB18030", "gbk": "GBK", "gb2312": "GB2312", "big5hkscs": "Big5-HKSCS", "big5": "Big5",
          "cp950": "CP950", "utf-16": "UTF-16", "utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE", "utf-32": "UTF-32",
          "utf-32-le": "UTF-32LE", "utf-32-be": "UTF-32BE", "utf-8-sig": "UTF-8", "ascii": "US-ASCII", "iso8859-1": "ISO-8859-1",
          "cp1252": "windows-1252", "shift_jis": "Shift_JIS", "euc_jp": "EUC-JP", "euc_kr": "EUC-KR"}
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"), (b"\x84\x31\x95\x33", "gb18030"))
def _pass_it() -> Any:
    return said("error.log_pass_encoding")


class EncodingError(LogError):
    """The log's encoding cannot be decided, or nothing decodes it."""


class Undecodable(EncodingError):
    """Neither GB18030 nor Big5 decodes any of the non-UTF-8 lines: stray bytes, not a Chinese encoding."""


class UnknownEncoding(ValueError):
    """A name that is not a text encoding Python can decode."""


def resolve(name: str) -> str:
    """The codec to read a log in, from a name a user gave (case and `_`/`-` as they like)."""
    if len(name) > 40:
        raise UnknownEncoding(said("error.encoding_too_long", name=repr(name[:40])))
    key = name.strip().lower().replace("_", "-")
    key = _ALIASES.get(key, key)
    try:
        info = codecs.lookup(key)
    except (LookupError, ValueError):
        raise UnknownEncoding(said("error.encoding_unknown", name=repr(name))) from None
    if not getattr(info, "_is_text_encoding", True) or not _reads_a_log(info.name):
        # base64, rot13, zlib: codecs, not text encodings; idna, unicode-escape, utf-7, hz, EBCDIC:
        # not how a call log's bytes are written (its commas, quotes and line breaks are ASCII)
        raise UnknownEncoding(said("error.encoding_not_for_logs", name=repr(name)))
    return _ALIASES.get(info.name, info.name)


_PROBE = b"call_id,phone\\x41\\u0041+b-c~{x}\"q\"\r\n"


def _reads_a_log(codec: str) -> bool:
    """The codec reads ASCII as ASCII and decodes any bytes (marking what it cannot) without failing."""
    from guard.services.audits.log_reader import UNDECODABLE

    if codec.startswith(("utf-16", "utf-32")):
        return True
    try:
        decoder = codecs.getincrementaldecoder(codec)(UNDECODABLE)
        return decoder.decode(_PROBE) == _PROBE.decode("ascii") and bool(decoder.decode(bytes(range(0x80, 0x100)) + b"\n", final=True))
    except Exception:  # noqa: BLE001 - a codec that fails on a probe is not one to read a log with
        return False


def label(codec: str) -> str:
    """How the encoding is named to people and in reports: its IANA name (UTF-8, GB18030, Big5-HKSCS, UTF-16LE), or the
    codec's own name."""
    try:
        codec = codecs.lookup(codec).name  # utf_16_le, UTF-16LE … as Python names it: utf-16-le
    except LookupError:
        pass
    return LABELS.get(codec, codec.upper())


@dataclass
class Sample:
    lines: list[bytes]  # lines holding a non-ASCII byte, whole, in file order
    bom: str | None  # the codec a byte-order mark names
    nul: bool  # NUL bytes at the start: UTF-16/32 without a mark


def sample(binary: IO[bytes], limit: int = SAMPLE_BYTES) -> Sample:
    """The lines of a seekable binary stream that hold non-ASCII bytes (up to `limit` bytes of them); seeks back."""
    start = binary.tell()
    try:
        head = binary.read(_CHUNK)
        bom = next((codec for mark, codec in _BOMS if head.startswith(mark)), None)
        if bom is not None:
            return Sample([], bom, False)
        lines: list[bytes] = []
        taken = 0
        carry = b""
        chunk = head
        while chunk and taken < limit:
            data = carry + chunk
            cut = data.rfind(b"\n") + 1  # whole lines only (no byte of a GB18030, Big5 or UTF-8 character is 0x0A)
            whole, carry = data[:cut], data[cut:]
            if not whole.isascii():
                for line in whole.split(b"\n"):
                    if not line.isascii():
                        lines.append(line)
                        taken += len(line)
                        if taken >= limit:
                            break
            chunk = binary.read(_CHUNK)
        if not chunk and carry and not carry.isascii() and taken < limit:
            lines.append(carry)  # the last line, with no line break after it
        start_bytes = head[:4096]
        return Sample(lines, None, start_bytes.count(b"\x00") * 8 > len(start_bytes))  # UTF-16: every other byte
    finally:
        binary.seek(start)


def _valid(line: bytes, codec: str) -> bool:
    try:
        line.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


_FREQUENT: frozenset[str] | None = None


# The hundred commonest surnames (公安部户政管理研究中心, 二〇一九年全国姓名报告: the "百家姓" hold 85.9 % of the
# registered population). A customer list's or a call log's Chinese is mostly names, and charset_normalizer's table of
# frequent characters (running text) holds two of them: a GBK export with a name column read as "not Chinese".
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
             "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向欧")


def _frequent() -> frozenset[str]:
    """The most frequent Chinese characters (charset_normalizer's table, simplified) and the commonest surnames."""
    global _FREQUENT
    if _FREQUENT is None:
        from charset_normalizer.constant import FREQUENCIES

        _FREQUENT = frozenset(FREQUENCIES["Chinese"]) | frozenset(_SURNAMES)
    return _FREQUENT


FULL_WIDTH = ("\uff01", "\uff5e")  # ！ to ～: full-width ASCII, digits and letters as a Chinese input method types them

# The browser has no mess measure to tell GB18030 from Big5 by (charset_normalizer): it counts, beside the characters
# above, the next most frequent of running text and the words a bank's scripts are full of (保险, 存款, 收益, 客户 …),
# so that a script of a line or two is still told (bench/review_encoding.py). The guard's own measure keeps to the
# characters above: its figures (tests/audits/test_log_encoding.py) rest on them.
_SCRIPT_TEXT = ("的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着著下自之年过发后作里用道行所"
                "然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心本前开但因只从想实日者意无力与长把机民"
                "第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应向头文体相见被利什二等产或新己制身果加月话合回特"
                "代内信表化给位次度门任常先海通教原东声提立及比员解水名真论处走义各入几口认条平系气题活更别打变四总何电数安少报"
                "才结反受目太量再感建务做接必场件计管期市直资命金指许统区保险组织款存息率收益钱万元您客户银财基赔")


def chinese_characters() -> str:
    """Every character the console's reader of text files (pages/console/chinese.js, generated) counts as Chinese text,
    simplified and traditional (those the linter's traditional → simplified table reads as one of them), in code point
    order: the guard's frequent characters and surnames, and the script words above. A file the guard reads as Chinese
    reads so in the browser too."""
    from guard.core.text import _t2s

    frequent = _frequent() | frozenset(_SCRIPT_TEXT)
    traditional = {ch for ch, simplified in _t2s().items() if len(ch) == 1 and simplified in frequent}
    return "".join(sorted(frequent | traditional))


# Blocks a Chinese call transcript practically never uses, but a GB18030 reading of Big5 bytes (or
# a Big5 reading of GBK bytes) is full of: private use, bopomofo, kana, Greek and Cyrillic, box
# drawing, Roman numerals, vertical and small form variants, modifier letters, rare ideographs.
ODD = ((0xE000, 0xF8FF), (0x3100, 0x312F), (0x31A0, 0x31BF), (0x3040, 0x30FF), (0x0370, 0x04FF), (0x2500, 0x259F),
        (0x2160, 0x217F), (0xFE10, 0xFE1F), (0xFE30, 0xFE6F), (0x02B0, 0x02FF), (0x3400, 0x4DBF), (0xF900, 0xFAFF),
        (0x20000, 0x3FFFF), (0x2200, 0x22FF), (0x2460, 0x24FF), (0x3200, 0x33FF))
PUNCTUATION = "，。、！？：；“”‘’（）《》「」『』…—·％"


def _odd(ch: str) -> bool:
    c = ord(ch)
    return any(lo <= c <= hi for lo, hi in ODD)


def _counts(text: str) -> tuple[int, int, int]:
    """(non-ASCII characters, of which frequent Chinese ones (read as simplified), Chinese punctuation or full-width
    forms, of which odd)."""
    from guard.core.text import _t2s  # the linter's traditional → simplified table, built once per process

    table, frequent = _t2s(), _frequent()
    n = good = odd = 0
    for ch in text:
        if ch.isascii():
            continue
        n += 1
        if _odd(ch):
            odd += 1
        elif ch in PUNCTUATION or FULL_WIDTH[0] <= ch <= FULL_WIDTH[1] or table.get(ch, ch) in frequent:
            # Full-width forms (１３９…, ＡＢＣ) are what a Chinese input method types: GBK's and Big5's own rows of them.
            good += 1
    return n, good, odd


def _coherence(text: str) -> int:
    """How much a decoding reads like Chinese: frequent characters and Chinese punctuation count one
    each, characters of the blocks above minus three."""
    _, good, odd = _counts(text)
    return good - 3 * odd


def _head(lines: list[bytes]) -> bytes:
    """The first lines, up to `_JUDGED` bytes, joined."""
    kept, size = [], 0
    for line in lines:
        if size + len(line) > _JUDGED and kept:
            break
        kept.append(line)
        size += len(line) + 1
    return b"\n".join(kept)


def _chinese(lines: list[bytes]) -> str | None:
    """GB18030 or Big5-HKSCS for lines both decode, or None when they cannot be told apart."""
    from charset_normalizer import from_bytes

    payload = _head(lines)
    chaos = {r.encoding: r.chaos for r in from_bytes(payload, cp_isolation=list(_CANDIDATES))}
    gb, b5 = chaos.get("gb18030"), chaos.get("big5hkscs")
    by_mess = None
    if gb is None or b5 is None:
        by_mess = None if gb is None and b5 is None else ("gb18030" if b5 is None else "big5hkscs")
    elif abs(gb - b5) > 0.005:
        by_mess = "gb18030" if gb < b5 else "big5hkscs"
    scores = {codec: _coherence(payload.decode(codec)) for codec in _CANDIDATES}
    margin = scores["gb18030"] - scores["big5hkscs"]
    by_text = None if margin == 0 else "gb18030" if margin > 0 else "big5hkscs"
    if by_mess and by_text and by_mess != by_text:
        return None  # the two measures disagree: too little text to tell
    if by_mess is None and abs(margin) < 2:
        return None  # one frequent character alone is not enough
    return by_mess or by_text


def _utf8_chinese(text: str) -> bool:
    cjk = 0
    for ch in text:
        if "\ue000" <= ch <= "\uf8ff":
            return False
        if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef":
            cjk += 1
    return cjk >= 2


def decide(s: Sample) -> str:
    """The codec for a sample, or EncodingError saying why none can be chosen."""
    if s.bom is not None:
        return s.bom
    if s.nul:
        raise EncodingError(said("error.log_nul", then=_pass_it()))
    if not s.lines:
        return "utf-8"  # ASCII only
    n = len(s.lines)
    utf8 = [line for line in s.lines if _valid(line, "utf-8")]
    # A line that reads as Chinese in UTF-8 (two CJK characters or more, no private use) is no
    # accident: GBK or Big5 bytes hardly ever are valid UTF-8, and then read as a salad of scripts.
    # With such a line the log is UTF-8 (its other lines are rejected as not valid UTF-8, and too
    # many of them fail the audit), never GB18030, which decodes much UTF-8 without a single error.
    if any(_utf8_chinese(line.decode("utf-8")) for line in utf8):
        return "utf-8"
    if len(utf8) == n:
        # Two-byte sequences only: accented Latin (José, Müller) is UTF-8; a salad of Hebrew, Cyrillic,
        # Armenian… is more likely a character or two of GBK or Big5, if it reads as Chinese.
        if all(ch.isascii() or "\u00a0" <= ch <= "\u024f" for line in utf8 for ch in line.decode("utf-8")):
            return "utf-8"
        try:
            return _chinese_codec(s)
        except EncodingError:
            return "utf-8"
    return _chinese_codec(s)


def _chinese_codec(s: Sample) -> str:
    """GB18030 or Big5-HKSCS for a sample that is not UTF-8, or EncodingError."""
    n = len(s.lines)
    valid = {codec: [_valid(line, codec) for line in s.lines] for codec in _CANDIDATES}
    counts = {codec: sum(v) for codec, v in valid.items()}
    if not any(counts.values()):
        raise Undecodable(said("error.log_no_codec", n=n, then=_pass_it()))
    both = [line for line, a, b in zip(s.lines, valid["gb18030"], valid["big5hkscs"]) if a and b]
    only = {codec: counts[codec] - len(both) for codec in _CANDIDATES}
    chosen = _chinese(both) if both else None
    if chosen is None:
        # No coherent reading; lines only one of the two decodes still say which it is.
        if only["gb18030"] and not only["big5hkscs"]:
            chosen = "gb18030"
        elif only["big5hkscs"] and not only["gb18030"]:
            chosen = "big5hkscs"
        else:
            raise EncodingError(said("error.log_gb_or_big5", then=_pass_it()))
    n_chars, good, odd = _counts(_head([line for line, ok in zip(s.lines, valid[chosen]) if ok]).decode(chosen))
    if good < 0.1 * n_chars or odd > 0.25 * n_chars:  # Chinese has about 40% good; Japanese or Korean read so, hardly any
        raise EncodingError(said("error.log_not_chinese", encoding=label(chosen), then=_pass_it()))
    other = "big5hkscs" if chosen == "gb18030" else "gb18030"
    if only[other] > max(1, n // 10):
        raise EncodingError(said("error.log_gb_or_big5_lines", only=only[other], n=n, other=label(other), chosen=label(chosen),
                                 then=_pass_it()))
    return chosen


def detect(binary: IO[bytes], names: NameTable | None = None) -> str:
    """The codec of a seekable log (EncodingError when it cannot be decided); the stream is left where it was.

    `names`: the header names of the file's kind. A file whose only Chinese is its header (被叫号码 or 客户号,手机号码 in
    GBK over rows of numbers and ASCII) has too little text to tell GB18030 from Big5 by its characters; a header whose
    Chinese cells name known columns in one of the two readings and none in the other tells it."""
    try:
        return decide(sample(binary))
    except Undecodable:
        raise
    except EncodingError:
        by_header = told_by_header(binary, names) if names is not None else None
        if by_header is None:
            raise
        return by_header


def told_by_header(binary: IO[bytes], names: NameTable) -> str | None:
    """GB18030 or Big5-HKSCS when the file's header (its first line that is not blank), read in exactly one of them,
    has Chinese cells that name known columns (and, in the other, none); None otherwise. The stream is left where it was."""
    start = binary.tell()
    try:
        first = b""
        while not first.strip():
            first = binary.readline(1 << 16)
            if not first:
                return None
    finally:
        binary.seek(start)
    first = first.rstrip(b"\r\n")
    if first.isascii():
        return None
    named = {}
    for codec in _CANDIDATES:
        try:
            line = first.decode(codec)
        except UnicodeDecodeError:
            named[codec] = 0
            continue
        cells = [c.strip().strip('"') for c in line.split(delimiter_of(line))]
        named[codec] = sum(1 for c in cells if not c.isascii() and names.column(c) is not None)
    found = [codec for codec, n in named.items() if n]
    return found[0] if len(found) == 1 else None


# A named encoding that reads this share of the log's non-ASCII characters as characters of the blocks above is taken
# for a misreading (Chinese in its right encoding has next to none of them)
_MISREAD_SHARE = 0.05


def confirm(binary: IO[bytes], codec: str, what: str = "the log") -> None:
    """EncodingError when `codec`, an encoding the user named, misreads the log silently: it decodes every non-ASCII
    line, and its reading is full of characters a wrong reading yields (bopomofo, private use, kana …) while the encoding told from the bytes
    reads them as Chinese. A name given for a log whose encoding cannot be told stands. The stream is left where it was."""
    s = sample(binary)
    if s.bom is not None or s.nul or not s.lines:
        return
    try:
        told = decide(s)
    except EncodingError:
        return
    if codecs.lookup(told).name == codecs.lookup(codec).name:
        return
    if not all(_valid(line, codec) for line in s.lines):
        return  # not silent: the rows it cannot decode are rejected, and too many of them fail the audit
    payload = _head(s.lines)
    named = payload.decode(codec, errors="replace")
    n, _, odd = _counts(named)
    if n and odd > _MISREAD_SHARE * n and _coherence(named) < _coherence(payload.decode(told, errors="replace")):
        raise EncodingError(f"{what} does not read as {label(codec)}: {odd} of the {n} non-ASCII characters read are "
                            f"characters a wrong reading yields (bopomofo, private use, kana …), while it reads as Chinese in "
                            f"{label(told)}; name {label(told)}, or leave the encoding out to have it told from the bytes")
