"""Call outcomes."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

from guard.http.schemas.types import InstantText, Disposition, Instant, Note, Severity, Strict


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
    ended_at: InstantText | None
    callback_at: InstantText | None
    note: str | None
    reported_at: InstantText
    called_despite_deny: bool
    effects: dict[str, Any]
    duplicate: bool = Field(description="true when this outcome had been reported before (nothing changed)")
