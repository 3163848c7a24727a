"""消保 staff at work on a desktop and on a 390 px phone, in real headless Chromium against a real gunicorn guard:
the complaint queue read on a phone without sideways scrolling, a late complaint marked late on the customer's page,
and a blacklist entry removed by an administrator (with a reason, kept in the entry's history), never offered to an
operator. Screenshots: var/console-staff-*.png."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.browser.test_console import browser, guard, page, shoot, sign_in, sign_in_with_key, unlabeled_controls  # noqa: F401 - fixtures
from tests.e2e.servers import cli, request

pytestmark = pytest.mark.browser


def api(guard, method, path, body=None, role="operator"):
    return request(guard.port, method, path, body, guard.keys[role])


@pytest.fixture(scope="module")
def admin_key(guard):
    return cli(guard.env_, "keys", "create", "--role", "admin", "--label", "孙八 管理员").stdout.strip()


def sideways(pg) -> list:
    """Everything on the page that scrolls sideways: the document, or a box inside it (a table in its card); a header
    row hidden for sight but kept for screen readers (1 px, clipped) is not a box anyone scrolls."""
    return pg.evaluate("""() => [document.documentElement, ...document.querySelectorAll('main *')]
        .filter(el => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 1 && getComputedStyle(el).overflowX !== 'visible'
                      || el === document.documentElement && el.scrollWidth > el.clientWidth)
        .map(el => el.id || el.className || el.tagName)""")


def test_the_complaint_queue_on_a_phone_is_read_row_by_row_without_scrolling_sideways(guard, browser):
    status, c = api(guard, "POST", "/v1/complaints", {"phone": "13711137111", "severity": "severe", "category": "营销扰民",
                                                     "text": "一周内接到五次基金推销电话，要求给个说法"})
    assert status == 201, c
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    pg = context.new_page()
    sign_in(pg, guard, "operator", "#/complaints")
    row = pg.locator(f'#queue tr[data-complaint="{c["id"]}"]')
    row.wait_for()
    assert sideways(pg) == []
    # every value of the row is on screen, under its column's name, and its step buttons can be tapped
    box = row.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert row.locator('td[data-label="类别"]').inner_text() == "营销扰民"
    for button in row.locator("button[data-event]").all():
        b = button.bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= 390
    shot = pg.screenshot(full_page=True)
    from tests.e2e.servers import ROOT
    (ROOT / "var" / "console-staff-queue-390.png").write_bytes(shot)
    context.close()


def test_a_late_complaint_is_marked_late_on_the_customers_page(guard, page):
    assert api(guard, "PUT", "/v1/customers/C510", {"phones": ["13800135100"]})[0] == 201
    three_days_ago = (datetime.now(timezone.utc) - timedelta(days=3)).isoformat()
    status, late = api(guard, "POST", "/v1/complaints", {"customer_id": "C510", "severity": "medium", "category": "来信投诉",
                                                        "received_at": three_days_ago})
    assert status == 201 and late["late"] is True, late
    status, fresh = api(guard, "POST", "/v1/complaints", {"customer_id": "C510", "severity": "light", "category": "服务态度"})
    assert status == 201 and fresh["late"] is False, fresh
    sign_in(page, guard, "operator", "#/customer/C510")
    rows = page.locator("#customer-complaints tbody tr")
    rows.nth(1).wait_for()
    by_category = {r.locator('td[data-label="类别"]').inner_text(): r for r in rows.all()}
    assert by_category["来信投诉"].locator("[data-late]").inner_text() == "已逾期"
    assert by_category["服务态度"].locator("[data-late]").count() == 0
    # the late one links to the queue's late tab, where staff act on it
    by_category["来信投诉"].locator('a[href="#/complaints?tab=late"]').click()
    page.locator(f'#queue tr[data-complaint="{late["id"]}"]').wait_for()
    page.goto(f"http://127.0.0.1:{guard.port}/console#/customer/C510")
    page.locator("#customer-complaints [data-late]").wait_for()
    shoot(page, "staff-late-complaint")


def test_an_admin_removes_a_blacklist_entry_with_a_reason_and_the_entry_keeps_its_history(guard, page, admin_key):
    assert api(guard, "PUT", "/v1/customers/C520", {"phones": ["13800135200", "13900135200"]})[0] == 201
    status, _ = api(guard, "POST", "/v1/blacklist", {"customer_id": "C520", "source": "customer_request", "reason": "客户说不要再打了"})
    assert status == 201
    # an operator sees the entry but is not offered its removal (the API would refuse: 403)
    sign_in(page, guard, "operator", "#/customer/C520")
    page.locator("#blacklist-table tbody tr").first.wait_for()
    assert page.locator("[data-remove-entry]").count() == 0
    assert page.locator("#blacklist-table thead th").all_inner_texts() == ["状态", "范围", "来源", "原因", "时间", "操作人"]
    # the administrator removes it, with a reason
    page.goto(f"http://127.0.0.1:{guard.port}/console")
    page.click("#signout")
    page.locator("#signin-key").wait_for()
    sign_in_with_key(page, guard, admin_key, "#/customer/C520")
    page.locator("#customer-state", has_text="已拉黑").wait_for()
    page.locator("[data-remove-entry]").click()
    assert unlabeled_controls(page) == []
    page.fill("#unbl-reason", "x")
    page.click("#dialog-ok")
    page.locator("#dialog-error", has_text="请填写原因").wait_for()
    page.fill("#unbl-reason", "客户来电撤回拒绝营销的要求，已录音核实")
    page.click("#dialog-ok")
    page.locator("#confirm-summary", has_text="确认将客户 C520 移出营销黑名单").wait_for()
    page.click("#dialog-ok")
    page.locator("#toast", has_text="已移出黑名单").wait_for()
    page.locator("#customer-state", has_text="未拉黑").wait_for()
    entry = page.locator("#blacklist-table tbody tr").first
    assert "移出黑名单" in entry.inner_text() and "客户来电撤回拒绝营销的要求" in entry.inner_text()
    assert page.locator("[data-remove-entry]").count() == 0
    trail = page.locator("#trail-table tbody tr").first
    assert "孙八 管理员" in trail.inner_text() and "移出黑名单" in trail.inner_text()
    assert "客户来电撤回拒绝营销的要求，已录音核实" in trail.inner_text()
    shoot(page, "staff-blacklist-removed")
    status, held = api(guard, "GET", "/v1/blacklist/customers/C520")
    assert status == 200 and held["blocked"] is False
    assert held["entries"] == []
    removed = held["history"][0]
    assert removed["removal_reason"] == "客户来电撤回拒绝营销的要求，已录音核实" and removed["removed_by"]


def test_an_admin_removes_a_numbers_own_entry(guard, page, admin_key):
    status, _ = api(guard, "POST", "/v1/blacklist", {"phone": "13100135300", "source": "manual", "reason": "误拨投诉后加入"})
    assert status == 201
    sign_in_with_key(page, guard, admin_key, "#/customer?phone=13100135300")
    page.locator("#customer-state", has_text="已拉黑").wait_for()
    page.locator("[data-remove-entry]").click()
    page.fill("#unbl-reason", "核实为误加，号码非本行客户投诉号码")
    page.click("#dialog-ok")
    page.locator("#confirm-summary", has_text="+8613100135300").wait_for()
    page.click("#dialog-ok")
    page.locator("#customer-state", has_text="未拉黑").wait_for()
    # the row says what the removal left: nothing else holds the number back
    assert "核实为误加" in page.locator("[data-removal]").inner_text() and "移出后不再拦截" in page.locator("[data-removal]").inner_text()
    status, held = api(guard, "GET", "/v1/blacklist/13100135300")
    assert status == 200 and held["blocked"] is False


def test_a_listing_with_an_end_shows_it_and_a_lapsed_one_says_it_lapsed(guard, page):
    # An external list's term (expires_at) was shown nowhere on the customer's page, and an entry past it read as a bare
    # "—" in the status column.
    assert api(guard, "PUT", "/v1/customers/C530", {"phones": ["13100135310", "13100135311"]})[0] == 201
    lapsed = {"phone": "13100135310", "source": "registry", "reason": "拒收名单 2026", "added_at": "2026-01-01T00:00:00+08:00",
              "expires_at": (datetime.now(timezone.utc) - timedelta(days=1)).isoformat()}
    assert api(guard, "POST", "/v1/blacklist", lapsed)[0] == 201
    assert api(guard, "POST", "/v1/blacklist", {"phone": "13100135311", "source": "regulator", "reason": "监管转办",
                                                 "expires_at": "2099-06-30T00:00:00+08:00"})[0] == 201
    sign_in(page, guard, "operator", "#/customer/C530")
    rows = page.locator("#blacklist-table tbody tr")
    rows.nth(1).wait_for()
    by_phone = {r.locator('td[data-label="范围"]').inner_text(): r for r in rows.all()}
    assert by_phone["+8613100135310"].locator('[data-state="lapsed"]').inner_text() == "已到期"
    # a lapse is nobody's removal (SPEC §2.1): the row says on which day it lapsed, not "removed"
    assert by_phone["+8613100135310"].locator("[data-lapsed]").inner_text().startswith("已于 20")
    assert "至 2099-06-" in by_phone["+8613100135311"].locator('td[data-label="时间"]').inner_text()  # in the browser's zone


def test_a_complex_complaint_is_extended_from_the_queue_with_a_reason_and_a_new_deadline(guard, page):
    """《银行业保险业消费投诉处理管理办法》, wording as 财新 reports it, article number unconfirmed: a complex complaint may be extended to 30 days from receipt (to 60 with an
    approver); the new deadline is what the queue counts down to and what the scheduler judges."""
    status, c = api(guard, "POST", "/v1/complaints", {"phone": "13711137222", "severity": "light", "category": "理财销售纠纷",
                                                     "text": "认为购买时未充分揭示风险"})
    assert status == 201, c
    sign_in(page, guard, "operator", "#/complaints")
    row = page.locator(f'#queue tr[data-complaint="{c["id"]}"]')
    row.locator('button[data-event="extended"]').click()
    assert unlabeled_controls(page) == []
    assert "消费投诉处理管理办法" in page.inner_text("#dialog")
    # the deadline being moved is shown, in the browser's zone as the queue writes it
    shown = page.evaluate("(iso) => { const d = new Date(iso); const p = (n) => String(n).padStart(2, '0'); "
                          "return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`; }",
                          c["sla"]["resolution_due"])
    assert shown in page.inner_text("#ev-until-now")
    # the form's value is typed in the browser's zone: ten days from now, as the browser writes it
    until_local = page.evaluate("""() => { const d = new Date(Date.now() + 10 * 86400000); d.setSeconds(0, 0);
        const p = (n) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`; }""")
    page.fill("#ev-until", until_local)
    page.click("#dialog-ok")
    page.locator("#dialog-error", has_text="延期须说明").wait_for()
    page.fill("#ev-note", "需调取录音与双录资料核实销售过程")
    page.click("#dialog-ok")
    page.locator("#confirm-summary", has_text="办结时限延至").wait_for()
    page.click("#dialog-ok")
    page.locator("#toast", has_text="已记录").wait_for()
    status, got = api(guard, "GET", f"/v1/complaints/{c['id']}")
    due = datetime.fromisoformat(got["sla"]["resolution_due"])
    assert timedelta(days=9, hours=23) < due - datetime.now(timezone.utc) <= timedelta(days=10)
    assert got["events"][-1]["type"] == "extended" and "需调取录音与双录资料核实销售过程" in got["events"][-1]["note"]
    # the queue says the deadline was moved, and to when
    row.locator(".extended", has_text="已延期至").wait_for()
    assert page.evaluate("(iso) => { const d = new Date(iso); const p = (n) => String(n).padStart(2, '0'); "
                         "return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`; }",
                         got["sla"]["resolution_due"]) in row.locator(".extended").inner_text()
    shoot(page, "staff-extended")


