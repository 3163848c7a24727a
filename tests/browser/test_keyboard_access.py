"""The console and /review used with a keyboard only, and read by a screen reader (WCAG 2.1 AA).

The success criteria cited are W3C's own text (https://www.w3.org/TR/WCAG21/; the Understanding documents at
https://www.w3.org/WAI/WCAG21/Understanding/):
- 2.1.1 Keyboard: "All functionality of the content is operable through a keyboard interface".
- 2.4.1 Bypass Blocks: "A mechanism is available to bypass blocks of content that are repeated on multiple Web pages."
- 2.4.3 Focus Order: "If a Web page can be navigated sequentially and the navigation sequences affect meaning or
  operation, focusable components receive focus in an order that preserves meaning and operability."
And the WAI-ARIA Authoring Practices' modal dialog pattern (https://www.w3.org/WAI/ARIA/apg/patterns/dialog-modal/): "When a dialog closes, focus returns to the element that
invoked the dialog unless either: the invoking element no longer exists [...]" (then to another element that
provides a logical work flow).
"""

from __future__ import annotations

import pytest

from tests.browser.test_console import browser, guard, page, sign_in  # noqa: F401 - fixtures shared
from tests.e2e.servers import request

pytestmark = pytest.mark.browser

FOCUSED = """() => { const a = document.activeElement;
  return a === document.body || !a ? 'BODY' : a.tagName + (a.id ? '#' + a.id : '') + ' ' + a.textContent.trim().slice(0, 40) }"""


def focused(page) -> str:
    return page.evaluate(FOCUSED)


def focus_settles_on(page, tag: str) -> str:
    """What has focus once the page is drawn (the drawing ends after the guard's answers)."""
    try:
        page.wait_for_function(f"() => document.activeElement && document.activeElement.tagName === '{tag}'", timeout=5000)
    except Exception:
        pass
    return focused(page)


def test_the_skip_link_moves_to_the_content_of_the_page_open_and_does_not_leave_it(guard, page):  # noqa: F811
    sign_in(page, guard, "operator", "#/customer/C100")
    page.goto(f"http://127.0.0.1:{guard.port}/console#/customer/C100")
    page.reload()  # a fresh document: the first Tab reaches the skip link
    page.locator("#act-blacklist").wait_for()
    page.keyboard.press("Tab")
    assert focused(page).startswith("A ") and page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    assert page.url.endswith("#/customer/C100")
    page.locator("#act-blacklist").wait_for()
    assert focus_settles_on(page, "H1").startswith("H1 ") and "C100" in focused(page)


def test_a_page_opened_from_the_navigation_by_keyboard_takes_focus_on_its_heading(guard, page):  # noqa: F811
    sign_in(page, guard, "operator")
    assert focus_settles_on(page, "H1").startswith("H1 "), "signed in: the first page's heading has focus, not the body"
    page.focus("#nav a[data-page=complaints]")
    page.keyboard.press("Enter")
    page.locator("#queue-count").wait_for()
    assert focus_settles_on(page, "H1").startswith("H1 ") and "投诉" in focused(page)
    # a tab of the queue redraws the page: focus stays on the tab chosen
    page.focus('[data-tab="late"]')
    page.keyboard.press("Enter")
    page.locator('[data-tab="late"][aria-pressed="true"]').wait_for()
    page.wait_for_timeout(300)
    assert page.evaluate("document.activeElement.dataset.tab") == "late"
    page.focus("#nav a[data-page=lookup]")
    page.keyboard.press("Enter")
    page.locator("#lookup-q").wait_for()
    page.wait_for_timeout(300)
    assert focused(page) != "BODY"


def test_a_dialog_opened_by_keyboard_takes_focus_and_gives_it_back_on_escape_and_after_its_change(guard, page):  # noqa: F811
    sign_in(page, guard, "operator", "#/customer/C100")
    page.locator("#act-complaint").wait_for()
    page.focus("#act-complaint")
    page.keyboard.press("Enter")
    assert page.evaluate("document.getElementById('dialog').contains(document.activeElement)")
    page.keyboard.press("Escape")
    assert focused(page).startswith("BUTTON#act-complaint")
    page.keyboard.press("Enter")
    page.fill("#cp-category", "服务态度")
    page.focus("#dialog-ok")
    page.keyboard.press("Enter")  # next: the confirmation
    page.locator("#confirm-summary").wait_for()
    assert focused(page).startswith("BUTTON#dialog-ok")
    page.keyboard.press("Enter")  # confirm: the complaint is recorded and the customer's page drawn again
    page.locator("#toast:not([hidden])").wait_for()
    assert focus_settles_on(page, "BUTTON").startswith("BUTTON#act-complaint"), focused(page)
    assert not page.is_visible("#dialog")
    assert focused(page).startswith("BUTTON#act-complaint"), focused(page)


