"""The blacklist (营销黑名单): add, look up, remove (admin, kept on record), import a list."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from blacklist import service as blacklist
from blacklist.importer import listed_day
from guard.core.phones import is_known_region
from guard.http.api import endpoint
from guard.http.common import (answer, default_pack, named_codec, not_found, not_future, number_extension, one_of_phone_or_customer, parse_number, runtime,
                               uploaded_csv)
from guard.http.errors import ApiError, bad_request
from guard.http.schemas import (BlacklistEntryOut, BlacklistIn, BlacklistLookupOut, BlacklistRemovedOut, BlacklistRemoveIn, ImportOut, ImportQuery,
                                RemovalOut, RemovalQuery, RemovalsOut, RemovalsQuery)
from guard.services.ops.keys import Principal
from guard.services.suppression import refusals
from guard.services.suppression.blacklist_import import import_list, remove_list
from guard.services.zones import callee_day_zones, day_zone, number_day_zones
from guard.services.consent.records import customer_callee, is_day
from guard.core.i18n import field_said
from guard.core.reject_messages import with_reason_messages_of
from guard.core.messages import label, said

bp = Blueprint("blacklist", __name__)


@endpoint(
    bp, "POST", "/v1/blacklist", summary="Blacklist a number or a customer (every number of theirs)",
    description="Adding what is already listed (same number or customer, same source) answers 200 with the live entry. A "
                "person's own refusal (source customer_request or complaint) also withdraws their marketing consents from added_at.",
    roles=("operator",), body=BlacklistIn, response=BlacklistEntryOut, status=201, also=(200,),
)
def add_blacklist(body: BlacklistIn, principal: Principal):
    rt = runtime()
    now = rt.clock()
    one_of_phone_or_customer(body.phone, body.customer_id)
    phone = parse_number(body.phone, body.region) if body.phone is not None else None
    added_at, expires_at = body.added_at, body.expires_at
    if is_day(added_at) or is_day(expires_at):
        # A day alone is read as a list import reads it (README, Interpretations, *A day written alone*): where the callee
        # is, the number's zones, a customer's recorded zone, else their numbers'; listed from the day's 00:00 where it
        # begins first, through the last day to its 24:00 where it ends last (民法典 第二百零三条).
        zones = callee_day_zones(rt.packs(), now, *(((phone,), None) if phone else customer_callee(rt.store, body.customer_id)),
                                 body.region)
        added_at = listed_day(added_at, zones, last_day=False) if is_day(added_at) else added_at
        expires_at = listed_day(expires_at, zones, last_day=True) if is_day(expires_at) else expires_at
    not_future(added_at, "added_at", now)
    added = added_at or now
    if expires_at is not None and expires_at <= added:
        raise bad_request(field_said("expires_at", said("error.expires_after_added")), "expires_at")
    problem = blacklist.expiry_problem(body.source, expires_at)
    if problem is not None:
        raise bad_request(problem, "expires_at")
    entry = blacklist.NewEntry(phone=phone, customer_id=body.customer_id if phone is None else None, source=body.source,
                               reason=body.reason, expires_at=expires_at, added_at=added)
    view, created = refusals.blacklist(rt.store, entry, now, principal.actor)
    return answer(view, 201 if created else 200)


@endpoint(bp, "GET", "/v1/blacklist/{phone}", summary="Is this number blacklisted? Its entries and its customer's, with history",
          roles=("operator",), response=BlacklistLookupOut)
def get_blacklist(phone: str, principal: Principal):
    rt = runtime()
    number = parse_number(phone, request.args.get("region"))
    return answer(blacklist.lookup_phone(rt.store, number, rt.clock()))


@endpoint(bp, "DELETE", "/v1/blacklist/{phone}", summary="Remove a number's live entries (admin; the removal is kept with who, when, why)",
          description="A number blocked only through its customer's entry has no entry of its own to remove: 404 naming the "
                      "customer (`details.blocked_through_customers`) and DELETE /v1/blacklist/customers/{customer_id}, "
                      "which removes that entry (and so unblocks every number of the customer).",
          roles=("admin",), body=BlacklistRemoveIn, response=BlacklistRemovedOut,
          extra_responses={404: "no live entry of the number's own (blocked through its customer's entry, or not at all)"})
def remove_blacklist(phone: str, body: BlacklistRemoveIn, principal: Principal):
    rt = runtime()
    number = parse_number(phone, request.args.get("region"))
    if extension := number_extension(phone, request.args.get("region")):
        raise bad_request(field_said("phone", said("error.removal_at_extension", raw=repr(phone), extension=extension, line=number)),
                          "phone")
    now = rt.clock()
    removed, blocked = blacklist.remove_number(rt.store, number, reason=body.reason, source=body.source, now=now, key_id=principal.actor)
    if removed:
        return answer({"removed": removed, "still_blocked": blocked})
    held = blacklist.lookup_phone(rt.store, number, now)
    through = sorted({e["customer_id"] for e in held["entries"] if e["phone_e164"] is None and e["customer_id"]})
    if not through:
        raise not_found("live blacklist entry for", number)
    routes = label(" or ".join(f"DELETE /v1/blacklist/customers/{c}" for c in through),
                   " 或 ".join(f"DELETE /v1/blacklist/customers/{c}" for c in through))
    raise ApiError(404, "NOT_FOUND", said("error.blocked_through_customer", number=repr(number), whose=[repr(c) for c in through],
                                          routes=routes),
                   {"blocked_through_customers": through})


@endpoint(bp, "GET", "/v1/blacklist/removals",
          summary="Removals from the blacklist, newest first: who removed what, when, why, by which list removal, and whether "
                  "the number was still blocked afterwards",
          description="Filter by `phone` (its own entries and its customer's), `customer_id` (the customer's own entries) or "
                      "`list_id` (one list removal's); none: every removal. A page holds `limit` removals (100, at most 1,000); "
                      "`next`, passed as `after` with the same filters, starts the next page after its last removal (null on "
                      "the last page; a removal made between pages moves no other one).",
          roles=("auditor", "operator"), query=RemovalsQuery, response=RemovalsOut)
def list_removals(query: RemovalsQuery, principal: Principal):
    rt = runtime()
    if query.phone is not None and query.customer_id is not None:
        raise bad_request(said("error.at_most_one_phone_customer"), "phone")
    phone = parse_number(query.phone, query.region) if query.phone is not None else None
    after = blacklist.removals_after(query.after) if query.after is not None else None
    found, following = blacklist.removals(rt.store, phone=phone, customer_id=query.customer_id, list_id=query.list_id,
                                          limit=query.limit, after=after, now=rt.clock())
    return answer({"removals": found, "next": blacklist.removals_cursor(following) if following else None})


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
    removed = blacklist.remove(rt.store, **target, reason=body.reason, source=body.source, now=rt.clock(), key_id=principal.actor)
    if not removed:
        raise not_found(what, ident)
    return answer({"removed": removed})


_CSV_CONTENT = {
    "text/csv": {"schema": {"type": "string", "description": "phone[,source,reason,added_at[,expires_at]]; optional header row naming "
                                                       "the columns in any order (English, or 手机号码/来源/原因/加入日期/到期日期 …)"}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
}


def _uploaded_list(query: ImportQuery | RemovalQuery) -> tuple[Any, Any, Any, Any, str]:
    """What a list import and a list removal read alike: the runtime, the uploaded CSV and the codec named for it, the
    default pack, and the region its numbers are read in (`?region=`, else the default pack's)."""
    rt = runtime()
    if query.region is not None and not is_known_region(query.region):
        raise bad_request(field_said("region", said("error.unknown_region_short", region=repr(query.region))), "region")
    stream = uploaded_csv(utf8_only=False)
    codec = named_codec(query.encoding)
    pack = default_pack()
    return rt, stream, codec, pack, query.region or (pack.region if pack else "CN")


@endpoint(
    bp, "POST", "/v1/blacklist/import", summary="Import a CSV list (registry, regulator, litigators, opt-outs)",
    description="Body: the CSV itself (Content-Type text/csv) or a multipart upload in field `file`. Rows without a source "
                "take `?source=` (default registry). Text encoding: `?encoding=`, else the Content-Type's `charset`, else told "
                "from the bytes (UTF-8 with or without BOM, GB18030/GBK, Big5); a file whose encoding cannot be told is refused "
                "(400). Answers the accepted count, the count of rejected rows and the first 1000 of them with their line "
                "numbers (`rejects_truncated` when there are more; every one: `guard blacklist import --rejects FILE`). Re-importing a file changes nothing. Large lists: `flask --app app guard blacklist import`.",
    roles=("operator",), query=ImportQuery, response=ImportOut, request_content=_CSV_CONTENT,
)
def import_blacklist(query: ImportQuery, principal: Principal):
    rt, stream, codec, pack, region = _uploaded_list(query)
    report = import_list(
        rt.store, stream, codec=codec, default_source=query.source, region=region,
        timezone_name=day_zone(rt.packs(), rt.clock(), region), now=rt.clock(), key_id=principal.actor,
        zones_of=number_day_zones(rt.packs(), rt.clock(), region),
        allow_client_time=rt.settings.allow_client_time, encoding_field="encoding" if query.encoding else "charset",
    )
    return answer(with_reason_messages_of(report.as_dict()))


@endpoint(
    bp, "POST", "/v1/blacklist/removals", summary="Remove a source's entries of a file of numbers that left its list (admin)",
    description="For a registry change list's deletions: the CSV (as `POST /v1/blacklist/import` reads it; the phone column "
                "counts, a row naming another source is rejected with its line) closes the live entries of `source` of its "
                "numbers, and nothing else: an entry of another source (a customer's own refusal) stays. One `reason` for "
                "the file; every entry closed keeps who, when, why and `list_id`. A row whose `expires_at` has not passed (the "
                "list still holds the number; a day alone to its 24:00 where the callee's day ends last) is rejected, not "
                "lifted early. `dry_run=true` counts and writes nothing. "
                "Large files: `flask --app app guard blacklist remove`.",
    roles=("admin",), query=RemovalQuery, response=RemovalOut, request_content=_CSV_CONTENT,
)
def remove_blacklist_list(query: RemovalQuery, principal: Principal):
    rt, stream, codec, pack, region = _uploaded_list(query)
    report = remove_list(rt.store, stream, codec=codec, source=query.source, reason=query.reason,
                         region=region, now=rt.clock(), key_id=principal.actor,
                         zones_of=number_day_zones(rt.packs(), rt.clock(), region),
                         dry_run=query.dry_run, encoding_field="encoding" if query.encoding else "charset")
    return answer(with_reason_messages_of(report.as_dict()))
