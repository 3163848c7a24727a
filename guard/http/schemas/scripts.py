"""Script linting and script versions."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from guard.core.vocabularies import codes
from guard.http.schemas.types import CampaignId, ProductType, ScriptText, Strict


class LintIn(Strict):
    text: ScriptText
    product_type: ProductType | None = Field(None, description="without it, every rule and every disclosure applies")
    pack: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(None, description="default: the default pack")


class RuleHitOut(BaseModel):
    rule: str
    code: Literal[codes("lint_codes")]  # type: ignore[valid-type]
    severity: Literal[codes("lint_severities")]  # type: ignore[valid-type]
    start: int
    end: int


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
    rules: list[RuleHitOut] | None = Field(None, description="every rule on these words (overlapping hits of different rules are one finding); `rule` is the most severe, then the longest")


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
