"""Outcome reports sent at once (a dialer's retries racing, SPEC §3.3 "Reporting twice is idempotent"), on SQLite and
PostgreSQL: one report is recorded, for every disposition, and the first report stands against a different one."""

from __future__ import annotations

import threading

import pytest

EXTRA = {"answered": {"note": "客户有兴趣"}, "do_not_call": {"note": "不要再打了"},
         "callback": {"callback_at": "2026-11-25T10:00:00+08:00"}, "complaint": {"severity": "medium", "category": "营销骚扰"}}
DISPOSITIONS = ["no_answer", "busy", "answered", "refused", "do_not_call", "callback", "complaint", "wrong_number"]


def at_once(app, headers, decision_id, bodies):
    barrier = threading.Barrier(len(bodies))
    answers: list = []

    def send(body):
        client = app.test_client()
        barrier.wait()
        r = client.post(f"/v1/calls/{decision_id}/outcome", json=body, headers=headers)
        answers.append((body["disposition"], r.status_code, r.json))

    threads = [threading.Thread(target=send, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return answers


@pytest.mark.parametrize("disposition", DISPOSITIONS)
def test_the_same_report_sent_at_once_is_recorded_once(app, api, client, disposition):
    api.customer("C1", ["13800138000"])
    d = api.check()
    answers = at_once(app, client.dialer, d["decision_id"], [{"disposition": disposition, **EXTRA.get(disposition, {})}] * 6)
    assert sorted(s for _, s, _ in answers) == [200] * 5 + [201], answers
    assert len({str(body["effects"]) for _, _, body in answers}) == 1
    assert [body["duplicate"] for _, s, body in answers if s == 201] == [False]
    entries = client.get("/v1/blacklist/13800138000", headers=client.operator).json["entries"]
    assert len(entries) == (2 if disposition == "do_not_call" else 0)  # the number's and the customer's, once each
    complaints = client.get("/v1/complaints?phone=13800138000", headers=client.operator).json
    complaints = complaints["complaints"] if isinstance(complaints, dict) else complaints
    assert len(complaints) == (1 if disposition == "complaint" else 0)


def test_different_reports_sent_at_once_one_stands_and_only_its_effects_happen(app, api, client):
    api.customer("C1", ["13800138000"])
    d = api.check()
    bodies = [{"disposition": "do_not_call"}] * 3 + [{"disposition": "busy"}] * 3 + [{"disposition": "complaint", "severity": "light"}] * 2
    answers = at_once(app, client.dialer, d["decision_id"], bodies)
    (winner,) = [disp for disp, s, _ in answers if s == 201]
    for disp, status, _ in answers:
        assert status == (200 if disp == winner else 409) or (disp == winner and status == 201), answers
    entries = client.get("/v1/blacklist/13800138000", headers=client.operator).json["entries"]
    assert len(entries) == (2 if winner == "do_not_call" else 0)
    complaints = client.get("/v1/complaints?phone=13800138000", headers=client.operator).json
    complaints = complaints["complaints"] if isinstance(complaints, dict) else complaints
    assert len(complaints) == (1 if winner == "complaint" else 0)
