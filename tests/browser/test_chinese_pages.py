"""What 消保 staff, reviewers and auditors read on the console and /review, in real headless Chromium
against a real gunicorn guard: denial reasons with their specifics in simplified and traditional
Chinese, holidays named in Chinese, the guard's own mute and blacklist reasons translated, and
/review's findings and errors in Chinese. Screenshots: var/console-i18n-*.png, var/review-i18n-*.png.
"""

from __future__ import annotations

import pytest

from tests.browser.test_console import browser, page, shoot, sign_in  # noqa: F401 - fixtures and helpers shared
from tests.e2e.servers import ROOT, GuardServer, cli, request

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def guard(tmp_path_factory):
    from guard.store.migrate import upgrade

    url = f"sqlite:///{tmp_path_factory.mktemp('chinese') / 'guard.db'}"
    upgrade(url)
    env = {"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_ALLOW_CLIENT_TIME": "1"}
    keys = {role: cli(env, "keys", "create", "--role", role, "--label", label).stdout.strip()
            for role, label in (("operator", "王五 消保"), ("reviewer", "赵六 审核"), ("dialer", "外呼平台"))}
    with GuardServer(env).start() as server:  # stopped also when the seeding below fails
        server.keys = keys
        server.env_ = env
        port = server.port
        # National Day, 01:55 in Shanghai: outside the calling windows and a public holiday.
        status, server.holiday = request(port, "POST", "/v1/check", {"phone": "13800138000", "campaign": "dep-2026q4",
                                                                     "at": "2026-10-01T01:55:00+08:00", "dry_run": True}, keys["dialer"])
        assert status == 200 and not server.holiday["allowed"], server.holiday
        # Two complaints mute the customer (cn-bank: 2 within 180 days); the second asks to stop calling.
        request(port, "PUT", "/v1/customers/C200", {"phones": ["13700137000"]}, keys["operator"])
        for text in ("态度不好", "我说了不要再打了"):
            status, filed = request(port, "POST", "/v1/complaints", {"customer_id": "C200", "severity": "light", "text": text},
                                    keys["operator"])
            assert status == 201, filed
        server.complaint_id = filed["id"]
        yield server


def test_the_lookup_shows_denial_reasons_with_their_specifics_in_simplified_then_traditional_chinese(guard, page):  # noqa: F811
    sign_in(page, guard, "operator", "#/lookup?decision=" + guard.holiday["decision_id"])
    card = page.locator(f'article[data-decision="{guard.holiday["decision_id"]}"]')
    card.wait_for()
    quiet = card.locator('li[data-code="QUIET_HOURS"]').inner_text()
    assert "非允许呼叫时段" in quiet
    assert "被叫方当地时间（Asia/Shanghai）为 周四 01:55，不在策略包 cn-bank 允许的呼叫时段内（周一至周五 09:00–20:00；周六、周日 10:00–18:00）" in quiet
    holiday = card.locator('li[data-code="HOLIDAY"]').inner_text()
    assert "2026年10月1日为 CN 法定节假日（国庆节）" in holiday and "National Day" not in holiday
    assert page.get_attribute("html", "lang") == "zh-CN"
    shoot(page, "i18n-lookup-zh-cn")
    page.click("#zh-variant")
    page.locator('li[data-code="HOLIDAY"]', has_text="國慶節").wait_for()
    assert page.get_attribute("html", "lang") == "zh-TW"
    quiet = card.locator('li[data-code="QUIET_HOURS"]').inner_text()
    assert "非允許呼叫時段" in quiet and "被叫方當地時間（Asia/Shanghai）為 週四 01:55" in quiet
    assert page.inner_text("#lookup-go") == "查詢" and "決策查詢" in page.inner_text("#nav")
    shoot(page, "i18n-lookup-zh-tw")
    page.click("#lang")  # English, then back to the Chinese last chosen (traditional)
    page.locator('li[data-code="HOLIDAY"]', has_text="National Day").wait_for()
    assert "It is Thu 01:55 in Asia/Shanghai" in card.locator('li[data-code="QUIET_HOURS"]').inner_text()
    page.click("#lang")
    page.locator('li[data-code="HOLIDAY"]', has_text="國慶節").wait_for()


