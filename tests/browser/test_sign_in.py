"""People sign in to the console in real headless Chromium (Debian's), against a real gunicorn guard
and a real OpenLDAP directory: a local account and a directory account each sign in through the page,
make one change that the audit trail records under their name, and sign out. Screenshots go to
var/console-signin-*.png."""

from __future__ import annotations

import pytest

from tests.auth.conftest import GROUPS, PEOPLE, ldap_settings, ldap_server  # noqa: F401 - ldap_server is a fixture
from tests.browser.test_console import browser, shoot, unlabeled_controls  # noqa: F401 - browser is a fixture
from tests.e2e.servers import GuardServer, cli, request

pytestmark = pytest.mark.browser
LOCAL_PASSWORD = "Zhang-Local-pass-1"
SCRIPT = "您好，我是XX银行的客户经理，本次通话将被录音。基金有风险，投资需谨慎。过往业绩不代表未来表现，请您仔细阅读基金合同和招募说明书。"


@pytest.fixture(scope="module")
def guard(tmp_path_factory, ldap_server):  # noqa: F811
    from app import create_app
    from guard.services.ops.accounts import create_account
    from guard.store.migrate import upgrade

    url = f"sqlite:///{tmp_path_factory.mktemp('signin') / 'guard.db'}"
    upgrade(url)
    env = {"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", **ldap_settings(ldap_server)}
    app = create_app(env)
    rt = app.extensions["guard"]
    create_account(rt.store, "zhang.local", LOCAL_PASSWORD, ["operator"], "张三（本地）", rt.clock())
    rt.store.dispose()
    key = cli(env, "keys", "create", "--role", "operator", "--role", "reviewer").stdout.strip()
    with GuardServer(env).start() as server:  # stopped also when the seeding below fails
        server.key = key
        for customer, phone in (("C200", "13800138200"), ("C201", "13800138201")):
            status, _ = request(server.port, "PUT", f"/v1/customers/{customer}", {"phones": [phone], "risk_level": "C3"}, key)
            assert status == 201
        yield server


@pytest.fixture
def page(guard, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" and "Failed to load resource" not in m.text else None)
    yield pg
    assert pg.errors == []
    context.close()


def sign_in(page, guard, username: str, password: str) -> None:
    page.goto(f"http://127.0.0.1:{guard.port}/console")
    page.locator("#signin-user").wait_for()
    page.fill("#signin-user", username)
    page.fill("#signin-password", password)
    page.click("#signin-submit")


def blacklist_through_the_page(page, guard, customer: str) -> None:
    page.goto(f"http://127.0.0.1:{guard.port}/console#/customer/{customer}")
    page.locator("#act-blacklist").wait_for()
    page.click("#act-blacklist")
    page.fill("#bl-reason", "客户来电要求不要再打")
    page.click("#dialog-ok")
    page.locator("#confirm-summary").wait_for()
    page.click("#dialog-ok")
    page.locator("#toast", has_text="已加入黑名单").wait_for()


def signed_out(page, guard) -> bool:
    status = page.evaluate("() => fetch('/v1/session', {credentials: 'same-origin'}).then(r => r.status)")
    return status == 401 and not [c for c in page.context.cookies() if c["name"] == "guard_session"]


def test_a_local_account_signs_in_blacklists_and_signs_out(guard, page):
    sign_in(page, guard, "zhang.local", "wrong-password")
    page.locator("#signin-error", has_text="用户名或密码错误").wait_for()
    assert unlabeled_controls(page) == []
    assert "用户名" in page.inner_text("label[for=signin-user]") and "User name" in page.inner_text("label[for=signin-user]")
    shoot(page, "signin-password")
    sign_in(page, guard, "zhang.local", LOCAL_PASSWORD)
    page.locator("#nav a").first.wait_for()
    assert "张三（本地）" in page.inner_text("#whoami")
    # The session is a cookie no script can read; nothing of it is in the tab's storage.
    cookie = next(c for c in page.context.cookies() if c["name"] == "guard_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "guard_session" not in page.evaluate("() => document.cookie")
    assert page.evaluate("() => sessionStorage.getItem('guard.key')") is None
    blacklist_through_the_page(page, guard, "C200")
    page.locator("#trail-table", has_text="user:zhang.local").wait_for()
    shoot(page, "signin-local-trail")
    status, bl = request(guard.port, "GET", "/v1/blacklist/customers/C200", None, guard.key)
    assert status == 200 and [e["added_by"] for e in bl["entries"]] == ["user:zhang.local"]
    # A reload stays signed in (the cookie), and the CSRF token is asked for again.
    page.reload()
    page.locator("#nav a").first.wait_for()
    page.click("#signout")
    page.locator("#signin-user").wait_for()
    assert signed_out(page, guard)


def test_a_directory_account_signs_in_blacklists_and_signs_out(guard, page):
    assert "zhang.san" in GROUPS["xiaobao-ops"]
    sign_in(page, guard, "zhang.san", PEOPLE["zhang.san"][0])
    page.locator("#nav a").first.wait_for()
    assert "张三" in page.inner_text("#whoami") and page.get_attribute("#whoami", "title") == "ldap:zhang.san"
    blacklist_through_the_page(page, guard, "C201")
    page.locator("#trail-table", has_text="ldap:zhang.san").wait_for()
    shoot(page, "signin-ldap-trail")
    status, bl = request(guard.port, "GET", "/v1/blacklist/customers/C201", None, guard.key)
    assert [e["added_by"] for e in bl["entries"]] == ["ldap:zhang.san"]
    page.click("#signout")
    page.locator("#signin-user").wait_for()
    assert signed_out(page, guard)


def test_a_directory_reviewer_saves_a_script_on_the_review_page_without_a_key(guard, page):
    sign_in(page, guard, "li.si", PEOPLE["li.si"][0])
    page.wait_for_url("**/review")  # a reviewer's home is the review page
    page.locator("#who", has_text="李四").wait_for()
    assert not page.is_visible("#key")
    page.fill("#text", SCRIPT)
    page.fill("#campaign", "fund-2026q4")
    page.click("#save")
    page.locator("#versions tbody tr").first.wait_for()
    shoot(page, "signin-review")
    status, listed = request(guard.port, "GET", "/v1/scripts?campaign=fund-2026q4", None, guard.key)
    assert status == 200 and [v["created_by"] for v in listed["scripts"]] == ["ldap:li.si"]
    page.click("#signout")
    page.locator("#signin-user").wait_for()
    assert signed_out(page, guard)


def test_a_directory_that_is_down_is_said_on_the_page(guard, page, ldap_server):  # noqa: F811
    ldap_server.pause()
    try:
        sign_in(page, guard, "zhang.san", PEOPLE["zhang.san"][0])
        page.locator("#signin-error", has_text="目录服务暂不可用").wait_for(timeout=15000)
    finally:
        ldap_server.resume()
