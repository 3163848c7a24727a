"""Small helpers the handlers share: the runtime, path-parameter checks, JSON answers."""

from __future__ import annotations

import re
from typing import Any

from flask import Response, current_app, jsonify

from guard.http.errors import ApiError, bad_request
from guard.runtime import Runtime

_PATH_ID = re.compile(r"^[^\s/\\]+$")


def runtime() -> Runtime:
    return current_app.extensions["guard"]


def path_id(value: str, field: str, max_length: int = 64) -> str:
    if not value or len(value) > max_length or not _PATH_ID.match(value):
        raise bad_request(f"{field}: must be 1-{max_length} characters without spaces or slashes", field)
    return value


def not_found(what: str, ident: str) -> ApiError:
    return ApiError(404, "NOT_FOUND", f"No {what} {ident!r}.")


def answer(body: Any, status: int = 200) -> Response:
    response = jsonify(body)
    response.status_code = status
    return response
