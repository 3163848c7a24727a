"""GET /v1/decisions/{decision_id}: one entry of the append-only decision log."""

from __future__ import annotations

from flask import Blueprint

from guard.core.phones import is_known_region, parse_phone
from guard.http.api import endpoint
from guard.http.common import answer, default_pack, default_zone, not_found, older_page, runtime
from guard.http.errors import bad_request
from guard.http.schemas import DecisionOut, DecisionSearchOut, DecisionSearchQuery
from guard.core.i18n import chinese_of
from guard.services.calls.decisions import Viewer, get_decision, search_page
from guard.services.ops.keys import Principal
from guard.core.i18n import field_said
from guard.core.messages import invalid_number_said, said

bp = Blueprint("decisions", __name__)


@endpoint(bp, "GET", "/v1/decisions/{decision_id}", summary="A logged decision with its inputs, facts, reasons and policy",
          description="Operators and auditors see the facts the decision was judged on; a dialer sees what was sent and "
                      "the answer (`facts` null), and for a decision another key asked for, the numbers masked (138****8000) "
                      "and no `request`.",
          roles=("dialer", "auditor", "operator"), response=DecisionOut, extra_responses={404: "no such decision"})
def decision(decision_id: str, principal: Principal):
    found = get_decision(runtime().store, decision_id, default_zone(), viewer(principal))
    if found is None:
        raise not_found("decision", decision_id)
    return answer(found)


@endpoint(bp, "GET", "/v1/decisions", summary="Why was this call denied? The newest decisions for a phone or a customer",
          roles=("dialer", "auditor", "operator"), query=DecisionSearchQuery, response=DecisionSearchOut)
def search(query: DecisionSearchQuery, principal: Principal):
    rt = runtime()
    if (query.phone is None) == (query.customer_id is None):
        raise bad_request(said("error.one_of_phone_customer"), "phone")
    phone = None
    if query.phone is not None:
        if query.region is not None and not is_known_region(query.region):
            raise bad_request(field_said("region", said("error.unknown_region_short", region=repr(query.region))), "region")
        pack = default_pack()
        info = parse_phone(query.phone, query.region or (pack.region if pack else "CN"), pack.number_ranges if pack else ())
        if not info.valid:
            raise bad_request(field_said("phone", invalid_number_said(query.phone, info.why)), "phone")
        phone = info.e164
    found, following = search_page(rt.store, phone, query.customer_id, query.limit, *older_page(query),
                                   default_zone(), viewer(principal))
    return answer({"decisions": found, "next": following})


def viewer(principal: Principal) -> Viewer:
    """Operators and auditors need a decision's facts; a dialer needs what it sent and the answer."""
    timelines = runtime().packs().timelines
    traditional = frozenset(i for i, t in timelines.items() if chinese_of(t.newest().country) == "zh-TW")
    return Viewer(principal.actor, principal.has("operator") or principal.has("auditor"), traditional)
