"""The endpoint registry: one declaration per endpoint drives routing, auth, body validation and OpenAPI.

    @endpoint(bp, "POST", "/v1/check", roles=("dialer",), body=CheckRequest, response=CheckResponse)
    def check(body: CheckRequest, principal: Principal): ...

Because /openapi.json is generated from the very models that validate requests, the document
cannot drift from what the server accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Callable

from flask import Blueprint, current_app, g, request
from pydantic import BaseModel

from guard.core.text import unstorable
from guard.http.body import parse_model, parse_query, read_json
from guard.http.common import ID_LENGTHS, PATH_ID, path_id
from guard.http.errors import ApiError, bad_request
from guard.ratelimit import retry_after
from guard.services.ops.keys import Principal
from guard.core.messages import label, said


@dataclass
class Endpoint:
    method: str
    path: str  # OpenAPI style: /v1/customers/{customer_id}
    summary: str
    roles: tuple[str, ...] | None
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    tag: str
    description: str | None = None
    extra_responses: dict[int, str] = field(default_factory=dict)
    request_content: dict[str, Any] | None = None  # for non-JSON bodies (uploads)
    response_content: dict[str, Any] | None = None  # for non-JSON answers (HTML, CSV); beside `response`: its other forms
    also: tuple[int, ...] = ()  # other success codes with the same body (201 created / 200 already there)
    headers_in: dict[str, str] = field(default_factory=dict)  # optional request headers it reads: name -> meaning
    headers_out: dict[str, str] = field(default_factory=dict)  # headers of its success answers: name -> meaning


ENDPOINTS: list[Endpoint] = []


COOKIE = "guard_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _key_principal(header: str) -> Principal:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "UNAUTHORIZED", said("error.missing_key"), None, {"WWW-Authenticate": "Bearer"})
    principal = current_app.extensions["guard"].keys.verify(token.strip())
    if principal is None:
        raise ApiError(401, "UNAUTHORIZED", said("error.unknown_key"), None, {"WWW-Authenticate": "Bearer"})
    return principal


def session_principal() -> tuple[Principal, Any] | None:
    """The signed-in person of the request's session cookie, with the live session; None without a live one."""
    from guard.services.ops import accounts

    session_id = request.cookies.get(COOKIE)
    if not session_id:
        return None
    rt = current_app.extensions["guard"]
    live = accounts.session(rt.store, rt.settings, session_id, rt.clock())
    return (live.principal, live) if live is not None else None


def _session_principal() -> Principal:
    found = session_principal()
    if found is None:
        if request.cookies.get(COOKIE):
            raise ApiError(401, "UNAUTHORIZED", said("error.session_ended"), None, {"WWW-Authenticate": "Bearer"})
        raise ApiError(401, "UNAUTHORIZED", said("error.missing_key_or_session"), None, {"WWW-Authenticate": "Bearer"})
    principal, live = found
    # A change made with a session must carry the session's CSRF token: a page of another site can make
    # the browser send the cookie (SameSite=Strict aside), but cannot read the token to send it back.
    if request.method not in SAFE_METHODS and not live.csrf_ok(request.headers.get(CSRF_HEADER)):
        raise ApiError(403, "CSRF_FAILED", said("error.csrf_missing", header=CSRF_HEADER))
    return principal


def authenticate(roles: tuple[str, ...]) -> Principal:
    """The caller: an API key (`Authorization: Bearer`, no CSRF token needed) or else the console session's person."""
    header = request.headers.get("Authorization")
    principal = _key_principal(header) if header is not None else _session_principal()
    wait = current_app.extensions["guard"].limiter.take(principal.actor)
    if wait:
        raise ApiError(429, "RATE_LIMITED", said("error.rate_limited", wait=f"{wait:.1f}"),
                       {"retry_after_seconds": round(wait, 3)}, {"Retry-After": retry_after(wait)})
    if not any(principal.has(r) for r in roles):
        who = label("person", "人员") if principal.person else label("key", "密钥")
        needs = label(" or ".join(roles), " 或 ".join(roles))
        raise ApiError(403, "FORBIDDEN", said("error.lacks_role", who=who, roles=needs), {"roles": sorted(principal.roles)})
    g.principal = principal
    return principal


# For operations that take an instant from the client (`at`, `received_at`): outside every pack's range.
INSTANT_NOT_COVERED = "no policy pack version covers the instant given (the field and the covered ranges are named)"


def endpoint(
    bp: Blueprint,
    method: str,
    path: str,
    *,
    summary: str,
    roles: tuple[str, ...] | None,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    description: str | None = None,
    extra_responses: dict[int, str] | None = None,
    request_content: dict[str, Any] | None = None,
    response_content: dict[str, Any] | None = None,
    also: tuple[int, ...] = (),
    headers_in: dict[str, str] | None = None,
    headers_out: dict[str, str] | None = None,
) -> Callable:
    rule = re.sub(r"\{(\w+)\}", r"<\1>", path)
    ENDPOINTS.append(
        Endpoint(method, path, summary, roles, body, query, response, status, bp.name, description,
                 extra_responses or {}, request_content, response_content, also, headers_in or {}, headers_out or {})
    )

    def decorate(fn: Callable) -> Callable:
        @wraps(fn)
        def view(**path_args: Any):
            kwargs: dict[str, Any] = dict(path_args)
            if roles is not None:
                kwargs["principal"] = authenticate(roles)
            for name, value in path_args.items():
                problem = unstorable(value)
                if problem:
                    raise bad_request(f"{name}: {problem}", name)
            if body is not None:
                kwargs["body"] = parse_model(body, read_json())
            if query is not None:
                kwargs["query"] = parse_query(query)
            for name, value in path_args.items():
                if name in ID_LENGTHS:
                    path_id(value, name)
            return fn(**kwargs)

        bp.add_url_rule(rule, endpoint=fn.__name__, view_func=view, methods=[method])
        return fn

    return decorate


