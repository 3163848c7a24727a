"""Shape of the second real-text corpus (tests/lint/real/dev_b.jsonl, heldout_b.jsonl; README "Corpus B").

These tests read the records only; they never run the linter, so they can be run without looking at any
figure. They check each record's keys, types and values, that ids are unique and in collection order, that
no passage appears twice across all four corpus files or inside a passage of another file, that every
record names a source URL, and that every record sits in the half its site group's hash assigns.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from urllib.parse import urlparse

import ahocorasick_rs
import pytest

REAL = Path(__file__).parent / "real"
KEYS = ["id", "text", "source", "region", "script", "product_type", "label", "codes", "family", "note"]
CODE_ORDER = ["BANNED_PHRASE", "MISLEADING", "PRESSURE"]
PRODUCT_TYPES = {"wealth", "fund", "insurance", "deposit", "loan", "credit_card", None}

# Second-level labels under which a registrable name takes one more label (example.com.cn, example.gov.hk).
_SECOND_LEVEL = {"com", "net", "org", "gov", "edu", "ac", "idv", "co", "mil"}


def site_group(url: str) -> str:
    """The registrable domain of a URL's host: lower-cased, without port, `www.`/`m.` and other sub-domains
    (bank.hexun.com -> hexun.com, www.fsc.gov.tw -> fsc.gov.tw, news.sina.com.cn -> sina.com.cn)."""
    host = (urlparse(url).hostname or "").lower().rstrip(".")
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def half_for(url: str) -> str:
    """dev_b when the first hex digit of sha1(site group) is even, else heldout_b."""
    first = hashlib.sha1(site_group(url).encode("utf-8")).hexdigest()[0]
    return "dev_b" if int(first, 16) % 2 == 0 else "heldout_b"


def norm(text: str) -> str:
    """Text compared for duplicates: whitespace removed."""
    return re.sub(r"\s+", "", text)


def _load(name: str) -> list[dict]:
    with (REAL / f"{name}.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def corpus_b() -> dict[str, list[dict]]:
    return {name: _load(name) for name in ("dev_b", "heldout_b")}


def test_the_site_group_is_the_registrable_domain():
    assert site_group("https://bank.hexun.com/2019/a.html") == "hexun.com"
    assert site_group("http://www.fsc.gov.tw/ch/x") == "fsc.gov.tw"
    assert site_group("https://news.sina.com.cn/c/1.shtml") == "sina.com.cn"
    assert site_group("https://WWW.IA.ORG.HK:443/tc/x") == "ia.org.hk"
    assert site_group("https://m.sohu.com/a/1") == "sohu.com"


def assert_record_shape(r: dict, id_pattern: str, stripped: bool = True) -> None:
    """One record of a real-text corpus file has the README's format (`stripped`: no whitespace around the
    text; corpus D keeps three bullets' published indentation)."""
    where = r.get("id")
    assert list(r) == KEYS, where
    assert re.fullmatch(id_pattern, r["id"]), where
    assert isinstance(r["text"], str) and 0 < len(r["text"]) <= 200 and r["text"].strip(), where
    assert not stripped or r["text"].strip() == r["text"], where
    assert re.fullmatch(r"https?://[^\s/]+\.[^\s/]+(/\S*)?", r["source"]), where
    assert r["region"] in {"mainland", "tw", "hk"}, where
    assert r["script"] in {"simplified", "traditional"}, where
    assert r["product_type"] in PRODUCT_TYPES, where
    assert r["label"] in {"flag", "clean", "quote"}, where
    assert isinstance(r["family"], str) and r["family"], where
    assert isinstance(r["note"], str) and r["note"], where
    if r["label"] == "flag":
        assert r["codes"], where
        assert r["codes"] == [c for c in CODE_ORDER if c in r["codes"]], where
        assert len(set(r["codes"])) == len(r["codes"]), where
    else:
        assert r["codes"] == [], where
        if r["label"] == "quote":
            assert r["family"] in {"quote_rule", "quote_report"}, where
        else:
            assert not r["family"].startswith("quote"), where


def test_every_record_has_the_shape_of_the_format(corpus_b):
    records = corpus_b["dev_b"] + corpus_b["heldout_b"]
    assert len(records) >= 400
    for r in records:
        assert_record_shape(r, r"b\d{4}")


def test_ids_are_unique_and_in_collection_order(corpus_b):
    ids = [r["id"] for r in corpus_b["dev_b"] + corpus_b["heldout_b"]]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == ["b%04d" % i for i in range(1, len(ids) + 1)]
    for records in corpus_b.values():
        assert [r["id"] for r in records] == sorted(r["id"] for r in records)


def test_no_passage_appears_twice_across_the_four_files(corpus_b):
    seen: dict[str, str] = {}
    for name in ("dev", "heldout"):
        for r in _load(name):
            seen.setdefault(norm(r["text"]), r["id"])
    for r in corpus_b["dev_b"] + corpus_b["heldout_b"]:
        key = norm(r["text"])
        assert key not in seen, (r["id"], seen.get(key))
        seen[key] = r["id"]


