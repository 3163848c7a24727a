"""The reviewer's page in real headless Chromium (Debian's), against a real gunicorn guard."""

from __future__ import annotations

import shutil
from io import BytesIO

import pytest
from PIL import Image

from tests.e2e.servers import ROOT, GuardServer, cli

pytestmark = pytest.mark.browser
SCRIPT = ("您好，我是XX银行的理财经理。\n"
          "这款产品保本保息，而且零 風 險！\n"
          "名额有限，今天是最后一天，错过就没有了。")
ERROR_BG = (0xF8, 0xB4, 0xB4)
WARNING_BG = (0xFD, 0xE6, 0x8A)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("Debian's chromium is not installed (make test installs it: scripts/ensure-chromium.sh)")


@pytest.fixture(scope="module")
def guard(tmp_path_factory):
    from guard.store.migrate import upgrade

    url = f"sqlite:///{tmp_path_factory.mktemp('review') / 'guard.db'}"
    upgrade(url)
    env = {"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0"}
    key = cli(env, "keys", "create", "--role", "reviewer").stdout.strip()
    with GuardServer(env).start() as server:  # stopped also when the seeding below fails
        server.key = key
        yield server


@pytest.fixture
def page(guard):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"http://127.0.0.1:{guard.port}/review")
        yield page
        browser.close()


def _count(image: Image.Image, rgb: tuple[int, int, int], tolerance: int = 6) -> int:
    """Pixels within `tolerance` of the colour (counted per distinct colour, in C)."""
    colors = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
    return sum(n for n, px in colors if all(abs(a - b) <= tolerance for a, b in zip(px, rgb)))


def test_findings_are_highlighted_in_place_with_messages_and_suggestions(guard, page, tmp_path):
    page.fill("#key", guard.key)
    page.select_option("#product-type", "wealth")
    page.fill("#text", SCRIPT)
    before = Image.open(BytesIO(page.screenshot(full_page=True)))
    assert _count(before, ERROR_BG) == 0
    page.click("#lint")
    page.wait_for_selector("#verdict:not([hidden])")
    assert page.inner_text("#verdict") == "不通过 fail"
    marks = page.query_selector_all("#rendered mark")
    texts = {(m.inner_text(), m.get_attribute("class")) for m in marks}
    assert ("保本保息", "sev-error") in texts and ("零 風 險", "sev-error") in texts
    assert any(cls == "sev-warning" for _, cls in texts)
    # The rendered text is the original, untouched, with the marks in place.
    assert page.inner_text("#rendered") == SCRIPT
    items = page.query_selector_all("#findings li")
    assert len(items) >= 4 and any("建议" in (i.inner_text()) for i in items)
    assert any("整篇 whole script" in i.inner_text() for i in items)  # a missing disclosure
    # each finding says what its rule rests on (the pack's rationale: the statute or notice it cites)
    bases = page.query_selector_all("#findings li .basis")
    assert len(bases) == len(items) and any("广告法第二十五条（一）" in b.inner_text() for b in bases)
    assert all(b.inner_text().startswith("依据 Basis: ") for b in bases)
    shot = page.screenshot(full_page=True)
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "review-page.png").write_bytes(shot)  # kept for people to look at
    image = Image.open(BytesIO(shot))
    assert _count(image, ERROR_BG) > 500 and _count(image, WARNING_BG) > 200
    # Clicking a finding focuses its highlight.
    items[0].click()
    assert page.query_selector_all("#rendered mark.focus")


