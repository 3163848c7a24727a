"""The console's 策略预演 What-if page in real headless Chromium (Debian's), against a real gunicorn guard:
an auditor pastes a draft that tightens the customer cap, simulates the hand-checked small log of
tests/services/test_whatif.py, reads the changes and opens the HTML report. Screenshots:
var/console-whatif.png and var/console-whatif-report.png."""

from __future__ import annotations

import pytest
import yaml

from tests.browser.test_console import browser, page, shoot, sign_in, unlabeled_controls  # noqa: F401 - fixtures
from tests.e2e.servers import ROOT, GuardServer, cli, request
from tests.services.test_whatif import LOG, N1, N2, N3, N4, tightened

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def guard(tmp_path_factory):
    from guard.store.migrate import upgrade

    url = f"sqlite:///{tmp_path_factory.mktemp('whatif') / 'guard.db'}"
    upgrade(url)
    env = {"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_ALLOW_CLIENT_TIME": "1"}
    keys = {role: cli(env, "keys", "create", "--role", role, "--label", label).stdout.strip()
            for role, label in (("auditor", "李四 合规"), ("operator", "王五 消保"), ("dialer", "外呼平台"), ("reviewer", "赵六 审核"))}
    keys["checker"] = cli(env, "keys", "create", "--role", "reviewer", "--label", "钱七 复核").stdout.strip()
    with GuardServer(env).start() as server:  # stopped also when the seeding below fails
        server.keys = keys
        server.env_ = env
        for cid, phones in (("C1", [N1, N2, N3]), ("C2", [N4])):
            assert request(server.port, "PUT", f"/v1/customers/{cid}", {"phones": phones}, keys["operator"])[0] == 201
        server.names = {}
        for name, at, number, customer, dry in LOG:
            body = {"phone": number, "campaign": "dep-2026q4", "at": at.isoformat(), "dry_run": dry}
            if customer:
                body["customer_id"] = customer
            status, decision = request(server.port, "POST", "/v1/check", body, keys["dialer"])
            assert status == 200
            server.names[decision["decision_id"]] = name
        yield server


def load_draft(page, tmp_path, raw: dict, name: str = "cn-bank-2026.5.yaml") -> None:
    """The draft loaded from a file ("或从文件载入"): the whole cn-bank pack with its learned scorer's
    weights is some 75 KB of YAML, which Playwright's fill types into a textarea for longer than its
    timeout (a person pastes it at once)."""
    path = tmp_path / name
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    page.set_input_files("#whatif-file", str(path))
    page.wait_for_function("() => document.querySelector('#whatif-draft').value.length > 1000")


def simulate_the_week(page, guard, tmp_path, raw: dict) -> None:
    """Signed in as an auditor, the draft `raw` simulated over the week of the served decisions (2–7 November), done."""
    sign_in(page, guard, "auditor", "#/whatif")
    load_draft(page, tmp_path, raw)
    page.fill("#whatif-from", "2026-11-02T00:00:00+08:00")
    page.fill("#whatif-to", "2026-11-07T00:00:00+08:00")
    page.click("#whatif-go")
    page.locator('#whatif[data-status="done"]').wait_for(timeout=60_000)


