"""US state rules of the us-tcpa pack checked against their sources, through /v1/check.

Sources, each cited where the rule is tested:
- Louisiana: La. R.S. 45:811(2)-(3) (Consumer Telemarketing Protection Act of 1991): unlawful to use ADAD
  equipment "or to use a live operator" to make sales calls other than between 8:00 a.m. and 8:00 p.m.,
  Monday through Saturday, or on a state holiday or a Sunday (text read at https://lawserver.com/?p=30183792).
- Washington: RCW 80.36.390 as amended by ESHB 1497 (2022), in force 2022-06-09: telephone solicitation only
  between 8:00 a.m. and 8:00 p.m. at the called party's location (read in the Davis Wright Tremaine note
  https://www.dwt.com/blogs/family-business-resource-center/2022/08/washington-tcpa-telemarketing-restrictions-law);
  the same hours for commercial telephone solicitors in RCW 19.158.040(2)
  (https://app.leg.wa.gov/RCW/default.aspx?cite=19.158.040).
"""

from __future__ import annotations

import pytest

from tests.conftest import PACKS, new_key

LA = "+15045550123"  # area code 504: New Orleans, Louisiana
WA = "+12065550123"  # area code 206: Seattle, Washington
NY = "+12125550123"  # 212: New York City


@pytest.fixture
def client(make_app, tmp_path):
    app = make_app(GUARD_POLICY_DIR=str(PACKS), GUARD_DATA_DIR=str(tmp_path / "data"))
    c = app.test_client()
    c.h = new_key(app, "admin")
    return c


def check(client, phone, at, **extra) -> dict:
    r = client.post("/v1/check", json={"phone": phone, "campaign": "us-dep-2026", "dry_run": True, "at": at, **extra},
                    headers=client.h)
    assert r.status_code == 200, r.json
    return r.json


def codes(d: dict) -> list[str]:
    return [r["code"] for r in d["reasons"]]


def test_louisiana_stops_at_8_pm_monday_to_saturday(client):
    # La. R.S. 45:811(2)-(3), https://lawserver.com/?p=30183792
    late = check(client, LA, "2026-11-23T20:30:00-06:00")  # Monday 20:30 in New Orleans
    assert codes(late) == ["QUIET_HOURS"] and late["reasons"][0]["detail"]["state"] == "LA"
    assert late["next_allowed_at"] == "2026-11-24T08:00:00-06:00"
    saturday = check(client, LA, "2026-11-28T20:00:00-06:00")  # Saturday 20:00: the window is [08:00, 20:00)
    assert codes(saturday) == ["QUIET_HOURS"] and saturday["next_allowed_at"] == "2026-11-30T08:00:00-06:00"  # not Sunday
    assert check(client, LA, "2026-11-23T19:59:00-06:00")["allowed"]
    assert check(client, NY, "2026-11-23T20:30:00-05:00")["allowed"]  # the TCPA's 9 p.m. elsewhere


def test_a_number_of_washington_state_is_tied_to_washington():
    """phonenumbers' geocoder writes "Washington State" for WA area codes, not "Washington"."""
    from guard.core.phones import parse_phone

    assert parse_phone(WA, "US").state == "WA"
    assert parse_phone("+12025550123", "US").state == "DC"  # "Washington D.C."


def test_washington_stops_at_8_pm(client):
    # RCW 80.36.390 as amended by ESHB 1497 (2022); RCW 19.158.040(2)
    late = check(client, WA, "2026-11-23T20:30:00-08:00")  # Monday 20:30 in Seattle
    assert codes(late) == ["QUIET_HOURS"] and late["reasons"][0]["detail"]["state"] == "WA"
    assert late["next_allowed_at"] == "2026-11-24T08:00:00-08:00"
    assert check(client, WA, "2026-11-22T19:30:00-08:00")["allowed"]  # Sunday: no day of the week is barred
    # A customer who records Washington as home is judged by it on another state's number too.
    assert client.put("/v1/customers/wa1", json={"phones": [NY], "region": "US", "state": "WA"}, headers=client.h).status_code == 201
    d = check(client, NY, "2026-11-23T20:30:00-05:00")
    assert codes(d) == ["QUIET_HOURS"] and d["reasons"][0]["detail"]["state"] == "WA"
