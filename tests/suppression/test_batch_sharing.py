"""A list's rows share what they have in common (rendered messages, the search for next_allowed_at) and every answer
stays exactly what the row judged alone gets."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest

from guard.core import windows
from guard.core.decide import decide
from guard.core.facts import Attempt, CheckInput, Consent, Deferral, Mute
from guard.core.phones import parse_phone
from guard.core.reasons import ORDER
from guard.services.calls import scrub
from tests.core.packs import make_pack
from tests.core.test_decide import MON_1015, OTHER, PACK, PHONE, at, customer, entry, facts

# Every optional rule on: consent for marketing, a named customer who is not the owner denies, no zone denies,
# premium-rate numbers are no targets.
STRICT = make_pack(id="strict", customer_mismatch="deny", unknown_zone="deny", numbers={"deny_types": ["premium_rate"]},
                   consent={"required_for": ["marketing"], "scopes": ["phone"]})
NATIONAL_DAY_NIGHT = at(2026, 10, 1, 1, 55)  # QUIET_HOURS and HOLIDAY; next_allowed_at searched 3, then 16 days ahead


def _cases():
    """(pack, facts, campaign, product, instant): together every reason code, most rows more than once."""
    out = []
    for now in (MON_1015, NATIONAL_DAY_NIGHT, at(2026, 11, 23, 21, 5)):
        out += [
            (PACK, facts(), "wm", None, now),
            (PACK, facts(customer=None), "dep", None, now),
            (PACK, facts(customer=None), "dep", None, now),
            (PACK, facts(phone=parse_phone("not a number", "CN")), "wm", None, now),
            (PACK, facts(phone=parse_phone("+1 212 555 0100", "CN")), "dep", None, now),
            (PACK, facts(blacklist=(entry(),)), "wm", None, now),
            (PACK, facts(blacklist=(entry(source="registry", expires_at=at(2026, 12, 24, 9)),)), "wm", None, now),
            (PACK, facts(mutes=(Mute("M1", "C1", at(2026, 9, 1, 9), at(2026, 12, 1, 9)),)), "wm", None, now),
            (PACK, facts(customer=customer(risk_level="C1")), "wm", None, now),
            (PACK, facts(customer=customer(risk_assessed_at=None)), "wm", None, now),
            (PACK, facts(deferrals=(Deferral("D1", at(2026, 11, 25, 12), customer_id="C1"),)), "wm", None, now),
            (PACK, facts(customer=customer(windows=(windows.parse_window({"days": "sat-sun", "from": "10:00", "to": "12:00"}),))),
             "wm", None, now),
            (PACK, facts(number_attempts=(Attempt(now - timedelta(hours=2)),)), "wm", None, now),
            (PACK, facts(campaign="scripted"), "scripted", None, now),
            (PACK, facts(campaign=None), "nope", None, now),
            (PACK, facts(), "wm", "NOPE", now),
            (STRICT, facts(pack=STRICT, customer=customer(timezone=None), named_customer="C9"), "wm", None, now),
            (STRICT, facts(pack=STRICT, phone=replace(OTHER, kind="premium_rate"), customer=None), "dep", None, now),
            (STRICT, facts(pack=STRICT, phone=replace(PHONE, time_zones=()), customer=None), "dep", None, now),
            (STRICT, facts(pack=STRICT, consents=(Consent(id="K1", source="app", given_at=at(2026, 1, 5, 9), phone=PHONE.e164,
                                                          withdrawn_at=at(2026, 2, 1, 9), withdrawn_via="call"),)), "wm", None, now),
        ]
    return out


def _decide_all(cases):
    return [decide(CheckInput(campaign=c, product=p), f, pack, now) for pack, f, c, p, now in cases]


def test_rows_sharing_messages_and_the_window_search_get_exactly_their_own_answers(monkeypatch):
    cases = _cases()
    windows._next_open_memo.clear()
    shared = _decide_all(cases)  # one memo across the rows, as a scrub
    alone = []
    for case in cases:  # each judged with nothing remembered
        windows._next_open_memo.clear()
        alone += _decide_all([case])
    assert {r.code for d in shared for r in d.reasons} == set(ORDER)
    for mine, theirs in zip(shared, alone):
        assert mine == theirs
        assert (None if mine.next_allowed_at is None else mine.next_allowed_at.tzinfo) == \
            (None if theirs.next_allowed_at is None else theirs.next_allowed_at.tzinfo)
    results = [(f"row{i}", None, d, None) for i, d in enumerate(shared)]
    with_sharing = json.loads(scrub.encode(results, PACK, MON_1015))
    monkeypatch.setattr(scrub, "RENDERED_KEPT", 0)
    rendered_alone = json.loads(scrub.encode([(f"row{i}", None, d, None) for i, d in enumerate(alone)], PACK, MON_1015))
    assert with_sharing == rendered_alone
    assert any(len(r["reasons"]) > 1 for r in with_sharing["results"])


@pytest.mark.parametrize("bound", [1, 2])
def test_a_full_message_cache_empties_and_answers_the_same(monkeypatch, bound):
    decisions = _decide_all(_cases())
    results = [(f"row{i}", None, d, None) for i, d in enumerate(decisions)]
    everything = scrub.encode(results, PACK, MON_1015)
    monkeypatch.setattr(scrub, "RENDERED_KEPT", bound)
    assert scrub.encode(results, PACK, MON_1015) == everything
