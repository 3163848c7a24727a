"""消保 staff's everyday workflows in the console, in real headless Chromium against a real gunicorn guard:
a number with no customer profile searched by phone and acted on, the complaint workflow as one queue
(first response, escalation to a supervisor, resolution with a note, the satisfaction callback, late
work), dry runs labelled among recent decisions, every column headed, the dashboard's labels whole,
and toasts that do not outlive their page. Screenshots: var/console-wf-*.png."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.browser.test_console import browser, guard, page, shoot, sign_in, unlabeled_controls  # noqa: F401 - fixtures
from tests.e2e.servers import request

pytestmark = pytest.mark.browser


def api(guard, method, path, body=None, role="operator"):
    status, data = request(guard.port, method, path, body, guard.keys[role])
    return status, data


def counts(guard) -> dict:
    status, data = api(guard, "GET", "/v1/complaints/counts")
    assert status == 200
    return data


def headless_columns(page) -> list[str]:
    """Table columns whose header says nothing (every table of the page, folded ones included)."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('table')).flatMap(t =>
        Array.from(t.querySelectorAll('thead th')).filter(th => !th.textContent.trim()).map(() => t.id || t.outerHTML.slice(0, 80)))""")


# --- a number with no customer profile --------------------------------------------------------------------

def test_a_number_with_no_profile_is_found_by_phone_and_takes_a_complaint_and_a_blacklist_entry(guard, page):
    sign_in(page, guard, "operator", "#/customer")
    page.select_option("#customer-by", "phone")
    page.fill("#customer-id", "131-1311-3131")  # national format, dashes
    page.click("#customer-go")
    page.locator("#number-noprofile").wait_for()
    assert page.inner_text("#number-e164") == "+8613113113131"
    assert "未拉黑" in page.inner_text("#customer-state")
    page.click("#act-complaint")
    assert page.locator("#cp-phone option").all_inner_texts() == ["+8613113113131"]  # the number itself; no customer to pick
    page.select_option("#cp-severity", "medium")
    page.fill("#cp-category", "营销扰民")
    page.fill("#cp-text", "没有在贵行开户，却一直接到理财推销电话")
    assert unlabeled_controls(page) == []
    page.click("#dialog-ok")
    page.locator("#confirm-summary", has_text="+8613113113131").wait_for()
    page.click("#dialog-ok")
    page.locator("#toast", has_text="投诉已记录").wait_for()
    page.locator("#customer-complaints td", has_text="营销扰民").wait_for()
    page.click("#act-blacklist")
    assert page.locator("#bl-scope option").all_inner_texts() == ["仅一个号码"]
    page.fill("#bl-reason", "非本行客户，要求不再来电")
    page.click("#dialog-ok")
    page.click("#dialog-ok")
    page.locator("#customer-state", has_text="已拉黑").wait_for()
    assert headless_columns(page) == []
    shoot(page, "wf-number")
    status, o = api(guard, "GET", "/v1/numbers/13113113131/overview")
    assert status == 200 and o["customer_id"] is None and o["blacklist"]["blocked"] is True
    assert [c["category"] for c in o["complaints"]] == ["营销扰民"] and o["complaints"][0]["customer_id"] is None
    # The toast belongs to the page it was shown on: opening another page takes it away.
    page.locator("#toast", has_text="已加入黑名单").wait_for()
    page.click('#nav a[data-page="complaints"]')
    page.locator("#queue-count").wait_for()
    assert page.locator("#toast").is_hidden()


def test_a_phone_held_by_a_customer_opens_the_customer_and_a_phone_typed_as_an_id_is_offered_the_phone_search(guard, page):
    sign_in(page, guard, "operator", "#/customer")
    page.select_option("#customer-by", "phone")
    page.fill("#customer-id", "+86 138 0013 8000")
    page.click("#customer-go")
    page.wait_for_url("**#/customer/C100")
    page.locator("#profile", has_text="+8613800138000").wait_for()
    page.fill("#customer-id", "13311331133")
    page.select_option("#customer-by", "id")
    page.click("#customer-go")
    page.locator("#customer-missing").wait_for()
    page.click("#search-as-phone")
    page.locator("#number-e164", has_text="+8613311331133").wait_for()


# --- recent decisions: dry runs as such, every column headed ------------------------------------------------

def test_recent_decisions_label_a_dry_run_and_every_column_has_a_header(guard, page):
    assert api(guard, "PUT", "/v1/customers/C300", {"phones": ["13400134000"]})[0] == 201
    status, dry = request(guard.port, "POST", "/v1/check", {"phone": "13400134000", "campaign": "dep-2026q4", "dry_run": True,
                                                           "at": "2026-11-23T10:15:00+08:00"}, guard.keys["dialer"])
    assert status == 200 and dry["allowed"] is True
    sign_in(page, guard, "operator", "#/customer/C300")
    row = page.locator("#decisions-table tbody tr").first
    row.wait_for()
    assert row.locator("[data-dry-run]").inner_text() == "试算"
    cells = row.locator("td").all_inner_texts()
    assert cells[1] == "试算：允许拨打" and "允许拨打" != cells[1]  # never a bare "allowed"
    headers = page.locator("#decisions-table thead th").all_inner_texts()
    assert headers == ["呼叫时间（被叫当地）", "决策", "类型", "营销活动", "拒绝原因", "通话结果"]
    assert headless_columns(page) == []
    shoot(page, "wf-dry-run")
    page.click("#lang")
    page.locator("#decisions-table [data-dry-run]", has_text="dry run").wait_for()
    assert page.locator("#decisions-table tbody tr").first.locator("td").nth(1).inner_text() == "dry run: Allowed"
    page.click("#lang")
    page.locator("#lang", has_text="English").wait_for()


# --- the dashboard: labels whole ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def deferred(guard):
    """A customer who asked to be called back later: the next check is denied CALLBACK_DEFERRED (客户要求稍后再联系)."""
    status, allowed = request(guard.port, "POST", "/v1/check", {"phone": "13500135555", "campaign": "dep-2026q4",
                                                                "at": "2026-11-23T10:15:00+08:00"}, guard.keys["dialer"])
    assert status == 200 and allowed["allowed"] is True, allowed
    later = (datetime.now(timezone.utc) + timedelta(days=2)).isoformat()
    status, out = request(guard.port, "POST", f"/v1/calls/{allowed['decision_id']}/outcome", {"disposition": "callback", "callback_at": later},
                          guard.keys["dialer"])
    assert status == 201, out
    status, denied = request(guard.port, "POST", "/v1/check", {"phone": "13500135555", "campaign": "dep-2026q4"}, guard.keys["dialer"])
    assert "CALLBACK_DEFERRED" in [r["code"] for r in denied["reasons"]], denied
    return denied


@pytest.mark.parametrize("width", [1280, 390])
def test_the_dashboards_reason_labels_are_not_clipped(guard, browser, deferred, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    pg.goto(f"http://127.0.0.1:{guard.port}/console")
    pg.fill("#signin-key", guard.keys["operator"])
    pg.click("#signin-go")
    pg.locator("#nav a").first.wait_for()
    pg.goto(f"http://127.0.0.1:{guard.port}/console#/dashboard")
    pg.locator('#chart-reasons .bar[data-key="CALLBACK_DEFERRED:n"]').wait_for()
    labels = pg.evaluate("""() => Array.from(document.querySelectorAll('.bar-label')).map(el => {
        const r = el.getBoundingClientRect(), card = el.closest('.card').getBoundingClientRect();
        return {text: el.textContent, clipped: el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight,
                inside: r.left >= card.left && r.right <= card.right};
    })""")
    deferred = [x for x in labels if x["text"] == "客户要求稍后再联系"]
    assert len(deferred) == 1, labels
    assert all(not x["clipped"] and x["inside"] for x in labels), labels
    assert pg.evaluate("() => document.documentElement.scrollWidth") <= width
    assert headless_columns(pg) == []
    shot = pg.screenshot(full_page=True)
    from tests.e2e.servers import ROOT

    (ROOT / "var" / f"console-wf-dashboard-{width}.png").write_bytes(shot)
    context.close()


# --- the complaint workflow as one queue ---------------------------------------------------------------------

def tab_count(page, tab: str) -> int:
    return int(page.inner_text(f'.queue-tabs [data-count="{tab}"]'))


def open_tab(page, tab: str) -> None:
    page.click(f'.queue-tabs button[data-tab="{tab}"]')
    page.locator(f'.queue-tabs button[data-tab="{tab}"][aria-pressed="true"]').wait_for()
    page.locator("#queue-count").wait_for()


def test_a_severe_complaint_goes_through_the_queue_to_its_satisfaction_callback(guard, page):
    status, c = api(guard, "POST", "/v1/complaints", {"phone": "13700137777", "severity": "severe", "category": "误导销售",
                                                     "text": "理财经理称产品保本"})
    assert status == 201 and c["stage"] == "new"
    sign_in(page, guard, "operator", "#/complaints?tab=new")
    row = page.locator(f'#queue tr[data-complaint="{c["id"]}"]')
    row.wait_for()
    before = counts(guard)["stages"]
    assert tab_count(page, "new") == before["new"] and tab_count(page, "escalated") == before["escalated"]
    # Escalation to a supervisor: the form asks who takes it.
    row.locator('button[data-event="escalated"]').click()
    page.click("#dialog-ok")
    page.locator("#dialog-error", has_text="请填写接手的主管").wait_for()
    page.fill("#ev-to", "消保主管 张三")
    page.fill("#ev-note", "涉嫌误导销售，转主管")
    page.click("#dialog-ok")
    page.locator("#confirm-summary", has_text="升级至 消保主管 张三").wait_for()
    page.click("#dialog-ok")
    page.locator("#toast", has_text="已记录").wait_for()
    open_tab(page, "escalated")
    row = page.locator(f'#queue tr[data-complaint="{c["id"]}"]')
    row.locator(".escalated-to", has_text="升级至 消保主管 张三").wait_for()
    assert tab_count(page, "escalated") == before["escalated"] + 1 and tab_count(page, "new") == before["new"] - 1
    shoot(page, "wf-escalated")
    # Resolution: refused without a note, in the form.
    row.locator('button[data-event="resolved"]').click()
    page.click("#dialog-ok")
    page.locator("#dialog-error", has_text="办结须填写处理说明").wait_for()
    shoot(page, "wf-resolve-needs-note")
    page.fill("#ev-note", "核实属实：已向客户致歉并撤销购买，经理已被问责")
    page.click("#dialog-ok")
    page.click("#dialog-ok")
    page.locator("#toast", has_text="已记录").wait_for()
    # Now a callback task: due a week after the resolution, in the "resolved, awaiting callback" tab.
    open_tab(page, "awaiting_callback")
    row = page.locator(f'#queue tr[data-complaint="{c["id"]}"]')
    row.wait_for()
    assert "满意度回访" in row.inner_text() and row.locator(".countdown").inner_text().startswith("剩余 6天")
    status, got = api(guard, "GET", f"/v1/complaints/{c['id']}")
    resolved = datetime.fromisoformat(got["resolved_at"])
    assert datetime.fromisoformat(got["callback"]["due"]) == resolved + timedelta(days=7)
    shoot(page, "wf-awaiting-callback")
    # The callback: its result completes the task.
    row.locator('button[data-event="callback"]').click()
    assert "不受营销静音限制" in page.inner_text("#dialog-body")
    page.select_option("#ev-result", "satisfied")
    page.fill("#ev-note", "客户对处理结果满意")
    page.click("#dialog-ok")
    page.click("#dialog-ok")
    page.locator("#toast", has_text="已记录").wait_for()
    open_tab(page, "callback_done")
    row = page.locator(f'#queue tr[data-complaint="{c["id"]}"]')
    row.wait_for()
    assert row.locator("button").count() == 0  # nothing left to do
    status, got = api(guard, "GET", f"/v1/complaints/{c['id']}")
    assert got["stage"] == "callback_done" and got["callback"]["result"] == "satisfied"
    assert [e["type"] for e in got["events"]] == ["filed", "escalated", "resolved", "callback"]
    open_tab(page, "resolved")
    page.locator(f'#queue tr[data-complaint="{c["id"]}"]').wait_for()
    assert headless_columns(page) == []
    shoot(page, "wf-callback-done")


def test_late_work_is_in_the_late_tab_with_its_count_a_missed_first_response_and_a_late_callback(guard, page):
    now = datetime.now(timezone.utc)
    status, missed = api(guard, "POST", "/v1/complaints", {"phone": "13600136666", "severity": "light", "category": "服务态度",
                                                          "received_at": (now - timedelta(hours=3)).isoformat()})
    assert status == 201 and missed["late"] is True
    status, old = api(guard, "POST", "/v1/complaints", {"phone": "13600136667", "severity": "light", "category": "营销扰民",
                                                       "received_at": (now - timedelta(days=10)).isoformat()})
    status, resolved = api(guard, "POST", f"/v1/complaints/{old['id']}/events",
                           {"type": "resolved", "note": "已致歉", "at": (now - timedelta(days=9)).isoformat()})
    assert status == 201 and resolved["late"] is True and resolved["stage"] == "awaiting_callback"
    sign_in(page, guard, "operator", "#/complaints?tab=late")
    page.locator(f'#queue tr[data-complaint="{missed["id"]}"]').wait_for()
    assert tab_count(page, "late") == counts(guard)["late"] >= 2
    late_row = page.locator(f'#queue tr[data-complaint="{old["id"]}"]')
    assert late_row.locator(".countdown").inner_text().startswith("已超时 2天")  # the callback, due two days ago
    assert late_row.locator('button[data-event="callback"]').count() == 1
    first = page.locator(f'#queue tr[data-complaint="{missed["id"]}"]')
    assert "时限" in first.inner_text() and first.locator('[data-stage="new"].deny').count() == 1
    # the queue's times are in the browser's zone, and its headers say which
    zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    assert page.inner_text("#queue thead").count(f"({zone})") == 3
    shoot(page, "wf-late")


# --- a complaint received by letter days ago ----------------------------------------------------------------

def test_a_letter_received_days_ago_is_recorded_with_its_received_time_and_its_deadlines_run_from_then(guard, browser):
    """SPEC §3.6: a complaint has its `received_at`; the SLA deadlines and the mute count run from it. A letter opened
    today was received days ago: the form takes that time (in the browser's zone) and the confirmation shows it."""
    assert api(guard, "PUT", "/v1/customers/C410", {"phones": ["13400134100"]})[0] == 201
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="Asia/Shanghai")
    pg = context.new_page()
    pg.goto(f"http://127.0.0.1:{guard.port}/console#/customer/C410")
    pg.fill("#signin-key", guard.keys["operator"])
    pg.click("#signin-go")
    pg.locator("#act-complaint").wait_for()
    pg.click("#act-complaint")
    pg.select_option("#cp-severity", "medium")
    pg.fill("#cp-category", "来信")
    pg.fill("#cp-text", "来信反映理财经理反复来电推销")
    pg.fill("#cp-received", "2026-12-01T10:00")
    assert unlabeled_controls(pg) == []
    pg.click("#dialog-ok")
    pg.locator("#confirm-summary", has_text="2026-12-01 10:00").wait_for()
    pg.click("#dialog-ok")
    pg.locator("#toast", has_text="投诉已记录").wait_for()
    shoot(pg, "wf-letter")
    status, listed = api(guard, "GET", "/v1/complaints?customer_id=C410")
    assert status == 200
    (c,) = listed["complaints"]
    assert c["received_at"] == "2026-12-01T02:00:00+00:00"  # 10:00 in Shanghai
    assert c["sla"]["first_response_due"] == "2026-12-01T03:00:00+00:00"  # medium: first contact within 1 h of receipt
    # A letter is not received in the future: the form says so in Chinese and keeps what was typed.
    pg.click("#act-complaint")
    pg.fill("#cp-category", "来信")
    pg.fill("#cp-received", "2099-01-01T10:00")
    pg.click("#dialog-ok")
    pg.locator("#dialog-error").wait_for()
    assert pg.inner_text("#dialog-error") == "收到时间不能晚于现在。" and pg.input_value("#cp-category") == "来信"
    context.close()