def test_the_key_is_asked_for_and_a_file_can_be_uploaded(guard, page, tmp_path):
    page.fill("#text", "保本保息")
    page.click("#lint")
    # The page asks the guard who is signed in (GET /v1/session) before it says a key is needed.
    page.locator("#error", has_text="API key").wait_for()
    assert "reviewer role" in page.inner_text("#error")
    page.fill("#key", "gk_wrong_key")
    page.click("#lint")
    page.locator("#error", has_text="401").wait_for()  # (no wait_for_function: the page's CSP forbids eval)
    page.fill("#key", guard.key)
    page.dispatch_event("#key", "change")
    script = tmp_path / "script.txt"
    script.write_bytes(b"\xef\xbb\xbf" + "您好，本次通话将被录音。本产品为存款，本金和利息受存款保险保障，50万元以内全额偿付。".encode())
    page.select_option("#product-type", "deposit")
    page.set_input_files("#file", str(script))
    page.wait_for_selector("#verdict:not([hidden])")
    assert page.inner_text("#verdict") == "通过 pass"
    assert page.inner_text("#rendered").startswith("您好，本次通话将被录音")
    page.reload()
    assert page.input_value("#key") == guard.key  # entered once per browser tab


# Real lines (tests/lint/real: dev_j j0079, thepaper.cn, mainland; dev_i i0275, a Hong Kong insurer's blog) as a bank's
# Windows export writes them: GBK and Big5. Read as UTF-8 they would be replacement characters, and lint clean. (The page's
# detector on 11,569 development lines saved as GBK and as Big5, bench/review_encoding.py: 11,490 read right, 36 in their
# encoding with a symbol decoded by browsers' Big5 table, 35 of 2-23 characters refused, 8 in the wrong encoding.)
MAINLAND = "存定期或者大额存单,超过3个月就送。存的越多,送的礼品越好,也可以自己挑选,礼品数量有限,送完即止。"
HONG_KONG = "儲蓄壽險的性質與定期存款相近,利用時間滾存保證現金,讓你在保單期滿時賺取期滿利益。"


@pytest.mark.parametrize("text, codec, product_type, shown", [(MAINLAND, "gbk", "deposit", "GB18030"),
                                                              (HONG_KONG, "big5", "insurance", "Big5")])
def test_a_gbk_or_big5_file_is_read_in_its_encoding_and_linted(guard, page, tmp_path, text, codec, product_type, shown):
    page.fill("#key", guard.key)
    page.dispatch_event("#key", "change")
    page.select_option("#product-type", product_type)
    script = tmp_path / f"{codec}.txt"
    script.write_bytes(text.encode(codec))
    page.set_input_files("#file", str(script))
    page.wait_for_selector("#verdict:not([hidden])")
    assert page.inner_text("#rendered") == text
    assert page.inner_text("#verdict") == "不通过 fail" and page.query_selector_all("#rendered mark.sev-error")
    assert shown in page.inner_text("#read-as")
    # named wrongly, the file is refused, not linted half-read
    page.select_option("#encoding", "utf-8")
    page.locator("#error", has_text="not valid UTF-8").wait_for()
    assert page.input_value("#text") == ""


# A list of customers' names and numbers as a Chinese input method types them (full-width digits), GBK and Big5: the
# guard reads such a file (guard/services/audits/encoding.py counts the hundred commonest surnames and full-width forms
# as Chinese text), and so must the page, which counts the same characters (pages/console/chinese.js, generated from it).
NAMES_MAINLAND = "王伟　１３９００１３９０００\n李娜　１３８００１３８０００\n张敏　１３７００１３７０００\n刘洋　１３６００１３６０００\n"
NAMES_TAIWAN = "陳志明　０９１２３４５６７８\n林美玲　０９２２３３３４４４\n黃建國　０９３３１２３１２３\n張淑芬　０９５５６６６７７７\n"
DIGITS = "１３９００１３９０００\n１３８００１３８０００\n"


@pytest.mark.parametrize("text, codec, told, shown", [(NAMES_MAINLAND, "gbk", "gb18030", "GB18030"),
                                                      (NAMES_TAIWAN, "big5", "big5hkscs", "Big5"),
                                                      (DIGITS, "gbk", "gb18030", "GB18030"),
                                                      (DIGITS, "big5", "big5hkscs", "Big5")],
                         ids=["gbk-names", "big5-names", "gbk-digits", "big5-digits"])
