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


# us-tcpa 2026.2 (in force from 2026-12-08): what 2026.1 left out. 2026.1 stays as it was for the calls it judged.
MS = "+16015550123"  # 601: Jackson, Mississippi
RI = "+14015550123"  # 401: Rhode Island
UT = "+18015550123"  # 801: Salt Lake City, Utah


def test_the_2026_2_version_takes_over_on_its_effective_date(client):
    before = check(client, LA, "2026-12-07T12:00:00-06:00")
    after = check(client, LA, "2026-12-08T12:00:00-06:00")
    assert before["policy"]["version"] == "2026.1" and after["policy"]["version"] == "2026.2"


def test_next_allowed_at_before_a_new_version_is_judged_by_the_version_in_effect_then(client):
    # SPEC §3.1: next_allowed_at is the earliest instant the same request would be allowed "given everything known
    # now"; 2026.2 is loaded and takes effect at 2026-12-08T00:00-05:00, so the morning of the 8th is its to judge.
    # Tex. Bus. & Com. Code § 301.051(b)(2): "after 9 a.m. and before 9 p.m. on a weekday" (2026.2's TX source).
    tx = check(client, "+15125550123", "2026-12-07T21:00:00-06:00")  # Monday 21:00 in Austin, under 2026.1
    assert tx["policy"]["version"] == "2026.1" and codes(tx) == ["QUIET_HOURS"]
    assert tx["next_allowed_at"] == "2026-12-08T09:00:00-06:00"  # not 2026.1's 08:00, which 2026.2 denies
    assert codes(check(client, "+15125550123", "2026-12-08T08:00:00-06:00")) == ["QUIET_HOURS"]
    # Miss. Code Ann. § 77-3-723(1) (2026.2's MS window opens at 09:00 local); Rhode Island opens at 09:00 on weekdays.
    ms = check(client, MS, "2026-12-07T22:00:00-06:00")
    assert ms["next_allowed_at"] == "2026-12-08T09:00:00-06:00"
    ri = check(client, RI, "2026-12-07T23:30:00-05:00")
    assert ri["next_allowed_at"] == "2026-12-08T09:00:00-05:00"
    # A number 2026.2 judges as 2026.1 did keeps 08:00; and a check in Hawaii's evening before the switch that
    # 2026.1 allows is answered by 2026.1 (the switch is an instant: 19:00 in Honolulu).
    assert check(client, NY, "2026-12-07T23:30:00-05:00")["next_allowed_at"] == "2026-12-08T08:00:00-05:00"
    hi = check(client, "+18085550123", "2026-12-07T18:59:00-10:00")
    assert hi["allowed"] and hi["policy"]["version"] == "2026.1"
    assert check(client, "+18085550123", "2026-12-07T19:00:00-10:00")["policy"]["version"] == "2026.2"


def test_louisiana_blocks_every_legal_holiday_of_rs_1_55_not_only_the_packages(client):
    # La. R.S. 45:811(3): no sales calls "on days declared to be a state holiday"; La. R.S. 1:55(A)(1)
    # (https://legis.la.gov/legis/Law.aspx?d=74097) names, besides the federal days: January 8, Battle of New
    # Orleans; Mardi Gras; Good Friday; August 30, Huey P. Long Day; the second Monday in October, Columbus Day;
    # November 1, All Saints' Day. The holidays package's US-LA calendar lacks four of them.
    for day, name in [("2027-01-08", "Battle of New Orleans"), ("2027-08-30", "Huey P. Long Day"),
                      ("2027-10-11", "Columbus Day"), ("2027-11-01", "All Saints' Day")]:
        d = check(client, LA, f"{day}T10:00:00-06:00" if day < "2027-03-14" or day >= "2027-11-07" else f"{day}T10:00:00-05:00")
        assert codes(d) == ["HOLIDAY"], (day, name, d["reasons"])
        assert d["reasons"][0]["detail"]["state"] == "LA"
    assert check(client, LA, "2027-01-07T10:00:00-06:00")["allowed"]  # the Thursday before
    assert check(client, LA, "2027-01-09T10:00:00-06:00")["allowed"]  # the Saturday after
    assert codes(check(client, LA, "2027-02-09T10:00:00-06:00")) == ["HOLIDAY"]  # Mardi Gras (the package has it)
    # A New York number is judged by the TCPA alone on the same day.
    assert check(client, NY, "2027-01-08T10:00:00-05:00")["allowed"]


