"""The audit report in real headless Chromium: it renders offline, with its charts and table."""

from __future__ import annotations

import io
from io import BytesIO

import pytest
from PIL import Image

from guard.services import audits
from guard.services.audits import report as audit_report
from tests.browser.test_review_page import _chromium, _count
from tests.e2e.servers import ROOT

pytestmark = pytest.mark.browser
LOG = "call_id,phone,called_at,campaign,agent_id\n" + "".join(
    f"c{i},1380013{i:04d},2026-11-{2 + i % 5:02d}T{(7 + i % 16):02d}:15:00+08:00,{'dep-2026q4' if i % 3 else 'wm-2026q4'},A{i % 6}\n"
    for i in range(120)
)
RED = (0xDC, 0x26, 0x26)
BLUE = (0x25, 0x63, 0xEB)


def test_the_report_renders_offline_with_charts(make_app, tmp_path):
    from playwright.sync_api import sync_playwright

    app = make_app()
    rt = app.extensions["guard"]
    audit_id = audits.create(rt.store, "call_log", "calls.csv", len(LOG), rt.clock(), "test")
    audits.run_call_log(rt.store, rt.packs(), audit_id, io.BytesIO(LOG.encode()), len(LOG), rt.clock)
    html = audit_report.render(audits.view(rt.store, audit_id), audits.iter_violations(rt.store, audit_id))
    page_file = tmp_path / "report.html"
    page_file.write_text(html, encoding="utf-8")
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_file.as_uri())
        assert page.title().startswith("Compliance audit")
        bars = {chart: len(page.query_selector_all(f"#{chart} svg rect")) for chart in ("chart-code", "chart-agent", "chart-hour")}
        assert bars["chart-code"] >= 3 and bars["chart-agent"] == 6 and bars["chart-hour"] == 24
        assert len(page.query_selector_all("#violations tbody tr")) == audits.view(rt.store, audit_id)["summary"]["violations"]
        assert "Calls judged" in page.inner_text(".cards") and "120" in page.inner_text(".cards")
        shot = page.screenshot(full_page=True)
        browser.close()
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "audit-report.png").write_bytes(shot)
    image = Image.open(BytesIO(shot))
    assert _count(image, RED) > 1000 and _count(image, BLUE) > 300  # the bars are drawn
    assert requests == [page_file.as_uri()]  # nothing fetched from anywhere else


LOG_ZONES = ("call_id,phone,called_at,campaign,agent_id\n"
             + "".join(f"b{i},1390013{i:04d},2026-11-23T{(7 + i % 15):02d}:30:00+08:00,dep-2026q4,A{i % 3}\n" for i in range(30))
             + "ny1,+12125550123,2026-11-27T10:00:00-05:00,us-dep-2026,N1\n"
             + "x1,13700137000,yesterday,dep-2026q4,A1\n"
             + "x2,13700137001,2026-11-23T10:00:00,dep-2026q4,A1\n"
             + "x3,13700137002\n")


def test_the_report_shows_local_times_rejected_rows_and_unchecked_calls_apart(make_app):
    from playwright.sync_api import sync_playwright

    app = make_app()
    rt = app.extensions["guard"]
    audit_id = audits.create(rt.store, "call_log", "zones.csv", len(LOG_ZONES), rt.clock(), "test")
    summary = audits.run_call_log(rt.store, rt.packs(), audit_id, io.BytesIO(LOG_ZONES.encode()), len(LOG_ZONES), rt.clock)
    assert summary["calls_judged"] == 31 and summary["calls_unchecked"] == 31 and 0 < summary["calls_breaking_rules"] < 31
    html = audit_report.render(audits.view(rt.store, audit_id), audits.iter_violations(rt.store, audit_id))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_content(html)
        header = page.inner_text("#violations thead")
        assert "UTC" not in header and "local time" in header
        times = {row.query_selector("td:nth-child(2)").inner_text(): row.query_selector("td.when").inner_text()
                 for row in page.query_selector_all("#violations tbody tr")}
        assert times["ny1"] == "2026-11-27 10:00:00 -05:00 America/New_York"
        assert times["b0"] == "2026-11-23 07:30:00 +08:00 Asia/Shanghai"
        assert all(t.endswith(("Asia/Shanghai", "America/New_York")) for t in times.values())
        # The two headline figures, apart, with their shares of the calls judged.
        rules, unchecked = page.inner_text("#fig-rules"), page.inner_text("#fig-unchecked")
        assert rules.startswith(str(summary["calls_breaking_rules"])) and "Calls that broke a rule" in rules
        assert f"{summary['calls_breaking_rules'] * 100 / 31:.1f} % of calls judged" in rules
        assert unchecked.startswith("31") and "Unchecked calls" in unchecked and "100.0 % of calls judged" in unchecked
        assert "of calls broke a rule" not in page.inner_text("body")
        rejects = [r.inner_text().split("\t") for r in page.query_selector_all("#rejects tbody tr")]
        assert [r[0] for r in rejects] == ["33", "34", "35"]
        assert rejects[0][1].startswith("called_at:") and "the header has 5" in rejects[2][1]
        page.set_viewport_size({"width": 1280, "height": 900})
        shot = page.screenshot(full_page=True)
        browser.close()
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "audit-report-zones.png").write_bytes(shot)


# Both reports are self-contained files: downloaded and opened from disk (file://), or opened by the console as a
# blob: URL, they are shown without the answer's Content-Security-Policy header. The policy travels inside them now,
# so that whatever a call log or a draft pack smuggled past the escaping still runs no script in Chromium.
INLINE_SCRIPT_RUNS = """() => {
  const s = document.createElement("script");
  s.textContent = "window.__ran = 1";
  document.head.appendChild(s);
  return window.__ran === 1;
}"""


def test_the_reports_opened_from_disk_run_no_script(make_app, tmp_path):
    from playwright.sync_api import sync_playwright

    from guard.services.whatif.report import render as whatif_render

    app = make_app()
    rt = app.extensions["guard"]
    audit_id = audits.create(rt.store, "call_log", "calls.csv", len(LOG), rt.clock(), "test")
    audits.run_call_log(rt.store, rt.packs(), audit_id, io.BytesIO(LOG.encode()), len(LOG), rt.clock)
    pages = {"audit.html": audit_report.render(audits.view(rt.store, audit_id), audits.iter_violations(rt.store, audit_id)),
             "whatif.html": whatif_render({"kind": "calls", "judged": 0, "draft": [], "changes": {}})}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), headless=True, args=["--no-sandbox"])
        page = browser.new_page()
        for name, html in pages.items():
            (tmp_path / name).write_text(html, encoding="utf-8")
            page.goto((tmp_path / name).as_uri())
            assert page.evaluate(INLINE_SCRIPT_RUNS) is False, name
        # The same check is able to see a script run: a page without the policy runs it.
        (tmp_path / "plain.html").write_text("<!doctype html><title>plain</title>", encoding="utf-8")
        page.goto((tmp_path / "plain.html").as_uri())
        assert page.evaluate(INLINE_SCRIPT_RUNS) is True
        browser.close()
