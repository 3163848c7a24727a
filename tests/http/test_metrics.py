"""/metrics in Prometheus format: checks by result and reason, latency, store errors, scheduler runs."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from guard.services.ops.jobs import run_job
from tests.conftest import new_key


def scrape(client) -> dict[tuple[str, tuple], float]:
    r = client.get("/metrics")
    assert r.status_code == 200 and r.content_type.startswith("text/plain")
    out = {}
    for family in text_string_to_metric_families(r.get_data(as_text=True)):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def delta(after, before, name, **labels):
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


def test_checks_are_counted_by_result_and_reason(sim_app):
    client = sim_app.test_client()
    dialer = new_key(sim_app, "dialer")
    before = scrape(client)
    body = {"phone": "13800138000", "campaign": "dep-2026q4", "at": "2026-11-23T10:15:00+08:00"}
    assert client.post("/v1/check", json=body, headers=dialer).json["allowed"]
    assert not client.post("/v1/check", json=body, headers=dialer).json["allowed"]  # FREQ_CAP (number and customer)
    night = {**body, "phone": "13900139000", "at": "2026-11-23T23:15:00+08:00", "dry_run": True}
    assert not client.post("/v1/check", json=night, headers=dialer).json["allowed"]
    assert client.post("/v1/check", json={"campaign": "x"}, headers=dialer).status_code == 400
    after = scrape(client)
    assert delta(after, before, "guard_checks_total", result="allowed", dry_run="false") == 1
    assert delta(after, before, "guard_checks_total", result="denied", dry_run="false") == 1
    assert delta(after, before, "guard_checks_total", result="denied", dry_run="true") == 1
    assert delta(after, before, "guard_check_denials_total", reason="FREQ_CAP") == 1  # once per check
    assert delta(after, before, "guard_check_denials_total", reason="QUIET_HOURS") == 1
    assert delta(after, before, "guard_check_seconds_count") == 3
    assert delta(after, before, "guard_http_requests_total", method="POST", route="/v1/check", status="200") == 3
    assert delta(after, before, "guard_http_requests_total", method="POST", route="/v1/check", status="400") == 1
    assert delta(after, before, "guard_http_request_seconds_count", route="/v1/check") == 4


def test_scheduler_runs_are_counted(make_app):
    app = make_app()
    client = app.test_client()
    rt = app.extensions["guard"]
    before = scrape(client)
    run_job(rt.store, "complaint_sla", rt.clock)
    run_job(rt.store, "decision_chain", rt.clock)
    after = scrape(client)
    assert delta(after, before, "guard_scheduler_runs_total", job="complaint_sla", outcome="ran") == 1
    assert delta(after, before, "guard_scheduler_runs_total", job="decision_chain", outcome="ran") == 1
    # Runs recorded in the store show whichever process ran them (the scheduler is another process).
    assert after[("guard_job_runs_recorded_total", (("job", "complaint_sla"),))] == 1
    assert after[("guard_job_last_run_timestamp_seconds", (("job", "decision_chain"),))] > 1.7e9


def test_store_errors_are_counted():
    from app import create_app
    from guard.store.db import STORE_FAULTS
    from tests.pgserver import free_port

    app = create_app({"DATABASE_URL": f"postgresql://guard@127.0.0.1:{free_port()}/nowhere", "GUARD_LOG_LEVEL": "CRITICAL"})
    client = app.test_client()
    before = scrape(client)
    r = client.post("/v1/check", json={"phone": "13800138000", "campaign": "dep-2026q4"}, headers={"Authorization": "Bearer gk_a_b"})
    assert r.status_code == 503
    after = scrape(client)
    # by the kind of fault, as the 503's details.fault names it (nothing listens on the port: the connection)
    assert r.json["error"]["details"]["fault"] == "connection"
    assert delta(after, before, "guard_store_errors_total", fault="connection") == 1
    assert ("guard_store_errors_total", (("fault", "read_only"),)) in after  # every kind is a series, at 0 until it happens
    assert sum(delta(after, before, "guard_store_errors_total", fault=f) for f in STORE_FAULTS) == 1
    assert delta(after, before, "guard_http_requests_total", method="POST", route="/v1/check", status="503") == 1


def test_a_made_up_method_is_counted_as_other_not_as_a_series_of_its_own(sim_app):
    """A label value a client chooses gives it unbounded series (prometheus.io/docs/practices/naming/#labels: "Do not use
    labels to store dimensions with high cardinality … or other unbounded sets of values"); no key is needed to send one."""
    client = sim_app.test_client()
    before = scrape(client)
    for method in ("QWERTY", "ZZZZZZ", "PROPFIND"):
        assert client.open("/v1/check", method=method).status_code == 405
    assert client.open("/v1/check", method="PUT").status_code == 405
    after = scrape(client)
    methods = {dict(labels).get("method") for name, labels in after if name == "guard_http_requests_total"}
    assert not methods & {"QWERTY", "ZZZZZZ", "PROPFIND"}
    assert delta(after, before, "guard_http_requests_total", method="other", route="(unmatched)", status="405") == 3
    assert delta(after, before, "guard_http_requests_total", method="PUT", route="(unmatched)", status="405") == 1


def test_a_jobs_runs_older_than_the_kept_days_are_deleted_and_still_counted(make_app):
    # job_runs grows by every scheduler interval of every job (thousands of rows a day): each run deletes its own job's
    # runs older than GUARD_JOB_RUNS_KEEP_DAYS, while /metrics keeps counting every run ever recorded.
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import select

    from guard.store import jobs as job_store
    from guard.store import models as m

    app = make_app(GUARD_JOB_RUNS_KEEP_DAYS="30")
    rt = app.extensions["guard"]
    now = datetime(2026, 12, 7, 2, 0, tzinfo=timezone.utc)
    with rt.store.locked() as conn:
        for days in (45, 31, 29):
            at = now - timedelta(days=days)
            job_store.record_run(conn, "complaint_sla", "old-host:1", at, at, {"days_ago": days})
        job_store.record_run(conn, "audit_reaper", "old-host:1", now - timedelta(days=90), now - timedelta(days=90), {})
    run_job(rt.store, "complaint_sla", lambda: now, settings=rt.settings)
    J = m.JobRun.__table__
    with rt.store.read() as conn:
        kept = conn.execute(select(J.c.job, J.c.result).order_by(J.c.job, J.c.started_at)).all()
    # the two complaint_sla runs started more than 30 days before this one are gone; another job's runs wait for its own run
    assert [(job, result.get("days_ago")) for job, result in kept] == [("audit_reaper", None), ("complaint_sla", 29), ("complaint_sla", None)]
    scraped = scrape(app.test_client())
    assert scraped[("guard_job_runs_recorded_total", (("job", "complaint_sla"),))] == 4


def test_a_run_deletes_at_most_a_batch_of_old_runs(make_app):
    # A scheduler started after a long pause catches up over a few runs rather than in one long transaction.
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import func, insert, select

    from guard.store import jobs as job_store
    from guard.store import models as m

    app = make_app(GUARD_JOB_RUNS_KEEP_DAYS="1")
    rt = app.extensions["guard"]
    now = datetime(2026, 12, 7, 2, 0, tzinfo=timezone.utc)
    J = m.JobRun.__table__
    old = [now - timedelta(days=2, minutes=i) for i in range(job_store.PRUNE_BATCH + 5)]
    with rt.store.locked() as conn:
        conn.execute(insert(J), [{"job": "decision_chain", "runner": "old-host:1", "started_at": at, "finished_at": at, "result": {}}
                                 for at in old])

    def count():
        with rt.store.read() as conn:
            return conn.execute(select(func.count()).select_from(J)).scalar()

    run_job(rt.store, "decision_chain", lambda: now, settings=rt.settings)
    assert count() == 5 + 1  # a batch deleted, the oldest first; this run recorded
    with rt.store.read() as conn:
        left = sorted(rt.store.sql.read_ts(t) for t in conn.execute(select(J.c.started_at).where(J.c.started_at < now)).scalars())
    assert left == sorted(old[:5])
    run_job(rt.store, "decision_chain", lambda: now, settings=rt.settings)
    assert count() == 2


def test_a_retry_answered_under_an_idempotency_key_is_counted_apart_from_the_checks(sim_app):
    # A replay decides nothing, so it is not a check; without its own counter an operator could not see how often dialers
    # retry (a lossy network, a dialer's timeout set too short).
    client = sim_app.test_client()
    dialer = new_key(sim_app, "dialer")
    body = {"phone": "13800138000", "campaign": "dep-2026q4", "at": "2026-11-23T10:15:00+08:00"}
    before = scrape(client)
    for key in ("call-1", "call-1", "call-1", "call-2", "call-2"):
        client.post("/v1/check", json=body, headers={**dialer, "Idempotency-Key": key})
    after = scrape(client)
    assert delta(after, before, "guard_checks_total", result="allowed", dry_run="false") == 1  # call-1
    assert delta(after, before, "guard_checks_total", result="denied", dry_run="false") == 1  # call-2: FREQ_CAP
    assert delta(after, before, "guard_check_replays_total", result="allowed") == 2
    assert delta(after, before, "guard_check_replays_total", result="denied") == 1
