"""POST /v1/calls/{decision_id}/outcome: what the dialer reports after a call, and what it changes."""

from __future__ import annotations

from flask import Blueprint

from guard.http.api import endpoint
from guard.http.common import answer, runtime
from guard.http.errors import bad_request
from guard.http.schemas import OutcomeIn, OutcomeOut
from guard.services.suppression import outcomes
from guard.services.ops.keys import Principal
from guard.core.i18n import field_said
from guard.core.messages import said

bp = Blueprint("outcomes", __name__)


@endpoint(
    bp, "POST", "/v1/calls/{decision_id}/outcome",
    summary="Report a call's outcome (do_not_call blacklists, callback defers, complaint files a complaint)",
    description="Once per decision: the same outcome again answers 200 with `duplicate: true` and changes nothing; "
                "a different one is 409 (the same disposition with another note, ended_at, callback_at, or a "
                "complaint's severity or category too: `details.differs`). An outcome for a denied decision is accepted and flagged `called_despite_deny`. "
                "Only the dialer that obtained the decision reports it (its key, a key with the same label, or an admin key): "
                "any other key is 403 `NOT_YOUR_DECISION`.",
    roles=("dialer",), body=OutcomeIn, response=OutcomeOut, status=201, also=(200,),
    extra_responses={403: "the decision was obtained by another dialer key (NOT_YOUR_DECISION)", 404: "no such decision", 409: "a different outcome was reported, or the decision was a dry run"},
)
def report_outcome(decision_id: str, body: OutcomeIn, principal: Principal):
    rt = runtime()
    now = rt.clock()
    if body.callback_at is not None and body.disposition != "callback":
        raise bad_request(field_said("callback_at", said("error.only_with_disposition", disposition="callback")), "callback_at")
    for name in ("severity", "category"):
        if getattr(body, name) is not None and body.disposition != "complaint":
            raise bad_request(field_said(name, said("error.only_with_disposition", disposition="complaint")), name)
    cmd = outcomes.OutcomeIn(disposition=body.disposition, ended_at=body.ended_at, callback_at=body.callback_at, note=body.note,
                             severity=body.severity, category=body.category)
    view, created = outcomes.report(rt.store, rt.packs(), decision_id, cmd, now, principal.actor,
                                    allow_client_time=rt.settings.allow_client_time, for_any_dialer=principal.has("admin"))
    return answer(view, 201 if created else 200)
