"""Versions by effective_from, and `extends` resolved against the base version in effect."""

from __future__ import annotations

import copy
from datetime import datetime, timezone

from guard.core.pack_set import assemble
from tests.core.packs import BASE


def doc(**overrides):
    raw = copy.deepcopy(BASE)
    raw.update(overrides)
    return raw


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


def test_the_version_in_effect_is_the_latest_not_after_the_instant():
    packs, issues, _ = assemble(
        [("t-1.yaml", doc(version="1", effective_from="2026-01-01T00:00:00+00:00")),
         ("t-2.yaml", doc(version="2", effective_from="2026-10-01T00:00:00+00:00"))],
        "t",
    )
    assert issues == []
    assert packs.at("t", utc(2025, 12, 31, 23, 59)) is None
    assert packs.at("t", utc(2026, 1, 1)).version == "1"
    assert packs.at("t", utc(2026, 9, 30, 23, 59, 59)).version == "1"
    assert packs.at("t", utc(2026, 10, 1)).version == "2"


def test_an_extending_pack_follows_the_base_version_in_effect():
    base1 = doc(id="base", version="1", effective_from="2026-01-01T00:00:00+00:00")
    base2 = doc(id="base", version="2", effective_from="2026-06-01T00:00:00+00:00",
                calling_windows=[{"days": "mon-fri", "from": "10:00", "to": "18:00"}])
    child = {"id": "child", "version": "a", "effective_from": "2026-03-01T00:00:00+00:00", "extends": "base",
             "caps": {"normal": [{"scope": "number", "window": "7d", "max": 2}]}}
    packs, issues, _ = assemble([("b1.yaml", base1), ("b2.yaml", base2), ("c.yaml", child)], "base")
    assert issues == []
    before = packs.at("child", utc(2026, 4, 1))
    after = packs.at("child", utc(2026, 7, 1))
    assert before.base == ("base", "1") and after.base == ("base", "2")
    assert before.calling_windows[0].start == 9 * 60 and after.calling_windows[0].start == 10 * 60
    # The child's own override holds over both bases; merged keys keep the base's siblings.
    assert before.caps_normal[0].max == 2 and before.caps_sensitive[0].window.days == 90
    assert before.version == after.version == "a" and before.hash != after.hash
    assert packs.at("child", utc(2026, 2, 1)) is None  # not before its own effective_from


def test_extends_problems_are_reported_and_do_not_stop_other_packs():
    packs, issues, failed = assemble(
        [("ok.yaml", doc()),
         ("orphan.yaml", {"id": "o", "version": "1", "effective_from": "2026-01-01T00:00:00+00:00", "extends": "missing"}),
         ("a.yaml", {"id": "a", "version": "1", "effective_from": "2026-01-01T00:00:00+00:00", "extends": "b"}),
         ("b.yaml", {"id": "b", "version": "1", "effective_from": "2026-01-01T00:00:00+00:00", "extends": "a"})],
        "t",
    )
    text = [str(i) for i in issues]
    assert "orphan.yaml: extends: 'missing': no valid version of that pack is loaded" in text
    assert any(t.startswith("a.yaml: extends:") and "cycle" in t for t in text)
    assert failed == {"orphan.yaml", "a.yaml", "b.yaml"} and packs.ids() == ["t"]


def test_duplicate_versions_and_start_instants_are_refused():
    _, issues, failed = assemble(
        [("t-1.yaml", doc(version="1")), ("t-1-copy.yaml", doc(version="1", effective_from="2026-05-01T00:00:00+08:00")),
         ("t-2.yaml", doc(version="2", effective_from="2026-05-01T00:00:00+08:00"))],
        "t",
    )
    text = [str(i) for i in issues]
    # The order of file names says nothing of which one the bank meant: every file of a duplicate is refused.
    assert any(t.startswith("t-1.yaml: version: t '1' is already defined in t-1-copy.yaml") for t in text)
    assert any(t.startswith("t-1-copy.yaml: version: t '1' is already defined in t-1.yaml") for t in text)
    assert any("effective_from: t already has a version effective from that instant" in t for t in text)
    assert failed == {"t-1.yaml", "t-1-copy.yaml", "t-2.yaml"}


def test_a_new_file_claiming_the_instant_of_a_version_does_not_take_its_place_by_name_order():
    # us-tcpa-2026.10.yaml sorts before us-tcpa-2026.2.yaml: read in name order, a new file claiming 2026.2's instant
    # replaced it. Neither serves now, and that instant is undecided until one is removed (SPEC §7: 503).
    packs, issues, failed = assemble(
        [("t-2026.1.yaml", doc(version="2026.1", effective_from="2026-01-01T00:00:00-05:00")),
         ("t-2026.2.yaml", doc(version="2026.2", effective_from="2026-12-08T00:00:00-05:00")),
         ("t-2026.10.yaml", doc(version="2026.10", effective_from="2026-12-08T00:00:00-05:00",
                                calling_windows=[{"days": "mon-sun", "from": "07:00", "to": "21:00"}]))],
        "t",
    )
    assert failed == {"t-2026.2.yaml", "t-2026.10.yaml"}
    assert packs.at("t", utc(2026, 12, 8, 4, 59)).version == "2026.1"
    assert packs.at("t", utc(2026, 12, 8, 5)) is None


