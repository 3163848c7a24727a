"""Audits and their violations."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from guard.core.vocabularies import codes
from guard.http.schemas.types import InstantText, OlderPageQuery, PageNext, Strict


class AuditStartOut(BaseModel):
    audit_id: str
    status: str


class AuditStartQuery(Strict):
    basis: Literal[codes("audit_bases")] = Field("known_then", description=(  # type: ignore[valid-type]
        "known_then: each call judged by what the guard held at its time; known_now: by the facts' own effective times"))
    encoding: Annotated[str, Field(min_length=1, max_length=40, description=(
        "the log's text encoding, e.g. utf-8, gb18030 (GBK and GB2312 are read as GB18030), big5 (read as Big5-HKSCS); "
        "default: the multipart field `encoding`, else the Content-Type's charset, else detected"))] | None = None
    timezone: Annotated[str, Field(min_length=1, max_length=60, description=(
        "the log's own time zone (IANA: Asia/Shanghai, Asia/Hong_Kong, Asia/Taipei …), in which a called_at without a UTC "
        "offset (2026-11-30 09:05:00, 2026/11/30 9:05) is read; else the multipart field `timezone`; default: none, such "
        "rows are rejected"))] | None = None
    model_config = ConfigDict(extra="forbid", strict=False)


class AuditOut(BaseModel):
    audit_id: str
    kind: str
    source: str | None
    status: Literal[codes("audit_statuses")]  # type: ignore[valid-type]
    encoding: str | None = Field(description="the text encoding the log was read in (given or detected): utf-8, gb18030, big5hkscs, …")
    encoding_label: str | None = Field(default=None, description="that encoding as the report names it (UTF-8, GB18030, Big5-HKSCS, …)")
    created_at: InstantText
    started_at: InstantText | None
    finished_at: InstantText | None
    progress: dict[str, Any]
    summary: dict[str, Any] | None = Field(
        description="when done: counts by code, agent, campaign, hour of day; calls judged; rows rejected; apart, "
                    "`calls_breaking_rules` (any code but UNCHECKED_CALL) and `calls_unchecked` (UNCHECKED_CALL) with their "
                    "`_pct` of calls judged, and `rule_violations` (violations other than UNCHECKED_CALL); `by_hour` counts "
                    "in each callee's local hour (`by_hour_clock`: `callee_local`); `period`: `from` and `to` (a call log's in UTC), and "
                    "`from_local` / `to_local` in the bank's `zone` (the default pack's) with their offsets")
    rejected_rows: list[dict[str, Any]] = Field(description="the first 1000 rejected rows with their line numbers "
                                                             "(all of them: GET /v1/audits/{id}/rejects), each `reason` "
                                                             "with `reason_messages` (zh-CN, zh-TW, en)")
    error: str | None
    error_messages: dict[str, str] | None = Field(None, description="`error` in zh-CN, zh-TW and en (the English as `error` has it)")
    basis: str | None = Field(description="the reading of history the calls were judged by (call-log audits)")
    runner: str | None = Field(description="host:pid of the process that judges (or judged) it")
    heartbeat_at: InstantText | None = Field(description="its last sign of life; a reaper fails it after GUARD_AUDIT_STALE_AFTER without one")
    cancel_requested_at: InstantText | None = Field(description="when a cancel was asked for (POST /v1/audits/{id}/cancel)")


class AuditListQuery(OlderPageQuery):
    limit: Annotated[int, Field(ge=1, le=200)] = 20
    model_config = ConfigDict(extra="forbid", strict=False)


class AuditListOut(BaseModel):
    audits: list[AuditOut] = Field(description="newest first; `rejected_rows` is empty here (GET one audit for them)")
    next: PageNext | None = Field(None, description="the query's `before` and `before_id` for the next (older) page; "
                                                    "null when this page holds the oldest audit")


class ViolationsQuery(Strict):
    format: Literal["json", "csv", "xlsx"] = Field("json", description="json: pages; csv (UTF-8 with BOM) or xlsx: every violation "
                                                                      "at once, cells neutralised against formula injection")
    limit: Annotated[int, Field(ge=1, le=10_000)] = 1000
    after: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0  # the id column is a 32-bit integer on PostgreSQL
    code: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    model_config = ConfigDict(extra="forbid", strict=False)


class ViolationsOut(BaseModel):
    violations: list[dict[str, Any]]
    next_after: int | None = Field(description="pass as `after` for the next page; null on the last page of a finished audit "
                                                "only: while it is queued or running, a short or empty page still gives one "
                                                "(ask again later for the violations written since)")
    status: str = Field(description="the audit's status when the page was read (as GET /v1/audits/{id}): `queued` or "
                                    "`running` means more violations may follow")