def test_mississippi_allows_no_sunday_and_stops_at_8_pm(client):
    # Miss. Code Ann. § 77-3-723(1): calls "only ... between the hours of 8:00 a.m. and 8:00 p.m. Central Standard
    # Time. No telephone solicitations may be made on a Sunday." (text read at
    # https://getpocketlaw.com/law/state_mississippi/section-77-3-723-rules-for-authorized-calls_57b73fa7ff73)
    late = check(client, MS, "2026-12-14T20:00:00-06:00")  # Monday 20:00 CST: [from, to)
    assert codes(late) == ["QUIET_HOURS"] and late["reasons"][0]["detail"]["state"] == "MS"
    assert check(client, MS, "2026-12-14T19:59:00-06:00")["allowed"]
    sunday = check(client, MS, "2026-12-13T12:00:00-06:00")
    assert codes(sunday) == ["QUIET_HOURS"] and sunday["next_allowed_at"] == "2026-12-14T09:00:00-06:00"
    # 8:00 a.m. Central *Standard* Time is 9:00 a.m. while Mississippi keeps daylight time: the pack opens at
    # 9:00 local all year (the narrower reading, fail closed).
    assert codes(check(client, MS, "2027-07-12T08:30:00-05:00")) == ["QUIET_HOURS"]
    assert check(client, MS, "2027-07-12T09:00:00-05:00")["allowed"]


def test_rhode_island_keeps_its_hours_of_operation(client):
    # R.I. Gen. Laws § 5-61-3.6 (http://webserver.rilin.state.ri.us/Statutes/TITLE5/5-61/5-61-3.6.HTM): unsolicited
    # sales calls only during "hours of operation", defined in § 5-61-2 as Monday through Friday, except a state
    # or federal holiday, 9:00 a.m. to 6:00 p.m.; Saturday 10:00 a.m. to 5:00 p.m. (no Sunday).
    assert codes(check(client, RI, "2026-12-14T08:59:00-05:00")) == ["QUIET_HOURS"]
    assert check(client, RI, "2026-12-14T09:00:00-05:00")["allowed"]
    assert check(client, RI, "2026-12-14T17:59:00-05:00")["allowed"]
    six = check(client, RI, "2026-12-14T18:00:00-05:00")
    assert codes(six) == ["QUIET_HOURS"] and six["reasons"][0]["detail"]["state"] == "RI"
    assert codes(check(client, RI, "2026-12-12T09:59:00-05:00")) == ["QUIET_HOURS"]  # Saturday opens at 10
    assert check(client, RI, "2026-12-12T16:59:00-05:00")["allowed"]
    assert codes(check(client, RI, "2026-12-12T17:00:00-05:00")) == ["QUIET_HOURS"]
    assert codes(check(client, RI, "2026-12-13T12:00:00-05:00")) == ["QUIET_HOURS"]  # Sunday
    christmas = check(client, RI, "2026-12-25T12:00:00-05:00")  # a Friday, a federal holiday
    assert codes(christmas) == ["HOLIDAY"] and christmas["next_allowed_at"] == "2026-12-26T10:00:00-05:00"


def test_utah_allows_no_sunday_nor_legal_holiday(client):
    # Utah Code § 13-25a-103(3) (https://codes.findlaw.com/ut/title-13-commerce-and-trade/ut-code-sect-13-25a-103/):
    # no telephone solicitation without prior express consent between 9 p.m. and 8 a.m. local time, on a Sunday or
    # on a legal holiday. Legal holidays: Utah Code § 63G-1-301 as in effect 2026-05-06
    # (https://self-law.org/code/ut/title-63g/chapter-1/1): among others Good Friday, and June 19 kept on the
    # Monday before when it falls Tuesday-Friday, on the Monday after when it falls on a weekend.
    assert codes(check(client, UT, "2026-12-13T12:00:00-07:00")) == ["QUIET_HOURS"]  # Sunday
    assert check(client, UT, "2026-12-14T20:59:00-07:00")["allowed"]
    nine = check(client, UT, "2026-12-14T21:00:00-07:00")  # the TCPA's 9 p.m. and Utah's alike
    assert set(codes(nine)) == {"QUIET_HOURS"} and "UT" in {r["detail"].get("state") for r in nine["reasons"]}
    assert codes(check(client, UT, "2027-07-23T12:00:00-06:00")) == ["HOLIDAY"]  # Pioneer Day (Sat) kept on Friday
    assert codes(check(client, UT, "2027-03-26T12:00:00-06:00")) == ["HOLIDAY"]  # Good Friday
    assert codes(check(client, UT, "2027-06-21T12:00:00-06:00")) == ["HOLIDAY"]  # June 19 (Sat) kept on Monday
    assert check(client, UT, "2027-06-22T12:00:00-06:00")["allowed"]


