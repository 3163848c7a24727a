"""Speaker turns in a call transcript or a role-play script: whose words are they?

Call-recording and quality-inspection systems export a call as turns, each behind a speaker label:
``坐席：您好…`` / ``客户：这个保本吗？``, ``[00:01:23] 客户: …``, ``業務員：…``; role-play scripts for
salespeople are written the same way. The rules judge what the *seller* says. A customer asking
是保本的吗？会不会亏？ or saying 你们说零风险，结果亏了 makes no claim, and finding 保本 in it would
charge the agent with the customer's words (an audit counts violations by agent).

`seller_view(text)` returns the text the rules read: the same length as `text`, with every customer
turn and every recognised speaker label replaced by U+2029 (a paragraph separator: a sentence end,
dropped by normalisation). Offsets, lines and columns into it are those of `text`, and what stands
between the masks is the original, character for character.

What counts as a label, and why the reading errs towards linting:

- a label is a word of SELLER_LABELS or CUSTOMER_LABELS (traditional forms read through the
  normaliser), optionally after a time stamp, followed by a colon (： or :) or in brackets with or
  without one ([坐席] 您好), at the start of a line or right after a sentence end (inline turns:
  坐席：您好。客户：你好。);
  a label may be followed by a tag or a name (客户A：, 客户张先生：; not 客户须知：, a heading); the
  longest known word decides, so 客户经理 is the seller's;
- a customer turn runs to the next label-like word-and-colon (known or not: 王经理： ends it) or to
  the end of its line, whichever comes first. Lines without a label are linted, whoever said them;
- a customer's turn that says what only a seller says (SELLER_SIGNS: 我行, 本次通话将被录音, 工号 …)
  means the sides were assigned wrongly: then nothing at all is masked;
- labels that do not say which side speaks (A：/B：, 甲：/乙：, 说话人1：) mask nothing: without
  knowing who the customer is, every word is the seller's as far as the rules go.

Pure: no files, no clock.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from .text import line_and_column, line_end, line_starts, normalize

MASK = "\u2029"

# The seller's side: an agent, a salesperson, a bank's or insurer's staff. Simplified forms; the
# traditional ones (業務員, 營業員, 理財專員, 銷售) are read through the normaliser.
SELLER_LABELS = (
    "坐席", "座席", "客服", "人工客服", "客服人员", "客服代表", "话务员", "外呼", "外呼员", "电销", "电销人员", "销售", "销售员",
    "销售人员", "业务员", "营业员", "营销员", "推销员", "理财经理", "客户经理", "理财顾问", "理财师", "理专", "理财专员",
    "专员", "顾问", "代理人", "保险代理人", "经纪人", "工作人员", "银行工作人员", "员工", "行员", "柜员", "经理", "机器人",
    "智能客服", "ai", "agent", "seller", "salesperson", "staff",
)
# The customer's side (not 来电人 nor caller: on an outbound call the caller is the seller).
CUSTOMER_LABELS = (
    "客户", "顾客", "用户", "客人", "消费者", "投保人", "业主", "被访者", "受访者",
    "customer", "client", "user",
)

# What only the seller's side says on a call: naming the bank as "we", the recording notice, the staff
# number, the service formulas. A customer's turn that says one of these means the labels are not to
# be trusted (diarisation assigns sides by guesswork: Alibaba Cloud's quality-inspection docs say the
# transcriber cannot tell 客服 from 客户 and map a mono recording's sides by a list of the agent's
# words, help.aliyun.com/document_detail/456539.html; a vendor's own sample shows the seller's
# questions under "customer", huaweicloud.com, see tests/lint/real/transcripts.md). Then nothing is
# masked: the whole transcript is linted as the seller's.
SELLER_SIGNS = (
    "我行", "本行", "我司", "我们银行", "我们公司的", "本次通话", "通话将被录音", "通话会被录音", "工号", "为您介绍",
    "给您介绍", "向您介绍", "跟您介绍", "为您服务", "有什么可以帮您", "打扰您", "耽误您",
)

_SIDES: dict[str, str] = {**{w: "seller" for w in SELLER_LABELS}, **{w: "customer" for w in CUSTOMER_LABELS}}
_LONGEST = max(len(w) for w in _SIDES)


@lru_cache(maxsize=1)
def _signs() -> "re.Pattern[str]":
    """SELLER_SIGNS as written in simplified, traditional, Taiwan and Hong Kong characters (OpenCC's
    tables), in one pattern: a transcript is searched once, not each turn normalised."""
    import opencc

    forms = {w for w in SELLER_SIGNS}
    for config in ("s2t", "s2tw", "s2hk"):
        converter = opencc.OpenCC(config)
        forms.update(converter.convert(w) for w in SELLER_SIGNS)
    return re.compile("|".join(sorted(map(re.escape, forms), key=len, reverse=True)), re.IGNORECASE)


# A label-like word where a turn can begin: at the start of a line, after a sentence end or a markup
# tag's end (<li start=13070 …>坐席：…), after an optional time stamp ([00:01:23], 00:05,
# [00:00:00.000–00:00:00.500]), the word (letters and digits, at most twelve) either in brackets with an
# optional colon ([坐席] 您好, 【客户】：) or bare with a colon (客户：, 客戶　：, Agent:), an optional aside in
# parentheses before the colon (销售员(语速飞快):).
_TIME = r"\d{1,2}(?::\d{2}){1,2}(?:[.,]\d+)?"
_BOUNDARY = "\n\r\u2028\u2029。！？!?；;…」”』）)\\]】>"
_LABEL = (
    r"[ \t\u3000]*"
    rf"(?:[\[【(（]?{_TIME}(?:[ \t]*[-–—~～][ \t]*{_TIME})?[\]】)）]?[ \t\u3000]*)?"
    r"(?:[\[【](?P<bracketed>[^\W_]{1,12})[\]】](?:[ \t\u3000]*[：:])?"
    r"|(?P<word>[^\W_]{1,12})(?:[(（][^()（）\n]{1,12}[)）])?[ \t\u3000]*[：:])"
)
# The reading, as one pattern (tests/lint/test_turns.py checks that _candidates finds exactly its matches).
_CANDIDATE = re.compile(f"(?:^|(?<=[{_BOUNDARY}])){_LABEL}", re.MULTILINE)
# The same, faster: a label is tried only at the text's start and after a boundary character (the one
# pattern above tries every offset: 128 µs against 103 µs on the 2,000-character scripts of bench/lint.py).
_BOUNDARY_RE = re.compile(f"[{_BOUNDARY}]")
_LABEL_AT = re.compile(_LABEL)


# Every label holds one of these (a bracketed label closes with ] or 】, a word label ends in a colon), and no label
# holds a line break: a label starts at a boundary with one of them after it on its line.
_LABEL_END_RE = re.compile("[：:\\]】]")


def _candidates(text: str) -> list["re.Match[str]"]:
    """The matches of _CANDIDATE in `text`, left to right, not overlapping. A label is tried only at the text's start
    and after the boundaries that have a label's end (_LABEL_END_RE) after them on their line: for each label's end,
    the boundaries from its line's start (or the previous label's end) up to it. On bench/lint.py's real scripts some
    12 of a script's 110 boundaries are tried, and seller_view takes 27 µs a script where trying every one took 74."""
    out = []
    m = _LABEL_AT.match(text, 0)
    end = 0
    if m:
        out.append(m)
        end = m.end()
    done = 0  # the boundaries before this offset are tried
    for mark in _LABEL_END_RE.finditer(text):
        at_mark = mark.start()
        for b in _BOUNDARY_RE.finditer(text, max(done, text.rfind("\n", 0, at_mark)), at_mark):
            at = b.end()
            if at < end:
                continue
            m = _LABEL_AT.match(text, at)
            if m:
                out.append(m)
                end = m.end()
        done = at_mark
    return out


