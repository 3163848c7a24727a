"""A sweep of hostile and malformed input over every endpoint: 400/413/415 naming the field, never 5xx, never an allow."""

from __future__ import annotations

import json

import pytest

from guard.http.api import ENDPOINTS
from tests.conftest import dispose_apps, new_key

GOOD_CHECK = {"phone": "13800138000", "campaign": "dep-2026q4", "dry_run": True}


CONFIG = {"GUARD_AUTO_MIGRATE": "0", "GUARD_LOG_LEVEL": "WARNING", "GUARD_RELOAD_POLL_SECONDS": "0",
          "GUARD_MAX_BODY_BYTES": "65536"}


@pytest.fixture(scope="module")
def client(module_store_url):
    """One app and store of each kind for the whole sweep: every request here is refused before it reaches the store
    (and test_text_a_store_cannot_hold_is_400_naming_the_field asserts that no complaint was kept), so sharing them
    loses nothing, where building an app for each of the 770 cases took most of this file's time."""
    from app import create_app

    app = create_app({**CONFIG, "DATABASE_URL": module_store_url})
    c = app.test_client()
    c.h = new_key(app, "admin")
    yield c
    dispose_apps([app])


@pytest.fixture
def own_client(make_app):
    """An app and store of its own, for a request that changes what the store holds."""
    app = make_app(GUARD_MAX_BODY_BYTES="65536")
    c = app.test_client()
    c.h = new_key(app, "admin")
    return c


def _url(path: str) -> str:
    return path.replace("{", "").replace("}", "") .replace("customer_id", "C1").replace("decision_id", "d1") \
        .replace("campaign_id", "camp").replace("code", "P1")


BODY_ENDPOINTS = [ep for ep in ENDPOINTS if ep.body is not None]

RAW_BODIES = [
    (b"", "INVALID_JSON"),
    (b"{", "INVALID_JSON"),
    (b"not json", "INVALID_JSON"),
    (b'{"phone": NaN}', "INVALID_JSON"),
    (b'{"phone": Infinity}', "INVALID_JSON"),
    (b'{"phone": "1", "phone": "2"}', "INVALID_JSON"),
    (b"\xff\xfe{}", "INVALID_JSON"),
    (b'{"phone": "\xe4\xb8"}', "INVALID_JSON"),
    (b"[" * 5000 + b"]" * 5000, "INVALID_JSON"),
    (b'{"a":' * 40 + b"1" + b"}" * 40, "INVALID_JSON"),
    (b"[]", "INVALID_REQUEST"),
    (b'"just a string"', "INVALID_REQUEST"),
    (b"null", "INVALID_REQUEST"),
]