TX = "+15125550123"  # 512: Austin, Texas (Central time)
TX_EL_PASO = "+19155550123"  # 915: El Paso, Texas (Mountain time)


def test_texas_opens_at_9_am_and_at_noon_on_sunday(client):
    # Tex. Bus. & Com. Code § 301.051(b)(2): a telephone solicitor may make a consumer telephone call only "after 12
    # noon and before 9 p.m. on a Sunday or after 9 a.m. and before 9 p.m. on a weekday or a Saturday" (the
    # subsection's words as they stand, quoted with the amendment's brackets by Tex. H.B. 4403, 88th Leg. (2023),
    # https://app.legiplex.com/tx/legislature/2023/88-0/bills/hb4403/drafts-compare).
    early = check(client, TX, "2026-12-14T08:59:00-06:00")  # Monday 08:59 in Austin: the TCPA's window is open
    assert codes(early) == ["QUIET_HOURS"] and early["reasons"][0]["detail"]["state"] == "TX"
    assert early["next_allowed_at"] == "2026-12-14T09:00:00-06:00"
    assert check(client, TX, "2026-12-14T09:00:00-06:00")["allowed"]
    assert check(client, TX, "2026-12-12T20:59:00-06:00")["allowed"]  # Saturday: the weekday hours
    nine = check(client, TX, "2026-12-12T21:00:00-06:00")  # the TCPA's 9 p.m. and Texas's alike
    assert set(codes(nine)) == {"QUIET_HOURS"} and "TX" in {r["detail"].get("state") for r in nine["reasons"]}
    sunday = check(client, TX, "2026-12-13T11:59:00-06:00")
    assert codes(sunday) == ["QUIET_HOURS"] and sunday["reasons"][0]["detail"]["state"] == "TX"
    assert sunday["next_allowed_at"] == "2026-12-13T12:00:00-06:00"
    assert check(client, TX, "2026-12-13T12:00:00-06:00")["allowed"]
    assert check(client, TX, "2026-12-13T20:59:00-06:00")["allowed"]
    # El Paso keeps Mountain time: its 9 a.m. is 10:00 in Austin.
    assert codes(check(client, TX_EL_PASO, "2026-12-14T08:59:00-07:00")) == ["QUIET_HOURS"]
    assert check(client, TX_EL_PASO, "2026-12-14T09:00:00-07:00")["allowed"]
    # A customer who records Texas as home is judged by it on another state's number too.
    assert client.put("/v1/customers/tx1", json={"phones": [NY], "region": "US", "state": "TX"},
                      headers=client.h).status_code == 201
    d = check(client, NY, "2026-12-13T11:30:00-05:00")  # Sunday 11:30 in New York
    assert codes(d) == ["QUIET_HOURS"] and d["reasons"][0]["detail"]["state"] == "TX"
    # 2026.1 judged calls before 2026-12-08 without the rule, as it did.
    assert check(client, TX, "2026-12-06T11:00:00-06:00")["policy"]["version"] == "2026.1"

MA = "+16175550123"  # 617: Boston, Massachusetts
SD = "+16055550123"  # 605: South Dakota (Central and Mountain time)


def test_massachusetts_stops_at_8_pm(client):
    # 201 CMR 12.02(2): no unsolicited telephonic sales call "between the hours of 8:00 P.M. to 8:00 A.M., local time
    # at the consumer's location" (https://regulations.justia.com/states/massachusetts/201-cmr/title-201-cmr-12-00/
    # section-12-02).
    assert check(client, MA, "2026-12-14T19:59:00-05:00")["allowed"]  # Monday 19:59 in Boston
    late = check(client, MA, "2026-12-14T20:00:00-05:00")  # the TCPA's window is open until 21:00
    assert codes(late) == ["QUIET_HOURS"] and late["reasons"][0]["detail"]["state"] == "MA"
    assert late["next_allowed_at"] == "2026-12-15T08:00:00-05:00"
    assert check(client, MA, "2026-12-13T08:00:00-05:00")["allowed"]  # Sunday: no day of the week is barred