def test_an_auditor_simulates_a_draft_and_reads_what_it_would_change(guard, page, tmp_path):  # noqa: F811
    sign_in(page, guard, "auditor", "#/whatif")
    assert page.locator('#nav a[data-page="whatif"]').inner_text() == "策略预演"
    load_draft(page, tmp_path, tightened())
    assert page.input_value("#whatif-name") == "cn-bank-2026.5.yaml"
    page.fill("#whatif-from", "2026-11-02T00:00:00+08:00")
    page.fill("#whatif-to", "2026-11-07T00:00:00+08:00")
    assert unlabeled_controls(page) == []
    page.click("#whatif-go")
    page.locator('#whatif[data-status="done"]').wait_for(timeout=60_000)
    assert page.inner_text("#wi-judged .n") == "9"
    # the period judged is stated (the form beside it shows the next run's, a week to now by default)
    assert page.inner_text("#wi-period") == "重判时段：2026-11-02 00:00:00 (UTC+08:00) 至 2026-11-07 00:00:00 (UTC+08:00)（不含），5 天"
    assert page.inner_text("#wi-a2d .n") == "3" and page.inner_text("#wi-d2a .n") == "0"
    assert page.inner_text("#wi-drop .n") == "0.6"
    assert "1.4 → 0.8（-42.86%）" in page.inner_text("#wi-perday"), "the change in calls a day, signed"
    assert "FREQ_CAP" in page.inner_text("#whatif-reasons") and "dep-2026q4" in page.inner_text("#whatif-campaigns")
    assert "9 / 9" in page.inner_text("#wi-fidelity")
    examples = page.inner_text("#whatif-examples")
    assert "+8613900130002" in examples and "+8613900130003" in examples and "+8613900130004" in examples
    assert "+8613900130001" not in examples  # d1 stays allowed; d4 was denied before and after
    assert page.locator("#whatif-noscripts").count() == 1
    page.locator("#whatif-table").wait_for()
    page.wait_for_function("() => !document.querySelector('#whatif-table').innerText.includes('进行中')")  # the list shows it ended
    assert page.locator("#whatif-table th").first.inner_text().endswith(")")  # its times' zone is named, e.g. 创建时间 (Asia/Shanghai)
    shoot(page, "whatif")
    with page.expect_popup() as popup_info:
        page.click("#whatif-open")
    report = popup_info.value
    report.wait_for_load_state()
    assert report.title().startswith("What-if report")
    assert len(report.query_selector_all("#chart-allowed_to_denied svg rect")) == 1
    assert report.inner_text("#fig-a2d .n") == "3"
    (ROOT / "var" / "console-whatif-report.png").write_bytes(report.screenshot(full_page=True))
    report.close()
    # In English, and a draft that fails validation explained as `guard policies validate` would.
    page.click("#lang")
    page.locator('#nav a[data-page="whatif"]', has_text="What-if").wait_for()
    raw = tightened()
    raw["caps"]["normal"][2]["window"] = "30x"
    load_draft(page, tmp_path, raw, "broken.yaml")
    page.fill("#whatif-from", "2026-11-02T00:00:00+08:00")
    page.fill("#whatif-to", "2026-11-07T00:00:00+08:00")
    page.click("#whatif-go")
    page.locator("#whatif-error", has_text="caps.normal[2].window").wait_for()
    assert "'30x' is not a duration" in page.inner_text("#whatif-error")
    page.click("#lang")


def test_an_auditor_simulates_a_draft_against_a_call_log_file(guard, page, tmp_path):  # noqa: F811
    # The same calls as a dialler's call log: the draft would have stopped d2, d3 and d6.
    lines = ["call_id,phone,called_at,campaign,customer_id,disposition"]
    lines += [f"{name},{number},{at.isoformat()},dep-2026q4,{customer or ''},answered" for name, at, number, customer, dry in LOG if not dry]
    log = tmp_path / "calls.csv"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sign_in(page, guard, "auditor", "#/whatif")
    load_draft(page, tmp_path, tightened())
    page.select_option("#whatif-against", "calls")
    assert page.locator("#whatif-period").is_hidden() and page.locator("#whatif-log").is_visible()
    page.click("#whatif-go")
    page.locator("#whatif-error", has_text="请选择呼叫记录文件").wait_for()
    page.set_input_files("#whatif-calls", str(log))
    assert unlabeled_controls(page) == []
    page.click("#whatif-go")
    page.locator('#whatif[data-status="done"]').wait_for(timeout=60_000)
    assert page.inner_text("#wi-judged .n") == "8" and page.inner_text("#wi-a2d .n") == "3"
    examples = page.inner_text("#whatif-examples")
    assert "+8613900130002" in examples and "+8613900130004" in examples
    shoot(page, "whatif-calls")