def test_the_customer_page_reads_the_guards_own_mute_and_blacklist_reasons_in_chinese(guard, page):  # noqa: F811
    sign_in(page, guard, "operator", "#/customer/C200")
    page.locator("#blacklist-table").wait_for()
    table = page.inner_text("#blacklist-table")
    assert f"投诉 {guard.complaint_id}：要求停止来电" in table and "asked to stop calling" not in table
    supp = page.inner_text("#suppression")
    assert "180天内投诉 2 次（策略包 cn-bank 2026.4）" in supp and "complaints within" not in supp
    shoot(page, "i18n-customer-zh-cn")


def test_the_audit_trail_reads_the_schedulers_escalation_in_chinese(guard, page):  # noqa: F811
    """A letter received days ago is overdue at once; the scheduler marks and escalates it; the customer's audit
    trail shows what it wrote in the reader's language, never "SLA missed (first_response, resolve)"."""
    request(guard.port, "PUT", "/v1/customers/C201", {"phones": ["13700137001"]}, guard.keys["operator"])
    status, filed = request(guard.port, "POST", "/v1/complaints", {"customer_id": "C201", "severity": "medium", "category": "来信",
                                                                   "received_at": "2026-11-02T10:00:00+08:00"}, guard.keys["operator"])
    assert status == 201, filed
    cli(guard.env_, "scheduler", "--once")
    sign_in(page, guard, "operator", "#/customer/C201")
    page.locator("#trail-table").wait_for()
    trail = page.inner_text("#trail-table")
    # the overdue event names each deadline missed with its due instant (the run may come late: it says when each fell due)
    assert "超过处理时限（首次响应、办结），已升级至主管" in trail, trail
    assert "超过时限：首次响应（时限 2026-11-02 03:00 UTC，未完成）、办结（时限 2026-11-04 02:00 UTC，未完成）" in trail, trail
    assert "SLA missed" not in trail and "first_response" not in trail
    shoot(page, "i18n-trail-zh-cn")
    page.click("#zh-variant")
    page.locator("#trail-table", has_text="超過處理時限（首次響應、辦結），已升級至主管").wait_for()
    page.click("#lang")
    page.locator("#trail-table", has_text="SLA missed (first response, resolution): escalated to a supervisor").wait_for()


def lint_under_an_unknown_pack(page, guard) -> None:
    """On /review, a reviewer lints a script under a pack the guard does not have (a 400 naming `pack`)."""
    page.goto(f"http://127.0.0.1:{guard.port}/review")
    page.fill("#key", guard.keys["reviewer"])
    page.fill("#text", "这款理财产品保本保息。")
    page.fill("#pack", "no-such-pack")
    page.click("#lint")


