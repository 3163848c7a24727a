"""POST /v1/check under an `Idempotency-Key`, on SQLite and PostgreSQL: a dialer's retry after a lost answer gets the
first answer back (same decision, no second attempt against the caps).

Sources: IETF draft-ietf-httpapi-idempotency-key-header-07 ("The Idempotency-Key HTTP Header Field": one key per
request, the request fingerprinted, a key reused for another request refused with 422) and Stripe's "Idempotent
requests" (the first answer kept and replayed, keys up to 255 characters, purged after 24 hours):
https://datatracker.ietf.org/doc/html/draft-ietf-httpapi-idempotency-key-header · https://docs.stripe.com/api/idempotent_requests
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.conftest import Clock, new_key

MON = datetime(2026, 11, 23, 2, 15, tzinfo=timezone.utc)  # 10:15 in Shanghai, a Monday
BODY = {"phone": "138 0013 8000", "campaign": "dep-2026q4"}
KEY = "8e03978e-40d5-43e8-bc93-6894a57f9324"


@pytest.fixture
def clock():
    return Clock(MON)


@pytest.fixture
def app(make_app, clock):
    return make_app(clock=clock)


def rows(store_url, sql):
    engine = create_engine(store_url, poolclass=NullPool)
    with engine.connect() as conn:
        value = conn.execute(text(sql)).scalar_one()
    engine.dispose()
    return value


def post(client, h, body=BODY, key=KEY):
    return client.post("/v1/check", json=body, headers={**h, "Idempotency-Key": key} if key is not None else h)


def test_a_retry_with_the_same_key_gets_the_first_answer_and_records_no_second_attempt(app, store_url):
    c, h = app.test_client(), new_key(app, "dialer")
    first = post(c, h)
    assert first.status_code == 200 and first.json["allowed"] is True and "Idempotent-Replayed" not in first.headers
    again = post(c, h)
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json == first.json  # same decision_id, still allowed: the dialer may place the one call
    assert rows(store_url, "SELECT COUNT(*) FROM attempts") == 1
    assert rows(store_url, "SELECT COUNT(*) FROM decisions") == 1
    # A new call is a new key: the cap (1 a day on the number) counts the one attempt.
    new = post(c, h, key="another-call")
    assert new.json["allowed"] is False and [r["code"] for r in new.json["reasons"]] == ["FREQ_CAP"]
    assert new.json["reasons"][0]["detail"]["count"] == 1


def test_without_a_key_a_retry_is_a_new_check(app, store_url):
    c, h = app.test_client(), new_key(app, "dialer")
    assert post(c, h, key=None).json["allowed"] is True
    assert post(c, h, key=None).json["allowed"] is False  # SPEC §3.1: every allowed check records an attempt
    assert rows(store_url, "SELECT COUNT(*) FROM decisions") == 2


def test_the_same_key_with_another_body_is_refused_and_decides_nothing(app, store_url):
    c, h = app.test_client(), new_key(app, "dialer")
    first = post(c, h).json
    other = post(c, h, body={**BODY, "phone": "13900139000"})
    assert other.status_code == 422
    error = other.json["error"]
    assert error["code"] == "IDEMPOTENCY_KEY_REUSED" and error["details"][0]["field"] == "Idempotency-Key"
    assert error["details"][0]["decision_id"] == first["decision_id"]
    assert rows(store_url, "SELECT COUNT(*) FROM decisions") == 1
    # A field left at its default is the same request; a dry run of the same number is another one.
    assert post(c, h, body={**BODY, "dry_run": False}).headers.get("Idempotent-Replayed") == "true"
    assert post(c, h, body={**BODY, "dry_run": True}).status_code == 422


def test_a_key_is_the_callers_own(app, store_url):
    c = app.test_client()
    one, two = new_key(app, "dialer"), new_key(app, "dialer")
    a = post(c, one, body={**BODY, "phone": "13700137000"}).json
    b = post(c, two, body={**BODY, "phone": "13600136000"})
    assert b.status_code == 200 and b.json["decision_id"] != a["decision_id"] and "Idempotent-Replayed" not in b.headers


@pytest.mark.parametrize("raw, why", [("", "empty"), ("x" * 256, "more than 255"), ("中文", "not printable ASCII")])
def test_a_header_that_is_not_a_key_is_400_naming_it(app, raw, why):
    c, h = app.test_client(), new_key(app, "dialer")
    r = c.post("/v1/check", json=BODY, headers={**h, "Idempotency-Key": raw.encode().decode("latin-1")})
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "Idempotency-Key" and why in r.json["error"]["message"]


@pytest.mark.parametrize("sent", [[KEY, "b0c1d2e3"], [KEY, KEY], [f"{KEY}, b0c1d2e3"], [f'"{KEY}", "b0c1d2e3"']])
def test_a_header_sent_twice_or_as_a_list_is_400_and_decides_nothing(app, store_url, sent):
    """Sent twice, the header reached the guard joined by a comma (RFC 9110 §5.3: gunicorn joins them) and that
    joined text was taken as a key of its own, while a proxy in front may have read the first one: which key a
    request carries must not depend on who reads it. An Item followed by more is no Item (RFC 8941 §4.2)."""
    c, h = app.test_client(), new_key(app, "dialer")
    before = rows(store_url, "SELECT count(*) FROM decisions")
    r = c.post("/v1/check", json=BODY, headers=[*h.items(), *(("Idempotency-Key", v) for v in sent)])
    assert r.status_code == 400, r.json
    assert r.json["error"]["details"][0]["field"] == "Idempotency-Key" and "several values" in r.json["error"]["message"]
    assert rows(store_url, "SELECT count(*) FROM decisions") == before
    assert post(c, h, key=f'"{KEY},b0c1d2e3"').status_code == 200  # a comma inside an sf-string is part of the key


def test_a_key_written_as_a_structured_field_string_is_the_same_key(app):
    c, h = app.test_client(), new_key(app, "dialer")
    first = post(c, h, key=f'"{KEY}"').json
    assert post(c, h, key=KEY).json["decision_id"] == first["decision_id"]


def test_identical_requests_at_once_record_one_attempt_and_all_get_its_decision(app, store_url):
    h = new_key(app, "dialer")
    width = 8
    barrier = threading.Barrier(width)
    answers: list = []

    def send():
        client = app.test_client()
        barrier.wait()
        r = post(client, h, body={**BODY, "phone": "13500135000"}, key="same-call")
        answers.append((r.status_code, r.json))

    threads = [threading.Thread(target=send) for _ in range(width)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert [s for s, _ in answers] == [200] * width, answers
    assert len({body["decision_id"] for _, body in answers}) == 1 and all(body["allowed"] for _, body in answers)
    assert rows(store_url, "SELECT COUNT(*) FROM attempts") == 1
    assert rows(store_url, "SELECT COUNT(*) FROM decisions") == 1


def denied_under_the_key(c, h, body=BODY):
    """A keyed check denied (FREQ_CAP: the number's one call a day was placed by an unkeyed check just before)."""
    assert post(c, h, body=body, key=None).json["allowed"] is True
    first = post(c, h, body=body).json
    assert first["allowed"] is False and [r["code"] for r in first["reasons"]] == ["FREQ_CAP"]
    return first


def test_a_retry_after_at_left_the_clock_bound_still_gets_its_answer(app, clock):
    c, h = app.test_client(), new_key(app, "dialer")
    body = {**BODY, "at": MON.isoformat()}
    first = denied_under_the_key(c, h, body)
    clock.now = MON + timedelta(minutes=10)  # `at` is now 10 minutes from the server clock
    again = post(c, h, body=body)
    assert again.status_code == 200 and again.json["decision_id"] == first["decision_id"]
    assert post(c, h, body=body, key="a-new-call").json["error"]["code"] == "CLOCK_SKEW"


def test_an_allow_is_answered_again_only_while_it_is_good_to_dial_on(app, clock, store_url):
    # A key kept its first answer 24 hours, an allow too: a retry queue drained the next morning was told "allowed" by a
    # decision made the day before, for a number that may have been blacklisted, muted or left its calling window since;
    # a call made on it is an UNCHECKED_CALL to the audit (cn-bank: decision_valid_for 5m). An allow is kept as long as it
    # is good to dial on; past that, the retry is judged anew.
    c, h = app.test_client(), new_key(app, "dialer")
    first = post(c, h).json
    assert first["allowed"] is True
    clock.now = MON + timedelta(minutes=4, seconds=59)
    assert post(c, h).json["decision_id"] == first["decision_id"]
    clock.now = MON + timedelta(minutes=5, seconds=1)
    anew = post(c, h)
    assert anew.status_code == 200 and "Idempotent-Replayed" not in anew.headers
    assert anew.json["decision_id"] != first["decision_id"] and anew.json["allowed"] is False
    assert [r["code"] for r in anew.json["reasons"]] == ["FREQ_CAP"]  # the first allow's attempt counts
    assert rows(store_url, "SELECT COUNT(*) FROM attempts") == 1
    # the denial is the key's answer now, kept the 24 hours
    clock.now = MON + timedelta(hours=5)
    assert post(c, h).json["decision_id"] == anew.json["decision_id"]
    # a dry run's allow puts no call through: kept the 24 hours
    dry = {**BODY, "phone": "13900139000", "dry_run": True}
    first_dry = post(c, h, body=dry, key="dry-run").json
    clock.now = MON + timedelta(hours=6)
    assert first_dry["allowed"] is True and post(c, h, body=dry, key="dry-run").json["decision_id"] == first_dry["decision_id"]


def test_a_key_is_kept_24_hours_then_purged_by_the_scheduler_job(app, clock, store_url):
    from guard.services.ops.jobs import run_job

    c, h = app.test_client(), new_key(app, "dialer")
    first = denied_under_the_key(c, h)
    clock.now = MON + timedelta(hours=23, minutes=59)
    assert post(c, h).json["decision_id"] == first["decision_id"]
    clock.now = MON + timedelta(hours=24, minutes=1)
    store = app.extensions["guard"].store
    assert run_job(store, "idempotency_keys", clock)["purged"] == 1
    assert rows(store_url, "SELECT COUNT(*) FROM idempotency_keys") == 0
    later = post(c, h)  # a new request: judged now (the cap's 24 h have passed too)
    assert later.status_code == 200 and later.json["decision_id"] != first["decision_id"] and later.json["allowed"] is True


def test_an_expired_key_used_again_before_the_purge_is_a_new_request(app, clock, store_url):
    c, h = app.test_client(), new_key(app, "dialer")
    first = post(c, h).json
    clock.now = MON + timedelta(hours=25)
    later = post(c, h, body={**BODY, "phone": "13900139000"})
    assert later.status_code == 200 and later.json["decision_id"] != first["decision_id"]
    assert rows(store_url, "SELECT COUNT(*) FROM idempotency_keys") == 1


def test_a_keyed_check_the_store_cannot_answer_is_503_never_an_allow():
    from app import create_app
    from tests.pgserver import free_port

    app = create_app({"DATABASE_URL": f"postgresql://guard@127.0.0.1:{free_port()}/nowhere", "GUARD_LOG_LEVEL": "CRITICAL"})
    r = app.test_client().post("/v1/check", json=BODY, headers={"Authorization": "Bearer gk_abc_def", "Idempotency-Key": KEY})
    assert r.status_code == 503 and r.json["error"]["code"] == "STORE_UNAVAILABLE"


def test_a_first_request_answered_with_an_error_leaves_the_key_free(app, clock, store_url):
    c, h = app.test_client(), new_key(app, "dialer")
    skewed = post(c, h, body={**BODY, "at": (MON + timedelta(minutes=6)).isoformat()})
    assert skewed.status_code == 400 and skewed.json["error"]["code"] == "CLOCK_SKEW"
    assert rows(store_url, "SELECT COUNT(*) FROM idempotency_keys") == 0
    fixed = post(c, h)  # the dialer fixed its clock and sends the call again under the same key
    assert fixed.status_code == 200 and fixed.json["allowed"] is True
