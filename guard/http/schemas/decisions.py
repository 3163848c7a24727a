"""Decisions read back from the decision log."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from guard.http.schemas.check import PolicyRef, ReasonOut
from guard.http.schemas.types import InstantText, Id, Instant, OlderPageQuery, PageNext, Phone, Region, Strict


class LocalTimesOut(BaseModel):
    timezone: str = Field(description="the callee's zone the decision was judged in")
    at: InstantText
    next_allowed_at: InstantText | None


class DecisionOut(BaseModel):
    local: LocalTimesOut = Field(description="`at` and `next_allowed_at` in the callee's local time")
    decision_id: str
    allowed: bool
    dry_run: bool
    at: InstantText
    recorded_at: InstantText
    phone_input: str
    phone_e164: str | None
    customer_id: str | None
    campaign: str
    product: str | None
    agent_id: str | None
    reasons: list[ReasonOut]
    next_allowed_at: InstantText | None
    policy: PolicyRef
    key_id: str | None
    request: dict[str, Any] | None = Field(description="as sent; null for a dialer reading another key's decision")
    facts: dict[str, Any] | None = Field(description="what the decision was judged on (customers, blacklist, mutes …); "
                                                     "null for a dialer: only operators and auditors see it")
    outcome: dict[str, Any] | None = Field(None, description="the outcome reported on the decision (`disposition`, `ended_at` as the "
                                                             "dialer reported it or null, `reported_at`, `effects`), or null")


class DecisionSearchQuery(OlderPageQuery):
    phone: Phone | None = None
    customer_id: Id | None = None
    region: Region | None = None
    limit: Annotated[int, Field(ge=1, le=500)] = 50
    model_config = ConfigDict(extra="forbid", strict=False)


class DecisionSearchOut(BaseModel):
    decisions: list[dict[str, Any]] = Field(description="newest first; each as GET /v1/decisions/{id}, plus its `outcome` "
                                               "(`disposition`, `ended_at` as the dialer reported it or null, `reported_at`, `effects`) or null")
    next: PageNext | None = Field(None, description="the query's `before` and `before_id` for the next (older) page; "
                                                            "null when this page holds the oldest decision")
