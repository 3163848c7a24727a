"""Values from outside cannot reorder what the pages show around them, measured in real headless Chromium.

A directional override (U+202E RIGHT-TO-LEFT OVERRIDE) in a value lays out everything after it, up to the end of
the paragraph, right to left (Unicode UAX #9 §2.2, X1–X8): the "Trojan Source" spoofing, CVE-2021-42574. An
isolate (HTML `<bdi>`, CSS `unicode-bidi: isolate`; UAX #9 §2.7, W3C "Inline markup and bidirectional text in
HTML") ends the value's effect at the value. These tests read where Chromium puts each character of the text
after such a value: left to right, in reading order, as it was written."""

from __future__ import annotations

import io
from datetime import datetime

import pytest

from guard.services import audits
from guard.services.audits import report as audit_report
from tests.browser.test_review_page import _chromium
from tests.browser.test_console import browser, guard, page, sign_in_with_key  # noqa: F401 - fixtures
from tests.e2e.servers import cli, request
from tests.services.test_whatif import small_log  # noqa: F401 - a fixture

pytestmark = pytest.mark.browser
RLO = "\u202e"

# The left edges of the characters of `needle` as laid out, in logical order (in the first text node holding it).
LAYOUT_X = """([sel, needle]) => {
  const walker = document.createTreeWalker(document.querySelector(sel), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const i = node.data.indexOf(needle);
    if (i < 0) continue;
    const xs = [];
    for (let k = i; k < i + needle.length; k++) {
      const r = document.createRange(); r.setStart(node, k); r.setEnd(node, k + 1);
      xs.push(r.getBoundingClientRect().left);
    }
    return xs;
  }
  return null;
}"""


def laid_out_in_reading_order(page, sel: str, needle: str) -> bool:
    xs = page.evaluate(LAYOUT_X, [sel, needle])
    assert xs is not None, f"{needle!r} is not in {sel}"
    return all(a < b for a, b in zip(xs, xs[1:]))


def test_an_override_in_a_file_name_agent_or_campaign_does_not_reverse_the_audit_report(make_app):
    from playwright.sync_api import sync_playwright

    log = ("call_id,phone,called_at,campaign,agent_id\n"
           f"c{RLO}1,13800138000,2026-11-23T10:15:00+08:00,wm{RLO}x,A{RLO}7\n")
    rt = make_app().extensions["guard"]
    audit_id = audits.create(rt.store, "call_log", f"calls{RLO}.csv", len(log), rt.clock(), "test")
    audits.run_call_log(rt.store, rt.packs(), audit_id, io.BytesIO(log.encode()), len(log), rt.clock)
    view = audits.view(rt.store, audit_id)
    assert view["source"] == f"calls{RLO}.csv"  # kept as given
    html = audit_report.render(view, audits.iter_violations(rt.store, audit_id))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.set_content(html)
        assert laid_out_in_reading_order(page, "body > p.muted", "calls from")
        cells = [td.inner_text() for td in page.query_selector_all("#violations tbody tr:first-child td")]
        assert f"wm{RLO}x" in cells and f"A{RLO}7" in cells  # the values themselves are shown as they are
        brief = page.inner_text("#violations tbody tr:first-child td:last-child")
        assert RLO not in brief  # the sentence naming the campaign writes the control out
        browser.close()


# Where every character shown in an element is laid out, [line top, left edge], in logical order (directional controls and
# spaces skipped): in reading order each comes after the one before it, on the same line or a lower one.
CHARS_X = """(sel) => {
  const el = document.querySelector(sel);
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const xs = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let k = 0; k < node.data.length; k++) {
      if (/[\\s\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]/.test(node.data[k])) continue;
      const r = document.createRange(); r.setStart(node, k); r.setEnd(node, k + 1);
      const box = r.getBoundingClientRect();
      xs.push([node.data[k], [Math.round(box.top), box.left]]);
    }
  }
  return xs;
}"""


def test_an_override_in_one_customer_id_does_not_swap_the_customers_of_a_what_if_example(small_log, tmp_path):
    from playwright.sync_api import sync_playwright

    from guard.services import whatif
    from guard.services.whatif import report as whatif_report
    from tests.services.test_whatif import SH, tightened, write_draft

    app, _ = small_log
    rt = app.extensions["guard"]
    draft = whatif.draft_packs(rt.registry.good_documents(), whatif.read_draft(write_draft(tmp_path / "draft", tightened())), "cn-bank")
    report = whatif.simulate_decisions(rt.store, rt.packs(), draft, datetime(2026, 11, 2, tzinfo=SH), datetime(2026, 11, 7, tzinfo=SH))
    example = report["examples"]["allowed_to_denied:FREQ_CAP"][0]
    example["customer_ids"] = [f"C{RLO}1", "C2"]  # a customer id as a dialer sent it
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.set_content(whatif_report.render(report))
        cell = "h3 + table tbody tr:first-child td:nth-child(4)"
        shown = page.evaluate(CHARS_X, cell)
        assert "".join(c for c, _ in shown) == "C1,C2"
        assert all(a < b for (_, a), (_, b) in zip(shown, shown[1:])), shown  # C1 first, then C2: not "C2C,1"
        browser.close()


def test_an_override_in_a_key_label_does_not_reverse_the_console_lines_that_name_it(guard, page):
    # The signed-in line ("label · roles") and the blacklist's "added by" column ("label (key:id)") are sentences made of
    # a key's label and more: an override in the label reversed what follows it. The console writes the control out.
    key = cli(guard.env_, "keys", "create", "--role", "operator", "--label", f"王五{RLO}消保").stdout.strip()
    status, _ = request(guard.port, "PUT", "/v1/customers/C300", {"phones": ["13700137300"]}, key)
    assert status == 201
    reason = f"客户{RLO}说不要再打了"
    status, entry = request(guard.port, "POST", "/v1/blacklist", {"customer_id": "C300", "source": "customer_request", "reason": reason}, key)
    assert status == 201 and entry["reason"] == reason  # kept as given
    sign_in_with_key(page, guard, key, "#/customer/C300")
    page.locator("#blacklist-table tbody tr").first.wait_for()
    whoami = page.inner_text("#whoami")
    assert whoami.startswith("王五<U+202E>消保 · ") and RLO not in whoami, whoami
    shown = page.evaluate(CHARS_X, "#whoami")
    assert all(a < b for (_, a), (_, b) in zip(shown, shown[1:])), shown
    row = page.locator("#blacklist-table tbody tr").first
    assert "客户<U+202E>说不要再打了" in row.inner_text() and RLO not in row.inner_text()
    by = row.locator("td", has_text="王五")
    assert by.inner_text().startswith("王五<U+202E>消保 ("), by.inner_text()
    assert page.evaluate("(el) => el.textContent", by.element_handle()) == by.inner_text()
    cells = page.evaluate("""(el) => [...el.querySelectorAll('td')].map((td) => td.textContent)""", row.element_handle())
    for i, text in enumerate(cells):
        if "王五" in text:
            chars = page.evaluate(CHARS_X, f"#blacklist-table tbody tr:first-child td:nth-child({i + 1})")
            assert all(a < b for (_, a), (_, b) in zip(chars, chars[1:])), chars
