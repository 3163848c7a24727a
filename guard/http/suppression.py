"""Outcomes, the blacklist and complaints: what customers say, turned into what dialers may do next."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, request

from blacklist import importer
from blacklist import service as blacklist
from guard.core.phones import is_known_region, parse_phone
from guard.http.api import endpoint
from guard.http.common import answer, default_pack, not_found, runtime
from guard.http.errors import ApiError, bad_request
from guard.http.schemas import (
    BlacklistEntryOut, BlacklistIn, BlacklistLookupOut, BlacklistRemovedOut, BlacklistRemoveIn, ComplaintEventIn,
    ComplaintIn, ComplaintListOut, ComplaintListQuery, ComplaintOut, ImportOut, ImportQuery, OutcomeIn, OutcomeOut,
)
from guard.services import complaints, outcomes
from guard.services.keys import Principal

bp = Blueprint("suppression", __name__)
FUTURE_SLACK = timedelta(minutes=5)


def _phone(raw: str, region: str | None, field: str = "phone") -> str:
    if region is not None and not is_known_region(region):
        raise bad_request(f"region: {region!r} is not a known phone region (ISO 3166 code such as CN)", "region")
    pack = default_pack()
    info = parse_phone(raw, region or (pack.region if pack else "CN"))
    if not info.valid:
        raise bad_request(f"{field}: {raw!r} is not a valid number ({info.why})", field)
    return info.e164  # type: ignore[return-value]


def _not_future(value: datetime | None, field: str, now: datetime) -> None:
    if value is not None and value > now + FUTURE_SLACK:
        raise bad_request(f"{field}: {value.isoformat()} is in the future", field)


def _one_of_phone_or_customer(phone: str | None, customer_id: str | None) -> None:
    if (phone is None) == (customer_id is None):
        raise bad_request("give exactly one of phone and customer_id", "phone")


# --- outcomes ---------------------------------------------------------------------------------

@endpoint(
    bp, "POST", "/v1/calls/{decision_id}/outcome",
    summary="Report a call's outcome (do_not_call blacklists, callback defers, complaint files a complaint)",
    description="Once per decision: the same outcome again answers 200 with `duplicate: true` and changes nothing; "
                "a different one is 409. An outcome for a denied decision is accepted and flagged `called_despite_deny`.",
    roles=("dialer",), body=OutcomeIn, response=OutcomeOut, status=201, also=(200,),
    extra_responses={404: "no such decision", 409: "a different outcome was reported, or the decision was a dry run"},
)
def report_outcome(decision_id: str, body: OutcomeIn, principal: Principal):
    rt = runtime()
    now = rt.clock()
    _not_future(body.ended_at, "ended_at", now)
    if body.callback_at is not None and body.disposition != "callback":
        raise bad_request("callback_at: only with disposition callback", "callback_at")
    if body.callback_at is not None and body.callback_at <= (body.ended_at or now) - FUTURE_SLACK:
        raise bad_request("callback_at: must be after the call", "callback_at")
    for name in ("severity", "category"):
        if getattr(body, name) is not None and body.disposition != "complaint":
            raise bad_request(f"{name}: only with disposition complaint", name)
    cmd = outcomes.OutcomeIn(disposition=body.disposition, ended_at=body.ended_at, callback_at=body.callback_at, note=body.note,
                             severity=body.severity or "light", category=body.category)
    view, created = outcomes.report(rt.store, rt.packs(), decision_id, cmd, now, principal.key_id)
    return answer(view, 201 if created else 200)


# --- blacklist --------------------------------------------------------------------------------

@endpoint(
    bp, "POST", "/v1/blacklist", summary="Blacklist a number or a customer (every number of theirs)",
    description="Adding what is already listed (same number or customer, same source) answers 200 with the live entry.",
    roles=("operator",), body=BlacklistIn, response=BlacklistEntryOut, status=201, also=(200,),
)
def add_blacklist(body: BlacklistIn, principal: Principal):
    rt = runtime()
    now = rt.clock()
    _one_of_phone_or_customer(body.phone, body.customer_id)
    phone = _phone(body.phone, body.region) if body.phone is not None else None
    _not_future(body.added_at, "added_at", now)
    added = body.added_at or now
    if body.expires_at is not None and body.expires_at <= added:
        raise bad_request("expires_at: must be after added_at (or now)", "expires_at")
    entry = blacklist.NewEntry(phone=phone, customer_id=body.customer_id if phone is None else None, source=body.source,
                               reason=body.reason, expires_at=body.expires_at, added_at=added)
    view, created = blacklist.add(rt.store, entry, now, principal.key_id)
    return answer(view, 201 if created else 200)


@endpoint(bp, "GET", "/v1/blacklist/{phone}", summary="Is this number blacklisted? Its entries and its customer's, with history",
          roles=("operator",), response=BlacklistLookupOut)
def get_blacklist(phone: str, principal: Principal):
    rt = runtime()
    number = _phone(phone, request.args.get("region"))
    return answer(blacklist.lookup_phone(rt.store, number, rt.clock()))


@endpoint(bp, "DELETE", "/v1/blacklist/{phone}", summary="Remove a number's live entries (admin; the removal is kept with who, when, why)",
          roles=("admin",), body=BlacklistRemoveIn, response=BlacklistRemovedOut, extra_responses={404: "no live entry"})
def remove_blacklist(phone: str, body: BlacklistRemoveIn, principal: Principal):
    number = _phone(phone, request.args.get("region"))
    return _remove(body, principal, "live blacklist entry for", number, phone=number)


@endpoint(bp, "GET", "/v1/blacklist/customers/{customer_id}", summary="A customer's blacklist entries, with history",
          roles=("operator",), response=BlacklistLookupOut)
def get_blacklist_customer(customer_id: str, principal: Principal):
    rt = runtime()
    return answer(blacklist.lookup_customer(rt.store, customer_id, rt.clock()))


@endpoint(bp, "DELETE", "/v1/blacklist/customers/{customer_id}", summary="Remove a customer's live entries (admin; kept on record)",
          roles=("admin",), body=BlacklistRemoveIn, response=BlacklistRemovedOut, extra_responses={404: "no live entry"})
def remove_blacklist_customer(customer_id: str, body: BlacklistRemoveIn, principal: Principal):
    return _remove(body, principal, "live blacklist entry for customer", customer_id, customer_id=customer_id)


def _remove(body: BlacklistRemoveIn, principal: Principal, what: str, ident: str, **target: str):
    rt = runtime()
    removed = blacklist.remove(rt.store, **target, reason=body.reason, source=body.source, now=rt.clock(), key_id=principal.key_id)
    if not removed:
        raise not_found(what, ident)
    return answer({"removed": removed})


_CSV_CONTENT = {
    "text/csv": {"schema": {"type": "string", "description": "phone[,source,reason,added_at[,expires_at]]; optional header row"}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
}


@endpoint(
    bp, "POST", "/v1/blacklist/import", summary="Import a CSV list (registry, regulator, litigators, opt-outs)",
    description="Body: the CSV itself (Content-Type text/csv) or a multipart upload in field `file`. Rows without a source "
                "take `?source=` (default registry). Answers the accepted count and every rejected row with its line number "
                "(the first 1000). Re-importing a file changes nothing. Large lists: `flask --app app guard blacklist import`.",
    roles=("operator",), query=ImportQuery, response=ImportOut, request_content=_CSV_CONTENT,
)
def import_blacklist(query: ImportQuery, principal: Principal):
    rt = runtime()
    if query.region is not None and not is_known_region(query.region):
        raise bad_request(f"region: {query.region!r} is not a known phone region", "region")
    if request.mimetype == "text/csv":
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise ApiError(415, "UNSUPPORTED_MEDIA_TYPE", f"charset must be utf-8, not {charset!r}.")
        stream = request.stream
    elif request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise bad_request("file: the multipart upload has no field `file`", "file")
        stream = upload.stream
    else:
        raise ApiError(415, "UNSUPPORTED_MEDIA_TYPE", f"Content-Type must be text/csv or multipart/form-data, not {request.mimetype or 'missing'!r}.")
    pack = default_pack()
    report = importer.import_csv(
        rt.store, stream, default_source=query.source, region=query.region or (pack.region if pack else "CN"),
        timezone_name=pack.timezone if pack else "Asia/Shanghai", now=rt.clock(), key_id=principal.key_id,
    )
    return answer(report.as_dict())


# --- complaints -------------------------------------------------------------------------------

@endpoint(
    bp, "POST", "/v1/complaints", summary="File a complaint: SLA deadlines, sensitive tag, mute after N, blacklist on 'stop calling'",
    roles=("operator",), body=ComplaintIn, response=ComplaintOut, status=201,
)
def file_complaint(body: ComplaintIn, principal: Principal):
    rt = runtime()
    now = rt.clock()
    _one_of_phone_or_customer(body.phone, body.customer_id)
    phone = _phone(body.phone, body.region) if body.phone is not None else None
    _not_future(body.received_at, "received_at", now)
    new = complaints.NewComplaint(phone=phone, customer_id=body.customer_id, severity=body.severity,
                                  received_at=body.received_at or now, category=body.category, text=body.text)
    return answer(complaints.file(rt.store, rt.packs(), new, now, principal.key_id), 201)


@endpoint(bp, "GET", "/v1/complaints", summary="Complaints by status (open, overdue, resolved, unresolved), oldest first or nearest deadline first",
          roles=("operator",), query=ComplaintListQuery, response=ComplaintListOut)
def list_complaints(query: ComplaintListQuery, principal: Principal):
    rt = runtime()
    return answer({"complaints": complaints.listing(rt.store, query.status, rt.clock(), query.limit, query.customer_id, query.sort)})


@endpoint(bp, "GET", "/v1/complaints/{complaint_id}", summary="A complaint with its deadlines and events",
          roles=("operator",), response=ComplaintOut, extra_responses={404: "no such complaint"})
def get_complaint(complaint_id: str, principal: Principal):
    rt = runtime()
    return answer(complaints.get(rt.store, complaint_id, rt.clock()))


@endpoint(bp, "POST", "/v1/complaints/{complaint_id}/events", summary="Record first_response, escalated or resolved",
          roles=("operator",), body=ComplaintEventIn, response=ComplaintOut, status=201,
          extra_responses={404: "no such complaint", 409: "resolved already, or a second first response"})
def complaint_event(complaint_id: str, body: ComplaintEventIn, principal: Principal):
    rt = runtime()
    now = rt.clock()
    _not_future(body.at, "at", now)
    view = complaints.add_event(rt.store, complaint_id, body.type, body.at or now, body.note, now, body.by or principal.key_id)
    return answer(view, 201)
