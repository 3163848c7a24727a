"""POST /v1/check: the dialer's question before every call."""

from __future__ import annotations

import time
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, g

from guard import metrics
from guard.core.i18n import chinese_of
from guard.core.phones import is_known_region
from guard.http.api import INSTANT_NOT_COVERED, endpoint
from guard.http.common import answer, runtime
from guard.http.errors import bad_request
from guard.http.schemas import BatchCheckIn, BatchCheckOut, CheckRequest, CheckResponse
from guard.services.calls import scrub
from guard.services.calls import check as service
from guard.services.calls.decisions import reason_out
from guard.services.ops.keys import Principal
from guard.core.i18n import field_said
from guard.core.messages import said

bp = Blueprint("check", __name__)

def check_response(result: service.CheckResult) -> dict:
    zone = ZoneInfo(result.decision.zone)
    nxt = result.decision.next_allowed_at
    return {
        "decision_id": result.decision_id,
        "allowed": result.decision.allowed,
        "phone_e164": result.phone.e164,
        "reasons": [reason_out({"code": r.code, "message": r.message, "detail": r.detail}, result.pack.id, chinese_of(result.pack.country),
                               r.messages) for r in result.decision.reasons],
        "next_allowed_at": nxt.astimezone(zone).isoformat() if nxt is not None else None,
        "policy": {"pack": result.pack.id, "version": result.pack.version, "hash": result.pack.hash},
        "evaluated_at": result.judged_at.astimezone(zone).isoformat(),
        "timezone": zone.key,
        "timezone_source": result.decision.zone_source,
        "dry_run": result.dry_run,
        "customer_id": result.customer_id,
        "customers": list(result.customer_ids),
        "customer_mismatch": result.customer_mismatch,
        "cap_tier": result.decision.cap_tier,
        "purpose": result.decision.purpose,  # as judged: a purpose the campaign does not declare is judged as marketing
        "purpose_requested": result.purpose,
    }


@endpoint(
    bp, "POST", "/v1/check",
    summary="May this number be dialled now? (records the attempt when allowed)",
    description=(
        "Always 200 when a decision was made, allowed or not; `reasons` lists every denying rule in registry order. "
        "`at` is checked against the server clock (400 beyond 5 minutes unless dry_run); the call is judged at the "
        "server clock unless dry_run or GUARD_ALLOW_CLIENT_TIME. 503 means do not dial."
    ),
    roles=("dialer",), body=CheckRequest, response=CheckResponse,
    extra_responses={422: INSTANT_NOT_COVERED},
)
def check(body: CheckRequest, principal: Principal):
    rt = runtime()
    if body.region is not None and not is_known_region(body.region):
        raise bad_request(field_said("region", said("error.unknown_region", region=repr(body.region))), "region")
    cmd = service.CheckCommand(
        phone=body.phone, campaign=body.campaign, region=body.region, customer_id=body.customer_id,
        product=body.product, agent_id=body.agent_id, at=body.at, dry_run=body.dry_run, purpose=body.purpose,
    )
    started = time.perf_counter()
    result = service.check(rt.guard, cmd, principal.actor, body.model_dump(mode="json", exclude_none=True))
    metrics.CHECK_SECONDS.observe(time.perf_counter() - started)
    metrics.CHECKS.labels("allowed" if result.decision.allowed else "denied", "true" if result.dry_run else "false").inc()
    for code in {r.code for r in result.decision.reasons}:
        metrics.DENIALS.labels(code).inc()
    g.decision_id, g.allowed = result.decision_id, result.decision.allowed  # for the access log
    return answer(check_response(result))


@endpoint(
    bp, "POST", "/v1/check/batch",
    summary="Scrub a list before a campaign: up to 100,000 numbers, results in input order; a dry run, records nothing",
    description="Facts for the whole list are read in a few set-based queries and every number is judged by the same core "
                "as /v1/check, at `at` (default now).",
    roles=("dialer",), body=BatchCheckIn, response=BatchCheckOut,
    extra_responses={422: INSTANT_NOT_COVERED},
)
def check_batch(body: BatchCheckIn, principal: Principal):
    rt = runtime()
    if body.region is not None and not is_known_region(body.region):
        raise bad_request(field_said("region", said("error.unknown_region", region=repr(body.region))), "region")
    now = body.at or rt.clock()
    return Response(scrub.scrub(rt.guard, body.campaign, body.phones, now, body.region, body.product, body.purpose),
                    mimetype="application/json")