def test_a_version_whose_extends_makes_a_cycle_is_refused_alone():
    # A new version that names its own pack (or one extending it) in `extends` is refused; the versions of
    # the pack that extend nothing are no part of the cycle and keep serving (SPEC §5: a bad file is refused,
    # the versions already loaded keep serving).
    packs, issues, failed = assemble(
        [("t-1.yaml", doc(version="1", effective_from="2026-01-01T00:00:00+00:00")),
         ("t-2.yaml", doc(version="2", effective_from="2026-06-01T00:00:00+00:00")),
         ("t-3.yaml", doc(version="3", effective_from="2026-12-20T00:00:00+00:00", extends="t")),
         ("u-1.yaml", doc(id="u", version="1", effective_from="2026-01-01T00:00:00+00:00")),
         ("u-2.yaml", doc(id="u", version="2", effective_from="2026-06-01T00:00:00+00:00", extends="v")),
         ("v-1.yaml", doc(id="v", version="1", effective_from="2026-01-01T00:00:00+00:00", extends="u"))],
        "t",
    )
    text = [str(i) for i in issues]
    assert failed == {"t-3.yaml", "u-2.yaml", "v-1.yaml"}
    assert "t-3.yaml: extends: 't' leads back to 't' (a cycle)" in text
    assert not any("None" in t for t in text)
    assert [p.version for p in packs.timelines["t"].versions] == ["1", "2"]
    assert packs.at("t", utc(2026, 12, 21)).version == "2"
    assert packs.at("u", utc(2026, 12, 21)).version == "1"


def test_a_refused_version_leaves_its_time_undecided_instead_of_its_predecessor_judging_it():
    # SPEC §7: 503 when no valid pack covers now. A version written to take over at an instant, whose file is
    # refused (and no last good content stands in), must not be replaced by the version it was to supersede:
    # from its effective_from to the next valid version no version judges.
    broken = doc(version="2", effective_from="2026-12-08T00:00:00-05:00",
                 caps={"normal": [{"scope": "number", "window": "24 hours", "max": 3}]})
    packs, issues, failed = assemble(
        [("t-1.yaml", doc(version="1", effective_from="2026-01-01T00:00:00+00:00")), ("t-2.yaml", broken),
         ("t-3.yaml", doc(version="3", effective_from="2027-01-01T00:00:00+00:00"))],
        "t",
    )
    assert failed == {"t-2.yaml"} and any("caps.normal[0].window" in str(i) for i in issues)
    assert packs.at("t", utc(2026, 12, 8, 4, 59, 59)).version == "1"
    assert packs.at("t", utc(2026, 12, 8, 5)) is None
    assert packs.at("t", utc(2026, 12, 31, 23, 59)) is None
    assert packs.at("t", utc(2027, 1, 1)).version == "3"


def test_an_effective_from_yaml_read_as_a_date_is_named_as_written():
    # YAML reads an unquoted 2026-12-08 as a date: the problem names it as the officer wrote it, not as Python's repr.
    from datetime import date

    _, issues, _ = assemble([("t-1.yaml", doc(effective_from=date(2026, 12, 8))),
                             ("t-2.yaml", doc(version="2", effective_from=datetime(2026, 12, 20)))], "t")
    text = [str(i) for i in issues]
    assert "t-1.yaml: effective_from: '2026-12-08' (a date, no time or UTC offset) is not an ISO 8601 instant with a UTC offset" in text
    assert "t-2.yaml: effective_from: '2026-12-20T00:00:00' (no UTC offset) is not an ISO 8601 instant with a UTC offset" in text


def test_a_campaign_handing_a_country_to_a_pack_that_does_not_cover_it_is_reported():
    # +1 is shared by the US and the other members of the North American Numbering Plan (phonenumbers gives +1 416 the
    # region CA): a pack of the US and its territories (47 U.S.C. § 227, "within the United States") does not judge
    # Canadian numbers, so `packs: {CA: us}` would deny every Canadian call of the campaign OUT_OF_JURISDICTION.
    us = doc(id="us", country="US", countries=["US", "PR"], region="US", timezone="America/New_York", campaigns=[])
    cn = doc(campaigns=[{"id": "na", "products": ["DEP"], "packs": {"US": "us", "PR": "us", "CA": "us"}}])
    packs, issues, _ = assemble([("t.yaml", cn), ("us.yaml", us)], "t")
    assert [(i.path, i.reason) for i in issues] == [
        ("campaigns.na.packs.CA", "pack us covers PR, US only: every CA number would be denied OUT_OF_JURISDICTION")], issues
