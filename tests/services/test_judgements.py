"""Reviewers' judgements of a stored script's findings: each rule's precision on the bank's scripts, and the judged
sentences as a labelled corpus the linter's real-text tooling scores.

The script joins two real published passages, each with an officer's label in the development corpora:
- a seller's claim, "年化收益6%,保本保息,和存款一样安全" (`tests/lint/real/dev_b.jsonl` b0508, labelled flag;
  https://finance.qingdaonews.com/content/2025-05/27/content_23664274.htm): the reviewer confirms its 保本保息;
- a Taiwanese adviser's explanation of principal-protected notes, "銀行的保本產品本質上就是一個精緻的禮盒,…"
  (`tests/lint/real/dev_h.jsonl` h0120, labelled clean; https://www.giffordchen.com/blog/principalprotectednotes),
  on which the linter flags 保本 twice: the reviewer judges both false alarms, as the officer labelled it.
"""

from __future__ import annotations

import json
import subprocess
import sys

from pathlib import Path

import pytest
import yaml

from tests.conftest import PACKS, new_key
from tests.e2e.servers import ROOT, cli
from tests.lint.real_corpus import load_file, score

GREETING = "您好，我是XX银行的客户经理，本次通话将被录音。"
CLAIM = "年化收益6%,保本保息,和存款一样安全"
EXPLAINER = "銀行的保本產品本質上就是一個精緻的禮盒,客戶往往只看到禮盒外面印著保本兩個大字,卻忽略了禮盒裡面到底是什麼。"
SCRIPT = f"{GREETING}\n{CLAIM}\n{EXPLAINER}"


@pytest.fixture
def world(make_app, store_url):
    app = make_app()
    c = app.test_client()
    keys = {"a": new_key(app, "reviewer"), "b": new_key(app, "reviewer"), "dialer": new_key(app, "dialer")}
    stored = c.post("/v1/scripts", json={"campaign": "wm-2026q4", "text": SCRIPT}, headers=keys["a"])
    assert stored.status_code == 201, stored.json
    return c, keys, stored.json, store_url


def _finding(script: dict, words: str, nth: int = 0) -> dict:
    """The finding on the nth occurrence of `words` in the script (it must exist: the linter's own behaviour)."""
    at = -1
    for _ in range(nth + 1):
        at = script["text"].index(words, at + 1)
    hits = [f for f in script["findings"] if f["start"] <= at < f["end"]]
    assert hits, (words, [(f["rule"], f["matched"]) for f in script["findings"]])
    return hits[0]


def _judge(c, key, script: dict, finding: dict, judgement: str, note: str | None = None):
    body = {"rule": finding["rule"], "start": finding["start"], "end": finding["end"], "judgement": judgement}
    if note is not None:
        body["note"] = note
    return c.post(f"/v1/scripts/{script['id']}/judgements", json=body, headers=key)


def _judge_the_two_passages(c, keys, script) -> tuple[dict, list[dict]]:
    claim = _finding(script, "保本保息")
    explained = [_finding(script, "保本", 1), _finding(script, "保本", 2)]
    r = _judge(c, keys["a"], script, claim, "confirmed", "承诺保本保息")
    assert r.status_code == 201, r.json
    for f in explained:
        r = _judge(c, keys["a"], script, f, "false_alarm", "讲解保本产品的风险，并非承诺")
        assert r.status_code == 201, r.json
    return claim, explained