def test_a_file_of_names_or_full_width_digits_is_read_in_its_encoding_as_the_guard_reads_it(guard, page, tmp_path, text,
                                                                                             codec, told, shown):
    from guard.services.audits.encoding import detect

    data = text.encode(codec)
    assert detect(BytesIO(data)) == told  # the guard's reading of the same bytes
    page.fill("#key", guard.key)
    page.dispatch_event("#key", "change")
    script = tmp_path / f"names-{codec}.txt"
    script.write_bytes(data)
    page.set_input_files("#file", str(script))
    page.wait_for_selector("#verdict:not([hidden])")
    assert page.input_value("#text") == text
    assert shown in page.inner_text("#read-as")


def test_a_taiwan_browser_gets_the_page_in_traditional_chinese_and_it_still_lints(guard):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), headless=True, args=["--no-sandbox"])
        page = browser.new_page(locale="zh-TW")
        page.goto(f"http://127.0.0.1:{guard.port}/review")
        assert page.evaluate("document.documentElement.lang") == "zh-TW" and page.title().startswith("話術審核")
        page.fill("#key", guard.key)
        page.select_option("#product-type", "wealth")
        page.fill("#text", SCRIPT)
        page.click("#lint")  # the page's scripts run under its CSP: their hashes are those of the page served
        page.wait_for_selector("#verdict:not([hidden])")
        assert page.inner_text("#verdict") == "不通過 fail"
        assert any("建議" in i.inner_text() for i in page.query_selector_all("#findings li"))
        browser.close()


def test_a_file_whose_encoding_cannot_be_told_asks_for_it(guard, page, tmp_path):
    page.fill("#key", guard.key)
    page.dispatch_event("#key", "change")
    script = tmp_path / "utf16.txt"  # UTF-16 without a byte-order mark
    script.write_bytes("这款理财保本保息".encode("utf-16-le"))
    page.set_input_files("#file", str(script))
    page.locator("#error", has_text="Cannot tell the encoding").wait_for()
    assert page.input_value("#text") == "" and page.is_hidden("#verdict")


def test_without_a_product_type_the_campaigns_types_or_every_rule_apply(guard, page):
    page.fill("#key", guard.key)
    page.dispatch_event("#key", "change")
    assert page.input_value("#product-type") == ""  # from the campaign / all, unless chosen
    page.fill("#campaign", "")
    page.fill("#text", "这款理财保本保息，零风险")
    page.click("#lint")
    page.locator("#policy", has_text="全部规则 every rule").wait_for()
    assert page.inner_text("#verdict") == "不通过 fail"
    page.fill("#campaign", "dep-2026q4")  # a deposit campaign: linted as a deposit script
    page.click("#lint")
    page.locator("#policy", has_text="product types: deposit").wait_for()
    assert page.inner_text("#verdict") == "警告 warn"
    page.fill("#campaign", "ins-2026q4")  # saved for the insurance campaign: linted as insurance, cannot be approved
    page.click("#save")
    page.locator("#versions tbody tr").first.wait_for()
    row = page.inner_text("#versions tbody tr")
    assert "insurance" in row and "不可审批" in row and page.inner_text("#verdict") == "不通过 fail"
    page.select_option("#product-type", "deposit")  # a type the campaign does not sell
    page.click("#save")
    page.locator("#save-error", has_text="product_type").wait_for()
    assert "insurance" in page.inner_text("#save-error")


