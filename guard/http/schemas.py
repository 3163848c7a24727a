"""Request and response schemas: the same models validate requests and describe them in /openapi.json.

Request models are strict (no type coercion: `"dry_run": "yes"` is an error, not True) and
forbid unknown fields (a misspelt `dryrun` must not be silently ignored). String lengths match
the store's columns.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema

from guard.core.pack import CUSTOMER_LEVELS, PRODUCT_LEVELS, PRODUCT_TYPES
from guard.core.pack_schema import parse_instant


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
CustomerLevel = Literal["C1", "C2", "C3", "C4", "C5"]
ProductLevel = Literal["R1", "R2", "R3", "R4", "R5"]
ProductType = Literal["wealth", "fund", "insurance", "deposit", "loan", "credit_card"]
assert CUSTOMER_LEVELS == CustomerLevel.__args__ and PRODUCT_LEVELS == ProductLevel.__args__ and PRODUCT_TYPES == ProductType.__args__


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
    customer_id: str | None
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


class DecisionOut(BaseModel):
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