# What may follow a label word: a tag (客户A, 坐席2) or how a person is named (客户张先生, 客戶王女士,
# 客户李某). Nothing else: 客户须知：, 客户收益： are headings, not speakers.
_TAG = re.compile(r"[a-z]|\d{1,2}|[\u4e00-\u9fff]?(?:先生|女士|小姐|阿姨|大爷|大妈|老师|某某|某)")


@lru_cache(maxsize=4096)
def label_side(word: str) -> str | None:
    """'seller', 'customer' or None (not a speaker label) for a label word such as 坐席 or 客戶張先生:
    a known label (normalised; the longest that fits) alone or followed by a tag or a name (_TAG)."""
    norm = normalize(word).text
    for size in range(min(len(norm), _LONGEST), 0, -1):
        side = _SIDES.get(norm[:size])
        if side is not None and (size == len(norm) or _TAG.fullmatch(norm, size)):
            return side
    return None


def _read(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(spans to mask: each customer turn and each seller's label; the customer turns), both sorted."""
    if not any(c in text for c in "：:]】"):
        return [], []
    spans: list[tuple[int, int]] = []
    turns: list[tuple[int, int]] = []
    words: list[tuple[int, int]] = []  # the customers' words, without their labels
    cands = _candidates(text)
    for i, m in enumerate(cands):
        side = label_side(m.group("word") or m.group("bracketed"))
        if side is None:
            continue
        if side == "seller":
            spans.append((m.start(), m.end()))
            continue
        end = line_end(text, m.end())
        if i + 1 < len(cands):
            end = min(end, cands[i + 1].start())
        spans.append((m.start(), end))
        turns.append((m.start(), end))
        words.append((m.end(), end))
    if words:
        starts = [s for s, _ in words]
        for m in _signs().finditer(text):
            k = bisect.bisect_right(starts, m.start()) - 1
            if k >= 0 and m.end() <= words[k][1]:
                return [], []  # the seller's words under a customer's label: trust no label
    return spans, turns


def masked_spans(text: str) -> list[tuple[int, int]]:
    """The spans of `text` the rules do not read: each customer turn (label and words) and each seller's
    label. Sorted, disjoint; none when a customer's turn holds a seller's sign (SELLER_SIGNS)."""
    return _read(text)[0]


def customer_turns(text: str) -> list[tuple[int, int]]:
    """The customer's turns (label and words) left unlinted, sorted: what a reviewer is told was not read."""
    return _read(text)[1]


def unlinted(text: str) -> list[dict]:
    """The customer's turns as an answer reports them: start, end (offsets into `text`), line and column
    (1-based) of the start, the speaker."""
    out = []
    turns = customer_turns(text)
    starts = line_starts(text) if turns else []
    for s, e in turns:
        line, column = line_and_column(text, s, starts)
        out.append({"start": s, "end": e, "line": line, "column": column, "speaker": "customer"})
    return out


def seller_view(text: str) -> str:
    """`text` with its customer turns and speaker labels replaced by MASK (same length; see module)."""
    spans = masked_spans(text)
    if not spans:
        return text
    out: list[str] = []
    at = 0
    for s, e in spans:
        out.append(text[at:s])
        out.append(MASK * (e - s))
        at = e
    out.append(text[at:])
    return "".join(out)


# A transcript exported as a list of turns (quality-inspection and speech-recognition systems: Alibaba
# Cloud's {"role": "客服" | "客户", "words": …}, Huawei Cloud's {"speaker": "staff" | "customer", "asr_text": …};
# tests/lint/real/transcripts.md): the keys a turn's speaker and words may have, tried in this order.
SPEAKER_KEYS = ("role", "speaker", "Role", "Speaker", "side", "channel")
WORDS_KEYS = ("text", "words", "Words", "content", "asr_text", "sentence", "utterance", "Text", "Content")


def render_turns(turns: list) -> str:
    """A list of turns as the labelled lines the linter reads: one turn per line, the seller's behind 坐席：,
    the customer's behind 客户：, a speaker the labels do not know behind its own name (then linted as
    the seller's), a bare string as an unlabelled line. Line breaks inside a turn become spaces (a turn
    is one line: a customer's turn ends at its line end). Raises ValueError naming the turn and what is
    wrong with it."""
    lines: list[str] = []
    for i, turn in enumerate(turns, start=1):
        if isinstance(turn, str):
            lines.append(" ".join(turn.splitlines()))
            continue
        if not isinstance(turn, dict):
            raise ValueError(f"turn {i} is neither an object nor a string")
        words = next((turn[k] for k in WORDS_KEYS if k in turn), None)
        if not isinstance(words, str):
            raise ValueError(f"turn {i} has no words (a string under one of {', '.join(WORDS_KEYS[:6])})")
        who = next((turn[k] for k in SPEAKER_KEYS if k in turn), None)
        if who is None or isinstance(who, bool) or not isinstance(who, (str, int)):
            raise ValueError(f"turn {i} has no speaker (a string under one of {', '.join(SPEAKER_KEYS[:4])})")
        side = label_side(who) if isinstance(who, str) and who.strip() else None
        label = {"seller": "坐席", "customer": "客户"}.get(side) if side else None
        if label is None:  # kept as the export names it; unknown, so the words are linted
            label = " ".join(str(who).split()) or "?"
        lines.append(f"{label}：{' '.join(words.splitlines())}")
    return "\n".join(lines)