def test_judgements_give_each_rules_precision_and_change_no_verdict(world):
    c, keys, script, _ = world
    assert script["verdict"] == "fail"
    claim, explained = _judge_the_two_passages(c, keys, script)
    assert {f["rule"] for f in explained} == {"guarantee.no_loss_wording"}, explained

    listed = c.get(f"/v1/scripts/{script['id']}/judgements", headers=keys["b"]).json["judgements"]
    assert [(j["start"], j["judgement"]) for j in listed] == [(claim["start"], "confirmed")] + [(f["start"], "false_alarm") for f in explained]
    assert listed[0]["matched"] == claim["matched"] and listed[0]["note"] == "承诺保本保息"
    assert listed[0]["created_by"] and listed[0]["policy"] == script["policy"]

    summary = c.get("/v1/scripts/judgements", headers=keys["b"]).json
    rules = {r["rule"]: r for r in summary["rules"]}
    assert summary["findings"] == 3 and summary["reviewers"] == 1
    assert rules[claim["rule"]]["confirmed"] == 1
    # every rule on the confirmed words counts it (a merged finding names them all)
    assert {r["rule"] for r in claim["rules"]} <= {name for name, r in rules.items() if r["confirmed"] == 1}
    loss = rules["guarantee.no_loss_wording"]
    assert loss["false_alarm"] == 2 and loss["judged"] == loss["confirmed"] + 2
    assert loss["precision"] == round(loss["confirmed"] / loss["judged"], 3) < 1
    assert summary["rules"][0]["precision"] == min(r["precision"] for r in summary["rules"])  # least precise first

    one = c.get("/v1/scripts/judgements?rule=guarantee.no_loss_wording", headers=keys["b"]).json
    assert [r["rule"] for r in one["rules"]] == ["guarantee.no_loss_wording"]
    later = c.get("/v1/scripts/judgements?since=2999-01-01T00:00:00%2B08:00", headers=keys["b"]).json
    assert later == {"findings": 0, "reviewers": 0, "rules": []}

    # A judgement is evidence for the pack owner, not a waiver: the verdict and the refusal stand.
    assert c.get(f"/v1/scripts/{script['id']}", headers=keys["b"]).json["verdict"] == "fail"
    refused = c.post(f"/v1/scripts/{script['id']}/approve", headers=keys["b"])
    assert refused.status_code == 409 and refused.json["error"]["code"] == "SCRIPT_FAILS_LINT"


def test_a_reviewers_newest_judgement_counts_and_two_who_disagree_make_it_disputed(world):
    c, keys, script, _ = world
    f = _finding(script, "保本", 1)
    assert _judge(c, keys["a"], script, f, "false_alarm").status_code == 201
    assert _judge(c, keys["a"], script, f, "confirmed").status_code == 201  # changed their mind
    rules = {r["rule"]: r for r in c.get("/v1/scripts/judgements", headers=keys["a"]).json["rules"]}
    assert rules[f["rule"]] | {} == {"rule": f["rule"], "judged": 1, "confirmed": 1, "false_alarm": 0, "disputed": 0, "precision": 1.0}
    assert _judge(c, keys["b"], script, f, "false_alarm").status_code == 201
    summary = c.get("/v1/scripts/judgements", headers=keys["a"]).json
    rules = {r["rule"]: r for r in summary["rules"]}
    assert summary["reviewers"] == 2
    assert rules[f["rule"]] == {"rule": f["rule"], "judged": 1, "confirmed": 0, "false_alarm": 0, "disputed": 1, "precision": None}
    # every judgement is kept, in the order given
    assert [j["judgement"] for j in c.get(f"/v1/scripts/{script['id']}/judgements", headers=keys["a"]).json["judgements"]] == \
        ["false_alarm", "confirmed", "false_alarm"]


def test_a_new_version_shows_what_reviewers_concluded_on_the_same_words_of_an_earlier_one(world):
    """Version 2 keeps the explainer sentence and rewrites the claim: its 保本 findings in the explainer show the false
    alarms judged on version 1 (same rule, same words, same sentence, though at other offsets); the rewritten claim's
    finding shows nothing, as no reviewer read those words; version 2's own judgements start empty. Another campaign's
    version with the same sentence shows nothing either (another product, another review)."""
    c, keys, first, _ = world
    claim, explained = _judge_the_two_passages(c, keys, first)
    assert _judge(c, keys["b"], first, explained[1], "confirmed").status_code == 201  # the second reviewer disagrees on one
    rewritten = "开场白改过了。" + GREETING + "\n年化收益6%,稳赚不赔\n" + EXPLAINER
    second = c.post("/v1/scripts", json={"campaign": "wm-2026q4", "text": rewritten}, headers=keys["a"]).json
    assert second["version"] == 2
    given = c.get(f"/v1/scripts/{first['id']}/judgements", headers=keys["b"]).json["judgements"]
    a, b = given[0]["created_by"], given[-1]["created_by"]  # the actors the two reviewers' keys record
    assert a and b and a != b
    listed = c.get(f"/v1/scripts/{second['id']}/judgements", headers=keys["b"]).json
    assert listed["judgements"] == []
    here = [_finding(second, "保本", 0), _finding(second, "保本", 1)]
    assert [(e["start"], e["end"], e["judgement"], e["by"], e["version"], e["script_id"]) for e in listed["earlier"]] == [
        (here[0]["start"], here[0]["end"], "false_alarm", [a], 1, first["id"]),
        (here[1]["start"], here[1]["end"], "disputed", sorted([a, b]), 1, first["id"]),
    ]
    earlier = listed["earlier"][0]
    assert earlier["sentence"] == EXPLAINER and earlier["rule"] == here[0]["rule"] == earlier["judged_rule"]
    assert earlier["notes"] == ["讲解保本产品的风险，并非承诺"]
    assert here[0]["start"] != explained[0]["start"]  # found by its words, not its offsets
    assert not any(e["start"] <= second["text"].index("稳赚不赔") < e["end"] for e in listed["earlier"])
    # the first version shows the second's judgements in its turn, none yet
    assert c.get(f"/v1/scripts/{first['id']}/judgements", headers=keys["b"]).json["earlier"] == []

    other = c.post("/v1/scripts", json={"campaign": "ins-2026q4", "text": SCRIPT}, headers=keys["a"])
    assert other.status_code == 201, other.json
    assert c.get(f"/v1/scripts/{other.json['id']}/judgements", headers=keys["a"]).json["earlier"] == []