def test_a_learned_scorer_finding_is_highlighted_as_a_warning_on_its_sentence(guard, page):
    """A real passage officers flagged that only the learned scorer finds: its sentence is marked as a
    warning and its finding names the rule and the n-grams that weighed most."""
    from guard.core.lint import compile_rules
    from guard.core.lint_scorer import SCORER_RULE
    from policies.lint_docs import shipped_pack
    from tests.lint.real_corpus import PHRASE_CODES, load

    linter = compile_rules(shipped_pack())
    item, found = next((i, f) for i in load("dev_d") if i.label == "flag"
                       for f in [[x for x in linter.lint(i.text, None).findings if x.code in PHRASE_CODES]]
                       if f and {x.rule for x in f} == {SCORER_RULE})
    page.fill("#key", guard.key)
    page.select_option("#product-type", "")
    page.fill("#text", item.text)
    page.click("#lint")
    page.wait_for_selector("#verdict:not([hidden])")
    marks = [(m.inner_text(), m.get_attribute("class")) for m in page.query_selector_all("#rendered mark")]
    assert marks == [(f.matched, "sev-warning") for f in found]
    listed = page.inner_text("#findings")
    assert SCORER_RULE in listed and "权重最大的字词" in listed


def test_a_transcripts_customer_turns_are_greyed_and_counted_not_linted(guard, page):
    """The customer's 保本保息的吗？ draws no finding; its turn is shown greyed, the summary counts it, the
    seller's 零风险 is marked."""
    text = "坐席：您好，本次通话将被录音。\n客户：你们这个理财是保本保息的吗？\n坐席：放心，这款理财零风险。"
    page.fill("#key", guard.key)
    page.select_option("#product-type", "wealth")
    page.fill("#text", text)
    page.click("#lint")
    page.wait_for_selector("#verdict:not([hidden])")
    assert [m.inner_text() for m in page.query_selector_all("#rendered mark")] == ["零风险"]
    assert [s.inner_text() for s in page.query_selector_all("#rendered span.unlinted")] == ["客户：你们这个理财是保本保息的吗？"]
    assert page.inner_text("#rendered") == text
    assert "1 customer turn not linted" in page.inner_text("#summary")
    shot = page.screenshot(full_page=True)
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "review-page-transcript.png").write_bytes(shot)  # kept for people to look at
    assert _count(Image.open(BytesIO(shot)), (0xE5, 0xE7, 0xEB), tolerance=2) > 500


