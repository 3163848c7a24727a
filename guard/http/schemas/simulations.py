"""What-if simulations: a draft pack judged against the decision log."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from guard.http.schemas.types import InstantText, Instant, OlderPageQuery, PageNext, Strict


class SimulationIn(Strict):
    draft: Annotated[str, Field(min_length=1, max_length=2 * 1024 * 1024, description=(
        "the draft pack: one YAML document in the policy-pack format (it replaces every serving version of its `id` for the "
        "simulation; its `effective_from` is when it would serve, not which decisions it judges)"))]
    draft_name: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^\s/\\]+\.ya?ml$",
                                     description="a file name for the draft, used in its problems and the report")] = "draft.yaml"
    against: Literal["decisions", "calls"] = Field("decisions", description=(
        "`decisions`: the decision log of the period [from, to); `calls`: the call log given in `calls` (every call was made)"))
    from_: Instant | None = Field(None, alias="from", description="with `against: decisions`: the period's start")
    to: Instant | None = Field(None, description="with `against: decisions`: the period's end, excluded")
    calls: Annotated[str, Field(min_length=1, max_length=8 * 1024 * 1024, description=(
        "with `against: calls`: the call log's text, CSV (with its header) or JSON Lines, in the audit's columns; a larger log "
        "is simulated with `guard policies simulate DRAFT --against CALLS.csv`"))] | None = None
    timezone: Annotated[str, Field(min_length=1, max_length=60, description=(
        "with `against: calls`: the zone (IANA, e.g. Asia/Shanghai) a called_at without a UTC offset is read in, as in an "
        "audit; default: none, such rows are rejected"))] | None = None
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=False)


class SimulationStartOut(BaseModel):
    simulation_id: str
    status: str


class SimulationOut(BaseModel):
    simulation_id: str
    status: str = Field(description="queued | running | done | failed | cancelled")
    draft: str | None = Field(description="the draft's file name")
    created_at: InstantText
    started_at: InstantText | None
    finished_at: InstantText | None
    error: str | None
    error_messages: dict[str, str] | None = Field(None, description="`error` in zh-CN, zh-TW and en (the English as `error` has it)")
    progress: dict[str, Any] = Field(description=(
        "how far the judging is: `judged` (decisions or calls judged so far, updated every 1,000) and `total` (the "
        "decisions of the period; null for a call log until it is read)"))
    report: dict[str, Any] | None = Field(description=(
        "when done: `changes` (allowed_to_denied, denied_to_allowed, reasons_changed), `by_reason`, `by_campaign`, `by_hour` "
        "(callee local hour), `by_tier` (cap tier), `examples` per change and code, `changed` (every changed decision), "
        "`calls_per_day` (before, after, expected_drop), `replay` (how many logged answers the serving versions reproduced, the checks replayed in the order the guard made them; its `examples`, the first that differ, each say why: `cause` (no_policy, other_version, old_row, caps, client_time, facts) and `explanation`, in each language in `messages`), "
        "`draft_governs` (the judged calls a version of the draft judged), `not_replayed` (the draft's rules applied when "
        "complaints and outcomes are recorded that the replay does not derive again: only `complaints.callback`, which no check "
        "reads; mutes, deferrals and stop-calling entries are derived again under the draft), `warnings` (what makes the figures mean "
        "less than they seem: a draft governing none of the calls, rules not replayed), "
        "`scripts` (approved scripts the draft would fail), `scripts_unvouched` (approved scripts the draft passes with no phrase "
        "rule applied, each with the lint answer's `notes`: `NO_PHRASE_RULES`), `judged_findings` (reviewers' judged findings of the campaigns "
        "the draft governs: false alarms still raised and confirmed findings kept under the serving versions and under "
        "the draft, and each finding whose fate the draft changes)"))


class SimulationListQuery(OlderPageQuery):
    limit: Annotated[int, Field(ge=1, le=200)] = 20
    model_config = ConfigDict(extra="forbid", strict=False)


class SimulationListOut(BaseModel):
    simulations: list[SimulationOut] = Field(description="newest first, without their reports (GET one for it)")
    next: PageNext | None = Field(None, description="the query's `before` and `before_id` for the next (older) page; "
                                                    "null when this page holds the oldest simulation")