def test_the_customers_consents_and_blacklist_read_as_cards_on_a_phone_and_the_trail_names_a_list_removal(guard, browser, admin_key):
    # On a 390 px phone the consent, blacklist and trail tables scrolled sideways inside their cards with columns squeezed to a
    # character; the audit trail left out a list removal's number and whether the number stayed blocked; an admin's last
    # blacklist column was headed 操作 though removed rows hold the removal's details there. WCAG 2.1 SC 1.4.10 Reflow
    # (https://www.w3.org/WAI/WCAG21/Understanding/reflow.html): content at 320 CSS px without scrolling in two
    # dimensions; a data table is an exception only where its layout needs it, and these are read a row at a time.
    import http.client
    import json

    phones = ["13100135400", "13100135401", "13100135402"]
    assert api(guard, "PUT", "/v1/customers/C540", {"phones": phones})[0] == 201
    long_text = "本人同意贵行通过电话向本人介绍存款、理财及保险代销产品，" * 12
    for text in (long_text, "本人同意貴行以電話向本人介紹存款、理財及保險代銷產品。" * 10):  # zh-CN and zh-TW wording
        assert api(guard, "POST", "/v1/consents", {"customer_id": "C540", "phone": phones[0], "source": "branch_form",
                                                   "given_at": "2026-03-01T09:00:00+08:00", "consent_text": text,
                                                   "text_version": "营销授权书 2026 第三版（网点纸质）",
                                                   "evidence_ref": "扫描件/网点0231/2026/03/01/营销授权书-第三版-客户签名页-0001.pdf"})[0] == 201
    assert api(guard, "POST", "/v1/blacklist", {"phone": phones[0], "source": "registry", "reason": "拒收名单 2026"})[0] == 201
    assert api(guard, "POST", "/v1/blacklist", {"phone": phones[0], "source": "customer_request", "reason": "客户要求不再来电"})[0] == 201
    assert api(guard, "POST", "/v1/blacklist", {"phone": phones[1], "source": "manual", "reason": "误拨投诉后加入"})[0] == 201
    conn = http.client.HTTPConnection("127.0.0.1", guard.port, timeout=30)

    def as_admin(method, path, body: bytes, kind="application/json") -> dict:
        conn.request(method, path, body=body, headers={"Content-Type": kind, "Authorization": f"Bearer {admin_key}"})
        answer = conn.getresponse()
        assert answer.status == 200, answer.status
        return json.loads(answer.read())

    as_admin("DELETE", f"/v1/blacklist/{phones[1]}", json.dumps({"source": "manual", "reason": "核实为误加，号码非本行客户投诉号码，" * 6}).encode())
    removed = as_admin("POST", "/v1/blacklist/removals?source=registry&reason=FTC%20change%20list%202026-11-22%3A%20deleted",
                       f"phone\n{phones[0]}\n".encode(), "text/csv")
    assert removed["removed"] == 1 and removed["still_blocked"] == 1, removed
    conn.close()
    assert api(guard, "POST", "/v1/complaints", {"phone": phones[2], "severity": "light", "category": "营销扰民"})[0] == 201

    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    pg = context.new_page()
    sign_in_with_key(pg, guard, admin_key, "#/customer/C540")
    pg.locator("#consent-table tbody tr").nth(1).wait_for()
    assert sideways(pg) == []  # the audit trail too: its action column was one character wide
    for row in [*pg.locator("#consent-table tbody tr").all(), *pg.locator("#blacklist-table tbody tr").all()]:
        box = row.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    listed = pg.locator("#blacklist-table tbody tr", has_text="名单移出")
    assert "移出后仍被拦截" in listed.locator('td[data-label="移出 / 操作"]').inner_text()
    assert pg.locator("#blacklist-table thead th").last.text_content() == "移出 / 操作"
    trail = pg.locator("#trail-table tbody tr", has_text=f"名单移出 #{removed['list_id']}")
    assert "移出后仍被拦截" in trail.locator('td[data-label="内容"]').inner_text()
    from tests.e2e.servers import ROOT
    (ROOT / "var" / "console-staff-customer-390.png").write_bytes(pg.screenshot(full_page=True))
    pg.set_viewport_size({"width": 1280, "height": 900})
    # on a desktop the blacklist has the page's width: no column is squeezed to a character a line (it was, beside the profile)
    widths = [(td.get_attribute("data-label"), td.bounding_box()["width"]) for td in pg.locator("#blacklist-table tbody td").all()]
    assert min(w for _, w in widths) > 40, widths  # three characters at the least (was one)
    (ROOT / "var" / "console-staff-customer-1280.png").write_bytes(pg.screenshot(full_page=True))
    pg.click("#lang")
    pg.locator("#blacklist-table thead th", has_text="Removal / action").wait_for()
    context.close()