def test_a_judgement_must_name_a_finding_of_the_stored_version(world):
    c, keys, script, _ = world
    f = _finding(script, "保本保息")
    wrong = _judge(c, keys["a"], script, {**f, "start": f["start"] + 1}, "false_alarm")
    assert wrong.status_code == 400 and wrong.json["error"]["code"] == "INVALID_REQUEST"
    detail = wrong.json["error"]["details"][0]
    assert detail["field"] == "rule" and {(x["rule"], x["start"]) for x in detail["findings"]} == \
        {(x["rule"], x["start"]) for x in script["findings"]}
    other_rule = _judge(c, keys["a"], script, {**f, "rule": "pressure.limited_time"}, "confirmed")
    assert other_rule.status_code == 400
    bad = c.post(f"/v1/scripts/{script['id']}/judgements",
                 json={"rule": f["rule"], "start": f["start"], "end": f["end"], "judgement": "wrong"}, headers=keys["a"])
    assert bad.status_code == 400 and "judgement" in json.dumps(bad.json["error"]["details"])
    extra = c.post(f"/v1/scripts/{script['id']}/judgements",
                   json={"rule": f["rule"], "start": f["start"], "end": f["end"], "judgement": "confirmed", "waive": True},
                   headers=keys["a"])
    assert extra.status_code == 400
    missing = _judge(c, keys["a"], {"id": "0190f2d4-0000-7000-8000-000000000000"}, f, "confirmed")
    assert missing.status_code == 404
    assert _judge(c, keys["dialer"], script, f, "confirmed").status_code == 403
    assert c.get("/v1/scripts/judgements", headers=keys["dialer"]).status_code == 403
    assert c.get(f"/v1/scripts/{script['id']}/judgements", headers=keys["a"]).json["judgements"] == []


