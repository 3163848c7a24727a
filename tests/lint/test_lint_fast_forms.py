"""The faster forms of the linter's regular expressions find exactly what the plain forms find."""

from __future__ import annotations

import random
import re

import pytest

from guard.core import lint as m
from tests.lint.test_lint_engine import _texts


def _random_texts(alphabet: str, count: int = 20_000, seed: int = 2026) -> list[str]:
    rnd = random.Random(seed)
    chars = list(alphabet)
    return ["".join(rnd.choice(chars) for _ in range(rnd.randint(0, 30))) for _ in range(count)]


def _plain(words: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(map(re.escape, words)))


CASES = [
    (m.REPORTED_SPEECH, m._REPORTED_SPEECH_FAST, "他们她对方业务员银行经理客户财专某甲说称为之表示强调要应需可是我其们本您你，。a1 "),
    (re.compile("(?<!不)但|可是|然而|不过|只是"), m._CONTRAST_RE, "但不可是然而过只，。a "),
    (m.EXAMPLES_OF_WORDING, m._EXAMPLES_FAST, "表述用语字样宣传语如例比诸包括但不限于，。a "),
    (_plain(m.REPORT_FRAMES), m._REPORT_RE, "".join(m.REPORT_FRAMES) + "，。a "),
    (_plain(m.DISCLAIMER_FRAMES), m._DISCLAIMER_RE, "".join(m.DISCLAIMER_FRAMES) + "，。a "),
    (_plain(m.QUESTION_WORDS), m._QUESTION_RE, "".join(m.QUESTION_WORDS) + "，。a "),
    (_plain(m.DOUBT_WORDS), m._DOUBT_RE, "".join(m.DOUBT_WORDS) + "，。a "),
]


@pytest.mark.parametrize("plain, fast, alphabet", CASES, ids=lambda x: getattr(x, "pattern", "")[:12])
def test_the_fast_form_finds_what_the_plain_form_finds(plain, fast, alphabet):
    from guard.core.text import normalize

    texts = [normalize(t).text for t in _texts()] + list(_texts()) + _random_texts(alphabet)
    for text in texts:
        assert [x.span() for x in fast.finditer(text)] == [x.span() for x in plain.finditer(text)], text


def test_clause_starts_searching_backwards_finds_what_one_pass_over_every_mark_finds():
    from guard.core.text import _clause_starts_by_marks, clause_starts, normalize

    rnd = random.Random(2026)
    texts = list(_texts()) + _random_texts("。，、；：！？!?;:,.．0123 保本a\n…—", count=5_000)
    texts += ["保本" * rnd.randint(0, 200) + "。" + "零风险" * rnd.randint(0, 200) for _ in range(50)]
    for text in texts:
        n = normalize(text)
        if not n.text:
            continue
        starts = sorted(rnd.sample(range(len(n.text)), min(6, len(n.text))))
        assert clause_starts(n, starts) == _clause_starts_by_marks(n, starts), text
        assert clause_starts(n, starts[::-1]) == _clause_starts_by_marks(n, starts[::-1]), text


def test_the_frame_words_read_from_the_automaton_start_where_the_patterns_matches_start():
    from guard.core.text import normalize
    from policies.lint_docs import shipped_pack

    linter = m.compile_rules(shipped_pack())
    assert linter._frames_by_automaton
    words = "".join(w for ws in m._FRAME_WORDS for w in ws)
    texts = [normalize(t).text for t in _texts()] + _random_texts(words + "，。a ", count=5_000)
    texts += ["违法院罚款项处罚款", "不保证不保本非保本金可能为零", "是否能否可否否"]
    for text in texts:
        got = linter._scan(text).frame_starts
        want = [[x.start() for x in _plain(words).finditer(text)] for words in m._FRAME_WORDS]
        assert got == want, text


def test_looking_up_each_words_shields_clears_what_sorting_every_shield_clears(monkeypatch):
    """_clearers looks up the few shields that can hold each negator, forbidding word and reporting tail (the hits
    ending in reach), unless the text has many of them (SORT_SHIELDS_AT): both ways give the same lints."""
    from policies.lint_docs import shipped_pack

    linter = m.compile_rules(shipped_pack())
    texts = list(_texts()) + ["不不不不非没不用不管非常稳赚不赔不保本" * 30, "除非不保证零风险不" * 50]
    results = {}
    for label, at in (("looked up", 0), ("sorted", 10**9)):
        monkeypatch.setattr(m, "SORT_SHIELDS_AT", at)
        results[label] = [linter.lint(text, ptype).to_dict() for text in texts for ptype in (None, "wealth")]
    assert results["looked up"] == results["sorted"]
