"""Complaints, their SLA deadlines and events."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from guard.core.vocabularies import VOCABULARIES, codes
from guard.http.schemas.types import InstantText, Id, Instant, Note, Phone, Region, Severity, Strict


class ComplaintIn(Strict):
    phone: Phone | None = None
    customer_id: Id | None = None
    region: Region | None = None
    severity: Severity
    category: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    text: Note | None = None
    received_at: Instant | None = Field(None, description="default: now; may be in the past, not in the future")


class ComplaintBreachOut(BaseModel):
    kind: Literal[codes("deadline_kinds")]  # type: ignore[valid-type]
    due: InstantText
    done_at: InstantText | None = Field(description="when the step was done, after its deadline; null while (or if) never done")


class ComplaintSlaOut(BaseModel):
    first_response_due: InstantText | None
    resolution_due: InstantText | None
    escalation_due: InstantText | None
    extended: bool = Field(False, description="an `extended` event moved `resolution_due` (the events say from when to when, why and who approved)")
    missed: list[str] = Field(description="every deadline missed: passed unmet, or met late (it stays missed once the step is done)")
    breaches: list[ComplaintBreachOut] = Field([], description="each missed deadline with when it was due and when its step was done")


class ComplaintDueOut(BaseModel):
    kind: Literal[codes("deadline_kinds")]  # type: ignore[valid-type]
    at: InstantText


class ComplaintCallbackOut(BaseModel):
    due: InstantText | None = Field(description="resolution + the pack's complaints.callback (default 7 days); null before resolution")
    at: InstantText | None
    result: Literal[codes("callback_results")] | None  # type: ignore[valid-type]
    overdue_at: InstantText | None = Field(description="when the scheduler found the callback late")


class ComplaintEventOut(BaseModel):
    type: str
    at: InstantText
    recorded_at: InstantText
    actor: str | None = Field(description="who acted: the key's id, the person signed in, or the person a key named (`by`)")
    recorded_by: str | None = Field(None, description="who recorded the event: the key's id or the person signed in (null for "
                                                      "events recorded before this was kept)")
    note: str | None
    note_messages: dict[str, str] | None = Field(None, description="`note` in zh-CN, zh-TW and en: a note the guard wrote (an overdue "
                                                 "found, the scheduler's escalation, a late callback, a callback's result) translated; "
                                                 "a person's words as typed")


class ComplaintOut(BaseModel):
    id: str
    phone_e164: str | None
    customer_id: str | None
    severity: str
    category: str | None
    text: str | None
    received_at: InstantText
    decision_id: str | None
    status: Literal[codes("complaint_statuses")]  # type: ignore[valid-type]
    sla: ComplaintSlaOut
    next_due: ComplaintDueOut | None = Field(description="the nearest deadline still to be met (passed or not)")
    stage: Literal[codes("complaint_stages")]  # type: ignore[valid-type]
    late: bool = Field(description="a pending deadline (the callback's included) has passed, or the scheduler marked it overdue")
    first_response_at: InstantText | None
    escalated_at: InstantText | None
    escalated_to: str | None = Field(description="the supervisor it was escalated to, as named when escalating")
    callback: ComplaintCallbackOut
    resolved_at: InstantText | None
    overdue_at: InstantText | None
    policy: dict[str, str]
    effects: dict[str, Any]
    created_at: InstantText
    created_by: str | None
    events: list[ComplaintEventOut] | None = None
    duplicate: bool | None = Field(None, description="on `POST /v1/complaints`: true when the same complaint (number or customer, "
                                   "severity, category, text and received_at) had been recorded: that one is answered (200), "
                                   "nothing is recorded again")


class ComplaintListQuery(Strict):
    status: Literal[(*codes("complaint_statuses"), "unresolved")] | None = Field(  # type: ignore[valid-type]
        None, description="open: no deadline missed; overdue: one missed; unresolved: both; resolved")
    stage: Literal[codes("complaint_stages")] | None = Field(None, description="only complaints at this stage of the workflow")  # type: ignore[valid-type]
    late: bool | None = Field(None, description="true: only late ones (a pending deadline passed, callbacks included); false: none of them")
    sort: Literal["received", "due"] = Field("received", description="received: oldest first; due: nearest pending SLA deadline first")
    customer_id: Id | None = None
    phone: Phone | None = Field(None, description="only complaints about this number (any format; the default pack's region)")
    limit: Annotated[int, Field(ge=1, le=1000)] = 100
    after: Annotated[str, Field(min_length=1, max_length=400)] | None = Field(
        None, description="the `next` of the page before (same filters and sort): this page starts after its last complaint")
    model_config = ConfigDict(extra="forbid", strict=False)


class ComplaintListOut(BaseModel):
    complaints: list[ComplaintOut]
    next: str | None = Field(None, description="pass as `after` for the next page; null on the last page")


class ComplaintEventIn(Strict):
    type: Literal[VOCABULARIES["complaint_events"].where_extra("recorded_by", "person")]  # type: ignore[valid-type]
    at: Instant | None = None
    note: Note | None = Field(None, description="required with `resolved`: how the complaint was resolved; a note asking to stop calling (不要再打 …) blacklists the complaint's number and customer from the event's `at`")
    by: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(None, description="who acted (default: the key); ignored for a signed-in person, who is recorded")
    to: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(
        None, description="required with `escalated`: the supervisor it goes to")
    result: Literal[codes("callback_results")] | None = Field(  # type: ignore[valid-type]
        None, description="required with `callback`: what the customer said of the resolution")
    until: Instant | None = Field(None, description="required with `extended`: the new resolution deadline (later than the "
                                                      "current one, at most to 24:00 of the 60th day after the day of receipt, in the pack's time zone)")
    approved_by: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(
        None, description="with `extended`, required past 24:00 of the 30th day after the day of receipt: who approved the extension")


class ComplaintCountsOut(BaseModel):
    stages: dict[str, int] = Field(description="complaints at each stage of the workflow (every stage named, zeros included)")
    late: int = Field(description="unresolved complaints that missed a deadline, and resolved ones whose callback is late")
    breached: int = Field(0, description="complaints that missed any SLA deadline (met late or passed unmet), whatever their stage")
    at: InstantText
