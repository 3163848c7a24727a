"""Jurisdiction, US state law, where a callee's zone comes from, and which numbers are targets:
each rule through the public API, and the scrub and the audit judging the same way.

Sources, each cited where the rule is tested:
- TCPA, 47 CFR 64.1200(c)(1): no solicitation before 8 a.m. or after 9 p.m. at the called party's location.
- Florida: Fla. Stat. § 501.616(6)(a)-(b) as amended by Ch. 2021-185 (SB 1120): 8 a.m.-8 p.m.; at most
  three calls in 24 hours on the same subject.
- Alabama: Ala. Admin. Code r. 770-X-5-.17(1)(b): no solicitation calls on Sundays or holidays; 8 a.m.-8 p.m.
- Kaliningrad: UTC+2 all year since 26 October 2014 (Federal Law No. 107-FZ as amended 21 July 2014).
- Indonesia: three zones, WIB (UTC+7), WITA (UTC+8), WIT (UTC+9) (Keputusan Presiden No. 41 Tahun 1987).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import PACKS, new_key

FL = "+13055550123"  # area code 305: Miami, Florida
NY = "+12125550123"  # 212: New York City
AL = "+12055550123"  # 205: Birmingham, Alabama
CN = "13900139000"


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    """The shipped packs, plus `intl` (the US rules for Russian and Indonesian numbers, with the
    shipped zone corrections) to prove the corrections through the API."""
    target = tmp_path / "packs"
    shutil.copytree(PACKS, target)
    us = yaml.safe_load((target / "us-tcpa-2026.1.yaml").read_text(encoding="utf-8"))
    intl = {**us, "id": "intl", "version": "1", "country": "RU", "countries": ["RU", "ID"], "region": "RU", "timezone": "Europe/Moscow",
            "states": {}, "holidays": {"calendar": "RU", "block": False},
            "campaigns": [{"id": "intl-dep", "products": ["US-DEP-001"]}]}
    (target / "intl-1.yaml").write_text(yaml.safe_dump(intl, allow_unicode=True), encoding="utf-8")
    return target


@pytest.fixture
def client(make_app, pack_dir, tmp_path):
    app = make_app(GUARD_POLICY_DIR=str(pack_dir), GUARD_DATA_DIR=str(tmp_path / "data"))
    c = app.test_client()
    c.h = new_key(app, "admin")
    return c


def check(client, phone, campaign, at, **extra) -> dict:
    r = client.post("/v1/check", json={"phone": phone, "campaign": campaign, "dry_run": True, "at": at, **extra}, headers=client.h)
    assert r.status_code == 200, r.json
    return r.json


def codes(d: dict) -> list[str]:
    return [r["code"] for r in d["reasons"]]


# --- jurisdiction --------------------------------------------------------------------------

def test_a_number_outside_the_packs_country_is_denied_saying_so(client):
    us_on_cn = check(client, NY, "dep-2026q4", "2026-11-23T10:15:00-05:00")  # inside New York's hours, a Monday
    assert codes(us_on_cn) == ["OUT_OF_JURISDICTION"] and us_on_cn["next_allowed_at"] is None
    assert us_on_cn["reasons"][0]["detail"] == {"number_country": "US", "pack": "cn-bank", "countries": ["CN"]}
    # A Chinese number on a us-tcpa campaign during 春节 (2026-02-17, a blocked day in China):
    cn_on_us = check(client, "+86" + CN, "us-dep-2026", "2026-02-17T11:00:00+08:00")
    assert "OUT_OF_JURISDICTION" in codes(cn_on_us)


def test_a_campaign_can_hand_a_countrys_numbers_to_another_pack(client):
    # The campaign's product is configured through the API, so every pack judging its calls knows it: a product only
    # cn-bank holds (DEP-001) is unknown to us-tcpa, and a call about it is UNKNOWN_PRODUCT there (tests/core/test_decide.py).
    assert client.put("/v1/products/GLOBAL-DEP", json={"type": "deposit", "risk": "R1", "needs_risk_assessment": False},
                      headers=client.h).status_code in (200, 201)
    only_cn = client.put("/v1/campaigns/cn-only-product", json={"products": ["DEP-001"], "packs": {"US": "us-tcpa"}}, headers=client.h)
    assert only_cn.status_code == 201
    assert codes(check(client, NY, "cn-only-product", "2026-11-23T20:30:00-05:00")) == ["UNKNOWN_PRODUCT"]
    r = client.put("/v1/campaigns/global", json={"products": ["GLOBAL-DEP"], "packs": {"US": "us-tcpa"}}, headers=client.h)
    assert r.status_code == 201 and r.json["packs"] == {"US": "us-tcpa"}
    us = check(client, NY, "global", "2026-11-23T20:30:00-05:00")  # 20:30 in New York: inside the TCPA's 8-9
    assert us["allowed"] and us["policy"]["pack"] == "us-tcpa", us
    cn = check(client, CN, "global", "2026-11-23T20:30:00+08:00")  # 20:30 in Shanghai: outside cn-bank's 9-8
    assert codes(cn) == ["QUIET_HOURS"] and cn["policy"]["pack"] == "cn-bank"
    bad = client.put("/v1/campaigns/global", json={"products": ["GLOBAL-DEP"], "packs": {"US": "no-such-pack"}}, headers=client.h)
    assert bad.status_code == 400 and bad.json["error"]["details"][0]["field"] == "packs.US"


def test_a_campaign_cannot_hand_canadas_numbers_to_a_pack_that_does_not_cover_canada(client):
    # +1 416 is Toronto (phonenumbers: region CA). us-tcpa covers the US and its territories only (its `countries`, from
    # 47 U.S.C. § 227 "within the United States" and § 153), so `packs: {CA: us-tcpa}` was stored and then every
    # Canadian call of the campaign denied OUT_OF_JURISDICTION: refused when configured, naming the field and why.
    bad = client.put("/v1/campaigns/na", json={"products": ["DEP-001"], "packs": {"CA": "us-tcpa"}}, headers=client.h)
    assert bad.status_code == 400 and bad.json["error"]["details"][0]["field"] == "packs.CA", bad.json
    assert "covers AS, GU, MP, PR, US, VI only" in bad.json["error"]["message"], bad.json
    assert client.get("/v1/campaigns/na", headers=client.h).status_code == 404


# --- US states -----------------------------------------------------------------------------

def test_florida_allows_calls_until_8_pm_where_the_tcpa_allows_9(client):
    fl = check(client, FL, "us-dep-2026", "2026-11-23T20:30:00-05:00")  # Monday 20:30 in Miami
    assert codes(fl) == ["QUIET_HOURS"] and fl["reasons"][0]["detail"]["state"] == "FL"
    assert fl["next_allowed_at"] == "2026-11-24T08:00:00-05:00"
    assert check(client, NY, "us-dep-2026", "2026-11-23T20:30:00-05:00")["allowed"]
    assert check(client, FL, "us-dep-2026", "2026-11-23T19:30:00-05:00")["allowed"]


def test_a_customers_recorded_state_counts_besides_the_numbers(client):
    assert client.put("/v1/customers/snowbird", json={"phones": [NY], "region": "US", "state": "FL"}, headers=client.h).status_code == 201
    d = check(client, NY, "us-dep-2026", "2026-11-23T20:30:00-05:00")
    assert codes(d) == ["QUIET_HOURS"] and d["reasons"][0]["detail"]["state"] == "FL"
    bad = client.put("/v1/customers/x", json={"state": "Florida"}, headers=client.h)
    assert bad.status_code == 400 and bad.json["error"]["details"][0]["field"] == "state"
    # A code typed in lower case names the state all the same (it was refused as "not a US state"); it is kept in capitals.
    assert client.put("/v1/customers/snowbird", json={"phones": [NY], "region": "US", "state": " fl"}, headers=client.h).status_code == 200
    assert client.get("/v1/customers/snowbird", headers=client.h).json["state"] == "FL"


def test_alabama_allows_no_call_on_a_sunday_nor_on_its_state_holidays(client):
    sunday = check(client, AL, "us-dep-2026", "2026-11-22T11:00:00-06:00")
    assert codes(sunday) == ["QUIET_HOURS"] and sunday["reasons"][0]["detail"]["state"] == "AL"
    assert sunday["next_allowed_at"] == "2026-11-23T08:00:00-06:00"
    memorial = check(client, AL, "us-dep-2026", "2026-04-27T11:00:00-05:00")  # Confederate Memorial Day (Alabama)
    assert codes(memorial) == ["HOLIDAY"] and memorial["reasons"][0]["detail"]["state"] == "AL"
    assert check(client, NY, "us-dep-2026", "2026-04-27T11:00:00-04:00")["allowed"]  # not a New York holiday


def test_floridas_three_calls_a_day_count_across_a_customers_numbers(make_app, pack_dir):
    from datetime import datetime, timezone

    from tests.conftest import Clock

    clock = Clock(datetime(2026, 11, 23, 14, 0, tzinfo=timezone.utc))  # 09:00 in Miami
    app = make_app(GUARD_POLICY_DIR=str(pack_dir), clock=clock)
    c = app.test_client()
    h = new_key(app, "admin")
    numbers = [f"+130555501{i:02d}" for i in range(4)]
    assert c.put("/v1/customers/F1", json={"phones": numbers, "region": "US"}, headers=h).status_code == 201
    answers = []
    for n in numbers:
        answers.append(c.post("/v1/check", json={"phone": n, "campaign": "us-dep-2026"}, headers=h).json)
        clock.now = clock.now.replace(hour=clock.now.hour + 1)
    assert [a["allowed"] for a in answers] == [True, True, True, False]
    assert {r["detail"].get("state") for r in answers[3]["reasons"]} == {"FL"}


def test_a_state_cap_longer_than_the_packs_own_caps_counts_its_whole_window(make_app, pack_dir):
    """A state's cap may count a longer window than any cap of the pack (here a hypothetical one call in
    120 days to a Florida number, beside the pack's 24 h and 7 d caps): the check, the scrub and the audit
    must read the attempts of that whole window, not only of the pack's longest cap (nor, in the audit, of
    the longest cap of any pack: cn-bank's sensitive 90 days)."""
    from datetime import datetime, timedelta, timezone

    from tests.conftest import Clock

    for us_file in sorted(pack_dir.glob("us-tcpa-*.yaml")):  # in every version: the 100 days span two of them
        us = yaml.safe_load(us_file.read_text(encoding="utf-8"))
        us["states"]["FL"]["caps"] = [{"scope": "number", "window": "120d", "max": 1}]
        us_file.write_text(yaml.safe_dump(us, allow_unicode=True), encoding="utf-8")
    clock = Clock(datetime(2026, 11, 2, 15, 0, tzinfo=timezone.utc))  # Monday 10:00 in Miami
    app = make_app(GUARD_POLICY_DIR=str(pack_dir), clock=clock)
    c = app.test_client()
    h = new_key(app, "admin")
    first = c.post("/v1/check", json={"phone": FL, "campaign": "us-dep-2026"}, headers=h).json
    assert first["allowed"]
    clock.now += timedelta(days=100)  # Wednesday 2027-02-10, 10:00 in Miami: 100 days later, inside the state's 120
    again = c.post("/v1/check", json={"phone": FL, "campaign": "us-dep-2026"}, headers=h).json
    assert codes(again) == ["FREQ_CAP"], again
    assert again["reasons"][0]["detail"]["state"] == "FL" and again["reasons"][0]["detail"]["window"] == "120d"
    assert again["next_allowed_at"] == "2027-03-02T10:00:00-05:00"
    scrub = c.post("/v1/check/batch", json={"campaign": "us-dep-2026", "phones": [FL]}, headers=h).json
    assert [[x["code"] for x in res["reasons"]] for res in scrub["results"]] == [["FREQ_CAP"]]
    log = ("call_id,phone,called_at,campaign\n"
           f"a,{FL},2026-11-02T10:00:00-05:00,us-dep-2026\n"
           f"b,{FL},2027-02-10T10:00:00-05:00,us-dep-2026\n")
    audit_id = c.post("/v1/audits", data=log.encode(), headers={**h, "Content-Type": "text/csv"}).json["audit_id"]
    for _ in range(200):
        if c.get(f"/v1/audits/{audit_id}", headers=h).json["status"] in ("done", "failed"):
            break
        time.sleep(0.05)
    found: dict[str, set[str]] = {}
    for v in c.get(f"/v1/audits/{audit_id}/violations?limit=100", headers=h).json["violations"]:
        found.setdefault(v["call_id"], set()).add(v["code"])
    assert "FREQ_CAP" in found.get("b", set()), found


