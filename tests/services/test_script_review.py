"""Scripts after a pack change: an approved script that a new pack version fails needs review from the
moment that version takes effect, keeps counting as approved for the pack's grace period, then the
campaign's checks answer SCRIPT_NOT_APPROVED until a reviewer approves a new version; a simulation of
the draft lists it beforehand, and the decisions around it replay exactly.

cn-bank 2026.5 below adds a rule against "首选" (an absolute claim, 《广告法》第九条: 不得使用"国家级""最高级""最佳"等用语)
that the approved fund script uses, and `script_approval: {four_eyes: true, review_grace: 1d}`.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone

import pytest
import yaml

from guard.services import whatif
from guard.services.whatif import replay_decisions
from tests.conftest import PACKS, Clock, new_key
from tests.e2e.servers import cli

SH = timezone(timedelta(hours=8))
FAILING_LATER = "您好，我是XX银行的客户经理，本次通话将被录音。这只基金是理财的首选。基金有风险，投资需谨慎。过往业绩不代表未来表现，请您仔细阅读基金合同和招募说明书。"
FIXED = "您好，我是XX银行的客户经理，本次通话将被录音。基金有风险，投资需谨慎。过往业绩不代表未来表现，请您仔细阅读基金合同和招募说明书。"
# The new version takes effect at a midnight ahead of the real clock, which `guard policies reload` (a process of its
# own) reads: marked before its effective_from, the script needs review from that instant. The test's server clock
# starts 6 days 14 hours before (at 10:00, inside the windows of any day).
EFFECTIVE = datetime.combine(datetime.now(SH).date() + timedelta(days=30), datetime.min.time(), tzinfo=SH)
START = EFFECTIVE - timedelta(days=6, hours=14)


def next_version() -> dict:
    raw = yaml.safe_load((PACKS / "cn-bank-2026.4.yaml").read_text(encoding="utf-8"))
    raw["version"] = "2026.5"
    raw["effective_from"] = EFFECTIVE.isoformat()
    raw["script_approval"] = {"four_eyes": True, "review_grace": "1d"}
    raw["phrases"].append({"id": "misleading.first_choice", "code": "MISLEADING", "severity": "error", "product_types": ["all"],
                           "patterns": ["首选"], "suggestion": "删除“首选”等绝对化用语，客观介绍产品"})
    return raw


@pytest.fixture
def world(make_app, tmp_path, store_url):
    packs = tmp_path / "packs"
    shutil.copytree(PACKS, packs)
    clock = Clock(START)  # the server's clock: every record on one timeline
    app = make_app(GUARD_POLICY_DIR=str(packs), clock=clock)
    c = app.test_client()
    author, checker, dialer = new_key(app, "reviewer"), new_key(app, "reviewer"), new_key(app, "dialer")
    stored = c.post("/v1/scripts", json={"campaign": "fund-2026q4", "text": FAILING_LATER}, headers=author)
    assert stored.status_code == 201 and stored.json["verdict"] != "fail", stored.json
    approved = c.post(f"/v1/scripts/{stored.json['id']}/approve", headers=checker)
    assert approved.status_code == 200, approved.json
    app.clock_ = clock
    return app, c, packs, {"author": author, "checker": checker, "dialer": dialer}, stored.json["id"], store_url


def _script_denied(c, key, at: datetime) -> bool:
    c.application.clock_.now = at
    r = c.post("/v1/check", json={"phone": "13900139001", "campaign": "fund-2026q4"}, headers=key)
    assert r.status_code == 200, r.json
    return "SCRIPT_NOT_APPROVED" in [x["code"] for x in r.json["reasons"]]


def test_a_pack_change_suspends_an_approved_script_that_now_fails_and_a_new_approval_lifts_it(world, tmp_path):
    app, c, packs, keys, script_id, store_url = world
    rt = app.extensions["guard"]
    assert not _script_denied(c, keys["dialer"], START)
    # Beforehand: the simulation of the draft lists the script.
    draft_dir = tmp_path / "draft"
    draft_dir.mkdir()
    (draft_dir / "cn-bank-2026.5.yaml").write_text(yaml.safe_dump(next_version(), allow_unicode=True), encoding="utf-8")
    draft = whatif.draft_packs(rt.registry.good_documents(), whatif.read_draft(draft_dir), "cn-bank")
    listed = whatif.scripts_needing_review(rt.store, rt.packs(), draft, rt.clock())
    assert [(s["script_id"], s["campaign"]) for s in listed] == [(script_id, "fund-2026q4")]
    assert {f["rule"] for f in listed[0]["findings"]} == {"misleading.first_choice"}
    # The version is deployed and reloaded ahead of its effective_from: the script is marked at once.
    shutil.copy(draft_dir / "cn-bank-2026.5.yaml", packs)
    out = cli({"DATABASE_URL": store_url, "GUARD_POLICY_DIR": str(packs), "GUARD_LOG_LEVEL": "WARNING"}, "policies", "reload")
    assert out.returncode == 0, out.stderr
    assert f"needs review  script {script_id} (fund-2026q4 v1) fails cn-bank 2026.5" in out.stderr
    queue = c.get("/v1/scripts/needs-review", headers=keys["checker"]).json["scripts"]
    assert [s["id"] for s in queue] == [script_id]
    assert queue[0]["needs_review_at"] == EFFECTIVE.astimezone(timezone.utc).isoformat()
    assert queue[0]["suspended_at"] == (EFFECTIVE + timedelta(days=1)).astimezone(timezone.utc).isoformat()
    assert queue[0]["review_pack"] == "cn-bank 2026.5" and queue[0]["review_findings"][0]["matched"] == "首选"
    # Approved until the version takes effect, and through its grace day; then SCRIPT_NOT_APPROVED.
    assert not _script_denied(c, keys["dialer"], EFFECTIVE - timedelta(hours=14))
    assert not _script_denied(c, keys["dialer"], EFFECTIVE + timedelta(hours=10))
    assert _script_denied(c, keys["dialer"], EFFECTIVE + timedelta(days=1, hours=10))
    # The marked version cannot simply be approved again; a fixed new version can, and lifts it.
    again = c.post(f"/v1/scripts/{script_id}/approve", headers=keys["checker"])
    assert again.status_code == 409 and again.json["error"]["code"] == "SCRIPT_FAILS_LINT", again.json
    app.clock_.now = EFFECTIVE + timedelta(days=1, hours=10, minutes=30)
    fixed = c.post("/v1/scripts", json={"campaign": "fund-2026q4", "text": FIXED}, headers=keys["author"]).json
    assert c.post(f"/v1/scripts/{fixed['id']}/approve", headers=keys["checker"]).status_code == 200
    assert not _script_denied(c, keys["dialer"], EFFECTIVE + timedelta(days=1, hours=11))
    out = cli({"DATABASE_URL": store_url, "GUARD_POLICY_DIR": str(packs), "GUARD_LOG_LEVEL": "WARNING"}, "scheduler", "--once")
    assert out.returncode == 0 and '"job": "script_review", "result": {"linted": 1, "marked": [], "unvouched": []}' in out.stdout, out.stdout
    # Every one of these decisions replays to its logged answer (the suspension is read as of each).
    n = 0
    for r, (stored, _, _) in replay_decisions(rt.store, rt.packs(), START - timedelta(days=27), EFFECTIVE + timedelta(days=28)):
        assert [x.code for x in r.decision.reasons] == [x["code"] for x in stored], r.check
        n += 1
    assert n == 5


def test_a_version_approved_after_a_failing_pack_version_is_loaded_is_marked_by_the_approval(world):
    """cn-bank 2026.5 (against 首选) is loaded ahead of its effective_from; a version using 首选 stored and approved
    afterwards passed today's pack and was answered approved with needs_review false: the guard already knew the
    approval would stop counting a day after 2026.5 takes effect, but said so only at the script_review job's next run
    (none if the scheduler is not running). The approval now marks it at once, as the job would."""
    app, c, packs, keys, script_id, store_url = world
    (packs / "cn-bank-2026.5.yaml").write_text(yaml.safe_dump(next_version(), allow_unicode=True), encoding="utf-8")
    out = cli({"DATABASE_URL": store_url, "GUARD_POLICY_DIR": str(packs), "GUARD_LOG_LEVEL": "WARNING"}, "policies", "reload")
    assert out.returncode == 0, out.stderr
    later = c.post("/v1/scripts", json={"campaign": "fund-2026q4", "text": FAILING_LATER + "再说一次。"}, headers=keys["author"])
    assert later.status_code == 201 and later.json["verdict"] != "fail", later.json
    approved = c.post(f"/v1/scripts/{later.json['id']}/approve", headers=keys["checker"])
    assert approved.status_code == 200, approved.json
    assert approved.json["approved_at"] is not None and approved.json["needs_review"] is True, approved.json
    assert approved.json["needs_review_at"] == EFFECTIVE.astimezone(timezone.utc).isoformat()
    assert approved.json["suspended_at"] == (EFFECTIVE + timedelta(days=1)).astimezone(timezone.utc).isoformat()
    assert approved.json["review_pack"] == "cn-bank 2026.5"
    queue = c.get("/v1/scripts/needs-review", headers=keys["checker"]).json["scripts"]
    assert later.json["id"] in [s["id"] for s in queue]
    # the version passing every loaded version is approved unmarked
    fixed = c.post("/v1/scripts", json={"campaign": "fund-2026q4", "text": FIXED}, headers=keys["author"]).json
    ok = c.post(f"/v1/scripts/{fixed['id']}/approve", headers=keys["checker"]).json
    assert ok["approved_at"] is not None and ok["needs_review"] is False


def test_a_simulation_under_a_pack_with_no_phrase_rule_says_its_approved_scripts_were_not_checked(make_app, tmp_path):
    # us-tcpa governs when to call, not what is said: a draft of it passes every script with no wording rule applied.
    # The simulation says so as the lint answer does (NO_PHRASE_RULES), not by listing nothing under `scripts`.
    app = make_app()
    c, rt = app.test_client(), app.extensions["guard"]
    author, checker = new_key(app, "reviewer"), new_key(app, "reviewer")
    stored = c.post("/v1/scripts", json={"campaign": "us-dep-2026", "text": "保本保息，零风险。"}, headers=author)
    assert stored.status_code == 201 and stored.json["verdict"] != "fail", stored.json
    assert c.post(f"/v1/scripts/{stored.json['id']}/approve", headers=checker).status_code == 200
    raw = yaml.safe_load((PACKS / "us-tcpa-2026.2.yaml").read_text(encoding="utf-8"))
    raw["version"] = "2026.3"
    (tmp_path / "us-tcpa-2026.3.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    draft = whatif.draft_packs(rt.registry.good_documents(), whatif.read_draft(tmp_path / "us-tcpa-2026.3.yaml"), "cn-bank")
    assert whatif.scripts_needing_review(rt.store, rt.packs(), draft, rt.clock()) == []
    (item,) = whatif.scripts_unvouched(rt.store, draft, rt.clock())
    assert (item["script_id"], item["pack"], item["pack_version"]) == (stored.json["id"], "us-tcpa", "2026.3")
    (note,) = item["notes"]
    assert note["code"] == "NO_PHRASE_RULES" and set(note["messages"]) == {"zh-CN", "zh-TW", "en"}


def test_the_what_if_reports_no_wording_warning_is_in_the_reports_chinese_too():
    # The HTML report (lang zh-CN or zh-TW, every heading in both languages) gave this warning in English alone, though
    # the note carries its Chinese (`messages`).
    from guard.services.whatif.report import render

    messages = {"zh-CN": "策略包 us-tcpa 2026.3 没有适用于 信用卡 的话术规则", "zh-TW": "策略包 us-tcpa 2026.3 沒有適用於 信用卡 的話術規則",
                "en": "Pack us-tcpa 2026.3 has no phrase rule for credit card"}
    report = {"kind": "decisions", "scripts": [], "scripts_unvouched": [
        {"campaign": "us-cc-2026", "script_id": "s1", "version": 1, "pack": "us-tcpa", "pack_version": "2026.3",
         "notes": [{"code": "NO_PHRASE_RULES", "message": messages["en"], "messages": messages}]}]}
    for chinese in ("zh-CN", "zh-TW"):
        html = render(report, chinese)
        warning = html[html.index('class="bad-text warning unvouched"'):]
        warning = warning[:warning.index("</p>")]
        assert messages["en"] in warning and f'<span lang="{chinese}">{messages[chinese]}</span>' in warning, warning
