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
    from tests.pgserver import free_port

    app = create_app({"DATABASE_URL": f"postgresql://guard@127.0.0.1:{free_port()}/nowhere", "GUARD_LOG_LEVEL": "CRITICAL"})
    client = app.test_client()
    before = scrape(client)
    r = client.post("/v1/check", json={"phone": "13800138000", "campaign": "dep-2026q4"}, headers={"Authorization": "Bearer gk_a_b"})
    assert r.status_code == 503
    after = scrape(client)
    assert delta(after, before, "guard_store_errors_total") == 1
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
