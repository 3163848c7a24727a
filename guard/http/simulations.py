"""What-if simulations (role auditor): a draft pack judged against the decision log before it serves."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response

from guard.http.api import endpoint
from guard.http.audits import JOBS_BUSY_RESPONSE
from guard.http.common import answer, older_page, preferred_chinese, runtime
from guard.http.errors import ApiError, bad_request
from guard.http.schemas import SimulationIn, SimulationListOut, SimulationListQuery, SimulationOut, SimulationStartOut
from guard.services import whatif
from guard.services.ops.keys import Principal
from guard.services.audits.report import REPORT_CSP
from guard.services.whatif import report as whatif_report
from guard.core.i18n import field_said
from guard.core.messages import said, status_label

bp = Blueprint("simulations", __name__)
MAX_DAYS = 92  # a quarter of decisions per simulation: a longer period is several runs


@endpoint(
    bp, "POST", "/v1/simulations", summary="What-if: judge the decision log of a period under a draft pack (answers at once)",
    description="The draft (one pack document as YAML text) replaces every serving version of its pack id; each decision made in "
                "[from, to) is asked again under the draft and under the version that judged it, facts as the guard knew them "
                "then, caps replayed in order; or, with `against: calls`, the call log given (its calls judged as an audit judges them, each one made). A draft that fails validation is a 400 whose `details` name each problem as "
                "`guard policies validate` does. Follow `GET /v1/simulations/{id}` for the report.",
    roles=("auditor",), body=SimulationIn, response=SimulationStartOut, status=202, extra_responses=JOBS_BUSY_RESPONSE,
)
def start_simulation(body: SimulationIn, principal: Principal):
    rt = runtime()
    if body.against == "calls":
        if body.calls is None:
            raise bad_request(field_said("calls", said("error.required_with_against", against="calls")), "calls",
                              "required with `against: calls`")
        for name, value in (("from", body.from_), ("to", body.to)):
            if value is not None:
                raise bad_request(field_said(name, said("error.only_with_against", against="decisions")), name,
                                  "only with `against: decisions` (a call log's calls carry their own instants)")
        timezone = None
        if body.timezone is not None:
            from guard.services.audits import UnknownZone, resolve_timezone

            try:
                timezone = resolve_timezone(body.timezone)
            except UnknownZone as exc:
                raise bad_request(field_said("timezone", exc.args[0]), "timezone", str(exc)) from None
        draft = whatif.draft_packs(rt.registry.good_documents(), whatif.parse_draft(body.draft_name, body.draft), rt.settings.default_pack)
        return _started(whatif.start_simulation(rt.store, rt.packs(), draft, None, None, rt.clock, principal.actor,
                                                calls=body.calls.encode("utf-8"), timezone=timezone, **_limits()))
    for name, value in (("from", body.from_), ("to", body.to)):
        if value is None:
            raise bad_request(field_said(name, said("error.required_with_against", against="decisions")), name,
                              "required with `against: decisions`")
    for name, value in (("calls", body.calls), ("timezone", body.timezone)):
        if value is not None:
            raise bad_request(field_said(name, said("error.only_with_against", against="calls")), name, "only with `against: calls`")
    if body.to <= body.from_:
        raise bad_request(field_said("to", said("error.to_after_from")), "to", "must be after `from`")
    if body.to - body.from_ > timedelta(days=MAX_DAYS):  # timedelta.days alone let 92 days and 23 hours through
        raise bad_request(field_said("to", said("error.simulation_too_long", days=MAX_DAYS)), "to", f"at most {MAX_DAYS} days after `from`")
    draft = whatif.draft_packs(rt.registry.good_documents(), whatif.parse_draft(body.draft_name, body.draft), rt.settings.default_pack)
    return _started(whatif.start_simulation(rt.store, rt.packs(), draft, body.from_, body.to, rt.clock, principal.actor, **_limits()))


def _limits() -> dict:
    s = runtime().settings
    return {"limit": s.max_background_jobs, "stale_after": s.audit_stale_after, "data_dir": s.data_dir}


def _started(sim_id: str) -> Response:
    response = answer({"simulation_id": sim_id, "status": "queued"}, 202)
    response.headers["Location"] = f"/v1/simulations/{sim_id}"
    return response


@endpoint(bp, "GET", "/v1/simulations", summary="The newest simulations first (without their reports)", roles=("auditor",),
          query=SimulationListQuery, response=SimulationListOut)
def list_simulations(query: SimulationListQuery, principal: Principal):
    found, following = whatif.list_simulations(runtime().store, query.limit, *older_page(query))
    return answer({"simulations": found, "next": following})


@endpoint(bp, "GET", "/v1/simulations/{simulation_id}", summary="A simulation's status and, when done, its report (JSON)",
          roles=("auditor",), response=SimulationOut, extra_responses={404: "no such simulation"})
def get_simulation(simulation_id: str, principal: Principal):
    return answer(whatif.view_simulation(runtime().store, simulation_id))


@endpoint(bp, "GET", "/v1/simulations/{simulation_id}/report", summary="The simulation's self-contained HTML report",
          roles=("auditor",), response_content={"text/html": {"schema": {"type": "string"}}},
          extra_responses={404: "no such simulation", 409: "not done yet"})
def get_simulation_report(simulation_id: str, principal: Principal):
    sim = whatif.view_simulation(runtime().store, simulation_id)
    if sim["status"] != "done":
        raise ApiError(409, "AUDIT_NOT_DONE", said("error.simulation_not_done", simulation=simulation_id, status=status_label(sim["status"])),
                       {"status": sim["status"]})
    chinese = preferred_chinese(whatif_report.chinese_of_simulation(sim["report"], runtime().packs().timelines))
    response = Response(whatif_report.render(sim["report"], chinese), mimetype="text/html")
    response.headers["Content-Language"] = f"{chinese}, en"
    response.vary.add("Accept-Language")
    response.headers["Content-Disposition"] = f'inline; filename="whatif-{simulation_id}.html"'
    response.headers["Content-Security-Policy"] = REPORT_CSP
    return response
