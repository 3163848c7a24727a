"""/metrics under gunicorn: whichever worker answers the scrape, it reports every worker's checks."""

from __future__ import annotations

import http.client

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.servers import GuardServer, cli, request


def checks_total(port: int) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)  # a new connection: any worker may answer
    conn.request("GET", "/metrics")
    text = conn.getresponse().read().decode()
    conn.close()
    return sum(s.value for f in text_string_to_metric_families(text) if f.name == "guard_checks"
               for s in f.samples if s.name == "guard_checks_total")


@pytest.mark.e2e
def test_every_scrape_sums_all_workers(tmp_path):
    from guard.store.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'guard.db'}"
    upgrade(url)
    env = {"DATABASE_URL": url, "GUARD_AUTO_MIGRATE": "0", "GUARD_ALLOW_CLIENT_TIME": "1",
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")}
    (tmp_path / "metrics").mkdir()
    key = cli(env, "keys", "create", "--role", "dialer").stdout.strip()
    server = GuardServer(env, workers=3, threads=2).start()
    try:
        for i in range(30):  # one connection each, so the three workers share them
            status, _ = request(server.port, "POST", "/v1/check", {"phone": f"1380013{i:04d}", "campaign": "dep-2026q4",
                                                                   "at": "2026-11-23T10:15:00+08:00"}, key)
            assert status == 200
        assert [checks_total(server.port) for _ in range(8)] == [30.0] * 8
        pids = {p.name for p in (tmp_path / "metrics").iterdir()}
        assert len({name.rsplit("_", 1)[-1] for name in pids}) >= 2, "more than one worker wrote samples"
    finally:
        server.stop()