# --- time zones ----------------------------------------------------------------------------

def test_a_complaint_about_a_us_number_is_judged_by_the_us_pack(client):
    """One complaint mutes a US customer for 365 days (us-tcpa's `mute`); filed directly, not with a call's outcome, it
    was judged by the default pack (cn-bank: several complaints before a mute) and the next day's call was allowed."""
    r = client.post("/v1/complaints", json={"phone": "+12125550701", "severity": "light", "received_at": "2026-11-23T10:00:00-05:00"},
                    headers=client.h)
    assert r.status_code == 201, r.json
    assert r.json["policy"]["pack"] == "us-tcpa" and r.json["effects"]["mute_id"] is not None
    assert "MUTED" in codes(check(client, "+12125550701", "us-cc-2026", "2026-11-24T11:00:00-05:00"))
    cn = client.post("/v1/complaints", json={"phone": "13800138000", "severity": "light"}, headers=client.h)
    assert cn.json["policy"]["pack"] == "cn-bank" and cn.json["effects"]["mute_id"] is None


def test_the_decision_says_where_the_callees_zone_came_from(client):
    d = check(client, CN, "dep-2026q4", "2026-11-23T21:00:00+08:00")
    assert d["timezone_source"] == "number" and d["reasons"][0]["detail"]["zone_source"] == "number"
    assert client.put("/v1/customers/Z", json={"phones": [CN], "timezone": "Asia/Urumqi"}, headers=client.h).status_code == 201
    d = check(client, CN, "dep-2026q4", "2026-11-23T09:30:00+08:00")  # 07:30 in Urumqi
    assert codes(d) == ["QUIET_HOURS"] and d["timezone_source"] == "customer" and d["timezone"] == "Asia/Urumqi"