def test_south_dakota_allows_weekdays_9_am_to_9_pm_only(client):
    # S.D. Codified Laws § 37-30-28 (http://legis.state.sd.us/statutes/DisplayStatute.aspx?Type=Statute&Statute=37-30-28):
    # no telephone solicitation by an automated telephone dialing system "except weekdays between 9 a.m. and 9 p.m.,
    # according to the time in this state". 605 spans Central and Mountain time: 9 a.m. Mountain is 10:00 Central.
    early = check(client, SD, "2026-12-14T09:59:00-06:00")  # Monday 08:59 Mountain, 09:59 Central
    assert codes(early) == ["QUIET_HOURS"] and early["reasons"][0]["detail"]["state"] == "SD"
    assert early["next_allowed_at"] == "2026-12-14T10:00:00-06:00"
    assert check(client, SD, "2026-12-14T10:00:00-06:00")["allowed"]
    assert check(client, SD, "2026-12-18T20:59:00-06:00")["allowed"]  # Friday 20:59 Central
    saturday = check(client, SD, "2026-12-19T12:00:00-06:00")  # the TCPA allows it
    assert codes(saturday) == ["QUIET_HOURS"] and saturday["reasons"][0]["detail"]["state"] == "SD"
    assert saturday["next_allowed_at"] == "2026-12-21T10:00:00-06:00"  # Monday, 9 a.m. Mountain


NV = "+17025550123"  # 702: Las Vegas, Nevada


def test_nevada_opens_at_9_am(client):
    # NRS 597.814(2)(a): no call by a device for automatic dialing and announcing "received by a telephone located in
    # this state during the period between 9 p.m. and 9 a.m." (http://www.contactcentercompliance.com/legal/statutes/
    # NV/NRS/597.814.adpx); the pack applies it to every marketing call (it cannot tell a prerecorded call).
    early = check(client, NV, "2026-12-13T08:59:00-08:00")  # Sunday 08:59 in Las Vegas: the TCPA's window is open
    assert codes(early) == ["QUIET_HOURS"] and early["reasons"][0]["detail"]["state"] == "NV"
    assert early["next_allowed_at"] == "2026-12-13T09:00:00-08:00"
    assert check(client, NV, "2026-12-13T09:00:00-08:00")["allowed"]
    assert check(client, NV, "2026-12-14T20:59:00-08:00")["allowed"]


ME = "+12075550123"  # 207: Maine


def test_maine_allows_weekdays_9_am_to_5_pm_only(client):
    # 10 M.R.S. § 1498(3): no solicitation calls by an automated telephone calling device "except weekdays between
    # 9 a.m. and 5 p.m., according to the time in this State" (the words as quoted by Maine L.D. 392, 2003,
    # https://legislature.maine.gov/legis/bills/bills_121st/billtexts/LD039201-1.asp); applied to every marketing call.
    assert check(client, ME, "2026-12-14T16:59:00-05:00")["allowed"]  # Monday 16:59 in Portland
    five = check(client, ME, "2026-12-14T17:00:00-05:00")  # the TCPA's window is open until 21:00
    assert codes(five) == ["QUIET_HOURS"] and five["reasons"][0]["detail"]["state"] == "ME"
    assert five["next_allowed_at"] == "2026-12-15T09:00:00-05:00"
    saturday = check(client, ME, "2026-12-19T12:00:00-05:00")
    assert codes(saturday) == ["QUIET_HOURS"] and saturday["next_allowed_at"] == "2026-12-21T09:00:00-05:00"


# States whose hours statute was read and is the TCPA's own 8 a.m.-9 p.m.: the pack adds no state rule for them, and
# their numbers are judged at the federal boundary minutes (a state window narrower than its statute would cost calls,
# one wider than the TCPA cannot exist). Pennsylvania's ban on calls on legal holidays (§ 2245(a)(10), added by Act 73
# of 2019, reported by https://www.jenkinslaw.org/blog/2019/12/03/amendments-pennsylvanias-telemarketer-registration-act-effective-today)
# is not modelled: the paragraph's own text was not read.
PA = "+12155550123"  # 215: Philadelphia, Pennsylvania
NJ = "+12015550123"  # 201: Jersey City, New Jersey


