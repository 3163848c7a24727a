"""Strict request parsing: content type, size, UTF-8, JSON without NaN or duplicate keys, then schema.

Each failure is a 400/413/415 in the one error shape, naming the offending field.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from flask import request
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from guard.core.i18n import field_said
from guard.core.messages import input_said, json_problem_said, said, unstorable_said
from guard.core.text import unstorable
from guard.http.errors import ApiError, bad_request, unsupported

M = TypeVar("M", bound=BaseModel)

MAX_DEPTH = 32


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _depth(value: Any, limit: int) -> int:
    stack = [(value, 1)]
    deepest = 0
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def _bad_text(value: Any) -> tuple[str, str] | None:
    """The first string in a JSON value (key or value) that cannot be stored as text: (field, reason)."""
    stack: list[tuple[Any, tuple]] = [(value, ())]
    while stack:
        item, loc = stack.pop()
        if isinstance(item, str):
            problem = unstorable(item)
            if problem:
                return field_name(loc), unstorable_said(problem)
        elif isinstance(item, dict):
            for key, child in item.items():
                problem = unstorable(key)
                if problem:
                    return field_name(loc + (json.dumps(key)[1:-1],)), said("error.key_problem", problem=unstorable_said(problem))
                stack.append((child, loc + (key,)))
        elif isinstance(item, list):
            stack.extend((child, loc + (i,)) for i, child in enumerate(item))
    return None


def field_name(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(body)"


def validation_details(exc: ValidationError) -> list[dict[str, str]]:
    details = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        reason = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
        if reason.startswith("Value error, "):
            reason = reason[len("Value error, ") :]
        details.append({"field": field_name(loc), "reason": input_said(err["type"], reason, err.get("ctx"))})
    return details


def refuse_content_coding() -> None:
    """Refuse a body sent in a content coding (gzip, br …): every reader takes the bytes as they are.

    RFC 9110 §12.5.3: a server that does not accept a request's content coding answers 415 and lists in
    `Accept-Encoding` the codings it does accept. Read as plain bytes, a gzipped check would be refused for its
    "UTF-8", and a gzipped list or call log sent back with advice to name a text encoding."""
    given = request.headers.get("Content-Encoding", "")
    codings = [c.strip().lower() for c in given.split(",") if c.strip()]
    if any(c != "identity" for c in codings):
        raise unsupported(said("error.content_encoding", given=repr(given)), "Content-Encoding", {"Accept-Encoding": "identity"})


def _whole_body() -> bytes:
    """The request body, 413 when it is larger than the request's limit, however it was sent."""
    raw = request.get_data(cache=True)  # werkzeug refuses a Content-Length over MAX_CONTENT_LENGTH here (413)
    limit = request.max_content_length
    # A chunked body (no Content-Length) is read only up to the limit, and werkzeug stops there without a word:
    # the first `limit` bytes would be parsed as if they were the whole request. One byte more says it was not.
    if request.content_length is None and limit is not None and len(raw) >= limit:
        if request.environ["wsgi.input"].read(1):
            raise RequestEntityTooLarge()
    return raw


def read_json() -> Any:
    """The request body as JSON, refusing anything that is not strictly valid JSON in UTF-8."""
    mimetype = request.mimetype
    if mimetype != "application/json":
        raise unsupported(said("error.content_type_json", given=repr(mimetype or "missing")))
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise unsupported(said("error.charset_utf8", given=repr(charset)))
    raw = _whole_body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise bad_request(said("error.body_not_utf8", byte=exc.start), "(body)", code="INVALID_JSON") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        value = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
    except RecursionError:
        raise bad_request(said("error.json_too_deep", depth=MAX_DEPTH), "(body)", code="INVALID_JSON") from None
    except ValueError as exc:
        raise bad_request(json_problem_said(exc), "(body)", code="INVALID_JSON") from None
    if _depth(value, MAX_DEPTH) > MAX_DEPTH:
        raise bad_request(said("error.json_too_deep", depth=MAX_DEPTH), "(body)", code="INVALID_JSON")
    bad = _bad_text(value)
    if bad is not None:
        raise bad_request(field_said(bad[0], bad[1]), bad[0])
    return value


def parse_model(model: type[M], value: Any) -> M:
    if not isinstance(value, dict):
        raise bad_request(said("error.body_not_object"), "(body)")
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        details = validation_details(exc)
        first = details[0]
        raise ApiError(400, "INVALID_REQUEST", field_said(first["field"], first["reason"]), details) from None


def parse_query(model: type[M]) -> M:
    values: dict[str, Any] = {}
    for key in request.args:
        items = request.args.getlist(key)
        if len(items) > 1:
            raise bad_request(field_said(key, said("error.query_repeated")), key)
        problem = unstorable(key) or unstorable(items[0])
        if problem:
            raise bad_request(field_said(key, unstorable_said(problem)), key)
        values[key] = items[0]
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        details = validation_details(exc)
        first = details[0]
        raise ApiError(400, "INVALID_REQUEST", field_said(first["field"], first["reason"]), details) from None
