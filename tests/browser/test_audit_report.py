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
