"""Errors, health, the calling key, the dashboard."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from guard.http.schemas.types import DateText, InstantText, Strict


class ErrorBody(BaseModel):
    code: str
    message: str
    details: Any = None
    messages: dict[str, str] | None = Field(None, description="the error for a person in `zh-CN`, `zh-TW` and `en`: the code's "
                                                              "name, the fields at fault, then `message`")


class ErrorOut(BaseModel):
    error: ErrorBody


class Health(BaseModel):
    status: str
    detail: dict[str, Any] | None = None


class MeOut(BaseModel):
    key_id: str | None = Field(description="the API key's id; null for a signed-in person")
    label: str | None = Field(description="the key's label, or the person's name")
    actor: str = Field(description="who the audit trail records: the key's id, or user:<name> / ldap:<name> for a person")
    roles: list[str] = Field(description="as granted; admin implies every role")
    can: list[str] = Field(description="the roles this key acts in (admin expanded)")


class StatsQuery(Strict):
    date: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", examples=["2026-11-23"])] | None = Field(
        None, description="the local calendar day (default: today in `timezone`)")
    timezone: Annotated[str, Field(min_length=1, max_length=64, examples=["Asia/Shanghai"])] | None = Field(
        None, description="IANA zone of the day (default: the default pack's)")
    model_config = ConfigDict(extra="forbid", strict=False)


class StatsOut(BaseModel):
    date: DateText
    timezone: str
    from_: InstantText = Field(alias="from")
    to: InstantText
    generated_at: InstantText
    checks: dict[str, int] = Field(description="total, allowed, denied (dry runs excluded) and dry_run")
    by_reason: list[dict[str, Any]] = Field(description="denying reason codes, each with the number of denied checks that gave it, most frequent first")
    by_campaign: list[dict[str, Any]] = Field(description="campaign, total, allowed, denied")
    complaints: list[dict[str, Any]] = Field(description="per severity: open, overdue, escalated, received_today, resolved_today, breached (complaints of the day that missed an SLA deadline, whatever their status: met late, passed unmet, or marked overdue)")
    holiday_notices_missing: list[dict[str, Any]] = Field(
        description="as of the day: each year a pack now served will judge by China's calendar without that year's official "
                    "holiday notice (this year, and the next from November 1st): pack, version, calendar, state, year, message")


class SignInIn(Strict):
    username: str = Field(min_length=1, max_length=200, description="local account name or directory user name")
    password: str = Field(min_length=1, max_length=1024)


class SessionOut(BaseModel):
    actor: str = Field(description="user:<name> (local account) or ldap:<name> (directory): what the audit trail records")
    name: str | None = Field(description="how the person is shown")
    roles: list[str]
    can: list[str] = Field(description="the roles the person acts in (admin expanded)")
    csrf_token: str = Field(description="send it as X-CSRF-Token with every change made in this session")
    expires_at: InstantText = Field(description="the session ends then, however active")
    idle_expires_at: InstantText = Field(description="the session ends then unless a request comes first")
