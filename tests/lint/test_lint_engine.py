"""The linter's matching machinery against straightforward references, on real and random texts:
the automaton's pass (`Linter._scan`) against one `str.find` loop per word. (The sentence and
clause marks and the number slots have theirs in test_text.py.)"""

from __future__ import annotations

import json
import random
from dataclasses import fields
from functools import lru_cache
from pathlib import Path

import pytest

from guard.core import lint as lint_module
from guard.core.text import normalize
from policies.lint_docs import shipped_pack
from tests.lint.corpus_data import load_corpus

DEV = Path(__file__).resolve().parent / "real" / "dev.jsonl"
# Characters the random texts are sprinkled with: marks, digits, number words, negators, quotes,
# traditional, full-width and astral characters (CJK extension B, an emoji), invisible ones.
NOISE = list("。，、；：！？!?;:,.．“”‘’「」『』\"'…—\n \u3000\u200b%％‰0123456789０１２一二两十百千万亿元块点个厘分之"
             "保本證無風險穩賺賠不非没并也还都但而所以话术之类严禁不得宣称以为ｱＡaB①\U00020000\U0001F600")


@lru_cache(maxsize=1)
def _texts() -> tuple[str, ...]:
    real = [item.text for item in load_corpus()] + [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines()]
    rnd = random.Random(2026)
    mixed = []
    for _ in range(400):
        parts = []
        for _ in range(rnd.randint(1, 5)):
            text = rnd.choice(real)
            a = rnd.randrange(len(text))
            parts.append(text[a : rnd.randint(a, len(text))] if rnd.random() < 0.6 else text)
            parts.append("".join(rnd.choice(NOISE) for _ in range(rnd.randint(0, 4))))
        mixed.append("".join(parts))
    return tuple(real + mixed + ["", "不", "\U00020000不保本\U0001F600保本"])


def _reference_scan(linter: lint_module.Linter, norm: str) -> dict[int, dict[int, list[tuple[int, int]]]]:
    """kind -> index -> spans (sorted): every occurrence of every word, found one `str.find` at a time."""
    out: dict[int, dict[int, list[tuple[int, int]]]] = {}
    for word, kinds in zip(linter._words, linter._kinds):
        spans = []
        at = norm.find(word)
        while at != -1:
            spans.append((at, at + len(word)))
            at = norm.find(word, at + 1)
        for kind, idx in kinds if spans else ():
            out.setdefault(kind, {}).setdefault(idx, []).extend(spans)
    for by_index in out.values():
        for spans in by_index.values():
            spans.sort()
    return out


@pytest.mark.parametrize("pack_id, least", [("cn-bank", 10_000), ("us-tcpa", 1_000)])
def test_the_scan_finds_every_occurrence_of_every_word_as_a_find_loop_does(pack_id, least):
    m = lint_module
    linter = m.compile_rules(shipped_pack(pack_id))
    checked = 0
    for text in _texts():
        norm = normalize(text).text
        ref = _reference_scan(linter, norm)
        scan = linter._scan(norm)

        def flat(kind: int) -> list[tuple[int, int]]:
            return sorted(span for spans in ref.get(kind, {}).values() for span in spans)

        def by_index(got: dict[int, list]) -> dict[int, list]:
            return {idx: sorted(spans) for idx, spans in got.items()}

        # the scan's lists are in no particular order: compared sorted
        assert by_index(scan.hits) == ref.get(m._PAT, {}), text
        assert by_index(scan.atoms) == ref.get(m._ATOM, {}), text
        assert by_index(scan.excepts) == ref.get(m._EXC, {}), text
        assert by_index(scan.near) == ref.get(m._NEAR, {}), text
        assert scan.unless == set(ref.get(m._UNLESS, {})), text
        assert scan.disc == set(ref.get(m._DISC, {})), text
        assert scan.when == set(ref.get(m._WHEN, {})), text
        assert sorted(scan.neg) == sorted((a, b, weak) for weak, spans in ref.get(m._NEG, {}).items() for a, b in spans), text
        assert sorted(scan.nonneg) == flat(m._NONNEG) and sorted(scan.forbid) == flat(m._FORBID), text
        assert sorted(scan.tail) == flat(m._TAIL) and sorted(scan.weakbrk) == flat(m._WEAKBRK), text
        assert sorted(scan.conn) == sorted(a for a, _ in flat(m._CONN)), text
        checked += sum(len(spans) for by_index in ref.values() for spans in by_index.values())
    assert checked > least  # the texts do hold many of the words


def test_the_scan_of_a_long_text_is_the_find_loops_too(linter):
    text = "\n".join(item.text for item in load_corpus()) * 3
    norm = normalize(text).text
    ref = _reference_scan(linter, norm)
    scan = linter._scan(norm)
    assert {i: sorted(v) for i, v in scan.hits.items()} == ref[lint_module._PAT]
    assert {i: sorted(v) for i, v in scan.atoms.items()} == ref[lint_module._ATOM]
    assert len(scan.neg) == sum(len(spans) for spans in ref[lint_module._NEG].values()) > 100


def test_findings_made_without_init_equal_the_constructed_ones():
    from guard.core.lint import Finding, RuleHit, _frozen

    values = dict(rule="r", code="BANNED_PHRASE", severity="error", start=1, end=3, line=1, column=2, matched="保本",
                  message="m", suggestion="s", rationale=None,
                  rules=(_frozen(RuleHit, rule="r", code="BANNED_PHRASE", severity="error", start=1, end=3),))
    made, built = _frozen(Finding, **values), Finding(**values)
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    assert made.to_dict() == built.to_dict() and made.rules[0] == RuleHit("r", "BANNED_PHRASE", "error", 1, 3)
    with pytest.raises(AttributeError):
        made.start = 5  # still frozen



def test_the_linters_findings_have_every_field(linter):
    """The linter makes its findings with `_frozen`, naming each field: were one added to Finding or
    RuleHit, this would tell."""
    from guard.core.lint import Finding, RuleHit

    findings = [f for item in load_corpus() for f in linter.lint(item.text, item.type).findings]
    assert any(len(f.rules) > 1 for f in findings) and any(f.code != "MISSING_DISCLOSURE" for f in findings)
    for f in findings:
        assert set(vars(f)) == {field.name for field in fields(Finding)}, f
        assert all(set(vars(r)) == {field.name for field in fields(RuleHit)} for r in f.rules), f


def test_one_compiled_linter_lints_in_several_threads_at_once(linter):
    """gunicorn's threads share the compiled pack (its automaton included): results as one thread gets."""
    from concurrent.futures import ThreadPoolExecutor

    texts = list(_texts()[:300])
    alone = [linter.lint(text, None).to_dict() for text in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda text: linter.lint(text, None).to_dict(), texts * 3))
    assert together == alone * 3