# --- a session that ends while a form is being filled ---------------------------------------------------------

def test_a_session_that_ends_mid_form_keeps_the_form_and_submits_it_after_signing_in_again(guard, page):
    """A person fills in a complaint; their session ends (idle expiry, signed out elsewhere) before they confirm.
    The dialog stays, asks them to sign in again, and then records the complaint once: nothing typed is lost."""
    from tests.browser.test_console import sign_in_person

    assert api(guard, "PUT", "/v1/customers/C420", {"phones": ["13400134200"]})[0] == 201
    sign_in_person(page, guard, "wu.shi", "吴十", "operator")
    page.goto(f"http://127.0.0.1:{guard.port}/console#/customer/C420")
    page.locator("#act-complaint").wait_for()
    page.click("#act-complaint")
    page.fill("#cp-category", "营销扰民")
    page.fill("#cp-text", "一天内接到三个理财推销电话")
    page.click("#dialog-ok")
    page.locator("#confirm-summary").wait_for()
    page.context.clear_cookies()  # the session is gone
    page.click("#dialog-ok")
    page.locator("#reauth-user").wait_for()
    assert page.locator("#dialog").is_visible()
    assert "登录已过期" in page.inner_text("#dialog-error")
    assert unlabeled_controls(page) == []
    shoot(page, "wf-reauth")
    page.fill("#reauth-user", "wu.shi")
    page.fill("#reauth-password", "wrong-password")
    page.click("#dialog-ok")
    page.locator("#dialog-error", has_text="用户名或密码").wait_for()
    page.fill("#reauth-password", "wu.shi-pass-123")
    page.click("#dialog-ok")
    page.locator("#toast", has_text="投诉已记录").wait_for()
    status, listed = api(guard, "GET", "/v1/complaints?customer_id=C420")
    assert status == 200 and [c["text"] for c in listed["complaints"]] == ["一天内接到三个理财推销电话"]
    assert listed["complaints"][0]["created_by"] == "user:wu.shi"


