"""An auditor verifies an exported decision log away from the store (`guard decisions export`, `guard decisions verify
--file`): a row removed, moved or edited in the file is found, and the report says which (its seq, its line, its id)."""

from __future__ import annotations

import json

import pytest

from guard.store.chain import _chained, export, verify_export
from tests.e2e.servers import cli
from tests.store.test_decision_chain import _decisions, _seal, _store
from tests.suppression.conftest import api, app, client, clock  # noqa: F401 - fixtures


@pytest.fixture
def exported(app, api):  # noqa: F811
    _decisions(api, 5)
    d = api.check("13800139999")["decision_id"]
    api.outcome(d, "answered")
    _seal(app)
    return [json.dumps(link) for link in export(_store(app))]


def _problems(lines, heads=()):
    report = verify_export(lines, list(heads))
    return report["ok"], [{k: v for k, v in p.items() if k != "reason"} for p in report["problems"]]


def test_an_untouched_export_verifies_with_both_heads(exported):
    links = [json.loads(x) for x in exported]
    assert [(x["chain"], x["seq"]) for x in links] == [("decisions", s) for s in range(1, 7)] + [("outcomes", 1)]
    report = verify_export(exported, [links[5]["hash"], links[6]["hash"]])
    assert report["ok"] and report["head"] == {"seq": 6, "hash": links[5]["hash"]} and report["expected_head_found"]
    assert report["outcomes"]["head"]["seq"] == 1


def test_a_line_nested_too_deep_to_read_is_named_unreadable_not_a_crash(exported):
    """100,000 nested brackets raised json's RecursionError through `guard decisions verify --file` (a traceback, no
    report): a crafted file must be reported line by line, as every other line that is no link."""
    deep = "[" * 100_000 + "]" * 100_000
    assert _problems(exported[:3] + [deep] + exported[3:]) == (False, [{"problem": "unreadable", "chain": "decisions", "line": 4}])


def test_a_removed_row_is_named_by_its_seq(exported):
    assert _problems(exported[:2] + exported[3:]) == (False, [{"problem": "missing", "chain": "decisions", "seqs": [3, 3],
                                                                "before_line": 3}])


def test_a_row_removed_at_the_end_shows_only_against_a_recorded_head(exported):
    head = json.loads(exported[5])["hash"]
    assert verify_export(exported[:5] + exported[6:])["ok"]
    assert _problems(exported[:5] + exported[6:], [head]) == (False, [{"problem": "head_not_found", "expected": head}])


def test_a_moved_row_is_named_with_where_it_stands(exported):
    moved = [exported[0], exported[2], exported[1], *exported[3:]]
    ident = json.loads(exported[1])["content"]["id"]
    assert _problems(moved) == (False, [{"problem": "reordered", "chain": "decisions", "seq": 2, "line": 3, "after_seq": 3,
                                         "id": ident}])


def test_an_edited_row_is_named_and_re_hashing_it_breaks_the_next_link(exported):
    row = json.loads(exported[1])
    row["content"]["allowed"] = not row["content"]["allowed"]
    edited = [exported[0], json.dumps(row), *exported[2:]]
    assert _problems(edited) == (False, [{"problem": "altered", "chain": "decisions", "seq": 2, "line": 2,
                                          "id": row["content"]["id"]}])
    row["hash"] = _chained(row["prev_hash"], row["content"])
    rehashed = [exported[0], json.dumps(row), *exported[2:]]
    assert _problems(rehashed) == (False, [{"problem": "broken", "chain": "decisions", "seq": 3, "line": 3}])


def test_an_edited_outcome_is_named_in_its_chain(exported):
    row = json.loads(exported[6])
    row["content"]["disposition"] = "no_answer"
    ok, problems = _problems([*exported[:6], json.dumps(row)])
    assert not ok and problems == [{"problem": "altered", "chain": "outcomes", "seq": 1, "line": 7,
                                    "decision_id": row["content"]["decision_id"]}]


def test_the_cli_exports_and_verifies_a_file(tmp_path, exported, store_url):
    env = {"DATABASE_URL": store_url, "GUARD_DATA_DIR": str(tmp_path / "data")}
    out = tmp_path / "log.jsonl"
    r = cli(env, "decisions", "export", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8").splitlines() == [json.dumps(json.loads(x), separators=(",", ":"), ensure_ascii=False)
                                                            for x in exported]
    r = cli(env, "decisions", "verify", "--file", str(out))
    assert r.returncode == 0 and json.loads(r.stdout)["ok"], r.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    out.write_text("\n".join(lines[:2] + lines[3:]) + "\n", encoding="utf-8")
    r = cli(env, "decisions", "verify", "--file", str(out))
    assert r.returncode == 1 and json.loads(r.stdout)["problems"][0]["seqs"] == [3, 3] and "NOT intact" in r.stderr
