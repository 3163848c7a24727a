"""One error shape for every failure: `{"error": {"code", "message", "details", "messages"}}`.

Unexpected exceptions become a logged 500 in the same shape (a sweep test makes sure bad input
never gets there). Store trouble and missing policies are 503: the dialer must not dial.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import ClientDisconnected, HTTPException

from guard.metrics import REQUEST_SECONDS, REQUESTS, STORE_ERRORS
from guard.core.catalog import NoPolicy
from guard.core.errors import GuardError
from guard.core.messages import TEMPLATES, error_messages, said
from guard.core.vocabularies import VOCABULARIES
from guard.store.db import STORE_FAULTS, StoreUnavailable

log = logging.getLogger(__name__)
access = logging.getLogger("guard.access")
for _fault in STORE_FAULTS:  # every kind is a series from the start (0 until it happens), for rate() and alerts
    STORE_ERRORS.labels(_fault)

ERRORS = VOCABULARIES["error_codes"]
STATUS = {t.code: t.extra["status"] for t in ERRORS.terms}
# The code of an error raised by the framework itself (routing, body size, methods), by status.
HTTP_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    408: "REQUEST_TIMEOUT",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL_ERROR",
    503: "SERVICE_UNAVAILABLE",
}


class ApiError(Exception):
    """An error the HTTP layer itself answers with (authentication, content types, paths)."""

    def __init__(self, status: int, code: str, message: str, details: Any = None, headers: dict | None = None):
        super().__init__(message)
        self.messages: dict[str, str] | None = getattr(message, "messages", None)  # a `Said` message's languages
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}



def store_message(exc: StoreUnavailable) -> str:
    """The message key of a store failure: which one it was (read-only, a timeout, a lock, the pool, the connection)."""
    return "error.store_busy" if exc.kind == "lock_wait" else f"error.store_{exc.kind}"


def store_details(exc: StoreUnavailable) -> dict:
    """`details` of a 503 STORE_UNAVAILABLE: the kind of failure and PostgreSQL's SQLSTATE when it gave one (no driver
    text: it may name hosts and databases)."""
    return {"store": "unavailable", "fault": exc.kind, "sqlstate": exc.sqlstate}

def unsupported(message: str, header: str = "Content-Type", headers: dict | None = None) -> ApiError:
    """A 415 naming the header at fault (SPEC §3: the offending field is named, for 415 as for 400)."""
    return ApiError(415, "UNSUPPORTED_MEDIA_TYPE", message, [{"field": header, "reason": str(message)}], headers)


def bad_request(message: str, field: str | None = None, reason: str | None = None, code: str = "INVALID_REQUEST") -> ApiError:
    details = [{"field": field, "reason": str(reason or message)}] if field is not None else None
    return ApiError(400, code, message, details)


def error_response(status: int, code: str, message: str, details: Any = None, headers: dict | None = None) -> Response:
    # `messages`: the same error in zh-CN, zh-TW and en for a person (the code's name and the fields at fault).
    response = jsonify({"error": {"code": code, "message": message, "details": details,
                                  "messages": error_messages(code, message, details)}})
    response.status_code = status
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


# The methods /metrics counts by name; any other a client sends is counted as "other": a label value taken from the
# request as sent gave every made-up method (`QWERTY /v1/check`, no key needed) a time series of its own in every
# worker, for the life of the server (prometheus.io/docs/practices/naming/#labels: no label with unbounded values).
COUNTED_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


# A request id a client or proxy sends (X-Request-Id) is kept when it is a plain token, so that its logs and ours meet;
# anything else (too long, spaces, line breaks that would forge a log line) is replaced by one of ours.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:/+=@-]{1,128}")


def request_id() -> str:
    """The id of the request being answered: in its response's X-Request-Id header and in each log line about it."""
    rid = g.get("request_id")
    if rid is None:
        sent = request.headers.get("X-Request-Id", "")
        rid = g.request_id = sent if _REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex
    return rid


def _about_request(status: int) -> dict[str, Any]:
    """The fields of a log line about the request being answered (JSON format: fields of the object)."""
    route = request.url_rule.rule if request.url_rule is not None else "(unmatched)"
    return {"request_id": request_id(), "method": request.method, "route": route, "status": status}


def _one_line(exc: BaseException) -> str:
    """A driver's message on one line (PostgreSQL's spans lines: DETAIL, CONTEXT, HINT)."""
    return " ".join(str(exc).split())


