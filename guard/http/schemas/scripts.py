"""Script linting and script versions."""

from __future__ import annotations

from typing import Any, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from guard.core.vocabularies import codes
from guard.http.schemas.types import InstantText, CampaignId, Instant, ProductType, ScriptText, Strict


class LintIn(Strict):
    text: ScriptText
    product_type: ProductType | None = Field(
        None, description="the product the script sells (its rules and required disclosures); with `campaign`, one the campaign "
                          "sells. Without it: the types the campaign sells, or, with no campaign, every rule of the pack "
                          "(every type's phrases and required disclosures)")
    campaign: CampaignId | None = Field(
        None, description="lint as this campaign's script: under the product types it sells (by its pack unless `pack`)")
    pack: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(
        None, description="default: the campaign's pack, else the default pack")


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
    messages: dict[str, str] | None = Field(None, description="the finding in `zh-CN`, `zh-TW` and `en`: the code's name, the "
                                                              "words, the rule and the pack's message (as the pack writes it)")
    suggestion: str
    rationale: str | None = None
    rules: list[RuleHitOut] | None = Field(None, description="every rule on these words (overlapping hits of different rules are one finding); `rule` is the most severe, then the longest")


class UnlintedOut(BaseModel):
    start: int = Field(description="offset into the original text (code points) where the turn's speaker label starts")
    end: int
    line: int
    column: int
    speaker: Literal["customer"]


class LintNoteOut(BaseModel):
    code: Literal["NO_PHRASE_RULES"]
    message: str
    messages: dict[str, str] = Field(description="the note in `zh-CN`, `zh-TW` and `en`")


class LintOut(BaseModel):
    verdict: Literal[codes("verdicts")]  # type: ignore[valid-type]
    findings: list[FindingOut]
    unlinted: list[UnlintedOut] = Field(
        default_factory=list, description="the customer's turns of a transcript or role-play script that marks its speakers "
                                          "(客户：…, [客户] …): the rules judge the seller's words and did not read these")
    product_types: list[str] = Field(description="the product types linted under (findings merged; the verdict is the worst)")
    notes: list[LintNoteOut] = Field(
        default_factory=list, description="what the verdict cannot vouch for: `NO_PHRASE_RULES` when no phrase rule of the "
                                          "pack applies to these product types (e.g. us-tcpa), so a `pass` says nothing of the wording")
    policy: dict[str, str]


class ScriptIn(Strict):
    campaign: CampaignId
    product_type: ProductType | None = Field(
        None, description="one of the types the campaign's products have (else 400 naming `product_type` and the campaign's "
                          "types); without it the script is linted under every type the campaign sells (every rule when it "
                          "sells no known product)")
    text: ScriptText
    pack: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(None, description="default: the campaign's pack")


class ScriptOut(BaseModel):
    id: str
    campaign: str
    product_type: str | None = Field(description="the type named when it was stored (null: from the campaign)")
    product_types: list[str] = Field(description="the product types it was linted under when stored")
    version: int
    text: str
    verdict: Literal[codes("verdicts")]  # type: ignore[valid-type]
    findings: list[FindingOut]
    unlinted: list[UnlintedOut] = Field(default_factory=list, description="the customer's turns the rules did not read (as in the lint answer)")
    notes: list[LintNoteOut] = Field(
        default_factory=list, description="what the stored verdict cannot vouch for, as in the lint answer: `NO_PHRASE_RULES` "
                                          "when no phrase rule of `policy` applied to `product_types`")
    policy: dict[str, str]
    created_at: InstantText
    created_by: str | None
    approved_at: InstantText | None
    approved_by: str | None
    approval_notes: list[LintNoteOut] = Field(
        default_factory=list, description="what the approval's lint (the campaign's pack in effect then, every type it sold) "
                                          "could not vouch for: `NO_PHRASE_RULES` when no wording rule applied")
    needs_review: bool = Field(False, description="approved, but a pack version in effect (or coming) fails it")
    needs_review_at: InstantText | None = Field(None, description="from when: that pack version's effective_from (or when it was found)")
    suspended_at: InstantText | None = Field(None, description="when its approval stops counting (after the pack's script_approval.review_grace)")
    review_pack: str | None = Field(None, description="the pack version that fails it")
    review_findings: list[dict[str, Any]] = Field(default_factory=list, description="its errors under that version, with the product type")


class ScriptListQuery(Strict):
    campaign: CampaignId
    model_config = ConfigDict(extra="forbid", strict=False)


class ScriptReviewQuery(Strict):
    campaign: CampaignId | None = None
    model_config = ConfigDict(extra="forbid", strict=False)


class ScriptListOut(BaseModel):
    scripts: list[ScriptOut]


Judgement = Literal[codes("finding_judgements")]  # type: ignore[valid-type]


class JudgementIn(Strict):
    rule: Annotated[str, Field(min_length=1, max_length=200)] = Field(description="the finding's `rule`")
    start: Annotated[int, Field(ge=0)] = Field(description="the finding's `start`")
    end: Annotated[int, Field(ge=0)] = Field(description="the finding's `end`")
    judgement: Judgement = Field(description="`false_alarm`: the words make no claim the rule is about; `confirmed`: the finding is right")
    note: Annotated[str, Field(max_length=2000)] | None = Field(None, description="why (kept with the judgement and in the corpus export)")


class JudgementOut(BaseModel):
    id: int
    script_id: str
    campaign: str
    rule: str
    rules: list[str] = Field(description="every rule whose hit lies on the finding's words (a merged finding), `rule` first: "
                                         "the judgement counts for each")
    code: str
    start: int
    end: int
    matched: str
    judgement: Judgement
    note: str | None
    policy: dict[str, str] = Field(description="the pack version that judged the script when it was stored")
    created_at: InstantText
    created_by: str | None


class EarlierJudgementOut(BaseModel):
    rule: str = Field(description="the rule of this version's finding")
    start: int = Field(description="this version's finding's `start`")
    end: int = Field(description="this version's finding's `end`")
    sentence: str = Field(description="the sentence both versions hold")
    judged_rule: str = Field(description="the rule the finding was judged under there (one of this finding's rules)")
    judgement: str = Field(description="the reviewers' newest judgements there: `false_alarm`, `confirmed`, or `disputed`")
    by: list[str] = Field(description="the reviewers who judged it")
    notes: list[str]
    script_id: str = Field(description="the version judged")
    version: int


class JudgementListOut(BaseModel):
    judgements: list[JudgementOut]
    earlier: list[EarlierJudgementOut] = Field(description="what reviewers concluded on the campaign's other versions about "
                                                           "this version's findings (same rule, same words, same sentence)")


class JudgementSummaryQuery(Strict):
    since: Instant | None = Field(None, description="judgements given at or after this instant")
    until: Instant | None = Field(None, description="judgements given before this instant")
    rule: Annotated[str, Field(min_length=1, max_length=200)] | None = Field(None, description="one rule only")
    model_config = ConfigDict(extra="forbid", strict=False)


class RuleJudgementsOut(BaseModel):
    rule: str
    judged: int = Field(description="findings judged (each once, by its reviewers' newest judgements)")
    confirmed: int
    false_alarm: int
    disputed: int = Field(description="findings whose reviewers' newest judgements differ")
    precision: float | None = Field(description="confirmed / (confirmed + false alarms); null when none is decided")


class JudgementSummaryOut(BaseModel):
    findings: int
    reviewers: int
    rules: list[RuleJudgementsOut] = Field(description="the least precise rule first")