# --- a complaint the scheduler escalated names no one: staff name the supervisor ----------------------------------

def test_a_complaint_the_scheduler_escalated_is_shown_unassigned_and_takes_a_named_supervisor(guard, page):
    """The scheduler escalates an overdue complaint "to a supervisor" without naming one; the queue says nobody is named
    yet and offers to name them (the API takes an `escalated` event with `to` on an escalated complaint)."""
    from tests.e2e.servers import cli

    status, c = api(guard, "POST", "/v1/complaints", {"phone": "13700137730", "severity": "medium", "category": "来信",
                                                     "received_at": "2026-11-02T10:00:00+08:00"})
    assert status == 201, c
    cli(guard.env_, "scheduler", "--once")
    status, got = api(guard, "GET", f"/v1/complaints/{c['id']}")
    assert got["stage"] == "escalated" and got["escalated_to"] is None
    sign_in(page, guard, "operator", "#/complaints?tab=escalated")
    row = page.locator(f'#queue tr[data-complaint="{c["id"]}"]')
    row.wait_for()
    row.locator(".escalated-to", has_text="未指定主管").wait_for()
    button = row.locator('button[data-event="escalated"]')
    assert button.inner_text() == "指定主管"
    button.click()
    page.fill("#ev-to", "消保主管 李四")
    page.click("#dialog-ok")
    page.click("#dialog-ok")
    page.locator("#toast", has_text="已记录").wait_for()
    row = page.locator(f'#queue tr[data-complaint="{c["id"]}"]')
    row.locator(".escalated-to", has_text="升级至 消保主管 李四").wait_for()
    assert row.locator('button[data-event="escalated"]').count() == 0
    shoot(page, "wf-assign-supervisor")
    status, got = api(guard, "GET", f"/v1/complaints/{c['id']}")
    assert got["escalated_to"] == "消保主管 李四"
