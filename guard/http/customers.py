"""PUT/GET /v1/customers/{customer_id}: the profile the checks read; the overviews of a customer and of a number."""

from __future__ import annotations

from flask import Blueprint, request

from guard.http.api import endpoint
from guard.http.common import answer, default_pack, not_found, parse_number, runtime
from guard.http.errors import bad_request
from guard.http.schemas import CustomerIn, CustomerOut, CustomerOverviewOut, GuardTagRemoveIn, NumberOverviewOut
from guard.services.suppression import customers as service
from guard.services.suppression import overview
from guard.services.ops.keys import Principal
from guard.core.i18n import field_said
from guard.core.messages import said

bp = Blueprint("customers", __name__)

ETAG = 'the profile\'s version, quoted ("4"): send it back in If-Match'


@endpoint(
    bp, "PUT", "/v1/customers/{customer_id}",
    summary="Create or replace a customer's profile (a new version; the old one is kept)",
    roles=("operator",), body=CustomerIn, response=CustomerOut, also=(201,),
    headers_in={"If-Match": 'the ETag of the version read ("3"): replace only if the profile is still at it, else 412'},
    headers_out={"ETag": ETAG},
    extra_responses={409: "a phone belongs to another customer", 412: "If-Match names a version that is no longer current"},
    description="The body is the whole profile as the CRM holds it: a field left out is empty (`tags` omitted: the CRM's tags are "
                "none). The tags the guard set itself (`guard_tags`: a complaint's `sensitive`) are kept whatever the body says. "
                "Send `If-Match` with the ETag of the version you read to refuse a lost update (412 STALE_VERSION).",
)
def put_customer(customer_id: str, body: CustomerIn, principal: Principal):
    rt = runtime()
    expected = _if_match()
    now = rt.clock()
    pack = default_pack(now)
    default_region = pack.region if pack else "CN"
    profile = service.normalise_profile(body.model_dump(by_alias=True), default_region, now, pack.number_ranges if pack else (),
                                        allow_client_time=rt.settings.allow_client_time)
    view, created = service.put_customer(rt.store, customer_id, profile, now, principal.actor, expected)
    return _tagged(answer(view, 201 if created else 200), view)


def _if_match() -> int | None:
    """`If-Match: "3"` (the version read): replace only if the profile is still at it."""
    raw = request.headers.get("If-Match")
    if raw is None:
        return None
    value = raw.strip().removeprefix("W/").strip('"')
    if not value.isdigit() or len(value) > 9:
        raise bad_request(field_said("If-Match", said("error.if_match")), "If-Match")
    return int(value)


def _tagged(response, view: dict | None):
    if view is not None:
        response.headers["ETag"] = f'"{view["version"]}"'
    return response


@endpoint(bp, "DELETE", "/v1/customers/{customer_id}/guard-tags/{tag}",
          summary="Remove a tag the guard set on a customer (a complaint's sensitive): admin, with a reason, kept on record",
          description="A new profile version without the tag, made by the caller, its reason kept as the version's `note` (the "
                      "customer overview's trail shows it as `guard_tag_removed`).",
          roles=("admin",), body=GuardTagRemoveIn, response=CustomerOut, headers_out={"ETag": ETAG},
          extra_responses={404: "no such customer", 409: "the guard holds no such tag on the customer"})
def remove_guard_tag(customer_id: str, tag: str, body: GuardTagRemoveIn, principal: Principal):
    rt = runtime()
    view = service.remove_guard_tag(rt.store, customer_id, tag, body.reason, rt.clock(), principal.actor)
    return _tagged(answer(view), view)


@endpoint(bp, "GET", "/v1/customers/{customer_id}", summary="A customer's current profile",
          roles=("operator",), response=CustomerOut, extra_responses={404: "no such customer"},
          headers_out={"ETag": ETAG})
def get_customer(customer_id: str, principal: Principal):
    view = service.get_customer(runtime().store, customer_id)
    if view is None:
        raise not_found("customer", customer_id)
    return _tagged(answer(view), view)


@endpoint(bp, "GET", "/v1/customers/{customer_id}/overview",
          summary="Everything on one customer: profile, risk expiry, blacklist, mutes, deferrals, complaints, decisions, audit trail",
          roles=("operator",), response=CustomerOverviewOut, extra_responses={404: "the guard knows nothing of this customer"},
          headers_out={"ETag": ETAG})
def customer_overview(customer_id: str, principal: Principal):
    rt = runtime()
    now = rt.clock()
    pack = default_pack(now)
    view = overview.customer_overview(rt.store, customer_id, now, pack.risk_assessment_valid_for if pack else None)
    if view is None:
        raise not_found("customer", customer_id)
    return _tagged(answer(view), view["profile"])


@endpoint(bp, "GET", "/v1/numbers/{phone}/overview",
          summary="One number's own blacklist entries, mutes, deferrals, complaints, decisions and trail, and the customer holding it",
          description="`phone` in E.164 or national format (the default pack's region, or `?region=`). A number no customer "
                      "profile lists, or one the guard has never seen, still has an overview (empty lists): staff can record "
                      "a complaint about it or blacklist it.",
          roles=("operator",), response=NumberOverviewOut)
def number_overview(phone: str, principal: Principal):
    rt = runtime()
    number = parse_number(phone, request.args.get("region"))
    return answer(overview.number_overview(rt.store, number, rt.clock()))
