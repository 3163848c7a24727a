"""Small helpers the handlers share: the runtime, path-parameter checks, JSON answers."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import Response, current_app, jsonify, request

from guard.core.clock import check_not_future
from guard.core.ids import id_problem
from guard.core.i18n import chinese_of_tag, field_said
from guard.core.messages import invalid_number_said, not_found_said, said
from guard.core.pack import Pack
from guard.core.phones import is_known_region, parse_phone
from guard.http.errors import ApiError, bad_request, unsupported
from guard.runtime import Runtime
from guard.services.zones import day_zone

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
        raise bad_request(field_said(field, said("error.path_id", max_length=max_length)), field)
    if field == "customer_id" and id_problem(value):  # one spelling per customer (guard/core/ids.py)
        raise bad_request(field_said(field, said("input.id_not_canonical")), field)
    return value


def default_pack(now: datetime | None = None) -> Pack | None:
    """The default pack's version in effect now (or at `now`): region and zone for input that names none."""
    rt = runtime()
    return rt.packs().at(rt.settings.default_pack, now or rt.clock())


def default_zone(region: str | None = None) -> str:
    """The zone a day sent alone is read in: the pack's for `region` (the request's), else the default pack's."""
    rt = runtime()
    return day_zone(rt.packs(), rt.clock(), region)


def not_found(what: str, ident: str) -> ApiError:
    return ApiError(404, "NOT_FOUND", not_found_said(what, ident))


def answer(body: Any, status: int = 200) -> Response:
    response = jsonify(body)
    response.status_code = status
    return response


# A client instant may be this far in the future (clocks drift) before it is refused.


def parse_number(raw: str, region: str | None, field: str = "phone") -> str:
    """A number of a request body as E.164 (in `region`, else the default pack's); 400 naming `field` when it is not valid."""
    if region is not None and not is_known_region(region):
        raise bad_request(field_said("region", said("error.unknown_region", region=repr(region))), "region")
    pack = default_pack()
    info = parse_phone(raw, region or (pack.region if pack else "CN"), pack.number_ranges if pack else ())
    if not info.valid:
        raise bad_request(field_said(field, invalid_number_said(raw, info.why)), field)
    return info.e164  # type: ignore[return-value]


def number_extension(raw: str, region: str | None) -> str | None:
    """The extension written after a valid number's line (`parse_number` gives the line alone), else None."""
    pack = default_pack()
    return parse_phone(raw, region or (pack.region if pack else "CN"), pack.number_ranges if pack else ()).extension


def not_future(value: datetime | None, field: str, now: datetime) -> None:
    """400 for an instant a client gives that lies in the future (beyond the clock skew allowed),
    unless the guard runs with GUARD_ALLOW_CLIENT_TIME."""
    check_not_future(value, field, now, allow_client_time=runtime().settings.allow_client_time)


def older_page(query: Any) -> tuple[datetime | None, str | None]:
    """The `before` and `before_id` of a newest-first list's query (see schemas.types.OlderPageQuery)."""
    if query.before_id is not None and query.before is None:
        raise bad_request(said("error.before_id_needs_before"), "before_id")
    return query.before, query.before_id


def one_of_phone_or_customer(phone: str | None, customer_id: str | None) -> None:
    if (phone is None) == (customer_id is None):
        raise bad_request(said("error.one_of_phone_customer"), "phone")


def uploaded_csv(utf8_only: bool = True):
    """The body of a CSV upload as a binary stream: a `text/csv` body, or a multipart upload's field
    `file`; anything else is a 415. `utf8_only`: refuse a `text/csv` body declaring another charset
    (an import that takes `?encoding=` reads other encodings itself)."""
    from flask import request

    if request.mimetype == "text/csv":
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if utf8_only and charset not in ("utf-8", "utf8"):
            raise unsupported(said("error.charset_utf8", given=repr(charset)))
        return request.stream
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise bad_request(field_said("file", said("error.no_file_field")), "file")
        return upload.stream
    raise unsupported(said("error.content_type_csv", given=repr(request.mimetype or "missing")))


def named_codec(encoding: str | None) -> str | None:
    """The codec of a CSV upload (`uploaded_csv`) that `?encoding=` or else the Content-Type's charset (of the body, or of
    the multipart field `file`) names; None: none named, told from the bytes. 400 for an unknown one."""
    from flask import request

    from guard.services.audits.encoding import UnknownEncoding, resolve as resolve_encoding

    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        charset = upload.mimetype_params.get("charset") if upload is not None else None
    else:
        charset = request.mimetype_params.get("charset")
    field, name = ("encoding", encoding) if encoding else ("charset", charset)
    if not name:
        return None
    try:
        return resolve_encoding(name)
    except UnknownEncoding as exc:
        raise bad_request(field_said(field, exc.args[0]), field) from None


def preferred_chinese(default: str) -> str:
    """The Chinese (zh-CN or zh-TW, see `chinese_of_tag`) the request's Accept-Language asks for (RFC 9110 §12.5.4):
    its languages in order of their weight, the first Chinese of weight above 0 deciding; `default` when it names
    none, unless it refuses that one (q=0), then the other."""
    refused = set()
    for tag, quality in request.accept_languages:  # werkzeug sorts them by weight, most preferred first
        chinese = chinese_of_tag(tag)
        if chinese is None:
            continue
        if quality > 0:
            return chinese
        refused.add(chinese)
    if default in refused and len(refused) == 1:
        return "zh-TW" if default == "zh-CN" else "zh-CN"
    return default