def test_a_gbk_call_log_is_read_in_its_encoding_and_one_that_cannot_be_told_is_refused(guard, page, tmp_path):  # noqa: F811
    # As a bank's Windows export writes the log: GBK, with a transcript column (a real line, tests/lint/real dev_j j0079).
    lines = ["call_id,phone,called_at,campaign,customer_id,disposition,transcript"]
    lines += [f'{name},{number},{at.isoformat()},dep-2026q4,{customer or ""},answered,"存的越多,送的礼品越好"'
              for name, at, number, customer, dry in LOG if not dry]
    sign_in(page, guard, "auditor", "#/whatif")
    load_draft(page, tmp_path, tightened())
    page.select_option("#whatif-against", "calls")
    bare = tmp_path / "calls-utf16.csv"  # UTF-16 without a byte-order mark: no encoding can be told
    bare.write_bytes("\n".join(lines).encode("utf-16-le"))
    page.set_input_files("#whatif-calls", str(bare))
    page.click("#whatif-go")
    page.locator("#whatif-error", has_text="编码").wait_for()
    assert "#/whatif/" not in page.url  # nothing was simulated
    log = tmp_path / "calls-gbk.csv"
    log.write_bytes(("\n".join(lines) + "\n").encode("gbk"))
    page.set_input_files("#whatif-calls", str(log))
    page.click("#whatif-go")
    page.locator('#whatif[data-status="done"]').wait_for(timeout=60_000)
    assert page.inner_text("#wi-judged .n") == "8" and page.inner_text("#wi-a2d .n") == "3"


def test_a_big5_call_log_whose_only_chinese_is_its_agents_names_is_read_as_the_guard_reads_it(guard, page, tmp_path):  # noqa: F811
    # A Taiwan call centre's export: Big5, the agents by name. The guard tells it from the bytes (the commonest surnames
    # count as Chinese text); the page counts the same characters (pages/console/chinese.js) and must not refuse it.
    from io import BytesIO

    from guard.services.audits.encoding import detect

    agents = ["陳淑芬", "林雅婷", "黃怡君", "張雅惠"]
    lines = ["call_id,phone,called_at,campaign,customer_id,disposition,agent_id"]
    lines += [f'{name},{number},{at.isoformat()},dep-2026q4,{customer or ""},answered,{agents[i % 4]}'
              for i, (name, at, number, customer, dry) in enumerate(LOG) if not dry]
    data = ("\n".join(lines) + "\n").encode("big5")
    assert detect(BytesIO(data)) == "big5hkscs"
    sign_in(page, guard, "auditor", "#/whatif")
    load_draft(page, tmp_path, tightened())
    page.select_option("#whatif-against", "calls")
    log = tmp_path / "calls-big5.csv"
    log.write_bytes(data)
    page.set_input_files("#whatif-calls", str(log))
    page.click("#whatif-go")
    page.locator('#whatif[data-status="done"]').wait_for(timeout=60_000)
    assert page.inner_text("#wi-judged .n") == "8" and page.inner_text("#wi-a2d .n") == "3"


def test_the_report_opened_from_the_console_reads_in_the_consoles_chinese(guard, page, tmp_path):  # noqa: F811
    # The browser lists no Chinese (Chromium's en-US): the report reads in the draft's packs' Chinese (cn-bank: simplified)
    # until the reader switches the console to traditional; then the console asks for it (Accept-Language), in English too.
    sign_in(page, guard, "auditor", "#/whatif")
    load_draft(page, tmp_path, tightened())
    page.fill("#whatif-from", "2026-11-02T00:00:00+08:00")
    page.fill("#whatif-to", "2026-11-07T00:00:00+08:00")
    page.click("#whatif-go")
    page.locator('#whatif[data-status="done"]').wait_for(timeout=60_000)
    for switch, chinese, title in ((None, "zh-CN", "策略变更预演"), ("#zh-variant", "zh-TW", "策略變更預演"), ("#lang", "zh-TW", "策略變更預演")):
        if switch:
            page.click(switch)
            page.locator("#whatif-open").wait_for()
        with page.expect_popup() as popup_info:
            page.click("#whatif-open")
        report = popup_info.value
        report.wait_for_load_state()
        assert report.evaluate("document.documentElement.lang") == chinese and title in report.title()
        report.close()


