"""Consent, provenance and call purposes: the suppression tests' app on a settable clock, with keys."""

from __future__ import annotations

import time

from tests.suppression.conftest import Api, api, app, client, clock, codes  # noqa: F401 - fixtures shared

__all__ = ["Api", "codes", "wait_done"]


def wait_done(client, headers, audit_id: str) -> dict:
    for _ in range(400):
        r = client.get(f"/v1/audits/{audit_id}", headers=headers)
        assert r.status_code == 200
        if r.json["status"] in ("done", "failed"):
            return r.json
        time.sleep(0.05)
    raise AssertionError("the audit did not finish")