def test_a_number_whose_zone_nobody_knows_is_denied(client):
    d = check(client, "+80012345678", "intl-dep", "2026-07-15T12:00:00+03:00")  # international freephone, no zone
    assert "ZONE_UNKNOWN" in codes(d) and d["timezone_source"] == "pack"


def test_a_pack_can_judge_unknown_zones_in_its_own_zone_instead(make_app, pack_dir):
    path = pack_dir / "intl-1.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["unknown_zone"] = "pack_timezone"
    raw["countries"] = ["RU", "ID", "001"]
    raw["numbers"] = {"deny_types": []}
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    app = make_app(GUARD_POLICY_DIR=str(pack_dir))
    c = app.test_client()
    c.h = new_key(app, "dialer")
    d = check(c, "+80012345678", "intl-dep", "2026-07-15T12:00:00+03:00")
    assert d["allowed"] and d["timezone_source"] == "pack" and d["timezone"] == "Europe/Moscow"


def test_kaliningrad_is_judged_in_its_own_zone_not_the_librarys_bucharest(client):
    # 05:30 UTC in July: 07:30 in Kaliningrad (UTC+2 all year); Bucharest keeps summer time (08:30).
    d = check(client, "+74012123456", "intl-dep", "2026-07-15T05:30:00+00:00")
    assert codes(d) == ["QUIET_HOURS"] and d["timezone"] == "Europe/Kaliningrad" and d["timezone_source"] == "override"