def test_a_draft_saved_as_gbk_is_read_in_its_encoding_not_as_utf8(guard, page, tmp_path):  # noqa: F811
    # A compliance officer's Windows editor saves the pack as GBK (`guard policies validate` reads it so); read as UTF-8,
    # its phrases and suggestions would become replacement characters and the draft would lint nothing.
    text = yaml.safe_dump(tightened(), allow_unicode=True, sort_keys=False)
    assert "保本保息" in text
    sign_in(page, guard, "auditor", "#/whatif")
    path = tmp_path / "cn-bank-2026.5.yaml"
    path.write_bytes(text.encode("gb18030"))
    page.set_input_files("#whatif-file", str(path))
    page.wait_for_function("() => document.querySelector('#whatif-draft').value.length > 1000")
    assert page.input_value("#whatif-draft") == text.replace("\r\n", "\n")
    bare = tmp_path / "draft-utf16.yaml"  # UTF-16 without a byte-order mark: no encoding can be told
    bare.write_bytes(text.encode("utf-16-le"))
    page.set_input_files("#whatif-file", str(bare))
    page.locator("#whatif-error", has_text="编码").wait_for()
    assert page.input_value("#whatif-draft") == ""


def test_a_draft_that_fixes_judged_false_alarms_shows_them_cleared_and_the_confirmed_claim_kept(guard, page, tmp_path):  # noqa: F811
    """A reviewer judged the findings of a stored script (tests/services/test_judgements.py: two real passages, the
    adviser's explanation flagged twice, the seller's 保本保息 confirmed); the pack owner's draft adds the adviser's words
    to the rule's excepts, and the page says both false alarms are cleared and the claim is still found."""
    from tests.services.test_judgements import SCRIPT
    from tests.services.test_whatif import cn_bank

    status, stored = request(guard.port, "POST", "/v1/scripts", {"campaign": "wm-2026q4", "text": SCRIPT}, guard.keys["reviewer"])
    assert status == 201
    explainer_at = SCRIPT.index("銀行的保本")
    for f in stored["findings"]:
        if f["code"] == "MISSING_DISCLOSURE" or f["start"] < SCRIPT.index("年化"):
            continue
        judgement = "false_alarm" if f["start"] >= explainer_at else "confirmed"
        body = {"rule": f["rule"], "start": f["start"], "end": f["end"], "judgement": judgement}
        assert request(guard.port, "POST", f"/v1/scripts/{stored['id']}/judgements", body, guard.keys["reviewer"])[0] == 201
    confirmed = sum(1 for f in stored["findings"] if f["code"] != "MISSING_DISCLOSURE" and SCRIPT.index("年化") <= f["start"] < explainer_at)
    raw = cn_bank()
    raw["version"] = "2026.5-draft"
    next(r for r in raw["phrases"] if r["id"] == "guarantee.no_loss_wording")["except"] += ["保本产品本质", "保本两个大字"]
    simulate_the_week(page, guard, tmp_path, raw)
    assert page.inner_text("#whatif-judged") == (f"误报 2 条：现行版本仍报 2 条，草稿仍报 0 条；属实 {confirmed} 条：现行版本检出 {confirmed} 条，"
                                                 f"草稿检出 {confirmed} 条。")
    rows = page.locator("#whatif-judged-changes tbody tr")
    assert rows.count() == 2 and all("误报消除" in rows.nth(i).inner_text() for i in range(2))
    assert "guarantee.no_loss_wording" in rows.nth(0).inner_text()
    shoot(page, "whatif-judged")
    # in traditional Chinese the page's words are traditional too (generated from the simplified by `make docs`)
    page.click("#zh-variant")
    page.locator('#nav a[data-page="whatif"]', has_text="策略預演").wait_for()
    page.fill("#whatif-from", "2026-11-02T00:00:00+08:00")
    page.fill("#whatif-to", "2026-11-07T00:00:00+08:00")
    load_draft(page, tmp_path, raw)
    page.click("#whatif-go")
    page.locator('#whatif[data-status="done"]').wait_for(timeout=60_000)
    assert page.inner_text("#whatif-judged").startswith("誤報 2 條：現行版本仍報 2 條，草稿仍報 0 條")
    assert "誤報消除" in page.inner_text("#whatif-judged-changes")
    page.click("#zh-variant")


