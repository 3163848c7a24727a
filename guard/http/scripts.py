"""Scripts (话术): lint, store a version with its lint result, approve (role reviewer)."""

from __future__ import annotations

from flask import Blueprint

from guard.http.api import endpoint
from guard.http.common import answer, runtime
from guard.http.schemas import LintIn, LintOut, ScriptIn, ScriptListOut, ScriptListQuery, ScriptOut
from guard.services.catalog import scripts as service
from guard.services.ops.keys import Principal

bp = Blueprint("scripts", __name__)


@endpoint(
    bp, "POST", "/v1/scripts/lint", summary="Lint a marketing script: every finding located in the original text, with a suggestion",
    description="`verdict` is fail if any error, warn if any warning, else pass. Offsets index the text as sent.",
    roles=("reviewer",), body=LintIn, response=LintOut,
)
def lint_script(body: LintIn, principal: Principal):
    rt = runtime()
    result, pack = service.lint_text(rt.packs(), body.text, body.product_type, body.pack, rt.clock())
    return answer({**result.to_dict(), "policy": {"pack": pack.id, "version": pack.version}})


@endpoint(
    bp, "POST", "/v1/scripts", summary="Store a new version of a campaign's script with its lint result",
    roles=("reviewer",), body=ScriptIn, response=ScriptOut, status=201,
)
def store_script(body: ScriptIn, principal: Principal):
    rt = runtime()
    view = service.store_script(rt.store, rt.packs(), body.campaign, body.product_type, body.text, body.pack, rt.clock(),
                                principal.key_id)
    return answer(view, 201)


@endpoint(bp, "GET", "/v1/scripts", summary="A campaign's script versions", roles=("reviewer",), query=ScriptListQuery,
          response=ScriptListOut)
def list_scripts(query: ScriptListQuery, principal: Principal):
    return answer({"scripts": service.list_scripts(runtime().store, query.campaign)})


@endpoint(bp, "GET", "/v1/scripts/{script_id}", summary="A script version with its lint result", roles=("reviewer",),
          response=ScriptOut, extra_responses={404: "no such script"})
def get_script(script_id: str, principal: Principal):
    return answer(service.get_script(runtime().store, script_id))


@endpoint(
    bp, "POST", "/v1/scripts/{script_id}/approve", summary="Approve a script version whose verdict is not fail",
    roles=("reviewer",), response=ScriptOut, extra_responses={404: "no such script", 409: "the version failed the lint"},
)
def approve_script(script_id: str, principal: Principal):
    rt = runtime()
    view, _ = service.approve(rt.store, script_id, rt.clock(), principal.key_id)
    return answer(view)
