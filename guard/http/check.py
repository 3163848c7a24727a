"""POST /v1/check: the dialer's question before every call."""

from __future__ import annotations

import time

from flask import Blueprint, Response, g, request

from guard import metrics
from guard.core import idempotency as core_idem
from guard.core.phones import is_known_region
from guard.http.api import INSTANT_NOT_COVERED, endpoint
from guard.http.common import answer, runtime
from guard.http.errors import bad_request
from guard.http.schemas import BatchCheckIn, BatchCheckOut, CheckRequest, CheckResponse
from guard.services.calls import scrub
from guard.services.calls import check as service
from guard.services.ops.keys import Principal
from guard.core.i18n import field_said
from guard.core.messages import said

bp = Blueprint("check", __name__)

def check_response(result: service.CheckResult) -> dict:
    return service.answer_of(result)


def idempotency_of(principal: Principal, body: CheckRequest) -> service.Idempotency | None:
    """The request's `Idempotency-Key`, scoped to the caller (400 naming the header when it is not a key)."""
    sent = request.headers.getlist(core_idem.HEADER)
    if not sent:
        return None
    raw = ", ".join(sent)  # sent twice: as a proxy or gunicorn joins them, refused below
    key = core_idem.parse_key(raw)
    return service.Idempotency(principal.key_id or principal.actor, key,
                               core_idem.fingerprint("POST /v1/check", body.model_dump(mode="json")))


@endpoint(
    bp, "POST", "/v1/check",
    summary="May this number be dialled now? (records the attempt when allowed)",
    description=(
        "Always 200 when a decision was made, allowed or not; `reasons` lists every denying rule in registry order. "
        "`at` is checked against the server clock (400 beyond 5 minutes unless dry_run); the call is judged at the "
        "server clock unless dry_run or GUARD_ALLOW_CLIENT_TIME. 503 means do not dial."
    ),
    roles=("dialer",), body=CheckRequest, response=CheckResponse,
    extra_responses={422: INSTANT_NOT_COVERED + "; or IDEMPOTENCY_KEY_REUSED: the Idempotency-Key answered another request "
                          "(another body) within 24 hours, nothing decided"},
    headers_in={core_idem.HEADER: "optional, 1 to 255 printable ASCII characters (a UUID), bare or as an sf-string, in one header (sent twice or as a "
                                  "list: 400): retrying with "
                                  "the same key and the same body within 24 hours (an allow: within the pack's decision_valid_for, 5 minutes) "
                                  "answers the first answer again (same decision_id, "
                                  "no new attempt, `Idempotent-Replayed: true`); the same key with another body is 422 "
                                  "IDEMPOTENCY_KEY_REUSED; a retry sent while the first is in flight waits for it. Scoped to the API key"},
    headers_out={"Idempotent-Replayed": "`true` on an answer given before under the same Idempotency-Key (nothing decided now)"},
)
def check(body: CheckRequest, principal: Principal):
    rt = runtime()
    if body.region is not None and not is_known_region(body.region):
        raise bad_request(field_said("region", said("error.unknown_region", region=repr(body.region))), "region")
    cmd = service.CheckCommand(
        phone=body.phone, campaign=body.campaign, region=body.region, customer_id=body.customer_id,
        product=body.product, agent_id=body.agent_id, at=body.at, dry_run=body.dry_run, purpose=body.purpose,
    )
    idempotency = idempotency_of(principal, body)
    started = time.perf_counter()
    result = service.check(rt.guard, cmd, principal.actor, body.model_dump(mode="json", exclude_none=True), idempotency)
    if isinstance(result, service.Replayed):
        g.decision_id, g.allowed = result.decision_id, result.answer.get("allowed")
        response = answer(result.answer)
        response.headers["Idempotent-Replayed"] = "true"
        metrics.REPLAYS.labels("allowed" if g.allowed else "denied").inc()
        return response
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
    # `at` absent: judged at the server clock (the scrub then counts a mute another host recorded a moment ahead).
    # Judged and rendered whole before the first byte (a store failure is a 503, not a cut list), then sent in pieces:
    # a 100,000-row denied answer is 190 MB, too much to hold whole in each worker serving one.
    return Response(scrub.scrub_pieces(rt.guard, body.campaign, body.phones, body.at, body.region, body.product, body.purpose),
                    mimetype="application/json")
