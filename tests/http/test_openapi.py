"""/openapi.json is generated from the schemas that validate requests, and covers every route."""

from __future__ import annotations

import pytest

from tests.conftest import new_key


@pytest.fixture
def app(make_app):
    return make_app(GUARD_ALLOW_CLIENT_TIME="1")


def _openapi_path(rule: str) -> str:
    return rule.replace("<", "{").replace(">", "}")


def test_every_route_is_documented_with_its_methods(app):
    doc = app.test_client().get("/openapi.json").json
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = _openapi_path(rule.rule)
        assert path in doc["paths"], path
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in doc["paths"][path], (method, path)


def test_request_schemas_state_the_required_fields_and_forbid_others(app):
    doc = app.test_client().get("/openapi.json").json
    schemas = doc["components"]["schemas"]
    check = schemas["CheckRequest"]
    assert sorted(check["required"]) == ["campaign", "phone"]
    assert check["additionalProperties"] is False
    assert doc["paths"]["/v1/check"]["post"]["security"] == [{"bearer": []}, {"session": []}]
    for code in ("200", "400", "401", "403", "413", "415", "503"):
        assert code in doc["paths"]["/v1/check"]["post"]["responses"]


def test_a_real_answer_matches_its_documented_schema(app):
    from jsonschema import Draft202012Validator

    doc = app.test_client().get("/openapi.json").json
    h = new_key(app, "dialer")
    answer = app.test_client().post("/v1/check", json={"phone": "13800138000", "campaign": "wm-2026q4",
                                                        "at": "2026-11-23T10:15:00+08:00"}, headers=h).json
    schema = {"$ref": "#/components/schemas/CheckResponse", "components": doc["components"]}
    resolver_doc = {**schema}
    errors = list(Draft202012Validator(resolver_doc).iter_errors(answer))
    assert errors == []
    error_answer = app.test_client().post("/v1/check", json={}, headers=h).json
    error_schema = {"$ref": "#/components/schemas/ErrorOut", "components": doc["components"]}
    assert list(Draft202012Validator(error_schema).iter_errors(error_answer)) == []


def test_the_headers_a_client_must_read_or_send_are_declared(app):
    """A client generated from the document must see Retry-After (429 rate limit, a 503's retry), the profile's ETag and
    If-Match, and an audit's Location: OpenAPI 3.1 §4.8.17 (Response Object `headers`) and §4.8.12 (`in: header`)."""
    doc = app.test_client().get("/openapi.json").json
    paths = doc["paths"]
    for path, ops in paths.items():
        for method, op in ops.items():
            if "429" in op["responses"]:
                retry = op["responses"]["429"].get("headers", {}).get("Retry-After")
                assert retry and retry["required"] is True and retry["schema"]["type"] == "integer", (method, path)
            if "503" in op["responses"]:
                assert "Retry-After" in op["responses"]["503"].get("headers", {}), (method, path)
    customer = paths["/v1/customers/{customer_id}"]
    assert "ETag" in customer["get"]["responses"]["200"]["headers"]
    for code in ("200", "201"):
        assert "ETag" in customer["put"]["responses"][code]["headers"]
    if_match = [p for p in customer["put"]["parameters"] if p["in"] == "header"]
    assert [p["name"] for p in if_match] == ["If-Match"] and if_match[0]["required"] is False
    assert "Location" in paths["/v1/audits"]["post"]["responses"]["202"]["headers"]
    # A dialer retrying a check after a lost answer sends its Idempotency-Key (draft-ietf-httpapi-idempotency-key-header).
    check = paths["/v1/check"]["post"]
    idem = [p for p in check["parameters"] if p["in"] == "header"]
    assert [p["name"] for p in idem] == ["Idempotency-Key"] and idem[0]["required"] is False
    assert "Idempotent-Replayed" in check["responses"]["200"]["headers"]
    assert "IDEMPOTENCY_KEY_REUSED" in check["responses"]["422"]["description"]


def test_a_rate_limited_answer_carries_the_declared_retry_after(make_app):
    app = make_app(GUARD_RATE_LIMIT="1", GUARD_WORKERS="1")
    h = new_key(app, "dialer")
    c = app.test_client()
    statuses = [c.get("/v1/me", headers=h) for _ in range(5)]
    limited = [r for r in statuses if r.status_code == 429]
    assert limited, [r.status_code for r in statuses]
    assert int(limited[0].headers["Retry-After"]) >= 1


