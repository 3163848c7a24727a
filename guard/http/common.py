"""Small helpers the handlers share: the runtime, path-parameter checks, JSON answers."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import Response, current_app, jsonify

from guard.core.pack import Pack
from guard.http.errors import ApiError, bad_request
from guard.runtime import Runtime

PATH_ID = re.compile(r"^[^\s/\\]+$")
# Identifiers in paths and their longest length: checked for every endpoint by `api.endpoint`,
# and stated in /openapi.json.
ID_LENGTHS = {"audit_id": 36, "complaint_id": 36, "decision_id": 36, "script_id": 36,
              "campaign_id": 100, "code": 100, "customer_id": 64}


def runtime() -> Runtime:
    return current_app.extensions["guard"]


def path_id(value: str, field: str) -> str:
    max_length = ID_LENGTHS.get(field, 64)
    if not value or len(value) > max_length or not PATH_ID.match(value):
        raise bad_request(f"{field}: must be 1-{max_length} characters without spaces or slashes", field)
    return value


def default_pack(now: datetime | None = None) -> Pack | None:
    """The default pack's version in effect now (or at `now`): region and zone for input that names none."""
    rt = runtime()
    return rt.packs().at(rt.settings.default_pack, now or rt.clock())


def default_zone() -> str:
    """The default pack's time zone: where a callee or a day has no zone of its own."""
    pack = default_pack()
    return pack.timezone if pack else "Asia/Shanghai"


def not_found(what: str, ident: str) -> ApiError:
    return ApiError(404, "NOT_FOUND", f"No {what} {ident!r}.")


def answer(body: Any, status: int = 200) -> Response:
    response = jsonify(body)
    response.status_code = status
    return response
