"""A customer id in another spelling of the same id (UAX #15 NFKC, UAX #31 / UTS #39 default-ignorables) is refused, so a
blacklist entry on C100 cannot be passed by asking about Ｃ１００ or C<ZWSP>100 (guard/core/ids.py)."""

from __future__ import annotations

import pytest

from tests.suppression.conftest import codes


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_blacklisted_customer_cannot_be_checked_under_a_full_width_or_invisible_spelling(api, client):
    client.post("/v1/blacklist", json={"customer_id": "C100", "source": "customer_request"}, headers=client.operator)
    assert codes(api.check("13800138001", customer_id="C100", dry_run=True)) == ["DNC_OPT_OUT"]
    for variant in ("Ｃ１００", "C\u200b100", "\ufeffC100"):
        refused = api.check("13800138001", customer_id=variant, dry_run=True, status=400)["error"]
        assert refused["details"][0]["field"] == "customer_id" and "NFKC" in refused["message"], refused
        assert "全角" in refused["messages"]["zh-CN"]
        filed = client.post("/v1/complaints", json={"customer_id": variant, "severity": "light"}, headers=client.operator)
        assert filed.status_code == 400, filed.json
    path = client.get("/v1/blacklist/customers/%EF%BC%A3100", headers=client.operator)  # Ｃ100 in the path
    assert path.status_code == 400 and path.json["error"]["details"][0]["field"] == "customer_id", path.json