def test_review_lints_from_the_keyboard_and_says_its_verdict_in_a_status_message(guard, browser):  # noqa: F811
    """WCAG 4.1.3 Status Messages: "status messages can be programmatically determined through role or properties such
    that they can be presented to the user by assistive technologies without receiving focus" (its example: a search's
    "5 results returned"). A lint's verdict and counts are that message; every control has a name (4.1.2)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{guard.port}/review")
    page.focus("#key")
    page.keyboard.type(guard.keys["reviewer"])
    page.keyboard.press("Tab")  # leaving the field keeps the key (its change event)
    page.focus("#text")
    page.keyboard.type("本产品保本保息，稳赚不赔。")
    page.focus("#lint")
    page.keyboard.press("Enter")
    page.locator("#findings li").first.wait_for()
    status = page.get_by_role("status")
    assert status.count() == 1 and "不通过 fail" in status.inner_text() and "错误" in status.inner_text()
    assert page.get_by_role("button", name="话术文本文件 · Script file").count() == 1
    context.close()


CONTRAST = """() => {
  const parse = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (el) => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
    if (c.length < 4 || c[3] === 1) return c; } return [255, 255, 255]; };
  return Array.from(document.querySelectorAll("#findings *")).filter((el) => Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim()))
    .map((el) => { const a = lum(parse(getComputedStyle(el).color)), b = lum(background(el));
      return [el.className || el.tagName, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]; })
    .filter(([, ratio]) => ratio < 4.5).map(([what, ratio]) => what + " " + ratio.toFixed(2));
}"""


def linted_on_review(browser, guard, width: int, height: int):
    """A new context of `width` × `height` CSS px on /review, signed in with a reviewer's key, a failing script linted
    (its first error finding shown): (context, page)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{guard.port}/review")
    page.fill("#key", guard.keys["reviewer"])
    page.dispatch_event("#key", "change")
    page.fill("#text", "本产品保本保息，稳赚不赔。历史最高收益8%，名额有限今天必须买。")
    page.click("#lint")
    page.locator("#findings li.sev-error").first.wait_for()
    return context, page


def test_the_findings_text_has_a_contrast_of_at_least_4_5_to_1(guard, browser):  # noqa: F811
    """WCAG 1.4.3 Contrast (Minimum): "The visual presentation of text and images of text has a contrast ratio of at least
    4.5:1" (relative luminance as WCAG defines it). The muted labels of an error finding (#6b7280 on #fef2f2) were 4.42:1."""
    context, page = linted_on_review(browser, guard, 1280, 800)
    page.locator("#findings li:not(.sev-error)").first.wait_for()
    assert page.evaluate(CONTRAST) == []
    context.close()


FOCUS_RING = """(selector) => {
  const el = document.querySelector(selector);
  el.focus();
  const parse = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
  let behind = [255, 255, 255];
  for (let e = el.parentElement; e; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor);
    if (c.length < 4 || c[3] === 1) { behind = c; break; }
  }
  const style = getComputedStyle(el);
  const ring = style.boxShadow === "none" ? null : parse(style.boxShadow).slice(0, 3);
  return { visible: el.matches(":focus-visible"), outline: +ratio(parse(style.outlineColor), behind).toFixed(2),
           ring: ring ? +ratio(ring, behind).toFixed(2) : 0 };
}"""


def test_the_focus_indicator_stands_out_at_3_to_1_on_the_cards_and_on_the_dark_header(guard, page):  # noqa: F811
    """WCAG 1.4.11 Non-text Contrast: "Visual information required to identify user interface components and states"
    has "a contrast ratio of at least 3:1 against adjacent color(s)"; technique C40 (https://w3.org/WAI/WCAG20/Techniques/css/C40)
    draws the indicator in two colours so that one of them stands out on the background (on any, when the two are 9:1
    apart; the console's amber and dark blue are 6.7:1 apart, so its own backgrounds are measured here). The amber
    outline alone was 2.15:1 on the white cards."""
    sign_in(page, guard, "operator", "#/customer/C100")
    page.locator("#act-blacklist").wait_for()
    page.keyboard.press("Tab")  # keyboard use: focus moved by script shows its indicator from now on
    for selector in ("#act-blacklist", "#nav a[data-page=complaints]"):
        ring = page.evaluate(FOCUS_RING, selector)
        assert ring["visible"] and max(ring["outline"], ring["ring"]) >= 3, (selector, ring)


