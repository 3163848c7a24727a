"""Scripts (话术): lint, store a version with its lint result, approve (role reviewer)."""

from __future__ import annotations

from flask import Blueprint

from guard.core.lint import lint_notes
from guard.core.turns import unlinted
from guard.http.api import endpoint
from guard.http.common import answer, runtime
from guard.http.schemas import (JudgementIn, JudgementListOut, JudgementOut, JudgementSummaryOut, JudgementSummaryQuery, LintIn,
                                LintOut, ScriptIn, ScriptListOut, ScriptListQuery, ScriptOut, ScriptReviewQuery)
from guard.services.catalog import judgements
from guard.services.catalog import scripts as service
from guard.services.ops.keys import Principal

bp = Blueprint("scripts", __name__)


@endpoint(
    bp, "POST", "/v1/scripts/lint", summary="Lint a marketing script: every finding located in the original text, with a suggestion",
    description="`verdict` is fail if any error, warn if any warning, else pass. Offsets index the text as sent. "
                "Linted under `product_type`; without it, under the types `campaign` sells, or, with neither, by every rule "
                "of the pack (the findings under every product type, merged). A `campaign` configured nowhere: 400 naming `campaign`.",
    roles=("reviewer",), body=LintIn, response=LintOut,
)
def lint_script(body: LintIn, principal: Principal):
    rt = runtime()
    result, pack, types = service.lint_script(rt.store, rt.packs(), body.text, body.product_type, body.campaign, body.pack, rt.clock())
    return answer({**result.to_dict(), "unlinted": unlinted(body.text), "product_types": list(types),
                   "notes": lint_notes(pack, list(types)), "policy": {"pack": pack.id, "version": pack.version}})


@endpoint(
    bp, "POST", "/v1/scripts", summary="Store a new version of a campaign's script with its lint result",
    description="The script is linted for the campaign: under `product_type`, which must be a type the campaign's products "
                "have (else 400 naming `product_type`, details listing the campaign's types), or without it under every type "
                "the campaign sells (every rule when it sells no known product). A campaign configured nowhere (neither "
                "`PUT /v1/campaigns/{id}` nor a pack) is refused: 400 naming `campaign`, nothing stored. "
                "`product_types` on the answer names the types linted under.",
    roles=("reviewer",), body=ScriptIn, response=ScriptOut, status=201,
)
def store_script(body: ScriptIn, principal: Principal):
    rt = runtime()
    view = service.store_script(rt.store, rt.packs(), body.campaign, body.product_type, body.text, body.pack, rt.clock(),
                                principal.actor)
    return answer(view, 201)


@endpoint(bp, "GET", "/v1/scripts", summary="A campaign's script versions", roles=("reviewer",), query=ScriptListQuery,
          response=ScriptListOut)
def list_scripts(query: ScriptListQuery, principal: Principal):
    return answer({"scripts": service.list_scripts(runtime().store, query.campaign)})


@endpoint(bp, "GET", "/v1/scripts/needs-review", summary="Approved scripts that a pack version in effect (or coming) fails",
          description="Marked when a pack version is reloaded or takes effect (`guard policies reload`, the scheduler's "
                      "`script_review` job); each counts as approved until `suspended_at`, then the campaign's checks answer "
                      "SCRIPT_NOT_APPROVED until a reviewer approves a new version.",
          roles=("reviewer",), query=ScriptReviewQuery, response=ScriptListOut)
def scripts_needing_review(query: ScriptReviewQuery, principal: Principal):
    return answer({"scripts": service.scripts_needing_review(runtime().store, query.campaign)})


@endpoint(bp, "GET", "/v1/scripts/{script_id}", summary="A script version with its lint result", roles=("reviewer",),
          response=ScriptOut, extra_responses={404: "no such script"})
def get_script(script_id: str, principal: Principal):
    return answer(service.get_script(runtime().store, script_id))


@endpoint(
    bp, "POST", "/v1/scripts/{script_id}/approve", summary="Approve a script version whose verdict is not fail",
    description="The version is linted again, by its campaign's pack's version in effect now (whatever `pack` it was stored under), under every product type the campaign "
                "sells now (every type when it sells no known product); it is refused (409 SCRIPT_FAILS_LINT) when it failed "
                "when stored or fails now under any of them — `details` lists, per type, the verdict and the findings.",
    roles=("reviewer",), response=ScriptOut,
    extra_responses={404: "no such script", 409: "the version fails the lint (when stored, or now under a type the campaign sells)"},
)
def approve_script(script_id: str, principal: Principal):
    rt = runtime()
    view, _ = service.approve(rt.store, rt.packs(), script_id, rt.clock(), principal.actor)
    return answer(view)


@endpoint(
    bp, "POST", "/v1/scripts/{script_id}/judgements", summary="Judge one finding of a stored script version: false alarm or confirmed",
    description="Names the finding by its `rule`, `start` and `end` as the stored version reports them (else 400, `details` "
                "listing the version's findings). Insert-only: a reviewer who changes their mind judges again, and their newest "
                "judgement counts. A judgement changes no verdict and no approval: a false alarm is fixed in the pack.",
    roles=("reviewer",), body=JudgementIn, response=JudgementOut, status=201, extra_responses={404: "no such script"},
)
def judge_finding(script_id: str, body: JudgementIn, principal: Principal):
    rt = runtime()
    view = judgements.judge(rt.store, script_id, body.rule, body.start, body.end, body.judgement, body.note, rt.clock(),
                            principal.actor)
    return answer(view, 201)


@endpoint(bp, "GET", "/v1/scripts/{script_id}/judgements", summary="The judgements of a script version's findings, oldest first",
          description="`judgements`: those given on this version. `earlier`: for each phrase finding of this version, what "
                      "reviewers concluded on the campaign's other versions about a finding of the same rule on the same words "
                      "of the same sentence (newest version first): shown, not copied.",
          roles=("reviewer",), response=JudgementListOut, extra_responses={404: "no such script"})
def finding_judgements(script_id: str, principal: Principal):
    store = runtime().store
    return answer({"judgements": judgements.of_script(store, script_id), "earlier": judgements.earlier(store, script_id)})


@endpoint(bp, "GET", "/v1/scripts/judgements", summary="Each rule's precision as reviewers judged its findings",
          description="Per rule, the findings judged in the period (each once, by its reviewers' newest judgements): confirmed, "
                      "false alarms, disputed, and the precision; the least precise first. A merged finding counts for each "
                      "of its rules.",
          roles=("reviewer",), query=JudgementSummaryQuery, response=JudgementSummaryOut)
def judgement_summary(query: JudgementSummaryQuery, principal: Principal):
    return answer(judgements.summary(runtime().store, query.since, query.until, query.rule))