def test_a_reviewer_sees_the_approved_scripts_a_reloaded_pack_version_fails(guard, page, tmp_path):  # noqa: F811
    import shutil

    from tests.conftest import PACKS
    from tests.services.test_script_review import FAILING_LATER, next_version

    status, stored = request(guard.port, "POST", "/v1/scripts", {"campaign": "fund-2026q4", "text": FAILING_LATER}, guard.keys["reviewer"])
    assert status == 201
    assert request(guard.port, "POST", f"/v1/scripts/{stored['id']}/approve", None, guard.keys["checker"])[0] == 200
    packs = tmp_path / "packs"
    shutil.copytree(PACKS, packs)
    (packs / "cn-bank-2026.5.yaml").write_text(yaml.safe_dump(next_version(), allow_unicode=True), encoding="utf-8")
    out = cli({**guard.env_, "GUARD_POLICY_DIR": str(packs)}, "policies", "reload")
    assert out.returncode == 0 and "needs review" in out.stderr, out.stderr
    page.goto(f"http://127.0.0.1:{guard.port}/review")
    page.fill("#key", guard.keys["checker"])
    page.click("#queue")
    row = page.locator(f'#review-queue tr[data-script="{stored["id"]}"]')
    row.wait_for()
    text = row.inner_text()
    assert "fund-2026q4" in text and "cn-bank 2026.5" in text and "misleading.first_choice" in text and "首选" in text
    # opens the version: its findings under the serving pack, and its versions with the mark; the row's campaign is a
    # button, so a keyboard opens it as a click on the row does (WCAG 2.1.1 Keyboard)
    row.get_by_role("button", name="fund-2026q4").press("Enter")
    page.locator(f'#versions tr[data-script="{stored["id"]}"] td.needs-review').wait_for()
    (ROOT / "var" / "review-needs-review.png").write_bytes(page.screenshot(full_page=True))


def test_a_draft_under_another_pack_id_is_shown_to_govern_none_of_the_decisions(guard, page, tmp_path):  # noqa: F811
    # A draft named cn-bank-2026 replaces no serving version: its "no change" must not read as its rules changing nothing.
    raw = tightened()
    raw["id"] = "cn-bank-2026"
    raw["mute"] = {"complaints": 1, "within": "180d", "for": "365d"}  # another pack id: it replaces no mute rule either
    simulate_the_week(page, guard, tmp_path, raw)
    warning = page.inner_text("#wi-governs-none")
    assert "cn-bank-2026" in warning and "9" in warning and "cn-bank, us-tcpa" in warning, warning
    assert page.locator("#wi-not-replayed").count() == 0


def test_a_draft_changing_a_rule_the_replay_cannot_show_says_so(guard, page, tmp_path):  # noqa: F811
    # The mute rule is re-derived from the complaints now (tests/services/test_whatif_live.py); the satisfaction callback's
    # period is the rule left that no check reads.
    raw = tightened()
    raw["complaints"] = {**(raw.get("complaints") or {}), "callback": "3d"}
    simulate_the_week(page, guard, tmp_path, raw)
    assert "complaints.callback" in page.inner_text("#wi-not-replayed") and page.locator("#wi-governs-none").count() == 0


def test_a_draft_without_phrase_rules_says_which_approved_scripts_it_checks_no_wording_of(guard, page, tmp_path):  # noqa: F811
    # The page said only "无：所有已批准话术在草稿下仍通过" for a draft with no wording rule at all, while the API's
    # `scripts_unvouched` (and the HTML report, and `guard policies simulate`) warned that those passes vouch for nothing.
    from tests.browser.test_console import APPROVABLE

    status, stored = request(guard.port, "POST", "/v1/scripts", {"campaign": "fund-2026q4", "text": APPROVABLE}, guard.keys["reviewer"])
    assert status == 201 and stored["verdict"] != "fail", stored
    assert request(guard.port, "POST", f"/v1/scripts/{stored['id']}/approve", None, guard.keys["checker"])[0] == 200
    raw = tightened()
    raw["phrases"] = []
    raw["lint"].pop("scorer")
    simulate_the_week(page, guard, tmp_path, raw)
    row = page.locator("#whatif-unvouched tbody tr", has_text=stored["id"])
    assert "fund-2026q4" in row.inner_text() and "没有适用于 基金 的话术规则" in row.inner_text()
