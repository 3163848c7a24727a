"""Shape of the third real-text corpus (tests/lint/real/dev_c.jsonl, heldout_c.jsonl; README "Corpus C").

Like test_real_corpus_b.py these tests read the records only and never run the linter. They check each
record's format, that ids are unique and in collection order, that no passage repeats or contains a
passage of another corpus file, and that every record sits in the half the corpus C split rule gives
(decided before any figure was looked at): a site group already in a held-out file of corpus A or B goes
to heldout_c, one already in a development file to dev_c, any other by the parity of sha1("c:" + group).
"""
from __future__ import annotations

import hashlib

import pytest

from tests.lint.test_real_corpus_b import _load, assert_record_shape, norm, site_group

FILES = ("dev", "heldout", "dev_b", "heldout_b", "dev_c", "heldout_c")


@pytest.fixture(scope="module")
def corpora() -> dict[str, list[dict]]:
    return {name: _load(name) for name in FILES}


def half_for(url: str, corpora: dict[str, list[dict]]) -> str:
    group = site_group(url)
    if any(group == site_group(r["source"]) for name in ("heldout", "heldout_b") for r in corpora[name]):
        return "heldout_c"
    if any(group == site_group(r["source"]) for name in ("dev", "dev_b") for r in corpora[name]):
        return "dev_c"
    return "dev_c" if int(hashlib.sha1(("c:" + group).encode("utf-8")).hexdigest()[0], 16) % 2 == 0 else "heldout_c"


def test_every_record_has_the_shape_of_the_format(corpora):
    records = corpora["dev_c"] + corpora["heldout_c"]
    assert len(records) >= 370
    for r in records:
        assert_record_shape(r, r"c\d{4}")


def test_ids_are_unique_and_in_collection_order(corpora):
    ids = [r["id"] for r in corpora["dev_c"] + corpora["heldout_c"]]
    assert sorted(ids) == ["c%04d" % i for i in range(1, len(ids) + 1)]
    for name in ("dev_c", "heldout_c"):
        assert [r["id"] for r in corpora[name]] == sorted(r["id"] for r in corpora[name])


def test_no_passage_repeats_or_contains_a_passage_of_another_file(corpora):
    texts = {name: [(r["id"], norm(r["text"])) for r in records] for name, records in corpora.items()}
    for name_c in ("dev_c", "heldout_c"):
        for id_c, text_c in texts[name_c]:
            for name, items in texts.items():
                if name == name_c:
                    continue
                for other_id, other in items:
                    short, long_ = sorted((text_c, other), key=len)
                    assert short != long_ and (len(short) < 12 or short not in long_), (id_c, other_id)


def test_each_record_sits_in_the_half_the_split_rule_gives(corpora):
    for name in ("dev_c", "heldout_c"):
        for r in corpora[name]:
            assert half_for(r["source"], corpora) == name, (r["id"], site_group(r["source"]))