def test_no_passage_of_one_file_contains_a_passage_of_another(corpus_b):
    """A passage copied again from a mirror or quoted inside a longer one must stay in its own file: otherwise
    text seen in a tuning half would reappear, in part, in a held-out half. Inside one file such pairs are
    allowed (a salesperson's words extracted on their own next to the reporter's sentence around them)."""
    files = {name: _load(name) for name in ("dev", "heldout")}
    files.update(corpus_b)
    assert_no_overlap(files, ("dev_b", "heldout_b"))


def overlaps(files: dict[str, list[dict]], own: tuple[str, ...]) -> list[tuple[str, str]]:
    """The pairs (own id, other id) of a passage of the files named `own` and a passage of another of `files` that are
    equal, or of which one holds the other (12 characters or more, whitespace ignored). One Aho-Corasick pass over each
    text finds every passage of 12 characters or more it holds (a pair of passages compared one by one took a
    minute of the suite for corpus N's 3,800 lines)."""
    texts = {name: [(r["id"], norm(r["text"])) for r in records] for name, records in files.items()}
    where: dict[str, list[tuple[str, str]]] = {}  # text -> (file, id) of each passage with it
    for name, items in texts.items():
        for rid, text in items:
            where.setdefault(text, []).append((name, rid))
    own_set = set(own)
    found: set[tuple[str, str]] = set()

    def pair(a: tuple[str, str], b: tuple[str, str]) -> None:
        if a[0] != b[0]:
            if a[0] in own_set:
                found.add((a[1], b[1]))
            if b[0] in own_set:
                found.add((b[1], a[1]))

    for text, origins in where.items():  # equal texts, of any length
        for i, a in enumerate(origins):
            for b in origins[i + 1:]:
                pair(a, b)
    patterns = [t for t in where if len(t) >= 12]
    automaton = ahocorasick_rs.AhoCorasick(patterns)
    for text, origins in where.items():
        if len(text) < 12:  # holds no passage of 12 characters or more
            continue
        for k in set(automaton.find_matches_as_indexes(text, overlapping=True)):
            inner = patterns[k[0]]
            if inner == text:
                continue
            for a in origins:
                for b in where[inner]:
                    pair(a, b)
    return sorted(found)


def assert_no_overlap(files: dict[str, list[dict]], own: tuple[str, ...]) -> None:
    """No passage of the files named `own` equals, holds or sits inside (12 characters or more, whitespace
    ignored) a passage of any other of `files`."""
    assert overlaps(files, own) == []


def test_overlaps_finds_what_comparing_every_pair_finds():
    """The one-pass search against the pairwise comparison it replaced, on passages made to meet every case: equal
    (short and long, whitespace aside), one inside the other either way, under 12 characters, in the same file (allowed),
    between two files neither of which is checked (not reported)."""
    def pairwise(files, own):
        texts = {name: [(r["id"], norm(r["text"])) for r in records] for name, records in files.items()}
        out = set()
        for name_own in own:
            for own_id, text in texts[name_own]:
                for name, items in texts.items():
                    if name != name_own:
                        for other_id, other in items:
                            short, long_ = sorted((text, other), key=len)
                            if short == long_ or (len(short) >= 12 and short in long_):
                                out.add((own_id, other_id))
        return sorted(out)

    long_claim = "这款理财产品保本保息零风险收益稳定"
    files = {
        "old": [{"id": "o1", "text": long_claim}, {"id": "o2", "text": "短句"}, {"id": "o3", "text": "十二个字以上的一句话在这里出现"},
                {"id": "o4", "text": "前面还有话。" + "别的文件里的一段完整的话语" + "后面也有"}],
        "older": [{"id": "x1", "text": "两个旧文件之间重复的一段较长的句子"}, {"id": "x2", "text": "十一个字的一句短话"}],
        "new": [{"id": "n1", "text": "这款理财产品 保本保息 零风险 收益稳定"}, {"id": "n2", "text": "短 句"},
                {"id": "n3", "text": "开头" + "十二个字以上的一句话在这里出现" + "结尾"}, {"id": "n4", "text": "别的文件里的一段完整的话语"},
                {"id": "n5", "text": "两个旧文件之间重复的一段较长的句子"[:-1]}, {"id": "n6", "text": "前面十一个字的一句短话后面"},
                {"id": "n7", "text": "同一文件里的两句一样的长句子啊"}, {"id": "n8", "text": "同一文件里的两句一样的长句子啊"}],
        "new_held": [{"id": "h1", "text": "开头" + long_claim}],
    }
    files["older"].append({"id": "x3", "text": "两个旧文件之间重复的一段较长的句子"})
    for own in (("new",), ("new", "new_held"), ("old",), ("older",)):
        assert overlaps(files, own) == pairwise(files, own), own
    assert overlaps(files, ("new", "new_held")) == [
        ("h1", "n1"), ("h1", "o1"), ("n1", "h1"), ("n1", "o1"), ("n2", "o2"), ("n3", "o3"), ("n4", "o4"), ("n5", "x1"), ("n5", "x3")]


def test_each_record_sits_in_the_half_its_site_group_hash_gives(corpus_b):
    for name, records in corpus_b.items():
        for r in records:
            assert half_for(r["source"]) == name, (r["id"], site_group(r["source"]))