def test_the_console_in_english_and_the_review_page_reflow_at_320_css_pixels(guard, browser):  # noqa: F811
    """WCAG 1.4.10 Reflow: content can be presented "without loss of information or functionality, and without requiring
    scrolling in two dimensions for: Vertical scrolling content at a width equivalent to 320 CSS pixels". The console's
    English name (nowrap) and /review's product type list (its longest option) were wider than the screen."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    sign_in(page, guard, "operator", "#/customer/C100")
    page.click("#lang")
    page.locator("#nav a", has_text="Customers").wait_for()
    page.locator("#act-blacklist").wait_for()
    sideways = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert page.evaluate(sideways) == 0
    page.goto(f"http://127.0.0.1:{guard.port}/review")
    page.locator("#product-type").wait_for()
    assert page.evaluate(sideways) == 0
    context.close()


def test_the_queues_countdowns_tick_without_being_read_out_every_second(guard, page):  # noqa: F811
    """The console's main is a polite live region (its pages' results are read when drawn); a countdown that rewrites its
    text every second inside it would be read out every second, over everything else the person listens to (WCAG 4.1.3
    Status Messages asks that messages be presented "without receiving focus", in a way that "doesn't unnecessarily
    interrupt their work", per its Understanding document). Each countdown turns the region off for itself."""
    sign_in(page, guard, "operator", "#/complaints")
    page.locator("#queue .countdown").first.wait_for()
    live = page.evaluate("""() => Array.from(document.querySelectorAll('.countdown'))
        .map((el) => { const region = el.closest('[aria-live]'); return region ? region.getAttribute('aria-live') : 'off'; })""")
    assert live and set(live) == {"off"}


def test_the_sign_in_pages_words_in_the_other_language_carry_their_own_lang(guard, page):  # noqa: F811
    """WCAG 3.1.2 Language of Parts: "The human language of each passage or phrase in the content can be programmatically
    determined". The sign-in page says each label in Chinese and English (用户名 User name); the English of a Chinese page
    was tagged as Chinese, so a screen reader read "User name" with Chinese speech (and the Chinese of the English page
    with English speech)."""
    page.goto(f"http://127.0.0.1:{guard.port}/console")
    page.locator("#signin-user").wait_for()
    assert page.get_attribute("html", "lang") == "zh-CN"
    parts = "(sel) => Array.from(document.querySelectorAll(sel + ' [lang]')).map((el) => [el.lang, el.textContent])"
    assert ["en", "User name"] in page.evaluate(parts, 'label[for="signin-user"]')
    assert ["en", "Sign in"] in page.evaluate(parts, "#signin-submit")
    assert page.get_by_label("用户名 User name").count() == 1  # the label still names the field whole
    page.click("#lang")
    page.locator("#signin-title", has_text="Sign in").wait_for()
    assert page.get_attribute("html", "lang") == "en"
    assert ["zh-CN", "密码"] in page.evaluate(parts, 'label[for="signin-password"]')


# Every text node of `root` whose language (its nearest lang) is Chinese but which holds a run of English words.
ENGLISH_SAID_IN_CHINESE = """(root) => {
  const out = [];
  const walker = document.createTreeWalker(document.querySelector(root), NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (el.closest("textarea, #rendered, script, style, option, [hidden]")) continue;
    const lang = (el.closest("[lang]") || document.documentElement).lang;
    if (lang.startsWith("zh") && /[A-Za-z]{2,}[ :,]+[A-Za-z]{2,}/.test(n.textContent)) out.push(n.textContent.trim());
  }
  return out;
}"""


def test_review_says_its_english_in_english_and_its_chinese_in_chinese(guard, page):  # noqa: F811
    """WCAG 3.1.2 Language of Parts (https://www.w3.org/WAI/WCAG21/Understanding/language-of-parts): "The human language
    of each passage or phrase in the content can be programmatically determined". /review wrote both languages in one
    text node of a zh-CN page ("已登录 Signed in: …", "错误 error", "需复审 needs review: …"), so a screen reader read the
    English with Chinese speech. Each language now has its own element, as the console's sign-in page does."""
    from tests.browser.test_console import cli

    password = "li.reviewer-pass-123"  # a person with both roles: the console opens on its home page, then /review
    cli(guard.env_, "users", "create", "li.reviewer", "--role", "reviewer", "--role", "operator", "--name", "李审",
        "--password-stdin", input_=f"{password}\n{password}\n")
    page.goto(f"http://127.0.0.1:{guard.port}/console")
    page.fill("#signin-user", "li.reviewer")
    page.fill("#signin-password", password)
    page.click("#signin-submit")
    page.locator("#nav a").first.wait_for()
    page.goto(f"http://127.0.0.1:{guard.port}/review")
    page.locator("#who:not([hidden])").wait_for()
    parts = "(sel) => Array.from(document.querySelectorAll(sel + ' [lang]')).map((el) => [el.lang, el.textContent])"
    assert ["en", "Signed in:"] in page.evaluate(parts, "#who")
    page.fill("#text", "本产品保本保息，稳赚不赔。历史最高收益8%，名额有限今天必须买。")
    page.click("#lint")
    page.locator("#findings li.sev-error").first.wait_for()
    assert ["en", "fail"] in page.evaluate(parts, "#verdict")
    assert ["en", "error"] in page.evaluate(parts, "#findings li.sev-error .meta")
    assert ["en", "Suggestion:"] in page.evaluate(parts, "#findings .suggestion")
    page.fill("#campaign", "fund-2026q4")
    page.click("#list")
    page.locator("#versions:not([hidden])").wait_for()
    page.click("#save")
    page.locator("#versions tbody tr").first.wait_for()
    assert page.evaluate(ENGLISH_SAID_IN_CHINESE, "body") == []
    page.fill("#text", "")
    page.click("#lint")
    page.locator("#error", has_text="Nothing to lint").wait_for()
    assert page.evaluate(ENGLISH_SAID_IN_CHINESE, "body") == []


def test_a_finding_on_review_shows_its_place_in_the_script_from_the_keyboard(guard, browser):  # noqa: F811
    """WCAG 2.1.1 Keyboard (https://www.w3.org/WAI/WCAG21/Understanding/keyboard): "All functionality of the content is
    operable through a keyboard interface". A finding jumped to its words in the script on a mouse click of its list
    item only: the item took no focus, so a keyboard could not reach that function. Each placed finding has a button."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{guard.port}/review")
    page.fill("#key", guard.keys["reviewer"])
    page.dispatch_event("#key", "change")
    page.fill("#text", "本产品保本保息，稳赚不赔。")
    page.focus("#lint")
    page.keyboard.press("Enter")
    page.locator("#findings li").first.wait_for()
    for _ in range(40):  # onwards from the Lint button with Tab alone, to the first control of the findings
        page.keyboard.press("Tab")
        if page.evaluate("document.getElementById('findings').contains(document.activeElement)"):
            break
    assert page.evaluate("document.getElementById('findings').contains(document.activeElement)"), focused(page)
    item = page.evaluate("document.activeElement.closest('li').id")
    assert focused(page).startswith("BUTTON")
    page.keyboard.press("Enter")
    marks = page.evaluate("Array.from(document.querySelectorAll('mark.focus')).map((m) => 'finding-' + m.dataset.finding)")
    assert marks and set(marks) == {item}
    context.close()


def test_review_ties_each_error_to_the_field_at_fault(guard, browser):  # noqa: F811
    """WCAG 3.3.1 Error Identification (https://www.w3.org/WAI/WCAG21/Understanding/error-identification): "the item
    that is in error is identified and the error is described to the user in text"; technique ARIA21
    (https://www.w3.org/WAI/WCAG21/Techniques/aria/ARIA21) sets aria-invalid on the failed field, and
    aria-describedby ties the description to it (ARIA1), so a screen reader says both when the field has focus.
    /review moved focus to the empty key or campaign field, but the field said nothing of the error shown elsewhere."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{guard.port}/review")
    state = "(id) => { const el = document.getElementById(id); return [el.getAttribute('aria-invalid'), el.getAttribute('aria-describedby')]; }"
    assert page.evaluate(state, "key") == [None, None]  # not before the person has tried
    page.fill("#text", "本产品保本保息。")
    page.click("#lint")
    page.locator("#error", has_text="reviewer role").wait_for()
    invalid, described = page.evaluate(state, "key")
    assert invalid == "true" and "error" in described.split()
    page.fill("#key", guard.keys["reviewer"])
    page.dispatch_event("#key", "input")
    assert page.evaluate(state, "key")[0] is None  # corrected: no longer said to be invalid
    page.fill("#text", " ")
    page.click("#lint")
    page.locator("#error", has_text="Nothing to lint").wait_for()
    invalid, described = page.evaluate(state, "text")
    assert invalid == "true" and "error" in described.split()
    page.fill("#text", "本产品保本保息。")
    page.fill("#campaign", "")
    page.click("#save")
    page.locator("#save-error", has_text="Enter the campaign").wait_for()
    invalid, described = page.evaluate(state, "campaign")
    assert invalid == "true" and "save-error" in described.split()
    assert page.evaluate("document.activeElement.id") == "campaign"
    page.fill("#campaign", "fund-2026q4")
    page.dispatch_event("#campaign", "input")
    assert page.evaluate(state, "campaign")[0] is None
    context.close()


LIVE = """() => {
  const toast = document.getElementById("toast");
  const region = toast.closest("[aria-live], [role=status], [role=alert]");
  const view = document.getElementById("view");
  return { region: region ? region.id : null,
           shown: !!region && !region.closest("[hidden]") && getComputedStyle(region).display !== "none",
           viewLive: view.closest("[aria-live]") ? view.closest("[aria-live]").getAttribute("aria-live") : null };
}"""


def test_the_consoles_toast_speaks_from_a_live_region_there_before_it_and_pages_are_not_read_out_whole(guard, page):  # noqa: F811
    """WCAG 4.1.3 Status Messages (https://www.w3.org/WAI/WCAG21/Understanding/status-messages): status messages "can be
    presented to the user by assistive technologies without receiving focus", in a way that "doesn't unnecessarily
    interrupt their work". MDN's ARIA live regions: a live region works "as long as you add the attribute before the
    changes occur [...] Start with an empty live region, then – in a separate step – change the content"
    (https://developer.mozilla.org/en-US/docs/Web/Accessibility/ARIA/ARIA_Live_Regions; WAI-ARIA issue w3c/aria#1216:
    "create an empty and visible live region as early as possible"). The toast was itself the live region, hidden, then
    unhidden and filled in one step, so it may never be announced; and all of main was a polite live region, so every page
    drawn (tables, forms) was read out. Pages take focus on their heading instead."""
    sign_in(page, guard, "operator", "#/customer/C100")
    page.locator("#act-complaint").wait_for()
    before = page.evaluate(LIVE)
    assert before["region"] and before["shown"], before
    assert before["viewLive"] is None, before
    page.click("#act-complaint")
    page.fill("#cp-category", "服务态度")
    page.click("#dialog-ok")
    page.locator("#confirm-summary").wait_for()
    page.click("#dialog-ok")
    page.locator("#toast", has_text="投诉已记录").wait_for()
    during = page.evaluate(LIVE)
    assert during["region"] == before["region"] and during["shown"]


def test_a_search_says_how_many_it_found_through_the_status_region(guard, page):  # noqa: F811
    """WCAG 4.1.3's Understanding document names "18 results returned" as a status message. With main no longer a live
    region, the lookup's count is said through the status region the console keeps from the start."""
    sign_in(page, guard, "operator", "#/lookup")
    page.locator("#lookup-q").wait_for()
    page.fill("#lookup-q", "13900139000")
    page.click("#lookup-go")
    page.locator("#lookup-count").wait_for()
    count = page.inner_text("#lookup-count")
    page.wait_for_function("(text) => document.getElementById('announce').textContent === text", arg=count)
    assert page.evaluate("document.getElementById('announce').closest('[role=status]').id") == "toast-region"


def test_review_reflows_at_320_css_pixels_with_its_findings_shown(guard, browser):  # noqa: F811
    """WCAG 1.4.10 Reflow (https://www.w3.org/WAI/WCAG21/Understanding/reflow): no scrolling in two dimensions at 320 CSS
    px. A finding's message quotes its rule id (performance.history_as_promise), one unbreakable word wider than a
    320 px screen's findings column: the whole page scrolled sideways once a script was linted."""
    context, page = linted_on_review(browser, guard, 320, 640)
    assert page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
    context.close()


def test_review_served_in_traditional_chinese_tags_its_chinese_as_zh_tw(guard, browser):  # noqa: F811
    """WCAG 3.1.2 again: the guard serves /review converted to traditional Chinese for a zh-TW reader (Accept-Language);
    the Chinese of each bilingual label must then say zh-TW, not the zh-CN it is written in."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-TW")
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{guard.port}/review")
    assert page.get_attribute("html", "lang") == "zh-TW"
    page.fill("#text", "本產品保本保息。")
    page.click("#lint")
    page.locator("#error [lang=en]").wait_for()
    assert page.evaluate("Array.from(document.querySelectorAll('#error [lang]')).map((el) => el.lang)") == ["zh-TW", "en"]
    context.close()


def test_the_script_field_on_review_has_a_label_not_only_a_placeholder(guard, browser):  # noqa: F811
    """WCAG 3.3.2 Labels or Instructions (https://www.w3.org/WAI/WCAG21/Understanding/labels-or-instructions): "Labels or
    instructions are provided when content requires user input". The script's text area had only a placeholder, which
    disappears as soon as the reviewer pastes a script (the Understanding document's own caution about placeholders),
    leaving the main field of the page without a name on screen."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{guard.port}/review")
    field = page.get_by_label("话术 Script", exact=True)
    assert field.count() == 1 and field.evaluate("(el) => el.id") == "text"
    assert page.evaluate("Array.from(document.querySelector('label[for=text]').querySelectorAll('[lang]')).map((e) => e.lang)") == ["en"]
    context.close()


def test_the_lookup_shows_the_decisions_past_its_first_page_and_moves_focus_to_them(guard, page):  # noqa: F811
    """The lookup asked a number's newest 50 decisions and never followed `next`: the older ones were out of reach.
    Show more reads the next page; focus moves to its first decision (WCAG 2.4.3), the button goes after the last."""
    for _ in range(51):
        status, _ = request(guard.port, "POST", "/v1/check", {"phone": "13700137000", "campaign": "dep-2026q4", "dry_run": True,
                                                               "at": "2026-11-23T10:15:00+08:00"}, guard.keys["dialer"])
        assert status == 200
    sign_in(page, guard, "operator", "#/lookup?phone=13700137000")
    page.locator("#lookup-more").wait_for()
    assert page.locator("#results article").count() == 50
    page.click("#lookup-more")
    page.locator("#lookup-more").wait_for(state="detached")
    assert page.locator("#results article").count() == 51 and "51" in page.inner_text("#lookup-count")
    assert page.evaluate("document.activeElement.dataset.decision") == page.locator("#results article").nth(50).get_attribute("data-decision")


def test_a_list_redrawn_keeps_the_rows_show_more_added_and_every_cursor_is_sent_one_way(guard, page):  # noqa: F811
    """The recent audits and simulations redraw when a watched run ends: they read the first page again, and the rows
    Show more had added were gone. A redraw reads pages until as many rows are in as were shown; the page after `next`
    is asked one way whatever the list's cursor (an opaque `after`, or the decision log's `{before, before_id}`)."""
    sign_in(page, guard, "operator", "#/lookup")
    got = page.evaluate("""async () => {
      const { pageQuery, readUpTo } = await import("/console/more.js");
      const pages = { "": { rows: [1, 2], next: "p2" }, p2: { rows: [3, 4], next: "p3" }, p3: { rows: [5], next: null } };
      const asked = [];
      const read = async (next) => { asked.push(next); return pages[next || ""]; };
      const redrawn = await readUpTo(read, 3);
      const first = await readUpTo(read, 0);
      return { redrawn, first, asked, opaque: pageQuery("p2"), keyset: pageQuery({ before: "T", before_id: "d1" }), none: pageQuery(null) };
    }""")
    assert got["redrawn"] == {"rows": [1, 2, 3, 4], "next": "p3"}
    assert got["first"] == {"rows": [1, 2], "next": "p2"}
    assert got["asked"] == [None, "p2", None]
    assert (got["opaque"], got["keyset"], got["none"]) == ({"after": "p2"}, {"before": "T", "before_id": "d1"}, {})