def test_the_document_documents_its_own_answer_as_json(app):
    # GET /openapi.json answered application/json while its operation documented a 200 with no content at all:
    # a client validating answers against the document could not validate the document's own.
    doc = app.test_client().get("/openapi.json").json
    assert "application/json" in doc["paths"]["/openapi.json"]["get"]["responses"]["200"]["content"]


INSTANT_NAMES = ("at", "due", "from", "to")


def _is_instant_name(name: str) -> bool:
    return name in INSTANT_NAMES or name.endswith("_at") or name.endswith("_due")


def _string_alternatives(prop: dict) -> list[dict]:
    return [a for a in prop.get("anyOf", [prop]) if a.get("type") == "string"]


def test_every_instant_an_answer_carries_is_documented_as_a_date_time(app):
    # Answers' instants were documented as bare strings: a client generated from the document (OpenAPI Generator,
    # openapi-typescript …) typed ended_at or next_allowed_at as text, not as the date-time it is.
    doc = app.test_client().get("/openapi.json").json
    found = 0
    for name, schema in doc["components"]["schemas"].items():
        if not (name.endswith("Out") or name.endswith("Response")):
            continue
        for prop_name, prop in schema.get("properties", {}).items():
            for alt in _string_alternatives(prop):
                if _is_instant_name(prop_name):
                    found += 1
                    assert alt.get("format") == "date-time", (name, prop_name, alt)
    assert found >= 50, found
    assert doc["components"]["schemas"]["StatsOut"]["properties"]["date"]["format"] == "date"


def _instants_in(value, path=""):
    """The documented instants of an answer; a reason's `detail` is free-form (its `windows` hold times of day)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "detail":
                continue
            if isinstance(v, str) and _is_instant_name(k):
                yield f"{path}.{k}", v
            else:
                yield from _instants_in(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _instants_in(v, f"{path}[{i}]")


def test_the_instants_real_answers_carry_are_rfc3339_date_times(app):
    """What the document now promises, the answers keep: RFC 3339 §5.6 date-time (a `T`, seconds, an offset)."""
    import re
    from datetime import datetime

    rfc3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
    c = app.test_client()
    h = {**new_key(app, "dialer", "operator", "auditor", "reviewer")}
    at = "2026-11-23T10:15:00+08:00"
    answers = []
    allowed = c.post("/v1/check", json={"phone": "13800138000", "campaign": "dep-2026q4", "at": at}, headers=h).json
    assert allowed["allowed"] is True, allowed
    answers.append(allowed)
    late = c.post("/v1/check", json={"phone": "13800138001", "campaign": "dep-2026q4", "at": "2026-11-23T23:15:00+08:00"},
                  headers=h).json
    assert late["next_allowed_at"], late
    answers.append(late)
    answers.append(c.get(f"/v1/decisions/{allowed['decision_id']}", headers=h).json)
    answers.append(c.post(f"/v1/calls/{allowed['decision_id']}/outcome",
                          json={"disposition": "answered", "ended_at": "2026-11-23T10:20:00+08:00"}, headers=h).json)
    answers.append(c.post("/v1/blacklist", json={"phone": "13900139000", "source": "customer_request", "reason": "客户要求"},
                          headers=h).json)
    complaint = c.post("/v1/complaints", json={"phone": "13700137000", "severity": "light", "text": "来电太频繁"},
                       headers=h).json
    answers.append(complaint)
    answers.append(c.post(f"/v1/complaints/{complaint['id']}/events", json={"type": "resolved", "note": "已致电解释"},
                          headers=h).json)
    answers.append(c.get("/v1/complaints?status=open", headers=h).json)
    answers.append(c.get("/v1/stats", headers=h).json)
    seen = {}
    for answer in answers:
        for path, value in _instants_in(answer):
            seen[path] = value
            assert rfc3339.match(value), (path, value)
            assert datetime.fromisoformat(value).tzinfo is not None, (path, value)
    # the answers above hold each kind the document marks: judged, next allowed, local, reported, listed, due, event
    for key in (".evaluated_at", ".next_allowed_at", ".local.at", ".reported_at", ".added_at", ".sla.resolution_due",
                ".received_at", ".from", ".to"):
        assert any(p.endswith(key) for p in seen), (key, sorted(seen))
