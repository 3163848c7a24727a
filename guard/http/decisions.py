"""GET /v1/decisions/{decision_id}: one entry of the append-only decision log."""

from __future__ import annotations

from flask import Blueprint

from guard.http.api import endpoint
from guard.http.common import answer, not_found, path_id, runtime
from guard.http.schemas import DecisionOut
from guard.services.decisions import get_decision
from guard.services.keys import Principal

bp = Blueprint("decisions", __name__)


@endpoint(bp, "GET", "/v1/decisions/{decision_id}", summary="A logged decision with its inputs, facts, reasons and policy",
          roles=("dialer", "auditor"), response=DecisionOut, extra_responses={404: "no such decision"})
def decision(decision_id: str, principal: Principal):
    path_id(decision_id, "decision_id", 36)
    found = get_decision(runtime().store, decision_id)
    if found is None:
        raise not_found("decision", decision_id)
    return answer(found)
