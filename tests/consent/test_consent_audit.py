"""The audit judges consent as of each call's time, by the same rule as the check: given, expired,
withdrawn, out of scope, none; on `known_then` (what the guard held then) and `known_now` (the
consent's own dates as known now)."""

from __future__ import annotations

import io

from tests.conftest import new_key
from tests.consent.conftest import wait_done
from tests.consent.test_consents_api import consent_api, give  # noqa: F401 - the fixture

LOG = (
    "call_id,phone,called_at,campaign\n"
    "ok,13800138000,2026-11-23T11:00:00+08:00,dep-2026q4\n"
    "early,13800138000,2026-11-20T11:00:00+08:00,dep-2026q4\n"
    "before_withdrawal,13700137000,2026-11-23T11:00:00+08:00,dep-2026q4\n"
    "after_withdrawal,13700137000,2026-11-23T11:30:00+08:00,dep-2026q4\n"
    "expired,13900139000,2026-11-23T11:30:00+08:00,dep-2026q4\n"
    "sms_only,13600136000,2026-11-23T11:00:00+08:00,dep-2026q4\n"
    "nothing,13500135000,2026-11-23T11:00:00+08:00,dep-2026q4\n"
)


def audit(client, auditor, basis: str) -> dict[str, str]:
    r = client.post(f"/v1/audits?basis={basis}", data={"file": (io.BytesIO(LOG.encode()), "calls.csv")}, headers=auditor)
    assert r.status_code == 202, r.json
    done = wait_done(client, auditor, r.json["audit_id"])
    assert done["status"] == "done", done
    rows = client.get(f"/v1/audits/{done['audit_id']}/violations?code=CONSENT_MISSING&limit=100", headers=auditor).json["violations"]
    return {v["call_id"]: v["detail"]["why"] for v in rows}


def test_the_audit_judges_consent_as_of_each_call(consent_api):  # noqa: F811
    api, client = consent_api, consent_api.c
    give(client, phone="13800138000", given_at="2026-03-01T10:00:00+08:00")
    withdrawn = give(client, phone="13700137000")
    give(client, phone="13900139000", expires_at="2026-11-23T11:00:00+08:00")
    give(client, phone="13600136000", channels=["sms"])
    api.later(hours=1)  # 11:15 in Shanghai: the withdrawal
    r = client.post(f"/v1/consents/{withdrawn['consent_id']}/withdraw", json={"via": "hotline"}, headers=client.operator)
    assert r.status_code == 200
    auditor = new_key(client.application, "auditor")
    then = audit(client, auditor, "known_then")
    assert then == {"early": "none", "after_withdrawal": "withdrawn", "expired": "expired", "sms_only": "out_of_scope", "nothing": "none"}
    # As known now, the consent given in March covered the call of 20 November, recorded later or not.
    now = audit(client, auditor, "known_now")
    assert now == {"after_withdrawal": "withdrawn", "expired": "expired", "sms_only": "out_of_scope", "nothing": "none"}