def test_review_shows_findings_and_errors_in_chinese(guard, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        lint_under_an_unknown_pack(page, guard)
        page.locator("#error", has_text="请求有误").wait_for()
        error = page.inner_text("#error")
        assert "请求有误（字段：pack）" in error and "no-such-pack" in error
        page.fill("#pack", "")
        page.select_option("#product-type", "wealth")
        page.click("#lint")
        page.wait_for_selector("#verdict:not([hidden])")
        findings = page.inner_text("#findings")
        assert "禁用表述：“保本保息”（规则 guarantee.principal_and_interest）" in findings and "错误 error" in findings
        assert page.inner_text("#summary").startswith("错误 ")
        page.fill("#pack", "no-such-pack")
        page.click("#lint")
        page.locator("#error", has_text="请求有误").wait_for()
        (ROOT / "var").mkdir(exist_ok=True)
        (ROOT / "var" / "review-i18n-zh-cn.png").write_bytes(page.screenshot(full_page=True))
    finally:
        context.close()


def test_the_blacklist_table_heads_its_columns_as_a_table_and_names_who_added_each_entry(guard, page):  # noqa: F811
    request(guard.port, "POST", "/v1/blacklist", {"phone": "13700137000", "source": "customer_request", "reason": "客户来电要求"},
            guard.keys["operator"])
    sign_in(page, guard, "operator", "#/customer/C200")
    page.locator("#blacklist-table").wait_for()
    heads = page.locator("#blacklist-table th").all_inner_texts()
    assert "原因" in heads and not any("必填" in x for x in heads)  # a column, not the form's instruction
    row = page.locator("#blacklist-table tbody tr", has_text="客户来电要求").inner_text()
    assert "王五 消保" in row  # who added it, by name as the audit trail below says, not a bare key id


# navigator.languages lists the user's languages "ordered by preference with the most preferred language first"
# (https://developer.mozilla.org/en-US/docs/Web/API/Navigator/languages): the first Chinese decides; a script subtag
# (zh-Hant / zh-Hans, BCP 47) outweighs the region.
@pytest.mark.parametrize("languages, expected", [
    (["zh-CN", "zh-TW", "en"], "zh-CN"),        # mainland first, Taiwan second: simplified
    (["en-US", "zh-HK", "zh-CN"], "zh-TW"),     # Hong Kong is the first Chinese
    (["zh-MO"], "zh-TW"),
    (["zh-Hant"], "zh-TW"),
    (["zh-Hans-HK", "zh-TW"], "zh-CN"),         # simplified script in Hong Kong
    (["en-US"], "zh-CN"),                       # no Chinese at all: the console's default
])
def test_the_console_reads_the_browsers_first_chinese_in_its_order_of_preference(guard, browser, languages, expected):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale=languages[0])
    context.add_init_script(f"Object.defineProperty(Navigator.prototype, 'languages', {{get: () => {languages!r}}});"
                            f"Object.defineProperty(Navigator.prototype, 'language', {{get: () => {languages[0]!r}}});")
    pg = context.new_page()
    try:
        pg.goto(f"http://127.0.0.1:{guard.port}/console")
        pg.locator("#signin-key").wait_for()
        assert pg.get_attribute("html", "lang") == expected
        assert pg.inner_text("#signin-go") == {"zh-CN": "登录", "zh-TW": "登入"}[expected]
    finally:
        context.close()


@pytest.mark.parametrize("languages, expected", [(["zh-CN", "zh-TW"], "请求有误（字段：pack）"), (["en-GB", "zh-HK"], "請求有誤（欄位：pack）")])
def test_review_reads_the_browsers_first_chinese_too(guard, browser, languages, expected):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=languages[0])
    context.add_init_script(f"Object.defineProperty(Navigator.prototype, 'languages', {{get: () => {languages!r}}});")
    try:
        page = context.new_page()
        lint_under_an_unknown_pack(page, guard)
        page.locator("#error", has_text="pack").wait_for()
        assert expected in page.inner_text("#error")
    finally:
        context.close()


def test_the_sign_in_page_reads_in_traditional_chinese_when_that_is_chosen(guard, page):  # noqa: F811
    # The sign-in page's two-language words were written in simplified Chinese only, whichever Chinese the console read:
    # a Taiwan or Hong Kong officer who chose 繁體 saw 用户名 / 密码 / 登录 beside a page in 登入 / 金鑰. They now come from
    # the console's words, converted (OpenCC s2twp) as every other one is, and carry lang="zh-TW".
    page.goto(f"http://127.0.0.1:{guard.port}/console")
    page.locator("#signin-user").wait_for()
    page.click("#zh-variant")
    page.locator("#signin-title", has_text="登入").wait_for()
    parts = "(sel) => Array.from(document.querySelectorAll(sel + ' [lang]')).map((el) => [el.lang, el.textContent])"
    assert page.evaluate(parts, 'label[for="signin-user"]') == [["zh-TW", "使用者名稱"], ["en", "User name"]]
    assert page.evaluate(parts, 'label[for="signin-password"]') == [["zh-TW", "密碼"], ["en", "Password"]]
    assert ["zh-TW", "登入"] in page.evaluate(parts, "#signin-submit")
    page.fill("#signin-user", "nobody")
    page.fill("#signin-password", "wrong password")
    page.click("#signin-submit")
    page.locator("#signin-error", has_text="使用者名稱或密碼錯誤").wait_for()
    page.click("#lang")  # English: the Chinese beside it stays the one chosen
    page.locator("#signin-title", has_text="Sign in").wait_for()
    assert page.evaluate(parts, 'label[for="signin-user"]') == [["en", "User name"], ["zh-TW", "使用者名稱"]]
