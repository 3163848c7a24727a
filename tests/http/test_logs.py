"""JSON logs: one object per line, each request with its route, status, latency, key id and decision id; never a key."""

from __future__ import annotations

import json

from app import create_app
from guard.services.ops.keys import create_key


def test_json_logs_carry_the_decision_id_and_never_the_key(store_url, capsys):
    app = create_app({"DATABASE_URL": store_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "INFO", "GUARD_LOG_FORMAT": "json",
                      "GUARD_RELOAD_POLL_SECONDS": "0"})
    try:
        rt = app.extensions["guard"]
        key = create_key(rt.store, ["dialer"], rt.clock())
        client = app.test_client()
        capsys.readouterr()
        r = client.post("/v1/check", json={"phone": "13800138000", "campaign": "dep-2026q4", "dry_run": True},
                        headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 200
        bad = client.get("/v1/me", headers={"Authorization": f"Bearer {key}x"})
        assert bad.status_code == 401
        err = capsys.readouterr().err
    finally:
        rt.store.dispose()
        create_app({"DATABASE_URL": store_url, "GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "WARNING"}).extensions["guard"].store.dispose()
    lines = [json.loads(line) for line in err.splitlines() if line.strip()]
    check = next(x for x in lines if x.get("route") == "/v1/check")
    assert check["decision_id"] == r.json["decision_id"] and check["status"] == 200 and check["ms"] > 0
    assert check["key_id"] == key.split("_")[1] and check["level"] == "INFO" and check["logger"] == "guard.access"
    assert check["allowed"] == r.json["allowed"]
    refused = next(x for x in lines if x.get("route") == "/v1/me")
    assert refused["status"] == 401 and "key_id" not in refused
    secret = key.split("_", 2)[2]
    assert secret not in err and "Bearer" not in err
