"""The consent rule in the pure core: which consents bear on a call, and why a call lacks one."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from guard.core.consent import judge
from guard.core.facts import Consent
from guard.core.pack import ConsentRule

NOW = datetime(2026, 11, 23, 2, 15, tzinfo=timezone.utc)
RULE = ConsentRule(required_for=frozenset({"marketing"}), scopes=frozenset({"phone"}), max_age=timedelta(days=730), max_age_text="730d")
N = "+8613800138000"
DEP = frozenset({"deposit"})


def c(id="k1", days_ago=10, **kw) -> Consent:
    return Consent(id=id, source="app", given_at=NOW - timedelta(days=days_ago), **{"phone": N, **kw})


def why(consents, rule=RULE, purpose="marketing", types=DEP, customers=()):
    found = judge(consents, N, customers, types, rule, purpose, NOW)
    return None if found is None else found.why


def test_precedence_of_the_reasons_withdrawn_expired_out_of_scope_none():
    assert why([]) == "none"
    assert why([c(channels=frozenset({"sms"}))]) == "out_of_scope"
    assert why([c(expires_at=NOW), c("k2", channels=frozenset({"sms"}))]) == "expired"
    assert why([c(expires_at=NOW), c("k2", withdrawn_at=NOW - timedelta(days=1), withdrawn_via="app")]) == "withdrawn"
    assert why([c(expires_at=NOW), c("k2")]) is None, "one valid consent in scope is enough"


def test_max_age_and_instants_are_judged_at_the_call():
    assert why([c(days_ago=730)]) == "expired" and why([c(days_ago=729)]) is None
    assert why([c(days_ago=-1)]) == "none", "a consent given after the call does not count"
    assert why([c(withdrawn_at=NOW + timedelta(minutes=1), withdrawn_via="app")]) is None, "withdrawn only from its instant"


def test_scope_covers_products_and_a_customer_consent_covers_their_numbers():
    assert why([c(product_types=frozenset({"wealth"}))]) == "out_of_scope"
    assert why([c(product_types=frozenset({"wealth"}))], types=frozenset()) == "out_of_scope", "unknown products: not covered"
    assert why([c(product_types=frozenset({"wealth", "deposit"}))]) is None
    mine = c(phone=None, customer_id="C1")
    assert why([mine], customers=("C1",)) is None and why([mine], customers=("C2",)) == "none"
    assert why([c(phone="+8613900139000")]) == "none", "another number's consent does not bear on this one"


def test_without_the_rule_only_a_withdrawal_denies_and_only_marketing():
    gone = c(withdrawn_at=NOW - timedelta(hours=1), withdrawn_via="call")
    assert why([], rule=None) is None and why([c(expires_at=NOW)], rule=None) is None
    assert why([gone], rule=None) == "withdrawn"
    assert why([gone, c("k2")], rule=None) is None, "consent given again stands"
    assert why([gone], rule=None, purpose="service") is None
    assert why([], purpose="service") is None, "the rule is required for marketing only"


def test_without_the_rule_a_consent_that_expired_does_not_outlive_a_later_withdrawal():
    """Consent in 2025 until 2026-01, given again in 2026-01, that one withdrawn in 2026-12: nothing stands, and the
    withdrawal denies (个人信息保护法 第十五条: once withdrawn, processing on that consent stops; the lapsed one is no
    consent at all). The check allowed the call while the agent's provenance line said "do not market"."""
    lapsed = c("k1", days_ago=700, expires_at=NOW - timedelta(days=320))
    gone = c("k2", days_ago=330, withdrawn_at=NOW - timedelta(days=1), withdrawn_via="app")
    assert why([lapsed, gone], rule=None) == "withdrawn"
    assert why([c("k1", days_ago=700), gone], rule=None) is None, "a consent that has not lapsed still stands"


def test_a_consent_of_that_number_of_that_customer_does_not_stand_for_the_numbers_next_owner():
    """Consent follows the person, not the number: once a number is reassigned, the former subscriber's consent is no
    consent of the new one (olshanlaw.com on the FCC's 2018 Second Report and Order, 47 CFR 64.1200(m): "the consent
    from the prior subscriber does not transfer when the phone number is reassigned"). C1 consented on N; N now belongs
    to C2, and a call to C2 on N went ahead on C1's consent."""
    theirs = c(customer_id="C1")
    assert why([theirs], customers=("C2",)) == "none"
    assert why([theirs], customers=("C1",)) is None
    assert why([theirs], customers=("C1", "C2")) is None, "a call for both (the request's customer and the owner) is theirs too"
    assert why([theirs]) is None, "nothing says whose call it is: the number's consent stands"
    assert why([c()], customers=("C2",)) is None, "a consent of the number alone names no person to tell apart"
    # A withdrawal on the number still denies, whoever owns it now (every doubt falls on not calling).
    gone = c(customer_id="C1", withdrawn_at=NOW - timedelta(days=1), withdrawn_via="app")
    assert why([gone], rule=None, customers=("C2",)) == "withdrawn"


def test_a_consent_held_from_its_days_end_and_withdrawn_that_morning_is_a_refusal_from_the_withdrawal():
    # An import holds a date-only given_at from its day's last microsecond (民法典 第二百零一条) and a date-only
    # withdrawn_at from that day's 00:00: where no consent is required, the person's no denies from the withdrawal on.
    day_end = datetime(2026, 11, 23, 15, 59, 59, 999_999, tzinfo=timezone.utc)  # 23:59:59.999999 in Shanghai
    morning = datetime(2026, 11, 22, 16, 0, tzinfo=timezone.utc)
    dated = Consent(id="k1", source="app", given_at=day_end, phone=N, withdrawn_at=morning, withdrawn_via="hotline",
                    given_on=date(2026, 11, 23))
    assert judge([dated], N, (), DEP, None, "marketing", NOW).why == "withdrawn"
    assert judge([dated], N, (), DEP, None, "marketing", morning - timedelta(microseconds=1)) is None, "not before it"
    assert why([dated]) == "withdrawn"