def _schema(model: type[BaseModel], components: dict[str, Any], mode: str) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode=mode, by_alias=True)
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _path_schema(name: str) -> dict[str, Any]:
    if name in ID_LENGTHS:
        return {"type": "string", "minLength": 1, "maxLength": ID_LENGTHS[name], "pattern": PATH_ID.pattern}
    return {"type": "string", "minLength": 1}


# Retry-After (RFC 9110 §10.2.3) in whole seconds: always on a 429; on a 503 when the store is what failed.
RETRY_AFTER = {
    429: {"description": "seconds to wait before asking again (a check: do not dial meanwhile)", "required": True,
          "schema": {"type": "integer", "minimum": 1}},
    503: {"description": "seconds to wait before asking again, when the store could not be reached (STORE_UNAVAILABLE)",
          "required": False, "schema": {"type": "integer", "minimum": 1}},
}


def openapi_document(version: str) -> dict[str, Any]:
    from guard.http.schemas import ErrorOut

    components: dict[str, Any] = {}
    error_ref = _schema(ErrorOut, components, "serialization")
    paths: dict[str, Any] = {}
    for ep in ENDPOINTS:
        op: dict[str, Any] = {"summary": ep.summary, "tags": [ep.tag], "operationId": f"{ep.method.lower()}_{ep.path}"}
        op["operationId"] = re.sub(r"[^A-Za-z0-9]+", "_", op["operationId"]).strip("_")
        if ep.description:
            op["description"] = ep.description
        params = [
            {"name": name, "in": "path", "required": True, "schema": _path_schema(name)}
            for name in re.findall(r"\{(\w+)\}", ep.path)
        ]
        if ep.query is not None:
            qs = ep.query.model_json_schema(mode="validation")
            required = set(qs.get("required", []))
            for name, prop in qs.get("properties", {}).items():
                params.append({"name": name, "in": "query", "required": name in required, "schema": prop})
        params += [{"name": name, "in": "header", "required": False, "description": text, "schema": {"type": "string"}}
                   for name, text in ep.headers_in.items()]
        if params:
            op["parameters"] = params
        if ep.body is not None:
            op["requestBody"] = {"required": True, "content": {"application/json": {"schema": _schema(ep.body, components, "validation")}}}
        elif ep.request_content is not None:
            op["requestBody"] = {"required": True, "content": ep.request_content}
        responses: dict[str, Any] = {}
        if ep.response is not None:  # JSON, and with response_content the other forms (?format=csv)
            responses[str(ep.status)] = {
                "description": "OK",
                "content": {"application/json": {"schema": _schema(ep.response, components, "serialization")}, **(ep.response_content or {})},
            }
        elif ep.response_content is not None:
            responses[str(ep.status)] = {"description": "OK", "content": ep.response_content}
        else:
            responses[str(ep.status)] = {"description": "OK"}
        if ep.headers_out:
            responses[str(ep.status)]["headers"] = {name: {"description": text, "schema": {"type": "string"}}
                                                    for name, text in ep.headers_out.items()}
        for code in ep.also:
            responses[str(code)] = {**responses[str(ep.status)], "description": "Created" if code == 201 else "OK (already recorded)"}
        codes = {400: "invalid input (the field is named)", 503: "store unreachable or no policy: do not dial"}
        if ep.roles is not None:
            codes.update({401: "missing or unknown API key", 403: "the key lacks the role",
                          429: "over the key's rate limit (GUARD_RATE_LIMIT); see Retry-After"})
        if ep.body is not None or ep.request_content is not None:
            codes.update({413: "body too large", 415: "wrong content type, or a Content-Encoding other than identity"})
        codes.update(ep.extra_responses)
        for code, text in sorted(codes.items()):
            responses.setdefault(str(code), {"description": text, "content": {"application/json": {"schema": error_ref}}})
            if code in RETRY_AFTER:
                responses[str(code)]["headers"] = {"Retry-After": RETRY_AFTER[code]}
        if ep.roles is not None:
            op["security"] = [{"bearer": []}, {"session": []}]
            op["description"] = (op.get("description", "") + f"\n\nRoles: {', '.join(ep.roles)} (or admin).").strip()
        op["responses"] = responses
        paths.setdefault(ep.path, {})[ep.method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "Contact-compliance guard", "version": version},
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "description": "an API key (machines); no CSRF token needed"},
            "session": {"type": "apiKey", "in": "cookie", "name": COOKIE,
                        "description": "a person's console session (POST /v1/session); changes also need the X-CSRF-Token header"}}},
    }
