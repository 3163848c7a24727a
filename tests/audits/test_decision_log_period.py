"""The decision-log audit of a period counts the dials of that period, also those with no decision.

With GUARD_ALLOW_CLIENT_TIME (a simulation run on the client's timeline, SPEC §7: every instant a client gives is
accepted as given) an outcome takes effect at its `ended_at`. A report with no real decision behind it (an unknown
id, a dry run) is a dial too; it must fall in the period of that `ended_at`, as the reported outcome of a real
decision falls in the period of its decision, not in the period of the server's clock when it was received.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from guard.core.errors import Conflict, NotFound
from guard.services import audits
from guard.services.calls.check import CheckCommand, check
from guard.services.suppression import outcomes
from tests.conftest import Clock

CST = timezone(timedelta(hours=8))
AUGUST = (datetime(2026, 8, 1, tzinfo=CST), datetime(2026, 9, 1, tzinfo=CST))


def test_dials_without_a_decision_fall_in_the_period_they_were_made_in(make_app):
    clock = Clock(datetime(2026, 12, 6, 13, 0, tzinfo=timezone.utc))  # the server's clock, months after the simulated calls
    app = make_app(clock=clock, GUARD_ALLOW_CLIENT_TIME="1")
    rt = app.extensions["guard"]
    store, packs = rt.store, rt.packs()

    def decide(phone, at, dry=False):
        return check(rt.guard, CheckCommand(phone=phone, campaign="dep-2026q4", at=at, dry_run=dry), "dialer", {})

    allowed = decide("13800138000", datetime(2026, 8, 4, 10, 0, tzinfo=CST))
    outcomes.report(store, packs, allowed.decision_id, outcomes.OutcomeIn("answered", ended_at=datetime(2026, 8, 4, 10, 3, tzinfo=CST)),
                    clock(), "dialer", allow_client_time=True)
    dry = decide("13800138001", datetime(2026, 8, 5, 10, 0, tzinfo=CST), dry=True)
    with pytest.raises(Conflict):
        outcomes.report(store, packs, dry.decision_id, outcomes.OutcomeIn("answered", ended_at=datetime(2026, 8, 5, 10, 4, tzinfo=CST)),
                        clock(), "dialer", allow_client_time=True)
    with pytest.raises(NotFound):
        outcomes.report(store, packs, "no-such-decision", outcomes.OutcomeIn("busy", ended_at=datetime(2026, 8, 6, 11, 0, tzinfo=CST)),
                        clock(), "dialer", allow_client_time=True)

    audit_id = audits.create(store, "decision_log", "august", None, clock(), "test")
    summary = audits.audit_decision_log(store, audit_id, *AUGUST, clock)
    # three dials in August: one on a real decision, two with none
    assert (summary["decisions_with_outcome"], summary["calls_judged"], summary["calls_unchecked"]) == (1, 3, 2)
    got = sorted((v["code"], v["detail"]["decision_id"], v["called_at"]) for v in audits.iter_violations(store, audit_id))
    assert got == [("UNCHECKED_CALL", dry.decision_id, "2026-08-05T02:04:00+00:00"),
                   ("UNCHECKED_CALL", "no-such-decision", "2026-08-06T03:00:00+00:00")]
    # and not again in December, the month the server received the reports
    later = audits.create(store, "decision_log", "december", None, clock(), "test")
    assert audits.audit_decision_log(store, later, datetime(2026, 12, 1, tzinfo=CST), datetime(2027, 1, 1, tzinfo=CST), clock)["calls_judged"] == 0


def test_a_report_with_no_decision_dated_on_the_client_timeline_is_sealed_and_verifies(make_app):
    """The dial's own instant does not move the report in the outcome chain: it is sealed and verifies intact."""
    from guard.store import chain

    clock = Clock(datetime(2026, 12, 6, 13, 0, tzinfo=timezone.utc))
    app = make_app(clock=clock, GUARD_ALLOW_CLIENT_TIME="1")
    rt = app.extensions["guard"]
    store, packs = rt.store, rt.packs()
    with pytest.raises(NotFound):
        outcomes.report(store, packs, "first", outcomes.OutcomeIn("busy"), clock(), "dialer", allow_client_time=True)
    with store.locked() as conn:
        chain.seal(conn, clock())
    clock.now += timedelta(hours=1)
    with pytest.raises(NotFound):  # reported after the chain was sealed, about a dial months before
        outcomes.report(store, packs, "second", outcomes.OutcomeIn("busy", ended_at=datetime(2026, 8, 6, 11, 0, tzinfo=CST)),
                        clock(), "dialer", allow_client_time=True)
    with store.locked() as conn:
        assert chain.seal(conn, clock())["outcomes"]["sealed"] == 1
    verified = chain.verify(store)
    assert verified["outcomes"]["counts"] == {"altered": 0, "missing": 0, "broken": 0, "unsealed": 0} and verified["ok"], verified
