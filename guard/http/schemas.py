"""Request and response schemas: the same models validate requests and describe them in /openapi.json.

Request models are strict (no type coercion: `"dry_run": "yes"` is an error, not True) and
forbid unknown fields (a misspelt `dryrun` must not be silently ignored). String lengths match
the store's columns.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema

from guard.core.pack_schema import parse_instant
from guard.core.vocabularies import VOCABULARIES, codes


def _instant(value: Any) -> Any:
    if isinstance(value, str):
        parsed = parse_instant(value)
        if parsed is None:
            raise ValueError("must be an ISO 8601 date-time with a UTC offset, like 2026-11-23T10:15:00+08:00")
        if not 1970 <= parsed.year <= 9998:
            raise ValueError("is out of range")
        return parsed
    raise ValueError("must be an ISO 8601 date-time string with a UTC offset")


Instant = Annotated[
    datetime,
    BeforeValidator(_instant),
    PlainSerializer(lambda v: v.isoformat(), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time", "example": "2026-11-23T10:15:00+08:00"}),
]
Phone = Annotated[str, Field(min_length=1, max_length=64, examples=["138 0013 8000"])]
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\s/\\]+$")]
CampaignId = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^\s/\\]+$")]
Region = Annotated[str, Field(min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$", examples=["CN"])]
# Every enumeration comes from the vocabulary registry (guard/core/vocabularies.py).
CustomerLevel = Literal[codes("customer_levels")]  # type: ignore[valid-type]
ProductLevel = Literal[codes("product_levels")]  # type: ignore[valid-type]
ProductType = Literal[codes("product_types")]  # type: ignore[valid-type]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class CheckRequest(Strict):
    phone: Phone
    campaign: CampaignId
    region: Region | None = None
    customer_id: Id | None = None
    product: CampaignId | None = None
    agent_id: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    at: Instant | None = None
    dry_run: bool = False


class ReasonOut(BaseModel):
    code: str = Field(examples=["FREQ_CAP"])
    message: str
    message_zh: str | None = None
    detail: dict[str, Any]


class PolicyRef(BaseModel):
    pack: str
    version: str
    hash: str


class CheckResponse(BaseModel):
    decision_id: str
    allowed: bool
    phone_e164: str | None
    reasons: list[ReasonOut]
    next_allowed_at: str | None = Field(description="earliest instant the same request would be allowed; null when no time will do")
    policy: PolicyRef
    evaluated_at: str = Field(description="the instant the call was judged at")
    timezone: str = Field(description="the callee's zone the times are written in")
    dry_run: bool
    customer_id: str | None = Field(description="the call's first customer: the number's recorded owner, else the customer named")
    customers: list[str] = Field(description="every customer of the call (the owner, then the customer named when that is "
                                             "someone else): each one's suppressions, profile and caps were applied")
    customer_mismatch: bool = Field(description="the request named a customer who is not the number's recorded owner")
    cap_tier: Literal["normal", "sensitive"]


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


class CustomerOut(BaseModel):
    id: str
    phones: list[str]
    risk_level: str | None
    risk_assessed_at: str | None
    tags: list[str]
    windows: list[dict[str, str]]
    timezone: str | None
    version: int
    updated_at: str


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


class ProductIn(Strict):
    type: ProductType
    risk: ProductLevel
    needs_risk_assessment: bool = True
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None


class ProductOut(BaseModel):
    code: str
    type: str
    risk: str
    needs_risk_assessment: bool
    name: str | None
    source: str = Field(description="`api` or `pack:<id>@<version>`")


class CampaignIn(Strict):
    products: Annotated[list[CampaignId], Field(max_length=100)] = []
    require_approved_script: bool = False
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    pack: Annotated[str, Field(min_length=1, max_length=100)] | None = None


class CampaignOut(BaseModel):
    id: str
    products: list[str]
    require_approved_script: bool
    name: str | None
    pack: str
    source: str


class LocalTimesOut(BaseModel):
    timezone: str = Field(description="the callee's zone the decision was judged in")
    at: str
    next_allowed_at: str | None


class DecisionOut(BaseModel):
    local: LocalTimesOut = Field(description="`at` and `next_allowed_at` in the callee's local time")
    decision_id: str
    allowed: bool
    dry_run: bool
    at: str
    recorded_at: str
    phone_input: str
    phone_e164: str | None
    customer_id: str | None
    campaign: str
    product: str | None
    agent_id: str | None
    reasons: list[ReasonOut]
    next_allowed_at: str | None
    policy: PolicyRef
    key_id: str | None
    request: dict[str, Any]
    facts: dict[str, Any]


class ErrorBody(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorOut(BaseModel):
    error: ErrorBody


class Health(BaseModel):
    status: str
    detail: dict[str, Any] | None = None


# --- suppression lifecycle: outcomes, blacklist, complaints, list scrubbing -------------------

Disposition = Literal[codes("dispositions")]  # type: ignore[valid-type]
Severity = Literal[codes("complaint_severities")]  # type: ignore[valid-type]
BlacklistSource = Literal[codes("blacklist_sources")]  # type: ignore[valid-type]
Note = Annotated[str, Field(min_length=1, max_length=4000)]


class OutcomeIn(Strict):
    disposition: Disposition
    ended_at: Instant | None = None
    callback_at: Instant | None = Field(None, description="only with `callback`; default: the pack's deferral_default after the call")
    note: Note | None = Field(None, description="a note asking to stop calling (不要再打 …) blacklists, whatever the disposition")
    severity: Severity | None = Field(None, description="only with `complaint` (default light)")
    category: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(None, description="only with `complaint`")


class OutcomeOut(BaseModel):
    decision_id: str
    disposition: str
    ended_at: str | None
    callback_at: str | None
    note: str | None
    reported_at: str
    called_despite_deny: bool
    effects: dict[str, Any]
    duplicate: bool = Field(description="true when this outcome had been reported before (nothing changed)")


class BlacklistIn(Strict):
    phone: Phone | None = None
    customer_id: Id | None = None
    region: Region | None = None
    source: BlacklistSource
    reason: Note | None = None
    expires_at: Instant | None = None
    added_at: Instant | None = Field(None, description="when the listing took effect (default: now)")


class BlacklistEntryOut(BaseModel):
    id: str
    phone_e164: str | None
    customer_id: str | None
    source: str
    code: str = Field(description="the reason a check gives for it: DNC_OPT_OUT or DNC_REGISTRY")
    reason: str | None
    added_at: str
    expires_at: str | None
    added_by: str | None
    recorded_at: str | None
    active: bool
    removed_at: str | None
    removed_by: str | None
    removal_reason: str | None


class BlacklistLookupOut(BaseModel):
    phone_e164: str | None = None
    customer_id: str | None = None
    blocked: bool
    codes: list[str]
    entries: list[BlacklistEntryOut]
    history: list[BlacklistEntryOut] = Field(description="removed and expired entries")


class BlacklistRemoveIn(Strict):
    reason: Annotated[str, Field(min_length=3, max_length=1000)]
    source: BlacklistSource | None = Field(None, description="remove only entries of this source")


class BlacklistRemovedOut(BaseModel):
    removed: list[BlacklistEntryOut]


class ImportQuery(Strict):
    source: BlacklistSource = "registry"
    region: Region | None = None
    model_config = ConfigDict(extra="forbid", strict=False)


class ImportRejectOut(BaseModel):
    line: int
    reason: str
    row: str


class ImportOut(BaseModel):
    accepted: int = Field(description="new entries")
    unchanged: int = Field(description="valid rows already on the list (or repeated in the file)")
    rejected: int
    rows: int
    rejects: list[ImportRejectOut] = Field(description="the first 1000 rejected rows, with their line numbers")
    rejects_truncated: bool


class ComplaintIn(Strict):
    phone: Phone | None = None
    customer_id: Id | None = None
    region: Region | None = None
    severity: Severity
    category: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    text: Note | None = None
    received_at: Instant | None = Field(None, description="default: now; may be in the past, not in the future")


class ComplaintSlaOut(BaseModel):
    first_response_due: str | None
    resolution_due: str | None
    escalation_due: str | None
    missed: list[str]


class ComplaintDueOut(BaseModel):
    kind: Literal[codes("deadline_kinds")]  # type: ignore[valid-type]
    at: str


class ComplaintEventOut(BaseModel):
    type: str
    at: str
    recorded_at: str
    actor: str | None
    note: str | None


class ComplaintOut(BaseModel):
    id: str
    phone_e164: str | None
    customer_id: str | None
    severity: str
    category: str | None
    text: str | None
    received_at: str
    decision_id: str | None
    status: Literal[codes("complaint_statuses")]  # type: ignore[valid-type]
    sla: ComplaintSlaOut
    next_due: ComplaintDueOut | None = Field(description="the nearest deadline still to be met (passed or not)")
    first_response_at: str | None
    escalated_at: str | None
    resolved_at: str | None
    overdue_at: str | None
    policy: dict[str, str]
    effects: dict[str, Any]
    created_at: str
    created_by: str | None
    events: list[ComplaintEventOut] | None = None


class ComplaintListQuery(Strict):
    status: Literal[(*codes("complaint_statuses"), "unresolved")] | None = Field(  # type: ignore[valid-type]
        None, description="open: no deadline missed; overdue: one missed; unresolved: both; resolved")
    sort: Literal["received", "due"] = Field("received", description="received: oldest first; due: nearest pending SLA deadline first")
    customer_id: Id | None = None
    limit: Annotated[int, Field(ge=1, le=1000)] = 100
    model_config = ConfigDict(extra="forbid", strict=False)


class ComplaintListOut(BaseModel):
    complaints: list[ComplaintOut]


class ComplaintEventIn(Strict):
    type: Literal[VOCABULARIES["complaint_events"].where_extra("recorded_by", "person")]  # type: ignore[valid-type]
    at: Instant | None = None
    note: Note | None = None
    by: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(None, description="who acted (default: the key)")


class BatchCheckIn(Strict):
    campaign: CampaignId
    phones: Annotated[list[Phone], Field(min_length=1, max_length=100_000)]
    at: Instant | None = Field(None, description="the instant to judge at (default now); any time, since nothing is recorded")
    region: Region | None = None
    product: CampaignId | None = None


class BatchResultOut(BaseModel):
    phone: str
    phone_e164: str | None
    allowed: bool
    reasons: list[ReasonOut]
    next_allowed_at: str | None


class BatchCheckOut(BaseModel):
    results: list[BatchResultOut]
    policy: PolicyRef
    evaluated_at: str
    count: int


# --- scripts (话术) ------------------------------------------------------------------------------

ScriptText = Annotated[str, Field(min_length=1, max_length=200_000)]


class LintIn(Strict):
    text: ScriptText
    product_type: ProductType | None = Field(None, description="without it, only rules for every product type apply")
    pack: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(None, description="default: the default pack")


class FindingOut(BaseModel):
    rule: str
    code: Literal[codes("lint_codes")]  # type: ignore[valid-type]
    severity: Literal[codes("lint_severities")]  # type: ignore[valid-type]
    start: int = Field(description="offset into the original text (code points); text[start:end] == matched")
    end: int
    line: int
    column: int
    matched: str
    message: str
    suggestion: str
    rationale: str | None = None


class LintOut(BaseModel):
    verdict: Literal[codes("verdicts")]  # type: ignore[valid-type]
    findings: list[FindingOut]
    policy: dict[str, str]


class ScriptIn(Strict):
    campaign: CampaignId
    product_type: ProductType
    text: ScriptText
    pack: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(None, description="default: the campaign's pack")


class ScriptOut(BaseModel):
    id: str
    campaign: str
    product_type: str
    version: int
    text: str
    verdict: Literal[codes("verdicts")]  # type: ignore[valid-type]
    findings: list[FindingOut]
    policy: dict[str, str]
    created_at: str
    created_by: str | None
    approved_at: str | None
    approved_by: str | None


class ScriptListQuery(Strict):
    campaign: CampaignId
    model_config = ConfigDict(extra="forbid", strict=False)


class ScriptListOut(BaseModel):
    scripts: list[ScriptOut]


# --- audits --------------------------------------------------------------------------------------

class AuditStartOut(BaseModel):
    audit_id: str
    status: str


class AuditOut(BaseModel):
    audit_id: str
    kind: str
    source: str | None
    status: Literal[codes("audit_statuses")]  # type: ignore[valid-type]
    created_at: str
    started_at: str | None
    finished_at: str | None
    progress: dict[str, Any]
    summary: dict[str, Any] | None = Field(description="when done: counts by code, agent, campaign, hour of day; calls judged; rows rejected")
    rejected_rows: list[dict[str, Any]] = Field(description="the first 1000 rejected rows with their line numbers")
    error: str | None


class AuditListQuery(Strict):
    limit: Annotated[int, Field(ge=1, le=200)] = 20
    model_config = ConfigDict(extra="forbid", strict=False)


class AuditListOut(BaseModel):
    audits: list[AuditOut] = Field(description="newest first; `rejected_rows` is empty here (GET one audit for them)")


class ViolationsQuery(Strict):
    format: Literal["json", "csv"] = "json"
    limit: Annotated[int, Field(ge=1, le=10_000)] = 1000
    after: Annotated[int, Field(ge=0)] = 0
    code: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    model_config = ConfigDict(extra="forbid", strict=False)


class ViolationsOut(BaseModel):
    violations: list[dict[str, Any]]
    next_after: int | None = Field(description="pass as `after` for the next page; null on the last page")


class DecisionSearchQuery(Strict):
    phone: Phone | None = None
    customer_id: Id | None = None
    region: Region | None = None
    limit: Annotated[int, Field(ge=1, le=500)] = 50
    before: Instant | None = Field(None, description="only decisions for calls judged before this instant (for paging back)")
    model_config = ConfigDict(extra="forbid", strict=False)


class DecisionSearchOut(BaseModel):
    decisions: list[dict[str, Any]] = Field(description="newest first; each as GET /v1/decisions/{id}, plus its `outcome`")


# --- console ---------------------------------------------------------------------------------------

class MeOut(BaseModel):
    key_id: str
    label: str | None
    roles: list[str] = Field(description="as granted; admin implies every role")
    can: list[str] = Field(description="the roles this key acts in (admin expanded)")


class StatsQuery(Strict):
    date: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", examples=["2026-11-23"])] | None = Field(
        None, description="the local calendar day (default: today in `timezone`)")
    timezone: Annotated[str, Field(min_length=1, max_length=64, examples=["Asia/Shanghai"])] | None = Field(
        None, description="IANA zone of the day (default: the default pack's)")
    model_config = ConfigDict(extra="forbid", strict=False)


class StatsOut(BaseModel):
    date: str
    timezone: str
    from_: str = Field(alias="from")
    to: str
    generated_at: str
    checks: dict[str, int] = Field(description="total, allowed, denied (dry runs excluded) and dry_run")
    by_reason: list[dict[str, Any]] = Field(description="denying reason codes, each with the number of denied checks that gave it, most frequent first")
    by_campaign: list[dict[str, Any]] = Field(description="campaign, total, allowed, denied")
    complaints: list[dict[str, Any]] = Field(description="per severity: open, overdue, escalated, received_today, resolved_today")