def test_a_reviewer_judges_a_stored_versions_findings_and_sees_them_when_the_version_is_opened(guard, page):
    """Two real published passages (tests/services/test_judgements.py names their sources and the officer's labels): the
    reviewer marks the adviser's explanation of principal-protected notes a false alarm, with a note; the judgement is
    stored (the API lists it) and shown again when the version is opened later. The verdict stays fail."""
    import json
    import urllib.request

    from tests.services.test_judgements import EXPLAINER, SCRIPT

    page.fill("#key", guard.key)
    page.dispatch_event("#key", "change")
    page.select_option("#product-type", "")
    page.fill("#campaign", "wm-2026q4")
    page.fill("#text", SCRIPT)
    page.click("#save")
    page.locator("#versions tbody tr").first.wait_for()
    assert page.inner_text("#verdict") == "不通过 fail"
    boxes = page.locator("#findings li .judge")
    assert boxes.count() == len(page.query_selector_all("#findings li"))  # every finding of a stored version
    at = SCRIPT.index(EXPLAINER) + EXPLAINER.index("保本")
    box = page.locator(f'#findings li .judge[data-finding^="guarantee.no_loss_wording@{at}-"]')
    box.locator("input").fill("讲解保本产品的风险，并非承诺")
    box.locator("button.false_alarm").click()
    box.locator(".judged", has_text="已记录 recorded: 误报 false alarm").wait_for()
    # beside every finding of the rule, its record on this bank's scripts (read again after the judgement)
    record = page.locator('#findings li[data-rule="guarantee.no_loss_wording"] .rule-record')
    record.first.filter(has_text="误报 false alarms 1").wait_for()
    assert record.count() == 2 and all("属实 confirmed 0" in t for t in record.all_inner_texts())
    assert page.locator('#findings li[data-rule="guarantee.principal_and_interest"] .rule-record').count() == 0  # not judged yet
    script_id = page.get_attribute("#versions tbody tr", "data-script")
    request = urllib.request.Request(f"http://127.0.0.1:{guard.port}/v1/scripts/{script_id}/judgements",
                                     headers={"Authorization": f"Bearer {guard.key}"})
    with urllib.request.urlopen(request, timeout=10) as r:
        stored = json.loads(r.read())["judgements"]
    assert [(j["rule"], j["start"], j["judgement"], j["note"]) for j in stored] == \
        [("guarantee.no_loss_wording", at, "false_alarm", "讲解保本产品的风险，并非承诺")]
    # later: the page opened afresh, the version opened from the list, the judgement shown beside its finding
    page.reload()
    page.fill("#campaign", "wm-2026q4")
    page.click("#list")
    page.locator("#versions tbody tr button.open").first.click()
    box = page.locator(f'#findings li .judge[data-finding^="guarantee.no_loss_wording@{at}-"] .judged')
    box.filter(has_text="最近 latest: 误报 false alarm").wait_for()
    assert "讲解保本产品的风险" in box.inner_text()
    assert page.inner_text("#verdict") == "不通过 fail" and page.inner_text("#rendered") == SCRIPT
    # the pack owner's view: each rule's findings as judged, the least precise first
    page.click("#precision")
    page.locator("#rule-precision tbody tr").first.wait_for()
    first = [td.inner_text() for td in page.query_selector_all("#rule-precision tbody tr:first-child td")]
    assert first == ["guarantee.no_loss_wording", "1", "0", "1", "0", "0.00"]
    # a new version that keeps the explanation shows, beside the finding on the same words, the false alarm judged on
    # the earlier version (the finding itself is this version's, to judge again or not)
    page.fill("#text", "您好，开场白改过了。\n" + SCRIPT)
    page.click("#save")
    moved = at + len("您好，开场白改过了。\n")
    earlier = page.locator(f'#findings li .judge[data-finding^="guarantee.no_loss_wording@{moved}-"] .earlier')
    earlier.filter(has_text="误报 false alarm").wait_for()
    assert "此前版本 earlier version v" in earlier.inner_text() and "讲解保本产品的风险" in earlier.inner_text()
    assert page.locator("#findings li .judge .earlier").count() == 1  # the one judged, no other finding
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "review-page-judgements.png").write_bytes(page.screenshot(full_page=True))  # kept for people to look at


def test_a_phone_wide_page_keeps_its_findings_inside_the_screen(guard, page):
    """At 390 px, findings whose basis names long file paths (the learned scorer's) wrap instead of widening the page."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.fill("#key", guard.key)
    page.select_option("#product-type", "deposit")
    page.fill("#text", "您好，本产品保本保息，收益率高达8%。")
    page.click("#lint")
    page.wait_for_selector("#verdict:not([hidden])")
    assert "learned.sales_claim" in page.inner_text("#findings")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_a_phone_wide_page_keeps_the_versions_table_inside_the_screen(guard, page):
    """At 390 px the versions list (six columns, an approval button, an open button) stays inside the screen: the page
    never scrolls sideways, and a wide table scrolls within its own box."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.fill("#key", guard.key)
    page.dispatch_event("#key", "change")
    page.select_option("#product-type", "")
    page.fill("#campaign", "wm-2026q4")
    page.fill("#text", "您好，本次通话将被录音。这款理财产品风险等级R2，业绩比较基准为年化3.2%，业绩比较基准不代表未来表现和实际收益。"
                       "理财非存款、产品有风险、投资须谨慎。")
    page.click("#save")
    page.locator("#versions tbody tr").first.wait_for()
    assert page.locator("#versions tbody tr button.open").count() >= 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    box = page.evaluate("() => { const r = document.getElementById('versions').parentElement.getBoundingClientRect(); "
                        "return [r.left, r.right]; }")
    assert box[0] >= 0 and box[1] <= 390  # the table's own box: what does not fit scrolls inside it