def test_the_auditors_pages_fit_a_phone_with_every_table_read_as_cards(guard, browser):
    # On a 390 px phone the dashboard's data tables, the audits and simulations lists, an audit's counts by code and its
    # rejected rows were 600 px tables scrolled sideways in their cards, and the script review page's three tables ran past
    # theirs with the captions cut off (WCAG 2.1 SC 1.4.10 Reflow: content at 320 CSS px
    # without scrolling in two dimensions, data tables excepted only where their layout needs two dimensions).
    import http.client
    import json

    import yaml

    from tests.services.test_whatif import tightened

    calls = "call_id,phone,called_at,campaign,agent_id,disposition,transcript\n" + "".join(
        f"CALL-2026-11-0{2 + i}-SHANGHAI-PUDONG-{i:06d},1390013000{i},2026-11-0{2 + i}T22:30:00+08:00,dep-2026q4,"
        f"AGENT-SHANGHAI-PUDONG-0001234,answered,您好我是XX银行保本保收益的理财产品\n" for i in range(3)) + "bad-row,1\n"
    conn = http.client.HTTPConnection("127.0.0.1", guard.port, timeout=30)
    conn.request("POST", "/v1/audits", body=calls.encode(), headers={"Content-Type": "text/csv", "Authorization": f"Bearer {guard.keys['auditor']}"})
    answer = conn.getresponse()
    assert answer.status == 202
    audit_id = json.loads(answer.read())["audit_id"]
    conn.close()
    today = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    status, sim = api(guard, "POST", "/v1/simulations", {"draft": yaml.safe_dump(tightened(), allow_unicode=True),
                                                        "draft_name": "cn-bank-2026.5-草稿-频次收紧-总行消保部复核版.yaml",
                                                        "from": (today - timedelta(days=1)).isoformat(), "to": (today + timedelta(days=1)).isoformat()},
                         role="auditor")
    assert status == 202, sim

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    sign_in(pg, guard, "auditor", "#/dashboard")
    fits = """() => document.scrollingElement.scrollWidth <= innerWidth && [...document.querySelectorAll('main table')]
        .every(t => { const b = t.getBoundingClientRect(); return b.left >= 0 && b.right <= innerWidth; })"""
    for path, shown in (("#/dashboard", "main details table"), ("#/lookup?phone=13800138000", "#lookup-count"),
                        (f"#/audits/{audit_id}", "#audit-rejects-table"), ("#/audits", "#audits-table"),
                        (f"#/whatif/{sim['simulation_id']}", '#whatif[data-status="done"]'), ("#/whatif", "#whatif-table")):
        pg.evaluate("(hash) => { location.hash = hash; }", path)
        pg.locator(shown).first.wait_for(state="attached")
        pg.evaluate("() => document.querySelectorAll('main details').forEach(d => { d.open = true; })")
        assert pg.evaluate(fits), path
    assert pg.locator('#whatif-table td[data-label="文件名"]').first.inner_text().startswith("cn-bank-2026.5-草稿")
    # the period's instants are shown whole, their offset too (it was cut to "+08" at either width)
    assert pg.evaluate("() => ['whatif-from', 'whatif-to'].map(id => document.getElementById(id)).every(el => el.scrollWidth <= el.clientWidth)")
    # the script review page: its versions, needs-review and rule-precision tables (six columns each)
    assert api(guard, "POST", "/v1/scripts", {"campaign": "wm-2026q4", "text": "这款理财产品保本保收益，稳赚不赔。" * 3}, role="reviewer")[0] == 201
    pg.goto(f"http://127.0.0.1:{guard.port}/review")
    pg.fill("#key", guard.keys["reviewer"])
    pg.fill("#campaign", "wm-2026q4")
    for button, shown in (("#list", "#versions tbody tr"), ("#queue", "#review-queue tbody tr"), ("#precision", "#rule-precision tbody tr")):
        pg.click(button)
        pg.locator(shown).first.wait_for()
    assert pg.evaluate(fits.replace("main table", "table"))
    assert pg.locator('#versions td[data-label="结论 Verdict"]').first.inner_text() == "不通过 fail"
    context.close()