def test_an_indonesian_mobile_must_be_inside_the_window_in_all_three_zones(client):
    # 12:30 UTC: 19:30 in Jakarta (inside 08-21), 21:30 in Jayapura (outside).
    d = check(client, "+6281234567890", "intl-dep", "2026-07-15T12:30:00+00:00")
    assert codes(d) == ["QUIET_HOURS"] and d["reasons"][0]["detail"]["timezone"] == "Asia/Jayapura"


# A NANP area code that a time-zone boundary crosses (49 CFR Part 71: 71.5, 71.7, 71.9): the number is allowed only
# when every zone of its area code is inside the window (SPEC §2.4; 47 CFR 64.1200(c)(1): 8 a.m.-9 p.m. "local time
# at the called party's location"). The library places a number by its exchange, and one it does not know (555 here,
# new blocks, overlays) by the area code's main zone alone.
@pytest.mark.parametrize(("phone", "at", "zone", "next_allowed"), [
    # Florida panhandle (850): 08:30 in Tallahassee is 07:30 in Pensacola; the panhandle opens at 08:00 Central.
    ("+18505550123", "2026-11-18T08:30:00-05:00", "America/Chicago", "2026-11-18T14:00:00+00:00"),
    # The same on the Monday after spring-forward (2026-03-08): 08:30 EDT is 07:30 CDT, open at 08:00 CDT = 13:00 UTC.
    ("+18505550123", "2026-03-09T08:30:00-04:00", "America/Chicago", "2026-03-09T13:00:00+00:00"),
    # 448 overlays 850; 930 overlays 812 (IURC, 2013: Evansville is Central); 364 overlays 270 (Bowling Green).
    ("+14485550123", "2026-11-18T08:30:00-05:00", "America/Chicago", "2026-11-18T14:00:00+00:00"),
    ("+19305550123", "2026-11-18T08:30:00-05:00", "America/Chicago", "2026-11-18T14:00:00+00:00"),
    ("+12705550123", "2026-11-18T08:30:00-05:00", "America/Chicago", "2026-11-18T14:00:00+00:00"),
    # Eastern Oregon (541, Malheur County) is Mountain: 20:30 in Portland is 21:30 in Ontario, Oregon.
    ("+15415550123", "2026-07-15T20:30:00-07:00", "America/Boise", "2026-07-16T15:00:00+00:00"),
    # Arizona's 928 holds the Navajo Nation, which keeps daylight time: 20:30 MST in Flagstaff is 21:30 in Window Rock.
    ("+19285550123", "2026-07-15T20:30:00-07:00", "America/Denver", "2026-07-16T15:00:00+00:00"),
])
def test_a_number_whose_area_code_a_zone_line_crosses_is_judged_in_every_zone_of_it(client, phone, at, zone, next_allowed):
    from datetime import datetime
    d = check(client, phone, "us-dep-2026", at)
    # (a Florida number is outside the federal window and Florida's, § 501.616(6)(a): both reasons)
    assert set(codes(d)) == {"QUIET_HOURS"} and d["timezone_source"] == "override", d
    assert {r["detail"]["timezone"] for r in d["reasons"]} == {zone}
    assert datetime.fromisoformat(d["next_allowed_at"]) == datetime.fromisoformat(next_allowed)


