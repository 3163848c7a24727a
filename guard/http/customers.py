"""PUT/GET /v1/customers/{customer_id}: the profile the checks read."""

from __future__ import annotations

from flask import Blueprint

from guard.http.api import endpoint
from guard.http.common import answer, not_found, path_id, runtime
from guard.http.errors import ApiError, bad_request
from guard.http.schemas import CustomerIn, CustomerOut
from guard.services import customers as service
from guard.services.keys import Principal

bp = Blueprint("customers", __name__)


@endpoint(
    bp, "PUT", "/v1/customers/{customer_id}",
    summary="Create or replace a customer's profile (a new version; the old one is kept)",
    roles=("operator",), body=CustomerIn, response=CustomerOut,
    extra_responses={409: "a phone belongs to another customer"},
)
def put_customer(customer_id: str, body: CustomerIn, principal: Principal):
    rt = runtime()
    path_id(customer_id, "customer_id")
    now = rt.clock()
    pack = rt.packs().at(rt.settings.default_pack, now)
    default_region = pack.region if pack else "CN"
    try:
        profile = service.normalise_profile(body.model_dump(by_alias=True), default_region, now)
        view, created = service.put_customer(rt.store, customer_id, profile, now, principal.key_id)
    except service.InvalidField as exc:
        raise bad_request(f"{exc.field}: {exc.reason}", exc.field, exc.reason) from None
    except service.Conflict as exc:
        raise ApiError(409, "PHONE_TAKEN", str(exc), exc.details) from None
    return answer(view, 201 if created else 200)


@endpoint(bp, "GET", "/v1/customers/{customer_id}", summary="A customer's current profile",
          roles=("operator",), response=CustomerOut, extra_responses={404: "no such customer"})
def get_customer(customer_id: str, principal: Principal):
    path_id(customer_id, "customer_id")
    view = service.get_customer(runtime().store, customer_id)
    if view is None:
        raise not_found("customer", customer_id)
    return answer(view)
