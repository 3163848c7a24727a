"""Audits and their violations."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from guard.core.vocabularies import codes
from guard.http.schemas.types import Strict


class AuditStartOut(BaseModel):
    audit_id: str
    status: str


class AuditStartQuery(Strict):
    encoding: Annotated[str, Field(min_length=1, max_length=40, description=(
        "the log's text encoding, e.g. utf-8, gb18030 (GBK and GB2312 are read as GB18030), big5 (read as Big5-HKSCS); "
        "default: the multipart field `encoding`, else the Content-Type's charset, else detected"))] | None = None
    model_config = ConfigDict(extra="forbid", strict=False)


class AuditOut(BaseModel):
    audit_id: str
    kind: str
    source: str | None
    status: Literal[codes("audit_statuses")]  # type: ignore[valid-type]
    encoding: str | None = Field(description="the text encoding the log was read in (given or detected): utf-8, gb18030, big5hkscs, …")
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
