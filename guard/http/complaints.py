"""Complaints (投诉): file one (SLA deadlines, sensitive tag, mute after N, blacklist on "stop calling"),
the queue with its counts per stage, and the events of its handling (first response, escalation,
resolution with a note, the satisfaction callback)."""

from __future__ import annotations

from flask import Blueprint

from guard.http.api import INSTANT_NOT_COVERED, endpoint
from guard.http.common import answer, not_future, one_of_phone_or_customer, parse_number, runtime
from guard.http.schemas import ComplaintCountsOut, ComplaintEventIn, ComplaintIn, ComplaintListOut, ComplaintListQuery, ComplaintOut
from guard.services.suppression import complaints
from guard.services.ops.keys import Principal

bp = Blueprint("complaints", __name__)


@endpoint(
    bp, "POST", "/v1/complaints", summary="File a complaint: SLA deadlines, sensitive tag, mute after N, blacklist on 'stop calling'",
    roles=("operator",), body=ComplaintIn, response=ComplaintOut, status=201, also=(200,),
    extra_responses={422: INSTANT_NOT_COVERED},
)
def file_complaint(body: ComplaintIn, principal: Principal):
    rt = runtime()
    now = rt.clock()
    one_of_phone_or_customer(body.phone, body.customer_id)
    phone = parse_number(body.phone, body.region) if body.phone is not None else None
    not_future(body.received_at, "received_at", now)
    new = complaints.NewComplaint(phone=phone, customer_id=body.customer_id, severity=body.severity,
                                  received_at=body.received_at or now, category=body.category, text=body.text)
    filed = complaints.file(rt.store, rt.packs(), new, now, principal.actor, received_given=body.received_at is not None)
    return answer(filed, 200 if filed["duplicate"] else 201)


@endpoint(bp, "GET", "/v1/complaints",
          summary="Complaints by status (open, overdue, resolved, unresolved), stage, lateness, customer or number; oldest first or nearest deadline first",
          roles=("operator",), query=ComplaintListQuery, response=ComplaintListOut)
def list_complaints(query: ComplaintListQuery, principal: Principal):
    rt = runtime()
    phone = parse_number(query.phone, None) if query.phone is not None else None
    found, following = complaints.listing(rt.store, query.status, rt.clock(), query.limit, query.customer_id, query.sort,
                                          query.stage, query.late, phone, query.after)
    return answer({"complaints": found, "next": following})


@endpoint(bp, "GET", "/v1/complaints/counts", summary="The complaints queue's counts: how many at each stage, how many late",
          roles=("operator",), response=ComplaintCountsOut)
def complaint_counts(principal: Principal):
    rt = runtime()
    return answer(complaints.counts(rt.store, rt.clock()))


@endpoint(bp, "GET", "/v1/complaints/{complaint_id}", summary="A complaint with its deadlines and events",
          roles=("operator",), response=ComplaintOut, extra_responses={404: "no such complaint"})
def get_complaint(complaint_id: str, principal: Principal):
    rt = runtime()
    return answer(complaints.get(rt.store, complaint_id, rt.clock()))


@endpoint(bp, "POST", "/v1/complaints/{complaint_id}/events",
          summary="Record first_response, escalated (to a supervisor), resolved (a note is required), the satisfaction callback (its result) "
                  "or extended (a complex complaint's new resolution deadline `until`, with a reason)",
          description="`callback` is a service contact recorded in the complaint's history: it is not a call attempt, so it counts "
                      "against no cap and neither needs nor lifts a mute.",
          roles=("operator",), body=ComplaintEventIn, response=ComplaintOut, status=201,
          extra_responses={404: "no such complaint",
                           409: "resolved already (only its callback may follow), a callback before the resolution or a second one, "
                                "or a second first response"})
def complaint_event(complaint_id: str, body: ComplaintEventIn, principal: Principal):
    rt = runtime()
    now = rt.clock()
    not_future(body.at, "at", now)
    # A signed-in person acts in their own name; a key (a machine, a ticket system) may say which person acted.
    actor = principal.actor if principal.person else (body.by or principal.actor)
    event = complaints.NewEvent(type=body.type, at=body.at, note=body.note, to=body.to, result=body.result,
                                until=body.until, approved_by=body.approved_by)
    view = complaints.add_event(rt.store, rt.packs(), complaint_id, event, now, actor, principal.actor)
    return answer(view, 201)
