"""`POST /v1/check` and `POST /v1/check/batch`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from guard.http.schemas.types import InstantText, CampaignId, Id, Instant, Phone, Purpose, Region, Strict


class CheckRequest(Strict):
    phone: Phone
    campaign: CampaignId
    region: Region | None = None
    customer_id: Id | None = None
    product: CampaignId | None = None
    agent_id: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    at: Instant | None = None
    dry_run: bool = False
    purpose: Purpose = Field("marketing", description="marketing (every rule binds; counted by the caps) or service (only the rules "
                                                     "the pack's `purposes.service` lists bind; never counted by the caps) — "
                                                     "service only on a campaign that declares it, else judged as marketing")


class ReasonOut(BaseModel):
    code: str = Field(examples=["FREQ_CAP"])
    message: str = Field(description="English, as recorded in the decision log")
    message_zh: str | None = Field(None, description="Chinese with the same specifics: traditional for Taiwan, Hong Kong and "
                                                     "Macau packs, simplified otherwise")
    messages: dict[str, str] = Field(default_factory=dict, description="the message in every language: `zh-CN`, `zh-TW`, `en`")
    detail: dict[str, Any]


class PolicyRef(BaseModel):
    pack: str
    version: str
    hash: str


class CheckResponse(BaseModel):
    decision_id: str
    allowed: bool
    phone_e164: str | None
    phone_extension: str | None = Field(None, description=(
        "the extension the phone was written with (010-12345678转123, (212) 555-0123 x45), else null: the decision is the "
        "line's (`phone_e164`, without the extension), whose blacklist entries, consents and caps hold for every extension of "
        "it; dial the extension after the line answers"))
    reasons: list[ReasonOut]
    next_allowed_at: InstantText | None = Field(description="earliest instant the same request would be allowed; null when no time will do")
    policy: PolicyRef
    evaluated_at: InstantText = Field(description="the instant the call was judged at")
    timezone: str = Field(description="the callee's zone the times are written in")
    timezone_source: Literal["customer", "override", "number", "pack", "state"] = Field(
        description="where the zone came from: the customer's record, the pack's correction for the number, the number, the pack's "
                    "default, or the customer's recorded state (its zones are judged too whatever the first zone's source)")
    dry_run: bool
    customer_id: str | None = Field(description="the call's first customer: the number's recorded owner, else the customer named")
    customers: list[str] = Field(description="every customer of the call (the owner, then the customer named when that is "
                                             "someone else): each one's suppressions, profile and caps were applied")
    customer_mismatch: bool = Field(description="the request named a customer who is not the number's recorded owner")
    cap_tier: Literal["normal", "sensitive"]
    purpose: Purpose = Field(description="the purpose the call was judged for: the one asked for, or marketing when the "
                                         "campaign does not declare it (pack campaigns[].purposes)")
    purpose_requested: Purpose = Field(description="the purpose the request asked for")


# A list as banks export it has blank cells: an empty entry is that number's INVALID_NUMBER, as "  " is, not the list's 400.
ListedPhone = Annotated[str, Field(max_length=64, examples=["138 0013 8000"])]


class BatchCheckIn(Strict):
    campaign: CampaignId
    phones: Annotated[list[ListedPhone], Field(min_length=1, max_length=100_000, description=(
        "the numbers in the list's order; a blank entry (\"\" or spaces) is answered INVALID_NUMBER in its place"))]
    at: Instant | None = Field(None, description="the instant to judge at (default now); any time, since nothing is recorded")
    region: Region | None = None
    product: CampaignId | None = None
    purpose: Purpose = "marketing"


class BatchResultOut(BaseModel):
    phone: str
    phone_e164: str | None
    phone_extension: str | None = Field(description=(
        "the extension the phone was written with (010-12345678转123), else null: as /v1/check's, the result is the line's "
        "(`phone_e164`, without the extension)"))
    duplicate_of: int | None = Field(description="the index (from 0) of the list's first entry of the same number, when "
                                                 "this entry repeats it; null for a first entry and for an invalid one")
    allowed: bool
    reasons: list[ReasonOut]
    next_allowed_at: InstantText | None


class BatchCheckOut(BaseModel):
    results: list[BatchResultOut]
    policy: PolicyRef
    evaluated_at: InstantText
    count: int
    duplicates: int = Field(description="entries that repeat an earlier entry's number (`duplicate_of`)")