def test_every_us_area_code_the_library_places_in_several_zones_is_judged_in_all_of_them():
    """Every exchange of such an area code, known to the library or not, gets every zone the library gives any
    exchange of it (compared by UTC offsets through 2026 and 2027: America/Boise keeps Denver's clock)."""
    from datetime import datetime, timedelta, timezone
    from functools import cache
    from zoneinfo import ZoneInfo

    import phonenumbers
    from phonenumbers.tzdata import TIMEZONE_DATA

    from guard.core.pack_schema import build_pack

    @cache
    def offsets(zone: str) -> tuple:
        start = datetime(2026, 1, 1, tzinfo=timezone.utc)
        return tuple(ZoneInfo(zone).utcoffset(start + timedelta(hours=6 * i)) for i in range(4 * 730))

    # The library's own table: prefixes "1" + area code (its main zone) and longer (an exchange, or part of one).
    split: dict[str, tuple[set, dict]] = {}
    by_npa: dict[str, dict[str, tuple[str, ...]]] = {}
    for prefix, zones in TIMEZONE_DATA.items():
        if prefix.startswith("1") and len(prefix) >= 4:
            number = phonenumbers.parse("+" + prefix + "5550123"[: 11 - len(prefix)])
            if phonenumbers.region_code_for_number(number) == "US":
                by_npa.setdefault(prefix[1:4], {})[phonenumbers.format_number(
                    number, phonenumbers.PhoneNumberFormat.E164)] = zones
    for npa, numbers in by_npa.items():
        library = {offsets(z) for zones in set(numbers.values()) for z in zones}
        if npa == "907":
            # One exchange the library puts in Hawaii; Alaska's Hawaii-Aleutian zone is Adak's (49 CFR 71.12).
            library.discard(offsets("Pacific/Honolulu"))
        if len(library) > 1:
            split[npa] = (library, numbers)
    assert {"850", "270", "812", "541", "928"} <= set(split)

    for name in ("us-tcpa-2026.1.yaml", "us-tcpa-2026.2.yaml"):
        pack = build_pack(yaml.safe_load((PACKS / name).read_text(encoding="utf-8")), name)
        for library, numbers in split.values():
            for e164, own in numbers.items():  # the area code's main-zone prefix among them: an unknown exchange
                zones = pack.zones_for_number(e164) or own
                assert {offsets(z) for z in zones} >= library, f"{name}: {e164} judged in {sorted(zones)} only"
        # The overlays serve the same ground as the area codes they overlay (the library knows none of their exchanges).
        for overlay, base in (("448", "850"), ("364", "270"), ("930", "812"), ("458", "541"), ("986", "208")):
            assert pack.zones_for_number(f"+1{overlay}5550123") == pack.zones_for_number(f"+1{base}5550123"), overlay
