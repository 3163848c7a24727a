"""Customer profiles and the customer overview."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from guard.http.schemas.complaints import ComplaintOut
from guard.http.schemas.types import InstantText, CustomerLevel, Instant, Phone, Region, Strict


class WindowIn(Strict):
    days: Annotated[str, Field(min_length=1, max_length=40, examples=["mon-fri"])] | list[Annotated[str, Field(max_length=10)]]
    from_: Annotated[str, Field(alias="from", min_length=5, max_length=5, examples=["20:00"])]
    to: Annotated[str, Field(min_length=5, max_length=5, examples=["21:00"])]
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=False)


class CustomerIn(Strict):
    phones: Annotated[list[Phone], Field(max_length=100)] = []
    region: Region | None = None
    risk_level: CustomerLevel | None = None
    risk_assessed_at: Instant | None = None
    tags: Annotated[list[Annotated[str, Field(min_length=1, max_length=40)]], Field(max_length=20)] = []
    windows: Annotated[list[WindowIn], Field(max_length=14)] = []
    timezone: Annotated[str, Field(min_length=1, max_length=64, examples=["Asia/Shanghai"])] | None = None
    state: Annotated[str, Field(min_length=2, max_length=8, examples=["FL"])] | None = Field(
        None, description="the US state the customer lives in: that state's telemarketing rules apply (with the number's state's)")


class CustomerOut(BaseModel):
    id: str
    phones: list[str]
    risk_level: str | None
    risk_assessed_at: InstantText | None
    tags: list[str] = Field(description="every tag the checks apply: the CRM's (as last PUT) and the guard's own (`guard_tags`)")
    guard_tags: list[str] = Field([], description="the tags the guard set itself (a complaint tags its customer `sensitive`): a PUT "
                                                  "keeps them whatever its `tags`; only DELETE /v1/customers/{id}/guard-tags/{tag} (admin) drops one")
    windows: list[dict[str, str]]
    timezone: str | None
    state: str | None = None
    version: int
    updated_at: InstantText


class GuardTagRemoveIn(Strict):
    reason: Annotated[str, Field(min_length=1, max_length=1000)] = Field(description="why the tag the guard set is removed (kept on record)")


class CustomerOverviewOut(BaseModel):
    customer_id: str
    profile: CustomerOut | None = Field(description="null when the guard knows the customer only from lists or complaints")
    risk: dict[str, Any] = Field(description="level, assessed_at, expires_at (the pack's validity), expired")
    blacklist: dict[str, Any] = Field(description="blocked, and every entry on the customer or one of their numbers")
    mute: dict[str, Any] = Field(description="muted, until, and every mute")
    deferrals: list[dict[str, Any]]
    complaints: list[ComplaintOut]
    decisions: list[dict[str, Any]] = Field(description="the newest, as GET /v1/decisions")
    trail: list[dict[str, Any]] = Field(description="every recorded change, newest first: at, actor, actor_label, action, detail")
    trail_truncated: bool


class NumberOverviewOut(BaseModel):
    phone_e164: str
    customer_id: str | None = Field(description="the customer who holds the number now; null when no profile lists it")
    blacklist: dict[str, Any] = Field(description="blocked, and every entry on the number itself")
    mute: dict[str, Any] = Field(description="muted, until, and every mute of the number itself")
    deferrals: list[dict[str, Any]]
    complaints: list[ComplaintOut] = Field(description="complaints about this number, newest first")
    decisions: list[dict[str, Any]] = Field(description="the newest decisions for the number, as GET /v1/decisions")
    trail: list[dict[str, Any]] = Field(description="every recorded change on the number, newest first")
    trail_truncated: bool