@pytest.mark.parametrize("phone", [PA, NJ])
def test_pennsylvania_and_new_jersey_keep_the_federal_hours(client, phone):
    # Pennsylvania: 73 P.S. § 2245(a)(1) prohibits "Conducting telemarketing after 9 p.m. or before 8 a.m." (Purdon's,
    # effective 2019-12-03, read at https://govt.westlaw.com/pac/Document/NE4CC77F0E9F711E9BEFE89A994168F89).
    # New Jersey: N.J.S.A. 56:8-128(d), no unsolicited telemarketing sales call "between the hours of 9:00 p.m. and
    # 8:00 a.m., local time, at the customer's location" (read at https://d1tvxue8o4w0fl.cloudfront.net/statute/
    # new-jersey-statutes/title-56-trade-names-trade-marks-and-unfair-trade-practices/chapter-568/
    # section-568-128-requirements-relative-to-telemarketing-sales-calls).
    early = check(client, phone, "2026-12-14T07:59:00-05:00")  # Monday, Eastern time
    assert codes(early) == ["QUIET_HOURS"] and early["reasons"][0]["detail"].get("state") is None
    assert early["next_allowed_at"] == "2026-12-14T08:00:00-05:00"
    assert check(client, phone, "2026-12-14T08:00:00-05:00")["allowed"]
    assert check(client, phone, "2026-12-14T20:59:00-05:00")["allowed"]
    assert check(client, phone, "2026-12-13T20:59:00-05:00")["allowed"]  # Sunday: no day of the week is barred
    assert codes(check(client, phone, "2026-12-14T21:00:00-05:00")) == ["QUIET_HOURS"]


def test_the_list_scrub_answers_next_allowed_at_by_the_version_in_effect_then(client):
    # The scrub (/v1/check/batch) asks the same question as the check (SPEC §3.2): 2026.2's Texas and
    # Mississippi hours from 2026-12-08 (Tex. Bus. & Com. Code § 301.051(b)(2); Miss. Code Ann. § 77-3-723(1)).
    r = client.post("/v1/check/batch", json={"campaign": "us-dep-2026", "at": "2026-12-07T21:00:00-06:00",
                                             "phones": ["+15125550123", MS, NY, "+15125550124"]}, headers=client.h)
    assert r.status_code == 200, r.json
    got = [x["next_allowed_at"] for x in r.json["results"]]
    assert got == ["2026-12-08T09:00:00-06:00", "2026-12-08T09:00:00-06:00", "2026-12-08T08:00:00-05:00",
                   "2026-12-08T09:00:00-06:00"]


def test_a_new_version_refused_at_start_does_not_hand_its_calls_to_the_version_it_supersedes(make_app, tmp_path):
    # us-tcpa 2026.2 edited on disk into an invalid file, and a process starting with no last good content of it
    # stored: 2026.1 must not judge 2026-12-08's calls (it would allow 08:30 in Austin, which Tex. Bus. & Com. Code
    # § 301.051(b)(2), "after 9 a.m.", forbids). SPEC §7: 503, the guard cannot decide (fail closed, never a silent allow).
    import shutil

    packs = tmp_path / "packs"
    shutil.copytree(PACKS, packs)
    path = packs / "us-tcpa-2026.2.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("window: 24h, max: 3}", "window: 24 hours, max: 3}", 1),
                    encoding="utf-8")
    app = make_app(GUARD_POLICY_DIR=str(packs), GUARD_DATA_DIR=str(tmp_path / "data"))
    c = app.test_client()
    h = new_key(app, "admin")
    body = {"phone": "+15125550123", "campaign": "us-dep-2026", "dry_run": True}
    before = c.post("/v1/check", json={**body, "at": "2026-12-07T10:00:00-06:00"}, headers=h)
    assert before.status_code == 200 and before.json["policy"]["version"] == "2026.1"
    after = c.post("/v1/check", json={**body, "at": "2026-12-08T08:30:00-06:00"}, headers=h)
    assert after.status_code == 503, after.json
    assert after.json["error"]["code"] == "NO_POLICY" and "us-tcpa-2026.2.yaml" in after.json["error"]["message"]
    batch = c.post("/v1/check/batch", json={"campaign": "us-dep-2026", "phones": ["+15125550123"],
                                            "at": "2026-12-08T08:30:00-06:00"}, headers=h)
    assert batch.status_code == 503, batch.json
    assert c.post("/v1/check", json={"phone": "13800138001", "campaign": "dep-2026q4", "dry_run": True,
                                     "at": "2026-12-08T11:00:00+08:00"}, headers=h).status_code == 200