def test_a_directional_override_in_a_script_is_shown_where_it_is_not_obeyed(guard, page):
    # 本产品 + U+202E + 险风零 is laid out as 本产品零风险 (Unicode UAX #9 §2.2: an override reverses what follows it, the
    # "Trojan Source" spoofing, CVE-2021-42574), while the text the linter reads says 险风零. The reviewer sees the control
    # written out at its place and the words in the order they are stored, so that what is approved is what is read.
    script = "本产品\u202e险风零\u202c，投资有风险。"
    page.fill("#key", guard.key)
    page.select_option("#product-type", "wealth")
    page.fill("#text", script)
    page.click("#lint")
    page.wait_for_selector("#verdict:not([hidden])")
    shown = page.inner_text("#rendered")
    assert shown == "本产品<U+202E>险风零<U+202C>，投资有风险。", shown
    assert page.input_value("#text") == script  # the script itself is kept as written
    xs = page.evaluate("""() => {
      const out = [];
      const walker = document.createTreeWalker(document.getElementById("rendered"), NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode())
        for (let k = 0; k < node.data.length; k++) {
          const r = document.createRange(); r.setStart(node, k); r.setEnd(node, k + 1);
          const box = r.getBoundingClientRect();
          out.push([Math.round(box.top), box.left]);
        }
      return out;
    }""")
    assert all(a < b for a, b in zip(xs, xs[1:])), xs  # every character in reading order: 险风零, not 零风险


def test_a_stored_version_with_lone_cr_line_ends_is_shown_on_the_lines_its_findings_name(guard, page):
    """A script stored through the API from an old Mac export ends its lines with a bare CR; the guard counts them as
    line ends (the finding says line 2), so the page must show the finding on the second line, not run the text
    into one line (HTML draws a lone CR as a space)."""
    import json
    import urllib.request

    text = "您好，这里是XX银行的理财经理。\r本产品保本保息😀，欢迎了解。"
    request = urllib.request.Request(
        f"http://127.0.0.1:{guard.port}/v1/scripts", method="POST",
        data=json.dumps({"campaign": "wm-2026q4", "text": text}).encode(),
        headers={"Authorization": f"Bearer {guard.key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as r:
        finding = next(f for f in json.loads(r.read())["findings"] if f["matched"] == "保本保息")
    assert (finding["line"], finding["column"]) == (2, 4)
    page.fill("#key", guard.key)
    page.dispatch_event("#key", "change")
    page.fill("#campaign", "wm-2026q4")
    page.click("#list")
    page.locator("#versions tbody tr button.open").first.click()
    mark = page.locator("#rendered mark", has_text="保本保息")
    mark.wait_for()
    first = page.evaluate("() => { const r = document.createRange(); const t = document.querySelector('#rendered').firstChild;"
                          " r.setStart(t, 0); r.setEnd(t, 1); return r.getBoundingClientRect().top; }")
    assert mark.bounding_box()["y"] > first + 10  # below the first line


def test_a_pass_under_a_pack_without_phrase_rules_says_no_wording_was_judged(guard, page):
    page.fill("#key", guard.key)
    page.fill("#pack", "us-tcpa")
    page.fill("#text", SCRIPT)
    page.click("#lint")
    page.wait_for_selector("#verdict:not([hidden])")
    assert page.inner_text("#verdict").startswith("通过")
    assert "没有适用于" in page.inner_text("#summary .lint-note") and "us-tcpa" in page.inner_text("#summary")
    # the list of versions said 通过 pass and 已审批 approved with nothing more: the stored verdict's notes and the
    # approval's notes (the API's `notes`, `approval_notes`) now stand beside them
    page.on("dialog", lambda d: d.accept())
    page.fill("#campaign", "us-cc-2026")
    page.click("#save")
    page.locator("#versions tbody tr button.approve").click()
    page.locator("#versions tbody tr td.approved").wait_for()
    row = page.locator("#versions tbody tr").first
    assert row.locator('[data-note="NO_PHRASE_RULES"]').count() == 2
    assert "没有适用于 信用卡" in row.locator("td.approved .lint-note").inner_text()