def register(app: Flask) -> None:
    @app.before_request
    def _started():
        g.started = time.perf_counter()
        request_id()

    @app.after_request
    def _measured(response):
        # No answer of ours is to be content-sniffed (a call log's text in a CSV or report must stay text).
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Request-Id"] = request_id()
        # The API's answers hold customers' numbers, complaints and call logs: no browser or proxy cache may keep
        # them (OWASP REST Security Cheat Sheet, security headers). An answer that holds no data says otherwise itself.
        if request.path.startswith("/v1/") and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        started = g.pop("started", None)
        route = request.url_rule.rule if request.url_rule is not None else "(unmatched)"
        method = request.method if request.method in COUNTED_METHODS else "other"
        REQUESTS.labels(method, route, str(response.status_code)).inc()
        elapsed = time.perf_counter() - started if started is not None else None
        if elapsed is not None:
            REQUEST_SECONDS.labels(route).observe(elapsed)
        if access.isEnabledFor(logging.INFO):
            principal = g.get("principal")
            access.info("%s %s %s", request.method, route, response.status_code, extra={
                "request_id": request_id(), "method": request.method, "route": route, "status": response.status_code,
                "ms": round(elapsed * 1000, 2) if elapsed is not None else None,
                "key_id": principal.actor if principal is not None else None,
                "decision_id": g.get("decision_id"), "allowed": g.get("allowed")})
        return response

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.errorhandler(StoreUnavailable)
    def _store(exc: StoreUnavailable):
        about = _about_request(503)
        log.error("store unavailable (%s %s, request %s): %s", about["method"], about["route"], about["request_id"],
                  _one_line(exc), extra=about)
        STORE_ERRORS.labels(exc.kind if exc.kind in STORE_FAULTS else "unavailable").inc()  # a bounded label
        return error_response(503, "STORE_UNAVAILABLE", said(store_message(exc)), store_details(exc), {"Retry-After": "1"})

    @app.errorhandler(GuardError)
    def _refused(exc: GuardError):
        # Every refusal of a rule or a use case, mapped here once: the status comes from the registry.
        retry = getattr(exc, "retry_after", None)  # a refusal that passes with time (JOBS_BUSY) says when to ask again
        return error_response(STATUS[exc.code], exc.code, exc.message, exc.details,
                              {"Retry-After": str(max(1, int(retry)))} if retry else None)

    @app.errorhandler(NoPolicy)
    def _no_policy(exc: NoPolicy):
        about = _about_request(503)
        log.error("no policy (%s %s, request %s): %s", about["method"], about["route"], about["request_id"], exc, extra=about)
        return error_response(503, "NO_POLICY", said("error.no_policy", why=exc.message))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        status = exc.code or 500
        message = exc.description or exc.name
        if message == type(exc).description and f"error.http_{status}" in TEMPLATES:
            message = said(f"error.http_{status}")  # werkzeug's own words for a route or method we do not serve
        if status == 413:
            # The limit of this request: an audit upload has its own (GUARD_MAX_UPLOAD_BYTES), others the app's.
            message = said("error.body_too_large", limit=request.max_content_length)
        details = None
        if status == 413:
            # An upload (a call log) is named as its field, as the README and the upload's own check name it.
            details = [{"field": g.get("upload_field") or "(body)", "reason": str(message)}]
        headers = {}
        valid_methods = getattr(exc, "valid_methods", None)
        if status == 405 and valid_methods:
            headers["Allow"] = ", ".join(valid_methods)
        return error_response(status, HTTP_CODES.get(status, "HTTP_ERROR"), message, details, headers)

    @app.errorhandler(ClientDisconnected)
    @app.errorhandler(BlockingIOError)
    @app.errorhandler(TimeoutError)
    def _stalled(exc: Exception):
        # The body stopped arriving for GUARD_CLIENT_TIMEOUT seconds (guard/serving.py), or the client left.
        log.warning("client stalled or left while sending the body: %s", type(exc).__name__)
        return error_response(408, "REQUEST_TIMEOUT", said("error.body_stalled"), None, {"Connection": "close"})

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        about = _about_request(500)
        log.exception("unexpected error (%s %s, request %s)", about["method"], about["route"], about["request_id"], extra=about)
        return error_response(500, "INTERNAL_ERROR", said("error.unexpected"))