@pytest.mark.parametrize("ep", BODY_ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
@pytest.mark.parametrize("raw,code", RAW_BODIES, ids=range(len(RAW_BODIES)))
def test_malformed_bodies_are_400_on_every_endpoint(client, ep, raw, code):
    r = client.open(_url(ep.path), method=ep.method, data=raw, headers={**client.h, "Content-Type": "application/json"})
    assert r.status_code == 400, r.data
    assert r.json["error"]["code"] == code and r.json["error"]["message"]


@pytest.mark.parametrize("ep", BODY_ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
@pytest.mark.parametrize("ctype", [None, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1"])
def test_wrong_content_types_are_415(client, ep, ctype):
    headers = dict(client.h)
    if ctype:
        headers["Content-Type"] = ctype
    r = client.open(_url(ep.path), method=ep.method, data=json.dumps(GOOD_CHECK), headers=headers)
    assert r.status_code == 415 and r.json["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


@pytest.mark.parametrize("ep", BODY_ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
def test_huge_bodies_are_413(client, ep):
    huge = json.dumps({"phone": "1" * 70000})
    r = client.open(_url(ep.path), method=ep.method, data=huge, headers={**client.h, "Content-Type": "application/json"})
    assert r.status_code == 413 and r.json["error"]["code"] == "PAYLOAD_TOO_LARGE"


CHECK_CASES = [
    ({"campaign": "dep-2026q4"}, "phone"),
    ({"phone": "13800138000"}, "campaign"),
    ({**GOOD_CHECK, "phone": 13800138000}, "phone"),
    ({**GOOD_CHECK, "phone": ""}, "phone"),
    ({**GOOD_CHECK, "phone": "1" * 65}, "phone"),
    ({**GOOD_CHECK, "campaign": ["x"]}, "campaign"),
    ({**GOOD_CHECK, "campaign": "x" * 101}, "campaign"),
    ({**GOOD_CHECK, "dry_run": "yes"}, "dry_run"),
    ({**GOOD_CHECK, "dry_run": 1}, "dry_run"),
    ({**GOOD_CHECK, "at": "tomorrow"}, "at"),
    ({**GOOD_CHECK, "at": "2026-11-23T10:15:00"}, "at"),  # no offset
    ({**GOOD_CHECK, "at": "2026-13-45T10:15:00+08:00"}, "at"),
    ({**GOOD_CHECK, "at": 1700000000}, "at"),
    ({**GOOD_CHECK, "at": "0001-01-01T00:00:00+14:00"}, "at"),
    ({**GOOD_CHECK, "region": "China"}, "region"),
    ({**GOOD_CHECK, "region": "ZZ"}, "region"),
    ({**GOOD_CHECK, "customer_id": "a b"}, "customer_id"),
    ({**GOOD_CHECK, "customer_id": "x" * 65}, "customer_id"),
    ({**GOOD_CHECK, "dryrun": True}, "dryrun"),
    ({**GOOD_CHECK, "extra": {"nested": [1, 2]}}, "extra"),
]


@pytest.mark.parametrize("body,field", CHECK_CASES)
def test_bad_check_fields_are_named_and_never_allowed(client, body, field):
    r = client.post("/v1/check", json=body, headers=client.h)
    assert r.status_code == 400, r.json
    assert r.json["error"]["code"] in ("INVALID_REQUEST", "CLOCK_SKEW")
    assert field in [d["field"] for d in r.json["error"]["details"]]
    assert "allowed" not in r.json


CUSTOMER_CASES = [
    ({"phones": ["12345"]}, "phones[0]"),
    ({"phones": "13800138000"}, "phones"),
    ({"phones": ["13800138000"] * 101}, "phones"),
    ({"risk_level": "C6"}, "risk_level"),
    ({"risk_level": 3}, "risk_level"),
    ({"risk_assessed_at": "yesterday"}, "risk_assessed_at"),
    ({"risk_assessed_at": "2999-01-01T00:00:00+00:00"}, "risk_assessed_at"),
    ({"tags": "sensitive"}, "tags"),
    ({"windows": [{"days": "mon-fri", "from": "22:00", "to": "02:00"}]}, "windows[0].to"),
    ({"windows": [{"days": "someday", "from": "09:00", "to": "10:00"}]}, "windows[0].days"),
    ({"windows": [{"days": "mon", "from": "09:00"}]}, "windows[0].to"),
    ({"windows": [{"days": "mon", "from": "9am", "to": "10:00"}]}, "windows[0].from"),
    ({"timezone": "Moon/Base"}, "timezone"),
    ({"unknown": 1}, "unknown"),
]


@pytest.mark.parametrize("body,field", CUSTOMER_CASES)
def test_bad_customer_fields_are_named(client, body, field):
    r = client.put("/v1/customers/C1", json=body, headers=client.h)
    assert r.status_code == 400, r.json
    assert field in [d["field"] for d in r.json["error"]["details"]]


@pytest.mark.parametrize("path", ["/v1/customers/" + "x" * 65, "/v1/decisions/" + "x" * 40, "/v1/products/" + "p" * 101])
def test_overlong_path_ids_are_400(client, path):
    assert client.get(path, headers=client.h).status_code == 400


def test_unknown_routes_and_methods_use_the_error_shape(client):
    r = client.get("/v1/nothing", headers=client.h)
    assert r.status_code == 404 and r.json["error"]["code"] == "NOT_FOUND"
    r = client.delete("/v1/check", headers=client.h)
    assert r.status_code == 405 and r.json["error"]["code"] == "METHOD_NOT_ALLOWED" and "POST" in r.headers["Allow"]


# Text a store cannot hold (PostgreSQL refuses NUL in text; a lone surrogate has no UTF-8 form) is bad
# input, answered 400 naming where it was; it never reaches the store to come back as a 503 outage.
@pytest.mark.parametrize("raw, field", [
    (b'{"phone": "13800138000", "text": "a\\u0000b", "severity": "light"}', "text"),
    (b'{"phone": "13800138000", "text": "\\ud800", "severity": "light"}', "text"),
    (b'{"phone": "13800138000", "text": "ok", "severity": "light", "x\\u0000": 1}', "x\\u0000"),
])
def test_text_a_store_cannot_hold_is_400_naming_the_field(client, raw, field):
    r = client.post("/v1/complaints", data=raw, content_type="application/json", headers=client.h)
    assert r.status_code == 400, r.json
    assert r.json["error"]["details"][0]["field"] == field
    assert client.get("/v1/complaints", headers=client.h).json["complaints"] == []


def test_nul_in_path_and_query_is_400(client):
    r = client.get("/v1/customers/C%001", headers=client.h)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "customer_id"
    r = client.get("/v1/decisions?phone=138%0000138000", headers=client.h)
    assert r.status_code == 400 and r.json["error"]["details"][0]["field"] == "phone"
    assert client.get("/v1/customers/C%001").status_code == 401  # the key is still asked for first


def test_nul_in_an_imported_row_rejects_that_row_only(own_client):
    client = own_client
    r = client.post("/v1/blacklist/import?source=customer_request", data="phone,reason\n13800138000,a\x00b\n13900139000,ok\n",
                    content_type="text/csv", headers=client.h)
    assert r.status_code == 200, r.json
    assert r.json["accepted"] == 1 and r.json["rejected"] == 1 and r.json["rejects"][0]["line"] == 2
