"""The customer page shows consents and where the numbers came from, with their withdrawals, in real Chromium."""

from __future__ import annotations

import pytest

from tests.browser.test_console import browser, guard, page, shoot, sign_in  # noqa: F401 - fixtures shared
from tests.e2e.servers import request

pytestmark = pytest.mark.browser


def test_the_customer_page_shows_consent_and_provenance_history(guard, page):  # noqa: F811
    op = guard.keys["operator"]
    port = guard.port
    assert request(port, "PUT", "/v1/customers/C200", {"phones": ["13700137000"]}, op)[0] == 201
    status, card = request(port, "POST", "/v1/consents", {"customer_id": "C200", "source": "credit_card_application",
                                                          "given_at": "2026-03-01T10:00:00+08:00", "text_version": "v3",
                                                          "evidence_ref": "CC-0301-77", "expires_at": "2027-02-28"}, op)
    assert status == 201
    status, app_consent = request(port, "POST", "/v1/consents", {"phone": "13700137000", "source": "app",
                                                                 "given_at": "2026-04-01T10:00:00+08:00"}, op)
    assert status == 201
    assert request(port, "POST", f"/v1/consents/{app_consent['consent_id']}/withdraw", {"via": "hotline"}, op)[0] == 200
    sign_in(page, guard, "operator", "#/customer/C200")
    page.locator("#consent-table").wait_for()
    rows = page.locator("#consent-table tbody tr")
    assert rows.count() == 2
    text = page.inner_text("#consents")
    assert "营销授权与号码来源" in text and "信用卡申请" in text and "手机银行/APP" in text
    assert "已撤回" in text and "客服热线" in text and "CC-0301-77" in text and "v3" in text
    assert "有效期至" in text and "2027-02-28" in text, "the expiry, as the day written (the consent table had no expiry column)"
    shoot(page, "consents")