def test_the_corpus_export_is_labelled_real_text_the_corpus_tooling_scores(world, tmp_path):
    c, keys, script, store_url = world
    _judge_the_two_passages(c, keys, script)
    missing = next(f for f in script["findings"] if f["code"] == "MISSING_DISCLOSURE")
    assert _judge(c, keys["a"], script, missing, "confirmed").status_code == 201  # the whole script's: no sentence
    # a false alarm beside a finding nobody judged: the sentence may still claim (保本保息), so it gets no label
    other = c.post("/v1/scripts", json={"campaign": "ins-2026q4", "text": "您好，这款保险年化收益稳定4%，保本保息。"},
                   headers=keys["a"]).json
    steady = _finding(other, "收益稳定")
    assert any(f["matched"] == "保本保息" for f in other["findings"])
    assert _judge(c, keys["a"], other, steady, "false_alarm").status_code == 201
    env = {"DATABASE_URL": store_url, "GUARD_LOG_LEVEL": "WARNING"}
    out = tmp_path / "judged.jsonl"
    run = cli(env, "judgements", "--format", "corpus", "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert "2 passage(s): 1 flag, 1 clean; 1 sentence(s) left out: a false alarm beside a finding nobody judged" in run.stderr
    items = {i.text: i for i in load_file(out)}
    # each judged sentence whole, as the linter cuts it, with the officer's label the reviewer gave
    assert set(items) == {CLAIM, EXPLAINER}
    assert items[CLAIM].label == "flag" and "BANNED_PHRASE" in items[CLAIM].codes and items[CLAIM].product_type == "wealth"
    assert items[EXPLAINER].label == "clean" and items[EXPLAINER].script == "traditional" and items[CLAIM].script == "simplified"
    assert items[EXPLAINER].source == f"script:{script['id']} v{script['version']} (wm-2026q4)"
    assert "讲解保本产品的风险" in items[EXPLAINER].note and items[EXPLAINER].certainty == "clear"

    from policies.lint_docs import shipped_pack

    total, _, wrong = score(list(items.values()), shipped_pack())
    assert (total.tp, total.fp, total.fn, total.tn) == (1, 1, 0, 0)  # the linter, scored on the bank's own judgements
    assert [i.text for i, _ in wrong] == [EXPLAINER]
    scored = subprocess.run([sys.executable, "-m", "tests.lint.real_corpus", str(out), "--misses", "--rules"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert scored.returncode == 0, scored.stderr
    assert "precision 0.500  recall 1.000  (tp 1 fp 1 fn 0 tn 0)" in scored.stdout
    assert any(line.startswith("FP ") and EXPLAINER[:10] in line for line in scored.stdout.splitlines()), scored.stdout

    # a second reviewer disagreeing on one of the explainer's findings makes that passage doubtful
    assert _judge(c, keys["b"], script, _finding(script, "保本", 1), "confirmed").status_code == 201
    assert cli(env, "judgements", "--format", "corpus", "--out", str(out)).returncode == 0
    items = {i.text: i for i in load_file(out)}
    assert items[EXPLAINER].certainty == "doubtful" and items[EXPLAINER].label == "flag"
    assert items[CLAIM].certainty == "clear"

    table = cli(env, "judgements")
    assert table.returncode == 0, table.stderr
    assert table.stdout.startswith("5 finding(s) judged by 2 reviewer(s)")
    assert any(line.startswith(missing["rule"] + " ") for line in table.stdout.splitlines())
    row = next(line for line in table.stdout.splitlines() if line.startswith("guarantee.no_loss_wording"))
    # judged, confirmed, false alarms, disputed, precision (of the decided ones), the least precise rule first
    assert row.split()[1:] == ["2", "0", "1", "1", "0.00"], table.stdout
    assert table.stdout.splitlines()[2] == row
    as_json = json.loads(cli(env, "judgements", "--format", "json", "--rule", "guarantee.no_loss_wording").stdout)
    assert [r["rule"] for r in as_json["rules"]] == ["guarantee.no_loss_wording"] and as_json["reviewers"] == 2
    bad = cli(env, "judgements", "--from", "yesterday")
    assert bad.returncode == 2 and "--from" in bad.stderr


def test_the_corpus_splits_once_by_campaign_and_the_held_out_half_is_scored_not_read(world, tmp_path):
    """`--split`: the campaigns split by a hash, as the corpora split by a hash of the site (a campaign's versions share
    their wording). A third real line, a seller's list of promises (`tests/lint/real/dev_i.jsonl` i0117, labelled flag;
    http://fengbaosun.com/news/hbe/newlist-hbedj.html), is stored for the fund campaign and confirmed."""
    c, keys, script, store_url = world
    _judge_the_two_passages(c, keys, script)
    promises = "保本保息、到期兑付、没有潜在风险、合法合规"
    fund = c.post("/v1/scripts", json={"campaign": "fund-2026q4", "text": promises}, headers=keys["a"]).json
    for f in fund["findings"]:
        if f["code"] != "MISSING_DISCLOSURE":
            assert _judge(c, keys["a"], fund, f, "confirmed").status_code == 201
    env = {"DATABASE_URL": store_url, "GUARD_LOG_LEVEL": "WARNING"}
    whole = tmp_path / "whole.jsonl"
    assert cli(env, "judgements", "--format", "corpus", "--out", str(whole)).returncode == 0
    run = cli(env, "judgements", "--format", "corpus", "--split", str(tmp_path / "split"))
    assert run.returncode == 0, run.stderr
    dev, held = load_file(tmp_path / "split" / "dev.jsonl"), load_file(tmp_path / "split" / "heldout.jsonl")
    assert sorted(i.text for i in dev + held) == sorted(i.text for i in load_file(whole))  # nothing lost, nothing twice
    # each campaign wholly on one side (fund-2026q4's hash falls on the development side, wm-2026q4's on the held-out)
    assert [i.text for i in dev] == [promises] and {i.text for i in held} == {CLAIM, EXPLAINER}
    assert "heldout.jsonl: 2 passage(s) of 1 campaign(s)" in run.stderr
    scored = subprocess.run([sys.executable, "-m", "tests.lint.real_corpus", str(tmp_path / "split" / "heldout.jsonl")],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert scored.returncode == 0 and "(tp 1 fp 1 fn 0 tn 0)" in scored.stdout, scored.stdout + scored.stderr
    refused = subprocess.run([sys.executable, "-m", "tests.lint.real_corpus", str(tmp_path / "split" / "heldout.jsonl"), "--misses"],
                             cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert refused.returncode == 2 and "refused" in refused.stdout
    misuse = cli(env, "judgements", "--split", str(tmp_path / "split"))
    assert misuse.returncode == 2 and "--format corpus" in misuse.stderr


def test_a_merged_finding_counts_for_each_of_its_rules(world):
    """Overlapping hits of two rules are one finding (本金絕對安全 and 絕對安全, the issue's own example): a judgement of
    it is a judgement of both rules."""
    c, keys, _, _ = world
    stored = c.post("/v1/scripts", json={"campaign": "wm-2026q4", "text": "这款产品本金絕對安全。"}, headers=keys["a"]).json
    merged = _finding(stored, "本金絕對安全")
    names = [r["rule"] for r in merged["rules"]]
    assert len(names) == 2 and names[0] == merged["rule"], merged
    r = _judge(c, keys["a"], stored, merged, "false_alarm")
    assert r.status_code == 201 and r.json["rules"] == names
    summary = c.get("/v1/scripts/judgements", headers=keys["a"]).json
    assert summary["findings"] == 1
    assert {x["rule"]: (x["judged"], x["false_alarm"]) for x in summary["rules"]} == {name: (1, 1) for name in names}
    # asked for the rule the finding does not report first, it is still counted there
    other = c.get(f"/v1/scripts/judgements?rule={names[1]}", headers=keys["a"]).json
    assert other["findings"] == 1 and [x["rule"] for x in other["rules"]] == [names[1]]


def _draft(tmp_path, name: str, edit) -> Path:
    raw = yaml.safe_load((PACKS / "cn-bank-2026.4.yaml").read_text(encoding="utf-8"))
    raw["version"] = "2026.5"
    rules = {r["id"]: r for r in raw["phrases"]}
    edit(raw, rules)
    path = tmp_path / name
    path.mkdir()
    (path / "cn-bank-2026.5.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_a_what_if_of_a_pack_change_shows_the_judged_false_alarms_it_clears_and_the_confirmed_findings_it_loses(world, tmp_path):
    """The loop a judgement starts: the pack owner drafts an `except` for the adviser's explanation, and the what-if
    shows both false alarms cleared and the confirmed claim still found; a draft that drops the rule shows the claim
    lost."""
    c, keys, script, store_url = world
    _judge_the_two_passages(c, keys, script)
    env = {"DATABASE_URL": store_url, "GUARD_LOG_LEVEL": "WARNING"}
    period = ("--against", "decisions", "--from", "2026-01-01T00:00:00+08:00", "--to", "2026-01-02T00:00:00+08:00")

    def fix(raw, rules):  # the adviser's words as the rule's excepts (matched after normalisation: simplified)
        rules["guarantee.no_loss_wording"]["except"] += ["保本产品本质", "保本两个大字"]

    run = cli(env, "policies", "simulate", str(_draft(tmp_path, "fix", fix)), *period)
    assert run.returncode == 0, run.stderr
    judged = json.loads(run.stdout)["judged_findings"]
    assert (judged["false_alarms"], judged["confirmed"]) == (2, 1)
    assert judged["serving"] == {"false_alarms_raised": 2, "confirmed_kept": 1}
    assert judged["draft"] == {"false_alarms_raised": 0, "confirmed_kept": 1}
    assert sorted((x["change"], x["matched"]) for x in judged["changed"]) == [("false_alarm_cleared", "保本")] * 2

    def overreach(raw, rules):  # the same, and the rule that found the confirmed claim dropped
        fix(raw, rules)
        raw["phrases"] = [r for r in raw["phrases"] if r["id"] != "guarantee.principal_and_interest"]
        rules["guarantee.no_loss_wording"]["except"] += ["保本保息"]

    html = tmp_path / "what-if.html"
    run = cli(env, "policies", "simulate", str(_draft(tmp_path, "overreach", overreach)), *period, "--out", str(html))
    assert run.returncode == 0, run.stderr
    page = html.read_text(encoding="utf-8")
    assert "the serving versions keep <b>1</b>, the draft <b>0</b>" in page
    assert "confirmed finding lost 漏检" in page and "guarantee.principal_and_interest" in page
