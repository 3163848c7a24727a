"""A server clock that steps back (an NTP correction, a VM resumed from a snapshot) or app hosts that
disagree by a few seconds must never let through a call the caps or the suppressions forbid.

RFC 5905 §10 has NTP step a clock whose offset exceeds 128 ms instead of slewing it, and chrony's
`makestep` does the same, backwards too: "now" on one host can be before an instant another host
(or this one, a moment ago) recorded. SQLite only: nothing here is store-specific.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.suppression.conftest import codes

PHONE = "13800138000"


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_after_the_clock_steps_back_the_attempt_still_counts_and_the_mute_still_mutes(api, client):
    assert api.check(PHONE)["allowed"]
    api.later(seconds=-30)  # stepped back: the attempt just recorded is 30 s "in the future"
    assert codes(api.check(PHONE)) == ["FREQ_CAP"]
    api.later(seconds=30)
    api.customer("M1", ["13900139000"])
    for _ in range(2):  # cn-bank mutes after 2 complaints within 180 days
        r = client.post("/v1/complaints", json={"customer_id": "M1", "severity": "light", "category": "outbound call"},
                        headers=client.operator)
        assert r.status_code == 201, r.json
    assert r.json["effects"]["mute_id"]
    api.later(seconds=-30)
    assert "MUTED" in codes(api.check("13900139000"))
    o = client.get("/v1/customers/M1/overview", headers=client.operator)
    assert o.json["mute"]["muted"] is True, o.json["mute"]  # what the operator is shown is what the check does
    r = client.post("/v1/check/batch", json={"campaign": "dep-2026q4", "phones": ["13900139000"]}, headers=client.dialer)
    assert "MUTED" in [x["code"] for x in r.json["results"][0]["reasons"]], r.json


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_dialer_clock_behind_the_guards_still_reports_its_do_not_call(api):
    d = api.check(PHONE)
    # The dialer's clock is 30 s behind the deciding host's (the check allows 5 minutes): its 10 s call "ended" 20 s
    # before the decision. The report is kept; what it creates takes effect at the decision's instant.
    ended = (api.clock.now - timedelta(seconds=20)).isoformat()
    out = api.outcome(d["decision_id"], "do_not_call", ended_at=ended)
    assert out["effects"]["blacklist"]
    api.later(days=2)
    assert "DNC_OPT_OUT" in codes(api.check(PHONE))


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_an_event_given_no_time_on_a_host_behind_the_one_that_filed_the_complaint_is_recorded(api, client):
    r = client.post("/v1/complaints", json={"phone": PHONE, "severity": "light", "category": "outbound call"}, headers=client.operator)
    assert r.status_code == 201, r.json
    api.later(seconds=-2)  # the next request lands on a host 2 s behind
    e = client.post(f"/v1/complaints/{r.json['id']}/events", json={"type": "first_response", "note": "以后不要再打了"},
                    headers=client.operator)
    assert e.status_code == 201, e.json
    assert e.json["first_response_at"] == r.json["received_at"]  # not before the complaint was received
    assert "DNC_OPT_OUT" in codes(api.check(PHONE))


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_withdrawal_given_no_time_is_recorded_when_the_consents_given_at_is_a_moment_ahead(api, client):
    given = (api.clock.now + timedelta(minutes=1)).isoformat()  # the operator's clock 1 minute ahead (5 are allowed)
    c = client.post("/v1/consents", json={"source": "credit_card_application", "given_at": given, "phone": PHONE},
                    headers=client.operator)
    assert c.status_code == 201, c.json
    r = client.post(f"/v1/consents/{c.json['consent_id']}/withdraw", json={"via": "hotline"}, headers=client.operator)
    assert r.status_code == 200, r.json  # was 400 "withdrawn_at must not be before the consent was given", unasked
    assert r.json["withdrawn_at"] == c.json["given_at"] and r.json["withdrawn_via"] == "hotline"
    api.later(minutes=2)
    assert "CONSENT_MISSING" in codes(api.check(PHONE))


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_number_blacklisted_a_moment_ago_is_blocked_on_lookup_after_the_clock_steps_back(api, client):
    r = client.post("/v1/blacklist", json={"phone": PHONE, "source": "customer_request"}, headers=client.operator)
    assert r.status_code == 201, r.json
    api.later(seconds=-30)
    assert "DNC_OPT_OUT" in codes(api.check(PHONE))
    lookup = client.get(f"/v1/blacklist/{PHONE}", headers=client.operator)
    assert lookup.json["blocked"] is True and lookup.json["codes"] == ["DNC_OPT_OUT"], lookup.json
